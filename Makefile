# The two commands a new user runs: `make demo` and `make test`. See README.md.
SWIFT ?= swift
RCT := .build/debug/rct

.PHONY: test-suites deps testdeps build demo test bench bench-large clean fuzz-build fuzz fuzz-smoke

# GSL (the GNU Scientific Library), SQLite's headers (for GRDB), ReadStat (SPSS and Stata files; it ships
# no pkg-config file, so its header tells) and pkg-config from Debian's packages, when missing.
deps:
	@if ! pkg-config --exists gsl 2>/dev/null || ! pkg-config --exists sqlite3 2>/dev/null || [ ! -f /usr/include/readstat.h ]; then \
		echo "Installing libgsl-dev, libsqlite3-dev, libreadstat-dev and pkg-config (apt-get)…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libgsl-dev libsqlite3-dev libreadstat-dev pkg-config; \
	fi

# pyreadstat with pandas from PyPI, when missing: the tests use it as an independent reader of the .sav
# and .dta files rct writes (a test driver, never for statistics). pyreadstat 1.3.8 does not pull pandas in.
testdeps:
	@python3 -c "import pyreadstat, pandas" 2>/dev/null || { echo "Installing pyreadstat 1.3.8 and pandas 2.2 (pip)…"; \
		python3 -m pip install --quiet pyreadstat==1.3.8 "pandas~=2.2" || python3 -m pip install --quiet --user --break-system-packages pyreadstat==1.3.8 "pandas~=2.2"; }

build: deps
	$(SWIFT) build

# The main job on the bundled example: the whole pipeline (store, assignment, import, panel, estimates,
# report) on the simulated MISSION trial; a second `make demo` says "up to date".
demo: build
	@chmod 600 fixtures/mission/pseudonym.key  # a key is read by its owner only (rct warns otherwise)
	$(RCT) run designs/mission-kortrijk.yaml --out demo-out
	@echo "Open demo-out/publish/report.html in a browser; tables in demo-out/publish/effects.md, .csv and .tex (check them with: $(RCT) disclosure-check demo-out/publish). Not for publication: the panel in demo-out/internal/panel/ (CSV, panel.dta for Stata, panel.sav for SPSS)."

# Every test: unit, property and end-to-end tests of the built binary, then the tests of the benchmark
# package (bench/Package.swift, its own build folder bench/.build).
# With PostgreSQL installed (and no RCT_TEST_DATABASE_URL given), the tests get a throwaway server of their
# own on loopback (.ci/with-postgres), stopped at the end; without it, the PostgreSQL tests are skipped
# (under CI=true they fail instead).
test: deps testdeps
	$(SWIFT) build
	@if [ -z "$$RCT_TEST_DATABASE_URL" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		.ci/with-postgres $(MAKE) --no-print-directory test-suites; \
	else $(MAKE) --no-print-directory test-suites; fi

test-suites:
	$(SWIFT) test --disable-xctest
	$(SWIFT) test --disable-xctest --package-path bench

# Benchmarks against peers (bench/README.md): rct is built in release mode for them, and bench/'s own
# package (import-bench, panel-bench) by bench/Makefile.
bench: deps
	$(SWIFT) build -c release
	$(MAKE) -C bench RCT=$(CURDIR)/.build/release/rct

# The same with the largest sizes too (docs/performance.md, docs/scale.md): about an hour on two cores.
bench-large: deps
	$(SWIFT) build -c release
	$(MAKE) -C bench RCT=$(CURDIR)/.build/release/rct BENCH_LARGE=1

# The fuzzing campaign (docs/reliability.md): libFuzzer with AddressSanitizer on the readers of outside input
# (the design, each dialect's extracts, surveys, assignment lists, the CSV engine, the store's record text),
# one binary in fuzz/'s own package. `make fuzz` runs each target FUZZ_SECONDS on its corpus; `make fuzz-smoke`
# (in .ci/run) a few seconds each. Any crash, hang, leak or broken invariant fails the run.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 4
fuzz-build: deps
	$(SWIFT) build --package-path fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

fuzz: fuzz-build
	fuzz/run $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	fuzz/run $(FUZZ_SMOKE_SECONDS)

clean:
	rm -rf .build bench/.build fuzz/.build
