"""The evaluator's pipeline with DuckDB (SQL), on the files `rct simulate` writes: the same two steps as
pipeline_polars.py (see its docstring for what each derives), written as an analyst would in SQL. The
pseudonym is a Python function registered with DuckDB and called once per distinct national number.
The OCMW aid extract (windows-1252) is transcoded to UTF-8 in Python first: DuckDB reads that encoding only
through an extension it downloads.

Usage: python pipeline_duckdb.py import|panel DATA OUT
"""
import json
import os
import sys
import time

import duckdb

sys.path.insert(0, os.path.dirname(__file__))
from insz import pseudonymiser, read_key  # noqa: E402

VALID = """
    regexp_matches(d, '^[0-9]{11}$')
    AND (CAST(substr(d, 3, 2) AS INT) BETWEEN 0 AND 12 OR CAST(substr(d, 3, 2) AS INT) BETWEEN 20 AND 32
         OR CAST(substr(d, 3, 2) AS INT) BETWEEN 40 AND 52)
    AND CAST(substr(d, 5, 2) AS INT) <= 31
    AND (97 - CAST(substr(d, 1, 9) AS BIGINT) % 97 = CAST(substr(d, 10, 2) AS INT)
         OR 97 - (2000000000 + CAST(substr(d, 1, 9) AS BIGINT)) % 97 = CAST(substr(d, 10, 2) AS INT))
"""


def ids(con, table, col):
    """A table (raw, pseudonym) for the valid distinct national numbers of `table`.`col`."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ids_{table} AS
        SELECT raw, pseudonym(d) AS pseudonym FROM (
            SELECT raw, d FROM (SELECT DISTINCT {col} AS raw, regexp_replace({col}, '[.\\- ]', '', 'g') AS d
                                FROM {table})
            WHERE {VALID})""")


def amount(col):
    return f"TRY_CAST(replace(replace({col}, '.', ''), ',', '.') AS DOUBLE)"


def do_import(con, data, out):
    key = read_key(os.path.join(data, "pseudonym.key"))
    con.create_function("pseudonym", pseudonymiser(key), ["VARCHAR"], "VARCHAR")
    counts = {}
    opts = "header = true, all_varchar = true, quote = '\"'"
    con.execute(f"CREATE TEMP TABLE vdab_raw AS SELECT * FROM read_csv('{data}/vdab_status.csv', delim = '|', {opts})")
    con.execute(f"CREATE TEMP TABLE leef_raw AS SELECT * FROM read_csv('{data}/ocmw_leefloon.csv', delim = ';', {opts})")
    # DuckDB reads windows-1252 only through an extension it downloads: the extract is transcoded to UTF-8
    # first, in Python, as an analyst without network access would.
    utf8 = os.path.join(out, "ocmw_steun.utf8.csv")
    with open(os.path.join(data, "ocmw_steun.csv"), "rb") as f, open(utf8, "wb") as g:
        g.write(f.read().decode("cp1252").encode())
    con.execute(f"CREATE TEMP TABLE aid_raw AS SELECT * FROM read_csv('{utf8}', delim = ';', {opts})")
    os.unlink(utf8)
    ids(con, "vdab_raw", "insz")
    ids(con, "leef_raw", "insz")
    ids(con, "aid_raw", "rijksregisternummer")
    queries = {
        "vdab": """SELECT DISTINCT i.pseudonym, try_strptime(maand, '%Y%m')::DATE AS month, categorie, trajectstatus
                   FROM vdab_raw JOIN ids_vdab_raw i ON i.raw = insz WHERE month IS NOT NULL""",
        "leefloon": f"""SELECT DISTINCT i.pseudonym, try_strptime(maand, '%Y-%m')::DATE AS month, categorie,
                           {amount('bedrag')} AS amount
                        FROM leef_raw JOIN ids_leef_raw i ON i.raw = insz WHERE month IS NOT NULL""",
        # Corrections: the latest decision (then the latest line) per participant, kind and start.
        "aid": f"""SELECT pseudonym, soort_steun, omschrijving, decided, start, "end", amount FROM (
                     SELECT *, row_number() OVER (PARTITION BY pseudonym, soort_steun, start
                                                  ORDER BY decided DESC NULLS LAST, line DESC) AS r
                     FROM (SELECT i.pseudonym, soort_steun, omschrijving,
                                  try_strptime(beslissingsdatum, '%d/%m/%Y')::DATE AS decided,
                                  try_strptime(begindatum, '%d/%m/%Y')::DATE AS start,
                                  try_strptime(einddatum, '%d/%m/%Y')::DATE AS "end",
                                  {amount('bedrag')} AS amount, max(a.rowid) AS line
                           FROM aid_raw a JOIN ids_aid_raw i ON i.raw = rijksregisternummer GROUP BY ALL)
                     WHERE start IS NOT NULL)
                   WHERE r = 1""",
    }
    raw = {"vdab": "vdab_raw", "leefloon": "leef_raw", "aid": "aid_raw"}
    for name, query in queries.items():
        path = os.path.join(out, f"{name}.parquet")
        con.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet)")
        kept = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]
        counts[name] = {"rows": con.execute(f"SELECT count(*) FROM {raw[name]}").fetchone()[0], "kept": kept}
    return {"sources": counts}


