#!/usr/bin/env bash
# Installs what the engine needs on Debian/Ubuntu (GLPK's and SQLite's libraries and headers; glpsol for the
# benchmark's peer comparison) when missing, then the benchmark's peer MIP solvers (CBC, the Debian
# package coinor-cbc; HiGHS, the Python package highspy) and Chromium for the reports' browser test.
# Safe to run again.
#
# The engine's own needs must install: a failure there fails the script. A peer solver that cannot
# be installed is only reported: the benchmark then marks that peer as unavailable.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
updated=0
apt_update() {
  if [ "$updated" -eq 0 ]; then $SUDO apt-get update -qq; updated=1; fi
}

need=()
[ -f /usr/include/glpk.h ] || need+=(libglpk-dev)
# SQLite's library and headers: GRDB (the run history, --db) links the system's SQLite on Linux.
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v glpsol >/dev/null 2>&1 || need+=(glpk-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} ..." >&2
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Headless Chromium renders the reports in scripts/check-reports.sh (CI's browser test of report.html).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium (the browser test of report.html) ..." >&2
  if ! { apt_update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }; then
    echo "warning: chromium could not be installed; scripts/check-reports.sh will fail" >&2
  fi
fi

# Peers for placement-bench's stress ladder: optional.
if ! command -v cbc >/dev/null 2>&1; then
  echo "Installing coinor-cbc (peer solver for the benchmark) ..." >&2
  if ! { apt_update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq coinor-cbc >/dev/null; }; then
    echo "warning: coinor-cbc could not be installed; the benchmark will report CBC as unavailable" >&2
  fi
fi
if command -v python3 >/dev/null 2>&1; then
  if ! python3 -c 'import highspy' >/dev/null 2>&1; then
    echo "Installing highspy (peer solver for the benchmark) ..." >&2
    if ! python3 -m pip install -q highspy >/dev/null 2>&1 \
       && ! python3 -m pip install -q --break-system-packages highspy >/dev/null 2>&1; then
      echo "warning: highspy could not be installed; the benchmark will report HiGHS as unavailable" >&2
    fi
  fi
else
  echo "warning: no python3; the benchmark will report HiGHS as unavailable" >&2
fi
exit 0
