#!/usr/bin/env bash
# Cost of a schedule-free update vs DL4J's Adam on the same network, paired in one run (median ratio, 95% CI),
# for the updater call alone and for a whole training iteration; also the updater state sizes.
# Usage: bash bench/updater-cost.sh [pairs] [mlp|cnn|both]     (default 300 both)
# Runs twice: with one native thread (OMP_NUM_THREADS=1: steadier on a shared machine) and with the default.
# Maven runs offline (-o) when the local repository has what it needs, online otherwise: see bench/maven.sh
# (MVN_OFFLINE=1 offline only, MVN_OFFLINE=0 online only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/maven.sh
for threads in 1 default; do
  if [ "$threads" = 1 ]; then export OMP_NUM_THREADS=1; else unset OMP_NUM_THREADS; fi
  bench_mvn -B -q -pl dl4j-cosine-examples -am compile exec:java \
    -Dexample=io.github.dl4jcosine.examples.bench.UpdaterCost -Dexec.args="${1:-300} ${2:-both}" \
    | grep -v -e '^\[main\] INFO' -e SLF4J
done
