// Unit checks of the engine's pieces: arc costs, the risk model, distances, word bits, rule
// counts, formatting, and the model's own invariants.

import XCTest
import PlacementGenerator
@testable import PlacementEngine

final class EngineUnitTests: XCTestCase {
    /// Parallel.forEach hands `take` the same results in the same order as a loop on one thread,
    /// and a `false` stops it: no block after the one it came in is computed.
    func testParallelForEachTakesInOrderAndStops() {
        for threads in [1, 2, 3] {
            for block in [1, 7, 256] {
                var seen: [Int] = []
                Parallel.forEach(100, threads: threads, block: block) { $0 * $0 } take: { i, v in
                    XCTAssertEqual(v, i * i)
                    seen.append(i)
                    return i < 41
                }
                XCTAssertEqual(seen, Array(0...41), "threads \(threads), block \(block)")
                let computed = Counter()
                Parallel.forEach(100, threads: threads, block: block) { _ in computed.increment() } take: { i, _ in i < 9 }
                let size = threads == 1 ? 1 : block
                XCTAssertEqual(computed.value, min(100, (9 / size + 1) * size), "threads \(threads), block \(block): blocks past the stop")
            }
        }
        var none = 0
        Parallel.forEach(0, threads: 2) { $0 } take: { _, _ in none += 1; return true }
        XCTAssertEqual(none, 0)
    }

    func testHotPathCostEqualsTheBreakdownBitForBit() throws {
        for seed in UInt64(1)...60 {
            let market = TinyMarkets.make(seed: seed)
            let index = try MarketIndex(market)
            let coster = ArcCoster(index: index)
            for c in 0..<index.childCount {
                for p in 0..<index.placementCount {
                    for separated in [false, true] {
                        let d = index.distanceKm(child: c, placement: p)
                        let fast = coster.cost(child: c, placement: p, distanceKm: d, separated: separated)
                        let slow = index.costBreakdown(child: c, placement: p, separated: separated).total
                        XCTAssertEqual(fast, slow, "seed \(seed) c\(c) p\(p)")
                        // The floor the cheapest-arcs search prunes with never exceeds a non-kinship arc's
                        // cost beyond its distance and fee.
                        if index.market.placements[p].type != .kinship {
                            let floor = coster.nonKinshipFloor(child: c, separated: separated)
                            XCTAssertLessThanOrEqual(index.policy.weights.wKm * d + coster.feeCost[p] + floor, slow, "seed \(seed) c\(c) p\(p)")
                        }
                    }
                }
            }
        }
    }

    func testRiskModelAgainstHandComputedValues() {
        let la = LocalAuthority(code: "L1", name: "L1", rcc: "R", centroid: GeoPoint(lat: 52, lon: -1))
        // A young child with kin: z = -2.44, about 8% a year (spec section 5).
        let young = Child(id: "c", laCode: "L1", location: la.centroid, age: 4, sex: .F)
        let kin = Placement(id: "k", type: .kinship, laCode: "L1", location: la.centroid, capacity: 1, weeklyCost: 0, forChildren: ["c"])
        XCTAssertEqual(ArcCosting.risk(child: young, placement: kin, separated: false, model: RiskModel()),
                       1 / (1 + exp(2.44)), accuracy: 1e-15)
        // 14, high behaviour, 3 prior placements, residential rated requires_improvement, suitable only, separated:
        let teen = Child(id: "t", laCode: "L1", location: la.centroid, age: 14, sex: .M, behaviour: .high, priorPlacements: 3)
        let home = Placement(id: "h", type: .residential, laCode: "L1", location: la.centroid, capacity: 2,
                             weeklyCost: 5000, ofsted: .requires_improvement)
        let z = -2.44 + 0.47 + 0.68 + 0.40 + 0.59 + 0.40 + 0.29 + 0.30 + 0.55
        XCTAssertEqual(ArcCosting.risk(child: teen, placement: home, separated: true, model: RiskModel()),
                       1 / (1 + exp(-z)), accuracy: 1e-12)
        // Arc cost: 0 km + 4 * 100 * risk + 5000/100 + 0 cross + 20 not preferred + 150 split.
        let b = ArcCosting.breakdown(child: teen, childRcc: "R", placement: home, placementRcc: "R", distanceKm: 0,
                                     separated: true, policy: Policy())
        XCTAssertEqual(b.total, 400 / (1 + exp(-z)) + 50 + 20 + 150, accuracy: 1e-9)
    }

