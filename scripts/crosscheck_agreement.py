#!/usr/bin/env python3
"""Cross-check `stance agree --table` against independent Python implementations.

Generates random reliability tables (2-6 coders, 5-150 units, 1-6 categories, 0-90% missing,
all four levels), writes each as a long CSV in shuffled row order, runs
`stance agree --table FILE --format json --bootstrap 0` and compares with:

  krippendorff_alpha   krippendorff.alpha (the `krippendorff` package)
  fleiss_kappa         statsmodels fleiss_kappa on the units rated by every coder
  cohen_kappa(_mean)   sklearn cohen_kappa_score per pair of coders (mean over defined pairs)
  gwet_ac1             irrCAC (Gwet's package) CAC.gwet(), if installed
  percent_agreement    a direct transcription of the definition (no library has it)

Prints the largest absolute difference per statistic and every case where one side is
undefined and the other is not. Exit status 1 if any difference exceeds --tolerance.

    pip install krippendorff statsmodels scikit-learn pandas irrCAC
    cargo build --release --no-default-features
    python3 scripts/crosscheck_agreement.py --tables 500
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pandas as pd
import krippendorff
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

try:
    from irrCAC.raw import CAC
except ImportError:  # AC1 is then only checked by the Rust unit tests
    CAC = None

LEVELS = ["nominal", "ordinal", "interval", "ratio"]


def random_table(rng):
    """Units x coders, NaN = missing, values on a scale of k numbers (quarters).

    One table in ten has a single category and one in five is very sparse, so that the
    undefined cases (no pairable unit, no shared unit, chance agreement one) come up too.
    """
    coders = int(rng.integers(2, 7))
    units = int(rng.integers(5, 151))
    k = 1 if rng.random() < 0.1 else int(rng.integers(2, 7))
    missing = rng.uniform(0.4, 0.9) if rng.random() < 0.2 else rng.uniform(0.0, 0.4)
    agreement = rng.uniform(0.0, 1.0)
    scale = np.sort(rng.choice(np.arange(1, 60), size=k, replace=False)) / 4.0
    truth = rng.integers(0, k, units)
    noise = rng.integers(0, k, (units, coders))
    keep = rng.random((units, coders)) < agreement
    idx = np.where(keep, truth[:, None], noise)
    values = scale[idx].astype(float)
    values[rng.random((units, coders)) < missing] = np.nan
    # Units and coders without any rating cannot appear in a long table; drop them here too.
    values = values[~np.all(np.isnan(values), axis=1)]
    values = values[:, ~np.all(np.isnan(values), axis=0)]
    return values


def write_csv(values, path, rng):
    rows = [
        (f"u{u}", f"coder-{c}", f"{values[u, c]:g}")
        for u in range(values.shape[0])
        for c in range(values.shape[1])
        if not np.isnan(values[u, c])
    ]
    order = rng.permutation(len(rows))
    with open(path, "w", encoding="utf-8") as f:
        f.write("unit,coder,value\n")
        for i in order:
            f.write(",".join(rows[i]) + "\n")


def defined(x):
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def percent_agreement(values):
    shares = []
    for row in values:
        rated = row[~np.isnan(row)]
        m = len(rated)
        if m < 2:
            continue
        _, counts = np.unique(rated, return_counts=True)
        shares.append(float(np.sum(counts * (counts - 1))) / (m * (m - 1)))
    return float(np.mean(shares)) if shares else None


def reference(values, level):
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out["krippendorff_alpha"] = float(
                krippendorff.alpha(reliability_data=values.T, level_of_measurement=level)
            )
        except (ValueError, ZeroDivisionError):
            out["krippendorff_alpha"] = None
        complete = values[~np.any(np.isnan(values), axis=1)]
        if values.shape[1] >= 2 and len(complete) > 0:
            codes = np.searchsorted(np.unique(complete), complete)
            table, _ = aggregate_raters(codes)
            out["fleiss_kappa"] = float(fleiss_kappa(table, method="fleiss"))
        else:
            out["fleiss_kappa"] = None
        kappas = []
        for a in range(values.shape[1]):
            for b in range(a + 1, values.shape[1]):
                both = ~np.isnan(values[:, a]) & ~np.isnan(values[:, b])
                if both.sum() == 0:
                    continue
                x, y = values[both, a].astype(str), values[both, b].astype(str)
                if len(set(x) | set(y)) < 2:
                    continue  # chance agreement is 1: undefined in stance, nan in sklearn
                kappas.append(float(cohen_kappa_score(x, y)))
        kappas = [k for k in kappas if defined(k)]
        key = "cohen_kappa" if values.shape[1] == 2 else "cohen_kappa_mean"
        out[key] = float(np.mean(kappas)) if kappas else None
        out["percent_agreement"] = percent_agreement(values)
        if CAC is not None and len(np.unique(values[~np.isnan(values)])) >= 2:
            frame = pd.DataFrame(values)
            out["gwet_ac1"] = float(CAC(frame, digits=15).gwet()["est"]["coefficient_value"])
        elif CAC is not None:
            out["gwet_ac1"] = None
    return out


def run_stance(binary, path, level):
    result = subprocess.run(
        [binary, "agree", "--table", path, "--level", level, "--format", "json",
         "--bootstrap", "0"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"stance failed on {path}: {result.stderr}")
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--tolerance", type=float, default=1e-9)
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(here, "..", "target"))
    parser.add_argument("--stance", default=os.path.join(target, "release", "stance"))
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    worst = {}
    compared = {}
    both_undefined = {}
    disagreements = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.tables):
            values = random_table(rng)
            level = LEVELS[i % len(LEVELS)]
            path = os.path.join(tmp, f"t{i}.csv")
            write_csv(values, path, rng)
            ours = run_stance(args.stance, path, level)
            for key, theirs in reference(values, level).items():
                mine = ours.get(key)
                if defined(mine) != defined(theirs):
                    disagreements.append((i, level, key, mine, theirs,
                                          ours.get(f"{key}_undefined_reason")))
                    continue
                if defined(mine):
                    diff = abs(mine - theirs)
                    worst[key] = max(worst.get(key, 0.0), diff)
                    compared[key] = compared.get(key, 0) + 1
                else:
                    both_undefined[key] = both_undefined.get(key, 0) + 1

    print(f"{args.tables} random tables, seed {args.seed}, levels cycled {', '.join(LEVELS)}\n")
    print("| statistic | both defined | max abs difference | both undefined | reference |")
    print("|---|---:|---:|---:|---|")
    refs = {
        "krippendorff_alpha": "krippendorff.alpha",
        "fleiss_kappa": "statsmodels fleiss_kappa",
        "cohen_kappa": "sklearn cohen_kappa_score",
        "cohen_kappa_mean": "mean of sklearn cohen_kappa_score",
        "percent_agreement": "definition, in Python",
        "gwet_ac1": "irrCAC CAC.gwet",
    }
    for key in refs:
        if key in compared:
            print(f"| {key} | {compared[key]} | {worst[key]:.3g} | "
                  f"{both_undefined.get(key, 0)} | {refs[key]} |")
    if CAC is None:
        print("\n(irrCAC not installed: gwet_ac1 not compared)")
    for d in disagreements:
        print("defined on one side only: table %d (%s) %s: stance %r, python %r (%s)" % d)
    bad = [k for k, v in worst.items() if v > args.tolerance]
    if bad or disagreements:
        print(f"\nFAILED: {bad or ''} {len(disagreements)} definedness mismatches")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
