#!/usr/bin/env bash
# Cost of valueAt per schedule (JMH, with the GC profiler for bytes allocated per call).
# Usage: bash bench/jmh.sh [extra JMH options]    e.g. bash bench/jmh.sh -p schedule=CosineAnnealing
#        JMH_BENCHMARK=PlateauBenchmark bash bench/jmh.sh    (another benchmark class; default ValueAtBenchmark)
# Results: printed, and written to output/bench-jmh.csv.
# Maven runs offline (-o) when the local repository has what it needs, online otherwise: see bench/maven.sh
# (MVN_OFFLINE=1 offline only, MVN_OFFLINE=0 online only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/maven.sh
mkdir -p output
bench_mvn -B -q -pl dl4j-cosine-examples -am compile exec:exec \
  -Dexec.args="-cp %classpath org.openjdk.jmh.Main ${JMH_BENCHMARK:-ValueAtBenchmark} -prof gc -rf csv -rff $PWD/output/bench-jmh.csv $*"
