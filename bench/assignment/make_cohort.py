#!/usr/bin/env python3
"""Writes a synthetic cohort of N families (reference columns, synthetic national numbers with mod-97
check digits) for the assignment benchmark. Usage: make_cohort.py N OUT.csv"""
import datetime
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(n)
start = datetime.date(2017, 6, 1)
with open(out, "w") as f:
    f.write("family_id,insz,birth_date,enrolled_on,weak_income,weak_education,weak_stimulation,weak_employment,"
            "weak_housing,weak_health,consent,deprivation_band,domains_weak,single_parent\n")
    for i, d in enumerate(sorted(rng.randint(0, 690) for _ in range(n))):
        k = rng.choice([2, 3, 3, 4, 5, 6])
        weak = [1] * k + [0] * (6 - k)
        rng.shuffle(weak)
        enrol = start + datetime.timedelta(days=d)
        birth = enrol - datetime.timedelta(days=rng.randint(20, 60))
        nine = int(f"{rng.randint(80, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(1, 997):03d}")
        insz = f"{nine:09d}{97 - nine % 97:02d}"
        f.write(",".join([f"B{i + 1:06d}", insz, birth.isoformat(), enrol.isoformat(), *map(str, weak),
                          rng.choice(["yes"] * 9 + ["no"]), "3" if k <= 3 else "4-6", str(k), str(rng.randint(0, 1))]) + "\n")
