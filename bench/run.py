#!/usr/bin/env python3
"""Benchmarks of `rct` against the tools evaluators use today, side by side in one run.

Standard library only. For every task and size it generates the data (deterministic, cached under
bench/data/), then runs the project and every available peer in alternation (run 1 of each tool, then
run 2 of each, ...), timing the whole process (wall clock, including interpreter start-up and library
loading) and its peak resident memory (GNU time's %M). It prints progress, writes
bench/results/latest.{json,md} and replaces the section "## Benchmarks against peers" of
docs/performance.md (other sections are kept).

The project's side is the `rct` release binary, except for the import and panel tasks, which run the
executables `import-bench` and `panel-bench` of the benchmark package bench/Package.swift (built by
`make -C bench build` into bench/.build/release).

A tool that is missing is skipped with a message saying why: a peer that did not install (run
`make -C bench peers`), a project subcommand that does not exist yet (checked with `rct SUB --help`), or
a benchmark executable that is not built.

Usage: python3 bench/run.py [--rct PATH] [--bench-bin DIR] [--tasks ri,effects,import,panel] [--runs N]
                            [--large] [--smoke] [--no-report]
"""

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, os.path.join(BENCH, "lib"))
import gen  # noqa: E402

DATA = os.path.join(BENCH, "data")
RESULTS = os.path.join(BENCH, "results")
PEERS = os.path.join(BENCH, "peers")
VENV_PY = os.path.join(BENCH, ".venv", "bin", "python")
GNU_TIME = "/usr/bin/time"
SECTION = "## Benchmarks against peers"
PERMUTATIONS = 10_000
RI_SEED = 1


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------------
# Running a command, timed.

@dataclass
class Run:
    seconds: float
    peak_kb: int | None
    output: dict | None
    error: str | None = None
    stdout: str = ""


def peer_env():
    """Environment for peers. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on this machine for old
    OpenBLAS builds and slow a current numpy down; they are removed for the peer runs only (set
    BENCH_KEEP_OPENBLAS_ENV=1 to keep them). The OpenBLAS kernel in use is printed with the versions."""
    env = dict(os.environ)
    if os.environ.get("BENCH_KEEP_OPENBLAS_ENV") != "1":
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def run_timed(argv, env=None, timeout=1800, cwd=None):
    """Runs argv in a fresh process; returns wall seconds, peak RSS (KiB) and the last JSON line of
    stdout (every peer prints one)."""
    with tempfile.NamedTemporaryFile(prefix="bench-time-", delete=False) as tf:
        time_file = tf.name
    full = [GNU_TIME, "-f", "%M", "-o", time_file] + argv if os.path.exists(GNU_TIME) else argv
    t0 = time.perf_counter()
    try:
        p = subprocess.run(full, capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        os.unlink(time_file)
        return Run(time.perf_counter() - t0, None, None, f"timed out after {timeout} s")
    seconds = time.perf_counter() - t0
    peak = None
    try:
        with open(time_file) as f:
            lines = [ln for ln in f.read().split() if ln.isdigit()]
            peak = int(lines[-1]) if lines else None
    except OSError:
        pass
    os.unlink(time_file)
    if p.returncode != 0:
        tail = (p.stderr.strip() or p.stdout.strip()).splitlines()[-3:]
        return Run(seconds, peak, None, f"exit {p.returncode}: " + " | ".join(tail))
    output = None
    try:  # the whole output is one JSON document (e.g. pretty-printed by rct --format json) …
        whole = json.loads(p.stdout)
        output = whole if isinstance(whole, dict) else {"value": whole}
    except json.JSONDecodeError:
        pass
    for line in ([] if output else reversed(p.stdout.strip().splitlines())):  # … or its last JSON line
        line = line.strip()
        if line.startswith("{"):
            try:
                output = json.loads(line)
                break
            except json.JSONDecodeError:
                pass
    return Run(seconds, peak, output, stdout=p.stdout)


# ---------------------------------------------------------------------------------------------------
# The project: which subcommands exist, and which options they document.

def has_flag(help_text, flag):
    """True when the help text documents exactly this option (`--se` is not found in `--seed`)."""
    return re.search(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])", help_text or "") is not None


class Project:
    def __init__(self, binary, bench_bin):
        self.binary = binary
        self.bench_bin = bench_bin  # the folder of the benchmark package's executables
        self.help_cache = {}

    def bench(self, name):
        """The path of the benchmark package's executable `name` (import-bench, panel-bench)."""
        return os.path.join(self.bench_bin, name)

    def bench_missing(self, name):
        """Why the benchmark executable `name` cannot run, or None when it can."""
        if os.access(self.bench(name), os.X_OK):
            return None
        return (f"no {name} at {os.path.relpath(self.bench(name), ROOT)} (build the benchmark package: "
                f"make -C bench build)")

    def available(self):
        return self.binary is not None and os.access(self.binary, os.X_OK)

    def help(self, sub):
        """The --help text of `rct SUB`, or None when the subcommand does not exist."""
        if sub not in self.help_cache:
            text = None
            if self.available():
                p = subprocess.run([self.binary, *sub.split(), "--help"], capture_output=True, text=True)
                # An unknown subcommand makes the root command print its own help (exit 0), so the
                # subcommand's help must name it in its usage line: "USAGE: rct SUB ...".
                usage = " ".join(p.stdout.split())
                if p.returncode == 0 and f"USAGE: rct {sub}" in usage:
                    text = p.stdout
            self.help_cache[sub] = text
        return self.help_cache[sub]

    def has(self, sub, *flags):
        text = self.help(sub)
        return text is not None and all(has_flag(text, f) for f in flags)

    def missing(self, sub, *flags):
        """Why `rct SUB FLAGS…` cannot run, or None when it can."""
        if not self.available():
            return f"no rct binary at {self.binary} (build with `swift build -c release`)"
        text = self.help(sub)
        if text is None:
            return f"`rct {sub}` does not exist yet (`rct {sub} --help` failed)"
        absent = [f for f in flags if not has_flag(text, f)]
        if absent:
            return (f"`rct {sub}` exists but its --help lists no {', '.join(absent)}: "
                    f"update the project command of this task in bench/run.py")
        return None

    def version(self):
        if not self.available():
            return "not built"
        p = subprocess.run([self.binary, "--version"], capture_output=True, text=True)
        return p.stdout.strip() or "unknown"


# ---------------------------------------------------------------------------------------------------
# Tasks: each size has a list of tools; each tool gives its command or the reason it is skipped.

