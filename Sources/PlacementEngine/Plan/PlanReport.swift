// Everything the outputs say about a plan, derived from the plan alone (spec sections 6 and 7).

/// A child placed tonight: one row of matches.csv.
public struct MatchRow: Hashable, Sendable {
    public var child: Int
    public var placement: Int
    public var withSiblings: Bool
    public var cost: CostBreakdown
    public var crossRcc: Bool
    public var choiceRank: Int
    public var eligibleCount: Int
}

/// A child left unmatched: one row of unmatched.csv.
public struct UnmatchedRow: Hashable, Sendable {
    public enum Reason: String, Sendable {
        /// No placement is eligible for the child.
        case no_eligible_placement
        /// Every eligible placement is better used by others tonight (or cannot take the child
        /// beside who is there, or costs more than leaving it unmatched).
        case outcompeted
        /// The solve stopped (its time limit) before deciding: an eligible placement has a free
        /// place the child may take beside who is there, at less than leaving it unmatched.
        case solve_stopped
    }
    public var child: Int
    public var eligibleCount: Int
    public var reason: Reason
    public var ruleCounts: RuleCounts
    /// For `outcompeted`: what holds the child's cheapest candidates, in plain words; for
    /// `solve_stopped`: the free placement.
    public var holders: [String]
    public var detail: String {
        let counts = ruleCounts.detail
        guard !holders.isEmpty else { return counts }
        return (counts.isEmpty ? "" : counts + ";") + "cheapest: " + holders.joined(separator: " / ")
    }
}

public struct RCCFigures: Hashable, Sendable {
    public var placed = 0
    public var unmatched = 0
    public var totalKm = 0.0
    public var overTwentyMiles = 0
    public var totalRisk = 0.0
    public var totalWeeklyCost = 0.0
    public var meanKm: Double { placed == 0 ? 0 : totalKm / Double(placed) }
    public var shareOverTwentyMiles: Double { placed == 0 ? 0 : Double(overTwentyMiles) / Double(placed) }
    public var meanRisk: Double { placed == 0 ? 0 : totalRisk / Double(placed) }
    public init() {}

    /// Counts one child of the group: placed with `cost` in a home of `weeklyCost`, or unmatched (nil).
    public mutating func add(_ cost: CostBreakdown?, weeklyCost: Double) {
        guard let cost else { unmatched += 1; return }
        placed += 1
        totalKm += cost.distanceKm
        if cost.distanceKm > PlanReport.twentyMilesKm { overTwentyMiles += 1 }
        totalRisk += cost.risk
        totalWeeklyCost += weeklyCost
    }
}

public struct PlanReport: Sendable {
    /// 20 miles in km, the spec's threshold for "far from home".
    public static let twentyMilesKm = 32.19

    public let matches: [MatchRow]
    public let unmatched: [UnmatchedRow]
    /// The objective recomputed from the plan: arc costs plus unmatched costs.
    public let objective: Double
    public let placedTogetherGroups: Int
    public let perRCC: [String: RCCFigures]

