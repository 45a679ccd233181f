// Primal heuristics: plans found without a search (after HiGHS's HighsPrimalHeuristics): a greedy
// plan, one-step ejection chains on a plan, and diving on an LP. They propose; every plan they
// return keeps every row of the model.
//
// Diving: the LP relaxation (with the placements' cuts) usually leaves only a few dozen options
// fractional on a competitive market. Fixing the most promising of them at 1 and solving again
// from the last basis (a few dual simplex pivots) moves the fractional part somewhere else, until
// nothing is left fractional: a plan that follows the LP closely, found in a few dozen LP solves
// instead of a branch-and-bound search. Measured on ../shared/stress/s4-600 (2026-11-30): GLPK's
// search for the first plan took 12 s over 51 nodes; see docs/performance.md for the dive.

import Foundation
import Logging

public enum PrimalHeuristics {
    /// Measurement switches: PLACEMENT_DIVE_LOOKAHEAD=0 fixes at 1 only; PLACEMENT_DIVE_RESTORE=0
    /// solves the fixing at 1 again instead of restoring its basis. (Each step is logged at
    /// `trace` on the logger given.)
    static let lookahead = ProcessInfo.processInfo.environment["PLACEMENT_DIVE_LOOKAHEAD"] != "0"
    static let restoreBasis = ProcessInfo.processInfo.environment["PLACEMENT_DIVE_RESTORE"] != "0"

