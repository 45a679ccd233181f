// A lower bound for markets whose LP GLPK cannot solve within the time limit (national: one
// component of 40,000+ children already in the first round): the Lagrangian relaxation of the
// capacity rows, maximised by subgradient steps.
//
// With a price λp >= 0 per placement, and every row but the child rows and the capacity rows
// dropped (conflicts, alongside, sibling rows: dropping rows only lowers the optimum), a plan
// costs at least
//
//     L(λ) = Σ unmatched costs − Σp capacity(p) λp
//            + Σ over units of min(0, least (option cost − unmatched costs of its children + load λp))
//
// where a unit is a child outside any sibling group, or a whole group (whose members each take
// their own option or stay unmatched, or all take one together option). Any λ >= 0 gives a valid
// bound, so stopping early (deadline, iteration cap) never makes it wrong.
//
// Only the kept options (`ArcTable.keepLimit` per child) are priced: an option not kept costs at
// least the dearest kept one, and λ >= 0, so that cost stands in for all of them in the minimum.

import Foundation

struct LagrangianBound: Sendable {
    /// The best bound found, and the prices that gave it.
    var bound: Double
    var prices: [Double]
    var iterations: Int

    /// Units per chunk of parallel work (fixed, so the sums are added in the same order whatever
    /// the number of threads).
    static let chunk = 2048

    /// One evaluation of L(λ) over a chunk of units: its part of the sum, and the load each chosen
    /// option puts on its placement (for the subgradient).
    private struct Part: Sendable {
        var sum = 0.0
        var loads: [(placement: Int32, load: Int32)] = []
    }

    /// L(0): every child (or group) at its cheapest option or unmatched, whichever costs less, with
    /// every rule between children and every capacity dropped. The bound no answer may claim less
    /// than (a time-limited LP's duals can prove less: 16,000 children once reported -8.2 M).
    static func trivial(arcs: ArcTable, threads: Int) -> Double {
        maximise(arcs: arcs, iterations: 0, threads: threads, deadline: nil).bound
    }

