// Arcs: for every child, the placements it is eligible for, with their arc costs, cheapest first;
// for every sibling group, the placements that can take the whole group together. Built once per
// market in one pass over children x placements, which also counts what each rule excluded.

import Foundation

/// One option of a child (or of a sibling group placed together) in one placement.
public struct Arc: Hashable, Sendable {
    public var placement: Int32
    /// The option's cost: for a child, its arc cost (separated + split_penalty for a group member);
    /// for a group placed together, the sum of its members' arc costs.
    public var cost: Double
}

public struct ArcTable: Sendable {
    public let index: MarketIndex
    public let checker: EligibilityChecker
    /// How many options per child (and per group) are kept in memory; the rest are enumerated
    /// again on demand (`allArcs`), so memory stays bounded on national-scale markets.
    public let keepLimit: Int
    public let ruleCounts: [RuleCounts]
    /// Placements eligible for each child on its own.
    public let eligibleCount: [Int]
    /// Each child's own options, cheapest first (ties by placement order); the first `keepLimit`.
    public let childArcs: [[Arc]]
    public let childComplete: [Bool]
    /// Each group's together options, cheapest first; the first `keepLimit`.
    public let groupArcs: [[Arc]]
    public let groupComplete: [Bool]
    /// Whether each group can ever be placed together (no `not_with` or `sexual_harm` pair inside it).
    public let groupCanBeTogether: [Bool]
    /// The arc costs' per-child and per-placement terms, built once: building it maps over every
    /// child and placement of the market, far too much to repeat per `allArcs` call (the pricing
    /// scan calls it for every child whose kept options run out).
    let coster: ArcCoster
    /// Every child's eligibility against all placements at once (see `EligibilitySets`).
    let sets: EligibilitySets
    /// Per row of the distance grid, the least fee term of its homes (a cost bound for a row).
    let rowMinFee: [Double]

    public init(index: MarketIndex, threads: Int = Parallel.defaultThreads, keepLimit: Int = 256) {
        self.index = index
        let checker = EligibilityChecker(index: index)
        self.checker = checker
        self.keepLimit = keepLimit
        let coster = ArcCoster(index: index)
        self.coster = coster
        let sets = EligibilitySets(checker: checker)
        self.sets = sets
        let rowMinFee = sets.grid.rows.map { row in
            (row.start..<row.end).reduce(Double.infinity) { min($0, coster.feeCost[Int(sets.grid.placement[$1])]) }
        }
        self.rowMinFee = rowMinFee
        // Rule D's count depends on the child's point and limit only, and children share points
        // (siblings, neighbourhoods): one count per distinct point and limit.
        struct PointKey: Hashable { var lat: Double, lon: Double, limit: Double }
        var keyIndex: [PointKey: Int] = [:]
        var representative: [Int] = []
        let pointOf = (0..<index.childCount).map { c -> Int in
            let key = PointKey(lat: checker.cLat[c], lon: checker.cLon[c], limit: index.maxDistanceKm[c])
            if let k = keyIndex[key] { return k }
            keyIndex[key] = representative.count
            representative.append(c)
            return representative.count - 1
        }
        let reps = representative
        let beyond = Parallel.map(reps.count, threads: threads) { k in
            sets.grid.beyondLimit(checker.profile(reps[k]), checker: checker)
        }
        let perChild = Parallel.map(index.childCount, threads: threads) { c -> (RuleCounts, Int, [Arc], Bool) in
            let cheapest = ArcTable.cheapestArcs(child: c, limit: keepLimit, index: index, checker: checker,
                                                 sets: sets, coster: coster, rowMinFee: rowMinFee)
            return (sets.ruleCounts(checker.profile(c), checker: checker, beyond: beyond[pointOf[c]]), cheapest.offered,
                    cheapest.sorted(), cheapest.offered <= keepLimit)
        }
        ruleCounts = perChild.map(\.0)
        eligibleCount = perChild.map(\.1)
        childArcs = perChild.map(\.2)
        childComplete = perChild.map(\.3)

        let canTogether = index.groups.map { ArcTable.canBeTogether($0, index: index) }
        groupCanBeTogether = canTogether
        let perGroup = Parallel.map(index.groups.count, threads: threads) { g -> ([Arc], Bool) in
            guard canTogether[g] else { return ([], true) }
            var cheapest = CheapestArcs(limit: keepLimit)
            ArcTable.forEachTogetherArc(group: g, index: index, checker: checker, sets: sets, coster: coster) {
                cheapest.offer($0)
            }
            return (cheapest.sorted(), cheapest.offered <= keepLimit)
        }
        groupArcs = perGroup.map(\.0)
        groupComplete = perGroup.map(\.1)
    }

