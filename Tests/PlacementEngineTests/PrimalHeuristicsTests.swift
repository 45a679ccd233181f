// The dive (Solve/PrimalHeuristics.swift) and the open LP it runs on (MIPBackend.withLPSession):
// every plan it returns must be one the model accepts, never cheaper than the LP bound nor than
// the integer optimum, and the session's fixings must behave as bounds.

import Foundation
import XCTest
@testable import PlacementEngine

final class PrimalHeuristicsTests: XCTestCase {
    /// On seeded stress markets, with and without the placements' cuts: the dive returns a plan,
    /// the model accepts it, and its cost is never below the LP bound or the integer optimum.
    func testDiveGivesFeasiblePlansNeverBelowTheOptimum() throws {
        var dived = 0, atOptimum = 0
        for seed in UInt64(1)...16 {
            let (index, mm, backend, lp, optimum) = try Self.solved(children: 20 + Int(seed % 4) * 15, seed: seed)
            XCTAssertEqual(optimum.status, .optimal)
            for separator in [nil, mm.cutSeparator(index: index, backend: backend)] {
                let plan = backend.withLPSession(mm.model, warmStart: lp.basis, timeLimit: nil) { session in
                    PrimalHeuristics.dive(mm.model, lp: session, separator: separator)
                }
                let x = try XCTUnwrap(plan ?? nil, "seed \(seed): the dive found no plan")
                XCTAssertNil(mm.model.violatedRow(x), "seed \(seed): the dive's plan breaks a row")
                let cost = mm.model.objective(x)
                XCTAssertGreaterThanOrEqual(cost, lp.objective - 1e-6 * max(1, abs(lp.objective)), "seed \(seed)")
                XCTAssertGreaterThanOrEqual(cost, optimum.objective - 1e-6 * max(1, abs(optimum.objective)), "seed \(seed)")
                dived += 1
                if abs(cost - optimum.objective) <= 1e-6 * max(1, abs(optimum.objective)) { atOptimum += 1 }
            }
        }
        XCTAssertEqual(dived, 32)
        // Not a guarantee, but a dive that never lands on the optimum of small markets is broken.
        XCTAssertGreaterThan(atOptimum, 8, "the dive reached the optimum in \(atOptimum) of 32")
    }

    /// Out of time (its budget or the caller's deadline already past), the dive still answers: the
    /// LP's values rounded greedily (the columns at 1 first): a plan the model accepts, never
    /// below the integer optimum, holding every column the LP has at 1.
    func testDiveOutOfTimeRoundsWhatItHas() throws {
        var answered = 0
        for seed in UInt64(1)...12 {
            let (_, mm, backend, lp, optimum) = try Self.solved(children: 20 + Int(seed % 4) * 15, seed: seed)
            let past = DispatchTime.now().uptimeNanoseconds
            for (deadline, budget) in [(past, nil), (nil, past)] as [(UInt64?, UInt64?)] {
                let plan = backend.withLPSession(mm.model, warmStart: lp.basis, timeLimit: nil) { session in
                    PrimalHeuristics.dive(mm.model, lp: session, separator: nil, deadline: deadline, budget: budget)
                }
                let x = try XCTUnwrap(plan ?? nil, "seed \(seed): no plan out of time")
                XCTAssertNil(mm.model.violatedRow(x), "seed \(seed): the rounded plan breaks a row")
                XCTAssertGreaterThanOrEqual(mm.model.objective(x), optimum.objective - 1e-6 * max(1, abs(optimum.objective)), "seed \(seed)")
                // Every column the LP has at 1 is taken first, so it is in the plan.
                for (j, v) in lp.columnValues.enumerated() where v > 1 - 1e-9 { XCTAssertTrue(x[j], "seed \(seed): column \(j) at 1 left out") }
                answered += 1
            }
        }
        XCTAssertEqual(answered, 24)
    }