    /// Fractional diving on an open LP (its current optimum is the start): the fractional column
    /// with the largest value (ties: the cheaper, then the lower index) is fixed at 1, or at 0 if
    /// that leaves no feasible LP, and the LP solved again, with up to `cutRoundsPerStep` rounds
    /// of `separator`'s cuts; until the LP is integral. Returns a 0-1 plan the model accepts, or
    /// nil (an LP failed). Fixings stay in `lp`. Past `deadline` (the caller's) or `budget` (the
    /// dive's own share of it), the dive stops and rounds what it has: the columns it fixed at 1,
    /// then the others by LP value, each where it still fits.
    ///
    /// One step of look-ahead: when fixing at 1 raised the LP's objective, fixing at 0 is solved
    /// too and the lower of the two kept (each column is still fixed once, so the dive ends); when
    /// that is the fixing at 1, its basis is restored, so its LP comes back in no iterations and
    /// at the same vertex. Measured on stress-250-s2 (2026-11-30): the dive fixing at 1 only ended
    /// 10% above the optimum (the last few fixings each added thousands); with the look-ahead,
    /// 0.6%. Restoring the basis rather than solving again: corpus to 600 children 201 -> 185 s
    /// (stress-400-s8 6.7 -> 1.9 s, 400-s7 6.8 -> 2.2 s).
    ///
    /// With `grow` (column generation): after each solve the LP's row duals are handed to it,
    /// with `deep` true when the step's fixing raised the LP's objective (the LP lacks the
    /// columns that would repair it: a full pricing is worth its cost then, a pool scan
    /// otherwise), and the columns it returns (those that price below zero) join the LP and the
    /// model, non-basic, until it returns none. The plan then covers the grown model's columns,
    /// in the order they joined.
    public static func dive(_ model: MIPModel, lp: any LPSession, separator: CutSeparator?,
                            cutRoundsPerStep: Int = 3, deadline: UInt64? = nil, budget: UInt64? = nil, logger: Logger? = nil,
                            grow: (([Double], Bool) -> [(cost: Double, entries: [(row: Int, coef: Double)])])? = nil) -> [Bool]? {
        var model = model
        guard lp.columnCount == model.columns.count else { return nil }
        let eps = 1e-6
        /// Columns from `grow` while it has any; false when the LP fails.
        func priced(deep: Bool = false) -> Bool {
            guard let grow else { return true }
            while true {
                let columns = grow(lp.rowDuals, deep)
                if columns.isEmpty { return true }
                guard lp.add(columns: columns) else { return false }
                for c in columns {
                    let j = model.columns.count
                    model.columns.append(MIPColumn(name: "x_\(j + 1)", cost: c.cost))
                    for e in c.entries { model.rows[e.row].entries.append((j, e.coef)) }
                }
                guard lp.solvePrimal() == .optimal else { return false }
            }
        }
        /// Whether the LP's objective is above `before` by more than `tolerance` (relative).
        func rose(from before: Double, by tolerance: Double) -> Bool { lp.objective > before + tolerance * max(1, abs(before)) }
        guard priced() else { return nil }
        var x = lp.values
        // Every step fixes a column that was fractional, so never one twice: at most as many
        // steps as columns (and `grow` adds each column once).
        while true {
            let n = model.columns.count
            guard x.count == n else { return nil }
            let now = DispatchTime.now().uptimeNanoseconds
            if let stop = [deadline, budget].compactMap({ $0 }).min(), now >= stop {
                // Out of time: the fixings so far and the LP's values, rounded greedily (the
                // columns at 1 first, then by value), rather than nothing.
                let plan = rounded(model, values: x)
                logger?.debug("dive stopped at its \(budget == stop ? "budget" : "deadline") with \(x.filter { $0 > eps && $0 < 1 - eps }.count) columns fractional: \(model.objective(plan))")
                return model.violatedRow(plan) == nil ? plan : nil
            }
            var pick = -1
            for j in 0..<n where x[j] > eps && x[j] < 1 - eps {
                if pick < 0 || (x[j], -model.columns[j].cost) > (x[pick], -model.columns[pick].cost) { pick = j }
            }
            if pick < 0 {
                let plan = x.map { $0 > 0.5 }
                return model.violatedRow(plan) == nil ? plan : nil
            }
            let before = lp.objective
            lp.fix(column: pick, at: 1)
            var status = lp.solve()
            if status == .infeasible {
                lp.fix(column: pick, at: 0)
                status = lp.solve()
            } else if status == .optimal, Self.lookahead, rose(from: before, by: 1e-9) {
                let up = lp.objective, upBasis = Self.restoreBasis ? lp.basis : nil
                lp.fix(column: pick, at: 0)
                status = lp.solve()
                if status != .optimal || lp.objective > up {
                    lp.fix(column: pick, at: 1)
                    if let upBasis { lp.restore(upBasis) }
                    status = lp.solve()
                }
            }
            guard status == .optimal, priced(deep: rose(from: before, by: 1e-6)) else { return nil }
            if let separator {
                for _ in 0..<cutRoundsPerStep {
                    let rows = separator(lp.values)
                    if rows.isEmpty { break }
                    lp.add(rows: rows)
                    guard lp.solve() == .optimal else { return nil }
                }
            }
            x = lp.values
            logger?.trace("dive fixed \(pick) at \(x[pick]) objective \(lp.objective) fractional \(x.filter { $0 > eps && $0 < 1 - eps }.count) columns \(model.columns.count)")
        }
    }

    /// The last step of a solve that stopped before its proof: every child the plan leaves
    /// unplaced takes the cheapest free place it may (ArcTable.freePlacement), in child order,
    /// until none is left; each move lowers the objective by the child's unmatched cost less the
    /// arc's. Returns the objective's change (<= 0). A proven-optimal plan has no such move.
    static func fillFreePlaces(_ placementOf: inout [Int?], arcs: ArcTable) -> Double {
        let index = arcs.index
        var occupants = [Int: [Int]]()
        for (c, p) in placementOf.enumerated() { if let p { occupants[p, default: []].append(c) } }
        var change = 0.0
        for c in placementOf.indices where placementOf[c] == nil && arcs.eligibleCount[c] > 0 {
            guard let free = arcs.freePlacement(child: c, placementOf: placementOf, occupants: occupants) else { continue }
            placementOf[c] = free.placement
            occupants[free.placement, default: []].append(c)
            change += free.cost - index.unmatchedCost(c)
        }
        return change
    }

