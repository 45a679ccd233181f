// One component's placements and their options, as the pattern master sees them: a column is a
// pattern (a placement and a set of its options); rows are the component's children (0..<n), then
// its placements (n..<n + homes.count), then the cross-placement rows added as cuts (`cuts`):
// column generation's pricing and the proof's reduced costs (PatternSolve.swift) read the
// patterns through it.
//
// A cross-placement row is a row of the compact model over options at several placements
// (MatchingModel's lifted split row: a sibling group's own options at one placement and its
// together options everywhere). The pattern master's LP does not imply it: each placement's
// convex hull says nothing of the group placed together elsewhere (measured on stress-120-s2:
// pattern LP 431 below the plan, the compact LP with these rows 52). A pattern's coefficient in
// it is the sum of its options' coefficients, so pricing stays a sum over options.

import Foundation

struct PatternSpace: Sendable {
    let homes: [HomeOptions]
    /// Per placement, per option: the child rows it places.
    let memberRows: [[[Int]]]
    /// The component's children.
    let n: Int
    let index: MarketIndex
    /// The cross-placement rows added so far: right-hand sides, and per placement, per option,
    /// (cut, coefficient) for the cuts it is in.
    private(set) var cutUpper: [Double] = []
    private(set) var optionCuts: [[[(cut: Int, coef: Double)]]]
    /// The subset-row cuts so far, per placement where a pattern can have coefficient 1 in them:
    /// the cut, whether the placement's own row is in it (`base` 1), and per option the number
    /// of its children in it (PatternSpace+SubsetRows.swift).
    private(set) var subsetCuts: [[(cut: Int, base: Int, weight: [Int: Int])]]

    init(homes: [HomeOptions], memberRows: [[[Int]]], n: Int, index: MarketIndex) {
        self.homes = homes; self.memberRows = memberRows; self.n = n; self.index = index
        optionCuts = homes.map { [[(cut: Int, coef: Double)]](repeating: [], count: $0.options.count) }
        subsetCuts = homes.map { _ in [] }
    }

    /// Rows of the master: children, placements, cuts.
    var rowCount: Int { n + homes.count + cutUpper.count }
    /// The row of cut k.
    func cutRow(_ k: Int) -> Int { n + homes.count + k }

    /// Adds a cut: `sum coef * (options' values) <= upper` over (placement, option, coefficient).
    mutating func addCut(upper: Double, entries: [(home: Int, option: Int, coef: Double)]) {
        let k = cutUpper.count
        cutUpper.append(upper)
        for e in entries { optionCuts[e.home][e.option].append((k, e.coef)) }
    }

    /// Adds a subset-row cut over an odd number of the master's child and placement rows
    /// (`rows`): a pattern's coefficient is half the rows it covers, rounded down, and the sum is
    /// at most half their number, rounded down (three rows: 1 for two or three, at most 1).
    mutating func addSubsetCut(rows: [Int]) {
        let k = cutUpper.count
        cutUpper.append(Double(rows.count / 2))
        let children = Set(rows.filter { $0 < n })
        for h in homes.indices {
            let base = rows.contains(n + h) ? 1 : 0
            var weight: [Int: Int] = [:]
            for j in memberRows[h].indices {
                let t = memberRows[h][j].reduce(0) { $0 + (children.contains($1) ? 1 : 0) }
                if t > 0 { weight[j] = t }
            }
            // Only where some pattern can reach 2 (options' conflicts ignored).
            let most = base + weight.values.reduce(0, +)
            if most >= 2, !weight.isEmpty { subsetCuts[h].append((k, base, weight)) }
        }
    }

    /// A pattern's coefficient in a subset-row cut: half the cut's rows it covers, rounded down.
    private static func coefficient(_ cut: (cut: Int, base: Int, weight: [Int: Int]), _ set: [Int]) -> Int {
        (cut.base + set.reduce(0) { $0 + (cut.weight[$1] ?? 0) }) / 2
    }

