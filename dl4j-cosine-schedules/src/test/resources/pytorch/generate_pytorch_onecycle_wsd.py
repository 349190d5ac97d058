#!/usr/bin/python3
"""Reference values from PyTorch itself for OneCycleSchedule and WarmupStableDecaySchedule.

Run with Debian's PyTorch (apt-get install python3-torch; PyTorch 1.13):
    /usr/bin/python3 generate_pytorch_onecycle_wsd.py > pytorch-1.13-onecycle-wsd.csv
Not part of the Maven build; the CSV it writes is committed beside it (read by
PyTorchOneCycleWsdReferenceTest).

    /usr/bin/python3 generate_pytorch_onecycle_wsd.py --random SEED > /tmp/onecycle-wsd-SEED.csv
writes random configurations instead (not committed; compare them with
-Dpytorch.onecycle=/tmp/onecycle-wsd-SEED.csv): 60 one-cycles (totals 3 to 2,000, any pct_start whose phases
last at least one step, two or three phases, random div factors and momenta) and 30 warmup-stable-decays.

Each row is one optimizer update as DL4J would count it: `iteration` and `epoch` are the counters DL4J
passes to ISchedule.valueAt, `value` is what PyTorch applies at that update (read from the optimizer's
param group just before optimizer.step()): the learning rate, or for kind onecycle-momentum the SGD
momentum that OneCycleLR(cycle_momentum=True) writes.

Columns:
  case      case id; the same id on every row of one PyTorch configuration
  kind      onecycle-lr | onecycle-momentum | wsd
  unit      ITERATION | EPOCH
  n         iterationsPerEpoch for our schedule (0 = whole epochs or ITERATION)
  a..f      our constructor arguments:
            onecycle-*: initialValue, peakValue, finalValue, totalPeriod, peakFraction, threePhase
            wsd:        peakValue, warmupStartValue, minValue, warmupPeriod, stablePeriod, decayPeriod
                        (LINEAR warmup, COSINE decay: the shapes PyTorch has)
  iteration, epoch   DL4J's counters at the update
  value     PyTorch's value at the update
  torch     the PyTorch call that produced the case

Rows stop at the end of each schedule: OneCycleLR at step total_steps - 1 (PyTorch allows one more
step, past the cycle's end, and raises after it; we hold finalValue), the WSD SequentialLR at step
W + S + D, where the cosine reaches eta_min (PyTorch's CosineAnnealingLR rises again after it; we
hold minValue).
"""
import csv
import random
import sys
import warnings

import torch
from torch.optim.lr_scheduler import (ConstantLR, CosineAnnealingLR, LinearLR, OneCycleLR,
                                      SequentialLR)

FIELDS = ["case", "kind", "unit", "n", "a", "b", "c", "d", "e", "f", "iteration", "epoch", "value", "torch"]


def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, momentum=0.9)


class Writer:
    def __init__(self, out):
        self.w = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        self.w.writeheader()
        self.case = 0

    def new_case(self, kind, unit, n, args, torch_call):
        self.case += 1
        self.base = dict(case=self.case, kind=kind, unit=unit, n=n, torch=torch_call)
        for key, value in zip("abcdef", args):
            self.base[key] = value

    def row(self, iteration, epoch, value):
        self.w.writerow(dict(self.base, iteration=iteration, epoch=epoch, value=repr(value)))


def one_cycle(w, max_lr, total, pct, three_phase, div=25.0, final_div=1e4, base_m=0.85, max_m=0.95):
    call = ("OneCycleLR(max_lr=%r, total_steps=%d, pct_start=%r, three_phase=%r, div_factor=%r, "
            "final_div_factor=%r, base_momentum=%r, max_momentum=%r)"
            % (max_lr, total, pct, three_phase, div, final_div, base_m, max_m))
    make = lambda o: OneCycleLR(o, max_lr=max_lr, total_steps=total, pct_start=pct, three_phase=three_phase,
                                div_factor=div, final_div_factor=final_div, base_momentum=base_m, max_momentum=max_m)
    initial = max_lr / div
    lr_args = (initial, max_lr, initial / final_div, total, pct, str(three_phase).lower())
    momentum_args = (max_m, base_m, max_m, total, pct, str(three_phase).lower())
    for kind, args, key in (("onecycle-lr", lr_args, "lr"), ("onecycle-momentum", momentum_args, "momentum")):
        # ITERATION: update k is step k. EPOCH: total_steps counts epochs, stepped once per epoch of 3 updates.
        for unit, per_epoch in (("ITERATION", 1), ("EPOCH", 3)):
            opt = optimizer(max_lr)
            sched = make(opt)
            w.new_case(kind, unit, 0, args, call + ("" if unit == "ITERATION" else "; stepped once per epoch"))
            for k in range(total):
                for j in range(per_epoch):
                    iteration = k if unit == "ITERATION" else k * per_epoch + j
                    w.row(iteration, 0 if unit == "ITERATION" else k, opt.param_groups[0][key])
                opt.step()
                sched.step()
        # Fractional epochs: total_steps counts epochs, step(epoch + i/n) before each update, up to t = T - 1.
        n = 4
        opt = optimizer(max_lr)
        sched = make(opt)
        w.new_case(kind, "EPOCH", n, args, call + "; step(epoch + i/%d)" % n)
        for epoch in range(total):
            for i in range(n):
                t = epoch + i / n
                if t > total - 1:
                    break
                if t > 0:
                    sched.step(t)
                w.row(epoch * n + i, epoch, opt.param_groups[0][key])
                opt.step()


