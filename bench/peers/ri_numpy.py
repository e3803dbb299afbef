"""Randomization inference by hand in numpy: re-draw the blocked assignment, refit OLS with lstsq.

Usage: python ri_numpy.py DATA.csv PERMUTATIONS SEED [statsmodels]
With the fourth argument the refit uses statsmodels.OLS instead of numpy.linalg.lstsq.
"""
import json
import sys
import time

import numpy as np
import pandas as pd

path, perms, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
use_sm = len(sys.argv) > 4 and sys.argv[4] == "statsmodels"
if use_sm:
    import statsmodels.api as sm
d = pd.read_csv(path)
t0 = time.perf_counter()
rng = np.random.default_rng(seed)
y = d["y"].to_numpy(float)
X = np.column_stack([np.ones(len(d)), d["z"].to_numpy(float), d["x1"].to_numpy(float), d["x2"].to_numpy(float)])
block = pd.factorize(d["block"])[0]


def beta_z(X):
    if use_sm:
        return sm.OLS(y, X).fit().params[1]
    return np.linalg.lstsq(X, y, rcond=None)[0][1]


obs = beta_z(X)
zsorted = X[np.argsort(block, kind="stable"), 1].copy()
sims = np.empty(perms)
n = len(y)
for i in range(perms):
    o = np.lexsort((rng.random(n), block))  # grouped by block, random order within block
    X[o, 1] = zsorted
    sims[i] = beta_z(X)
p = float(np.mean(np.abs(sims) >= abs(obs) - 1e-12))
print(json.dumps({"estimate": float(obs), "p_value": p, "permutations": perms,
                  "seconds_compute": round(time.perf_counter() - t0, 4)}))
