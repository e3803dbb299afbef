"""The project's side of the effect-table task: the whole table with rct's own commands, one process per
step, glued by this script (standard library only), which times the rct processes themselves.

For each wave file: `rct estimate` (Lin, strata as fixed effects, HC2; all 17 outcomes), `rct ri` (all
17 outcomes on the same 10,000 re-draws within strata; statistic ols with the covariates and stratum
indicators), then `rct adjust --method sharpened_q` per family of outcomes on the RI p-values. Steps
whose command is missing are left out and listed in "steps_missing".

Prints one JSON line: "seconds_rct" (sum of the wall times of the rct processes: the glue's own start-up
and JSON parsing are not counted), "peak_kb" (largest resident memory of any rct process), the first
outcome's estimate, p-value and q-value, and the number of rct commands run.
Usage: python3 effects_rct.py RCT PERMUTATIONS SEED OUT_PREFIX WAVE_FILE...   (wave files effects_WAVE.csv)
"""
import json
import os
import re
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import gen  # noqa: E402

rct, perms, seed, out_prefix = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
files = sys.argv[5:]
outcomes = [o for o, _ in gen.OUTCOMES]
seconds = 0.0
commands = 0


def has(sub):
    p = subprocess.run([rct, sub, "--help"], capture_output=True, text=True)
    return p.returncode == 0 and f"USAGE: rct {sub}" in " ".join(p.stdout.split())


def run(argv):
    global seconds, commands
    t0 = time.perf_counter()
    p = subprocess.run([rct] + argv, capture_output=True, text=True)
    seconds += time.perf_counter() - t0
    commands += 1
    if p.returncode != 0:
        sys.exit(f"rct {' '.join(argv)} failed (exit {p.returncode}): {p.stderr.strip()[-500:]}")
    return json.loads(p.stdout)


def find_p_values(doc):
    """Outcome -> randomization p-value from `rct ri --format json` (several outcomes)."""
    found = {}

    def walk(x):
        if isinstance(x, dict):
            name = x.get("outcome")
            for key in ("p_two_tailed", "p_value", "p", "p_two_sided", "pValue"):
                if name in outcomes and isinstance(x.get(key), (int, float)):
                    found.setdefault(name, float(x[key]))
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(doc)
    return found


steps_missing = [s for s in ("estimate", "ri", "adjust") if not has(s)]
first = {}
for path in files:
    wave = re.search(r"effects_(\w+)\.csv$", path).group(1)
    if "estimate" not in steps_missing:
        est = run(["estimate", "--data", path, "--outcome", ",".join(outcomes), "--treatment", "z",
                   "--estimator", "lin", "--covariates", ",".join(gen.COVARIATES), "--fixed-effects", "stratum",
                   "--se", "hc2", "--format", "json"])
        with open(f"{out_prefix}_{wave}.json", "w") as f:
            json.dump(est, f)
        z = [r for r in est.get("estimates", []) if r.get("term") == "z"]
        first.setdefault("estimate", z[0]["estimate"] if z else None)
    if "ri" in steps_missing:
        continue
    ri = run(["ri", "--data", path, "--outcome", ",".join(outcomes), "--treatment", "z", "--blocks", "stratum",
              "--covariates", ",".join(gen.COVARIATES), "--statistic", "ols", "--permutations", perms,
              "--seed", seed, "--format", "json"])
    p = find_p_values(ri)
    if len(p) != len(outcomes):
        sys.exit(f"rct ri: found p-values for {len(p)} of {len(outcomes)} outcomes in its JSON")
    first.setdefault("p_value", p[outcomes[0]])
    if "adjust" in steps_missing:
        continue
    for family in dict.fromkeys(gen.OUTCOME_FAMILY.values()):
        members = [o for o in outcomes if gen.OUTCOME_FAMILY[o] == family]
        q = run(["adjust", "--method", "sharpened_q", "--p", ",".join(repr(p[o]) for o in members),
                 "--format", "json"])
        values = q if isinstance(q, list) else next(v for v in q.values() if isinstance(v, list))
        if outcomes[0] in members:
            first.setdefault("q_value", float(values[members.index(outcomes[0])]))

peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rows": 2 * len(outcomes), **{k: v for k, v in first.items() if v is not None},
                  "steps_missing": steps_missing, "commands": commands,
                  "seconds_rct": round(seconds, 4), "peak_kb": peak}))
