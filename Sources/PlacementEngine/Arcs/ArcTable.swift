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

    public init(index: MarketIndex, threads: Int = Parallel.defaultThreads, keepLimit: Int = 256) {
        self.index = index
        let checker = EligibilityChecker(index: index)
        self.checker = checker
        self.keepLimit = keepLimit
        let coster = ArcCoster(index: index)
        self.coster = coster
        let perChild = Parallel.map(index.childCount, threads: threads) { c -> (RuleCounts, Int, [Arc], Bool) in
            var counts = RuleCounts()
            var arcs: [Arc] = []
            let profile = checker.profile(c)
            let separated = index.groupOf[c] >= 0
            for p in 0..<index.placementCount {
                let d = checker.boundedDistanceKm(profile, placement: p)
                let m = checker.mask(profile, placement: p, distanceKm: d)
                if m.rawValue == 0 {
                    arcs.append(Arc(placement: Int32(p), cost: coster.cost(child: c, placement: p, distanceKm: d, separated: separated)))
                } else {
                    counts.add(m)
                }
            }
            let eligible = arcs.count
            arcs.sort(by: ArcTable.cheaperFirst)
            let complete = arcs.count <= keepLimit
            if !complete { arcs.removeSubrange(keepLimit...) }
            return (counts, eligible, arcs, complete)
        }
        ruleCounts = perChild.map(\.0)
        eligibleCount = perChild.map(\.1)
        childArcs = perChild.map(\.2)
        childComplete = perChild.map(\.3)

        let canTogether = index.groups.map { ArcTable.canBeTogether($0, index: index) }
        groupCanBeTogether = canTogether
        let perGroup = Parallel.map(index.groups.count, threads: threads) { g -> ([Arc], Bool) in
            guard canTogether[g] else { return ([], true) }
            var arcs = ArcTable.togetherArcs(group: g, index: index, checker: checker, coster: coster)
            let complete = arcs.count <= keepLimit
            if !complete { arcs.removeSubrange(keepLimit...) }
            return (arcs, complete)
        }
        groupArcs = perGroup.map(\.0)
        groupComplete = perGroup.map(\.1)
    }

    @inline(__always)
    static func cheaperFirst(_ a: Arc, _ b: Arc) -> Bool {
        a.cost < b.cost || (a.cost == b.cost && a.placement < b.placement)
    }

    /// Every eligible option of child `c`, cheapest first (enumerated again when not all are kept).
    public func allArcs(child c: Int) -> [Arc] {
        if childComplete[c] { return childArcs[c] }
        let profile = checker.profile(c)
        let separated = index.groupOf[c] >= 0
        var arcs: [Arc] = []
        for p in 0..<index.placementCount {
            let d = checker.boundedDistanceKm(profile, placement: p)
            if checker.mask(profile, placement: p, distanceKm: d).rawValue == 0 {
                arcs.append(Arc(placement: Int32(p), cost: coster.cost(child: c, placement: p, distanceKm: d, separated: separated)))
            }
        }
        return arcs.sorted(by: Self.cheaperFirst)
    }

    /// Every together option of group `g`, cheapest first.
    public func allArcs(group g: Int) -> [Arc] {
        if groupComplete[g] { return groupArcs[g] }
        return Self.togetherArcs(group: g, index: index, checker: checker, coster: coster)
    }

    static func togetherArcs(group g: Int, index: MarketIndex, checker: EligibilityChecker, coster: ArcCoster) -> [Arc] {
        let members = index.groups[g]
        let profiles = members.map(checker.profile)
        var arcs: [Arc] = []
        placements: for p in 0..<index.placementCount where checker.pCapacity[p] >= members.count {
            var total = 0.0
            for (k, c) in members.enumerated() {
                let d = checker.distanceKm(child: c, placement: p)
                guard checker.mask(profiles[k], placement: p, distanceKm: d).rawValue == 0 else {
                    continue placements
                }
                total += coster.cost(child: c, placement: p, distanceKm: d, separated: false)
            }
            arcs.append(Arc(placement: Int32(p), cost: total))
        }
        return arcs.sorted(by: cheaperFirst)
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
    }

    @inline(__always)
    func cost(child c: Int, placement p: Int, distanceKm d: Double, separated: Bool) -> Double {
        let m = policy.riskModel
        let type = placementType[p]
        let notPreferred = childSuitability[c][type] == .suitable
        var z = childZ[c]
        if type != .kinship { z += m.nonKinship }
        if type == .residential { z += m.residential }
        if separated { z += m.separatedFromSiblings }
        if notPreferred { z += m.typeNotPreferred }
        if placementRI[p] { z += m.providerRequiresImprovement }
        let r = 1 / (1 + exp(-z))
        let cross = childRcc[c] != placementRcc[p] && type != .kinship
        return policy.weights.wKm * d + policy.weights.wRisk * 100 * r + feeCost[p]
            + (cross ? policy.crossRccPenalty : 0) + (notPreferred ? policy.notPreferredPenalty : 0)
            + (separated ? policy.splitPenalty : 0)
    }
}

/// Which children may not share a placement tonight (spec section 3), pair by pair.
public enum ChildConflicts {
    /// `a` has `sexual_harm` and `b` is younger.
    @inline(__always)
    public static func sexualHarm(_ a: Child, _ b: Child) -> Bool {
        a.risks.contains(.sexual_harm) && b.age < a.age
    }

    /// `a`'s alongside rule forbids sharing with `b` (solo is handled as taking the whole home).
    @inline(__always)
    public static func alongside(_ a: Child, _ b: Child) -> Bool {
        switch a.alongside {
        case .older_only: b.age <= a.age
        case .younger_only: b.age >= a.age
        case .solo: true
        case .with_others, .no_preference: false
        }
    }
}
