// One component's placements and their options, as the pattern master sees them: a column is a
// pattern (a placement and a set of its options); rows are the component's children (0..<n), then
// its placements (n..<n + homes.count): column generation's pricing and the proof's reduced costs
// (PatternSolve.swift) read the patterns through it.

import Foundation

struct PatternSpace: Sendable {
    let homes: [HomeOptions]
    /// Per placement, per option: the child rows it places.
    let memberRows: [[[Int]]]
    /// The component's children.
    let n: Int
    let index: MarketIndex

    /// A pattern's cost (less its children's unmatched costs) and its rows (children, then its placement).
    func column(_ h: Int, _ set: [Int]) -> (cost: Double, entries: [(row: Int, coef: Double)]) {
        var rows = set.flatMap { memberRows[h][$0] }
        rows.append(n + h)
        rows.sort()
        return (set.reduce(0.0) { $0 + homes[h].cost[$1] }, rows.map { ($0, 1.0) })
    }

    /// Each option's cost at placement h less its children's duals in `y`.
    func reduced(_ h: Int, _ y: [Double]) -> [Double] {
        var d = homes[h].cost
        for j in d.indices { for r in memberRows[h][j] { d[j] -= y[r] } }
        return d
    }

    /// A pattern's cost less its children's duals in `y` (its placement's dual not included).
    func patternValue(_ h: Int, _ set: [Int], _ y: [Double]) -> Double {
        var v = 0.0
        for k in set { v += homes[h].cost[k]; for r in memberRows[h][k] { v -= y[r] } }
        return v
    }
}
