// Primal heuristics: plans found from an LP solution rather than by search (after HiGHS's
// HighsPrimalHeuristics). They propose; the model checks every plan they return.
//
// Diving: the LP relaxation (with the placements' cuts) usually leaves only a few dozen options
// fractional on a competitive market. Fixing the most promising of them at 1 and solving again
// from the last basis (a few dual simplex pivots) moves the fractional part somewhere else, until
// nothing is left fractional: a plan that follows the LP closely, found in a few dozen LP solves
// instead of a branch-and-bound search. Measured on ../shared/stress/s4-600 (2026-11-30): GLPK's
// search for the first plan took 12 s over 51 nodes; see docs/performance.md for the dive.

import Foundation

public enum PrimalHeuristics {
    /// Fractional diving on an open LP (its current optimum is the start): the fractional column
    /// with the largest value (ties: the cheaper, then the lower index) is fixed at 1, or at 0 if
    /// that leaves no feasible LP, and the LP solved again, with up to `cutRoundsPerStep` rounds
    /// of `separator`'s cuts; until the LP is integral. Returns a 0-1 plan the model accepts, or
    /// nil (past `deadline`, or an LP failed). Fixings stay in `lp`.
    public static func dive(_ model: MIPModel, lp: any LPSession, separator: CutSeparator?,
                            cutRoundsPerStep: Int = 3, deadline: UInt64? = nil) -> [Bool]? {
        let n = model.columns.count
        guard lp.columnCount == n else { return nil }
        let eps = 1e-6
        var x = lp.values
        // Every step fixes a column that was fractional, so never one twice: at most n steps.
        for _ in 0...n {
            guard x.count == n else { return nil }
            if let d = deadline, DispatchTime.now().uptimeNanoseconds >= d { return nil }
            var pick = -1
            for j in 0..<n where x[j] > eps && x[j] < 1 - eps {
                if pick < 0 || (x[j], -model.columns[j].cost) > (x[pick], -model.columns[pick].cost) { pick = j }
            }
            if pick < 0 {
                let plan = x.map { $0 > 0.5 }
                return model.violatedRow(plan) == nil ? plan : nil
            }
            lp.fix(column: pick, at: 1)
            var status = lp.solve()
            if status == .infeasible {
                lp.fix(column: pick, at: 0)
                status = lp.solve()
            }
            guard status == .optimal else { return nil }
            if let separator {
                for _ in 0..<cutRoundsPerStep {
                    let rows = separator(lp.values)
                    if rows.isEmpty { break }
                    lp.add(rows: rows)
                    guard lp.solve() == .optimal else { return nil }
                }
            }
            x = lp.values
        }
        return nil
    }
}
