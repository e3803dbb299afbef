"""Randomization inference with pyfixest's ritest (randomization-c).

Model y ~ z + x1 + x2 with the blocks either as indicator columns (`dummies`: feols("y ~ z + x1 + x2 +
C(block)"), ritest's fast numba algorithm) or absorbed as fixed effects (`fe`: feols("y ~ z + x1 + x2 |
block"), ritest's slow algorithm: its fast one fails with "Matrix is singular" on absorbed effects in
pyfixest 0.60). Note: ritest re-draws the treatment over all units (it has clusters but no strata), so its
assignment procedure is not the blocked one the other tools use, and its p-value differs.
Usage: python ri_pyfixest.py DATA.csv PERMUTATIONS SEED [dummies|fe]"""
import json
import sys
import time

import numpy as np
import pandas as pd
import pyfixest as pf

path, perms, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mode = sys.argv[4] if len(sys.argv) > 4 else "dummies"
formula = "y ~ z + x1 + x2 + C(block)" if mode == "dummies" else "y ~ z + x1 + x2 | block"
algorithm = "fast" if mode == "dummies" else "slow"
d = pd.read_csv(path)
# Warm-up: the first fit and the first ritest compile numba kernels (seconds to tens of seconds in a
# fresh process); they are in the wall time but not in seconds_compute, which measures a warm session.
t0 = time.perf_counter()
pf.feols(formula, data=d).ritest("z", reps=2, rng=np.random.default_rng(0), type="randomization-c",
                                 choose_algorithm=algorithm)
warmup = time.perf_counter() - t0
t0 = time.perf_counter()
fit = pf.feols(formula, data=d)
res = fit.ritest("z", reps=perms, rng=np.random.default_rng(seed), type="randomization-c", choose_algorithm=algorithm)
print(json.dumps({"estimate": float(fit.coef()["z"]), "p_value": float(res["Pr(>|t|)"]),
                  "permutations": perms, "seconds_compute": round(time.perf_counter() - t0, 4),
                  "seconds_warmup": round(warmup, 4)}))