    /// `decided`: whether the plan is proven optimal. When it is not (a time limit), an unplaced
    /// child with a free eligible placement it could take at less than its unmatched cost is
    /// `solve_stopped`, never `outcompeted` (in a proven plan there is none such: placing the
    /// child would lower the objective).
    public init(plan: Plan, arcs: ArcTable, threads: Int = Parallel.defaultThreads, decided: Bool = true) {
        let index = arcs.index
        let market = index.market
        let groupsTogether = index.groups.filter { members in
            plan.placement[members[0]].map { p in members.allSatisfy { plan.placement[$0] == p } } ?? false
        }
        placedTogetherGroups = groupsTogether.count
        var inGroupTogether = [Bool](repeating: false, count: index.childCount)
        for members in groupsTogether { for c in members { inGroupTogether[c] = true } }
        let together = inGroupTogether

        var occupants = [Int: [Int]]()
        for (c, p) in plan.placement.enumerated() { if let p { occupants[p, default: []].append(c) } }

        // Each placed child's cost and choice rank, in parallel (a rank may enumerate every
        // placement again when the child's cost lies beyond its kept arcs); summed in child order.
        let priced = Parallel.map(index.childCount, threads: threads) { c -> (CostBreakdown, Int)? in
            guard let p = plan.placement[c] else { return nil }
            let separated = index.isGroupMember(c) && !together[c]
            let cost = index.costBreakdown(child: c, placement: p, separated: separated)
            return (cost, 1 + PlanReport.cheaperOptions(child: c, than: cost.total, separated: separated, arcs: arcs))
        }

        var matches: [MatchRow] = []
        var unmatched: [UnmatchedRow] = []
        var objective = 0.0
        var perRCC: [String: RCCFigures] = [:]
        for c in 0..<index.childCount {
            let rcc = index.rcc(ofChild: c)
            if let p = plan.placement[c], let (cost, rank) = priced[c] {
                objective += cost.total
                matches.append(MatchRow(child: c, placement: p, withSiblings: together[c], cost: cost,
                                        crossRcc: rcc != index.rcc(ofPlacement: p), choiceRank: rank,
                                        eligibleCount: arcs.eligibleCount[c]))
                perRCC[rcc, default: RCCFigures()].add(cost, weeklyCost: market.placements[p].weeklyCost)
            } else {
                objective += index.unmatchedCost(c)
                perRCC[rcc, default: RCCFigures()].add(nil, weeklyCost: 0)
                let eligible = arcs.eligibleCount[c]
                let free = decided || eligible == 0 ? nil : arcs.freePlacement(child: c, placementOf: plan.placement, occupants: occupants)
                let reason: UnmatchedRow.Reason = eligible == 0 ? .no_eligible_placement : free == nil ? .outcompeted : .solve_stopped
                var holders: [String] = []
                if let free {
                    holders = ["\(market.placements[free.placement].id) has a free place at cost \(Fixed.cost(free.cost)), below the \(Fixed.cost(index.unmatchedCost(c))) of leaving the child unmatched: the solve stopped before deciding"]
                } else if eligible > 0 {
                    holders = PlanReport.holders(child: c, plan: plan, occupants: occupants, arcs: arcs)
                }
                unmatched.append(UnmatchedRow(child: c, eligibleCount: eligible, reason: reason,
                                              ruleCounts: arcs.ruleCounts[c], holders: holders))
            }
        }
        self.matches = matches
        self.unmatched = unmatched
        self.objective = objective
        self.perRCC = perRCC
    }

    /// How many of the child's eligible placements cost strictly less (beyond 1e-9), same separation.
    static func cheaperOptions(child c: Int, than cost: Double, separated: Bool, arcs: ArcTable) -> Int {
        // The child's own costs (separated for a sibling placed apart, unseparated for one placed
        // with its group): counted by the arc table, which skips by its cost bounds every
        // placement that cannot cost less.
        arcs.countArcs(child: c, below: cost - 1e-9, separated: separated)
    }

    /// What holds the child's three cheapest candidates tonight, for a placement officer to act on.
    static func holders(child c: Int, plan: Plan, occupants: [Int: [Int]], arcs: ArcTable) -> [String] {
        let index = arcs.index
        let market = index.market
        return arcs.childArcs[c].prefix(3).map { a in
            let p = Int(a.placement)
            let pl = market.placements[p]
            let there = occupants[p] ?? []
            let ids = there.map { market.children[$0].id }
            if there.count >= pl.capacity {
                return "\(pl.id) full (\(pl.capacity) place\(pl.capacity == 1 ? "" : "s")): \(ids.joined(separator: ","))"
            }
            if let clash = there.first(where: { index.childrenConflict(c, $0) }) {
                return "\(pl.id) has \(market.children[clash].id), who cannot live alongside this child tonight"
            }
            if a.cost >= index.unmatchedCost(c) {
                return "\(pl.id) would cost more than leaving the child unmatched"
            }
            if let g = Optional(index.groupOf[c]), g >= 0 {
                return "\(pl.id) has a free place, but the sibling group's plan as a whole costs less without it"
            }
            return "\(pl.id) has a free place, but the night's plan as a whole costs less without it"
        }
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array partitioned by it.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if belongs(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
