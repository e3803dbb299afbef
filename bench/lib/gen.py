"""Deterministic generators of the benchmark data (Python standard library only).

Every file depends only on (task, size, seed): the same call writes the same bytes on any machine, so
the project and its peers read identical inputs, and a file already on disk is reused. Files are
written to a temporary name and renamed when complete, so an interrupted run never leaves a half file.

National numbers are synthetic: random birth dates in 2027-2099 with the check digits of the 2000s
form (97 - ("2" + nine digits) mod 97), so they pass the mod-97 check but no such number can have
been issued. None is taken from or derived from any person.
"""

import math
import os
import random

SEED = 20170401  # the reference design's randomisation seed; any fixed value would do

# The outcomes of designs/mission-kortrijk.yaml (17), with their type.
OUTCOMES = [
    ("leefloon", "binary"), ("supplementary_aid", "binary"), ("supplementary_one_off", "binary"),
    ("supplementary_structural", "binary"), ("supplementary_price_reduction", "binary"),
    ("supplementary_amount", "continuous"), ("medical_card", "binary"), ("budget_guidance", "binary"),
    ("employment_programme", "binary"), ("art60_employment", "binary"), ("job_seeker_months", "share"),
    ("knows_rights", "continuous"), ("services_fit", "continuous"), ("material_aid", "binary"),
    ("household_income", "continuous"), ("social_housing", "binary"), ("regular_employment", "binary"),
]
# Families of hypotheses (q-values are computed within a family and wave).
OUTCOME_FAMILY = {
    "leefloon": "financial_support", "supplementary_aid": "financial_support",
    "supplementary_one_off": "financial_support", "supplementary_structural": "financial_support",
    "supplementary_price_reduction": "financial_support", "supplementary_amount": "financial_support",
    "medical_card": "financial_support", "budget_guidance": "financial_support",
    "employment_programme": "employment", "art60_employment": "employment",
    "job_seeker_months": "employment", "knows_rights": "rights_and_services",
    "services_fit": "rights_and_services", "material_aid": "rights_and_services",
    "household_income": "living_conditions", "social_housing": "living_conditions",
    "regular_employment": "living_conditions",
}
COVARIATES = ["domains_weak", "single_parent", "leefloon_before"]


def _write(path, writer):
    """Calls writer(file) on a temporary file and renames it to path; skips when path exists."""
    if os.path.exists(path):
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        writer(f)
    os.replace(tmp, path)
    return True


# ---------------------------------------------------------------------------------------------------
# Randomization inference: N units in blocks of 16 (the last block may be smaller), half of each
# block treated (complete randomisation within block), two covariates, a modest effect.
BLOCK_SIZE = 16


