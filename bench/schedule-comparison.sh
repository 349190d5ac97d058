#!/usr/bin/env bash
# What the schedule buys on real data available offline: Fashion-MNIST (Debian's dataset-fashion-mnist),
# the example CNN, equal budget, five schedules, several seeds. Writes output/bench-fashion/seed-<s>/compare.csv
# and prints mean and spread of the final test accuracy per schedule, and paired differences between schedules.
# Usage: bash bench/schedule-comparison.sh [seeds...]      (default seeds: 1 2 3)
# Maven runs offline (-o) when the local repository has what it needs, online otherwise: see bench/maven.sh
# (MVN_OFFLINE=1 offline only, MVN_OFFLINE=0 online only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/maven.sh
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "Fashion-MNIST missing: apt-get install dataset-fashion-mnist" >&2
  exit 1
fi
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
ARGS="--dataset fashion-mnist --train-size 10000 --test-size 2000 --epochs 4 --batch 64 --lr 0.05
      --warmup-epochs 1 --restart-period 1 --restart-multiplier 1 --compare fixed,step,cosine,restarts,warmup-cosine"
for seed in "${seeds[@]}"; do
  bench_mvn -B -q -pl dl4j-cosine-examples -am compile exec:java \
    -Dexec.args="$ARGS --seed $seed --out output/bench-fashion/seed-$seed" \
    | grep -v -e '^\[main\] INFO' -e SLF4J
done
python3 - "${seeds[@]}" <<'PY'
import csv, statistics, sys
rows = {}
for seed in sys.argv[1:]:
    for r in csv.DictReader(open(f"output/bench-fashion/seed-{seed}/compare.csv")):
        rows.setdefault(r["schedule"], []).append((float(r["finalAccuracy"]), float(r["seconds"])))
print(f"{'schedule':16} {'final accuracy: mean':>22} {'sd':>8} {'min':>8} {'max':>8} {'seconds/run':>12}")
for name, v in rows.items():
    acc = [a for a, _ in v]
    sd = statistics.stdev(acc) if len(acc) > 1 else 0.0
    print(f"{name:16} {statistics.mean(acc):22.4f} {sd:8.4f} {min(acc):8.4f} {max(acc):8.4f} {statistics.mean(s for _, s in v):12.1f}")
# The seed moves every schedule together: compare schedules seed by seed (mean paired difference, 95% t-interval).
n = len(sys.argv) - 1
if n > 1:
    t = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}.get(n - 1, 2.228 if n <= 11 else 2.0)
    print(f"\n{'paired: first - second':34} {'mean':>8} {'95% CI':>20} {'first ahead':>12}")
    names = list(rows)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            d = [x[0] - y[0] for x, y in zip(rows[a], rows[b])]
            m, h = statistics.mean(d), t * statistics.stdev(d) / n ** 0.5
            print(f"{a + ' - ' + b:34} {m:+8.4f}   [{m - h:+.4f}, {m + h:+.4f}] {sum(x > 0 for x in d):>6} of {n}")
PY