@dataclass
class Tool:
    name: str                 # short label in the table
    argv: list | None         # the command, or None when skipped
    skip: str | None = None   # why it is skipped
    project: bool = False     # the project side (the denominator of the ratio)
    scale: float = 1.0        # the measured run does 1/scale of the work; times are scaled up
    note: str = ""
    env: dict | None = None
    before: object = None     # a callable run before each timed run (e.g. remove an old store)
    max_runs: int | None = None  # fewer runs for a peer whose every run is slow for a known reason
    display: str | None = None  # how the report shows the command, when argv is too long to print
    check: object = None      # a callable run after the case: returns a note comparing answers
    time_from_output: bool = False  # time and memory are the "seconds_rct" / "peak_kb" the command reports
    parse: object = None      # turns a plain-text stdout into the output dict (for commands without JSON)


@dataclass
class Case:
    task: str
    size: str
    runs: int
    tools: list = field(default_factory=list)
    budget_note: bool = False


def rscript():
    return shutil.which("Rscript")


def r_package(pkg):
    r = rscript()
    if not r:
        return False
    p = subprocess.run([r, "-e", f"quit(status = !requireNamespace('{pkg}', quietly = TRUE))"],
                       capture_output=True)
    return p.returncode == 0


def py_module(mod):
    if not os.path.exists(VENV_PY):
        return False
    return subprocess.run([VENV_PY, "-c", f"import {mod}"], capture_output=True).returncode == 0


class Peers:
    """Which peers are installed (checked once)."""
    def __init__(self):
        self.r = rscript() is not None
        self.estimatr = self.r and r_package("estimatr")
        self.datatable = self.r and r_package("data.table")
        self.openssl = self.r and r_package("openssl")
        self.py = {m: py_module(m) for m in ("numpy", "pandas", "polars", "statsmodels", "pyfixest", "duckdb")}

    def r_skip(self, *packages):
        if not self.r:
            return "R is not installed (make -C bench peers)"
        have = {"estimatr": self.estimatr, "data.table": self.datatable, "openssl": self.openssl}
        absent = [p for p in packages if not have[p]]
        return f"R package {', '.join(absent)} is not installed (make -C bench peers)" if absent else None

    def py_skip(self, *mods):
        if not os.path.exists(VENV_PY):
            return "bench/.venv does not exist (make -C bench peers)"
        absent = [m for m in mods if not self.py[m]]
        return f"Python package {', '.join(absent)} is not installed (make -C bench peers)" if absent else None


def tool(name, argv, skip, **kw):
    return Tool(name, None if skip else argv, skip, **kw)


