#!/usr/bin/python3
"""Reference trajectories of the `schedulefree` package itself, for dl4j-cosine's schedule-free updaters.

The package (facebookresearch/schedule_free, release 1.4.1 = commit c752e61) is not copied into this
repository. Give this script the folder that holds its `schedulefree/` source directory, e.g. a checkout
of that commit, or files exported from a clone:

    git -C schedule_free show c752e61:schedulefree/adamw_schedulefree.py > SRC/schedulefree/adamw_schedulefree.py
    git -C schedule_free show c752e61:schedulefree/sgd_schedulefree.py   > SRC/schedulefree/sgd_schedulefree.py
    /usr/bin/python3 generate_schedulefree_reference.py SRC

(`pip install --target SRC schedulefree==1.4.1` gives the same two files.) Run with Debian's PyTorch 1.13
(/usr/bin/python3). Only the two optimizer modules are loaded, straight from their files; the script checks
their SHA-256 against the 1.4.1 files and refuses others. It writes, beside itself:

  schedulefree-1.4.1-cases.csv      one row per configuration:
      case, optimizer (adamw | sgd), lr, beta1 (AdamW beta1 / SGD momentum), beta2, eps, weight_decay,
      warmup_steps, r, weight_lr_power, n (parameters), steps, torch (the constructor call)
  schedulefree-1.4.1-reference.csv  one row per parameter per optimizer.step():
      case, step (0-based), i (index), y_before (the parameter before the step), grad (the gradient
      given to that step), y_after (the parameter after the step, train mode), x_after (the same
      parameter in eval mode, read after optimizer.eval())

Not part of the Maven build; the CSVs are committed beside it. Every number is written with repr()
(17 significant digits, round-trips exactly to the same double).

The problem: one float64 parameter vector of n entries, the gradient at step k is that of a diagonal
quadratic plus fixed noise, evaluated at the current (train-mode) parameters:
    grad = h * (y - t) + noise_k
with h, t, noise from a seeded generator, so the gradients depend on the trajectory as in real training
(the test feeds the recorded gradients, it does not recompute them). foreach=False everywhere.

x is read with the package's own eval(); y is then put back bitwise (p.copy_ of the train-mode value) and
the group marked as in train mode again, so the recorded trajectory is the one an uninterrupted training
run takes (train() after eval() would recompute y by a lerp and perturb it by rounding).
"""
import csv
import hashlib
import importlib.util
import os
import sys

import torch

EXPECTED_SHA256 = {
    "adamw_schedulefree.py": "a51a9946b729d3cac96037ecdc0cb626e9278d8a24563c84836ff7d7a2a0cc28",
    "sgd_schedulefree.py": "3dcdfd9d8f9fc378eb91e006eacfc9cc2c33b80b1d289b495439f2c000691e64",
}

N = 5
STEPS = 30

# (case, optimizer, lr, beta1-or-momentum, beta2, eps, weight_decay, warmup_steps, r, weight_lr_power)
CASES = [
    ("adamw-defaults", "adamw", 0.0025, 0.9, 0.999, 1e-8, 0.0, 0, 0.0, 2.0),
    ("adamw-warmup", "adamw", 0.05, 0.9, 0.999, 1e-8, 0.0, 5, 0.0, 2.0),
    ("adamw-r-power", "adamw", 0.03, 0.9, 0.999, 1e-8, 0.0, 3, 1.5, 2.0),
    ("adamw-power0", "adamw", 0.04, 0.9, 0.999, 1e-8, 0.0, 4, 0.0, 0.0),
    ("adamw-decay", "adamw", 0.02, 0.9, 0.999, 1e-8, 0.1, 0, 0.0, 2.0),
    ("adamw-all", "adamw", 0.07, 0.5, 0.9, 1e-3, 0.01, 2, 0.5, 1.0),
    ("adamw-long-warmup", "adamw", 0.1, 0.95, 0.98, 1e-6, 0.05, 10, 2.0, 3.7),
    ("adamw-betas", "adamw", 0.01, 0.99, 0.5, 1e-8, 0.0, 0, 0.0, 2.0),
    ("adamw-large-eps", "adamw", 0.3, 0.8, 0.999, 0.5, 0.2, 7, 0.25, 2.0),
    ("sgd-defaults", "sgd", 1.0, 0.9, None, None, 0.0, 0, 0.0, 2.0),
    ("sgd-warmup", "sgd", 0.3, 0.9, None, None, 0.0, 5, 0.0, 2.0),
    ("sgd-all", "sgd", 0.2, 0.5, None, None, 0.05, 3, 1.0, 0.5),
    ("sgd-high-momentum", "sgd", 0.05, 0.99, None, None, 0.0, 3, 2.0, 3.0),
    ("sgd-decay", "sgd", 0.1, 0.9, None, None, 0.2, 0, 0.0, 2.0),
    ("sgd-power0", "sgd", 0.5, 0.7, None, None, 0.01, 8, 0.0, 0.0),
]


