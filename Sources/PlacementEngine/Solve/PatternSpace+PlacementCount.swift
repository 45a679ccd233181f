// The placement-count cut: no plan places more children than the most any plan can place.
//
// On scarce markets the unmatched costs dominate, and the master LP places half a child more
// than any plan can: two placements each half-take a child whom no plan can fit beside the
// others (measured on stress-250-s1: the LP placed 209.5 children where every plan places at
// most 209; the LP was 432.8 below the optimum, most of one unmatched cost's half).
//
// The most children the master LP can place, V, bounds every plan's count, and a count is an
// integer: every plan satisfies
//
//     sum over patterns S of |children of S| * z_S  <=  floor(V)
//
// (a Chvátal–Gomory cut: the count's row is a combination of the master's rows with the
// max-count LP's duals). When the master LP places a fractional number above floor(V), the cut
// joins the master like the sibling rows: its coefficient for a pattern is the sum of its
// options' (their children), so pricing stays a sum over options. Any upper bound on V gives a
// valid cut, so the bound here is the max-count Lagrangian bound of column generation over
// every pattern (as in PatternSolve.swift, with the count as the cost), stopped as soon as its
// floor cuts the master's point or its LP shows no cut can.

import Foundation

extension PatternSpace {
    /// An upper bound on how many of the children `counted` (rows) any plan of this component
    /// places at the placements `at` (positions in `homes`), given the cuts so far, if it is below
    /// `placed` when rounded down; nil when it is not, or when a placement's search ran out of
    /// budget, the LP failed, or the deadline passed. `start` holds patterns at those placements to
    /// begin column generation from (the master LP's).
    func placementCountBound(of counted: Set<Int>, at placements: [Int], below placed: Double, start: [(home: Int, set: [Int])],
                             backend: any MIPBackend, nodeBudget: Int, deadline: UInt64?, rounds maxRounds: Int = 100) -> Int? {
        let target = placed.rounded(.up)   // a bound whose floor is below this cuts the point
        guard placed - placed.rounded(.down) > 1e-6 else { return nil }
        // Per placement, per option: minus the counted children it places (the LP's cost).
        var count: [Int: [Double]] = [:]
        for h in placements { count[h] = memberRows[h].map { rows in -Double(rows.reduce(0) { $0 + (counted.contains($1) ? 1 : 0) }) } }
        func countColumn(_ h: Int, _ set: [Int]) -> (cost: Double, entries: [(row: Int, coef: Double)]) {
            (set.reduce(0.0) { $0 + count[h]![$1] }, column(h, set).entries)
        }
        var known = Set<[Int]>()
        var model = MIPModel(name: "placement_count")
        var rows = (0..<n).map { MIPRow(name: "child_\($0 + 1)", upper: 1, entries: []) }
            + homes.indices.map { MIPRow(name: "home_\($0 + 1)", upper: 1, entries: []) }
            + cutUpper.indices.map { MIPRow(name: "cut_\($0 + 1)", upper: cutUpper[$0], entries: []) }
        for p in start where count[p.home] != nil && known.insert([p.home] + p.set).inserted {
            let c = countColumn(p.home, p.set)
            for e in c.entries { rows[e.row].entries.append((model.columns.count, e.coef)) }
            model.columns.append(MIPColumn(name: "z_\(model.columns.count + 1)", cost: c.cost))
        }
        model.rows = rows
        guard !model.columns.isEmpty else { return nil }
        func pastDeadline() -> Bool { deadline.map { DispatchTime.now().uptimeNanoseconds >= $0 } ?? false }
        let timeLimit = deadline.map { max(0.05, Double(Int64($0) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1e9) }
        let found: Int?? = backend.withLPSession(model, warmStart: nil, timeLimit: timeLimit) { lp -> Int? in
            for _ in 0..<maxRounds {
                // The restricted LP places at most V; at least ceil(placed) there: no cut.
                if -lp.objective >= target - 1e-6 { return nil }
                let y = lp.rowDuals.map { min(0, $0) }
                guard y.count == rowCount else { return nil }
                // Lagrangian: the counted placements' rows kept, every other row relaxed; the
                // other placements take no part (their patterns are not in the problem).
                var term = rowTerm(y)
                var added: [(cost: Double, entries: [(row: Int, coef: Double)])] = []
                for h in placements {
                    let s = homes[h].search(reduced(h, y, cost: count[h]!), penalty: penalty(h, y), below: 0, keep: 3,
                                            nodeBudget: nodeBudget, index: index)
                    guard s.complete else { return nil }
                    term += min(0, s.patterns.first?.value ?? 0)
                    for p in s.patterns where p.value - y[n + h] < -1e-9 && known.insert([h] + p.set).inserted {
                        added.append(countColumn(h, p.set))
                    }
                }
                // -term bounds every plan's count.
                let bound = Int((-term + 1e-6).rounded(.down))
                if Double(bound) < target - 1e-6 { return bound }
                if added.isEmpty || pastDeadline() { return nil }
                guard lp.add(columns: added), lp.solvePrimal() == .optimal else { return nil }
            }
            return nil
        }
        return found ?? nil
    }
}
