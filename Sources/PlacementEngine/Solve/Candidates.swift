// Stage 1: restricted candidates. Every child starts with its few cheapest options (every sibling
// group too), only those cheaper than leaving it unmatched; column generation brings in the rest.

import Foundation

extension MatchSolver {
    func candidates(_ state: inout SolveState) {
        for c in 0..<index.childCount {
            let limit = index.unmatchedCost(c)
            for a in arcs.childArcs[c].prefix(options.initialOptions) where a.cost < limit {
                let o = MatchOption.own(child: c, placement: Int(a.placement), cost: a.cost)
                state.pool[o.key] = o
            }
        }
        for g in index.groups.indices {
            let limit = index.groups[g].reduce(0.0) { $0 + index.unmatchedCost($1) }
            for a in arcs.groupArcs[g].prefix(options.initialOptions) where a.cost < limit {
                let o = MatchOption.together(group: g, placement: Int(a.placement), cost: a.cost)
                state.pool[o.key] = o
            }
        }
    }
}