    @inline(__always)
    static func cheaperFirst(_ a: Arc, _ b: Arc) -> Bool {
        a.cost < b.cost || (a.cost == b.cost && a.placement < b.placement)
    }

    /// Every eligible option of child `c`, cheapest first (enumerated again when not all are kept).
    public func allArcs(child c: Int) -> [Arc] { arcs(child: c, below: .infinity) }

    /// The eligible options of child `c` that cost less than `bound`, cheapest first: the kept ones
    /// when they reach the bound, else enumerated again, skipping by the distance grid's cost
    /// bounds every placement that cannot cost less (at national scale a child has tens of
    /// thousands of eligible placements, and enumerating and sorting them all dominated the plan
    /// report).
    public func arcs(child c: Int, below bound: Double) -> [Arc] {
        let kept = childArcs[c]
        if childComplete[c] || (kept.last.map { $0.cost >= bound } ?? false) {
            return Array(kept.prefix(kept.partitioningIndex(where: { $0.cost >= bound })))
        }
        return Self.cheapestArcs(child: c, limit: .max, below: bound, index: index, checker: checker, sets: sets,
                                 coster: coster, rowMinFee: rowMinFee).sorted()
    }

    /// The `limit` cheapest options of child `c`, and how many it has. Only the candidates of
    /// `EligibilitySets` are looked at, nearest grid rows first so that cheap arcs are kept early.
    /// Once `limit` are kept, an eligible arc whose cost bound is above the dearest kept is counted
    /// without computing its cost, and, surely within the distance limit, without its distance
    /// either (a whole row at once when the row's bound is above it).
    /// How many eligible placements of child `c` cost less than `bound` (none kept: nothing to
    /// sort), the costs taken `separated` or not (default: as its own options are, separated for a
    /// sibling; a sibling placed together with its group counts its costs unseparated).
    public func countArcs(child c: Int, below bound: Double, separated: Bool? = nil) -> Int {
        let own = index.isGroupMember(c)
        let kept = childArcs[c]
        if (separated ?? own) == own, childComplete[c] || (kept.last.map { $0.cost >= bound } ?? false) {
            return kept.partitioningIndex(where: { $0.cost >= bound })
        }
        return Self.cheapestArcs(child: c, limit: 0, below: bound, separated: separated, index: index, checker: checker,
                                 sets: sets, coster: coster, rowMinFee: rowMinFee).cheaper
    }