    /// Columns the dive fixes at 0 leave its LP, and with `pruneOn` so do those that no longer
    /// fit a row in it that the columns fixed at 1 fill: the LP then holds fewer columns than the
    /// model at the end (more with every row in `pruneOn`), and its objective is the returned
    /// plan's cost (its values, mapped back to the model's columns, are the plan).
    func testDiveTakesColumnsThatCanNoLongerBeAboveZeroOutOfItsLP() throws {
        var fractional = 0, pruned = [0, 0], left = [0, 0]
        for seed in UInt64(1)...16 {
            let (_, mm, backend, lp, optimum) = try Self.solved(children: 25 + Int(seed % 4) * 10, seed: seed)
            // (An LP integral from the start needs no fixing, so nothing leaves it.)
            let isFractional = lp.columnValues.contains { $0 > 1e-6 && $0 < 1 - 1e-6 }
            if isFractional { fractional += 1 }
            for (k, rows) in [false, true].enumerated() {
                let answer = backend.withLPSession(mm.model, warmStart: lp.basis, timeLimit: nil) { session -> (plan: [Bool]?, columns: Int, objective: Double) in
                    let plan = PrimalHeuristics.dive(mm.model, lp: session, separator: nil, pruneOn: rows ? mm.model.rows.indices : nil)
                    return (plan, session.columnCount, session.objective)
                }
                let (plan, columns, objective) = try XCTUnwrap(answer, "seed \(seed)")
                let x = try XCTUnwrap(plan, "seed \(seed): the dive found no plan")
                XCTAssertNil(mm.model.violatedRow(x), "seed \(seed): the dive's plan breaks a row")
                XCTAssertEqual(mm.model.objective(x), objective, accuracy: 1e-6 * max(1, abs(objective)), "seed \(seed): the plan is not the LP's last point")
                XCTAssertGreaterThanOrEqual(mm.model.objective(x), optimum.objective - 1e-6 * max(1, abs(optimum.objective)), "seed \(seed)")
                XCTAssertLessThanOrEqual(columns, mm.model.columns.count)
                if isFractional, columns < mm.model.columns.count { pruned[k] += 1 }
                left[k] += columns
            }
        }
        XCTAssertGreaterThanOrEqual(fractional, 4, "too few markets with a fractional LP: the test proves little")
        XCTAssertGreaterThan(pruned[0], 0, "no column fixed at 0 left the LP in \(fractional) dives")
        XCTAssertGreaterThanOrEqual(2 * pruned[1], fractional, "pruned on every row, the LP kept every column in \(fractional - pruned[1]) of \(fractional) dives")
        XCTAssertLessThan(left[1], left[0], "pruning on every row left as many columns in the LPs")
    }

    /// A session's fixings are bounds: fixing a column at 1 never lowers the LP value and puts it
    /// at 1; fixing at 0 puts it at 0; freeing it again gives back the first optimum.
    func testSessionFixingsActAsBounds() throws {
        let (_, mm) = try StressModels.fullModel(children: 40, seed: 7)
        let backend = GLPKBackend()
        let checked: Int? = backend.withLPSession(mm.model, warmStart: nil, timeLimit: nil) { session in
            let z0 = session.objective
            XCTAssertEqual(session.columnCount, mm.model.columns.count)
            var n = 0
            for j in stride(from: 0, to: mm.model.columns.count, by: max(1, mm.model.columns.count / 12)) {
                session.fix(column: j, at: 1)
                if session.solve() == .optimal {
                    XCTAssertGreaterThanOrEqual(session.objective, z0 - 1e-7 * max(1, abs(z0)))
                    XCTAssertEqual(session.values[j], 1, accuracy: 1e-9)
                }
                session.fix(column: j, at: 0)
                XCTAssertEqual(session.solve(), .optimal, "x = 0 is always feasible")
                XCTAssertEqual(session.values[j], 0, accuracy: 1e-9)
                session.fix(column: j, at: nil)
                XCTAssertEqual(session.solve(), .optimal)
                XCTAssertEqual(session.objective, z0, accuracy: 1e-7 * max(1, abs(z0)))
                n += 1
            }
            return n
        }
        XCTAssertGreaterThan(try XCTUnwrap(checked), 5)
    }

