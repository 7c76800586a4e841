#!/usr/bin/python3
"""Optuna 3.1's TPE modes for `pnpm bench tpe --with-optuna` (Kiln's bench/tpe-modes.ts runs the same ones).

Branin and Hartmann6, 50 trials per study, one study per seed. Modes:
  default, multivariate       sequential studies (study.optimize);
  parallel, parallel-liar     4 simulated workers through ask/tell: the first 4 trials are asked at once, then
                              the oldest pending trial is told and a new one asked, so every proposal after the
                              third is made while 3 trials are pending; parallel-liar sets constant_liar=True.
Prints one JSON line per function x mode: {"function", "mode", "per_seed_best": [best after 50 trials per seed]}.

Run:  /usr/bin/python3 optuna_tpe_modes.py [--seeds 0-9] [--trials 50]
"""
import argparse
import collections
import json
import math
import warnings

import numpy as np
import optuna

WORKERS = 4


def branin(x1, x2):
    a, b, c = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi
    r, s, t = 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
H6_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
H6_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                        [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])


def hartmann6(*x):
    x = np.asarray(x)
    return float(-np.sum(H6_ALPHA * np.exp(-np.sum(H6_A * (x - H6_P) ** 2, axis=1))))


FUNCS = {
    "branin": (branin, [("x1", -5.0, 10.0), ("x2", 0.0, 15.0)]),
    "hartmann6": (hartmann6, [(f"x{i}", 0.0, 1.0) for i in range(1, 7)]),
}
MODES = {
    "default": dict(multivariate=False, constant_liar=False, parallel=False),
    "multivariate": dict(multivariate=True, constant_liar=False, parallel=False),
    "parallel": dict(multivariate=False, constant_liar=False, parallel=True),
    "parallel-liar": dict(multivariate=False, constant_liar=True, parallel=True),
}


def run_study(fname, mode, seed, n_trials):
    """One Optuna study of `mode` on `fname`; parallel modes simulate WORKERS workers through ask/tell (the oldest pending trial is told first)."""
    fn, space = FUNCS[fname]
    m = MODES[mode]
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=m["multivariate"], constant_liar=m["constant_liar"])
    study = optuna.create_study(direction="minimize", sampler=sampler)
    dists = {name: optuna.distributions.FloatDistribution(lo, hi) for name, lo, hi in space}
    value = lambda t: fn(*[t.params[name] for name, _, _ in space])
    if not m["parallel"]:
        study.optimize(lambda t: fn(*[t.suggest_float(name, lo, hi) for name, lo, hi in space]), n_trials=n_trials)
    else:
        pending = collections.deque()
        for _ in range(n_trials):
            if len(pending) == WORKERS:
                t = pending.popleft()
                study.tell(t, value(t))
            pending.append(study.ask(dists))
        while pending:
            t = pending.popleft()
            study.tell(t, value(t))
    return study


def study_best(fname, mode, seed, n_trials):
    return min(t.value for t in run_study(fname, mode, seed, n_trials).trials)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0-9")
    ap.add_argument("--trials", type=int, default=50)
    args = ap.parse_args()
    a, _, b = args.seeds.partition("-")
    seeds = list(range(int(a), int(b or a) + 1))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    for fname in FUNCS:
        for mode in MODES:
            best = [study_best(fname, mode, s, args.trials) for s in seeds]
            print(json.dumps({"function": fname, "mode": mode, "per_seed_best": best}), flush=True)


if __name__ == "__main__":
    main()
