#!/usr/bin/env bash
# Training overhead of our schedules vs DL4J's FixedSchedule: paired iterations, median overhead with its 95% CI.
# Usage: bash bench/training-overhead.sh [pairs per schedule]   (default 2000)
# Maven runs offline (-o) when the local repository has what it needs, online otherwise: see bench/maven.sh
# (MVN_OFFLINE=1 offline only, MVN_OFFLINE=0 online only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/maven.sh
# One native BLAS thread: with two on a shared 2-core machine single iterations vary several times more.
OMP_NUM_THREADS=1 bench_mvn -B -q -pl dl4j-cosine-examples -am compile exec:java \
  -Dexample=io.github.dl4jcosine.examples.bench.TrainingOverhead -Dexec.args="${*:-2000}"