    /// Removing columns: only non-basic ones go, the optimum stays, the others keep their order
    /// and reduced costs, and adding the removed ones back (priced >= 0) changes nothing.
    func testSessionRemovesOnlyNonBasicColumns() throws {
        let (_, mm) = try StressModels.fullModel(children: 40, seed: 11)
        let backend = GLPKBackend()
        let n = mm.model.columns.count
        let checked: Bool? = backend.withLPSession(mm.model, warmStart: nil, timeLimit: nil) { session in
            let z0 = session.objective
            let basic = session.basis.columnBasic
            let d0 = session.reducedCosts
            XCTAssertEqual(d0.count, n)
            let asked = Array(stride(from: 0, to: n, by: 2))
            let gone = session.remove(columns: asked)
            XCTAssertEqual(gone, asked.filter { !basic[$0] }, "exactly the non-basic columns asked for go")
            XCTAssertFalse(gone.isEmpty)
            XCTAssertEqual(session.columnCount, n - gone.count)
            XCTAssertEqual(session.solvePrimal(), .optimal)
            XCTAssertEqual(session.objective, z0, accuracy: 1e-7 * max(1, abs(z0)))
            let kept = (0..<n).filter { !Set(gone).contains($0) }
            let d1 = session.reducedCosts
            for (k, j) in kept.enumerated() { XCTAssertEqual(d1[k], d0[j], accuracy: 1e-7, "column \(j)") }
            let back = gone.map { j in (cost: mm.model.columns[j].cost,
                                         entries: mm.model.rows.indices.compactMap { i in mm.model.rows[i].entries.first { $0.column == j }.map { (row: i, coef: $0.coef) } }) }
            XCTAssertTrue(session.add(columns: back))
            XCTAssertEqual(session.solvePrimal(), .optimal)
            XCTAssertEqual(session.objective, z0, accuracy: 1e-7 * max(1, abs(z0)))
            return true
        }
        XCTAssertEqual(checked, true)
    }