    /// With `below`, only arcs costing less are kept (the others are counted); with `separated`,
    /// the costs are taken so (default: separated for a sibling, as its own options are).
    static func cheapestArcs(child c: Int, limit: Int, below: Double = .infinity, separated: Bool? = nil, index: MarketIndex,
                             checker: EligibilityChecker, sets: EligibilitySets, coster: ArcCoster, rowMinFee: [Double]) -> CheapestArcs {
        let profile = checker.profile(c)
        let separated = separated ?? (index.groupOf[c] >= 0)
        let candidates = sets.candidates(profile, checker: checker)
        var cheapest = CheapestArcs(limit: limit, below: below)
        let wKm = index.policy.weights.wKm
        // What every non-kinship arc of the child costs beyond distance and fee, at least.
        let floor = coster.nonKinshipFloor(child: c, separated: separated)
        let terms = coster.terms(child: c, separated: separated)
        func offerIfEligible(_ p: Int) {
            let d = checker.boundedDistanceKm(profile, placement: p)
            // (A candidate passes every rule but D: only the distance is left to check.)
            guard checker.pType[p] == .kinship || d <= profile.maxDistanceKm else { return }
            if cheapest.cannotKeep(atLeast: wKm * d + coster.feeCost[p] + (checker.pType[p] == .kinship ? 0 : floor)) {
                cheapest.countWithoutKeeping()
                return
            }
            cheapest.offer(Arc(placement: Int32(p), cost: coster.cost(terms, placement: p, distanceKm: d)))
        }
        // Kinship homes: named for the child, never limited by distance.
        for p in sets.namedKinship(profile, checker: checker) where EligibilitySets.contains(candidates, Int(sets.slot[p])) {
            offerIfEligible(p)
        }
        // The rest through the distance grid, whose rows are ranges of slots. An arc's cost is
        // never below its cost at a lower bound of its distance (the cost grows with distance and
        // rounding is monotone), nor below wKm x distance + fee (the other terms are not negative);
        // the great-circle distance is at least the meridian one.
        let grid = sets.grid
        let limitKm = profile.maxDistanceKm
        let cLat = checker.cLat[c], cLon = checker.cLon[c], cCos = checker.cCosLat[c]
        for r in grid.rowsNearestFirst(lat: cLat) {
            let row = grid.rows[r]
            let z = grid.zones(row, lat: cLat, lon: cLon, cos: cCos, limit: limitKm)
            sets.forEach(candidates, from: z.loOut, to: z.loIn, offerIfEligible)
            sets.forEach(candidates, from: z.hiIn, to: z.hiOut, offerIfEligible)
            // Surely within the distance limit (and every other rule holds): eligible.
            let nearKm = abs((cLat < row.latMin ? row.latMin : (cLat > row.latMax ? row.latMax : cLat)) - cLat)
                * Geo.earthRadiusKm * (1 - 1e-9)
            if cheapest.cannotKeep(atLeast: wKm * nearKm + rowMinFee[r] + floor) {
                cheapest.countWithoutKeeping(EligibilitySets.count(candidates, from: z.loIn, to: z.hiIn))
                continue
            }
            // Within the row, placements far enough in longitude cannot be kept either: beyond the
            // distance dT at which even the row's cheapest fee and the child's floor reach the
            // dearest arc kept (or the bound). The grid's "certainly beyond" zones at dT find
            // them by binary search; they are counted unseen.
            var lo = z.loIn, hi = z.hiIn
            if wKm > 0, let threshold = cheapest.threshold {
                let dT = (threshold - rowMinFee[r] - floor) / wKm * (1 + 1e-9)
                if dT < limitKm {
                    let zt = grid.zones(row, lat: cLat, lon: cLon, cos: cCos, limit: max(0, dT))
                    if zt.loOut == zt.hiOut {
                        lo = z.hiIn
                    } else {
                        lo = min(max(lo, zt.loOut), hi)
                        hi = max(min(hi, zt.hiOut), lo)
                    }
                    cheapest.countWithoutKeeping(EligibilitySets.count(candidates, from: z.loIn, to: lo)
                                                 + EligibilitySets.count(candidates, from: hi, to: z.hiIn))
                }
            }
            sets.forEach(candidates, from: lo, to: hi) { p in
                if cheapest.prunes,
                   cheapest.cannotKeep(atLeast: coster.cost(terms, placement: p, distanceKm: abs(checker.pLat[p] - cLat) * Geo.earthRadiusKm * (1 - 1e-9))) {
                    cheapest.countWithoutKeeping()
                    return
                }
                let d = checker.boundedDistanceKm(profile, placement: p)
                cheapest.offer(Arc(placement: Int32(p), cost: coster.cost(terms, placement: p, distanceKm: d)))
            }
        }
        return cheapest
    }

