"""The evaluator's pipeline with polars, on the files `rct simulate` writes (the bundled trial's dialects).

  import DATA OUT   read the three registry extracts keyed by national number (VDAB month statuses,
                    pipe-separated, YYYYMM; OCMW leefloon months, semicolon, decimal comma, YYYY-MM; OCMW
                    aid decisions, semicolon, windows-1252, decimal comma and thousands point, DD/MM/YYYY),
                    validate every national number, replace it by its keyed pseudonym (HMAC-SHA-256 over
                    the distinct numbers), parse dates and amounts, drop unparseable and exactly repeated
                    rows, keep the latest of corrected aid decisions (same participant, kind and start), and
                    write one Parquet file per source into OUT.
  panel DATA OUT    read those Parquet files and OUT/families.csv (unit_id, link_key, assigned_on: the
                    assignments, exported from the trial store once before the runs), and derive four of
                    the design's outcomes for months 1-6 and 7-12 after each family's assignment day, as
                    docs/panel.md defines them: leefloon (a leefloon month overlaps the window),
                    employment_programme (a VDAB month in training or trajectory overlaps it),
                    job_seeker_months (share of the window's six family months touched by a job-seeker
                    month, categories 00, 02, 04, 05) and supplementary_amount (amounts of supplementary
                    aid decisions that start in the window). Writes OUT/panel_polars.csv.

Prints one JSON line: row counts per source (import) or the rows and column sums (panel), and the time of
its own work without interpreter start-up. Usage: python pipeline_polars.py import|panel DATA OUT
"""
import io
import json
import os
import sys
import time

import polars as pl

sys.path.insert(0, os.path.dirname(__file__))
from insz import pseudonymiser, read_key  # noqa: E402

JOB_SEEKER = ["00", "02", "04", "05"]
PROGRAMME = ["opleiding", "traject"]
SUPPLEMENTARY = ["AFS eenmalig", "AFS structureel", "AFS prijsvermindering"]


def insz_valid(col):
    """National-number validity as column expressions (the rules of insz.normalise)."""
    digits = pl.col(col).str.replace_all(r"[.\- ]", "")
    nine = digits.str.slice(0, 9).cast(pl.Int64, strict=False)
    check = digits.str.slice(9, 2).cast(pl.Int64, strict=False)
    month = digits.str.slice(2, 2).cast(pl.Int64, strict=False)
    day = digits.str.slice(4, 2).cast(pl.Int64, strict=False)
    ok = (digits.str.contains(r"^\d{11}$")
          & (month.is_between(0, 12) | month.is_between(20, 32) | month.is_between(40, 52)) & (day <= 31)
          & (((97 - nine % 97) == check) | ((97 - (2_000_000_000 + nine) % 97) == check)))
    return digits, ok.fill_null(False)


def pseudonymise(frame, col, pseudonym):
    """Replaces column `col` by `pseudonym`; rows with an invalid number are dropped (counted)."""
    digits, ok = insz_valid(col)
    ids = (frame.select(pl.col(col).unique()).with_columns(digits=digits, ok=ok)
           .filter("ok")
           .with_columns(pseudonym=pl.col("digits").map_elements(pseudonym, return_dtype=pl.Utf8))
           .select(col, "pseudonym"))
    return frame.join(ids, on=col, how="inner").drop(col)


def amount(col):
    return (pl.col(col).str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
            .cast(pl.Float64, strict=False))


def do_import(data, out):
    pseudonym = pseudonymiser(read_key(os.path.join(data, "pseudonym.key")))
    counts = {}

    def finish(name, raw, frame, required):
        kept = frame.drop_nulls(required).unique(maintain_order=True)
        kept.write_parquet(os.path.join(out, f"{name}.parquet"))
        counts[name] = {"rows": raw, "kept": kept.height}

    v = pl.read_csv(os.path.join(data, "vdab_status.csv"), separator="|", infer_schema=False)
    vm = pl.col("maand").str.to_date("%Y%m", strict=False)
    finish("vdab", v.height,
           pseudonymise(v, "insz", pseudonym).with_columns(month=vm).drop("maand"), ["month"])
    lf = pl.read_csv(os.path.join(data, "ocmw_leefloon.csv"), separator=";", infer_schema=False)
    finish("leefloon", lf.height,
           pseudonymise(lf, "insz", pseudonym)
           .with_columns(month=pl.col("maand").str.to_date("%Y-%m", strict=False), amount=amount("bedrag"))
           .drop("maand", "bedrag"), ["month"])
    with open(os.path.join(data, "ocmw_steun.csv"), "rb") as f:
        text = f.read().decode("cp1252").encode()
    a = pl.read_csv(io.BytesIO(text), separator=";", infer_schema=False)
    date = lambda c: pl.col(c).str.to_date("%d/%m/%Y", strict=False)  # noqa: E731
    finish("aid", a.height,
           pseudonymise(a, "rijksregisternummer", pseudonym)
           .with_columns(decided=date("beslissingsdatum"), start=date("begindatum"), end=date("einddatum"),
                         amount=amount("bedrag"))
           .drop("beslissingsdatum", "begindatum", "einddatum", "bedrag"), ["start"])
    # A decision with the same participant, kind and start as an earlier one corrects it: the later
    # decision date (on a tie, the later line) is kept (docs/import.md, "Corrections").
    kept = pl.read_parquet(os.path.join(out, "aid.parquet"))
    kept = (kept.with_row_index("line").sort("decided", "line")
            .unique(["pseudonym", "soort_steun", "start"], keep="last").drop("line"))
    kept.write_parquet(os.path.join(out, "aid.parquet"))
    counts["aid"]["kept"] = kept.height
    return {"sources": counts}


