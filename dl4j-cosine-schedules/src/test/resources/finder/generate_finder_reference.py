#!/usr/bin/python3
"""Reference results for LearningRateFinder.analyze, from an independent implementation of the rules written in
docs/range-test.md and the LearningRateFinder javadoc (the DESIGN contract):

- rates:     lr_k = min * (max/min) ** (k / (steps - 1))
- smoothing: avg_k = b*avg_(k-1) + (1-b)*loss_k (avg_-1 = 0), s_k = avg_k / (1 - b**(k+1))
- stop:      after recording update k, when loss_k is not finite, or k >= 1 and s_k > factor * min(s_0..s_(k-1))
- STEEPEST:  the points [10, n-1) with finite s; numpy.gradient(s, log10(lr)) over them; the first argmin
- VALLEY:    fastai's valley (fastai/callback/schedule.py, written out below as fastai writes it, O(n^2)) on the points
             [steps//10, n-5) cut at the first non-finite s; its index clamped at 0 (fastai's -1 would wrap around)
- MINIMUM:   the rate of the first smallest finite s, divided by 10
- each suggestion needs at least 2 usable points.

Writes finder-reference.csv beside this script (committed; the Maven build does not run Python):

    /usr/bin/python3 generate_finder_reference.py

numpy 1.24 (Debian bookworm's python3-numpy). Columns: case, minValue, maxValue, steps, smoothing,
divergenceFactor, losses (the input, ';'-separated), n (updates kept), stoppedEarly, smoothed (';'-separated),
steepest, valley, minimum (point indices, -1 for none), steepestRate, valleyRate, minimumRate (empty for none).
Floats are written with repr(), which reads back to the same double.
"""
import math
import os
import random

import numpy as np


def rates(mn, mx, steps, n):
    return [mn * (mx / mn) ** (k / (steps - 1)) for k in range(n)]


def record(losses, steps, b, factor):
    """The kept losses, their smoothed values and whether the stop rule fired."""
    kept, smoothed = [], []
    avg = 0.0
    for k, loss in enumerate(losses[:steps]):
        avg = b * avg + (1 - b) * loss
        s = avg / (1 - b ** (k + 1))
        kept.append(loss)
        smoothed.append(s)
        if not math.isfinite(loss) or (k >= 1 and s > factor * min(smoothed[:-1])):
            return kept, smoothed, True
    return kept, smoothed, False


def steepest(lr, s):
    n = len(s)
    idx = [i for i in range(10, n - 1) if math.isfinite(s[i])]
    if len(idx) < 2:
        return -1
    g = np.gradient(np.array([s[i] for i in idx]), np.log10(np.array([lr[i] for i in idx])))
    return idx[int(np.argmin(g))]


def fastai_valley(losses):
    """fastai's valley, returning its index (which can be -1) instead of the rate."""
    n = len(losses)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    return max_start + int(sections) + int(sections / 2)


def valley(s, steps):
    start = steps // 10
    end = len(s) - 5
    window = []
    for i in range(start, end):
        if not math.isfinite(s[i]):
            break
        window.append(s[i])
    if len(window) < 2:
        return -1
    return start + max(0, fastai_valley(window))


def minimum(s):
    finite = [i for i in range(len(s)) if math.isfinite(s[i])]
    if len(finite) < 2:
        return -1
    best = finite[0]
    for i in finite:
        if s[i] < s[best]:
            best = i
    return best


def typical(rnd, lrs, noise):
    """A range-test-like curve: a plateau, a descent around a random rate, a blow-up at a higher one."""
    drop_at = rnd.uniform(-5, -1)
    blow_at = drop_at + rnd.uniform(0.5, 3)
    out = []
    for lr in lrs:
        x = math.log10(lr)
        loss = 2.3 - 1.8 / (1 + math.exp(-3 * (x - drop_at))) + math.exp(min(50.0, 4 * (x - blow_at)))
        out.append(loss * (1 + noise * rnd.uniform(-1, 1)))
    return out


