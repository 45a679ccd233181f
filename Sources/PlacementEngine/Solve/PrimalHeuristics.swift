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
    /// Measurement switches: PLACEMENT_DIVE_PRUNE=0 keeps every column in the dive's LP, =zeros
    /// takes out only the columns fixed at 0, =rows the columns that no longer fit any filled row
    /// too (see `dive`); PLACEMENT_DIVE_BLOCK=0 hands `grow` the LP's duals of filled rows as
    /// they are.
    static let pruneMode = ProcessInfo.processInfo.environment["PLACEMENT_DIVE_PRUNE"]
    static var prune: Bool { pruneMode != "0" }
    static let block = ProcessInfo.processInfo.environment["PLACEMENT_DIVE_BLOCK"] != "0"
    /// The dual handed to `grow` for a row the dive's fixings have filled.
    static let blockedDual = 1e12

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
    ///
    /// The LP sheds what can no longer be above 0: a column fixed at 0 leaves it, and so does a
    /// column that no longer fits a row in `pruneOn` (a row the columns fixed at 1 have filled;
    /// every coefficient is positive); `grow` sees the dual of every filled row as -1e12
    /// (`blockedDual`), so it offers no column on it (one it offers anyway joins the model only).
    /// The pattern master prunes on its children's rows. Measured (release, one thread,
    /// 2026-12-01), before -> after:
    /// - stress-600-s4's dive 20.5 s -> 1.6 s, its plan 339,957 -> 339,943 (LP bound 339,882);
    ///   800-s6 2.7 s -> 1.7 s; 800-s3 51 s -> 9.7 s, 196,981 -> 197,830;
    /// - the corpus at 200-400 children 48/48 proven, 44.7 -> 40.4 s in all; at 600-1,000 the same
    ///   25 of 32 proven in 30 s, 321 -> 311 s in all;
    /// - --time-limit 20, gap: 600-s4 3.2% -> 0.009%, 1000-s10 0.20% -> 0.048%, 600-s10
    ///   proven in 5.6 s; 600-s8 0.003% -> 0.007%.
    /// Pruning on every filled row (the placements' and the cuts' too, PLACEMENT_DIVE_PRUNE=rows)
    /// is faster still and worse: 600-s4's plan 345,011, 400-s8 not proven in 30 s where it had
    /// been in 1.2 s (69,620 against 69,361). The placements' rows are what matters: pruned on
    /// them alone, 600-s4's plan is 344,908; on the children's alone, 339,943. The dual simplex
    /// then goes another way through the LP's vertices, and the dive's picks with it.
    public static func dive(_ model: MIPModel, lp: any LPSession, separator: CutSeparator?,
                            cutRoundsPerStep: Int = 3, deadline: UInt64? = nil, budget: UInt64? = nil, pruneOn: Range<Int>? = nil,
                            logger: Logger? = nil,
                            grow: (([Double], Bool) -> [(cost: Double, entries: [(row: Int, coef: Double)])])? = nil) -> [Bool]? {
        var model = model
        guard lp.columnCount == model.columns.count else { return nil }
        let eps = 1e-6
        let pruneOn: Range<Int>? = switch Self.pruneMode {
        case "0", "zeros": nil
        case "rows": model.rows.indices
        default: pruneOn
        }
        // The LP's columns are some of the model's (`lpColumn`; `lpIndex` the other way, -1 when
        // out): a column that can no longer be above 0 (fixed at 0, or too big for what the
        // columns fixed at 1 leave of one of its rows: every coefficient is positive) leaves the
        // LP, and a column `grow` returns that no longer fits joins the model only.
        var lpColumn = Array(model.columns.indices)
        var lpIndex = Array(model.columns.indices)
        var rowsOf = model.rowsOfColumns()
        var slack = model.rows.map(\.upper)
        var fixedAtOne = [Bool](repeating: false, count: model.columns.count)
        var dead: [Int] = []   // model columns still in the LP that can no longer be above 0
        func fits(_ j: Int) -> Bool { rowsOf[j].allSatisfy { $0.coef <= slack[$0.row] + 1e-9 } }
        /// The LP's values, per model column.
        func values() -> [Double]? {
            let v = lp.values
            guard v.count == lpColumn.count else { return nil }
            var x = [Double](repeating: 0, count: model.columns.count)
            for (k, j) in lpColumn.enumerated() { x[j] = v[k] }
            return x
        }
        /// The dead columns out of the LP (those basic at 0 stay, and are tried again next time).
        func prune() {
            guard Self.prune, !dead.isEmpty else { return }
            let gone = lp.remove(columns: dead.map { lpIndex[$0] })
            guard !gone.isEmpty else { return }
            let goneSet = Set(gone)
            var kept: [Int] = []
            kept.reserveCapacity(lpColumn.count - gone.count)
            for (k, j) in lpColumn.enumerated() { if goneSet.contains(k) { lpIndex[j] = -1 } else { kept.append(j) } }
            lpColumn = kept
            for (k, j) in lpColumn.enumerated() { lpIndex[j] = k }
            dead = dead.filter { lpIndex[$0] >= 0 }
        }
        /// Columns from `grow` while it has any; false when the LP fails.
        func priced(deep: Bool = false) -> Bool {
            guard let grow else { return true }
            while true {
                // A row the columns fixed at 1 fill is priced as if it were infinitely dear: no
                // column on it can be above 0 any more, yet its dual may be far below 0 (the
                // fixed column holds the row at its bound), which would fill the pricing's picks
                // with columns that cannot fit.
                var duals = lp.rowDuals
                if Self.block { for r in slack.indices where r < duals.count && slack[r] <= 1e-9 { duals[r] = -Self.blockedDual } }
                let columns = grow(duals, deep)
                if columns.isEmpty { return true }
                var entering: [(cost: Double, entries: [(row: Int, coef: Double)])] = []
                for c in columns {
                    let j = model.columns.count
                    model.columns.append(MIPColumn(name: "x_\(j + 1)", cost: c.cost))
                    for e in c.entries { model.rows[e.row].entries.append((j, e.coef)) }
                    rowsOf.append(c.entries.map { (row: $0.row, coef: $0.coef) })
                    fixedAtOne.append(false)
                    if !Self.prune || fits(j) {
                        lpIndex.append(lpColumn.count)
                        lpColumn.append(j)
                        entering.append(c)
                    } else {
                        lpIndex.append(-1)
                    }
                }
                if entering.isEmpty { continue }
                guard lp.add(columns: entering) else { return false }
                guard lp.solvePrimal() == .optimal else { return false }
            }
        }
        /// Whether the LP's objective is above `before` by more than `tolerance` (relative).
        func rose(from before: Double, by tolerance: Double) -> Bool { lp.objective > before + tolerance * max(1, abs(before)) }
        guard priced(), var x = values() else { return nil }
        // Every step fixes a column that was fractional, so never one twice: at most as many
        // steps as columns (and `grow` adds each column once).
        while true {
            let n = model.columns.count
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
            let column = lpIndex[pick]
            let before = lp.objective
            var atOne = true
            lp.fix(column: column, at: 1)
            var status = lp.solve()
            if status == .infeasible {
                lp.fix(column: column, at: 0)
                atOne = false
                status = lp.solve()
            } else if status == .optimal, Self.lookahead, rose(from: before, by: 1e-9) {
                let up = lp.objective, upBasis = Self.restoreBasis ? lp.basis : nil
                lp.fix(column: column, at: 0)
                atOne = false
                status = lp.solve()
                if status != .optimal || lp.objective > up {
                    lp.fix(column: column, at: 1)
                    atOne = true
                    if let upBasis { lp.restore(upBasis) }
                    status = lp.solve()
                }
            }
            guard status == .optimal else { return nil }
            if atOne {
                fixedAtOne[pick] = true
                for (r, a) in rowsOf[pick] {
                    slack[r] -= a
                    if pruneOn?.contains(r) == true {
                        for e in model.rows[r].entries where lpIndex[e.column] >= 0 && !fixedAtOne[e.column] && e.coef > slack[r] + 1e-9 { dead.append(e.column) }
                    }
                }
            } else {
                dead.append(pick)
            }
            prune()
            guard priced(deep: rose(from: before, by: 1e-6)) else { return nil }
            if let separator {
                for _ in 0..<cutRoundsPerStep {
                    // (The separator's rows are over the model's columns; those out of the LP
                    // are 0 for the rest of the dive.)
                    guard let values = values() else { return nil }
                    let rows = separator(values)
                    if rows.isEmpty { break }
                    lp.add(rows: rows.map { row in
                        var row = row
                        row.entries = row.entries.compactMap { lpIndex[$0.column] >= 0 ? (lpIndex[$0.column], $0.coef) : nil }
                        return row
                    })
                    guard lp.solve() == .optimal else { return nil }
                }
            }
            guard let next = values() else { return nil }
            x = next
            logger?.trace("dive fixed \(pick) at \(x[pick]) objective \(lp.objective) fractional \(x.filter { $0 > eps && $0 < 1 - eps }.count) columns \(model.columns.count) in the LP \(lpColumn.count)")
        }
    }

    /// The last step of a solve that stopped before its proof: every child the plan leaves
    /// unplaced takes the cheapest free place it may (ArcTable.freePlacement), in child order,
    /// until none is left; each move lowers the objective by the child's unmatched cost less the
    /// arc's. Returns the objective's change (<= 0). A proven-optimal plan has no such move.
    ///
    /// Each unplaced child's options below its unmatched cost are enumerated first, side by side
    /// (`threads`), keeping those at placements with a free place now (a full one stays full):
    /// enumerating them one child after another took about 3 s of national's run, after its time
    /// limit. The moves are then made in child order, as before, with the same answer.
    static func fillFreePlaces(_ placementOf: inout [Int?], arcs: ArcTable, threads: Int = 1) -> Double {
        let index = arcs.index
        var occupants = [Int: [Int]]()
        for (c, p) in placementOf.enumerated() { if let p { occupants[p, default: []].append(c) } }
        let unplaced = placementOf.indices.filter { placementOf[$0] == nil && arcs.eligibleCount[$0] > 0 }
        let room = (0..<index.placementCount).map { (occupants[$0]?.count ?? 0) < index.placementCapacity[$0] }
        let candidates = Parallel.map(unplaced.count, threads: threads) { k in
            let c = unplaced[k]
            return arcs.arcs(child: c, below: index.unmatchedCost(c) - 1e-9).filter { room[Int($0.placement)] }
        }
        var change = 0.0
        for (k, c) in unplaced.enumerated() {
            guard let free = arcs.freePlacement(child: c, among: candidates[k], placementOf: placementOf, occupants: occupants) else { continue }
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
