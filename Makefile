# The two commands a new user runs: `make demo` and `make test`. See README.md.
SWIFT ?= swift
RCT := .build/debug/rct

.PHONY: deps build demo test bench clean

# GSL (the GNU Scientific Library), SQLite's headers (for GRDB) and pkg-config from Debian's packages,
# when missing.
deps:
	@if ! pkg-config --exists gsl 2>/dev/null || ! pkg-config --exists sqlite3 2>/dev/null; then \
		echo "Installing libgsl-dev, libsqlite3-dev and pkg-config (apt-get)…"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libgsl-dev libsqlite3-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build

# The main job on the bundled example: the whole pipeline (store, assignment, import, panel, estimates,
# report) on the simulated MISSION trial; a second `make demo` says "up to date".
demo: build
	$(RCT) run designs/mission-kortrijk.yaml --out demo-out
	@echo "Open demo-out/report.html in a browser; tables in demo-out/effects.md, .csv and .tex; the panel in demo-out/panel/."

# Every test: unit, property and end-to-end tests of the built binary, then the tests of the benchmark
# package (bench/Package.swift, its own build folder bench/.build).
test: deps
	$(SWIFT) build
	$(SWIFT) test --disable-xctest
	$(SWIFT) test --disable-xctest --package-path bench

# Benchmarks against peers (bench/README.md): rct is built in release mode for them, and bench/'s own
# package (import-bench, panel-bench) by bench/Makefile.
bench: deps
	$(SWIFT) build -c release
	$(MAKE) -C bench RCT=$(CURDIR)/.build/release/rct

clean:
	rm -rf .build bench/.build
