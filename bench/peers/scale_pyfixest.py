"""Estimation at scale with pyfixest: y ~ z + x1..x20 | stratum (strata absorbed by alternating
projections), heteroskedasticity-robust or clustered by caseworker. pyfixest has no HC2 or CR2 with
absorbed fixed effects: it runs HC1 ("hetero") and CRV1 instead, so its standard error is close to, not
equal to, the HC2 / CR2 one; the estimate must agree. Prints one JSON line.
Usage: python scale_pyfixest.py FILE hc2|cr2"""
import json
import sys
import time

import pandas as pd
import pyfixest as pf

path, se = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
d = pd.read_csv(path)
covariates = [c for c in d.columns if c.startswith("x") and c[1:].isdigit()]
formula = "y ~ z + " + " + ".join(covariates) + " | stratum"
fit = pf.feols(formula, data=d, vcov={"CRV1": "cluster"} if se == "cr2" else "hetero")
print(json.dumps({"estimate": float(fit.coef()["z"]), "std_error": float(fit.se()["z"]), "n_obs": len(d),
                  "seconds_compute": round(time.perf_counter() - t0, 4)}))