    func testHaversineKnownDistances() {
        let london = GeoPoint(lat: 51.5072, lon: -0.1276), manchester = GeoPoint(lat: 53.4808, lon: -2.2426)
        XCTAssertEqual(Geo.haversineKm(london, manchester), 262.5, accuracy: 0.6)
        XCTAssertEqual(Geo.haversineKm(london, london), 0)
        // A quarter of a meridian: pi/2 * R.
        XCTAssertEqual(Geo.haversineKm(GeoPoint(lat: 0, lon: 0), GeoPoint(lat: 90, lon: 0)),
                       Double.pi / 2 * 6371.0088, accuracy: 1e-6)
    }

    func testWordBitsFollowTheSpecOrder() {
        for (i, need) in Need.allCases.enumerated() { XCTAssertEqual(NeedSet([need]).bits, 1 << UInt32(i)) }
        for (i, risk) in RiskFlag.allCases.enumerated() { XCTAssertEqual(RiskSet([risk]).bits, 1 << UInt32(i)) }
        let set = RiskSet([.sexual_harm, .self_harm])
        XCTAssertTrue(set.contains(.sexual_harm))
        XCTAssertFalse(set.contains(.fire_setting))
        XCTAssertTrue(RiskSet([.self_harm]).isSubset(of: set))
    }

    func testEachRuleAloneIsCountedAndNamed() throws {
        let la = LocalAuthority(code: "L1", name: "L1", rcc: "R1", centroid: GeoPoint(lat: 52, lon: -1))
        let far = LocalAuthority(code: "L2", name: "L2", rcc: "R2", centroid: GeoPoint(lat: 54, lon: -1))
        let child = Child(id: "c", laCode: "L1", location: la.centroid, age: 9, sex: .F, alongside: .solo,
                          pets: .no, needs: NeedSet([.bsl]), risks: RiskSet([.self_harm]))
        func place(_ id: String, _ edit: (inout Placement) -> Void) -> Placement {
            var p = Placement(id: id, type: .foster, laCode: "L1", location: la.centroid, capacity: 1,
                              needsMet: NeedSet([.bsl]), risksManaged: RiskSet([.self_harm]), weeklyCost: 700)
            edit(&p)
            return p
        }
        let placements = [
            place("ok") { _ in },
            place("type") { $0.type = .residential },
            place("kin") { $0.type = .kinship; $0.forChildren = ["other"] },
            place("age") { $0.ageMin = 11 },
            place("sex") { $0.sexes = .M },
            place("needs") { $0.needsMet = NeedSet() },
            place("risks") { $0.risksManaged = RiskSet() },
            place("pets") { $0.hasPets = true },
            place("along") { $0.occupied = 1; $0.residentAges = [12] },
            place("dist") { $0.location = far.centroid },
            place("inadequate") { $0.ofsted = .inadequate },
            place("excl") { _ in },
            place("cap") { $0.capacity = 0 },
            place("region") { $0.laCode = "L2" },
        ]
        var policy = Policy()
        policy.allowCrossRcc = false
        let other = Child(id: "other", laCode: "L1", location: la.centroid, age: 9, sex: .F)
        let market = Market(localAuthorities: [la, far], children: [child, other], placements: placements,
                            exclusions: [Exclusion(childId: "c", placementId: "excl")], policy: policy)
        let arcs = ArcTable(index: try MarketIndex(market), threads: 1)
        let counts = arcs.ruleCounts[0]
        XCTAssertEqual(arcs.eligibleCount[0], 1)
        let expected: [Rule: Int] = [.type: 1, .kinship: 1, .ageSex: 2, .needs: 1, .risks: 1, .pets: 1, .alongside: 1,
                                     .distance: 1, .quality: 1, .excluded: 1, .capacity: 1, .outOfRegion: 1]
        for rule in Rule.allCases { XCTAssertEqual(counts[rule], expected[rule] ?? 0, "\(rule)") }
        XCTAssertEqual(counts.detail, "type=1;kinship=1;age_sex=2;needs=1;risks=1;pets=1;alongside=1;distance=1;quality=1;excluded=1;capacity=1;out_of_region=1")
    }

    func testFixedDecimalsRoundHalfAwayFromZero() {
        XCTAssertEqual(Fixed.format(2.5, decimals: 0), "3")
        XCTAssertEqual(Fixed.format(-2.5, decimals: 0), "-3")
        XCTAssertEqual(Fixed.format(0.125, decimals: 2), "0.13")
        XCTAssertEqual(Fixed.format(-0.0001, decimals: 2), "0.00")
        XCTAssertEqual(Fixed.format(1234.5678, decimals: 2), "1234.57")
        XCTAssertEqual(Fixed.risk(0.08), "0.0800")
    }

