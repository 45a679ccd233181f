// One child's view of the market: its eligible placements with costs, and what each rule excluded.

public struct ChildExplanation: Sendable {
    public struct Entry: Sendable {
        public var placement: Int
        public var cost: CostBreakdown
    }
    public let index: MarketIndex
    public let child: Int
    /// Eligible placements, cheapest first (as the child's own option).
    public let eligible: [Entry]
    /// Placements each rule excluded, in market order.
    public let excluded: [Rule: [Int]]

    public init(index: MarketIndex, child c: Int) {
        self.index = index
        self.child = c
        let checker = EligibilityChecker(index: index)
        var eligible: [Entry] = []
        var excluded: [Rule: [Int]] = [:]
        let separated = index.isGroupMember(c)
        for p in 0..<index.placementCount {
            let (mask, _) = checker.check(child: c, placement: p)
            if mask.isEmpty {
                eligible.append(Entry(placement: p, cost: index.costBreakdown(child: c, placement: p, separated: separated)))
            } else {
                for r in mask.rules { excluded[r, default: []].append(p) }
            }
        }
        eligible.sort { ($0.cost.total, $0.placement) < ($1.cost.total, $1.placement) }
        self.eligible = eligible
        self.excluded = excluded
    }

    public func jsonObject(top: Int, examples: Int) -> [String: Any] {
        let market = index.market
        return [
            "child_id": market.children[child].id,
            "eligible_count": eligible.count,
            "unmatched_cost": index.unmatchedCost(child),
            "eligible": eligible.prefix(top).map { e -> [String: Any] in
                let b = e.cost
                return ["placement_id": market.placements[e.placement].id, "distance_km": b.distanceKm, "risk": b.risk,
                        "distance_cost": b.distanceCost, "risk_cost": b.riskCost, "fee_cost": b.feeCost,
                        "cross_rcc_penalty": b.crossRccPenalty, "not_preferred_penalty": b.notPreferredPenalty,
                        "split_penalty": b.splitPenalty, "arc_cost": b.total]
            },
            "excluded": Dictionary(uniqueKeysWithValues: Rule.allCases.compactMap { r -> (String, Any)? in
                guard let ps = excluded[r] else { return nil }
                return (r.name, ["count": ps.count, "examples": ps.prefix(examples).map { market.placements[$0].id }] as [String: Any])
            }),
        ]
    }
}
