#!/usr/bin/env bash
# The reports in a real browser (issue 12): builds `placement` (release), runs the nightly batch on
# the demo and on the pool preset (a nightly market of 1,000 children) and a what-if on the demo,
# then renders each report.html in headless Chromium (scripts/check_report.py): it fails on a script
# error, a blank page, a missing section, the wrong number of proposal lines or unexplained
# unplaced children, and for the pool on more than 3 s to render or more than 5 MB; and a short
# simulation's report (30 nights, 2 seeds, the baseline and the what-if example: one line per
# scenario in each chart).
# Screenshots go to $REPORT_SHOTS (default: a temporary folder). Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null 2>&1 || { echo "check-reports: chromium is missing (scripts/setup.sh installs it)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shots="${REPORT_SHOTS:-$work/shots}"
mkdir -p "$shots"
swift build -c release --product placement >/dev/null
bin="$(swift build -c release --show-bin-path)/placement"

"$bin" match fixtures/demo --out "$work/demo" --quiet
python3 scripts/check_report.py "$work/demo/report.html" --screenshot "$shots/demo.png" --lines 18 --unplaced 2 --max-mb 5

"$bin" generate --preset pool --seed 1 --out "$work/pool" >/dev/null
"$bin" match "$work/pool" --out "$work/pool-out" --quiet
placed=$(($(wc -l < "$work/pool-out/matches.csv") - 1))
unplaced=$(($(wc -l < "$work/pool-out/unmatched.csv") - 1))
python3 scripts/check_report.py "$work/pool-out/report.html" --screenshot "$shots/pool.png" \
  --lines "$placed" --unplaced "$unplaced" --max-seconds 3 --max-mb 5

"$bin" whatif fixtures/demo --add 'foster:North West:3' --close D-F1 --out "$work/whatif" --quiet
python3 scripts/check_report.py "$work/whatif/report.html" --kind whatif --screenshot "$shots/whatif.png" --lines 0 --max-mb 5

"$bin" simulate --region "North East" --days 30 --seeds 2 --scenario docs/whatif-example.json --out "$work/simulate" --quiet 2>/dev/null
python3 scripts/check_report.py "$work/simulate/report.html" --kind simulate --screenshot "$shots/simulate.png" --series 2 --max-mb 5
echo "check-reports: all reports render (screenshots in $shots)"