    /// Every together option of group `g`, cheapest first.
    public func allArcs(group g: Int) -> [Arc] {
        if groupComplete[g] { return groupArcs[g] }
        return Self.togetherArcs(group: g, index: index, checker: checker, sets: sets, coster: coster)
    }

    /// Every together option of group `g` (cheapest first).
    static func togetherArcs(group g: Int, index: MarketIndex, checker: EligibilityChecker, sets: EligibilitySets,
                             coster: ArcCoster) -> [Arc] {
        var arcs: [Arc] = []
        forEachTogetherArc(group: g, index: index, checker: checker, sets: sets, coster: coster) { arcs.append($0) }
        return arcs.sorted(by: cheaperFirst)
    }

    /// The placements eligible for every member of group `g` with room for all, each costing the
    /// sum of its members' arc costs (not separated): the first member's named kinship homes, then
    /// the distance grid's order.
    static func forEachTogetherArc(group g: Int, index: MarketIndex, checker: EligibilityChecker, sets: EligibilitySets,
                                   coster: ArcCoster, _ body: (Arc) -> Void) {
        let members = index.groups[g]
        let profiles = members.map(checker.profile)
        let terms = members.map { coster.terms(child: $0, separated: false) }
        var common = sets.candidates(profiles[0], checker: checker)
        for profile in profiles.dropFirst() {
            let more = sets.candidates(profile, checker: checker)
            for w in common.indices { common[w] &= more[w] }
        }
        // Siblings mostly share a home point: a member at the first member's point takes its
        // distance (reached only when the first member's was exact: it passed rule D).
        let samePoint = members.map { checker.cLat[$0] == checker.cLat[members[0]] && checker.cLon[$0] == checker.cLon[members[0]] }
        func visit(_ p: Int) {
            guard checker.pCapacity[p] >= members.count else { return }
            var total = 0.0
            var first = 0.0
            for k in members.indices {
                let d = k > 0 && samePoint[k] ? first : checker.boundedDistanceKm(profiles[k], placement: p)
                if k == 0 { first = d }
                // (Every member's candidate: only rule D is left to check.)
                guard checker.pType[p] == .kinship || d <= profiles[k].maxDistanceKm else { return }
                total += coster.cost(terms[k], placement: p, distanceKm: d)
            }
            body(Arc(placement: Int32(p), cost: total))
        }
        // Only where the first member may go: its named kinship homes, and the distance grid's
        // rows within its limit (a home every member may take is within each one's limit), not
        // every candidate of the country.
        for p in sets.namedKinship(profiles[0], checker: checker) where EligibilitySets.contains(common, Int(sets.slot[p])) {
            visit(p)
        }
        let grid = sets.grid
        let c0 = members[0]
        for row in grid.rows {
            let z = grid.zones(row, lat: checker.cLat[c0], lon: checker.cLon[c0], cos: checker.cCosLat[c0],
                               limit: profiles[0].maxDistanceKm)
            sets.forEach(common, from: z.loOut, to: z.hiOut, visit)
        }
    }

    /// A group can be placed together only if no `not_with` or `sexual_harm` pair lies inside it
    /// (spec section 7: only the alongside rules are waived inside a group placed together).
    static func canBeTogether(_ members: [Int], index: MarketIndex) -> Bool {
        for a in members {
            for b in members where a != b {
                if index.notWith[a].contains(b) { return false }
                if ChildConflicts.sexualHarm(index.market.children[a], index.market.children[b]) { return false }
            }
        }
        return true
    }
}

/// The `limit` cheapest of the arcs offered, by `ArcTable.cheaperFirst` (a strict total order, so
/// they are exactly the first `limit` of the whole list sorted). A bounded max-heap: a national
/// child has tens of thousands of eligible placements, and sorting them all only to keep a few
/// hundred dominated the arc build; collecting them all also left every child's array at its full
/// capacity after truncation (gigabytes at national scale).
struct CheapestArcs {
    let limit: Int
    /// Only arcs costing less than this are kept (the others are counted).
    let below: Double
    /// How many arcs were offered (the child's eligible placements).
    private(set) var offered = 0
    /// How many of them cost less than `below`: exact when nothing is dismissed for being dearer
    /// than the dearest kept (`limit` 0 or `.max`).
    private(set) var cheaper = 0
    /// Max-heap by `cheaperFirst`: the root is the dearest arc kept.
    private var heap: [Arc] = []