    func testGLPKBackendRejectsBadModelsInsteadOfAborting() {
        var model = MIPModel(name: "bad")
        model.columns = [MIPColumn(name: "x", cost: .nan)]
        let result = GLPKBackend().solveMIP(model, options: MIPSolveOptions())
        guard case .failed = result.status else { return XCTFail("a NaN cost must be refused before GLPK") }
        var dup = MIPModel(name: "dup")
        dup.columns = [MIPColumn(name: "x", cost: -1)]
        dup.rows = [MIPRow(name: "r", upper: 1, entries: [(0, 1), (0, 1)])]
        guard case .failed = GLPKBackend().solveLP(dup).status else { return XCTFail("duplicate entries must be refused") }
    }

    /// The backend's Gomory and clique cuts (GLPK's, as the pattern programs use them) keep every
    /// 0-1 optimum: seeded random packing programs against brute force.
    func testGLPKBackendCutsKeepTheOptimumOfRandomPackingPrograms() {
        var random = SeededRandom(seed: 9)
        var fractionalRoots = 0
        for trial in 0..<150 {
            let n = 6 + random.int(below: 7), m = 3 + random.int(below: 6)
            var model = MIPModel(name: "packing_\(trial)")
            model.columns = (0..<n).map { MIPColumn(name: "x\($0)", cost: -random.uniform(1, 10).rounded(toPlaces: 3)) }
            model.rows = (0..<m).map { i in
                let entries = (0..<n).filter { _ in random.uniform() < 0.5 }.map { (column: $0, coef: Double(1 + random.int(below: 3))) }
                return MIPRow(name: "r\(i)", upper: Double(1 + random.int(below: 4)), entries: entries)
            }
            model.rows.removeAll { $0.entries.isEmpty }
            var best = 0.0
            for mask in 0..<(1 << n) {
                let x = (0..<n).map { mask >> $0 & 1 == 1 }
                if model.violatedRow(x) == nil { best = min(best, model.objective(x)) }
            }
            var options = MIPSolveOptions(relativeGap: 0)
            options.gomoryCuts = true
            options.cliqueCuts = trial % 2 == 0
            let r = GLPKBackend().solveMIP(model, options: options)
            XCTAssertEqual(r.status, .optimal, "trial \(trial)")
            XCTAssertEqual(r.objective, best, accuracy: 1e-6, "trial \(trial)")
            XCTAssertNil(model.violatedRow(r.values), "trial \(trial)")
            let lp = GLPKBackend().solveLP(model)
            if lp.objective < best - 1e-6 { fractionalRoots += 1 }
        }
        XCTAssertGreaterThan(fractionalRoots, 30, "programs whose root LP is below the optimum (where cuts are made)")
    }

    func testGLPKBackendSolvesASmallKnapsackAndProvesIt() {
        // max 5a + 4b + 3c with 2a + 3b + c <= 3 (as a minimisation of the negatives): a + c, value 8.
        var model = MIPModel(name: "knapsack")
        model.columns = [MIPColumn(name: "a", cost: -5), MIPColumn(name: "b", cost: -4), MIPColumn(name: "c", cost: -3)]
        model.rows = [MIPRow(name: "cap", upper: 3, entries: [(0, 2), (1, 3), (2, 1)])]
        model.objectiveConstant = 10
        let r = GLPKBackend().solveMIP(model, options: MIPSolveOptions())
        XCTAssertEqual(r.status, .optimal)
        XCTAssertEqual(r.values, [true, false, true])
        XCTAssertEqual(r.objective, 2, accuracy: 1e-9)
        XCTAssertEqual(r.bound, 2, accuracy: 1e-9)
        let lp = GLPKBackend().solveLP(model)
        XCTAssertEqual(lp.status, .optimal)
        XCTAssertLessThanOrEqual(lp.objective, 2 + 1e-9)
        // Duals: the reduced costs GLPK reports equal c - A^T y.
        for j in 0..<3 {
            let a = model.rows[0].entries.first { $0.column == j }!.coef
            XCTAssertEqual(lp.reducedCosts[j], model.columns[j].cost - a * lp.rowDuals[0], accuracy: 1e-9)
        }
    }
}

import Foundation

private extension Double {
    func rounded(toPlaces k: Int) -> Double { let f = pow(10, Double(k)); return (self * f).rounded() / f }
}
