"""Linear baselines for `pnpm bench regression`: scikit-learn's ridge (alpha by 5-fold CV on train) and
ordinary least squares, fitted on exactly the rows and encoded features Kiln trained on.

Reads JSON on stdin: {"width": w, "train": {"x": [...], "y": [...]}, "test": {...}} (x row-major, features
already standardized / one-hot on the train split by Kiln, y in the target's units). Prints JSON test RMSEs.
Needs Debian's /usr/bin/python3 with python3-sklearn.
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LinearRegression, RidgeCV


def arrays(part, width):
    return np.asarray(part["x"], dtype=np.float64).reshape(-1, width), np.asarray(part["y"], dtype=np.float64)


def main():
    data = json.load(sys.stdin)
    xtr, ytr = arrays(data["train"], data["width"])
    xte, yte = arrays(data["test"], data["width"])
    out = {}
    for name, model in (("ridge", RidgeCV(alphas=np.logspace(-3, 3, 13), cv=5)), ("linear", LinearRegression())):
        model.fit(xtr, ytr)
        out[name] = float(np.sqrt(np.mean((model.predict(xte) - yte) ** 2)))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