    /// Maximises L(λ) from λ = 0 for at most `iterations` steps or until `deadline`.
    /// `target` is a value L cannot exceed (any plan's cost ignoring the dropped rows will do)
    /// for the step length.
    /// `start`: the prices to begin from (one per placement, >= 0; zeros when nil).
    static func maximise(arcs: ArcTable, iterations: Int, threads: Int, deadline: UInt64?, start: [Double]? = nil) -> LagrangianBound {
        let index = arcs.index
        let P = index.placementCount
        // Units: children outside groups (encoded c), then groups (encoded −1 − g).
        var units: [Int] = (0..<index.childCount).filter { index.groupOf[$0] < 0 }
        units += index.groups.indices.map { -1 - $0 }
        let unitsConst = units
        let totalUnmatched = (0..<index.childCount).reduce(0.0) { $0 + index.unmatchedCost($1) }
        let capacity = (0..<P).map { Double(index.placementCapacity[$0]) }

        /// Least (cost + load λp) over the kept options, bounded below by the dearest kept when
        /// the list is not complete; and the option reaching it among the kept ones.
        @Sendable func least(_ list: [Arc], complete: Bool, load: (Int) -> Int, prices: [Double]) -> (value: Double, placement: Int, load: Int) {
            var best = Double.infinity, bestP = -1, bestLoad = 0
            for a in list {
                if a.cost >= best { break }   // sorted by cost, and prices are >= 0
                let p = Int(a.placement)
                let l = load(p)
                let v = a.cost + Double(l) * prices[p]
                if v < best { best = v; bestP = p; bestLoad = l }
            }
            if !complete, let last = list.last { best = min(best, last.cost) }
            return (best, bestP, bestLoad)
        }

        func evaluate(_ prices: [Double]) -> (value: Double, gradient: [Double]) {
            let chunks = (unitsConst.count + chunk - 1) / chunk
            let parts = Parallel.map(chunks, threads: threads) { k -> Part in
                var part = Part()
                for u in unitsConst[(k * chunk)..<min(unitsConst.count, (k + 1) * chunk)] {
                    if u >= 0 {
                        let own = least(arcs.childArcs[u], complete: arcs.childComplete[u],
                                        load: { index.load(of: .own(child: u, placement: $0, cost: 0)) }, prices: prices)
                        let d = own.value - index.unmatchedCost(u)
                        if d < 0 {
                            part.sum += d
                            if own.placement >= 0 { part.loads.append((Int32(own.placement), Int32(own.load))) }
                        }
                    } else {
                        let g = -1 - u
                        var separate = 0.0
                        var separateLoads: [(placement: Int32, load: Int32)] = []
                        for c in index.groups[g] {
                            let own = least(arcs.childArcs[c], complete: arcs.childComplete[c],
                                            load: { index.load(of: .own(child: c, placement: $0, cost: 0)) }, prices: prices)
                            let d = own.value - index.unmatchedCost(c)
                            if d < 0 {
                                separate += d
                                if own.placement >= 0 { separateLoads.append((Int32(own.placement), Int32(own.load))) }
                            }
                        }
                        let together = least(arcs.groupArcs[g], complete: arcs.groupComplete[g],
                                             load: { index.load(of: .together(group: g, placement: $0, cost: 0)) }, prices: prices)
                        let dTogether = together.value - index.groups[g].reduce(0.0) { $0 + index.unmatchedCost($1) }
                        if dTogether < separate {
                            part.sum += dTogether
                            if together.placement >= 0 { part.loads.append((Int32(together.placement), Int32(together.load))) }
                        } else {
                            part.sum += separate
                            part.loads += separateLoads
                        }
                    }
                }
                return part
            }
            var value = totalUnmatched
            var gradient = capacity.map { -$0 }
            for part in parts {
                value += part.sum
                for (p, l) in part.loads { gradient[Int(p)] += Double(l) }
            }
            for p in 0..<P { value -= capacity[p] * prices[p] }
            return (value, gradient)
        }

        var prices = [Double](repeating: 0, count: P)
        if let start, start.count == P { prices = start.map { max(0, $0) } }
        var (value, gradient) = evaluate(prices)
        var best = LagrangianBound(bound: value, prices: prices, iterations: 0)
        // Step length: Polyak's, towards a target a little above the best bound so far (the gap to
        // the bound shrinks as it improves); halved after a run of steps without improvement.
        var theta = 1.0
        var sinceImproved = 0
        for it in stride(from: 1, through: iterations, by: 1) {
            if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { break }
            // The subgradient projected on λ >= 0: a price at 0 with spare room cannot fall.
            var norm = 0.0
            for p in 0..<P where prices[p] > 0 || gradient[p] > 0 { norm += gradient[p] * gradient[p] }
            if norm == 0 { break }   // the relaxed choice respects every capacity: L is at its maximum
            let target = best.bound + max(1, abs(best.bound)) * 0.01 * theta
            let step = theta * (target - value) / norm
            for p in 0..<P { prices[p] = max(0, prices[p] + step * gradient[p]) }
            (value, gradient) = evaluate(prices)
            best.iterations = it
            if value > best.bound {
                best.bound = value; best.prices = prices; sinceImproved = 0
            } else {
                sinceImproved += 1
                if sinceImproved >= 8 { theta /= 2; sinceImproved = 0 }
            }
        }
        return best
    }

    /// Prices to start from: each placement's price in the market's transportation core (every
    /// child to one placement or unmatched, over its kept options; a group placed together as each
    /// member at its share; loads 1), solved by auction (TransportAuction) to within `epsilon` a
    /// child. Near the core's LP duals, they start the subgradient steps close to their maximum:
    /// from zero prices, 200 steps left national's bound at a third of its plan.
    /// Also each child's placement in the core's assignment (nil: unmatched there), a plan that
    /// keeps the capacities (at load 1) and none of the rules between children.
    static func transportCore(arcs: ArcTable, epsilon: Double) -> (prices: [Double], placementOf: [Int?]) {
        let index = arcs.index
        var core = [[(placement: Int, benefit: Double)]](repeating: [], count: index.childCount)
        for c in 0..<index.childCount {
            let unmatched = index.unmatchedCost(c)
            for a in arcs.childArcs[c] where a.cost < unmatched { core[c].append((Int(a.placement), unmatched - a.cost)) }
        }
        for (g, members) in index.groups.enumerated() where !arcs.groupArcs[g].isEmpty {
            for c in members {
                // Each member's arcs by placement, so that a share better than its own option
                // replaces it (one lookup per together option, not a scan of the member's list).
                var at = [Int: Int](minimumCapacity: core[c].count)
                for (k, a) in core[c].enumerated() { at[a.placement] = k }
                for a in arcs.groupArcs[g] {
                    let benefit = index.unmatchedCost(c) - a.cost / Double(members.count)
                    guard benefit > 0 else { continue }
                    if let k = at[Int(a.placement)] {
                        core[c][k].benefit = max(core[c][k].benefit, benefit)
                    } else {
                        at[Int(a.placement)] = core[c].count
                        core[c].append((Int(a.placement), benefit))
                    }
                }
            }
        }
        let capacity = (0..<index.placementCount).map { index.placementCapacity[$0] }
        let outcome = TransportAuction(capacity: capacity, arcs: core).run(finalEpsilon: epsilon)
        return (outcome.prices.map { $0.min() ?? 0 }, outcome.placement)
    }

