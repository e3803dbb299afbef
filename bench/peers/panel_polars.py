"""The 6- and 12-month follow-up panel with polars: for each family and wave (months 1-6 and 7-12 after
the family's own assignment DAY, the project's definition, docs/panel.md), from a VDAB month-status panel
and OCMW aid decisions: any month in a training or trajectory, the share of the 6 months registered as a
job seeker without work (categories 00, 02, 04, 05), any supplementary aid and its amount, any medical
card, any budget guidance / management / debt mediation, any art. 60 employment. Families without records
get 0.

Months: with d the assignment date (day D) and B(j) = d + j months (day clamped to the month's length),
family month k is the days [B(k-1), B(k) - 1]. A VDAB status of calendar month d's month + r covers
family month r + 1 and, when D > 1, also family month r (a calendar month overlaps two family months when
the family was assigned after the 1st); the share counts the family months of the window that a
job-seeker month overlaps. An OCMW decision on date s in calendar month d's month + m falls in family
month m + 1 when its day >= min(D, days in its month), else in month m.
Usage: python panel_polars.py FAMILIES.csv VDAB.csv OCMW.csv OUT.csv"""
import json
import sys
import time

import polars as pl

fam_path, vdab_path, ocmw_path, out_path = sys.argv[1:5]
t0 = time.perf_counter()
fam = (pl.read_csv(fam_path, schema_overrides={"assignment_date": pl.Utf8})
       .with_columns(pl.col("assignment_date").str.to_date("%Y-%m-%d"))
       .with_columns(base=pl.col("assignment_date").dt.year() * 12 + pl.col("assignment_date").dt.month(),
                     aday=pl.col("assignment_date").dt.day().cast(pl.Int64)))
vdab = pl.read_csv(vdab_path, separator="|", schema_overrides={"maand": pl.Utf8, "categorie": pl.Utf8,
                                                               "trajectstatus": pl.Utf8})
ocmw = pl.read_csv(ocmw_path, separator=";", decimal_comma=True,
                   schema_overrides={"begindatum": pl.Utf8, "bedrag": pl.Float64})
keys = fam.select("pseudonym", "family_id", "base", "aday")
wave = pl.when(pl.col("k") <= 6).then(pl.lit("m6")).otherwise(pl.lit("m12")).alias("wave")

rel = (pl.col("maand").str.slice(0, 4).cast(pl.Int64) * 12 + pl.col("maand").str.slice(4, 2).cast(pl.Int64)
       - pl.col("base"))
v = (vdab.join(keys, on="pseudonym")
     .with_columns(k=pl.when(pl.col("aday") > 1).then(pl.concat_list(rel + 1, rel)).otherwise(pl.concat_list(rel + 1)))
     .explode("k")
     .filter(pl.col("k").is_between(1, 12))
     .group_by("family_id", "k")
     .agg(prog=pl.col("trajectstatus").is_in(["training", "trajectory"]).any(),
          js=pl.col("categorie").is_in(["00", "02", "04", "05"]).any())
     .with_columns(wave))
v_out = v.group_by("family_id", "wave").agg(employment_programme=pl.col("prog").any(),
                                            job_seeker_months=pl.col("js").sum() / 6.0)
start = pl.col("begindatum").str.to_date("%d/%m/%Y")
o = (ocmw.join(keys, on="pseudonym")
     .with_columns(s=start)
     .with_columns(k=pl.col("s").dt.year().cast(pl.Int64) * 12 + pl.col("s").dt.month().cast(pl.Int64) - pl.col("base")
                   + (pl.col("s").dt.day().cast(pl.Int64)
                      >= pl.min_horizontal(pl.col("aday"), pl.col("s").dt.month_end().dt.day().cast(pl.Int64))).cast(pl.Int64))
     .filter(pl.col("k").is_between(1, 12))
     .with_columns(wave))
supp = pl.col("soort_steun").str.starts_with("supplementary_")
o_out = o.group_by("family_id", "wave").agg(
    supplementary_aid=supp.any(),
    supplementary_amount=pl.col("bedrag").filter(supp).sum(),
    medical_card=(pl.col("soort_steun") == "medical_card").any(),
    budget_guidance=pl.col("soort_steun").is_in(["budget_guidance", "budget_management", "debt_mediation"]).any(),
    art60_employment=(pl.col("soort_steun") == "art60").any())
waves = pl.DataFrame({"wave": ["m6", "m12"]})
panel = (fam.select("family_id", "z").join(waves.select("wave"), how="cross")
         .join(v_out, on=["family_id", "wave"], how="left")
         .join(o_out, on=["family_id", "wave"], how="left")
         .with_columns(pl.col(pl.Boolean).fill_null(False).cast(pl.Int8),
                       pl.col("job_seeker_months", "supplementary_amount").fill_null(0.0))
         .sort("family_id", "wave", descending=[False, True]))
panel.write_csv(out_path)
sums = panel.select(pl.exclude("family_id", "wave", "z").sum()).row(0, named=True)
print(json.dumps({"rows": panel.height, "sums": {k: round(float(x), 4) for k, x in sums.items()},
                  "seconds_compute": round(time.perf_counter() - t0, 4)}))