def ri_data(path, n, seed=SEED):
    def writer(f):
        rng = random.Random(seed * 1000 + n)
        f.write("id,block,z,x1,x2,y\n")
        blocks = math.ceil(n / BLOCK_SIZE)
        unit = 0
        for b in range(blocks):
            size = min(BLOCK_SIZE, n - b * BLOCK_SIZE)
            z = [1] * (size // 2) + [0] * (size - size // 2)
            rng.shuffle(z)
            for zi in z:
                unit += 1
                x1 = rng.gauss(0.0, 1.0)
                x2 = 1 if rng.random() < 0.4 else 0
                y = 1.0 + 0.25 * zi + 0.5 * x1 - 0.3 * x2 + 0.05 * b + rng.gauss(0.0, 1.0)
                f.write(f"{unit},b{b + 1:05d},{zi},{x1:.6f},{x2},{y:.6f}\n")
    return _write(path, writer)


# ---------------------------------------------------------------------------------------------------
# The effect table of the reference design: 112 families, two strata (deprivation band), treatment
# complete-randomised 1:1 within stratum, three covariates, the design's 17 outcomes at waves m6 and
# m12. Wide: one row per family x wave. No missing values (every peer treats them the same way then).

def effects_data(folder, families=112, seed=SEED):
    """Writes effects_m6.csv, effects_m12.csv (one row per family) and effects_panel.csv (both waves,
    one row per family x wave, the same rows)."""
    paths = {w: os.path.join(folder, f"effects_{w}.csv") for w in ("m6", "m12")}
    panel = os.path.join(folder, "effects_panel.csv")
    if all(os.path.exists(p) for p in list(paths.values()) + [panel]):
        return False
    rng = random.Random(seed + families)
    units = []
    for i in range(families):
        domains = rng.choice([3, 3, 3, 4, 4, 5, 6])
        units.append({
            "family_id": f"F{i + 1:04d}", "stratum": "3" if domains == 3 else "4-6",
            "domains_weak": domains, "single_parent": 1 if rng.random() < 0.45 else 0,
            "leefloon_before": 1 if rng.random() < 0.5 else 0,
        })
    for stratum in ("3", "4-6"):
        members = [u for u in units if u["stratum"] == stratum]
        z = [1] * (len(members) // 2) + [0] * (len(members) - len(members) // 2)
        rng.shuffle(z)
        for u, zi in zip(members, z):
            u["z"] = zi
    header = ["family_id", "wave", "z", "stratum"] + COVARIATES + [o for o, _ in OUTCOMES]
    rows = {"m6": [], "m12": []}
    for u in units:
        for wave in ("m6", "m12"):
            effect = 0.1 if wave == "m6" else 0.05
            row = [u["family_id"], wave, str(u["z"]), u["stratum"], str(u["domains_weak"]),
                   str(u["single_parent"]), str(u["leefloon_before"])]
            for name, kind in OUTCOMES:
                lin = 0.1 * (u["domains_weak"] - 4) + 0.2 * u["leefloon_before"] + effect * u["z"]
                if kind == "binary":
                    p = min(0.95, max(0.05, 0.35 + lin + rng.gauss(0, 0.05)))
                    row.append("1" if rng.random() < p else "0")
                elif kind == "share":
                    months = sum(1 for _ in range(6) if rng.random() < min(0.95, max(0.05, 0.5 + lin)))
                    row.append(f"{months / 6:.6f}")
                elif name == "supplementary_amount":
                    row.append(f"{max(0.0, 300 + 400 * lin + rng.gauss(0, 250)):.2f}")
                elif name == "household_income":
                    row.append(f"{1600 + 500 * lin + rng.gauss(0, 400):.2f}")
                else:
                    row.append(f"{3 + 2 * lin + rng.gauss(0, 0.9):.6f}")
            rows[wave].append(row)
    for wave, path in paths.items():
        _write(path, lambda f, w=wave: f.write(
            ",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows[w])))
    _write(panel, lambda f: f.write(",".join(header) + "\n" + "".join(
        ",".join(r) + "\n" for pair in zip(rows["m6"], rows["m12"]) for r in pair)))
    return True


# ---------------------------------------------------------------------------------------------------
# Synthetic national numbers (see the module doc).

def synthetic_insz(rng):
    """Eleven digits with valid 2000s-form check digits for a birth in 2027-2099."""
    yy = rng.randint(27, 99)
    mm = rng.randint(1, 12)
    dd = rng.randint(1, 28)
    seq = rng.randint(1, 998)
    nine = yy * 10_000_000 + mm * 100_000 + dd * 1_000 + seq
    check = 97 - (2_000_000_000 + nine) % 97
    return f"{nine:09d}{check:02d}"


def printed(digits):
    """The printed form YY.MM.DD-XXX.CC."""
    d = digits
    return f"{d[0:2]}.{d[2:4]}.{d[4:6]}-{d[6:9]}.{d[9:11]}"


def corrupt(digits):
    """The same number with wrong check digits (fails both century forms)."""
    nine = int(digits[:9])
    good = {97 - nine % 97, 97 - (2_000_000_000 + nine) % 97}
    check = int(digits[9:])
    while check in good:
        check = check % 97 + 1
    return f"{digits[:9]}{check:02d}"


# ---------------------------------------------------------------------------------------------------
# A VDAB month-status extract: one row per person per month-end, 40 months (2017-01 .. 2020-04).
# Semicolon-separated, benefit amounts with a decimal comma and a thousands point ("1.234,56"), months
# as YYYYMM, the placement status in VDAB's Dutch codes (those `import-bench` maps). 5% of persons
# have their number in the printed form, 0.2% have wrong check digits (every one of their rows must be
# rejected).

VDAB_MONTHS = [f"{2017 + (m // 12)}{m % 12 + 1:02d}" for m in range(40)]
VDAB_CATEGORIES = ["00", "00", "00", "02", "04", "05", "10", "80", "82", "11", "18", "19", "30"]
VDAB_PLACEMENT_CODES = ["geen", "geen", "geen", "geen", "opleiding", "traject", "bemiddeling", "niet toeleidbaar"]
# The panel task's VDAB panel uses the design's own (already mapped) values.
VDAB_PLACEMENT = ["", "", "", "", "training", "trajectory", "not_deployable"]


def euro_text(cents):
    """Cents as Flemish text: thousands point, decimal comma ("1.234,56")."""
    euros = cents // 100
    whole = f"{euros // 1000}.{euros % 1000:03d}" if euros >= 1000 else str(euros)
    return f"{whole},{cents % 100:02d}"


def vdab_extract(path, rows, seed=SEED):
    assert rows % len(VDAB_MONTHS) == 0, "rows must be a multiple of 40 (one row per person-month)"

    def writer(f):
        rng = random.Random(seed + rows)
        suffixes = []
        for _ in range(4096):
            cat = rng.choice(VDAB_CATEGORIES)
            placement = rng.choice(VDAB_PLACEMENT_CODES)
            amount = 0 if rng.random() < 0.4 else rng.randint(40_000, 180_000)
            suffixes.append(f";{cat};{placement};{euro_text(amount)}\n")
        f.write("insz;maand;categorie;trajectstatus;uitkering\n")
        seen = set()
        persons = rows // len(VDAB_MONTHS)
        getbits = rng.getrandbits
        months = [";" + m for m in VDAB_MONTHS]
        buf = []
        for p in range(persons):
            digits = synthetic_insz(rng)
            while digits in seen:
                digits = synthetic_insz(rng)
            seen.add(digits)
            r = rng.random()
            if r < 0.002:
                ident = corrupt(digits)
            elif r < 0.052:
                ident = printed(digits)
            else:
                ident = digits
            buf.append("".join(ident + m + suffixes[getbits(12)] for m in months))
            if len(buf) >= 5000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))
    return _write(path, writer)


# ---------------------------------------------------------------------------------------------------
# The follow-up panel: F families with a pseudonymised reference parent and an assignment date
# (April 2017 - April 2019); a VDAB month-status panel from 12 months before to 14 months after each
# family's assignment month (27 rows per family, pipe-separated, YYYYMM); OCMW aid decisions (0-8 per
# family, semicolon-separated, start date DD/MM/YYYY, amount with decimal comma).

AID_KINDS = ["supplementary_one_off", "supplementary_structural", "supplementary_price_reduction",
             "medical_card", "budget_guidance", "debt_mediation", "art60"]


def panel_data(folder, families, seed=SEED):
    paths = {k: os.path.join(folder, f"panel_{k}_{families}.csv") for k in ("families", "vdab", "ocmw")}
    if all(os.path.exists(p) for p in paths.values()):
        return False
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed * 7 + families)
    fam_rows, vdab_rows, ocmw_rows = [], [], []
    for i in range(families):
        pseudonym = "P%032x" % rng.getrandbits(128)
        month_index = rng.randint(0, 24)  # 0 = April 2017
        year, month = 2017 + (3 + month_index) // 12, (3 + month_index) % 12 + 1
        day = rng.randint(1, 28)
        z = rng.randint(0, 1)
        fam_rows.append(f"F{i + 1:06d},{pseudonym},{year}-{month:02d}-{day:02d},{z}\n")
        base = year * 12 + month - 1
        status = rng.choice(VDAB_CATEGORIES)
        placement = ""
        for rel in range(-12, 15):
            if rng.random() < 0.15:
                status = rng.choice(VDAB_CATEGORIES)
            if rng.random() < 0.1 + 0.05 * z:
                placement = rng.choice(VDAB_PLACEMENT)
            m = base + rel
            vdab_rows.append(f"{pseudonym}|{m // 12}{m % 12 + 1:02d}|{status}|{placement}\n")
        for _ in range(rng.randint(0, 8)):
            m = base + rng.randint(-12, 14)
            cents = rng.randint(2_000, 250_000)
            kind = rng.choice(AID_KINDS)
            ocmw_rows.append(f"{pseudonym};{kind};{rng.randint(1, 28):02d}/{m % 12 + 1:02d}/{m // 12};"
                             f"{cents // 100},{cents % 100:02d}\n")
    _write(paths["families"], lambda f: f.write("family_id,pseudonym,assignment_date,z\n" + "".join(fam_rows)))
    _write(paths["vdab"], lambda f: f.write("pseudonym|maand|categorie|trajectstatus\n" + "".join(vdab_rows)))
    _write(paths["ocmw"], lambda f: f.write("pseudonym;soort_steun;begindatum;bedrag\n" + "".join(ocmw_rows)))
    return True


BENCH_KEY = "benchmark-key-not-a-secret-0001"  # the fixed key of `import-bench run` (bench/Sources/import-bench)


def bench_key(path):
    """The fixed, non-secret benchmark key, the same for the project and its peers."""
    return _write(path, lambda f: f.write(BENCH_KEY + "\n"))


# ---------------------------------------------------------------------------------------------------
# Estimation at national scale: N units in min(N / 10, 10,000) caseworker clusters (cluster c in stratum
# c mod S, S = min(500, clusters / 2), so clusters nest in strata), half of each stratum's clusters treated,
# 20 covariates (normal, one binary in four), a stratum effect, a cluster effect and an effect of 0.1.
SCALE_COVARIATES = 20


def scale_clusters(n):
    return min(n // 10, 10_000)


def scale_strata(n):
    return min(500, scale_clusters(n) // 2)


def scale_data(path, n, seed=SEED):
    def writer(f):
        rng = random.Random(seed * 7 + n)
        k = SCALE_COVARIATES
        clusters, strata = scale_clusters(n), scale_strata(n)
        f.write("id,stratum,cluster,z," + ",".join(f"x{j + 1}" for j in range(k)) + ",y\n")
        stratum_effect = [rng.gauss(0.0, 0.5) for _ in range(strata)]
        cluster_effect = [rng.gauss(0.0, 0.3) for _ in range(clusters)]
        treated = [0] * clusters
        for s in range(strata):
            members = list(range(s, clusters, strata))
            rng.shuffle(members)
            for c in members[:len(members) // 2]:
                treated[c] = 1
        beta = [0.3 / (j + 1) for j in range(k)]
        gauss, rand = rng.gauss, rng.random
        lines = []
        for i in range(n):
            c = i % clusters
            s = c % strata
            x = [(1.0 if rand() < 0.4 else 0.0) if j % 4 == 3 else gauss(0.0, 1.0) for j in range(k)]
            y = (1.0 + 0.1 * treated[c] + sum(b * v for b, v in zip(beta, x)) + stratum_effect[s]
                 + cluster_effect[c] + gauss(0.0, 1.0))
            lines.append(f"{i + 1},s{s + 1:03d},c{c + 1:05d},{treated[c]},"
                         + ",".join(f"{v:.5f}" if j % 4 != 3 else str(int(v)) for j, v in enumerate(x))
                         + f",{y:.6f}\n")
            if len(lines) >= 20_000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))
    return _write(path, writer)