def cases(rnd):
    out = []

    def add(name, mn, mx, steps, b, factor, losses):
        out.append((name, mn, mx, steps, b, factor, losses))

    for i in range(60):
        steps = rnd.choice([13, 20, 50, 100, 100, 200, 300])
        mn = 10 ** rnd.uniform(-8, -4)
        mx = 10 ** rnd.uniform(-1, 1.5)
        b = rnd.choice([0.0, 0.5, 0.9, 0.98, 0.98, 0.995])
        factor = rnd.choice([1.5, 2.0, 4.0, 4.0, 10.0])
        add("typical %d" % i, mn, mx, steps, b, factor,
            typical(rnd, rates(mn, mx, steps, steps), rnd.choice([0.0, 0.02, 0.1, 0.3])))
    for i in range(25):
        steps = rnd.choice([5, 9, 12, 30, 100])
        n = rnd.randint(0, steps)
        add("uniform noise %d" % i, 1e-7, 10.0, steps, rnd.choice([0.0, 0.6, 0.98]), rnd.choice([1.2, 4.0, 1e6]),
            [rnd.uniform(0.0, 3.0) for _ in range(n)])
    for i in range(10):
        steps = rnd.choice([15, 40, 100])
        n = rnd.randint(1, steps)
        start = rnd.uniform(1, 5)
        add("decreasing %d" % i, 1e-6, 1.0, steps, rnd.choice([0.0, 0.9, 0.98]), 4.0,
            [start * 0.97 ** k + rnd.uniform(0, 0.01) for k in range(n)])
    for i in range(10):
        steps = rnd.choice([20, 100])
        losses = typical(rnd, rates(1e-7, 10.0, steps, steps), 0.05)
        cut = rnd.randint(0, steps - 1)
        losses[cut] = rnd.choice([float("nan"), float("inf"), float("-inf")])
        add("not finite at %d" % cut, 1e-7, 10.0, steps, rnd.choice([0.0, 0.98]), 1e9, losses)
    for i in range(10):
        steps = rnd.choice([30, 100])
        k = rnd.randint(12, steps - 2)
        losses = [2.0 - 1.5 * j / k + rnd.uniform(0, 0.05) for j in range(k)] + [0.5 * 3 ** j for j in range(steps - k)]
        add("blows up after %d" % k, 1e-5, 1.0, steps, rnd.choice([0.0, 0.5, 0.9]), 4.0, losses)
    for steps in (2, 3, 7, 10, 11, 12, 13, 14, 16, 20, 25):
        for n in sorted({0, 1, 2, steps // 2, steps}):
            add("short %d of %d" % (n, steps), 1e-4, 1.0, steps, 0.0, 4.0, [3.0 - 0.1 * j + 0.01 * (j % 3) for j in range(n)])
    add("NaN from the first update", 1e-7, 10.0, 100, 0.98, 4.0, [float("nan")] * 5)
    add("infinite first loss", 1e-7, 10.0, 100, 0.98, 4.0, [float("inf"), 1.0, 1.0])
    add("negative losses", 1e-7, 10.0, 100, 0.98, 4.0, [-1.0 - 0.01 * j for j in range(100)])
    add("constant", 1e-7, 10.0, 100, 0.0, 4.0, [1.0] * 100)
    add("strictly decreasing", 1e-7, 10.0, 100, 0.0, 4.0, [100.0 - j for j in range(100)])
    add("strictly increasing", 1e-7, 10.0, 100, 0.0, 1e9, [1.0 + j for j in range(100)])
    add("zigzag", 1e-7, 10.0, 60, 0.0, 1e9, [1.0 + (j % 2) * 0.5 - 0.001 * j for j in range(60)])
    add("huge losses", 1e-7, 10.0, 100, 0.98, 4.0, [1e300 * (1 + 0.01 * (j % 5)) for j in range(100)])
    return out


def fmt(x):
    return repr(float(x))


def main():
    rnd = random.Random(20261201)
    rows = ["case,minValue,maxValue,steps,smoothing,divergenceFactor,losses,n,stoppedEarly,smoothed,"
            "steepest,valley,minimum,steepestRate,valleyRate,minimumRate"]
    for name, mn, mx, steps, b, factor, losses in cases(rnd):
        kept, s, stopped = record(losses, steps, b, factor)
        lr = rates(mn, mx, steps, len(kept))
        st, va, mi = steepest(lr, s), valley(s, steps), minimum(s)
        rows.append(",".join([name, fmt(mn), fmt(mx), str(steps), fmt(b), fmt(factor),
                              ";".join(fmt(x) for x in losses), str(len(kept)), str(stopped).lower(),
                              ";".join(fmt(x) for x in s), str(st), str(va), str(mi),
                              fmt(lr[st]) if st >= 0 else "", fmt(lr[va]) if va >= 0 else "",
                              fmt(lr[mi] / 10) if mi >= 0 else ""]))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "finder-reference.csv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    print("wrote %d cases to %s" % (len(rows) - 1, path))


if __name__ == "__main__":
    main()
