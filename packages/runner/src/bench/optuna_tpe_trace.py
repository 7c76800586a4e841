#!/usr/bin/python3
"""Optuna 3.1's TPE proposals, trial by trial, for the reproduction test of Kiln's TPE modes.

Kiln's sweep/samplers/optuna-trace.test.ts feeds Kiln's TPE the random streams Optuna uses (numpy
RandomState(seed) for the start-up RandomSampler and another for the model) and checks that it proposes what
Optuna proposed. This script writes those proposals: Branin, one study per mode,
  default          study.optimize with TPESampler() (univariate);
  multivariate     study.optimize with TPESampler(multivariate=True);
  parallel-liar    4 simulated workers through ask/tell (the oldest pending trial is told first), constant_liar=True.
Prints one JSON object {"seed", "trials", "modes": {mode: [[x1, x2] per trial in order]}}.

Run:  /usr/bin/python3 optuna_tpe_trace.py [--seed 0] [--trials 30] > ../sweep/samplers/optuna31-trace.json
"""
import argparse
import json
import warnings

import optuna

from optuna_tpe_modes import FUNCS, run_study


def trace(mode, seed, n_trials):
    _, space = FUNCS["branin"]
    study = run_study("branin", mode, seed, n_trials)
    return [[t.params[name] for name, _, _ in space] for t in sorted(study.trials, key=lambda t: t.number)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--trials", type=int, default=30)
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    modes = {mode: trace(mode, args.seed, args.trials) for mode in ("default", "multivariate", "parallel-liar")}
    print(json.dumps({"seed": args.seed, "trials": args.trials, "modes": modes}))


if __name__ == "__main__":
    main()
