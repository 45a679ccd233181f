// What report.html shows, as typed values computed from the batch: the figures at a glance, the map's
// lines, the charts' series, every unplaced child's reasons and the equity tables. Rendering
// (NightReport+HTML.swift) only lays these out; it computes nothing.

import Foundation
import PlacementEngine

public struct NightReport: Sendable {
    /// Figures for a group of children (an RCC, an LA, an age band...): the engine's per-RCC
    /// figures, under a label.
    public struct GroupFigures: Sendable, Equatable {
        public var label: String
        public var figures = RCCFigures()
        public var children: Int { figures.placed + figures.unmatched }
        public var placed: Int { figures.placed }
        public var placedShare: Double { children == 0 ? 0 : Double(placed) / Double(children) }
        public var meanKm: Double { figures.meanKm }
        public var withinShare: Double { placed == 0 ? 0 : Double(placed - figures.overTwentyMiles) / Double(placed) }
        public var meanRisk: Double { figures.meanRisk }

        init(label: String, figures: RCCFigures = RCCFigures()) { self.label = label; self.figures = figures }
    }

    /// One proposal: a line on the map and a row of the proposals table.
    public struct Proposal: Sendable {
        public var childId: String
        public var placementId: String
        public var type: PlacementType
        public var childLA: String
        public var homeLA: String
        public var from: GeoPoint
        public var to: GeoPoint
        public var km: Double
        public var risk: Double
        public var weeklyCost: Double
        public var withSiblings: Bool
        public var choiceRank: Int
    }