    /// The subset-row cuts a pattern is in, with its coefficients.
    func subsetRows(_ h: Int, _ set: [Int]) -> [(cut: Int, coef: Int)] {
        subsetCuts[h].compactMap { c in
            let coef = Self.coefficient(c, set)
            return coef > 0 ? (c.cut, coef) : nil
        }
    }

    /// The subset-row cuts' part of a pattern's value at h under duals `y` (<= 0), as a term
    /// >= 0 for HomeOptions.search; nil when no cut there has a dual in `y`.
    func penalty(_ h: Int, _ y: [Double]) -> (([Int]) -> Double)? {
        let priced = subsetCuts[h].compactMap { c -> (cut: (cut: Int, base: Int, weight: [Int: Int]), dual: Double)? in
            cutRow(c.cut) < y.count && y[cutRow(c.cut)] < 0 ? (c, y[cutRow(c.cut)]) : nil
        }
        guard !priced.isEmpty else { return nil }
        return { set in priced.reduce(0.0) { $0 - Double(Self.coefficient($1.cut, set)) * $1.dual } }
    }

    /// Placement h's best patterns (or all below `limit`, `keep` nil) under duals `y`: the
    /// options' reduced costs and the subset-row cuts' terms.
    func search(_ h: Int, _ y: [Double], below limit: Double, keep: Int?, nodeBudget: Int) -> HomeOptions.Search {
        homes[h].search(reduced(h, y), penalty: penalty(h, y), below: limit, keep: keep, nodeBudget: nodeBudget, index: index)
    }

    /// A pattern's cost (less its children's unmatched costs) and its rows (children, its
    /// placement, the cuts its options are in), increasing.
    func column(_ h: Int, _ set: [Int]) -> (cost: Double, entries: [(row: Int, coef: Double)]) {
        var rows = set.flatMap { memberRows[h][$0] }.map { (row: $0, coef: 1.0) }
        rows.append((n + h, 1.0))
        var cuts: [Int: Double] = [:]
        for j in set { for c in optionCuts[h][j] { cuts[c.cut, default: 0] += c.coef } }
        for c in subsetRows(h, set) { cuts[c.cut, default: 0] += Double(c.coef) }
        for (k, a) in cuts { rows.append((cutRow(k), a)) }
        rows.sort { $0.row < $1.row }
        return (set.reduce(0.0) { $0 + homes[h].cost[$1] }, rows)
    }

    /// Each option's cost at placement h less the duals `y` of its rows (children and cuts; its
    /// placement's not included; the subset-row cuts are not sums over options: `penalty`).
    /// Cuts beyond `y` (added after it) count at zero. `cost`: the options' costs to start from
    /// instead of theirs (the placement-count LP's).
    func reduced(_ h: Int, _ y: [Double], cost: [Double]? = nil) -> [Double] {
        var d = cost ?? homes[h].cost
        for j in d.indices {
            for r in memberRows[h][j] { d[j] -= y[r] }
            for c in optionCuts[h][j] where cutRow(c.cut) < y.count { d[j] -= c.coef * y[cutRow(c.cut)] }
        }
        return d
    }

    /// A pattern's cost less the duals in `y` of its rows (its placement's not included).
    func patternValue(_ h: Int, _ set: [Int], _ y: [Double]) -> Double {
        var v = 0.0
        for j in set {
            v += homes[h].cost[j]
            for r in memberRows[h][j] { v -= y[r] }
            for c in optionCuts[h][j] where cutRow(c.cut) < y.count { v -= c.coef * y[cutRow(c.cut)] }
        }
        for c in subsetRows(h, set) where cutRow(c.cut) < y.count { v -= Double(c.coef) * y[cutRow(c.cut)] }
        return v
    }

    /// The rows' part of the Lagrangian bound at duals `y` (<= 0): each child's row and each
    /// cut's at its right-hand side (placements' rows are kept in the subproblems).
    func rowTerm(_ y: [Double]) -> Double {
        var t = y[0..<n].reduce(0, +)
        for k in cutUpper.indices where cutRow(k) < y.count { t += cutUpper[k] * y[cutRow(k)] }
        return t
    }
}
