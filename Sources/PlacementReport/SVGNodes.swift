// SVG elements inside Plot's HTML body, and the report's two chart shapes (bars and a histogram).
// Plot writes attribute values as given, so every value built from data goes through `escape`.

import Foundation
import Plot
import PlacementEngine

typealias BodyNode = Node<HTML.BodyContext>

enum SVG {
    /// An attribute value safe inside double quotes.
    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "&" || $0 == "\"" || $0 == "<" || $0 == ">" }) else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func element(_ name: String, _ attributes: [(String, String)], _ children: [BodyNode] = []) -> BodyNode {
        .element(named: name, nodes: attributes.map { BodyNode.attribute(named: $0.0, value: escape($0.1)) } + children)
    }

    /// A tooltip.
    static func title(_ text: String) -> BodyNode { .element(named: "title", text: text) }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", cls: String = "label") -> BodyNode {
        element("text", [("x", n(x)), ("y", n(y)), ("text-anchor", anchor), ("class", cls)], [.text(s)])
    }

    /// A coordinate with one decimal (a tenth of a map unit is about 70 m).
    /// (The engine's own fixed-decimal formatter: Foundation's `String(format:)` costs a
    /// microsecond a call, and a national map writes half a million coordinates.)
    static func n(_ v: Double) -> String { Fixed.format(v, decimals: 1) }

    /// A horizontal bar chart: one row per bar, the label left, the value's text right of the bar.
    static func bars(_ bars: [NightReport.Bar], id: String, caption: String, color: String = "#0072B2") -> BodyNode {
        let rowHeight = 22.0, labelWidth = 190.0, barWidth = 300.0, width = 620.0
        let top = bars.map(\.value).max() ?? 0
        let height = rowHeight * Double(bars.count) + 10
        var rows: [BodyNode] = []
        for (i, b) in bars.enumerated() {
            let y = 5 + rowHeight * Double(i)
            let w = top > 0 ? barWidth * b.value / top : 0
            rows.append(text(labelWidth - 8, y + 15, b.label, anchor: "end"))
            rows.append(element("rect", [("x", n(labelWidth)), ("y", n(y + 3)), ("width", n(max(w, b.value > 0 ? 1 : 0))),
                                         ("height", n(rowHeight - 6)), ("fill", color), ("class", "bar")],
                                [title("\(b.label): \(b.text)")]))
            rows.append(text(labelWidth + w + 6, y + 15, b.text))
        }
        return figure(id: id, caption: caption,
                      svg: element("svg", [("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("role", "img"), ("aria-label", caption)], rows))
    }

    /// Two bars per row (baseline grey, scenario in colour), the values' text right of each.
    static func pairedBars(_ pairs: [WhatIfReport.Pair], id: String, caption: String) -> BodyNode {
        let rowHeight = 30.0, labelWidth = 190.0, barWidth = 300.0, width = 640.0
        let top = pairs.flatMap { [$0.baseline, $0.scenario] }.max() ?? 0
        var rows: [BodyNode] = []
        for (i, pair) in pairs.enumerated() {
            let y = 5 + rowHeight * Double(i)
            rows.append(text(labelWidth - 8, y + 17, pair.label, anchor: "end"))
            for (k, (v, t, cls)) in [(pair.baseline, pair.baselineText, "bar-baseline"), (pair.scenario, pair.scenarioText, "bar-scenario")].enumerated() {
                let w = top > 0 ? barWidth * v / top : 0
                let by = y + 3 + 12 * Double(k)
                rows.append(element("rect", [("x", n(labelWidth)), ("y", n(by)), ("width", n(max(w, v > 0 ? 1 : 0))), ("height", "10"),
                                             ("class", cls)], [title("\(pair.label), \(k == 0 ? "baseline" : "scenario"): \(t)")]))
                rows.append(text(labelWidth + w + 6, by + 9, t, cls: "label small"))
            }
        }
        let height = rowHeight * Double(pairs.count) + 10
        return figure(id: id, caption: caption,
                      svg: element("svg", [("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("role", "img"), ("aria-label", caption)], rows))
    }

    /// Proposals' distances as columns, with the 20-mile line dashed across.
    static func histogram(_ bins: [NightReport.Bar], binWidthKm: Double, id: String, caption: String) -> BodyNode {
        let width = 620.0, height = 240.0, left = 44.0, bottom = 40.0, top = 14.0
        let plotWidth = width - left - 10, plotHeight = height - bottom - top
        let most = max(1, bins.map(\.value).max() ?? 1)
        let colWidth = bins.isEmpty ? plotWidth : plotWidth / Double(bins.count)
        var nodes: [BodyNode] = []
        // The count axis: 0, half and the top.
        for fraction in [0.0, 0.5, 1.0] {
            let y = top + plotHeight * (1 - fraction)
            nodes.append(element("line", [("x1", n(left)), ("x2", n(width - 10)), ("y1", n(y)), ("y2", n(y)), ("class", "grid")]))
            nodes.append(text(left - 6, y + 4, PlainWords.grouped(Int((most * fraction).rounded())), anchor: "end"))
        }
        let labelEvery = max(1, Int((Double(bins.count) / 8).rounded(.up)))
        for (i, b) in bins.enumerated() {
            let h = plotHeight * b.value / most
            let x = left + colWidth * Double(i)
            nodes.append(element("rect", [("x", n(x + 1)), ("y", n(top + plotHeight - h)), ("width", n(max(1, colWidth - 2))),
                                          ("height", n(h)), ("class", "column")], [title("\(b.label): \(b.text) children")]))
            if i % labelEvery == 0 {
                let km = b.label.split(separator: "-").first.map(String.init) ?? b.label
                nodes.append(text(x, height - bottom + 16, km.hasSuffix("km") ? km : km + " km", anchor: "start"))
            }
        }
        // 20 miles = 32.19 km, where the bins reach it.
        let at = PlanReport.twentyMilesKm / binWidthKm
        if at < Double(bins.count) {
            let x = left + colWidth * at
            nodes.append(element("line", [("x1", n(x)), ("x2", n(x)), ("y1", n(top - 6)), ("y2", n(top + plotHeight)), ("class", "twenty-miles")]))
            let right = x > width - 80
            nodes.append(text(right ? x - 4 : x + 4, top + 6, "20 miles", anchor: right ? "end" : "start", cls: "label strong"))
        }
        nodes.append(text(left, height - 6, "distance from home to the proposed placement", cls: "label muted"))
        return figure(id: id, caption: caption,
                      svg: element("svg", [("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("role", "img"), ("aria-label", caption)], nodes))
    }

    static func figure(id: String, caption: String, svg: BodyNode) -> BodyNode {
        .element(named: "figure", nodes: [.id(id), .class("chart"), svg, .element(named: "figcaption", text: caption)])
    }
}
