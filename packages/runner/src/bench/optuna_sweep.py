#!/usr/bin/python3
"""Optuna 3.1 tuning a Kiln pipeline: the objective runs `kiln train` (the same training a Kiln sweep trial runs).

For `pnpm bench sweep-vs-optuna` (bench/sweep-vs-optuna.ts). Each trial suggests the learning rate, the hidden
width and the dropout rate from the same ranges as the Kiln sweep, trains with `kiln train FILE --set ... --json`
and returns its val.accuracy (the kept model's, as a sweep trial scores it). `--parallel N` runs N trials at a time
(study.optimize n_jobs, threads each waiting on its own kiln process). Prints one JSON line:
{"seed", "best", "values": [val.accuracy per trial in order], "seconds"}.

Run:  /usr/bin/python3 optuna_sweep.py --kiln BIN --pipeline FILE --store URL --trials 24 --parallel 4 --seed 0 [--set PATH=VALUE ...]
"""
import argparse
import json
import subprocess
import sys
import time
import warnings

import optuna

# The search space of the Kiln sweep (sweep-vs-optuna.ts writes the same ranges into the pipeline).
SPACE = {
    "train.optimizer.learningRate": ("log", 1e-4, 0.3),
    "model.layers[1].units": ("intlog", 16, 512),
    "model.layers[2].rate": ("float", 0.0, 0.6),
}


def suggest(trial, name):
    kind, lo, hi = SPACE[name]
    if kind == "log":
        return trial.suggest_float(name, lo, hi, log=True)
    if kind == "intlog":
        return trial.suggest_int(name, lo, hi, log=True)
    return trial.suggest_float(name, lo, hi)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--pipeline", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--trials", type=int, default=24)
    ap.add_argument("--parallel", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")

    def objective(trial):
        sets = [f"{name}={json.dumps(suggest(trial, name))}" for name in SPACE] + args.set
        cmd = [args.node, args.kiln, "train", args.pipeline, "--store", args.store, "--json", "--quiet"]
        for s in sets:
            cmd += ["--set", s]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(f"trial {trial.number} failed ({r.returncode}): {r.stderr[-500:]}\n")
            return float("nan")
        return json.loads(r.stdout)["metrics"]["val"]["accuracy"]

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed))
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=args.trials, n_jobs=args.parallel)
    values = [t.value for t in sorted(study.trials, key=lambda t: t.number)]
    finite = [v for v in values if v is not None and v == v]
    print(json.dumps({"seed": args.seed, "best": max(finite) if finite else None, "values": values, "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
