#!/usr/bin/python3
"""Reference rows from PyTorch itself for PlateauSchedule: torch.optim.lr_scheduler.ReduceLROnPlateau.

Run with Debian's PyTorch (apt-get install python3-torch; PyTorch 1.13):
    /usr/bin/python3 generate_pytorch_plateau.py > pytorch-1.13-plateau.csv
Not part of the Maven build; the CSV it writes is committed beside it (read by PyTorchPlateauReferenceTest).

    /usr/bin/python3 generate_pytorch_plateau.py --random SEED > /tmp/plateau-SEED.csv
writes 300 random cases from SEED instead (not committed; compare them with
-Dpytorch.plateau=/tmp/plateau-SEED.csv). The committed file is --random 19 plus the fixed cases below.

Each case is one ReduceLROnPlateau(SGD(lr=lr0), mode, factor, patience, threshold, threshold_mode, cooldown,
min_lr, eps) stepped once per metric of a random sequence: every option is drawn (both modes, both threshold
modes, factors from 0.01 to 0.99, patience 0 to 6, thresholds 0 to 0.3, cooldown 0 to 4, min_lr 0 or a
fraction of lr0 that binds, eps 0, PyTorch's 1e-8, or large enough to stop reductions), and the metrics are
noisy decays that level off (a loss), their mirror image (an accuracy), random walks and plain noise, with NaN
(about 1 in 12), +-Infinity (rarely) and repeats of the previous value mixed in.

Columns (one row per step):
  case       case id; the same id on every row of one configuration
  mode       min | max
  factor, patience, threshold
  threshold_mode  rel | abs
  cooldown, min_lr, eps
  lr0        the optimizer's initial learning rate (PlateauSchedule's constant base)
  step       0-based index of the step in the case
  metric     the metric passed to step() (NaN, Infinity, -Infinity as Java writes them)
  lr         the param group's lr right after that step(), i.e. the rate of the updates after it
  reduced    true when that step() lowered lr
"""
import csv
import math
import random
import sys

import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau

FIELDS = ["case", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps", "lr0",
          "step", "metric", "lr", "reduced"]