    /// A feasible 0-1 vector built greedily: columns in the given order (default: cheapest first),
    /// each switched on when it lowers the objective and every row still holds. Always feasible.
    public static func greedy(_ model: MIPModel, order: [Int]? = nil) -> [Bool] {
        let columns = model.columns, rows = model.rows
        let rowsOf = model.rowsOfColumns()
        var slack = rows.map(\.upper)
        var x = [Bool](repeating: false, count: columns.count)
        let sequence = order ?? columns.indices.sorted { (columns[$0].cost, $0) < (columns[$1].cost, $1) }
        for j in sequence where columns[j].cost < 0 {
            if rowsOf[j].allSatisfy({ slack[$0.row] + 1e-9 >= $0.coef }) {
                x[j] = true
                for (r, a) in rowsOf[j] { slack[r] -= a }
            }
        }
        return x
    }

    /// An LP point rounded: `greedy` over its columns by value, highest first (ties: the cheaper,
    /// then the later column), so the columns at 1 are taken first. `values` has one value per
    /// column of `model`.
    public static func rounded(_ model: MIPModel, values: [Double]) -> [Bool] {
        let columns = model.columns
        let order = values.indices.sorted { (values[$0], -columns[$0].cost, -$0) > (values[$1], -columns[$1].cost, -$1) }
        return greedy(model, order: order)
    }

    /// A feasible 0-1 vector at least as good as `x` (which must be feasible): each column that is
    /// off and would lower the objective but is blocked by exactly one row is tried in, with one
    /// column of that row taken out and, if it helps, another column of the removed one's `owner`
    /// row put in (a one-step ejection chain: a child moved to make room for another). `owner[j]`
    /// is the row whose columns are column j's alternatives (its child's row), or -1. Columns are
    /// tried cheapest first, in up to `passes` passes; every step keeps every row.
    public static func ejectionChains(_ model: MIPModel, from start: [Bool], owner: [Int], passes: Int = 2) -> [Bool] {
        let columns = model.columns, rows = model.rows
        precondition(start.count == columns.count && owner.count == columns.count)
        guard model.violatedRow(start) == nil else { return start }
        let rowsOf = model.rowsOfColumns()
        var slack = rows.map(\.upper)
        var x = start
        for (j, on) in x.enumerated() where on { for (i, a) in rowsOf[j] { slack[i] -= a } }
        let eps = 1e-9
        func flip(_ j: Int, _ on: Bool) {
            x[j] = on
            for (i, a) in rowsOf[j] { slack[i] += on ? -a : a }
        }
        /// Whether j fits now, every row.
        func fits(_ j: Int) -> Bool { rowsOf[j].allSatisfy { slack[$0.row] + eps >= $0.coef } }
        let order = columns.indices.filter { columns[$0].cost < 0 }.sorted { (columns[$0].cost, $0) < (columns[$1].cost, $1) }
        for _ in 0..<max(1, passes) {
            var changed = false
            for j in order where !x[j] {
                let blocking = rowsOf[j].filter { slack[$0.row] + eps < $0.coef }
                if blocking.isEmpty { flip(j, true); changed = true; continue }
                guard blocking.count == 1 else { continue }
                let r = blocking[0].row
                var best: (gain: Double, k: Int, l: Int)? = nil
                for e in rows[r].entries where x[e.column] && e.column != j {
                    let k = e.column
                    flip(k, false)
                    if fits(j) {
                        flip(j, true)
                        var gain = columns[j].cost - columns[k].cost
                        var bestL = -1
                        if owner[k] >= 0 {
                            for f in rows[owner[k]].entries where !x[f.column] && f.column != k && columns[f.column].cost < 0 {
                                let l = f.column
                                if fits(l),
                                   bestL < 0 || (columns[l].cost, l) < (columns[bestL].cost, bestL) { bestL = l }
                            }
                        }
                        if bestL >= 0 { gain += columns[bestL].cost }
                        if gain < -eps, best.map({ (gain, k) < ($0.gain, $0.k) }) ?? true { best = (gain, k, bestL) }
                        flip(j, false)
                    }
                    flip(k, true)
                }
                if let b = best {
                    flip(b.k, false); flip(j, true)
                    if b.l >= 0 { flip(b.l, true) }
                    changed = true
                }
            }
            if !changed { break }
        }
        return x
    }
}
