"""scikit-learn baselines on exactly the rows of a Kiln run: a linear model (logistic regression or ridge)
and a random forest, fitted on the run's train rows and scored on its test rows, next to Kiln's own numbers.

    /usr/bin/python3 scripts/baseline/sklearn_baseline.py PIPELINE.yaml SPLIT.json [KILN_RESULT.json] [--json]

PIPELINE.yaml is the pipeline the run trained (a csv, jsonl or json source); SPLIT.json is the run's split
artifact (`<artifacts>/<run-id>/split.json`: source row numbers per split, 0-based, header excluded, the way
pandas numbers rows); KILN_RESULT.json is `kiln train --json`'s output, whose test metrics are printed beside.
`pnpm bench baseline` runs all of it for the example pipelines.

The data is read and preprocessed here, independently of Kiln, with the same intent: numeric columns
standardized on train (missing cells filled with the train mean), categories one-hot (unseen -> all zeros),
dates as elapsed time scaled by the train range plus sin/cos of the calendar parts the pipeline asks for,
text as TF-IDF over the vocabulary size. Needs Debian's python3-sklearn, python3-pandas and python3-yaml.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error, r2_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

# Kiln's default missing markers (packages/core/src/catalog/missing.ts), matched after trimming, ignoring case.
MISSING = {"", "na", "n/a", "null", "nan", "?", "#n/a"}
DEFAULT_ENCODINGS = ["elapsed", "month", "dayOfWeek"]
# Kiln date-format tokens -> strptime directives, longest first.
TOKENS = [("YYYY", "%Y"), ("MMMM", "%B"), ("MMM", "%b"), ("SSS", "%f"), ("YY", "%y"), ("MM", "%m"), ("DD", "%d"), ("HH", "%H"),
          ("hh", "%I"), ("mm", "%M"), ("ss", "%S"), ("M", "%m"), ("D", "%d"), ("H", "%H"), ("h", "%I"), ("A", "%p"), ("Z", "%z")]


def strptime_format(fmt):
    out, i = "", 0
    while i < len(fmt):
        if fmt[i] == "[":
            end = fmt.index("]", i)
            out += fmt[i + 1:end].replace("%", "%%")
            i = end + 1
            continue
        for token, directive in TOKENS:
            if fmt.startswith(token, i):
                out += directive
                i += len(token)
                break
        else:
            out += fmt[i].replace("%", "%%")
            i += 1
    return out


def read_source(pipeline_path, source):
    path = os.path.join(os.path.dirname(os.path.abspath(pipeline_path)), source["path"])
    if source["type"] == "csv":
        # everything as text, as Kiln reads it; missing markers decided below
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if source["type"] == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if source["type"] == "json":
        return pd.read_json(path, dtype=False)
    sys.exit(f"sklearn_baseline: source type {source['type']} is not supported (csv, jsonl, json)")


def missing_mask(col, markers=None):
    marks = MISSING if markers is None else {m.strip().lower() for m in markers} | {""}
    return col.isna() | col.astype(str).str.strip().str.lower().isin(marks)


def as_numbers(col, markers):
    return pd.to_numeric(col.where(~missing_mask(col, markers)), errors="raise").astype(float)


def date_parts(col, fmt):
    """Wall-clock parts as written (zone kept for the instant), like Kiln's date feature."""
    text = col.astype(str).str.strip()
    if fmt is None:
        stamps = [pd.Timestamp(v) for v in text]
    else:
        stamps = [pd.Timestamp(pd.to_datetime(v, format=strptime_format(fmt))) for v in text]
    instants = np.array([(s.tz_convert("UTC").tz_localize(None) if s.tzinfo else s).value / 1e6 for s in stamps])
    return stamps, instants


def date_columns(stamps, instants, encodings, t_min, t_range):
    cols = []
    for e in encodings:
        if e == "elapsed":
            cols.append((instants - t_min) / (t_range or 86_400_000))
            continue
        if e == "month":
            f = np.array([(s.month - 1) / 12 for s in stamps])
        elif e == "dayOfWeek":
            f = np.array([s.weekday() / 7 for s in stamps])
        elif e == "dayOfYear":
            f = np.array([(s.dayofyear - 1) / (366 if s.is_leap_year else 365) for s in stamps])
        else:
            f = np.array([(s.hour + s.minute / 60 + s.second / 3600) / 24 for s in stamps])
        cols += [np.sin(2 * math.pi * f), np.cos(2 * math.pi * f)]
    return np.column_stack(cols)