    /// One unplaced child, explained.
    public struct Unplaced: Sendable {
        public var childId: String
        public var laName: String
        public var urgency: Urgency
        public var point: GeoPoint
        public var who: String
        public var why: String
        public var ruleLines: [String]
        public var nearMisses: [String]
        public var change: String?
    }

    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public var text: String
    }

    public let title: String
    public let generatedFor: String
    public let status: MatchStatus
    public let statusWords: String
    public let objective: Double
    public let bestBound: Double
    public let gap: Double
    public let children: Int
    public let placed: Int
    public let unplaced: Int
    public let placedWithSiblings: Int
    public let siblingGroupsTogether: Int
    public let withinTwentyMiles: Int
    public let meanRisk: Double
    public let weeklyCost: Double
    public let proposals: [Proposal]
    public let unplacedChildren: [Unplaced]
    /// Unplaced children beyond those explained in full (listed in unmatched.csv).
    public let unplacedNotShown: Int
    /// The map: a line per proposal, the unplaced children marked, LA names, views by RCC.
    let map: ReportMap
    /// The LA names' size in map units (1/65 of the market's extent).
    let labelSize: Double
    public let distanceBins: [Bar]
    /// The bins' width in km (the last bin is open-ended).
    public let distanceBinWidth: Double
    public let byType: [Bar]
    public let costByType: [Bar]
    public let byRCC: [GroupFigures]
    public let byLA: [GroupFigures]
    public let byAge: [GroupFigures]
    public let bySex: [GroupFigures]
    public let byDisability: [GroupFigures]
    public let policy: [(key: String, value: String)]
    public let inputHash: String
    public let warnings: [String]

    /// At most this many unplaced children are explained in full (each explanation reads every home).
    public static let explainedLimit = 300

    public init(run: BatchRun, inputHash: String, title: String = "Tonight's placement proposals",
                generatedFor: String = "") {
        let market = run.market
        let index = run.index
        let report = run.report
        let solution = run.solution
        self.title = title
        self.generatedFor = generatedFor
        self.inputHash = inputHash
        warnings = market.warnings
        status = solution.status
        objective = solution.objective
        bestBound = solution.bestBound
        gap = solution.gap
        statusWords = Self.statusWords(solution)

        let laName = market.laNamesByCode
        let name: @Sendable (String) -> String = { laName[$0] ?? $0 }

        children = market.children.count
        placed = report.matches.count
        unplaced = report.unmatched.count
        placedWithSiblings = report.matches.filter(\.withSiblings).count
        siblingGroupsTogether = report.placedTogetherGroups
        withinTwentyMiles = report.matches.filter { $0.cost.distanceKm <= PlanReport.twentyMilesKm }.count
        meanRisk = placed == 0 ? 0 : report.matches.reduce(0) { $0 + $1.cost.risk } / Double(placed)
        weeklyCost = report.matches.reduce(0) { $0 + market.placements[$1.placement].weeklyCost }

        let byChildId = { (a: String, b: String) in Array(a.utf8).lexicographicallyPrecedes(b.utf8) }
        proposals = report.matches.map { m in
            let c = market.children[m.child], p = market.placements[m.placement]
            return Proposal(childId: c.id, placementId: p.id, type: p.type, childLA: name(c.laCode), homeLA: name(p.laCode),
                            from: c.location, to: p.location, km: m.cost.distanceKm, risk: m.cost.risk,
                            weeklyCost: p.weeklyCost, withSiblings: m.withSiblings, choiceRank: m.choiceRank)
        }.sorted { byChildId($0.childId, $1.childId) }

        // Unplaced children, most urgent first, then by id; the first `explainedLimit` in full.
        let urgencyOrder: [Urgency: Int] = [.today: 0, .within_5_days: 1, .after_5_days: 2]
        let rows = report.unmatched.sorted {
            let a = market.children[$0.child], b = market.children[$1.child]
            if a.neededBy != b.neededBy { return urgencyOrder[a.neededBy]! < urgencyOrder[b.neededBy]! }
            return byChildId(a.id, b.id)
        }
        var occupants = [Int: [Int]]()
        for m in report.matches { occupants[m.placement, default: []].append(m.child) }
        let shown = Array(rows.prefix(Self.explainedLimit))
        let arcs = run.arcs
        let occupied = occupants
        unplacedChildren = Parallel.map(shown.count, threads: Parallel.defaultThreads) { i -> Unplaced in
            let row = shown[i]
            let e = UnplacedExplanation(row: row, arcs: arcs, occupants: occupied)
            let ch = market.children[row.child]
            return Unplaced(childId: ch.id, laName: name(ch.laCode), urgency: ch.neededBy, point: ch.location,
                            who: e.who, why: e.why, ruleLines: e.ruleLines,
                            nearMisses: e.nearMisses.map { e.sentence($0, index: index, laName: name) },
                            change: e.extraPlace?.sentence)
        }
        unplacedNotShown = rows.count - shown.count

        // Map views.
        var extent = MapBox()
        var rccBoxes: [String: MapBox] = [:]
        for (c, ch) in market.children.enumerated() {
            extent.add(ch.location)
            rccBoxes[index.rcc(ofChild: c), default: MapBox()].add(ch.location)
        }
        for m in report.matches {
            let p = market.placements[m.placement].location
            extent.add(p)
            rccBoxes[index.rcc(ofChild: m.child), default: MapBox()].add(p)
        }
        labelSize = extent.isEmpty ? 12 : max(2, max(extent.maxX - extent.minX, extent.maxY - extent.minY) / 65)
        var map = ReportMap()
        map.lines = proposals.map { m in
            ReportMap.Line(from: m.from, to: m.to, type: m.type,
                           tooltip: "\(m.childId) (\(m.childLA)) → \(m.placementId), \(PlainWords.type(m.type)) in \(m.homeLA), \(PlainWords.kmAndMiles(m.km))")
        }
        map.unplaced = unplacedChildren.map { ReportMap.Mark(point: $0.point, tooltip: "\($0.childId) (\($0.laName)): not placed") }
        map.labels = ReportMap.laLabels(market)
        map.views = ReportMap.views(first: ("Tonight's market", extent), groups: rccBoxes)
        map.ariaLabel = "Map of the proposals: a line from each child's home area to the proposed placement"
        self.map = map

        (distanceBins, distanceBinWidth) = Self.histogram(report.matches.map(\.cost.distanceKm))
        var typeCount = [PlacementType: Int](), typeCost = [PlacementType: Double]()
        for m in report.matches {
            let p = market.placements[m.placement]
            typeCount[p.type, default: 0] += 1
            typeCost[p.type, default: 0] += p.weeklyCost
        }
        byType = PlacementType.allCases.map { t in
            Bar(label: PlainWords.typePlural(t), value: Double(typeCount[t] ?? 0), text: PlainWords.grouped(typeCount[t] ?? 0))
        }
        costByType = PlacementType.allCases.map { t in
            Bar(label: PlainWords.typePlural(t), value: typeCost[t] ?? 0, text: PlainWords.pounds(typeCost[t] ?? 0) + " a week")
        }

        // Groups of children: by RCC, LA, age band, sex and disability need.
        var matchOf = [MatchRow?](repeating: nil, count: market.children.count)
        for m in report.matches { matchOf[m.child] = m }
        func grouped(_ key: (Int) -> String, order: [String]? = nil) -> [GroupFigures] {
            var groups: [String: GroupFigures] = [:]
            for c in market.children.indices {
                let k = key(c)
                let m = matchOf[c]
                groups[k, default: GroupFigures(label: k)].figures.add(m?.cost, weeklyCost: m.map { market.placements[$0.placement].weeklyCost } ?? 0)
            }
            let keys = order?.filter { groups[$0] != nil } ?? groups.keys.sorted()
            return keys.map { groups[$0]! }
        }
        byRCC = report.perRCC.keys.sorted().map { GroupFigures(label: $0, figures: report.perRCC[$0]!) }
        byLA = grouped { name(market.children[$0].laCode) }
        let bands = ["0-4", "5-10", "11-15", "16-17"]
        byAge = grouped({ c in
            let a = market.children[c].age
            return a <= 4 ? bands[0] : a <= 10 ? bands[1] : a <= 15 ? bands[2] : bands[3]
        }, order: bands)
        let sexes = ["girls", "boys", "other or not stated"]
        bySex = grouped({ c in
            switch market.children[c].sex { case .F: sexes[0]; case .M: sexes[1]; case .X: sexes[2] }
        }, order: sexes)
        let disability = ["needs disability care", "no disability need"]
        byDisability = grouped({ market.children[$0].needs.contains(.disability) ? disability[0] : disability[1] }, order: disability)

        policy = Policy.keyPaths.map { entry in
            (entry.key, market.policy[keyPath: entry.path].description)
        }
    }

    static func statusWords(_ s: MatchSolution) -> String {
        let gapWords = s.bestBound.isFinite
            ? "at most \(Fixed.format(100 * s.gap, decimals: s.gap < 0.001 ? 4 : 2))% above the best possible plan"
            : "no bound on how far it is from the best possible plan"
        switch s.status {
        case .optimal:
            return "Proven the best plan under tonight's rules and policy: no other plan costs less."
        case .feasible:
            return "A plan within the accepted gap: \(gapWords)."
        case .time_limit:
            return "Stopped at the time limit with the best plan found so far: \(gapWords)."
        }
    }

    /// Proposals' distances in bins of a round width; the last bin holds everything beyond.
    static func histogram(_ kms: [Double]) -> (bins: [Bar], width: Double) {
        let top = min(max(kms.max() ?? 0, 35), 150)
        let width: Double = top <= 40 ? 2.5 : top <= 80 ? 5 : 10
        let count = Int((top / width).rounded(.up))
        var bins = [Int](repeating: 0, count: count + 1)
        for d in kms { bins[min(Int(d / width), count)] += 1 }
        if bins[count] == 0 { bins.removeLast() }
        let f = { (v: Double) in v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        let bars = bins.enumerated().map { i, n in
            let label = i == count ? "\(f(Double(count) * width))+ km" : "\(f(Double(i) * width))-\(f(Double(i + 1) * width)) km"
            return Bar(label: label, value: Double(n), text: PlainWords.grouped(n))
        }
        return (bars, width)
    }
}
