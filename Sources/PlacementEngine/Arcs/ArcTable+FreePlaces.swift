// Free places an unplaced child could take tonight: the test behind the unmatched reason
// `solve_stopped` (Plan/PlanReport.swift) and the last primal step of an unproven solve
// (PrimalHeuristics.fillFreePlaces), kept here so that both read the same rule.

extension ArcTable {
    /// The cheapest eligible placement with a free place that an unplaced child may take beside
    /// who is there tonight (no conflict with them; for a sibling, not the last of its group to
    /// join the others there on their own), at less than leaving it unmatched; nil if none.
    /// `occupants`: each placement's children in the plan `placementOf`.
    func freePlacement(child c: Int, placementOf: [Int?], occupants: [Int: [Int]]) -> (placement: Int, cost: Double)? {
        freePlacement(child: c, among: arcs(child: c, below: index.unmatchedCost(c) - 1e-9), placementOf: placementOf, occupants: occupants)
    }

    /// The first of `candidates` (child `c`'s arcs, cheapest first) that `c` may take, as above.
    func freePlacement(child c: Int, among candidates: [Arc], placementOf: [Int?], occupants: [Int: [Int]]) -> (placement: Int, cost: Double)? {
        let g = Int(index.groupOf[c])
        for a in candidates {
            let p = Int(a.placement)
            let there = occupants[p] ?? []
            guard there.count < index.placementCapacity[p], !there.contains(where: { index.childrenConflict(c, $0) }) else { continue }
            if g >= 0, index.groups[g].allSatisfy({ $0 == c || placementOf[$0] == p }) { continue }
            return (p, a.cost)
        }
        return nil
    }
}
