// The placements' own cuts (Model/PlacementCuts.swift) are only as valid as their idea of which
// options may be in one home together. These tests check that idea against the model itself, set
// by set, on stress markets, and that every cut separated from an LP keeps every 0-1 plan of the
// model (the brute-force comparisons elsewhere check the optimum end to end).

import XCTest
@testable import PlacementEngine

final class PlacementCutsTests: XCTestCase {
    /// A set of options at one placement is feasible for the model (every row holds with just
    /// them on) exactly when it lies inside one of the maximal feasible sets PlacementCuts lists.
    func testFeasibleSetsAreTheModelsOwn() throws {
        var placementsChecked = 0, subsetsChecked = 0
        for seed in UInt64(1)...40 {
            let (index, mm) = try StressModels.fullModel(children: 8 + Int(seed % 5) * 6, seed: seed)
            for (_, columns) in mm.columnsByPlacement where (2...11).contains(columns.count) {
                let options = columns.map { mm.options[$0] }
                guard let maximal = PlacementCuts.maximalFeasibleSets(index: index, options: options) else {
                    return XCTFail("seed \(seed): the enumeration gave up on \(columns.count) options")
                }
                let maximalMasks = maximal.map { set in set.reduce(0) { $0 | (1 << $1) } }
                for mask in 1..<(1 << columns.count) {
                    var x = [Bool](repeating: false, count: mm.options.count)
                    for (k, j) in columns.enumerated() where mask & (1 << k) != 0 { x[j] = true }
                    let modelSays = mm.model.violatedRow(x) == nil
                    let cutsSay = maximalMasks.contains { $0 & mask == mask }
                    XCTAssertEqual(modelSays, cutsSay, "seed \(seed), placement \(options[0].placement), set \(mask)")
                    subsetsChecked += 1
                }
                // Maximal: none contains another.
                for a in maximalMasks { for b in maximalMasks where a != b { XCTAssertNotEqual(a & b, a, "seed \(seed)") } }
                placementsChecked += 1
            }
        }
        XCTAssertGreaterThan(placementsChecked, 100)
        XCTAssertGreaterThan(subsetsChecked, 5_000)
    }

    /// Cuts separated from the LP relaxation of whole stress markets are violated by the LP's
    /// values (else they are not returned) and hold for every 0-1 plan found by the integer solve,
    /// and for every single option (a plan with one child placed).
    func testSeparatedCutsAreViolatedAndValid() throws {
        var cutsFound = 0
        for seed in UInt64(1)...12 {
            let (index, mm) = try StressModels.fullModel(children: 30 + Int(seed % 4) * 10, seed: seed)
            let lp = GLPKBackend().solveLP(mm.model)
            XCTAssertEqual(lp.status, .optimal)
            let cuts = mm.separateCuts(lp.columnValues, index: index, backend: GLPKBackend())
            let ip = GLPKBackend().solveMIP(mm.model, options: MIPSolveOptions(relativeGap: 0))
            var column: [UInt64: Int] = [:]
            for (j, o) in mm.options.enumerated() { column[o.key] = j }
            for cut in cuts {
                var atLP = 0.0, atIP = 0.0
                for (key, a) in zip(cut.keys, cut.coefficients) {
                    let j = try XCTUnwrap(column[key])
                    XCTAssertEqual(Int(mm.options[j].placement), cut.placement)
                    XCTAssertLessThanOrEqual(a, 1 + 1e-9, "one option alone is a feasible set")
                    atLP += a * lp.columnValues[j]
                    if ip.values[j] { atIP += a }
                }
                XCTAssertGreaterThan(atLP, 1 + PlacementCuts.minViolation / 2, "seed \(seed): not violated")
                XCTAssertLessThanOrEqual(atIP, 1 + 1e-9, "seed \(seed): the integer optimum breaks a cut")
                cutsFound += 1
            }
        }
        XCTAssertGreaterThan(cutsFound, 0, "the stress markets' LPs should need some cuts")
    }
}