    init(limit: Int, below: Double = .infinity) { self.limit = limit; self.below = below }

    /// Whether an arc costing at least `cost` can be dismissed unseen: it is not below `below`, or
    /// `limit` arcs are kept and it is dearer than the dearest of them.
    @inline(__always)
    func cannotKeep(atLeast cost: Double) -> Bool {
        cost >= below || (dearestKept.map { cost > $0.cost } ?? false)
    }

    /// Whether `cannotKeep` can dismiss anything yet.
    var prunes: Bool { below < .infinity || dearestKept != nil }

    /// The cost from which arcs are dismissed: any arc costing more is (nil: none yet).
    var threshold: Double? {
        let kept = dearestKept?.cost ?? .infinity
        let t = min(kept, below)
        return t < .infinity ? t : nil
    }

    mutating func offer(_ arc: Arc) {
        offered += 1
        guard arc.cost < below else { return }
        cheaper += 1
        if limit == .max { heap.append(arc); return }   // keeping all: one sort at the end is cheaper
        if heap.count < limit {
            heap.append(arc)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard ArcTable.cheaperFirst(heap[parent], heap[i]) else { break }
                heap.swapAt(parent, i); i = parent
            }
        } else if limit > 0, ArcTable.cheaperFirst(arc, heap[0]) {
            heap[0] = arc
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var top = i
                if l < heap.count, ArcTable.cheaperFirst(heap[top], heap[l]) { top = l }
                if r < heap.count, ArcTable.cheaperFirst(heap[top], heap[r]) { top = r }
                if top == i { break }
                heap.swapAt(top, i); i = top
            }
        }
    }

    /// The dearest arc kept, once `limit` are kept (an arc must be cheaper to get in).
    var dearestKept: Arc? { heap.count == limit && limit > 0 ? heap[0] : nil }

    /// Counts eligible arcs known not to be cheaper than `dearestKept`.
    mutating func countWithoutKeeping(_ n: Int = 1) { offered += n }

    /// The arcs kept, cheapest first, in an array of exactly their size.
    func sorted() -> [Arc] { heap.sorted(by: ArcTable.cheaperFirst) }
}

/// The arc cost on the hot path, from precomputed plain values; equal, bit for bit, to
/// `ArcCosting.breakdown(...).total` (same terms added in the same order), which a test checks.
struct ArcCoster: Sendable {
    let policy: Policy
    /// Per child: the risk model's log-odds from the child alone (intercept, age, behaviour, prior).
    let childZ: [Double]
    let childSuitability: [TypeSuitability]
    let childRcc: [Int32]
    let placementType: [PlacementType]
    let placementRI: [Bool]
    let placementRcc: [Int32]
    let feeCost: [Double]
    let history: HistoryCosts

    init(index: MarketIndex) {
        let policy = index.policy
        self.policy = policy
        let m = policy.riskModel
        childZ = index.market.children.map { child in
            var z = m.intercept
            if child.age >= 11 { z += m.age11Plus }
            if child.behaviour == .high { z += m.behaviourHigh }
            if child.priorPlacements >= 3 { z += m.priorPlacements3Plus }
            return z
        }
        childSuitability = index.market.children.map(\.suitability)
        childRcc = index.childRcc
        placementType = index.market.placements.map(\.type)
        placementRI = index.market.placements.map { $0.ofsted == .requires_improvement }
        placementRcc = index.placementRcc
        let w = policy.weights
        feeCost = index.market.placements.map { w.wCost * $0.weeklyCost / 100 }
        history = index.historyCosts
    }

