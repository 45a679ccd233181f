// Stage 1: restricted candidates. Every child starts with its few cheapest options (every sibling
// group too), only those cheaper than leaving it unmatched; column generation brings in the rest.
// On a large market the transportation core's prices add the options near its optimum, and its
// assignment is the first LP's basis (below).

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
        if index.childCount >= options.coreCandidatesChildren {
            // A large market: the transportation core's prices pick the candidates too (below).
            let t0 = DispatchTime.now().uptimeNanoseconds
            let core = transportCore(&state)
            let assigned = LagrangianBound.coreOptions(core.placementOf, arcs: arcs)
            let priced = LagrangianBound.promisingOptions(prices: core.prices, arcs: arcs, perUnit: Self.coreCandidatesPerUnit)
            for o in assigned + priced { state.pool[o.key] = o }
            // The first LP's basis: each option of the core's assignment basic in place of its
            // (first) child's row. Each such child is in one of them, so the basis is
            // nonsingular (triangular); it may break a rule between children (the simplex's
            // first phase repairs that).
            for o in assigned {
                state.warm.basicOptions.insert(o.key)
                state.warm.tightRows.insert(.child(o.members(index)[0]))
            }
            if options.logger.logLevel <= .debug {
                // The core's assignment as a plan (it may break rules between children).
                var value = state.totalUnmatched
                for o in assigned { value += o.cost - o.members(index).reduce(0.0) { $0 + index.unmatchedCost($1) } }
                options.logger.debug("candidates from the transportation core: \(state.pool.count) options; its assignment places \(core.placementOf.compactMap { $0 }.count) children at \(value) t \(secondsSince(t0))")
            }
        }
    }

    /// Candidates from the transportation core (MatchOptions.coreCandidatesChildren): its
    /// assignment, and per child and group the `coreCandidatesPerUnit` options cheapest at its
    /// prices, besides each child's cheapest option; its assignment is the first LP's basis.
    /// Column generation then starts near the LP's optimum. Measured 2026-12-02 (England markets,
    /// `generate --children N --seed 1`, release, 2-core VM): 16,000 children, column generation
    /// to convergence 235 -> 118 s (the first LP of the 15,590-child component 41 s cold, 20 s
    /// from the core's basis), and with --time-limit 60 a plan of 3.48-3.49 M instead of 3.68 M
    /// (the LP's optimum is 3.4768 M); 8,000 children 19 -> 15 s; 4,000 children slower, 2.1 ->
    /// 2.7 s end to end (its LPs take 0.3 s, and the candidates' LP, at its optimum by the third
    /// round, then tails off for twelve rounds of a few options each), hence 8,000 by default.
    static let coreCandidatesPerUnit = 3

    /// The transportation core (LagrangianBound.transportCore), solved once per solve: national's
    /// auction takes about 8 s.
    func transportCore(_ state: inout SolveState) -> (prices: [Double], placementOf: [Int?]) {
        if let core = state.transportCore { return core }
        let core = LagrangianBound.transportCore(arcs: arcs, epsilon: Self.auctionEpsilon)
        state.transportCore = core
        return core
    }
}
