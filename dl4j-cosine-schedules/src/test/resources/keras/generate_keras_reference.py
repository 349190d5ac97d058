#!/usr/bin/env python3
"""Writes keras-3-reference.csv: Keras 3's own learning rates for many configurations of its six schedules.

Run with the Keras 3 + JAX virtualenv (not part of the Maven build; the CSV is committed):

    KERAS_BACKEND=jax /work/keras-venv/bin/python generate_keras_reference.py

One row per case: the JSON Keras writes for it (keras.optimizers.schedules.serialize(schedule), the older
{"class_name", "config"} form without "module"/"registered_name", an optimizer's get_config(), or
keras.optimizers.serialize(optimizer)), and at each listed step:

- keras: the rate Keras 3 computes at that optimizer step, the schedule called as model.fit calls it (jax.jit, an
  int32 step: the optimizer's `iterations`); for optimizer cases, optimizer._get_current_learning_rate() after
  optimizer.iterations.assign(step), eagerly.
- exact: the same formula evaluated here independently, in double precision, with every floor/ceil/cycle index
  found by exact rational arithmetic (fractions.Fraction) on the configuration's values. As Keras does (and
  KerasSchedules with it), decay_rate of ExponentialDecay and t_mul, m_mul of CosineDecayRestarts are taken at
  their float32 values (Keras casts them to float32 and raises them to powers that grow with the step).
- flag: "." Keras within 1e-6 of the scale of exact, the scale being the larger of the case's scale (its largest
  rate parameter: initial_learning_rate, end_learning_rate, warmup_target, values) and |exact| (for rates that grow);
  "f" further off because of Keras's float32 arithmetic (bound: how much exact changes when the step, or the fraction
  of the decay or cycle done, moves by a relative 2^-21, about 8 float32 roundings; in CosineDecayRestarts the
  position in the cycle moves by 2^-21 of step / first_decay_steps + t^i / (t - 1), the float32 quantities Keras
  subtracts (for t_mul near 1 that cancellation costs Keras digits: t_mul=1.01 is off by 3.4e-6 of the rate at
  step 74): Keras must be within 1e-6 of the scale + bound; e.g. under jax.jit PolynomialDecay(power=0.5) ends at 0.0100134 instead of 0.01: XLA divides by
  multiplying with the reciprocal, so its last fraction is 1 - 2^-25, and the square root magnifies that); "b" Keras's float32 arithmetic put the
  step into the neighbouring piece (a restart, a cycle multiple, a stair), which a step moved by a relative 2^-18
  would also reach (Keras's float32 log in CosineDecayRestarts errs by about i * 2^-23 in the cycle index i, which
  moves a restart by up to a relative 2^-19 of the step): there exact is right and Keras is not; "n" Keras gives NaN: PolynomialDecay with a fractional
  power at or past decay_steps (or a multiple of it), where XLA's fraction rounds to just above 1 (for decay_steps
  1000, 1000 * float32(1/1000) = 1 + 2^-24) and a negative base raised to a fractional power is NaN: exact is
  end_learning_rate there. Any other deviation stops this script.

Columns: case, class, form, json, scale, steps, keras, exact, flags, bounds (lists separated by spaces).
"""
import csv
import json
import math
import os
import sys
from fractions import Fraction

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.optimizers import schedules as S  # noqa: E402

assert keras.backend.backend() == "jax", "run with KERAS_BACKEND=jax"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras-3-reference.csv")
MAX_STEP = 2**31 - 1
REL_TOL = 1e-6
PERTURB = 2.0**-21
PIECE_PERTURB = 2.0**-18


def f32(x):
    return float(np.float32(x))


def trunc(x):
    return int(x)  # toward zero, as Keras's cast of a float boundary to the int step


# ----------------------------------------------------------------------------------------------------------------
# Exact formulas: value(s) for a Fraction step s >= 0 (fractional only for the sensitivity bound), piece(s) the
# index of the smooth piece s lies in.
# ----------------------------------------------------------------------------------------------------------------

class Exponential:
    def __init__(self, c):
        self.lr0, self.ds, self.rate, self.stair = c["initial_learning_rate"], Fraction(c["decay_steps"]), \
            f32(c["decay_rate"]), c["staircase"]

    def piece(self, s):
        return math.floor(s / self.ds) if self.stair else 0

    def value(self, s, eps=0.0):
        p = math.floor(s / self.ds) if self.stair else float(s / self.ds) * (1 + eps)
        return self.lr0 * self.rate ** p

    def breaks(self, limit):
        return multiples(self.ds, limit) if self.stair else []