    /// A lower bound on what any non-kinship arc of child `c` costs beyond its distance and fee
    /// terms: the breakdown risk with only the terms every non-kinship home adds (every coefficient
    /// is at least 0, so the others only raise it), and the split penalty for a sibling placed
    /// apart; shaved by a relative 1e-9 so that rounding never puts it above an arc's true cost.
    /// It lets the cheapest-arcs search dismiss whole rows of the distance grid.
    func nonKinshipFloor(child c: Int, separated: Bool) -> Double {
        let m = policy.riskModel
        let z = childZ[c] + m.nonKinship + (separated ? m.separatedFromSiblings : 0)
        let r = 1 / (1 + exp(-z))
        return (policy.weights.wRisk * 100 * r + (separated ? policy.splitPenalty : 0)) * (1 - 1e-9)
    }

    @inline(__always)
    func cost(child c: Int, placement p: Int, distanceKm d: Double, separated: Bool) -> Double {
        cost(terms(child: c, separated: separated), placement: p, distanceKm: d)
    }

    /// One child's part of every arc cost, taken once: the risk term of each placement type with and
    /// without `requires_improvement` (the only placement facts the risk model reads), so that an
    /// arc costs no `exp` on the hot path. Each value is computed with the same terms added in the
    /// same order as `ArcCosting`, so the costs stay equal bit for bit.
    struct ChildTerms {
        let child: Int
        let separated: Bool
        /// `wRisk * 100 * risk`, by placement type index * 2 + (requires improvement ? 1 : 0).
        let riskCost: (Double, Double, Double, Double, Double, Double, Double, Double)
        let notPreferred: (Bool, Bool, Bool, Bool)
        let rcc: Int32

        @inline(__always) func risk(_ type: PlacementType, _ ri: Bool) -> Double {
            switch (type, ri) {
            case (.kinship, false): riskCost.0
            case (.kinship, true): riskCost.1
            case (.foster, false): riskCost.2
            case (.foster, true): riskCost.3
            case (.residential, false): riskCost.4
            case (.residential, true): riskCost.5
            case (.supported, false): riskCost.6
            case (.supported, true): riskCost.7
            }
        }
        @inline(__always) func isNotPreferred(_ type: PlacementType) -> Bool {
            switch type {
            case .kinship: notPreferred.0
            case .foster: notPreferred.1
            case .residential: notPreferred.2
            case .supported: notPreferred.3
            }
        }
    }

    func terms(child c: Int, separated: Bool) -> ChildTerms {
        let m = policy.riskModel
        func riskCost(_ type: PlacementType, _ ri: Bool) -> Double {
            var z = childZ[c]
            if type != .kinship { z += m.nonKinship }
            if type == .residential { z += m.residential }
            if separated { z += m.separatedFromSiblings }
            if childSuitability[c][type] == .suitable { z += m.typeNotPreferred }
            if ri { z += m.providerRequiresImprovement }
            return policy.weights.wRisk * 100 * (1 / (1 + exp(-z)))
        }
        let s = childSuitability[c]
        return ChildTerms(
            child: c, separated: separated,
            riskCost: (riskCost(.kinship, false), riskCost(.kinship, true), riskCost(.foster, false), riskCost(.foster, true),
                       riskCost(.residential, false), riskCost(.residential, true), riskCost(.supported, false), riskCost(.supported, true)),
            notPreferred: (s.kinship == .suitable, s.foster == .suitable, s.residential == .suitable, s.supported == .suitable),
            rcc: childRcc[c])
    }

    @inline(__always)
    func cost(_ t: ChildTerms, placement p: Int, distanceKm d: Double) -> Double {
        let type = placementType[p]
        let cross = t.rcc != placementRcc[p] && type != .kinship
        let cost = policy.weights.wKm * d + t.risk(type, placementRI[p]) + feeCost[p]
            + (cross ? policy.crossRccPenalty : 0) + (t.isNotPreferred(type) ? policy.notPreferredPenalty : 0)
            + (t.separated ? policy.splitPenalty : 0)
        guard let extra = history.arcCost(child: t.child, placement: p) else { return cost }   // NightHistory.swift
        return cost + extra
    }
}
