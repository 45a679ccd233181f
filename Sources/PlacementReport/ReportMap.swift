// The report's map of England: the dot backdrop, a line per proposal from the child's home area to
// the home (coloured by type), the homes, marked children (not placed) and homes (added or closed
// by a what-if), LA names, and the views a reader can switch between. Shared by the night's report
// and the what-if comparison.

import Foundation
import Plot
import PlacementEngine

struct ReportMap: Sendable {
    struct Line: Sendable {
        var from: GeoPoint
        var to: GeoPoint
        var type: PlacementType
        var tooltip: String
    }
    struct Mark: Sendable {
        var point: GeoPoint
        var tooltip: String
    }

    /// Above this many lines the map draws one path per placement type instead of a line (with its
    /// tooltip) per proposal: the page stays a few megabytes at national scale.
    static let lineLimit = 5_000

    var lines: [Line] = []
    /// Drawn dashed and grey under the lines (a what-if's baseline proposals).
    var before: [Line] = []
    var unplaced: [Mark] = []
    var added: [Mark] = []
    var closed: [Mark] = []
    var labels: [(label: String, point: GeoPoint)] = []
    var views: [(label: String, viewBox: String)] = []
    var ariaLabel = "Map of the proposals"

    /// The market's LA names at their centroids (the `limit` LAs with most children).
    static func laLabels(_ market: Market, limit: Int = 25) -> [(label: String, point: GeoPoint)] {
        var childrenPerLA: [String: Int] = [:]
        for ch in market.children { childrenPerLA[ch.laCode, default: 0] += 1 }
        let la = Dictionary(market.localAuthorities.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        return childrenPerLA.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
            .compactMap { code, _ in la[code].map { ($0.name, $0.centroid) } }
    }

    /// Views: `first` (the market's own extent), England, then each group's extent (by RCC).
    static func views(first: (String, MapBox), groups: [String: MapBox]) -> [(label: String, viewBox: String)] {
        var views: [(String, String)] = [(first.0, first.1.viewBox), ("England", MapProjection.england.viewBox(pad: 0))]
        for name in groups.keys.sorted() { views.append(("RCC: " + name, groups[name]!.viewBox)) }
        return views
    }

    static func xy(_ g: GeoPoint) -> (String, String) { (SVG.n(MapProjection.x(g)), SVG.n(MapProjection.y(g))) }
    static func dot(_ g: GeoPoint) -> String { let (x, y) = xy(g); return "M\(x) \(y)h0" }

    /// Lines as `<line>` elements with tooltips, or one path per type above `lineLimit`.
    func lineLayer(_ lines: [Line], cls: String) -> [BodyNode] {
        if lines.count <= Self.lineLimit {
            return [SVG.element("g", [("class", cls + "s")], lines.map { l in
                let (x1, y1) = Self.xy(l.from), (x2, y2) = Self.xy(l.to)
                return SVG.element("line", [("class", "\(cls) t-\(l.type.rawValue)"), ("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)],
                                   [SVG.title(l.tooltip)])
            })]
        }
        return PlacementType.allCases.compactMap { t in
            let mine = lines.filter { $0.type == t }
            guard !mine.isEmpty else { return nil }
            let d = mine.map { l in
                let (x1, y1) = Self.xy(l.from), (x2, y2) = Self.xy(l.to)
                return "M\(x1) \(y1)L\(x2) \(y2)"
            }.joined()
            return SVG.element("path", [("class", "\(cls)s-path t-\(t.rawValue)"), ("data-count", String(mine.count)), ("d", d)])
        }
    }

    func marks(_ marks: [Mark], cls: String) -> BodyNode {
        SVG.element("g", [("class", cls + "-marks")], marks.map { m in
            SVG.element("path", [("class", cls + "-mark"), ("d", Self.dot(m.point))], [SVG.title(m.tooltip)])
        })
    }

    /// The controls, the legend and the map.
    func nodes(labelSize: Double) -> [BodyNode] {
        var layers: [BodyNode] = [SVG.element("path", [("class", "backdrop"), ("d", EnglandBackdrop.pathData)])]
        if !before.isEmpty { layers += lineLayer(before, cls: "before") }
        layers += lineLayer(lines, cls: "proposal")
        // Homes and children: zero-length strokes drawn as dots that keep their size when the map
        // zooms (non-scaling strokes).
        var seen = Set<String>()
        let homes = lines.filter { seen.insert("\($0.to.lat),\($0.to.lon)").inserted }.map { Self.dot($0.to) }.joined()
        layers.append(SVG.element("path", [("class", "homes"), ("d", homes)]))
        layers.append(SVG.element("path", [("class", "children"), ("d", lines.map { Self.dot($0.from) }.joined())]))
        layers.append(SVG.element("g", [("class", "la-names"), ("font-size", SVG.n(labelSize))], labels.map { la in
            let (x, y) = Self.xy(la.point)
            return SVG.element("text", [("x", x), ("y", y), ("text-anchor", "middle")], [.text(la.label)])
        }))
        if !added.isEmpty { layers.append(marks(added, cls: "added")) }
        if !closed.isEmpty { layers.append(marks(closed, cls: "closed")) }
        layers.append(marks(unplaced, cls: "unplaced"))

        let options = views.enumerated().map { i, v in
            SVG.element("option", [("value", v.viewBox)] + (i == 0 ? [("selected", "selected")] : []), [.text(v.label)])
        }
        var legend: [BodyNode] = PlacementType.allCases.map { t in .span(.class("key t-\(t.rawValue)"), .text(PlainWords.typePlural(t))) }
        if !before.isEmpty { legend.append(.span(.class("key before"), .text("baseline proposal"))) }
        legend.append(.span(.class("key unplaced"), .text("not placed")))
        if !added.isEmpty { legend.append(.span(.class("key added"), .text("new home"))) }
        if !closed.isEmpty { legend.append(.span(.class("key closed"), .text("closed home"))) }
        legend += [.span(.class("key home"), .text("home")), .span(.class("key child"), .text("child's home area"))]
        return [
            .div(.class("map-controls"),
                 .element(named: "label", nodes: [.attribute(named: "for", value: "map-view"), .text("Show ")]),
                 SVG.element("select", [("id", "map-view")], options),
                 SVG.element("button", [("type", "button"), ("id", "map-zoom-in")], [.text("+")]),
                 SVG.element("button", [("type", "button"), ("id", "map-zoom-out")], [.text("−")]),
                 .span(.class("muted"), .text(" Scroll to zoom, drag to move; hover a line for the child and home."))),
            .div(.class("legend"), .group(legend)),
            SVG.element("svg", [("id", "map-svg"), ("viewBox", views.first?.viewBox ?? MapProjection.england.viewBox(pad: 0)),
                                ("role", "img"), ("aria-label", ariaLabel),
                                ("data-proposals", String(lines.count)), ("data-unplaced", String(unplaced.count))], layers),
            .p(.class("muted"), .text("Grey dots: England's neighbourhoods (one per cluster of LSOA centres, ONS). Lines join each child's home area to the proposed placement."
                + (lines.count > Self.lineLimit ? " With \(PlainWords.grouped(lines.count)) proposals the lines are drawn without tooltips." : ""))),
        ]
    }
}
