"""Randomization inference with pyfixest's ritest (randomization-c, the fast algorithm when numba is
present). Note: ritest re-draws the treatment over all units (it has clusters but no strata), so its
assignment procedure is not the blocked one the other tools use.
Usage: python ri_pyfixest.py DATA.csv PERMUTATIONS SEED"""
import json
import sys
import time

import numpy as np
import pandas as pd
import pyfixest as pf

path, perms, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = pd.read_csv(path)
# Warm-up: the first fit and the first ritest compile numba kernels (tens of seconds in a fresh
# process); they are in the wall time but not in seconds_compute, which measures a warm session.
t0 = time.perf_counter()
pf.feols("y ~ z + x1 + x2", data=d).ritest("z", reps=10, rng=np.random.default_rng(0), type="randomization-c")
warmup = time.perf_counter() - t0
t0 = time.perf_counter()
fit = pf.feols("y ~ z + x1 + x2", data=d)
res = fit.ritest("z", reps=perms, rng=np.random.default_rng(seed), type="randomization-c")
print(json.dumps({"estimate": float(fit.coef()["z"]), "p_value": float(res["Pr(>|t|)"]),
                  "permutations": perms, "seconds_compute": round(time.perf_counter() - t0, 4),
                  "seconds_warmup": round(warmup, 4)}))
