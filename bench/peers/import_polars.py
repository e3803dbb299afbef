"""Import of a VDAB month-status extract with polars: read (semicolon, decimal comma, thousands point
parsed with string expressions), validate the
national numbers with column expressions, replace them by keyed pseudonyms (HMAC-SHA-256 mapped over
the distinct numbers), check the months. Usage: python import_polars.py EXTRACT.csv KEYFILE"""
import json
import os
import sys
import time

import polars as pl

sys.path.insert(0, os.path.dirname(__file__))
from insz import pseudonymiser, read_key  # noqa: E402

path, keyfile = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
pseudonym = pseudonymiser(read_key(keyfile))
d = (pl.read_csv(path, separator=";",
                 schema_overrides={"insz": pl.Utf8, "maand": pl.Utf8, "categorie": pl.Utf8,
                                   "trajectstatus": pl.Utf8, "uitkering": pl.Utf8})
     .with_columns(pl.col("uitkering").str.replace_all(".", "", literal=True)
                   .str.replace(",", ".", literal=True).cast(pl.Float64)))
digits = pl.col("insz").str.replace_all(r"[.\- ]", "")
nine = pl.col("digits").str.slice(0, 9).cast(pl.Int64, strict=False)
check = pl.col("digits").str.slice(9, 2).cast(pl.Int64, strict=False)
month = pl.col("digits").str.slice(2, 2).cast(pl.Int64, strict=False)
day = pl.col("digits").str.slice(4, 2).cast(pl.Int64, strict=False)
ids = (d.select(pl.col("insz").unique()).with_columns(digits=digits)
       .with_columns(ok=(pl.col("digits").str.len_chars() == 11) & pl.col("digits").str.contains(r"^\d{11}$")
                     & (month.is_between(0, 12) | month.is_between(20, 32) | month.is_between(40, 52))
                     & (day <= 31)
                     & (((97 - nine % 97) == check) | ((97 - (2_000_000_000 + nine) % 97) == check)))
       .with_columns(pseudonym=pl.when(pl.col("ok").fill_null(False))
                     .then(pl.col("digits").map_elements(pseudonym, return_dtype=pl.Utf8))
                     .otherwise(None)))
m = pl.col("maand").cast(pl.Int64, strict=False)
joined = (d.join(ids.select("insz", "pseudonym"), on="insz", how="left")
          .with_columns(valid=pl.col("pseudonym").is_not_null() & (m % 100).is_between(1, 12).fill_null(False)))
out = joined.filter("valid").select("pseudonym", "maand", "categorie", "trajectstatus", "uitkering")
valid_rows = out.height
digest = out.select(pl.col("pseudonym").str.slice(1, 8).str.to_integer(base=16).cast(pl.UInt64).sum()).item()
print(json.dumps({
    "rows": d.height, "valid_rows": valid_rows, "rejected_rows": d.height - valid_rows,
    "distinct_pseudonyms": out["pseudonym"].n_unique(),
    "amount_sum": round(float(out["uitkering"].sum()), 2), "digest": int(digest) % (1 << 32),
    "seconds_compute": round(time.perf_counter() - t0, 4)}))