def ri_cases(project, peers, smoke, runs):
    sizes = [(112, 5), (2000, 5), (20000, 3)] if not smoke else [(112, 1), (2000, 1)]
    perms_full = PERMUTATIONS if not smoke else 200
    cases = []
    for n, default_runs in sizes:
        path = os.path.join(DATA, "ri", f"ri_{n}.csv")
        if gen.ri_data(path, n):
            log(f"generated {os.path.relpath(path, ROOT)}")
        big = n >= 20000
        c = Case("Randomization inference, blocked, OLS with 2 covariates", f"N = {n:,}", runs or default_runs)
        skip = project.missing("ri", "--data", "--outcome", "--treatment", "--blocks", "--covariates",
                               "--statistic", "--permutations", "--seed", "--format")
        c.tools.append(tool("rct ri", [project.binary, "ri", "--data", path, "--outcome", "y", "--treatment", "z",
                                       "--blocks", "block", "--covariates", "x1,x2", "--statistic", "ols",
                                       "--permutations", str(perms_full), "--seed", str(RI_SEED),
                                       "--format", "json"], skip, project=True))

        def scaled(p):
            p = max(1, p if not smoke else p // 50)
            return p, perms_full / p

        p, s = scaled(2000 if big else PERMUTATIONS)
        c.tools.append(tool("R lm.fit loop", [rscript() or "Rscript", os.path.join(PEERS, "ri_lmfit.R"), path, str(p),
                                              str(RI_SEED)], peers.r_skip(), scale=s))
        if n <= 112:
            p, s = scaled(500)
            c.tools.append(tool("R estimatr lm_robust loop", [rscript() or "Rscript", os.path.join(PEERS, "ri_estimatr.R"),
                                                              path, str(p), str(RI_SEED)], peers.r_skip("estimatr"), scale=s))
        p, s = scaled(2000 if big else PERMUTATIONS)
        c.tools.append(tool("numpy lstsq loop", [VENV_PY, os.path.join(PEERS, "ri_numpy.py"), path, str(p), str(RI_SEED)],
                            peers.py_skip("numpy", "pandas"), scale=s, env=peer_env()))
        if not big:
            p, s = scaled(2000 if n <= 112 else 1000)
            c.tools.append(tool("statsmodels OLS loop", [VENV_PY, os.path.join(PEERS, "ri_numpy.py"), path, str(p),
                                                         str(RI_SEED), "statsmodels"],
                                peers.py_skip("numpy", "pandas", "statsmodels"), scale=s, env=peer_env()))
        # pyfixest's fastest variant for the size: block indicators with ritest's fast (numba) algorithm
        # at N = 112; absorbed block effects with its slow algorithm above (the fast one would refit
        # 125 or 1,250 indicator columns, about 30 ms per permutation at N = 2,000).
        mode = "dummies" if n <= 112 else "fe"
        p, s = scaled(PERMUTATIONS if mode == "dummies" else 500)
        c.tools.append(tool("pyfixest ritest", [VENV_PY, os.path.join(PEERS, "ri_pyfixest.py"), path, str(p), str(RI_SEED),
                                                mode],
                            peers.py_skip("pyfixest"), scale=s, env=peer_env(), max_runs=2,
                            note=("block indicators, fast algorithm" if mode == "dummies" else
                                  "blocks absorbed, slow algorithm (the fast one fails on absorbed effects)")
                                 + "; re-draws without blocks (ritest has no strata); each fresh process "
                                 "compiles numba kernels first (in the wall time, not in compute s)"))
        cases.append(c)
    return cases


def effects_cases(project, peers, smoke, runs):
    folder = os.path.join(DATA, "effects")
    if gen.effects_data(folder):
        log("generated bench/data/effects/effects_m6.csv, effects_m12.csv")
    files = [os.path.join(folder, f"effects_{w}.csv") for w in ("m6", "m12")]
    outcomes = ",".join(o for o, _ in gen.OUTCOMES)
    perms = PERMUTATIONS if not smoke else 200
    c = Case("Effect table: 17 outcomes x 2 waves, Lin + HC2, RI p, sharpened q", "112 families",
             runs or (5 if not smoke else 1))
    # rct's side is a chain of commands (estimate, ri, adjust per family) glued by a small script that
    # times the rct processes only; steps whose command is missing are left out and named in the note.
    skip = project.missing("estimate", "--data", "--outcome", "--treatment", "--estimator", "--covariates",
                           "--fixed-effects", "--se", "--format")
    argv, note, display = None, "", None
    prefix = os.path.join(RESULTS, "effects_rct")
    if not skip:
        argv = [sys.executable, os.path.join(PEERS, "effects_rct.py"), project.binary, str(perms), str(RI_SEED),
                prefix] + files
        has_ri = project.has("ri", "--data", "--outcome", "--treatment", "--blocks", "--covariates", "--statistic",
                             "--permutations", "--seed", "--format")
        has_adjust = has_ri and project.has("adjust", "--method", "--p", "--format")
        outcomes_arg = ",".join(o for o, _ in gen.OUTCOMES)
        lines = [f"rct estimate --data effects_m6.csv --outcome {outcomes_arg} --treatment z --estimator lin "
                 f"--covariates {','.join(gen.COVARIATES)} --fixed-effects stratum --se hc2 --format json"]
        if has_ri:
            lines.append(f"rct ri --data effects_m6.csv --outcome {outcomes_arg} --treatment z --blocks stratum "
                         f"--covariates {','.join(gen.COVARIATES)} --statistic ols --permutations {perms} "
                         f"--seed {RI_SEED} --format json")
        if has_adjust:
            lines.append("rct adjust --method sharpened_q --p P1,P2,… --format json   # once per family of outcomes")
        display = ("# " + " ".join(shlex.quote(a) for a in argv).replace(ROOT + "/", "") +
                   "\n# runs, for each wave file:\n" + "\n".join(lines))
        note = "; ".join(["Lin + FE, HC2 (rct estimate)",
                          "RI on the 17 outcomes at once (rct ri)" if has_ri else "no RI yet (rct ri missing)",
                          "sharpened q (rct adjust)" if has_adjust else "no q-values yet (rct adjust missing)",
                          "time and memory of the rct processes only (glue: peers/effects_rct.py)"])
    out = os.path.join(RESULTS, "effects_estimatr.csv")
    kept = [(w, f"{prefix}_{w}.json") for w in ("m6", "m12")]
    check = (lambda: compare_effects(kept, out)) if argv else None
    c.tools.append(tool("rct estimate + ri + adjust", argv, skip, project=True, note=note, display=display,
                        check=check, time_from_output=True))
    c.tools.append(tool("R estimatr: Lin + FE, HC2 only", [rscript() or "Rscript", os.path.join(PEERS, "effects_estimatr.R"),
                                                          files[0], files[1], "0", str(RI_SEED), out],
                        peers.r_skip("estimatr"), note="like for like with rct estimate: no RI, no q-values"))
    c.tools.append(tool("R estimatr + lm.fit RI + q", [rscript() or "Rscript", os.path.join(PEERS, "effects_estimatr.R"),
                                                       files[0], files[1], str(perms), str(RI_SEED),
                                                       os.path.join(RESULTS, "effects_estimatr_ri.csv")],
                        peers.r_skip("estimatr"),
                        note="the whole table: RI draws shared by the 17 outcomes of a wave, sharpened q"))
    return [c]


def import_cases(project, peers, smoke, runs, large):
    sizes = [(1_000_000, 5), (10_000_000, 3)] + ([(30_000_000, 2)] if large else [])
    if smoke:
        sizes = [(40_000, 1)]
    key = os.path.join(DATA, "bench.key")
    gen.bench_key(key)
    cases = []
    for rows, default_runs in sizes:
        path = os.path.join(DATA, "import", f"vdab_{rows}.csv")
        if not os.path.exists(path):
            log(f"generating {os.path.relpath(path, ROOT)} ({rows:,} rows; cached for later runs)…")
            t0 = time.perf_counter()
            gen.vdab_extract(path, rows)
            log(f"generated in {time.perf_counter() - t0:.0f} s")
        c = Case("Import a VDAB month-status extract (validate INSZ, HMAC-SHA-256 pseudonyms)",
                 f"{rows:,} rows", runs or default_runs)
        # The project's side: `import-bench run FILE` (bench/Sources/import-bench): it streams the file through
        # the importer with a fixed design for this dialect and the fixed key bench.key also holds.
        skip = project.bench_missing("import-bench")
        argv = [project.bench("import-bench"), "run", path]
        name = "import-bench run"
        c.tools.append(tool(name, argv, skip, project=True, parse=parse_import_bench))
        c.tools.append(tool("R data.table + openssl", [rscript() or "Rscript", os.path.join(PEERS, "import_datatable.R"),
                                                       path, key], peers.r_skip("data.table", "openssl")))
        c.tools.append(tool("pandas", [VENV_PY, os.path.join(PEERS, "import_pandas.py"), path, key],
                            peers.py_skip("pandas"), env=peer_env()))
        c.tools.append(tool("polars", [VENV_PY, os.path.join(PEERS, "import_polars.py"), path, key],
                            peers.py_skip("polars"), env=peer_env()))
        # The same import without duplicate detection, as the peers do none: what the check costs. Last, so a
        # peer stays the reference of the answers' agreement check.
        c.tools.append(tool(name + " --no-duplicate-check", argv + ["--no-duplicate-check"], skip,
                            parse=parse_import_bench, note="rct without its duplicate-row check, like the peers "
                            "(ratio: this time / rct's with the check)"))
        cases.append(c)
    return cases


def parse_import_bench(stdout):
    """`rows read N, accepted A, rejected R, sha256 …` (import-bench run) as the peers' counts."""
    m = re.search(r"rows read (\d+), accepted (\d+), rejected (\d+)", stdout)
    if not m:
        return None
    return {"rows": int(m.group(1)), "valid_rows": int(m.group(2)), "rejected_rows": int(m.group(3))}


def panel_cases(project, peers, smoke, runs):
    families = 100_000 if not smoke else 2_000
    folder = os.path.join(DATA, "panel")
    if not all(os.path.exists(os.path.join(folder, f"panel_{k}_{families}.csv")) for k in ("families", "vdab", "ocmw")):
        log(f"generating the panel inputs for {families:,} families…")
        gen.panel_data(folder, families)
    f = {k: os.path.join(folder, f"panel_{k}_{families}.csv") for k in ("families", "vdab", "ocmw")}
    c = Case("Follow-up panel: months 1-6 and 7-12 from each family's assignment day",
             f"{families:,} families", runs or (5 if not smoke else 1))
    out_project = os.path.join(RESULTS, "panel_rct.csv")
    # `panel-bench FAMILIES VDAB OCMW --out OUT` (bench/Sources/panel-bench): the files through the streaming
    # reader and Panel.derive, the same CSV and JSON line as the peers.
    skip = project.bench_missing("panel-bench")
    argv = [project.bench("panel-bench"), f["families"], f["vdab"], f["ocmw"], "--out", out_project]
    c.tools.append(tool("rct panel", argv, skip, project=True))
    c.tools.append(tool("R data.table", [rscript() or "Rscript", os.path.join(PEERS, "panel_datatable.R"), f["families"],
                                         f["vdab"], f["ocmw"], os.path.join(RESULTS, "panel_datatable.csv")],
                        peers.r_skip("data.table")))
    c.tools.append(tool("polars", [VENV_PY, os.path.join(PEERS, "panel_polars.py"), f["families"], f["vdab"],
                                   f["ocmw"], os.path.join(RESULTS, "panel_polars.csv")],
                        peers.py_skip("polars"), env=peer_env()))
    return [c]


# ---------------------------------------------------------------------------------------------------
# The product's commands as an evaluator runs them (issue 25): `rct import` into a fresh trial store,
# `rct panel` from the store and the whole `rct run`, on data written by `rct simulate` (the bundled
# trial's design and dialects, N screened families), beside polars and DuckDB doing the import (read,
# validate, pseudonymise, write Parquet) and the panel (four of the design's outcomes from the Parquet).

COMMAND_DESIGN = os.path.join(ROOT, "designs", "mission-kortrijk.yaml")


def store_files(path):
    return [path + suffix for suffix in ("", "-wal", "-shm")]


def remove_store(path):
    for p in store_files(path):
        if os.path.exists(p):
            os.unlink(p)


def commands_data(project, families):
    """The simulated trial of `families` screened families under bench/data/commands/N/ (cached): the
    design (the bundled one, with when_full: keep_randomising so that capacity does not pause a large
    cohort), its data, a store with the cohort assigned, a store with everything imported, and the
    assignments exported for the peers (families.csv). Returns the folder's paths, or a reason."""
    folder = os.path.join(DATA, "commands", str(families))
    paths = {"folder": folder, "design": os.path.join(folder, "designs", "bench.yaml"),
             "data": os.path.join(folder, "fixtures", "mission"),
             "assigned": os.path.join(folder, "assigned.sqlite"), "imported": os.path.join(folder, "imported.sqlite"),
             "peers": os.path.join(folder, "peers")}
    if os.path.exists(os.path.join(folder, "ready")):
        return paths, (import_with_this_binary(project, paths) if project.available() else f"no rct binary at {project.binary}")
    if not project.available():
        return paths, f"no rct binary at {project.binary}"
    log(f"preparing the simulated trial of {families:,} families (rct simulate, init, assign, import; cached)…")
    t0 = time.perf_counter()
    os.makedirs(os.path.dirname(paths["design"]), exist_ok=True)
    with open(COMMAND_DESIGN, encoding="utf-8") as f:
        design = f.read().replace("when_full: pause", "when_full: keep_randomising")
    with open(paths["design"], "w", encoding="utf-8") as f:
        f.write(design)
    steps = [[project.binary, "simulate", paths["design"], "--seed", "1", "--families", str(families), "--out", paths["data"]],
             [project.binary, "init", paths["design"], "--store", paths["assigned"]],
             [project.binary, "assign", paths["design"], "--cohort", os.path.join(paths["data"], "cohort.csv"),
              "--store", paths["assigned"]]]
    remove_store(paths["assigned"])
    for i, argv in enumerate(steps):
        if i == 1:
            os.chmod(os.path.join(paths["data"], "pseudonym.key"), 0o600)
        p = subprocess.run(argv, capture_output=True, text=True)
        if p.returncode != 0:
            return paths, f"`{' '.join(argv[1:3])}` failed: {(p.stderr or p.stdout).strip().splitlines()[-1:]}"
    why = import_with_this_binary(project, paths)
    if why:
        return paths, why
    import sqlite3
    import csv
    os.makedirs(paths["peers"], exist_ok=True)
    with sqlite3.connect(paths["assigned"]) as con, open(os.path.join(paths["peers"], "families.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["unit_id", "link_key", "assigned_on"])
        w.writerows(con.execute("SELECT unit_id, link_key, assigned_on FROM assignments ORDER BY seq"))
    open(os.path.join(folder, "ready"), "w").close()
    log(f"prepared in {time.perf_counter() - t0:.0f} s")
    return paths, None


def import_with_this_binary(project, paths):
    """Makes the cached imported store (the one `rct panel` reads, and whose size the import's row states)
    again with the binary being measured, when another binary made it: the store's layout and size are the
    binary's. Not timed. Returns a reason when the import fails."""
    stamp = os.path.join(paths["folder"], "imported-by")
    with open(project.binary, "rb") as f:
        identity = hashlib.sha256(f.read()).hexdigest()
    if os.path.exists(paths["imported"]) and os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as f:
            if f.read() == identity:
                return None
    log(f"importing {paths['folder']} again with this rct binary (the panel reads that store; not timed)…")
    remove_store(paths["imported"])
    for a, b in zip(store_files(paths["assigned"]), store_files(paths["imported"])):
        if os.path.exists(a):
            shutil.copyfile(a, b)
    p = subprocess.run([project.binary, "import", paths["design"], "--store", paths["imported"]], capture_output=True, text=True)
    if p.returncode != 0:
        return f"`rct import` failed: {p.stderr.strip().splitlines()[-1:]}"
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(identity)
    return None


def store_text(path):
    """The imported store's size and rows, for the note ("; store 108 MB: 470,000 records, 230 bytes each")."""
    import sqlite3
    try:
        with sqlite3.connect(path) as con:
            records = con.execute("SELECT count(*) FROM registry_records").fetchone()[0]
            responses = con.execute("SELECT count(*) FROM survey_responses").fetchone()[0]
    except sqlite3.Error:
        return ""
    size = sum(os.path.getsize(p) for p in store_files(path) if os.path.exists(p))
    return (f"; the store after the import: {size / 1e6:.0f} MB for {records:,} registry records and "
            f"{responses:,} survey responses ({size / max(1, records + responses):.0f} bytes per row)")


def extract_rows(paths):
    """Data rows of the three registry extracts the peers read (the header lines not counted)."""
    total = 0
    for name in ("vdab_status.csv", "ocmw_leefloon.csv", "ocmw_steun.csv"):
        with open(os.path.join(paths["data"], name), "rb") as f:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
    return total


def compare_panels(rct_csv, peer_csvs):
    """Cell by cell on the four outcomes the peers derive, over the cells rct reports (rct leaves a family's
    window empty after it left the trial's scope, which the peers do not read)."""
    import csv
    cols = ("leefloon", "employment_programme", "job_seeker_months", "supplementary_amount")
    with open(rct_csv, newline="") as f:
        rct = {(r["family_id"], r["wave"]): r for r in csv.DictReader(f) if r["wave"] in ("m6", "m12")}
    verdicts = []
    for name, path in peer_csvs:
        if not os.path.exists(path):
            continue
        with open(path, newline="") as f:
            peer = {(r["unit_id"], r["wave"]): r for r in csv.DictReader(f)}
        cells = differ = censored = 0
        for key, r in rct.items():
            for c in cols:
                if r[c] == "":
                    censored += 1
                    continue
                cells += 1
                p = peer.get(key)
                if p is None or abs(float(r[c]) - float(p[c])) > 1e-6 * max(1.0, abs(float(r[c]))):
                    differ += 1
        verdicts.append(f"{name}: {cells:,} cells compared, {differ} differ" + ("" if differ == 0 else " (**DIFFERS**)"))
    return "; ".join(verdicts) + (f"; {censored:,} cells empty in rct (scope exits)" if verdicts else "")


def commands_cases(project, peers, smoke, runs, large):
    sizes = [(1_000, 3), (10_000, 3), (100_000, 2)] if not smoke else [(300, 1)]
    cases = []
    for families, default_runs in sizes:
        paths, why = commands_data(project, families)
        label = f"{families:,} families"
        stored = ""
        if not why:
            label += f" ({extract_rows(paths):,} extract rows)"
            stored = store_text(paths["imported"])
        n = runs or default_runs
        work = os.path.join(paths["folder"], "work.sqlite")
        out = os.path.join(paths["folder"], "out")

        def fresh_store(work=work, paths=paths):
            remove_store(work)
            for a, b in zip(store_files(paths["assigned"]), store_files(work)):
                if os.path.exists(a):
                    shutil.copyfile(a, b)

        c = Case("Import the trial's registry extracts into a store", label, n)
        skip = why or project.missing("import", "--store")
        c.tools.append(tool("rct import", [project.binary, "import", paths["design"], "--store", work], skip,
                            project=True, before=fresh_store,
                            note="into a copy of the store with the cohort assigned (copied before each run, not "
                                 "timed); all eight sources: the three extracts below, federal statements, three "
                                 "survey waves, scope exits; duplicate, code, date and participant checks; the "
                                 "import chain" + stored))
        for name, script, mod in (("polars", "pipeline_polars.py", "polars"), ("DuckDB", "pipeline_duckdb.py", "duckdb")):
            c.tools.append(tool(name, [VENV_PY, os.path.join(PEERS, script), "import", paths["data"], paths["peers"]],
                                why or peers.py_skip(mod), env=peer_env(),
                                note="VDAB, leefloon and OCMW aid extracts only: validate, pseudonymise, parse, "
                                     "drop repeated rows and corrected decisions, write Parquet"))
        cases.append(c)

        c = Case("Derive the follow-up panel from the store", label, n)
        skip = why or project.missing("panel", "--store", "--out", "--formats")
        rct_panel = os.path.join(out, "internal", "panel", "panel_wide.csv")
        c.tools.append(tool("rct panel", [project.binary, "panel", paths["design"], "--store", paths["imported"], "--out",
                                          out, "--formats", "csv"], skip, project=True,
                            note="every outcome of the design (23) for the three waves, CSV only (--formats csv), "
                                 "with data dictionary and CONSORT counts; the store verified first"))
        peer_panels = []
        for name, script, mod, csv_name in (("polars", "pipeline_polars.py", "polars", "panel_polars.csv"),
                                            ("DuckDB", "pipeline_duckdb.py", "duckdb", "panel_duckdb.csv")):
            peer_panels.append((name, os.path.join(paths["peers"], csv_name)))
            c.tools.append(tool(name, [VENV_PY, os.path.join(PEERS, script), "panel", paths["data"], paths["peers"]],
                                why or peers.py_skip(mod), env=peer_env(),
                                note="four outcomes (leefloon, employment_programme, job_seeker_months, "
                                     "supplementary_amount) for m6 and m12 from its own Parquet files"))
        c.tools[0].check = (lambda rct_panel=rct_panel, peer_panels=peer_panels: compare_panels(rct_panel, peer_panels))
        cases.append(c)

        if families <= 10_000 or large:
            c = Case("The whole evaluation (`rct run`): store, assignment, import, panel, estimates, report", label,
                     max(1, n - 1))
            run_store = os.path.join(paths["folder"], "run.sqlite")
            c.tools.append(tool("rct run", [project.binary, "run", paths["design"], "--store", run_store, "--out",
                                            os.path.join(paths["folder"], "run-out"), "--formats", "csv"],
                                why or project.missing("run", "--store", "--out"), project=True,
                                before=lambda run_store=run_store, paths=paths: (
                                    remove_store(run_store), shutil.rmtree(os.path.join(paths["folder"], "run-out"),
                                                                          ignore_errors=True)),
                                note="fresh store each run; the design's analysis: Lin-adjusted effects with HC2 for "
                                     "every outcome and wave, randomization inference, sharpened q-values, subgroups, "
                                     "attrition bounds, the report; no peer runs the whole chain"))
            cases.append(c)
    return cases


# ---------------------------------------------------------------------------------------------------
# Estimation at national scale (issue 25): y ~ z + 20 covariates with 500 strata absorbed, HC2, and
# clustered by caseworker with CR2.

def estimation_cases(project, peers, smoke, runs, large):
    sizes = [(10_000, 3), (100_000, 3)] + ([(1_000_000, 2)] if large else [])
    if smoke:
        sizes = [(2_000, 1)]
    cases = []
    covariates = ",".join(f"x{j + 1}" for j in range(gen.SCALE_COVARIATES))
    for n, default_runs in sizes:
        path = os.path.join(DATA, "estimation", f"scale_{n}.csv")
        if not os.path.exists(path):
            log(f"generating {os.path.relpath(path, ROOT)} ({n:,} rows; cached)…")
            gen.scale_data(path, n)
        clusters, strata = gen.scale_clusters(n), gen.scale_strata(n)
        for se in ("hc2", "cr2"):
            what = ("HC2" if se == "hc2" else f"CR2, {clusters:,} clusters")
            c = Case(f"Estimate: y ~ z + 20 covariates, strata absorbed, {what}", f"N = {n:,}, {strata} strata",
                     runs or default_runs)
            argv = [project.binary, "estimate", "--data", path, "--outcome", "y", "--treatment", "z", "--estimator",
                    "ols", "--covariates", covariates, "--fixed-effects", "stratum", "--se", se, "--format", "json"]
            if se == "cr2":
                argv[-2:-2] = ["--clusters", "cluster"]
            c.tools.append(tool("rct estimate", argv, project.missing("estimate", "--data", "--fixed-effects", "--se"),
                                project=True, parse=parse_rct_estimate))
            estimatr_skip = peers.r_skip("estimatr", "data.table")
            if se == "cr2" and n > 20_000 and not estimatr_skip:
                estimatr_skip = ("estimatr's CR2 with absorbed fixed effects forms N × N matrices: at N = 100,000 it "
                                 "held 20 GB after 5 minutes and was stopped (measured 2026-12-07)")
            if se == "hc2" and n > 100_000 and not estimatr_skip:
                estimatr_skip = "estimatr's HC2 took 44 s and 1.5 GB at N = 100,000; at 10^6 it does not fit the budget"
            # One run where a run takes minutes (CR2: 109 s at N = 10,000; HC2: 44 s at 100,000), so that
            # `make bench` stays within its 15 minutes.
            slow = (se == "cr2" and n >= 10_000) or (se == "hc2" and n >= 100_000)
            c.tools.append(tool("R estimatr lm_robust", [rscript() or "Rscript", os.path.join(PEERS, "scale_estimatr.R"),
                                                         path, se], estimatr_skip, max_runs=1 if slow else None,
                                note="one run: each takes minutes" if slow else ""))
            c.tools.append(tool("pyfixest feols", [VENV_PY, os.path.join(PEERS, "scale_pyfixest.py"), path, se],
                                peers.py_skip("pyfixest"), env=peer_env(),
                                note=("HC1 (pyfixest has no HC2 with absorbed effects)" if se == "hc2" else
                                      "CRV1 (pyfixest has no CR2 with absorbed effects)") + ": same estimate, "
                                     "a slightly different standard error"))
            c.tools.append(Tool("R fixest feols", None, "fixest is not in Debian's archive and CRAN is not reachable "
                                                        "from this machine; pyfixest implements the same algorithm"))
            cases.append(c)
    return cases


def parse_rct_estimate(stdout):
    """The treatment's row of `rct estimate --format json`."""
    try:
        doc = json.loads(stdout)
    except json.JSONDecodeError:
        return None
    for r in doc.get("estimates", []):
        if r.get("term") == "z":
            return {"estimate": r["estimate"], "std_error": r["std_error"], "df": r.get("df")}
    return None


# ---------------------------------------------------------------------------------------------------
# Running the cases in alternation and summarising.

def scaled_seconds(run, scale):
    """Wall time of the full workload: the start-up part once, the computing part times `scale`."""
    if scale == 1.0:
        return run.seconds
    compute = (run.output or {}).get("seconds_compute")
    if compute is None:
        return run.seconds * scale
    return run.seconds + compute * (scale - 1.0)


def find_key(obj, names, depth=0):
    """The first number under one of `names` in a JSON value (searching nested objects and lists)."""
    if depth > 4:
        return None
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in names and isinstance(v, (int, float)):
                return v
        children = list(obj.values())
    elif isinstance(obj, list):
        children = obj[:3]
    else:
        return None
    for v in children:
        found = find_key(v, names, depth + 1)
        if found is not None:
            return found
    return None


def result_text(out):
    if not out:
        return ""
    if "sources" in out:
        return ", ".join(f"{k} {v['kept']:,}" for k, v in out["sources"].items()) + " rows kept"
    if "std_error" in out and "estimate" in out:
        return (f"est {out['estimate']:.5f}, se {out['std_error']:.5f}"
                + (f", df {out['df']:.0f}" if isinstance(out.get("df"), (int, float)) else ""))
    if "p_value" not in out and "valid_rows" not in out and "sums" not in out:
        # The project's JSON: show an estimate and a p-value when it has them (names are guessed).
        est = find_key(out, ("estimate", "observed", "observed_statistic", "statistic"))
        p = find_key(out, ("p_value", "p_two_tailed", "pValue", "p", "p_two_sided", "pvalue"))
        return ", ".join(x for x in (f"est {est:.4f}" if est is not None else "",
                                     f"p {p:.3f}" if p is not None else "") if x)
    if "p_value" in out:
        s = f"est {out['estimate']:.4f}, p {out['p_value']:.3f}"
        return s + (f", q {out['q_value']:.3f}" if "q_value" in out else "")
    if "valid_rows" in out:
        return (f"{out['valid_rows']:,} valid, {out['rejected_rows']:,} rejected"
                + (f", digest {out['digest']}" if "digest" in out else ""))
    if "sums" in out:
        sums = out["sums"]
        if "leefloon" in sums:
            return (f"{out['rows']:,} rows; sums: leefloon {sums['leefloon']:.0f}, programme "
                    f"{sums['employment_programme']:.0f}, job-seeker share {sums['job_seeker_months']:.1f}, "
                    f"amount {sums['supplementary_amount']:.0f}")
        return (f"{out['rows']:,} rows; sums: programme {sums.get('employment_programme', 0):.0f}, "
                f"job-seeker share {sums.get('job_seeker_months', 0):.1f}, aid {sums.get('supplementary_aid', 0):.0f}")
    return ""


DEADLINE = [None]  # time.perf_counter() value after which every remaining tool runs once only


def run_case(case, timeout):
    active = [t for t in case.tools if t.argv]
    for t in case.tools:
        if not t.argv:
            log(f"SKIP {case.task} [{case.size}] {t.name}: {t.skip}")
    runs = {t.name: [] for t in active}
    for r in range(case.runs):
        for t in active:
            if runs[t.name] and runs[t.name][-1].error:
                continue  # a tool that failed once is not retried
            if t.max_runs and len(runs[t.name]) >= t.max_runs:
                continue
            if runs[t.name] and DEADLINE[0] and time.perf_counter() > DEADLINE[0]:
                if not case.budget_note:
                    log(f"time budget reached: the remaining tools of this and later cases run once")
                case.budget_note = True
                continue
            if t.before:
                t.before()
            run = run_timed(t.argv, env=t.env, timeout=timeout)
            if t.parse and not run.error:
                run.output = t.parse(run.stdout)
            if t.time_from_output and run.output and "seconds_rct" in run.output:
                run.seconds, run.peak_kb = run.output["seconds_rct"], run.output.get("peak_kb")
            runs[t.name].append(run)
            status = run.error or f"{scaled_seconds(run, t.scale):.2f} s"
            log(f"{case.task[:40]} [{case.size}] run {r + 1}/{case.runs} {t.name}: {status}")
    rows = []
    project_median = None
    for t in case.tools:
        if case.budget_note and "time budget" not in t.note:
            t.note = (t.note + "; " if t.note else "") + "fewer runs: time budget reached"
        row = {"task": case.task, "size": case.size, "tool": t.name, "project": t.project,
               "command": (t.display or " ".join(shlex.quote(a) for a in t.argv)) if t.argv else None,
               "skip": t.skip, "scale": t.scale, "note": t.note}
        ok = [x for x in runs.get(t.name, []) if not x.error]
        failed = [x for x in runs.get(t.name, []) if x.error]
        if failed:
            row["error"] = failed[0].error
        if ok:
            secs = [scaled_seconds(x, t.scale) for x in ok]
            peaks = [x.peak_kb for x in ok if x.peak_kb]
            computes = [x.output.get("seconds_compute") for x in ok if x.output]
            if computes and len(computes) == len(ok) and None not in computes:
                row["compute_median"] = statistics.median(computes) * t.scale
            row["each_run"] = [{"seconds": round(x.seconds, 4), "scaled_seconds": round(scaled_seconds(x, t.scale), 4),
                                "peak_kb": x.peak_kb, "seconds_compute": (x.output or {}).get("seconds_compute")}
                               for x in ok]
            row.update(runs=len(ok), median=statistics.median(secs), min=min(secs),
                       peak_mb=(statistics.median(peaks) / 1024 if peaks else None),
                       result=result_text(ok[-1].output), output=ok[-1].output)
            if t.project:
                project_median = row["median"]
        rows.append(row)
    for row in rows:
        if not row["project"] and project_median and row.get("median"):
            row["ratio"] = row["median"] / project_median
    check_agreement(rows)
    for t, row in zip(case.tools, rows):
        if t.check and row.get("runs"):
            try:
                verdict = t.check()
            except Exception as e:  # a comparison that cannot be made is reported, not fatal
                verdict = f"comparison failed: {e}"
            if verdict:
                log(f"{case.task[:40]} [{case.size}] {t.name}: {verdict}")
                row["note"] = (row["note"] + "; " if row["note"] else "") + verdict
    return rows


def compare_effects(kept, estimatr_csv):
    """Compares rct's treatment estimates and standard errors (term = the treatment column) with the
    estimatr table, outcome by outcome and wave by wave; returns a one-line verdict."""
    import csv
    with open(estimatr_csv, newline="") as f:
        ref = {(r["wave"], r["outcome"]): (float(r["estimate"]), float(r["std.error"])) for r in csv.DictReader(f)}
    got = {}
    for wave, path in kept:
        with open(path) as f:
            doc = json.load(f)
        for r in doc.get("estimates", []):
            if r.get("term") == "z":
                got[(r.get("wave", wave), r["outcome"])] = (r["estimate"], r["std_error"])
    common = sorted(set(ref) & set(got))
    if not common:
        return "**no estimate of rct could be matched with estimatr's**"
    worst = max(max(abs(a - b) / max(abs(b), 1e-12) for a, b in zip(got[k], ref[k])) for k in common)
    verdict = (f"{len(common)} estimates and HC2 standard errors vs estimatr: max relative difference {worst:.1e}")
    return verdict if worst < 1e-6 else f"**{verdict}**"


def answer(out):
    """The part of a tool's output that every tool must reproduce exactly (None when not comparable):
    row counts and the pseudonym digest of an import, the panel's sums, an RI or effect estimate (to
    6 significant digits; p-values differ by Monte Carlo error and are not compared)."""
    if not out:
        return None
    if "sources" in out:
        return ("sources",) + tuple(v["kept"] for v in out["sources"].values())
    if "valid_rows" in out:
        return ("import", out["valid_rows"], out["rejected_rows"]) + ((out["digest"],) if "digest" in out else ())
    if "sums" in out:
        return ("panel", out["rows"]) + tuple(round(float(out["sums"][k]), 2) for k in
                                            ("leefloon", "employment_programme", "job_seeker_months",
                                             "supplementary_aid", "supplementary_amount") if k in out["sums"])
    if "estimate" in out and isinstance(out["estimate"], (int, float)):
        return ("estimate", float(f"{out['estimate']:.6g}"))
    return None


def check_agreement(rows):
    """Marks every tool whose answer differs from the first peer's (the reference of the case)."""
    answers = [(r, answer(r.get("output"))) for r in rows if r.get("output")]
    reference = next(((r, a) for r, a in answers if a and not r["project"]), None)
    if not reference:
        return
    ref_row, ref = reference
    for r, a in answers:
        if a is None or a[0] != ref[0] or r is ref_row:
            continue
        common = min(len(a), len(ref))  # e.g. rct reports counts but not the peers' pseudonym digest
        if a[:common] != ref[:common]:
            r["disagrees"] = f"DIFFERS from {ref_row['tool']}: {a[1:]} vs {ref[1:]}"
            log(f"{r['task'][:40]} [{r['size']}] {r['tool']}: answer {r['disagrees']}")


# ---------------------------------------------------------------------------------------------------
# Machine, versions, report.

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return ""


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem_kb = int(sh("awk '/MemTotal/ {print $2}' /proc/meminfo") or 0)
    return {"cores": sh("nproc"), "memory": f"{mem_kb / 1024 / 1024:.1f} GiB", "cpu": cpu or platform.processor(),
            "os": sh(". /etc/os-release && echo $PRETTY_NAME"), "kernel": platform.release(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load": sh("cut -d' ' -f1-3 /proc/loadavg")}


def versions(project):
    v = {"rct": project.version(), "swift": sh("swift --version 2>&1 | head -1")}
    if rscript():
        v["R"] = sh("Rscript -e 'cat(R.version.string)'")
        for pkg in ("estimatr", "data.table", "openssl"):
            v[f"R {pkg}"] = sh(f"Rscript -e 'cat(tryCatch(as.character(packageVersion(\"{pkg}\")), error=function(e) \"not installed\"))'")
        v["R BLAS"] = sh("Rscript -e 'cat(basename(extSoftVersion()[[\"BLAS\"]]))'") or "reference"
    if os.path.exists(VENV_PY):
        v["Python"] = sh(f"{VENV_PY} --version")
        for m in ("numpy", "pandas", "pyarrow", "polars", "duckdb", "statsmodels", "pyfixest", "numba"):
            v[m] = sh(f"{VENV_PY} -c 'import {m}; print({m}.__version__)' 2>/dev/null") or "not installed"
        env = "" if os.environ.get("BENCH_KEEP_OPENBLAS_ENV") == "1" else "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "
        v["numpy BLAS"] = sh(env + VENV_PY + " -c \"import numpy, threadpoolctl; i = threadpoolctl.threadpool_info()[0]; "
                             "print(i['internal_api'], i['version'], i.get('architecture'), str(i['num_threads']) + ' threads')\" 2>/dev/null")
    return v


def fmt(x, digits=2):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.{digits}f}"


def markdown(meta, rows):
    m, v = meta["machine"], meta["versions"]
    out = [SECTION, "",
           f"Run on {m['date']} by `{meta['invocation']}` (bench/run.py; see bench/README.md for what each "
           "task measures).", "",
           f"Machine: {m['cores']} cores, {m['memory']} memory, CPU `{m['cpu']}`, {m['os']}, Linux {m['kernel']}; "
           f"load average at start {m['load']}.", "",
           "Versions: " + "; ".join(f"{k} {val}" for k, val in v.items()) + ".", "",
           f"Times are wall-clock seconds of the whole process (start-up and library loading included), "
           f"median and minimum over the runs; the tools of a case run in alternation. "
           f"*Ratio* = peer median / rct median (above 1: rct is faster). Peak = median peak resident memory "
           f"(GNU time %M). Where a peer ran fewer permutations than {PERMUTATIONS:,}, its time is scaled "
           f"to {PERMUTATIONS:,}: start-up once plus its own computing time × the factor shown. "
           f"*Compute s* = the time the peer reports for its own work, without interpreter start-up and library "
           f"loading (for RI also without reading its small input; for pyfixest after a warm-up that compiles its "
           f"numba kernels), i.e. what a warm interactive session would wait; ratios use the whole-process "
           f"median.", "",
           "| task | size | tool | runs | median s | min s | ratio | compute s | peak MB | result | note |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        if r.get("median") is None:
            why = r.get("error") or r.get("skip") or "not run"
            out.append(f"| {r['task']} | {r['size']} | {r['tool']} | 0 | – | – | – | – | – | | skipped: {why} |")
            continue
        note = r["note"]
        if r.get("disagrees"):
            note = (f"**{r['disagrees']}**; " + note).rstrip("; ")
        if r["scale"] != 1.0:
            ran = (r.get("output") or {}).get("permutations") or int(round(PERMUTATIONS / r["scale"]))
            note = (f"scaled ×{r['scale']:g} from {ran:,} permutations; " + note).rstrip("; ")
        out.append(f"| {r['task']} | {r['size']} | {r['tool']} | {r['runs']} | {fmt(r['median'])} | {fmt(r['min'])} | "
                   f"{fmt(r.get('ratio')) if not r['project'] else '1'} | {fmt(r.get('compute_median'))} | {fmt(r['peak_mb'], 0)} | {r['result']} | {note} |")
    out += ["", "Commands (one run of each):", "", "```"]
    for r in rows:
        if r.get("command"):
            out.append(f"# {r['task']} [{r['size']}] {r['tool']}")
            out.append(r["command"].replace(ROOT + "/", ""))
    out += ["```", ""]
    return "\n".join(out)


def replace_section(path, text):
    """Replaces the section `SECTION` of a Markdown file (up to the next `## ` heading) or appends it."""
    existing = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Performance\n"
    lines = existing.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip() == SECTION), None)
    if start is None:
        body = existing.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        before = "\n".join(lines[:start]).rstrip("\n")
        after = "\n".join(lines[end:])
        body = (before + "\n\n" if before else "") + text.rstrip("\n") + "\n" + ("\n" + after + "\n" if after else "")
    with open(path, "w", encoding="utf-8") as f:
        f.write(body)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rct", default=os.environ.get("RCT", os.path.join(ROOT, ".build", "release", "rct")),
                    help="the rct binary (default .build/release/rct, or $RCT)")
    ap.add_argument("--bench-bin", default=os.environ.get("BENCH_BIN", os.path.join(BENCH, ".build", "release")),
                    help="the folder of the benchmark package's executables import-bench and panel-bench "
                         "(default bench/.build/release, or $BENCH_BIN; build them with make -C bench build)")
    ap.add_argument("--tasks", default="commands,estimation",
                    help="comma-separated: commands,estimation (the product's commands, issue 25; the default), "
                         "ri,effects,import,panel (the earlier in-memory paths)")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 0)) or None,
                    help="runs per tool (default 5; 3 or 2 for the largest sizes)")
    ap.add_argument("--large", action="store_true", default=os.environ.get("BENCH_LARGE") == "1",
                    help="also import 30 million rows (or BENCH_LARGE=1)")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one run, few permutations; no report")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds before one run is abandoned")
    ap.add_argument("--no-report", action="store_true", help="do not touch docs/performance.md")
    ap.add_argument("--plan", action="store_true",
                    help="generate the data and print every case, tool, command and skip reason; run nothing")
    ap.add_argument("--budget", type=int, default=int(os.environ.get("BENCH_BUDGET", 1200)),
                    help="seconds after which every remaining tool runs once only (default 1200, so that "
                         "`make bench` with its release build stays under 30 minutes)")
    args = ap.parse_args()
    rct = os.path.normpath(args.rct if os.path.isabs(args.rct) else os.path.join(ROOT, args.rct))  # relative to the repository
    bench_bin = os.path.normpath(args.bench_bin if os.path.isabs(args.bench_bin) else os.path.join(ROOT, args.bench_bin))
    project = Project(rct, bench_bin)
    os.makedirs(RESULTS, exist_ok=True)
    log(f"rct: {rct} ({project.version()}); benchmark executables: {bench_bin}")
    if not os.path.exists(GNU_TIME):
        log(f"{GNU_TIME} is missing: peak memory is not recorded (apt-get install time)")
    peers = Peers()
    meta = {"machine": machine(), "versions": versions(project),
            "invocation": "python3 bench/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])}
    log("machine: " + json.dumps(meta["machine"]))
    log("versions: " + json.dumps(meta["versions"]))
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    started = time.perf_counter()
    DEADLINE[0] = started + args.budget
    rows = []
    for task in tasks:
        if task == "ri":
            cases = ri_cases(project, peers, args.smoke, args.runs)
        elif task == "effects":
            cases = effects_cases(project, peers, args.smoke, args.runs)
        elif task == "import":
            cases = import_cases(project, peers, args.smoke, args.runs, args.large)
        elif task == "panel":
            cases = panel_cases(project, peers, args.smoke, args.runs)
        elif task == "commands":
            cases = commands_cases(project, peers, args.smoke, args.runs, args.large)
        elif task == "estimation":
            cases = estimation_cases(project, peers, args.smoke, args.runs, args.large)
        else:
            sys.exit(f"unknown task '{task}': use commands, estimation, ri, effects, import, panel")
        for case in cases:
            log(f"== {case.task} [{case.size}], {case.runs} run(s) per tool")
            if args.plan:
                for t in case.tools:
                    runs = min(case.runs, t.max_runs or case.runs)
                    what = (t.display or " ".join(shlex.quote(a) for a in t.argv)).replace(ROOT + "/", "") if t.argv else f"SKIP: {t.skip}"
                    log(f"   {t.name} ×{runs}{f' (scaled ×{t.scale:g})' if t.scale != 1 else ''}: {what}")
                continue
            rows += run_case(case, args.timeout)
    if args.plan:
        return
    meta["elapsed_seconds"] = round(time.perf_counter() - started)
    log(f"finished in {meta['elapsed_seconds']} s")
    md = markdown(meta, rows)
    name = "smoke" if args.smoke else "latest"
    with open(os.path.join(RESULTS, f"{name}.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    with open(os.path.join(RESULTS, f"{name}.md"), "w") as f:
        f.write(md)
    log(f"wrote bench/results/{name}.md and .json")
    if not args.smoke and not args.no_report:
        replace_section(os.path.join(ROOT, "docs", "performance.md"), md)
        log("replaced the section '" + SECTION + "' of docs/performance.md")
    print(md)


if __name__ == "__main__":
    main()