def do_panel(data, out):
    fam = (pl.read_csv(os.path.join(out, "families.csv"), infer_schema=False)
           .with_columns(d=pl.col("assigned_on").str.to_date("%Y-%m-%d")))
    # The family months: month k is [B(k-1), B(k) - 1 day], B(j) = d + j months (day clamped).
    months = (fam.select("link_key", "d").join(pl.DataFrame({"k": list(range(1, 13))}), how="cross")
              .with_columns(lo=pl.col("d").dt.offset_by(pl.format("{}mo", pl.col("k") - 1)),
                            hi=pl.col("d").dt.offset_by(pl.format("{}mo", pl.col("k"))).dt.offset_by("-1d"))
              .select("link_key", "k", "lo", "hi"))
    calendar = pl.col("d").dt.year().cast(pl.Int64) * 12 + pl.col("d").dt.month().cast(pl.Int64)

    def touched(frame, date_col):
        """(link_key, k) pairs of family months that a calendar-month record overlaps."""
        rel = (pl.col(date_col).dt.year().cast(pl.Int64) * 12 + pl.col(date_col).dt.month().cast(pl.Int64)
               - calendar)
        return (frame.join(fam.select("link_key", "d"), left_on="pseudonym", right_on="link_key")
                .with_columns(k=pl.concat_list(rel, rel + 1)).explode("k")
                .join(months, left_on=["pseudonym", "k"], right_on=["link_key", "k"])
                .filter((pl.col(date_col) <= pl.col("hi"))
                        & (pl.col(date_col).dt.month_end() >= pl.col("lo")))
                .select(link_key="pseudonym", k="k"))

    wave = pl.when(pl.col("k") <= 6).then(pl.lit("m6")).otherwise(pl.lit("m12"))
    vdab = pl.read_parquet(os.path.join(out, "vdab.parquet"))
    leef = pl.read_parquet(os.path.join(out, "leefloon.parquet"))
    aid = pl.read_parquet(os.path.join(out, "aid.parquet"))
    programme = (touched(vdab.filter(pl.col("trajectstatus").is_in(PROGRAMME)), "month")
                 .group_by("link_key", wave=wave).agg(employment_programme=pl.lit(1)))
    seeker = (touched(vdab.filter(pl.col("categorie").is_in(JOB_SEEKER)), "month").unique()
              .group_by("link_key", wave=wave).agg(job_seeker_months=pl.len() / 6.0))
    leefloon = (touched(leef, "month").group_by("link_key", wave=wave).agg(leefloon=pl.lit(1)))
    starts = (aid.filter(pl.col("soort_steun").is_in(SUPPLEMENTARY))
              .join(fam.select("link_key", "d"), left_on="pseudonym", right_on="link_key")
              .with_columns(k=pl.concat_list(
                  pl.col("start").dt.year().cast(pl.Int64) * 12 + pl.col("start").dt.month().cast(pl.Int64) - calendar,
                  pl.col("start").dt.year().cast(pl.Int64) * 12 + pl.col("start").dt.month().cast(pl.Int64) - calendar + 1))
              .explode("k")
              .join(months, left_on=["pseudonym", "k"], right_on=["link_key", "k"])
              .filter(pl.col("start").is_between(pl.col("lo"), pl.col("hi")))
              .group_by(link_key="pseudonym", wave=wave).agg(supplementary_amount=pl.col("amount").sum()))
    panel = (fam.select("unit_id", "link_key").join(pl.DataFrame({"wave": ["m6", "m12"]}), how="cross")
             .join(leefloon, on=["link_key", "wave"], how="left")
             .join(programme, on=["link_key", "wave"], how="left")
             .join(seeker, on=["link_key", "wave"], how="left")
             .join(starts, on=["link_key", "wave"], how="left")
             .with_columns(pl.col("leefloon", "employment_programme").fill_null(0),
                           pl.col("job_seeker_months", "supplementary_amount").fill_null(0.0))
             .drop("link_key").sort("unit_id", "wave"))
    panel.write_csv(os.path.join(out, "panel_polars.csv"))
    sums = panel.select(pl.exclude("unit_id", "wave").sum()).row(0, named=True)
    return {"rows": panel.height, "sums": {k: round(float(x), 2) for k, x in sums.items()}}


def main():
    step, data, out = sys.argv[1:4]
    t0 = time.perf_counter()
    result = do_import(data, out) if step == "import" else do_panel(data, out)
    result["seconds_compute"] = round(time.perf_counter() - t0, 4)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
