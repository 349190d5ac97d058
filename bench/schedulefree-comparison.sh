#!/usr/bin/env bash
# No schedule vs warmup-cosine: Fashion-MNIST (Debian's dataset-fashion-mnist), the example CNN, equal budget,
# Adam with a warmup-cosine schedule against schedule-free AdamW (same peak rate, same one-epoch warmup), several
# seeds. Schedule-free runs are evaluated at the averaged weights (BatchNorm statistics recomputed over 20 training
# batches first). Writes output/bench-schedulefree/seed-<s>/compare.csv and .../<run>/metrics.csv, and prints final
# accuracy and times per optimizer and the paired difference.
# Usage: bash bench/schedulefree-comparison.sh [seeds...]      (default seeds: 1 2 3)
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
ARGS="--dataset fashion-mnist --train-size 5000 --test-size 2000 --epochs 3 --batch 64 --optimizer adam --lr 0.002
      --warmup-epochs 1 --compare warmup-cosine,schedulefree"
for seed in "${seeds[@]}"; do
  bench_mvn -B -q -pl dl4j-cosine-examples -am compile exec:java \
    -Dexec.args="$ARGS --seed $seed --out output/bench-schedulefree/seed-$seed --overwrite" \
    | grep -v -e '^\[main\] INFO' -e SLF4J
done
python3 - "${seeds[@]}" <<'PY'
import csv, statistics, sys
seeds = sys.argv[1:]
rows = {}
for seed in seeds:
    for r in csv.DictReader(open(f"output/bench-schedulefree/seed-{seed}/compare.csv")):
        name = r["schedule"]
        epochs = list(csv.DictReader(open(f"output/bench-schedulefree/seed-{seed}/{name}/metrics.csv")))
        train = sum(float(e["seconds"]) for e in epochs)
        rows.setdefault(name, []).append((float(r["finalAccuracy"]), float(r["bestAccuracy"]), train, float(r["seconds"])))
print(f"{'run':16} {'final acc: mean':>16} {'sd':>7} {'per seed':>28} {'train s/run':>12} {'total s/run':>12}")
for name, v in rows.items():
    acc = [a for a, _, _, _ in v]
    sd = statistics.stdev(acc) if len(acc) > 1 else 0.0
    per = ", ".join(f"{a:.4f}" for a in acc)
    print(f"{name:16} {statistics.mean(acc):16.4f} {sd:7.4f} {per:>28} {statistics.mean(t for _, _, t, _ in v):12.1f} "
          f"{statistics.mean(t for _, _, _, t in v):12.1f}")
names = list(rows)
if len(names) == 2 and len(seeds) > 1:
    d = [a[0] - b[0] for a, b in zip(rows[names[1]], rows[names[0]])]
    t = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571}.get(len(d) - 1, 2.5)
    m, s = statistics.mean(d), statistics.stdev(d)
    half = t * s / len(d) ** 0.5
    print(f"\n{names[1]} - {names[0]}: mean {m:+.4f} [{m - half:+.4f}, {m + half:+.4f}] (95% t), "
          f"ahead in {sum(x > 0 for x in d)} of {len(d)}")
PY
