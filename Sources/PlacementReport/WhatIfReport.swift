// report.html for a what-if: the baseline and the scenario side by side (figures, RCC and type
// charts), the changed proposals on the map (the baseline's dashed, the scenario's in colour, new
// and closed homes marked) and in a table. Typed values here; the page in WhatIfReport+HTML.swift.

import Foundation
import PlacementEngine
import PlacementWhatIf

public struct WhatIfReport: Sendable {
    /// One row of the side-by-side table.
    public struct Row: Sendable {
        public var metric: String
        public var baseline: String
        public var scenario: String
        public var change: String
        /// Whether the change is good news (nil: neither, or no change).
        public var better: Bool?
    }

    public struct Pair: Sendable {
        public var label: String
        public var baseline: Double
        public var scenario: Double
        public var baselineText: String
        public var scenarioText: String
    }

    public let title: String
    public let effects: [String]
    public let baselineStatus: String
    public let scenarioStatus: String
    public let rows: [Row]
    public let withinByRCC: [Pair]
    public let placedByType: [Pair]
    public let changed: [ChangedChild]
    let map: ReportMap
    let labelSize: Double
    public let note: String?

    public init(comparison c: WhatIfComparison, baseline: Market, scenario: Market) {
        title = "What if: \(c.scenario.name)"
        effects = c.effects.map(\.description)
        baselineStatus = Self.words(c.baseline)
        scenarioStatus = Self.words(c.outcome)
        note = c.resolution > 1e-6 * max(1, abs(c.baseline.objective))
            ? "The engine proved these plans only to within \(PlainWords.points(c.resolution)): a change smaller than that may come from the solver, not the scenario."
            : nil

        let total = c.groups.first { $0.scope == .total }
        let a = total?.baseline ?? OutcomeFigures(), b = total?.scenario ?? OutcomeFigures()
        func row(_ metric: String, _ x: Double, _ y: Double, _ text: (Double) -> String, higherIsBetter: Bool?, signed: (Double) -> String) -> Row {
            let d = y - x
            let better: Bool? = abs(d) < 1e-9 ? nil : higherIsBetter.map { $0 == (d > 0) }
            return Row(metric: metric, baseline: text(x), scenario: text(y), change: abs(d) < 1e-9 ? "no change" : signed(d), better: better)
        }
        let count = { (v: Double) in PlainWords.grouped(Int(v.rounded())) }
        let signedCount = { (v: Double) in (v > 0 ? "+" : "−") + PlainWords.grouped(Int(abs(v).rounded())) }
        let pct = { (v: Double) in Fixed.format(100 * v, decimals: 1) + "%" }
        let signedPct = { (v: Double) in (v > 0 ? "+" : "−") + Fixed.format(100 * abs(v), decimals: 1) + " points" }
        let km = { (v: Double) in Fixed.format(v, decimals: 1) + " km" }
        let signedKm = { (v: Double) in (v > 0 ? "+" : "−") + Fixed.format(abs(v), decimals: 1) + " km" }
        let pounds = { (v: Double) in PlainWords.pounds(v) }
        let signedPounds = { (v: Double) in (v > 0 ? "+" : "−") + PlainWords.pounds(abs(v)) }
        rows = [
            row("children placed", Double(a.placed), Double(b.placed), count, higherIsBetter: true, signed: signedCount),
            row("children not placed", Double(c.baseline.unmatched), Double(c.outcome.unmatched), count, higherIsBetter: false, signed: signedCount),
            row("placed within 20 miles", 1 - a.shareOverTwentyMiles, 1 - b.shareOverTwentyMiles, pct, higherIsBetter: true, signed: signedPct),
            row("mean distance", a.meanKm, b.meanKm, km, higherIsBetter: false, signed: signedKm),
            row("mean predicted breakdown risk", a.meanRisk, b.meanRisk, pct, higherIsBetter: false, signed: signedPct),
            row("weekly fees", a.totalWeeklyCost, b.totalWeeklyCost, pounds, higherIsBetter: nil, signed: signedPounds),
            row("placed outside their RCC", Double(a.crossRcc), Double(b.crossRcc), count, higherIsBetter: false, signed: signedCount),
            row("free places", Double(c.baseline.places), Double(c.outcome.places), count, higherIsBetter: nil, signed: signedCount),
            row("objective (points)", c.baseline.objective, c.outcome.objective, { PlainWords.points($0) }, higherIsBetter: false,
                signed: { ($0 > 0 ? "+" : "−") + PlainWords.points(abs($0)) }),
        ]
        withinByRCC = c.groups.filter { $0.scope == .rcc }.map { g in
            let x = 1 - g.baseline.shareOverTwentyMiles, y = 1 - g.scenario.shareOverTwentyMiles
            return Pair(label: g.name, baseline: 100 * x, scenario: 100 * y, baselineText: pct(x), scenarioText: pct(y))
        }
        placedByType = c.groups.filter { $0.scope == .type }.map { g in
            Pair(label: PlacementType(rawValue: g.name).map(PlainWords.typePlural) ?? g.name,
                 baseline: Double(g.baseline.placed), scenario: Double(g.scenario.placed),
                 baselineText: PlainWords.grouped(g.baseline.placed), scenarioText: PlainWords.grouped(g.scenario.placed))
        }
        changed = c.changed

        // The map: the changed children only (the rest keep their homes).
        let childAt = Dictionary(scenario.children.map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        let homeAt = Dictionary((baseline.placements + scenario.placements).map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        var map = ReportMap()
        var extent = MapBox()
        var rccBoxes: [String: MapBox] = [:]
        func line(_ ch: ChangedChild, _ o: ChildOutcome) -> ReportMap.Line? {
            guard let p = o.proposal, let from = childAt[ch.childId], let to = homeAt[p.placementId] else { return nil }
            extent.add(from); extent.add(to)
            rccBoxes[ch.childRcc, default: MapBox()].add(from); rccBoxes[ch.childRcc]!.add(to)
            return ReportMap.Line(from: from, to: to, type: p.type,
                                  tooltip: "\(ch.childId) → \(p.placementId), \(PlainWords.type(p.type)), \(PlainWords.kmAndMiles(p.km))")
        }
        map.lines = c.changed.compactMap { line($0, $0.scenario) }
        map.before = c.changed.compactMap { line($0, $0.baseline) }
        map.unplaced = c.changed.compactMap { ch in
            ch.scenario.proposal == nil ? childAt[ch.childId].map { ReportMap.Mark(point: $0, tooltip: "\(ch.childId): not placed in the scenario") } : nil
        }
        let added = Set(c.effects.flatMap(\.addedPlacements)), closed = Set(c.effects.flatMap(\.removedPlacements))
        map.added = scenario.placements.filter { added.contains($0.id) }.map { ReportMap.Mark(point: $0.location, tooltip: "\($0.id): new \(PlainWords.type($0.type))") }
        map.closed = baseline.placements.filter { closed.contains($0.id) }.map { ReportMap.Mark(point: $0.location, tooltip: "\($0.id): closed") }
        for m in map.added + map.closed { extent.add(m.point) }
        map.labels = ReportMap.laLabels(scenario)
        map.views = ReportMap.views(first: ("What changed", extent), groups: rccBoxes)
        map.ariaLabel = "Map of the changed proposals: dashed grey the baseline's, in colour the scenario's"
        self.map = map
        labelSize = extent.isEmpty ? 12 : max(2, max(extent.maxX - extent.minX, extent.maxY - extent.minY) / 65)
    }

    static func words(_ r: RunFigures) -> String {
        switch r.status {
        case .optimal: "proven the best plan"
        case .feasible: "within the accepted gap (at most \(Fixed.format(100 * r.gap, decimals: 2))% above the best)"
        case .time_limit: "stopped at the time limit (at most \(Fixed.format(100 * r.gap, decimals: 2))% above the best)"
        }
    }
}
