#!/usr/bin/env bash
# The nightly batch on the bundled demo market: installs GLPK if missing, builds, runs, shows.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product placement
out="${1:-out/demo}"
.build/release/placement match fixtures/demo --out "$out"
echo
echo "== $out/matches.csv"; cat "$out/matches.csv"
echo
echo "== $out/unmatched.csv"; cat "$out/unmatched.csv"
echo
echo "== $out/report.html: open it in a browser (the commissioner's page: map, charts, reasons in words)"
