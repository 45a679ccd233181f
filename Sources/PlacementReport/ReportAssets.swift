// The report's style sheet and its few lines of script, inlined into report.html (the page must open
// with no network), and the page around a report's sections. Colours are the Okabe-Ito palette,
// told apart by colour-blind readers too.

import Plot
import PlacementEngine

enum ReportAssets {
    /// A whole report page: the head (style, then the script-error counter before anything else,
    /// which the browser test reads), a header with the title and `subtitle`, the sections, and
    /// the page's script last.
    static func page(title: String, subtitle: String, sections: [BodyNode]) -> String {
        HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title(title),
                .style(css),
                .script(.raw(errorCatcher))
            ),
            .body(
                .header(.h1(.text(title)), .p(.class("sub"), .text(subtitle.isEmpty ? "Placement matching engine \(EngineInfo.version)"
                                                        : subtitle + " · placement matching engine \(EngineInfo.version)"))),
                .main(.group(sections)),
                .script(.raw(script))
            )
        ).render()
    }

    static let css = """
    :root { --ink: #1d2329; --muted: #5b6570; --line: #d9dee3; --kinship: #009E73; --foster: #0072B2;
            --residential: #D55E00; --supported: #CC79A7; --unplaced: #C0172B; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: #fff; }
    header { padding: 18px 28px 8px; border-bottom: 1px solid var(--line); }
    h1 { margin: 0; font-size: 24px; }
    h2 { font-size: 19px; margin: 0 0 10px; }
    h3 { font-size: 15px; margin: 0 0 4px; }
    main { padding: 0 28px 40px; max-width: 1200px; }
    section { padding: 18px 0; border-bottom: 1px solid var(--line); }
    .sub, .muted { color: var(--muted); }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
    .card .figure { font-size: 26px; font-weight: 650; }
    .card .label { font-weight: 600; }
    .card .note { color: var(--muted); font-size: 13px; }
    .status { margin: 12px 0 4px; padding: 8px 12px; border-left: 4px solid var(--kinship); background: #f3f8f6; }
    .status-feasible, .status-time_limit { border-left-color: #E69F00; background: #fdf7ec; }
    .map-controls { margin-bottom: 6px; }
    .map-controls button { min-width: 28px; }
    #map-svg { width: 100%; height: 640px; border: 1px solid var(--line); border-radius: 6px; background: #fbfcfd; cursor: grab; touch-action: none; }
    #map-svg .backdrop { fill: none; stroke: #c4cbd2; stroke-width: 2.2px; stroke-linecap: round; vector-effect: non-scaling-stroke; }
    #map-svg line, #map-svg .proposals-path { stroke-width: 1.6px; vector-effect: non-scaling-stroke; fill: none; opacity: .85; }
    #map-svg line:hover { stroke-width: 4px; opacity: 1; }
    #map-svg .homes { fill: none; stroke: #1d2329; stroke-width: 5px; stroke-linecap: square; vector-effect: non-scaling-stroke; }
    #map-svg .children { fill: none; stroke: #fff; stroke-width: 4px; stroke-linecap: round; vector-effect: non-scaling-stroke; opacity: .9; }
    #map-svg .la-names text { fill: #7a848e; font-weight: 600; pointer-events: none; paint-order: stroke; stroke: #fbfcfd; stroke-width: 3px; vector-effect: non-scaling-stroke; }
    #map-svg line.before, #map-svg .befores-path { stroke: #8a939c; stroke-width: 1.2px; stroke-dasharray: 4 3; vector-effect: non-scaling-stroke; fill: none; }
    #map-svg .added-mark { fill: none; stroke: #009E73; stroke-width: 9px; stroke-linecap: square; vector-effect: non-scaling-stroke; }
    #map-svg .closed-mark { fill: none; stroke: #1d2329; stroke-width: 9px; stroke-linecap: square; vector-effect: non-scaling-stroke; opacity: .55; }
    #map-svg .unplaced-mark { fill: none; stroke: var(--unplaced); stroke-width: 10px; stroke-linecap: round; vector-effect: non-scaling-stroke; }
    .t-kinship { stroke: var(--kinship); } .t-foster { stroke: var(--foster); }
    .t-residential { stroke: var(--residential); } .t-supported { stroke: var(--supported); }
    .legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 4px 0 8px; font-size: 13px; }
    .key::before { content: ""; display: inline-block; width: 18px; height: 4px; margin-right: 5px; vertical-align: middle; background: currentColor; }
    .key.t-kinship { color: var(--kinship); } .key.t-foster { color: var(--foster); }
    .key.t-residential { color: var(--residential); } .key.t-supported { color: var(--supported); }
    .key.unplaced { color: var(--unplaced); } .key.unplaced::before { width: 10px; height: 10px; border-radius: 50%; }
    .key.before::before { background: repeating-linear-gradient(90deg, #8a939c 0 4px, transparent 4px 7px); }
    .key.added::before { width: 9px; height: 9px; background: #009E73; }
    .key.closed::before { width: 9px; height: 9px; background: #1d2329; opacity: .55; }
    .key.home::before { width: 6px; height: 6px; background: #1d2329; }
    .key.child::before { width: 6px; height: 6px; border-radius: 50%; background: #fff; border: 1px solid #888; }
    .key { color: var(--ink); }
    .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 18px; }
    figure.chart { margin: 0; }
    figure.chart svg { width: 100%; height: auto; }
    figcaption { color: var(--muted); font-size: 13px; }
    svg .label { font-size: 12px; fill: var(--ink); }
    svg .label.muted { fill: var(--muted); }
    svg .label.strong { font-weight: 600; }
    svg .grid { stroke: #e6e9ec; }
    svg .column { fill: #0072B2; }
    svg .bar-baseline { fill: #aab3bb; } svg .bar-scenario { fill: #0072B2; }
    svg .label.small { font-size: 10px; }
    .key.baseline-bar::before { background: #aab3bb; height: 9px; } .key.scenario-bar::before { background: #0072B2; height: 9px; }
    svg .twenty-miles { stroke: #C0172B; stroke-width: 2; stroke-dasharray: 5 4; }
    .unplaced-child { border-left: 4px solid var(--unplaced); padding: 6px 12px; margin: 10px 0; background: #fcf5f6; }
    .unplaced-child p { margin: 4px 0; }
    .unplaced-child ul { margin: 2px 0 6px 18px; padding: 0; }
    .change { color: #0b5b3f; }
    .up { color: #0b5b3f; } .down { color: #C0172B; }
    table.figures { border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; }
    table.figures caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
    table.figures th, table.figures td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; }
    table.figures td.n { text-align: right; font-variant-numeric: tabular-nums; }
    .tables { display: flex; flex-wrap: wrap; gap: 24px; }
    @media print {
      body { font-size: 11pt; } main { max-width: none; padding: 0 10mm; }
      .map-controls { display: none; } #map-svg { height: 150mm; }
      section { break-inside: avoid-page; } details { display: block; } details > summary { display: none; }
      .unplaced-child { break-inside: avoid; }
    }
    """

    /// Runs before anything else: counts script errors on the page, where the browser test reads them.
    static let errorCatcher = """
    window.reportErrors = [];
    window.addEventListener('error', function (e) {
      window.reportErrors.push(String(e.message || e));
      document.documentElement.setAttribute('data-script-errors', String(window.reportErrors.length));
    });
    """

    /// The map's views (the select), zoom buttons, wheel zoom and drag; then the page says it is ready.
    static let script = """
    (function () {
      var svg = document.getElementById('map-svg');
      var select = document.getElementById('map-view');
      function box() { return svg.getAttribute('viewBox').split(' ').map(Number); }
      function set(b) { svg.setAttribute('viewBox', b.map(function (v) { return v.toFixed(1); }).join(' ')); }
      function zoom(f, cx, cy) {
        var b = box();
        if (cx === undefined) { cx = b[0] + b[2] / 2; cy = b[1] + b[3] / 2; }
        var w = Math.min(Math.max(b[2] * f, 4), 2000), h = b[3] * w / b[2];
        set([cx - (cx - b[0]) * w / b[2], cy - (cy - b[1]) * h / b[3], w, h]);
      }
      function toMap(ev) {
        var r = svg.getBoundingClientRect(), b = box();
        var s = Math.max(b[2] / r.width, b[3] / r.height);
        var ox = (r.width * s - b[2]) / 2, oy = (r.height * s - b[3]) / 2;
        return [b[0] - ox + (ev.clientX - r.left) * s, b[1] - oy + (ev.clientY - r.top) * s, s];
      }
      if (svg && select) {
        select.addEventListener('change', function () { svg.setAttribute('viewBox', select.value); });
        document.getElementById('map-zoom-in').addEventListener('click', function () { zoom(0.7); });
        document.getElementById('map-zoom-out').addEventListener('click', function () { zoom(1 / 0.7); });
        svg.addEventListener('wheel', function (ev) {
          ev.preventDefault();
          var p = toMap(ev);
          zoom(ev.deltaY < 0 ? 0.8 : 1.25, p[0], p[1]);
        }, { passive: false });
        var drag = null;
        svg.addEventListener('pointerdown', function (ev) { drag = toMap(ev); svg.setPointerCapture(ev.pointerId); });
        svg.addEventListener('pointermove', function (ev) {
          if (!drag) return;
          var p = toMap(ev), b = box();
          set([b[0] - (p[0] - drag[0]), b[1] - (p[1] - drag[1]), b[2], b[3]]);
        });
        svg.addEventListener('pointerup', function () { drag = null; });
      }
      document.documentElement.setAttribute('data-report-ready', 'yes');
    })();
    """
}