class InverseTime:
    def __init__(self, c):
        self.lr0, self.ds, self.rate, self.stair = c["initial_learning_rate"], Fraction(c["decay_steps"]), \
            c["decay_rate"], c["staircase"]

    def piece(self, s):
        return math.floor(s / self.ds) if self.stair else 0

    def value(self, s, eps=0.0):
        p = math.floor(s / self.ds) if self.stair else float(s / self.ds) * (1 + eps)
        return self.lr0 / (1 + self.rate * p)

    def breaks(self, limit):
        return multiples(self.ds, limit) if self.stair else []


class Piecewise:
    def __init__(self, c):
        self.last = [trunc(b) for b in c["boundaries"]]
        self.values = c["values"]

    def piece(self, s):
        for i, b in enumerate(self.last):
            if s <= b:
                return i
        return len(self.last)

    def value(self, s, eps=0.0):
        return float(self.values[self.piece(s)])

    def breaks(self, limit):
        return [Fraction(b) for b in self.last if 0 <= b <= limit]


class Polynomial:
    def __init__(self, c):
        self.lr0, self.ds, self.end, self.power, self.cycle = c["initial_learning_rate"], \
            Fraction(c["decay_steps"]), c["end_learning_rate"], c["power"], c["cycle"]

    def piece(self, s):
        if self.cycle:
            return 1 if s == 0 else math.ceil(s / self.ds)
        return 0 if s < self.ds else 1

    def value(self, s, eps=0.0):
        if self.cycle:
            p = s / (self.ds * self.piece(s))
        else:
            p = min(s, self.ds) / self.ds
        p = min(1.0, float(p) * (1 + eps))
        return (self.lr0 - self.end) * (1 - p) ** self.power + self.end

    def breaks(self, limit):
        return multiples(self.ds, limit) if self.cycle else [self.ds]


class Cosine:
    def __init__(self, c):
        self.lr0, self.ds, self.alpha = c["initial_learning_rate"], Fraction(c["decay_steps"]), c["alpha"]
        self.target = c.get("warmup_target")
        self.ws = Fraction(c.get("warmup_steps") or 0) if self.target is not None else Fraction(0)

    def piece(self, s):
        return 0 if s < self.ws else (1 if s < self.ws + self.ds else 2)

    def value(self, s, eps=0.0):
        if self.target is None:
            f = min(1.0, float(min(s, self.ds) / self.ds) * (1 + eps))
            return self.lr0 * ((1 - self.alpha) * 0.5 * (1 + math.cos(math.pi * f)) + self.alpha)
        s = min(s, self.ws + self.ds)
        if s < self.ws:
            return (self.target - self.lr0) * float(s / self.ws) * (1 + eps) + self.lr0
        f = min(1.0, float((s - self.ws) / self.ds) * (1 + eps))
        return self.target * ((1 - self.alpha) * 0.5 * (1 + math.cos(math.pi * f)) + self.alpha)

    def breaks(self, limit):
        return [self.ws, self.ws + self.ds]


