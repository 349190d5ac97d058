#!/usr/bin/env bash
# valueAt of each leaf beside its floor (and, with --baseline, a previous build of the leaf), timed in alternating
# slices within one JVM per leaf, unit and position, scored by the 10th-percentile slice: for a machine that other
# jobs load, where JMH's one-benchmark-after-another figures move with the load (see ValueAtInterleaved).
# Usage: bash bench/interleaved.sh [--leaves A,B] [--units iteration,epoch,fraction] [--positions 10,2147483629]
#                                  [--slices 300] [--baseline DIR]
#   DIR: a checkout of another version with dl4j-cosine-schedules compiled (its target/classes), e.g.
#   git archive <commit> | tar -x -C /tmp/base && (cd /tmp/base && mvn -B -q -o -pl dl4j-cosine-schedules compile)
# Results: printed, and written to output/bench-interleaved.csv.
# Maven runs offline (-o) when the local repository has what it needs, online otherwise: see bench/maven.sh
# (MVN_OFFLINE=1 offline only, MVN_OFFLINE=0 online only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/maven.sh
mkdir -p output
bench_mvn -B -q -pl dl4j-cosine-examples -am compile exec:exec \
  -Dexec.args="-cp %classpath io.github.dl4jcosine.examples.bench.ValueAtInterleaved --csv $PWD/output/bench-interleaved.csv $*"
