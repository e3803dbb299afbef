#!/usr/bin/env bash
# Installs the peers the benchmarks compare `rct` with. Idempotent: installs only what is missing, and
# skips a peer with a message (never fails the whole step) when a registry cannot provide it.
#   R:       Debian packages r-base-core, r-cran-estimatr, r-cran-data.table, r-cran-openssl (apt-get)
#   Python:  numpy, pandas (+ pyarrow, its recommended string backend), polars, DuckDB, statsmodels, pyfixest
#            (+ numba, its fast RI path), threadpoolctl (pip, into bench/.venv)
#   tools:   GNU time (/usr/bin/time, for peak memory)
set -uo pipefail
cd "$(dirname "$0")"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
APT_UPDATED=0

apt_install() {  # apt_install PACKAGE: install one Debian package unless present; 0 when present after.
  local pkg=$1
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    echo "peers: $pkg already installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
    return 0
  fi
  if [ "$APT_UPDATED" = 0 ]; then $SUDO apt-get update -qq || true; APT_UPDATED=1; fi
  local candidate
  candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then
    echo "peers: SKIP $pkg: no candidate in the configured apt sources (apt-cache policy $pkg)"
    return 1
  fi
  echo "peers: installing $pkg $candidate (apt-get)"
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null; then
    echo "peers: SKIP $pkg: apt-get install failed"
    return 1
  fi
}

apt_install time || true
apt_install r-base-core && { apt_install r-cran-estimatr || true; apt_install r-cran-data.table || true; apt_install r-cran-openssl || true; }

# Python peers in a virtual environment (git-ignored).
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "peers: creating bench/.venv with $($PY --version 2>&1)"
  if ! $PY -m venv .venv; then echo "peers: SKIP Python peers: cannot create a venv with $PY"; exit 0; fi
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
fi
for pkg in numpy pandas pyarrow polars duckdb statsmodels threadpoolctl pyfixest numba; do
  if .venv/bin/python -m pip show -q "$pkg" >/dev/null 2>&1; then
    echo "peers: $pkg already in .venv ($(.venv/bin/python -m pip show "$pkg" 2>/dev/null | awk '/^Version:/ {print $2}'))"
    continue
  fi
  echo "peers: installing $pkg (pip, into bench/.venv)"
  if ! .venv/bin/python -m pip install -q "$pkg"; then
    echo "peers: SKIP $pkg: pip install failed (the tasks that need it will say so)"
  fi
done
echo "peers: done"