def do_panel(con, data, out):
    con.execute(f"""CREATE TEMP TABLE fam AS SELECT unit_id, link_key, CAST(assigned_on AS DATE) AS d
                    FROM read_csv('{out}/families.csv', header = true, all_varchar = true)""")
    con.execute("""CREATE TEMP TABLE months AS
                   SELECT link_key, k, d + to_months(k - 1) AS lo, d + to_months(k) - INTERVAL 1 DAY AS hi,
                          CASE WHEN k <= 6 THEN 'm6' ELSE 'm12' END AS wave
                   FROM fam, range(1, 13) t(k)""")
    calendar = "(year(f.d) * 12 + month(f.d))"

    def touched(source, where):
        return f"""SELECT DISTINCT m.link_key, m.wave, m.k FROM read_parquet('{out}/{source}.parquet') r
                   JOIN fam f ON f.link_key = r.pseudonym,
                   (SELECT unnest([0, 1]) AS o) o
                   JOIN months m ON m.link_key = f.link_key
                        AND m.k = year(r.month) * 12 + month(r.month) - {calendar} + o.o
                   WHERE {where} AND r.month <= m.hi AND last_day(r.month) >= m.lo"""
    con.execute(f"""
        CREATE TEMP TABLE panel AS
        WITH prog AS (SELECT link_key, wave, 1 AS v FROM ({touched('vdab', "trajectstatus IN ('opleiding', 'traject')")})
                      GROUP BY ALL),
             seek AS (SELECT link_key, wave, count(*) / 6.0 AS v
                      FROM ({touched('vdab', "categorie IN ('00', '02', '04', '05')")}) GROUP BY ALL),
             leef AS (SELECT link_key, wave, 1 AS v FROM ({touched('leefloon', 'true')}) GROUP BY ALL),
             supp AS (SELECT m.link_key, m.wave, sum(r.amount) AS v FROM read_parquet('{out}/aid.parquet') r
                      JOIN fam f ON f.link_key = r.pseudonym, (SELECT unnest([0, 1]) AS o) o
                      JOIN months m ON m.link_key = f.link_key
                           AND m.k = year(r.start) * 12 + month(r.start) - {calendar} + o.o
                      WHERE r.soort_steun IN ('AFS eenmalig', 'AFS structureel', 'AFS prijsvermindering')
                        AND r.start BETWEEN m.lo AND m.hi
                      GROUP BY ALL)
        SELECT f.unit_id, w.wave, coalesce(leef.v, 0) AS leefloon, coalesce(prog.v, 0) AS employment_programme,
               coalesce(seek.v, 0) AS job_seeker_months, coalesce(supp.v, 0) AS supplementary_amount
        FROM fam f CROSS JOIN (SELECT unnest(['m6', 'm12']) AS wave) w
        LEFT JOIN leef USING (link_key, wave) LEFT JOIN prog USING (link_key, wave)
        LEFT JOIN seek USING (link_key, wave) LEFT JOIN supp USING (link_key, wave)
        ORDER BY unit_id, wave""")
    con.execute(f"COPY panel TO '{out}/panel_duckdb.csv' (HEADER)")
    row = con.execute("""SELECT count(*), sum(leefloon), sum(employment_programme), sum(job_seeker_months),
                                sum(supplementary_amount) FROM panel""").fetchone()
    names = ["leefloon", "employment_programme", "job_seeker_months", "supplementary_amount"]
    return {"rows": row[0], "sums": {n: round(float(v), 2) for n, v in zip(names, row[1:])}}


def main():
    step, data, out = sys.argv[1:4]
    t0 = time.perf_counter()
    con = duckdb.connect()
    result = do_import(con, data, out) if step == "import" else do_panel(con, data, out)
    result["seconds_compute"] = round(time.perf_counter() - t0, 4)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
