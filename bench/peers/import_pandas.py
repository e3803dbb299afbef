"""Import of a VDAB month-status extract with pandas: read (semicolon, decimal comma, thousands point),
validate the national numbers, replace them by keyed pseudonyms (HMAC-SHA-256, hashed once per distinct number),
check the months. Usage: python import_pandas.py EXTRACT.csv KEYFILE"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from insz import normalise, pseudonymiser, read_key  # noqa: E402

path, keyfile = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
d = pd.read_csv(path, sep=";", decimal=",", thousands=".", dtype={"insz": str, "maand": str, "categorie": str,
                "trajectstatus": str, "uitkering": float}, keep_default_na=False)
pseudonym = pseudonymiser(read_key(keyfile))
codes, uniques = pd.factorize(d["insz"])
normalised = [normalise(u) for u in uniques]
pseudonyms = np.array([pseudonym(n) if n is not None else "" for n in normalised], dtype=object)
valid_id = np.array([n is not None for n in normalised])[codes]
month = pd.to_numeric(d["maand"], errors="coerce")
valid_month = month.notna().to_numpy() & ((month % 100).between(1, 12)).to_numpy()
valid = valid_id & valid_month
out = d.loc[valid, ["maand", "categorie", "trajectstatus", "uitkering"]].copy()
out.insert(0, "pseudonym", pseudonyms[codes[valid]])
digest_u = np.array([int(p[1:9], 16) if p else 0 for p in pseudonyms], dtype=np.uint64)
print(json.dumps({
    "rows": int(len(d)), "valid_rows": int(valid.sum()), "rejected_rows": int((~valid).sum()),
    "distinct_pseudonyms": int(out["pseudonym"].nunique()),
    "amount_sum": round(float(out["uitkering"].sum()), 2),
    "digest": int(digest_u[codes[valid]].sum() % (1 << 32)),
    "seconds_compute": round(time.perf_counter() - t0, 4)}))
