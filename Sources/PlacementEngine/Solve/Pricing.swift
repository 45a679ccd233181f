// Pricing: the duals of the components' LPs, and the reduced cost of every option of the market
// against them (column generation's search for improving options, and the optimality proof's scan).

import Foundation

/// Duals gathered from the components' LPs, and pricing of every option against them.
struct Pricing: Sendable {
    /// Dual of each child's row (<= 0), 0 when the child has no row.
    var childDual: [Double]
    /// Dual of each placement's capacity row (<= 0), 0 when it has none.
    var capacityDual: [Double]
    /// Per child, min(0, least reduced cost of the options already in the model that name it).
    var presentMin: [Double]
    /// Per group: sum over its split and siblings rows of (coefficient of a together option x dual).
    /// Those rows name every together option of the group, present in the model or not, so this
    /// term belongs to the exact reduced cost of any together option.
    var togetherRowDual: [Double]
    /// Sum over rows of right-hand side x dual.
    var rowTerm: Double
    /// Reduced cost of every option in the model, by key.
    var presentReduced: [UInt64: Double] = [:]

    init(index: MarketIndex) {
        childDual = [Double](repeating: 0, count: index.childCount)
        capacityDual = [Double](repeating: 0, count: index.placementCount)
        presentMin = [Double](repeating: 0, count: index.childCount)
        togetherRowDual = [Double](repeating: 0, count: index.groups.count)
        rowTerm = 0
    }

    mutating func absorb(model mm: MatchingModel, lp: LPSolution, index: MarketIndex) {
        let rows = mm.model.rows
        var y = lp.rowDuals.map { min(0, $0) }   // clip rounding noise: a valid dual has y <= 0
        if y.count != rows.count { y = [Double](repeating: 0, count: rows.count) }
        for (i, kind) in mm.rowKinds.enumerated() {
            rowTerm += rows[i].upper * y[i]
            switch kind {
            case .child(let c): childDual[c] = y[i]
            case .capacity(let p): capacityDual[p] = y[i]
            case .split(let g, _): togetherRowDual[g] += Double(index.groups[g].count - 1) * y[i]
            case .siblings(let g, _): togetherRowDual[g] += y[i]
            case .conflict: break
            }
        }
        // Reduced costs of the present columns, recomputed with the clipped duals.
        var d = mm.model.columns.map(\.cost)
        for (i, row) in rows.enumerated() where y[i] != 0 {
            for e in row.entries { d[e.column] -= e.coef * y[i] }
        }
        for (j, o) in mm.options.enumerated() {
            presentReduced[o.key] = d[j]
            if d[j] < 0 { for c in o.members(index) { presentMin[c] = min(presentMin[c], d[j]) } }
        }
    }

    struct Scan: Sendable {
        var additions: [MatchOption]
        /// Sum over children of min(0, least reduced cost of any option naming it).
        var negativeTerm: Double
    }

    /// Every option not in `pool` whose reduced cost is below `threshold` (at most `perChildLimit`
    /// per child or group, most negative first), and the bound's negative term.
    func scan(arcs: ArcTable, pool: [UInt64: MatchOption], threshold: Double, perChildLimit: Int) -> Scan {
        let index = arcs.index
        let eps = 1e-7
        var minReduced = presentMin
        var additions: [MatchOption] = []
        for c in 0..<index.childCount {
            let base = -index.unmatchedCost(c) - childDual[c]
            var found: [(Double, MatchOption)] = []
            var list = arcs.childArcs[c]
            var k = 0
            while k < list.count {
                let a = list[k]
                if a.cost + base >= max(threshold, 0) { break }
                // Arcs come cheapest first and d >= a.cost + base: past the k-th best found,
                // no later option can join the additions or lower the least reduced cost.
                if found.count == perChildLimit, a.cost + base > found[found.count - 1].0 { break }
                let o = MatchOption.own(child: c, placement: Int(a.placement), cost: a.cost)
                let d = a.cost + base - Double(index.load(of: o)) * capacityDual[Int(a.placement)]
                if pool[o.key] == nil {
                    minReduced[c] = min(minReduced[c], d)
                    if d < threshold - eps { Self.keepBest(&found, (d, o), limit: perChildLimit) }
                }
                k += 1
                if k == list.count, !arcs.childComplete[c], list.count == arcs.childArcs[c].count {
                    list = arcs.allArcs(child: c)   // past what is kept: enumerate them all
                }
            }
            found.sort { ($0.0, $0.1.key) < ($1.0, $1.1.key) }
            additions += found.map(\.1)
        }
        for g in index.groups.indices {
            let members = index.groups[g]
            let base = members.reduce(0.0) { $0 - index.unmatchedCost($1) - childDual[$1] } - togetherRowDual[g]
            var found: [(Double, MatchOption)] = []
            var list = arcs.groupArcs[g]
            var k = 0
            while k < list.count {
                let a = list[k]
                if a.cost + base >= max(threshold, 0) { break }
                // Arcs come cheapest first and d >= a.cost + base: past the k-th best found,
                // no later option can join the additions or lower the least reduced cost.
                if found.count == perChildLimit, a.cost + base > found[found.count - 1].0 { break }
                let o = MatchOption.together(group: g, placement: Int(a.placement), cost: a.cost)
                let d = a.cost + base - Double(index.load(of: o)) * capacityDual[Int(a.placement)]
                if pool[o.key] == nil {
                    for c in members { minReduced[c] = min(minReduced[c], d) }
                    if d < threshold - eps { Self.keepBest(&found, (d, o), limit: perChildLimit) }
                }
                k += 1
                if k == list.count, !arcs.groupComplete[g], list.count == arcs.groupArcs[g].count {
                    list = arcs.allArcs(group: g)
                }
            }
            found.sort { ($0.0, $0.1.key) < ($1.0, $1.1.key) }
            additions += found.map(\.1)
        }
        return Scan(additions: additions, negativeTerm: minReduced.reduce(0) { $0 + min(0, $1) })
    }

    /// Adds `item` to `found`, keeping only the `limit` best by (reduced cost, key), sorted once full.
    @inline(__always)
    static func keepBest(_ found: inout [(Double, MatchOption)], _ item: (Double, MatchOption), limit: Int) {
        found.append(item)
        guard found.count >= limit else { return }
        found.sort { ($0.0, $0.1.key) < ($1.0, $1.1.key) }
        if found.count > limit { found.removeLast() }
    }
}