def load(folder, module):
    path = os.path.join(folder, "schedulefree", module)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != EXPECTED_SHA256[module]:
        sys.exit(f"{path}: SHA-256 {digest} is not the one of schedulefree 1.4.1 ({EXPECTED_SHA256[module]})")
    spec = importlib.util.spec_from_file_location("schedulefree_" + module[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: generate_schedulefree_reference.py FOLDER_WITH_schedulefree_SOURCES")
    adamw = load(sys.argv[1], "adamw_schedulefree.py").AdamWScheduleFree
    sgd = load(sys.argv[1], "sgd_schedulefree.py").SGDScheduleFree
    here = os.path.dirname(os.path.abspath(__file__))
    case_rows, rows = [], []
    for index, (case, kind, lr, b1, b2, eps, wd, warmup, r, power) in enumerate(CASES):
        gen = torch.Generator().manual_seed(1000 + index)
        y = torch.randn(N, generator=gen, dtype=torch.float64)
        h = 0.2 + 1.3 * torch.rand(N, generator=gen, dtype=torch.float64)
        t = torch.randn(N, generator=gen, dtype=torch.float64)
        noise = 0.3 * torch.randn(STEPS, N, generator=gen, dtype=torch.float64)
        p = torch.nn.Parameter(y.clone())
        if kind == "adamw":
            call = (f"AdamWScheduleFree([p], lr={lr!r}, betas=({b1!r}, {b2!r}), eps={eps!r}, weight_decay={wd!r}, "
                    f"warmup_steps={warmup}, r={r!r}, weight_lr_power={power!r}, foreach=False)")
            opt = adamw([p], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd, warmup_steps=warmup, r=r,
                        weight_lr_power=power, foreach=False)
        else:
            call = (f"SGDScheduleFree([p], lr={lr!r}, momentum={b1!r}, weight_decay={wd!r}, warmup_steps={warmup}, "
                    f"r={r!r}, weight_lr_power={power!r}, foreach=False)")
            opt = sgd([p], lr=lr, momentum=b1, weight_decay=wd, warmup_steps=warmup, r=r,
                      weight_lr_power=power, foreach=False)
        case_rows.append([case, kind, repr(lr), repr(b1), "" if b2 is None else repr(b2),
                          "" if eps is None else repr(eps), repr(wd), warmup, repr(r), repr(power), N, STEPS, call])
        opt.train()
        for step in range(STEPS):
            before = p.detach().clone()
            grad = h * (before - t) + noise[step]
            p.grad = grad.clone()
            opt.step()
            after = p.detach().clone()
            opt.eval()
            x = p.detach().clone()
            with torch.no_grad():
                p.copy_(after)
            for group in opt.param_groups:
                group["train_mode"] = True
            for i in range(N):
                rows.append([case, step, i, repr(before[i].item()), repr(grad[i].item()),
                             repr(after[i].item()), repr(x[i].item())])
    with open(os.path.join(here, "schedulefree-1.4.1-cases.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "optimizer", "lr", "beta1", "beta2", "eps", "weight_decay", "warmup_steps", "r",
                    "weight_lr_power", "n", "steps", "torch"])
        w.writerows(case_rows)
    with open(os.path.join(here, "schedulefree-1.4.1-reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "step", "i", "y_before", "grad", "y_after", "x_after"])
        w.writerows(rows)
    print(f"{len(case_rows)} cases, {len(rows)} rows, torch {torch.__version__}")


if __name__ == "__main__":
    main()
