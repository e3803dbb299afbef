"""Randomization inference by hand in numpy: re-draw the blocked assignment (complete randomisation
within block) and refit y ~ z + x1 + x2 + block indicators with lstsq. The indicators are absorbed once
by demeaning within block (Frisch-Waugh-Lovell; a within-block re-draw leaves each block's mean of z
unchanged), so each refit has 3 columns.

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
block = pd.factorize(d["block"])[0]
counts = np.bincount(block)


def within(v):
    return v - (np.bincount(block, weights=v) / counts)[block]


z = d["z"].to_numpy(float)
zmean = (np.bincount(block, weights=z) / counts)[block]
y = within(d["y"].to_numpy(float))
X = np.column_stack([z - zmean, within(d["x1"].to_numpy(float)), within(d["x2"].to_numpy(float))])


def beta_z(X):
    if use_sm:
        return sm.OLS(y, X).fit().params[0]
    return np.linalg.lstsq(X, y, rcond=None)[0][0]


obs = beta_z(X)
zsorted = z[np.argsort(block, kind="stable")]
sims = np.empty(perms)
n = len(y)
for i in range(perms):
    o = np.lexsort((rng.random(n), block))  # grouped by block, random order within block
    X[o, 0] = zsorted - zmean[o]
    sims[i] = beta_z(X)
p = float(np.mean(np.abs(sims) >= abs(obs) - 1.5e-8 * max(1.0, abs(obs))))
print(json.dumps({"estimate": float(obs), "p_value": p, "permutations": perms,
                  "seconds_compute": round(time.perf_counter() - t0, 4)}))
