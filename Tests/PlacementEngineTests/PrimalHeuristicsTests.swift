// The dive (Solve/PrimalHeuristics.swift) and the open LP it runs on (MIPBackend.withLPSession):
// every plan it returns must be one the model accepts, never cheaper than the LP bound nor than
// the integer optimum, and the session's fixings must behave as bounds.

import XCTest
@testable import PlacementEngine

final class PrimalHeuristicsTests: XCTestCase {
    /// On seeded stress markets, with and without the placements' cuts: the dive returns a plan,
    /// the model accepts it, and its cost is never below the LP bound or the integer optimum.
    func testDiveGivesFeasiblePlansNeverBelowTheOptimum() throws {
        var dived = 0, atOptimum = 0
        for seed in UInt64(1)...16 {
            let (index, mm) = try StressModels.fullModel(children: 20 + Int(seed % 4) * 15, seed: seed)
            let backend = GLPKBackend()
            let lp = backend.solveLP(mm.model)
            XCTAssertEqual(lp.status, .optimal)
            let optimum = backend.solveMIP(mm.model, options: MIPSolveOptions(relativeGap: 0))
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
}