    /// The options of the transportation core's assignment: a child's own option at its placement
    /// there, or its group's together option where every member went to the same placement.
    /// `regroup`: for a group the core split, also its together option where most of its members
    /// went (the core values each member at its share of the group's cost wherever it goes, so
    /// it splits groups freely). A greedy that takes these first places such groups together
    /// where there is room: 16,000 children at --time-limit 10 and 30, 3.672 M -> 3.611 M (966 ->
    /// 1,255 groups together); national at 60 s 23.26 M -> 23.04 M (4,377 -> 7,079), 2026-12-02.
    /// The options then overlap: not a basis (Candidates.swift does without).
    static func coreOptions(_ placementOf: [Int?], arcs: ArcTable, regroup: Bool = false) -> [MatchOption] {
        let index = arcs.index
        var options: [MatchOption] = []
        func own(_ c: Int, _ p: Int) {
            if let a = arcs.childArcs[c].first(where: { Int($0.placement) == p }) { options.append(.own(child: c, placement: p, cost: a.cost)) }
        }
        for c in 0..<index.childCount where index.groupOf[c] < 0 { if let p = placementOf[c] { own(c, p) } }
        for (g, members) in index.groups.enumerated() {
            if let p = placementOf[members[0]], members.allSatisfy({ placementOf[$0] == p }),
               let a = arcs.groupArcs[g].first(where: { Int($0.placement) == p }) {
                options.append(.together(group: g, placement: p, cost: a.cost))
            } else {
                for c in members { if let p = placementOf[c] { own(c, p) } }
                if regroup {
                    // Also the group together where most of its members went (ties: the
                    // cheaper), for a greedy to take before their own options.
                    var count: [Int: Int] = [:]
                    for c in members { if let p = placementOf[c] { count[p, default: 0] += 1 } }
                    let best = arcs.groupArcs[g].filter { count[Int($0.placement)] != nil }
                        .min { (-count[Int($0.placement)]!, $0.cost, $0.placement) < (-count[Int($1.placement)]!, $1.cost, $1.placement) }
                    if let a = best { options.append(.together(group: g, placement: Int(a.placement), cost: a.cost)) }
                }
            }
        }
        return options
    }

    /// Per child outside groups, and per group (together and each member on its own), up to
    /// `perUnit` of the kept options whose cost at `prices` is below leaving the children
    /// unmatched, least first; in unit order, so the same prices give the same options.
    static func promisingOptions(prices: [Double], arcs: ArcTable, perUnit: Int) -> [MatchOption] {
        let index = arcs.index
        func best(_ list: [Arc], unmatched: Double, load: (Int) -> Int) -> [Arc] {
            var scored: [(Double, Arc)] = []
            for a in list {
                let p = Int(a.placement)
                let v = a.cost + Double(load(p)) * prices[p] - unmatched
                if v < 0 { scored.append((v, a)) }
            }
            scored.sort { ($0.0, $0.1.placement) < ($1.0, $1.1.placement) }
            return scored.prefix(perUnit).map(\.1)
        }
        var options: [MatchOption] = []
        for c in 0..<index.childCount {
            for a in best(arcs.childArcs[c], unmatched: index.unmatchedCost(c),
                          load: { index.load(of: .own(child: c, placement: $0, cost: 0)) }) {
                options.append(.own(child: c, placement: Int(a.placement), cost: a.cost))
            }
        }
        for (g, members) in index.groups.enumerated() {
            let unmatched = members.reduce(0.0) { $0 + index.unmatchedCost($1) }
            for a in best(arcs.groupArcs[g], unmatched: unmatched,
                          load: { index.load(of: .together(group: g, placement: $0, cost: 0)) }) {
                options.append(.together(group: g, placement: Int(a.placement), cost: a.cost))
            }
        }
        return options
    }
}