def java(x):
    """A float as Java's Double.parseDouble reads it back bit for bit."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(float(x))


def run(w, case, cfg, metrics):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=cfg["lr0"])
    sched = ReduceLROnPlateau(opt, mode=cfg["mode"], factor=cfg["factor"], patience=cfg["patience"],
                              threshold=cfg["threshold"], threshold_mode=cfg["threshold_mode"],
                              cooldown=cfg["cooldown"], min_lr=cfg["min_lr"], eps=cfg["eps"])
    reductions = 0
    for k, m in enumerate(metrics):
        before = opt.param_groups[0]["lr"]
        sched.step(m)
        lr = opt.param_groups[0]["lr"]
        reductions += lr != before
        row = dict(case=case, step=k, metric=java(m), lr=java(lr), reduced=str(lr != before).lower())
        for key in ["mode", "patience", "threshold_mode", "cooldown"]:
            row[key] = cfg[key]
        for key in ["factor", "threshold", "min_lr", "eps", "lr0"]:
            row[key] = java(cfg[key])
        w.writerow(row)
    return reductions


def metrics_for(rnd, mode, n):
    kind = rnd.choice(["decay", "decay", "walk", "noise", "steps"])
    scale = 10 ** rnd.uniform(-3, 2)
    out = []
    x = scale * rnd.uniform(0.5, 2)
    for k in range(n):
        if kind == "decay":   # a loss that levels off, with noise
            v = scale * (0.2 + math.exp(-k / rnd.uniform(3, 15))) * (1 + rnd.gauss(0, 0.02))
        elif kind == "walk":
            x += scale * rnd.gauss(0, 0.05)
            v = x
        elif kind == "steps":  # long flat stretches with occasional improvements
            if rnd.random() < 0.15:
                x *= rnd.uniform(0.7, 0.99)
            v = x
        else:
            v = scale * rnd.uniform(-1, 1)
        if mode == "max":
            v = -v if kind in ("walk", "noise") else scale * 1.5 - v   # an accuracy rises and levels off
        r = rnd.random()
        if r < 1 / 12:
            v = float("nan")
        elif r < 1 / 12 + 0.01:
            v = rnd.choice([float("inf"), float("-inf")])
        elif r < 1 / 12 + 0.08 and out:
            v = out[-1]
        out.append(v)
    return out


def random_config(rnd):
    lr0 = 10 ** rnd.uniform(-5, 0)
    factor = rnd.choice([0.1, 0.5, round(rnd.uniform(0.01, 0.99), 4), rnd.uniform(0.01, 0.99)])
    min_lr = rnd.choice([0.0, 0.0, lr0 * 10 ** rnd.uniform(-4, -0.3)])
    eps = rnd.choice([1e-8, 1e-8, 0.0, lr0 * 10 ** rnd.uniform(-3, -0.5)])
    return dict(mode=rnd.choice(["min", "max"]), factor=factor, patience=rnd.randint(0, 6),
                threshold=rnd.choice([1e-4, 0.0, rnd.uniform(0, 0.3), round(rnd.uniform(0, 0.05), 3)]),
                threshold_mode=rnd.choice(["rel", "abs"]), cooldown=rnd.randint(0, 4), min_lr=min_lr, eps=eps,
                lr0=lr0)


def fixed_cases():
    """Hand-picked: PyTorch's defaults, and each option at a value that decides the outcome."""
    flat = [1.0] * 40
    better_then_flat = [5.0, 4.0, 3.0] + [3.0] * 37
    defaults = dict(mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel", cooldown=0,
                    min_lr=0.0, eps=1e-8, lr0=0.1)
    yield dict(defaults), flat
    yield dict(defaults), better_then_flat
    yield dict(defaults, patience=0), flat                                 # reduce every step until eps stops it
    yield dict(defaults, patience=0, eps=0.0), flat                        # until the rate underflows or min_lr
    yield dict(defaults, patience=1, min_lr=0.004), flat                   # min_lr binds
    yield dict(defaults, patience=2, cooldown=3), flat                     # cooldown
    yield dict(defaults, mode="max", patience=1), [0.5, 0.6, 0.6, 0.7, 0.7, 0.7] * 6
    yield dict(defaults, mode="max", threshold_mode="abs", threshold=0.05, patience=0), [0.5, 0.54, 0.56, 0.6, 0.61]
    yield dict(defaults, threshold_mode="abs", threshold=0.5, patience=0), [3.0, 2.6, 2.4, 1.9, 1.5, 1.0, 0.6]
    yield dict(defaults, patience=1), [float("nan")] * 10                  # NaN never improves
    yield dict(defaults, patience=1), [1.0, float("nan"), 0.5, float("nan"), float("nan"), 0.1]
    yield dict(defaults, patience=0), [float("-inf"), 1.0, float("-inf")]  # -inf is best once, then nothing is
    yield dict(defaults, mode="max", patience=0), [float("inf"), 1.0, 2.0]
    yield dict(defaults, mode="max", threshold_mode="rel", threshold=0.1, patience=0), [-1.0, -0.95, -0.5, -0.6]
    yield dict(defaults, patience=0, eps=0.05, lr0=1.0, factor=0.5), flat[:8]   # eps stops at 0.0625
    yield dict(defaults, patience=0, factor=0.999999, eps=0.0), flat[:30]


def main(argv):
    w = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
    w.writeheader()
    case = 0
    total = 0
    if argv[:1] == ["--random"]:
        seed, count, fixed = int(argv[1]), 300, False
    else:
        seed, count, fixed = 19, 160, True
    if fixed:
        for cfg, metrics in fixed_cases():
            case += 1
            total += run(w, case, cfg, metrics)
    rnd = random.Random(seed)
    for _ in range(count):
        case += 1
        cfg = random_config(rnd)
        total += run(w, case, cfg, metrics_for(rnd, cfg["mode"], rnd.randint(10, 80)))
    print("%d cases, %d reductions, torch %s" % (case, total, torch.__version__), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