def features(df, spec, train_rows):
    """A dense matrix per split-independent column block, and the sklearn transformers to fit on train."""
    blocks, frame = [], pd.DataFrame(index=df.index)
    for f in spec["data"]["features"]:
        name, kind = f["name"], f["type"]
        markers = f.get("missingValues", spec["data"]["source"].get("missingValues"))
        if kind == "numeric":
            frame[name] = as_numbers(df[name], markers)
            blocks.append((name, make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), [name]))
        elif kind == "category":
            values = df[name].astype(str).str.strip()
            frame[name] = values.where(~missing_mask(df[name], markers), "<missing>")
            blocks.append((name, OneHotEncoder(handle_unknown="ignore", sparse_output=False), [name]))
        elif kind == "date":
            stamps, instants = date_parts(df[name], f.get("format"))
            train_t = instants[train_rows]
            enc = date_columns(stamps, instants, f.get("encodings", DEFAULT_ENCODINGS), train_t.min(), train_t.max() - train_t.min())
            for k in range(enc.shape[1]):
                frame[f"{name}#{k}"] = enc[:, k]
            blocks.append((name, "passthrough", [f"{name}#{k}" for k in range(enc.shape[1])]))
        elif kind == "text":
            frame[name] = df[name].astype(str)
            blocks.append((name, TfidfVectorizer(max_features=f.get("vocabSize", 10000), lowercase=f.get("lowercase", True)), name))
        else:
            sys.exit(f"sklearn_baseline: feature type {kind} is not supported")
    return frame, ColumnTransformer(blocks, sparse_threshold=0)


def classification_metrics(y_true, pred, proba, classes, positive):
    out = {"accuracy": accuracy_score(y_true, pred), "f1": f1_score(y_true, pred, average="macro", zero_division=0),
           "f1Weighted": f1_score(y_true, pred, average="weighted", zero_division=0)}
    if len(classes) == 2:
        out["auc"] = roc_auc_score(y_true == positive, proba[:, list(classes).index(positive)])
    return out


def regression_metrics(y_true, pred):
    return {"rmse": math.sqrt(mean_squared_error(y_true, pred)), "mae": mean_absolute_error(y_true, pred), "r2": r2_score(y_true, pred)}


def run(pipeline_path, split_path):
    spec = yaml.safe_load(open(pipeline_path))
    split = json.load(open(split_path))
    seed = spec.get("seed", 42)
    df = read_source(pipeline_path, spec["data"]["source"]).reset_index(drop=True)
    train_rows, test_rows = np.array(split["train"], dtype=int), np.array(split["test"], dtype=int)
    frame, transformer = features(df, spec, train_rows)
    target = spec["data"]["target"]
    x_train = transformer.fit_transform(frame.iloc[train_rows])
    x_test = transformer.transform(frame.iloc[test_rows])
    if target["type"] == "regression":
        y = as_numbers(df[target["name"]], None).to_numpy()
        models = {"linear (ridge)": RidgeCV(alphas=np.logspace(-3, 3, 13)), "random forest": RandomForestRegressor(n_estimators=300, random_state=seed, n_jobs=-1)}
        results = {}
        for label, model in models.items():
            model.fit(x_train, y[train_rows])
            results[label] = regression_metrics(y[test_rows], model.predict(x_test))
        return results
    y = df[target["name"]].astype(str).str.strip().to_numpy()
    classes = sorted(set(y[train_rows]))
    positive = str(target.get("positive", classes[-1]))
    models = {"linear (logistic)": LogisticRegression(max_iter=5000), "random forest": RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=-1)}
    results = {}
    for label, model in models.items():
        model.fit(x_train, y[train_rows])
        results[label] = classification_metrics(y[test_rows], model.predict(x_test), model.predict_proba(x_test), model.classes_, positive)
    return results


def main(argv):
    args = [a for a in argv if a != "--json"]
    if len(args) < 2:
        sys.exit(__doc__)
    results = run(args[0], args[1])
    if len(args) > 2:
        kiln = json.load(open(args[2]))["metrics"]["test"]
        results = {"kiln": {k: v for k, v in kiln.items() if k != "loss"}, **results}
    if "--json" in argv:
        json.dump(results, sys.stdout)
        return
    names = sorted({k for r in results.values() for k in r})
    print(f"{'test':20}" + "".join(f"{n:>12}" for n in names))
    for label, metrics in results.items():
        print(f"{label:20}" + "".join(f"{metrics[n]:12.4f}" if n in metrics else f"{'':>12}" for n in names))


if __name__ == "__main__":
    main(sys.argv[1:])
