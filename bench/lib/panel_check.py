# An independent check of the panel task (not a peer, not timed): recomputes the panel in plain Python
# from the definitions of docs/panel.md, with dates (B(j) = assignment date + j months, day clamped;
# family month k = [B(k-1), B(k) - 1]; a VDAB status covers its calendar month, an OCMW decision its start
# day), and compares every cell of the given output CSVs with it.
# Usage: python3 bench/lib/panel_check.py DATA_FOLDER FAMILIES OUT.csv...
import calendar, csv, datetime as dt, sys
D, N = sys.argv[1], sys.argv[2]
def add_months(d, j):
    y, m = divmod(d.year * 12 + d.month - 1 + j, 12); m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
fam = list(csv.DictReader(open(f"{D}/panel_families_{N}.csv")))
info = {}
for f in fam:
    d = dt.date.fromisoformat(f["assignment_date"])
    info[f["pseudonym"]] = (f["family_id"], d)
out = {}
for f in fam:
    for w in ("m6", "m12"):
        out[(f["family_id"], w)] = dict(ep=0, js=set(), sa=0, samt=0.0, mc=0, bg=0, a60=0)
def window(d, a, b): return add_months(d, a - 1), add_months(d, b) - dt.timedelta(days=1)
for r in csv.DictReader(open(f"{D}/panel_vdab_{N}.csv"), delimiter="|"):
    if r["pseudonym"] not in info: continue
    fid, d = info[r["pseudonym"]]
    y, m = int(r["maand"][:4]), int(r["maand"][4:])
    s, e = dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    for w, (a, b) in (("m6", (1, 6)), ("m12", (7, 12))):
        for k in range(a, b + 1):
            ks, ke = window(d, k, k)
            if s <= ke and e >= ks:
                if r["trajectstatus"] in ("training", "trajectory"): out[(fid, w)]["ep"] = 1
                if r["categorie"] in ("00", "02", "04", "05"): out[(fid, w)]["js"].add(k)
for r in csv.DictReader(open(f"{D}/panel_ocmw_{N}.csv"), delimiter=";"):
    if r["pseudonym"] not in info: continue
    fid, d = info[r["pseudonym"]]
    dd, mm, yy = map(int, r["begindatum"].split("/"))
    s = dt.date(yy, mm, dd)
    for w, (a, b) in (("m6", (1, 6)), ("m12", (7, 12))):
        ws, we = window(d, a, b)
        if ws <= s <= we:
            o = out[(fid, w)]; kind = r["soort_steun"]
            if kind.startswith("supplementary_"): o["sa"] = 1; o["samt"] += float(r["bedrag"].replace(",", "."))
            o["mc"] |= kind == "medical_card"; o["bg"] |= kind in ("budget_guidance", "budget_management", "debt_mediation")
            o["a60"] |= kind == "art60"
cols = ["employment_programme", "job_seeker_months", "supplementary_aid", "supplementary_amount", "medical_card", "budget_guidance", "art60_employment"]
ref = {k: [v["ep"], len(v["js"]) / 6, v["sa"], v["samt"], int(v["mc"]), int(v["bg"]), int(v["a60"])] for k, v in out.items()}
print({c: round(sum(v[i] for v in ref.values()), 4) for i, c in enumerate(cols)})
for path in sys.argv[3:]:
    bad = 0
    for row in csv.DictReader(open(path)):
        got = [float(row[c]) for c in cols]; want = ref[(row["family_id"], row["wave"])]
        if any(abs(g - w) > 1e-6 for g, w in zip(got, want)): bad += 1
    print(path, "cells differing rows:", bad)
