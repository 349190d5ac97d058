#!/usr/bin/env python3
"""Hand formulas for SameDiffScheduleTest: the rate of each schedule family at updates k = 0..5 of a run with
2 iterations per epoch and 3 epochs, in three units. Not part of the build; its output is pasted into the test.

  ITERATION:            t = k
  EPOCH (whole epochs): t = k // 2        (epoch = k // 2)
  fractional EPOCH:     t = k / 2         (iterationsPerEpoch = 2)

Each family is written from its documented definition (DESIGN.md), not from the library's code.
"""
from math import cos, pi


def cosine(t, init, lo, period):          # CosineAnnealing: holds lo after the period
    return lo if t >= period else lo + (init - lo) * (1 + cos(pi * t / period)) / 2


def restarts(t):                          # WarmRestarts init 0.1, min 0.01, firstPeriod 2, multiplier 2: cycles [0,2), [2,6)
    start, length = (0, 2) if t < 2 else (2, 4)
    return 0.01 + 0.09 * (1 + cos(pi * (t - start) / length)) / 2


def warmup_cosine(t):                     # WarmupCosine peak 0.1, warmupStart 0.01, min 0.01, warmup 1, total 3
    if t < 1:
        return 0.01 + 0.09 * t
    return cosine(t - 1, 0.1, 0.01, 2)


def linear(t):                            # Linear 0.1 -> 0.01 over 4
    return 0.1 + (0.01 - 0.1) * min(t, 4) / 4


def linear_warmup(t):                     # LinearWarmup 1 from 0.02 in front of Cosine(0.1, 0.01, 4)
    return 0.02 + 0.08 * t if t < 1 else cosine(t - 1, 0.1, 0.01, 4)


def sequential(t):                        # Sequential [Linear 0.01 -> 0.1 over 1, Cosine 0.1 -> 0.01 over 2], milestone 1
    return 0.01 + 0.09 * t if t < 1 else cosine(t - 1, 0.1, 0.01, 2)


def product(t):                           # Product of Linear factor 0.5 -> 1 over 2 and Cosine(0.1, 0.01, 4)
    return (0.5 + 0.5 * min(t, 2) / 2) * cosine(t, 0.1, 0.01, 4)


def annealing_cos(start, end, pct):      # PyTorch OneCycleLR._annealing_cos
    return end + (start - end) / 2.0 * (cos(pi * pct) + 1)


def one_cycle(t):                         # OneCycle 0.01 -> 0.1 -> 0.001, total 4, peakFraction 0.5: phase ends 1 and 3
    end1, end = 0.5 * 4 - 1, 4 - 1
    if t <= end1:
        return annealing_cos(0.01, 0.1, t / end1)
    return 0.001 if t >= end else annealing_cos(0.1, 0.001, (t - end1) / (end - end1))


def wsd(t):                               # Hugging Face get_wsd_schedule shapes: warmup 1 (linear from 0.01), stable 1,
    if t < 1:                             # cosine decay over 2 to 0.001, then held
        return 0.01 + (0.1 - 0.01) * t
    if t <= 2:
        return 0.1
    if t >= 4:
        return 0.001
    return 0.001 + (0.1 - 0.001) * 0.5 * (1 + cos(pi * (t - 2) / 2))


FAMILIES = [("cosine", lambda t: cosine(t, 0.1, 0.01, 4)), ("restarts", restarts), ("warmupCosine", warmup_cosine),
            ("linear", linear), ("linearWarmup", linear_warmup), ("sequential", sequential), ("product", product),
            ("oneCycle", one_cycle), ("wsd", wsd)]
UNITS = [("ITERATION", lambda k: k), ("EPOCH", lambda k: k // 2), ("FRACTIONAL", lambda k: k / 2)]

for name, f in FAMILIES:
    for unit, t in UNITS:
        print('"%s", "%s", new double[] {%s}' % (name, unit, ", ".join(repr(f(t(k))) for k in range(6))))