def wsd(w, peak, start_factor, eta_min, warmup, stable, decay):
    call = ("SequentialLR([LinearLR(lr=%r, start_factor=%r, total_iters=%d), ConstantLR(factor=1.0, total_iters=%d), "
            "CosineAnnealingLR(T_max=%d, eta_min=%r)], milestones=[%d, %d])"
            % (peak, start_factor, warmup, stable, decay, eta_min, warmup, warmup + stable))
    args = (peak, peak * start_factor, eta_min, warmup, stable, decay)
    for unit, per_epoch in (("ITERATION", 1), ("EPOCH", 3)):
        opt = optimizer(peak)
        sched = SequentialLR(opt, [LinearLR(opt, start_factor=start_factor, end_factor=1.0, total_iters=warmup),
                                   ConstantLR(opt, factor=1.0, total_iters=max(1, stable)),
                                   CosineAnnealingLR(opt, T_max=decay, eta_min=eta_min)],
                             milestones=[warmup, warmup + stable])
        w.new_case("wsd", unit, 0, args, call + ("" if unit == "ITERATION" else "; stepped once per epoch"))
        for k in range(warmup + stable + decay + 1):
            for j in range(per_epoch):
                iteration = k if unit == "ITERATION" else k * per_epoch + j
                w.row(iteration, 0 if unit == "ITERATION" else k, opt.param_groups[0]["lr"])
            opt.step()
            sched.step()


def phases_ok(total, pct, three_phase):
    """Every phase at least one step long, as OneCycleSchedule requires (PyTorch's own phase ends)."""
    end1 = float(pct * total) - 1
    if three_phase:
        end2 = float(2 * pct * total) - 2
        return pct < 0.5 and end1 >= 1 and end2 - end1 >= 1 and total - 1 - end2 >= 1
    return end1 >= 1 and total - 1 - end1 >= 1


def random_cases(w, seed):
    rnd = random.Random(seed)
    made = 0
    while made < 60:
        total = rnd.choice([rnd.randint(3, 12), rnd.randint(13, 300), rnd.randint(301, 2000)])
        three = rnd.random() < 0.4
        pct = round(rnd.uniform(0.02, 0.49 if three else 0.98), rnd.choice([2, 3, 6]))
        if not phases_ok(total, pct, three):
            continue
        base_m = round(rnd.uniform(0.5, 0.9), 3)
        one_cycle(w, round(rnd.uniform(1e-4, 1.0), 6), total, pct, three, div=round(rnd.uniform(2, 100), 2),
                  final_div=float(rnd.choice([10, 100, 1e3, 1e4, 1e5])), base_m=base_m,
                  max_m=round(rnd.uniform(base_m, 0.999), 3))
        made += 1
    for _ in range(30):
        wsd(w, round(rnd.uniform(1e-4, 1.0), 6), round(rnd.uniform(0.001, 1.0), 4),
            rnd.choice([0.0, round(rnd.uniform(0, 1e-4), 7)]), rnd.randint(1, 40), rnd.randint(0, 60),
            rnd.randint(1, 80))


def main():
    warnings.filterwarnings("ignore")  # step(epoch) is deprecated in PyTorch but still the documented idiom
    w = Writer(sys.stdout)
    if len(sys.argv) == 3 and sys.argv[1] == "--random":
        random_cases(w, int(sys.argv[2]))
        return
    # PyTorch's defaults; totals not divisible by 1 / pct_start; non-integer phase ends (0.3 * 9 - 1 is
    # 1.6999999999999997, and 0.29 * 100 - 1 is 27.999999999999996, so update 28 is already past the peak);
    # tiny totals (3 to 11); three phases; other factors.
    one_cycle(w, 0.1, 100, 0.3, False)
    one_cycle(w, 1.0, 97, 0.25, True)
    one_cycle(w, 0.05, 10, 0.3, False)
    one_cycle(w, 0.2, 3, 2 / 3, False)
    one_cycle(w, 0.2, 4, 0.5, False)
    one_cycle(w, 0.3, 5, 0.45, True)
    one_cycle(w, 0.01, 6, 0.4, True)
    one_cycle(w, 0.1, 7, 0.3, False)
    one_cycle(w, 0.1, 8, 0.3, True)
    one_cycle(w, 0.1, 9, 0.3, False)
    one_cycle(w, 0.1, 30, 0.1, False)
    one_cycle(w, 0.5, 50, 0.4, False, div=10.0, final_div=100.0, base_m=0.8, max_m=0.9)
    one_cycle(w, 0.004, 333, 0.37, True, div=4.0, final_div=1e3, base_m=0.5, max_m=0.99)
    one_cycle(w, 3e-4, 1000, 0.3, True)
    one_cycle(w, 0.1, 11, 0.29, False)
    one_cycle(w, 0.1, 100, 0.29, False)
    one_cycle(w, 0.1, 100, 0.29, True)

    # WSD with a linear warmup and a cosine decay, as PyTorch can build it (LinearLR needs start_factor > 0).
    wsd(w, 0.1, 0.1, 0.0, 5, 10, 5)
    wsd(w, 3e-4, 0.01, 3e-5, 20, 50, 30)
    wsd(w, 1.0, 0.5, 0.1, 1, 1, 1)
    wsd(w, 0.05, 0.2, 0.0, 3, 0, 7)
    wsd(w, 0.02, 0.25, 0.002, 4, 6, 1)


if __name__ == "__main__":
    main()