    /// `model` with only `columns` (in that order), rows kept.
    /// A seeded stress market's whole model, its LP (asserted optimal) and its integer optimum.
    static func solved(children: Int, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws
        -> (index: MarketIndex, mm: MatchingModel, backend: GLPKBackend, lp: LPSolution, optimum: MIPSolution) {
        let (index, mm) = try StressModels.fullModel(children: children, seed: seed)
        let backend = GLPKBackend()
        let lp = backend.solveLP(mm.model)
        XCTAssertEqual(lp.status, .optimal, "seed \(seed)", file: file, line: line)
        let optimum = backend.solveMIP(mm.model, options: MIPSolveOptions(relativeGap: 0))
        return (index, mm, backend, lp, optimum)
    }

    static func restricted(_ model: MIPModel, to columns: [Int]) -> MIPModel {
        var m = model
        let position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        m.columns = columns.map { model.columns[$0] }
        for i in m.rows.indices {
            m.rows[i].entries = model.rows[i].entries.compactMap { e in position[e.column].map { ($0, e.coef) } }
        }
        return m
    }

    /// Column j of `model` as the dive's `grow` hands it back, and its reduced cost under duals y.
    static func priced(_ model: MIPModel, _ j: Int, _ y: [Double]) -> (column: (cost: Double, entries: [(row: Int, coef: Double)]), reduced: Double) {
        let entries = model.rows.indices.compactMap { i in model.rows[i].entries.first { $0.column == j }.map { (row: i, coef: $0.coef) } }
        return ((model.columns[j].cost, entries), model.columns[j].cost - entries.reduce(0.0) { $0 + y[$1.row] * $1.coef })
    }

    /// A grown dive's plan over the whole model's columns (`order`: the dive's columns in the
    /// order they joined), checked to keep every row.
    static func whole(_ plan: [Bool]?, order: [Int], of model: MIPModel, seed: UInt64,
                      file: StaticString = #filePath, line: UInt = #line) throws -> [Bool] {
        let x = try XCTUnwrap(plan, "seed \(seed): the dive found no plan", file: file, line: line)
        XCTAssertEqual(x.count, order.count, file: file, line: line)
        var whole = [Bool](repeating: false, count: model.columns.count)
        for (k, j) in order.enumerated() where k < x.count && x[k] { whole[j] = true }
        XCTAssertNil(model.violatedRow(whole), "seed \(seed): the plan breaks a row", file: file, line: line)
        return whole
    }

    /// The dive that grows its LP from a pool: started on half the columns with the other half
    /// as its pool, its plan is one the whole model accepts (in the order the columns joined) and
    /// never cheaper than the whole model's optimum.
    func testDiveGrowingFromAPoolGivesFeasiblePlans() throws {
        var dived = 0, grew = 0
        for seed in UInt64(1)...8 {
            let (_, mm) = try StressModels.fullModel(children: 30 + Int(seed % 3) * 10, seed: seed)
            let backend = GLPKBackend()
            let optimum = backend.solveMIP(mm.model, options: MIPSolveOptions(relativeGap: 0))
            XCTAssertEqual(optimum.status, .optimal)
            let all = mm.model.columns.indices
            let first = all.filter { $0 % 2 == 0 }, pool = all.filter { $0 % 2 == 1 }
            var waiting = Set(pool), joined: [Int] = []
            let start = Self.restricted(mm.model, to: first)
            let plan = backend.withLPSession(start, warmStart: nil, timeLimit: nil) { session in
                PrimalHeuristics.dive(start, lp: session, separator: nil) { y, _ in
                    var columns: [(cost: Double, entries: [(row: Int, coef: Double)])] = []
                    for j in pool where waiting.contains(j) {
                        let (column, d) = Self.priced(mm.model, j, y)
                        if d < -1e-9 { waiting.remove(j); joined.append(j); columns.append(column) }
                    }
                    return columns
                }
            }
            let whole = try Self.whole(plan ?? nil, order: first + joined, of: mm.model, seed: seed)
            XCTAssertGreaterThanOrEqual(mm.model.objective(whole), optimum.objective - 1e-6 * max(1, abs(optimum.objective)))
            dived += 1
            if !joined.isEmpty { grew += 1 }
        }
        XCTAssertEqual(dived, 8)
        XCTAssertGreaterThan(grew, 0, "no dive took a column from its pool: the test proves nothing")
    }

    /// The dive asks for a deep search (`grow`'s second argument) only after a fixing raised its
    /// LP's objective: columns offered only then (here a quarter of the model, held back from
    /// the shallow pool) join, the plan still keeps every row, and a dive whose objective never
    /// rose asks for none.
    func testDiveAsksForDeepPricingOnlyAfterItsObjectiveRose() throws {
        var deepAsked = 0, deepJoined = 0
        for seed in UInt64(1)...8 {
            let (_, mm) = try StressModels.fullModel(children: 30 + Int(seed % 3) * 10, seed: seed)
            let backend = GLPKBackend()
            let all = mm.model.columns.indices
            let first = all.filter { $0 % 2 == 0 }
            let shallow = all.filter { $0 % 4 == 1 }, deepOnly = all.filter { $0 % 4 == 3 }
            let start = Self.restricted(mm.model, to: first)
            var waiting = Set(shallow + deepOnly), joined: [Int] = []
            var lastObjective = -Double.infinity, previousDeep = false
            let plan = backend.withLPSession(start, warmStart: nil, timeLimit: nil) { session in
                PrimalHeuristics.dive(start, lp: session, separator: nil) { y, deep in
                    // (The first deep call after a shallow one: a fixing came between them.)
                    if deep, !previousDeep {
                        deepAsked += 1
                        XCTAssertGreaterThan(session.objective, lastObjective, "seed \(seed): a deep search before the objective rose")
                    }
                    lastObjective = session.objective
                    previousDeep = deep
                    var columns: [(cost: Double, entries: [(row: Int, coef: Double)])] = []
                    for j in (deep ? shallow + deepOnly : shallow) where waiting.contains(j) {
                        let (column, d) = Self.priced(mm.model, j, y)
                        if d < -1e-9 {
                            waiting.remove(j); joined.append(j); columns.append(column)
                            if j % 4 == 3 { deepJoined += 1 }
                        }
                    }
                    return columns
                }
            }
            _ = try Self.whole(plan ?? nil, order: first + joined, of: mm.model, seed: seed)
        }
        XCTAssertGreaterThan(deepAsked, 0, "no dive asked for a deep search: the test proves nothing")
        XCTAssertGreaterThan(deepJoined, 0, "no column offered only to a deep search joined")
    }

    /// A basis taken from an open LP and restored after a trial fixing is undone gives the LP's
    /// optimum back, the same values (the dive's look-ahead relies on it).
    func testRestoringABasisGivesTheSameOptimumBack() throws {
        var tried = 0
        for seed in UInt64(1)...6 {
            let (_, mm) = try StressModels.fullModel(children: 40, seed: seed)
            let backend = GLPKBackend()
            let same: Bool? = backend.withLPSession(mm.model, warmStart: nil, timeLimit: nil) { lp in
                let objective = lp.objective, values = lp.values, basis = lp.basis
                guard let j = values.indices.first(where: { values[$0] > 1e-6 }) else { return nil }
                lp.fix(column: j, at: 0)
                guard lp.solve() == .optimal else { return nil }
                lp.fix(column: j, at: nil)
                lp.restore(basis)
                guard lp.solve() == .optimal else { return false }
                return abs(lp.objective - objective) <= 1e-9 * max(1, abs(objective))
                    && zip(lp.values, values).allSatisfy { abs($0 - $1) <= 1e-9 }
            } ?? nil
            if let same { XCTAssertTrue(same, "seed \(seed)"); tried += 1 }
        }
        XCTAssertGreaterThan(tried, 3)
    }
}