class Restarts:
    def __init__(self, c):
        self.lr0, self.ds, self.alpha = c["initial_learning_rate"], Fraction(c["first_decay_steps"]), c["alpha"]
        self.t, self.m = Fraction(f32(c["t_mul"])), f32(c["m_mul"])
        self.starts = [Fraction(0)]
        self.lengths = []
        if self.t > 1:
            length = self.ds
            while self.starts[-1] <= MAX_STEP + 1:
                self.lengths.append(length)
                self.starts.append(self.starts[-1] + length)
                length *= self.t

    def cycle(self, s):
        if self.t == 1:
            i = math.floor(s / self.ds)
            return i, i * self.ds, self.ds
        lo, hi = 0, len(self.lengths) - 1
        while lo < hi:  # the last i with starts[i] <= s
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= s:
                lo = mid
            else:
                hi = mid - 1
        return lo, self.starts[lo], self.lengths[lo]

    def piece(self, s):
        return self.cycle(s)[0]

    def value(self, s, eps=0.0):
        i, start, length = self.cycle(s)
        f = float((s - start) / length)
        if eps:
            # Keras's float32 position in cycle i: f = step / first_decay_steps (rounded), minus
            # sum_r = (1 - t^i) / (1 - t) whose rounding is magnified by 1 / (t - 1); both over the cycle's t^i
            t = float(self.t)
            total = float(s / self.ds) + (t ** i / (t - 1) if t != 1 else 0.0)
            f = min(1.0, max(0.0, f + eps * total / t ** i))
        return self.lr0 * ((1 - self.alpha) * self.m ** i * 0.5 * (1 + math.cos(math.pi * f)) + self.alpha)

    def breaks(self, limit):
        if self.t == 1:
            return multiples(self.ds, limit)
        starts = [b for b in self.starts if b <= limit]
        return starts[:40] + starts[40::max(1, len(starts) // 20)]  # t_mul near 1 has a thousand restarts


EXACT = {"ExponentialDecay": Exponential, "InverseTimeDecay": InverseTime, "PiecewiseConstantDecay": Piecewise,
         "PolynomialDecay": Polynomial, "CosineDecay": Cosine, "CosineDecayRestarts": Restarts}


def multiples(ds, limit):
    """The first 30 multiples of ds, then a few far ones (near 2^24 and 2^31), all <= limit."""
    out = [k * ds for k in range(1, 31)]
    for far in (10**4, 10**5, 2**24, 10**8, 2**31 - 2):
        k = math.floor(Fraction(far) / ds)
        out += [k * ds, (k + 1) * ds]
    return [b for b in out if b <= limit]


BASE_STEPS = list(range(0, 41)) + [50, 64, 77, 99, 100, 101, 128, 150, 200, 255, 256, 333, 500, 999, 1000, 1001,
                                   1234, 2000, 4096, 5000, 9999, 10000, 12345, 50000, 100000, 1000003, 2**24 - 1,
                                   2**24 + 1, 123456789, 2**31 - 1]


def steps_for(exact):
    steps = set(BASE_STEPS)
    for b in exact.breaks(MAX_STEP):
        for s in (math.floor(b) - 1, math.floor(b), math.ceil(b), math.ceil(b) + 1):
            if 0 <= s <= MAX_STEP:
                steps.add(s)
    return sorted(steps)


# ----------------------------------------------------------------------------------------------------------------
# Keras's values
# ----------------------------------------------------------------------------------------------------------------

def keras_values(schedule, steps):
    fn = jax.jit(schedule)
    return [float(fn(jnp.int32(s))) for s in steps]


def optimizer_values(optimizer, steps):
    out = []
    for s in steps:
        optimizer.iterations.assign(s)
        out.append(float(optimizer._get_current_learning_rate()))
    return out


def classify(exact, steps, kv, scale):
    exact_values, flags, bounds = [], [], []
    for s, k in zip(steps, kv):
        e = exact.value(Fraction(s))
        exact_values.append(e)
        tol = REL_TOL * max(scale, abs(e))
        if abs(k - e) <= tol:
            flags.append(".")
            bounds.append(0.0)
            continue
        neighbours = [Fraction(s) * (1 - Fraction(PERTURB)), Fraction(s) * (1 + Fraction(PERTURB))]
        same = [n for n in neighbours if exact.piece(n) == exact.piece(Fraction(s))]
        bound = max([abs(exact.value(n) - e) for n in same]
                    + [abs(exact.value(Fraction(s), eps) - e) for eps in (-PERTURB, PERTURB)])
        if math.isnan(k) and isinstance(exact, Polynomial) and exact.power != int(exact.power) \
                and float(Fraction(s) / exact.ds) >= 1:
            flags.append("n")  # XLA's fraction 1 + 2^-24 past the end: a negative base to a fractional power
            bounds.append(0.0)
        elif math.isfinite(k) and abs(k - e) <= tol + bound:
            flags.append("f")
            bounds.append(bound)
        elif any(exact.piece(Fraction(s) * (1 + Fraction(d))) != exact.piece(Fraction(s))
                 for d in (-PIECE_PERTURB, PIECE_PERTURB)):
            flags.append("b")
            bounds.append(bound)
        else:
            raise SystemExit("unexplained deviation at step %d: keras %r exact %r (bound %r) for %s, piece %r"
                             % (s, k, e, bound, type(exact).__name__, exact.piece(Fraction(s))))
    return exact_values, flags, bounds


# ----------------------------------------------------------------------------------------------------------------
# The cases
# ----------------------------------------------------------------------------------------------------------------

def schedule_cases():
    cases = []
    for lr0, ds, rate, stair in [(0.1, 100, 0.96, False), (0.1, 100, 0.96, True), (1e-3, 7, 0.5, False),
                                 (1e-3, 7, 0.5, True), (2.5, 1, 0.9999, False), (2.5, 1, 0.9999, True),
                                 (0.05, 2.5, 0.1, False), (0.05, 2.5, 0.1, True), (0.1, 1000, 1.0, False),
                                 (0.1, 10, 0.0, False), (0.1, 10, 0.0, True), (0.01, 10000000, 1.5, False),
                                 (0.01, 3, 0.3, True), (0.3, 16777217, 0.5, True)]:
        cases.append(S.ExponentialDecay(lr0, ds, rate, staircase=stair))
    for lr0, ds, rate, stair in [(0.1, 1.0, 0.5, False), (0.1, 1.0, 0.5, True), (0.1, 10, 0.5, False),
                                 (0.1, 10, 0.5, True), (1e-2, 333, 3.0, False), (1e-2, 333, 3.0, True),
                                 (0.5, 0.5, 1.0, False), (0.5, 2.5, 1.0, True), (0.1, 100, 0.0, True),
                                 (0.02, 7, 0.01, True)]:
        cases.append(S.InverseTimeDecay(lr0, ds, rate, staircase=stair))
    for b, v in [([100, 110], [1.0, 0.5, 0.1]), ([10], [0.1, 0.01]), ([0, 5], [0.3, 0.2, 0.1]),
                 ([-5.5, 10.7], [0.5, 0.25, 0.125]), ([3, 7, 20, 50, 1000], [0.01, 0.02, 0.05, 0.1, 0.05, 0.001]),
                 ([2**24, 2**31 - 2], [0.1, 0.01, 0.001]), ([1, 2], [1, 0, 2]), ([-1, 2147483646], [0.5, 0.4, 0.3])]:
        cases.append(S.PiecewiseConstantDecay(b, v))
    for lr0, ds, end, power, cycle in [(0.1, 100, 1e-4, 1.0, False), (0.1, 100, 1e-4, 1.0, True),
                                       (0.1, 100, 0.01, 0.5, False), (0.1, 100, 0.01, 0.5, True),
                                       (0.1, 7, 0.0, 2.0, False), (0.1, 7, 0.0, 2.0, True),
                                       (0.01, 1, 0.001, 3.7, True), (0.05, 2.5, 0.0, 1.0, False),
                                       (0.05, 2.5, 0.005, 1.5, True), (0.01, 50, 0.1, 1.0, False),
                                       (0.01, 50, 0.1, 0.7, True), (0.1, 10, 0.02, 0.0, False),
                                       (0.1, 10, 0.02, 0.0, True), (0.2, 1000, 1e-4, 0.9, False),
                                       (0.02, 16777216, 0.0, 1.0, True)]:
        cases.append(S.PolynomialDecay(lr0, ds, end_learning_rate=end, power=power, cycle=cycle))
    for lr0, ds, alpha, target, ws in [(0.1, 100, 0.0, None, 0), (0.1, 100, 0.1, None, 0), (0.1, 7, 0.0, None, 0),
                                       (0.1, 1, 0.0, None, 0), (0.1, 1000, 1.5, None, 0), (0.0, 100, 0.0, 0.1, 10),
                                       (0.0, 100, 0.1, 0.1, 10), (0.01, 50, 0.0, 0.1, 1), (0.2, 30, 0.05, 0.1, 20),
                                       (0.05, 100, 0.0, 0.1, 0), (0.1, 40, 0.0, None, 5), (1e-4, 3000, 0.01, 3e-3, 250)]:
        cases.append(S.CosineDecay(lr0, ds, alpha=alpha, warmup_target=target, warmup_steps=ws))
    for lr0, ds, t, m, alpha in [(0.1, 10, 2.0, 1.0, 0.0), (0.1, 10, 2.0, 0.5, 0.0), (0.1, 10, 2.0, 0.5, 0.1),
                                 (0.1, 1, 3.0, 1.0, 0.0), (0.1, 1, 3.0, 0.9, 0.2), (0.1, 7, 1.0, 1.0, 0.0),
                                 (0.1, 7, 1.0, 0.8, 0.1), (0.1, 5, 1.5, 0.9, 0.01), (0.1, 10, 1.1, 0.95, 0.0),
                                 (0.1, 10, 1.1, 0.95, 0.05), (0.1, 3, 2.5, 0.0, 0.1), (0.1, 100, 2.0, 1.2, 0.0),
                                 (0.1, 20, 2.0, 1.0, 0.5), (0.1, 10, 2.0, 0.7, 1.5), (1e-3, 1000, 2.0, 0.9, 0.01),
                                 (0.1, 10, 1.01, 0.999, 0.1), (0.1, 1, 2.0, 0.5, 0.1), (0.1, 4, 1.0, 0.999, 0.0)]:
        cases.append(S.CosineDecayRestarts(lr0, ds, t_mul=t, m_mul=m, alpha=alpha))
    return cases


def optimizer_cases():
    return [
        ("optimizer.get_config", keras.optimizers.Adam(
            learning_rate=S.CosineDecay(0.0, 100, alpha=0.1, warmup_target=0.01, warmup_steps=10))),
        ("optimizer.get_config", keras.optimizers.SGD(
            learning_rate=S.PiecewiseConstantDecay([20, 40], [0.1, 0.01, 0.001]), momentum=0.9)),
        ("serialize(optimizer)", keras.optimizers.RMSprop(
            learning_rate=S.ExponentialDecay(0.01, 10, 0.9, staircase=True))),
        ("serialize(optimizer)", keras.optimizers.AdamW(
            learning_rate=S.CosineDecayRestarts(0.001, 10, t_mul=2.0, m_mul=0.8, alpha=0.1))),
    ]


def main():
    rows = []
    limit_optimizer_steps = list(range(0, 25)) + [30, 31, 70, 71, 150, 1000]
    cases = [("serialize", s, None) for s in schedule_cases()]
    # the older {"class_name", "config"} form (tf.keras before 2.13): the same dict without module/registered_name
    cases += [("class_name+config", s, None) for s in (S.PolynomialDecay(0.1, 50, 0.0, power=2.0, cycle=True),
                                                        S.CosineDecayRestarts(0.1, 5, t_mul=2.0, m_mul=0.9, alpha=0.1),
                                                        S.InverseTimeDecay(0.1, 10, 0.5, staircase=True))]
    cases += [(form, opt._learning_rate, opt) for form, opt in optimizer_cases()]
    for n, (form, schedule, optimizer) in enumerate(cases, start=1):
        serialized = S.serialize(schedule)
        if form == "class_name+config":
            serialized = {"class_name": serialized["class_name"], "config": serialized["config"]}
        elif form == "optimizer.get_config":
            serialized = optimizer.get_config()
        elif form == "serialize(optimizer)":
            serialized = keras.optimizers.serialize(optimizer)
        config = S.serialize(schedule)["config"]
        class_name = type(schedule).__name__
        exact = EXACT[class_name](config)
        steps = steps_for(exact) if optimizer is None else limit_optimizer_steps
        kv = keras_values(schedule, steps)
        if optimizer is not None:
            ov = optimizer_values(optimizer, steps)
            # eager (the optimizer) and jit (model.fit) differ by a float32 rounding or two
            assert all(abs(a - b) <= 2.0**-21 * abs(b) for a, b in zip(ov, kv)), (ov, kv)
            kv = ov
        rates = [v for k, v in config.items() if k in ("initial_learning_rate", "end_learning_rate", "warmup_target")
                 and v is not None] + list(config.get("values", []))
        scale = max(abs(r) for r in rates)
        ev, flags, bounds = classify(exact, steps, kv, scale)
        rows.append([n, class_name, form, json.dumps(serialized), repr(scale), " ".join(map(str, steps)),
                     " ".join(repr(v) for v in kv), " ".join(repr(v) for v in ev), " ".join(flags),
                     " ".join(repr(b) for b in bounds)])
        print("case %d %s %s: %d steps, %d float32, %d boundary" % (n, class_name, form, len(steps),
                                                                     flags.count("f"), flags.count("b")),
              file=sys.stderr)
    tmp = OUT + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "class", "form", "json", "scale", "steps", "keras", "exact", "flags", "bounds"])
        w.writerows(rows)
    os.replace(tmp, OUT)
    print("wrote %s (%d cases, keras %s, jax %s)" % (OUT, len(rows), keras.__version__, jax.__version__),
          file=sys.stderr)


if __name__ == "__main__":
    main()
