// Warm starts are hints: from the basis of a smaller model (column generation's last round), from
// a kept clique cover, or from nonsense, the LP optimum must be the one a cold start finds.
// Fixed columns are a restriction: kept in the answer, or ignored when they break a row.

import XCTest
@testable import PlacementEngine

final class SolverHintsTests: XCTestCase {
    func testWarmStartFromASmallerModelGivesTheColdOptimum() throws {
        var warmed = 0
        for seed in UInt64(1)...60 {
            let arcs = try TinyMarkets.arcs(seed: seed)
            let full = FullModel.build(arcs: arcs)
            let all = Array(0..<arcs.index.childCount)
            let cold = GLPKBackend().solveLP(full.model)
            XCTAssertEqual(cold.status, .optimal)
            // Half the options first, as a column-generation round would have them.
            let half = full.options.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            let small = MatchingModel(index: arcs.index, options: half, children: all, name: "half")
            let smallLP = GLPKBackend().solveLP(small.model)
            XCTAssertEqual(smallLP.status, .optimal)
            let warm = MatchSolver.WarmBasis([(small, smallLP)])
            let grown = MatchingModel(index: arcs.index, options: full.options, children: all, name: "grown", keep: warm.cliques)
            XCTAssertNil(grown.model.checkInvariants())
            let hot = GLPKBackend().solveLP(grown.model, warmStart: warm.basis(for: grown))
            XCTAssertEqual(hot.status, .optimal, "seed \(seed)")
            XCTAssertEqual(hot.objective, cold.objective, accuracy: 1e-6 * max(1, abs(cold.objective)), "seed \(seed)")
            if warm.basis(for: grown) != nil { warmed += 1 }
            // The kept cover is still a cover: the integer optimum does not move.
            let a = GLPKBackend().solveMIP(full.model, options: MIPSolveOptions(relativeGap: 0))
            let b = GLPKBackend().solveMIP(grown.model, options: MIPSolveOptions(relativeGap: 0, incumbent: nil))
            XCTAssertEqual(a.objective, b.objective, accuracy: 1e-6 * max(1, abs(a.objective)), "seed \(seed)")
        }
        XCTAssertGreaterThan(warmed, 30)
    }

    func testNonsenseBasisStillGivesTheOptimum() throws {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func bit() -> Bool { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 63 == 1 }
        for seed in UInt64(1)...40 {
            let arcs = try TinyMarkets.arcs(seed: seed)
            let full = FullModel.build(arcs: arcs)
            let cold = GLPKBackend().solveLP(full.model)
            let junk = LPBasis(columnBasic: full.model.columns.map { _ in bit() }, rowBasic: full.model.rows.map { _ in bit() })
            let hot = GLPKBackend().solveLP(full.model, warmStart: junk)
            XCTAssertEqual(hot.status, .optimal, "seed \(seed)")
            XCTAssertEqual(hot.objective, cold.objective, accuracy: 1e-6 * max(1, abs(cold.objective)), "seed \(seed)")
            // A basis of the wrong size is ignored.
            let wrong = LPBasis(columnBasic: [true], rowBasic: [])
            XCTAssertEqual(GLPKBackend().solveLP(full.model, warmStart: wrong).objective, cold.objective,
                           accuracy: 1e-6 * max(1, abs(cold.objective)))
        }
    }

    func testFixingColumnsKeepsThemAndNeverMakesTheAnswerBetter() throws {
        var checked = 0
        for seed in UInt64(1)...60 {
            let arcs = try TinyMarkets.arcs(seed: seed)
            let model = FullModel.build(arcs: arcs).model
            guard model.columns.count >= 2 else { continue }
            let free = GLPKBackend().solveMIP(model, options: MIPSolveOptions(relativeGap: 0))
            // Fixing the optimum's own columns leaves nothing better to find.
            let same = try XCTUnwrap(model.fixing(free.values))
            let rest = GLPKBackend().solveMIP(same.model, options: MIPSolveOptions(relativeGap: 0))
            XCTAssertEqual(model.objective(same.expand(rest.values)), free.objective, accuracy: 1e-6, "seed \(seed)")
            XCTAssertEqual(rest.objective, free.objective, accuracy: 1e-6, "seed \(seed): the constant carries the fixed costs")
            // Fixing a column the optimum leaves out: kept, feasible, never better.
            guard let j = free.values.firstIndex(of: false) else { continue }
            let one = model.columns.indices.map { $0 == j }
            guard let forced = model.fixing(one) else { continue }
            let sub = GLPKBackend().solveMIP(forced.model, options: MIPSolveOptions(relativeGap: 0))
            let x = forced.expand(sub.values)
            XCTAssertTrue(x[j], "seed \(seed)")
            XCTAssertNil(model.violatedRow(x), "seed \(seed)")
            XCTAssertGreaterThanOrEqual(model.objective(x), free.objective - 1e-6, "seed \(seed)")
            XCTAssertEqual(model.objective(x), sub.objective, accuracy: 1e-6)
            // Fixed columns that break a row on their own: no restricted program.
            if model.violatedRow([Bool](repeating: true, count: model.columns.count)) != nil {
                XCTAssertNil(model.fixing([Bool](repeating: true, count: model.columns.count)))
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 30)
    }
}
