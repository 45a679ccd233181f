#!/usr/bin/env python3
"""Renders a report.html in headless Chromium and fails on what a reader would see as broken.

  check_report.py REPORT.html [--kind match|whatif|simulate] [--screenshot PNG] [--lines N] [--unplaced N]
                  [--series N] [--max-seconds S] [--max-mb MB]

Fails (exit 1, one line per failure) when:
- the page has a script error (the page counts them in <html data-script-errors>, and Chromium's console
  log is read too) or its script never finished (<html data-report-ready="yes"> missing);
- a section is missing (a match's: glance, map, charts, unplaced, equity, proposals, policy; a what-if's:
  glance, effects, map, charts, changed; a simulation's: glance, scenarios, waiting, distance, cost, model)
  or a chart is empty;
- a simulation's chart does not draw one line per scenario, baseline included (--series);
- the map does not hold the expected number of proposal lines (--lines) or the unplaced section the
  expected number of children, each with a reason in words (--unplaced);
- the screenshot is blank (almost all one colour);
- rendering took longer than --max-seconds, or the file is larger than --max-mb.
Only the standard library: the DOM comes from Chromium's --dump-dom, the PNG is decoded with zlib.
"""
import argparse
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SECTIONS = {"match": ["glance", "map", "charts", "unplaced", "equity", "proposals", "policy"],
            "whatif": ["glance", "effects", "map", "charts", "changed"],
            "simulate": ["glance", "scenarios", "waiting", "distance", "cost", "model"]}
CHARTS = {"match": ["chart-distance", "chart-rcc", "chart-types", "chart-cost"], "whatif": ["chart-rcc", "chart-types"],
          "simulate": ["chart-waiting", "chart-distance", "chart-cost"]}


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("check_report: no Chromium found (Debian: apt-get install chromium; scripts/setup.sh installs it)")


def run_chromium(args, timeout=120):
    base = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--enable-logging=stderr", "--v=0", f"--user-data-dir={tempfile.mkdtemp(prefix='report-check-')}"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=timeout)


class DOM(html.parser.HTMLParser):
    """Collects what the checks need from the rendered DOM."""

    def __init__(self, charts):
        super().__init__()
        self.html_attrs = {}
        self.ids = set()
        self.proposal_lines = 0
        self.proposal_paths = 0
        self.unplaced_articles = 0
        self.chart_shapes = {c: 0 for c in charts}
        self.chart_series = {}
        self.open_chart = []
        self.in_why = False
        self.whys = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.html_attrs = a
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "line" and "proposal" in classes:
            self.proposal_lines += 1
        if tag == "path" and "proposals-path" in classes:
            self.proposal_paths += int(a.get("data-count", "0"))
        if tag == "article" and "unplaced-child" in classes:
            self.unplaced_articles += 1
        if tag == "figure" and a.get("id") in self.chart_shapes:
            self.open_chart.append(a["id"])
        elif tag == "figure":
            self.open_chart.append(None)
        if tag == "rect" and self.open_chart and self.open_chart[-1]:
            self.chart_shapes[self.open_chart[-1]] += 1
        if tag == "polyline" and "series" in classes and self.open_chart and self.open_chart[-1]:
            self.chart_shapes[self.open_chart[-1]] += 1
            self.chart_series[self.open_chart[-1]] = self.chart_series.get(self.open_chart[-1], 0) + 1
        if tag == "p" and "why" in classes:
            self.in_why = True
            self.whys.append("")

    def handle_endtag(self, tag):
        if tag == "figure" and self.open_chart:
            self.open_chart.pop()
        if tag == "p":
            self.in_why = False

    def handle_data(self, data):
        if self.in_why:
            self.whys[-1] += data


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced PNG, as Chromium writes them."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6), f"unexpected PNG format (depth {depth}, colour type {colour})"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up = prev[x]
            ul = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + left) & 255
            elif f == 2:
                line[x] = (line[x] + up) & 255
            elif f == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif f == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def blank(path):
    """True when 99.5% of the sampled pixels share one colour, or fewer than 8 colours appear."""
    width, height, bpp, rows = png_pixels(path)
    counts = {}
    for y in range(0, height, 3):
        row = rows[y]
        for x in range(0, width, 3):
            px = row[x * bpp:x * bpp + 3]
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    return len(counts) < 8 or max(counts.values()) > 0.995 * total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report")
    ap.add_argument("--kind", choices=["match", "whatif", "simulate"], default="match")
    ap.add_argument("--series", type=int)
    ap.add_argument("--screenshot")
    ap.add_argument("--lines", type=int)
    ap.add_argument("--unplaced", type=int)
    ap.add_argument("--max-seconds", type=float)
    ap.add_argument("--max-mb", type=float)
    args = ap.parse_args()
    url = "file://" + os.path.abspath(args.report)
    failures = []

    size_mb = os.path.getsize(args.report) / 1e6
    if args.max_mb is not None and size_mb > args.max_mb:
        failures.append(f"the file is {size_mb:.2f} MB, above {args.max_mb} MB")

    start = time.monotonic()
    dump = run_chromium(["--dump-dom", url])
    seconds = time.monotonic() - start
    if dump.returncode != 0:
        failures.append(f"chromium --dump-dom exited {dump.returncode}: {dump.stderr[-500:]}")
    console = [l for l in dump.stderr.splitlines() if "CONSOLE" in l and re.search(r"error|uncaught", l, re.I)]
    failures += [f"console: {l.strip()}" for l in console]

    dom = DOM(CHARTS[args.kind])
    dom.feed(dump.stdout)
    if dom.html_attrs.get("data-report-ready") != "yes":
        failures.append("the page's script did not finish (no data-report-ready on <html>)")
    if dom.html_attrs.get("data-script-errors"):
        failures.append(f"{dom.html_attrs['data-script-errors']} script error(s) on the page")
    for s in SECTIONS[args.kind]:
        if s not in dom.ids:
            failures.append(f"missing section #{s}")
    for c, shapes in dom.chart_shapes.items():
        if shapes == 0:
            failures.append(f"chart #{c} draws nothing")
    if args.series is not None:
        for c in CHARTS[args.kind]:
            if dom.chart_series.get(c, 0) != args.series:
                failures.append(f"chart #{c} draws {dom.chart_series.get(c, 0)} lines, expected {args.series}")
    lines = dom.proposal_lines + dom.proposal_paths
    if args.lines is not None and lines != args.lines:
        failures.append(f"the map has {lines} proposal lines, expected {args.lines}")
    if args.unplaced is not None and dom.unplaced_articles != args.unplaced:
        failures.append(f"the report explains {dom.unplaced_articles} unplaced children, expected {args.unplaced}")
    short = [w for w in dom.whys if len(w.split()) < 6]
    if short:
        failures.append(f"{len(short)} unplaced child(ren) without a reason in words")
    if args.max_seconds is not None and seconds > args.max_seconds:
        failures.append(f"rendering took {seconds:.2f} s, above {args.max_seconds} s")

    if args.screenshot:
        shot = run_chromium(["--window-size=1280,2000", f"--screenshot={os.path.abspath(args.screenshot)}", url])
        if shot.returncode != 0 or not os.path.exists(args.screenshot):
            failures.append(f"no screenshot (chromium exited {shot.returncode})")
        elif blank(args.screenshot):
            failures.append("the screenshot is blank")

    print(f"{args.report}: {size_mb:.2f} MB, rendered in {seconds:.2f} s (Chromium start included), "
          f"{lines} proposal lines, {dom.unplaced_articles} unplaced children explained, "
          f"{len(failures)} failure(s)")
    for f in failures:
        print("  FAIL " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
