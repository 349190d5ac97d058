#!/usr/bin/env bash
# Cost per update of a LearningRateFinder sweep vs a plain fit of a clone from the same iterator, side by side.
# Usage: bash bench/range-test-overhead.sh [rounds] [steps] [models]   (default 30 100 cnn,mlp)
# Maven runs offline (-o) when the local repository has what it needs, online otherwise: see bench/maven.sh
# (MVN_OFFLINE=1 offline only, MVN_OFFLINE=0 online only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/maven.sh
# One native BLAS thread: with two on a shared 2-core machine single updates vary several times more.
OMP_NUM_THREADS=1 bench_mvn -B -q -pl dl4j-cosine-examples -am compile exec:java \
  -Dexample=io.github.dl4jcosine.examples.bench.RangeTestOverhead -Dexec.args="${*:-30 100 cnn,mlp}"
