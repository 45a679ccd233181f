// The matching model's LP relaxation must be tight on the patterns that made the reduced-cost
// proof blow up on generated markets (benchmarks/PROFILE.md): half a sibling group beside a whole
// child in a home for two, and a group placed together two-thirds of the way while each member
// takes a third of a home for one. Each case is a handful of hand-priced options; the LP bound
// must equal the integer optimum, and must never exceed it.

import XCTest
@testable import PlacementEngine

final class ModelStrengthTests: XCTestCase {
    private let la = LocalAuthority(code: "L1", name: "L1", rcc: "R", centroid: GeoPoint(lat: 52, lon: -1))

    private func index(children: [Child], capacities: [Int]) throws -> MarketIndex {
        let homes = capacities.enumerated().map { k, cap in
            Placement(id: "h\(k + 1)", type: .foster, laCode: "L1", location: la.centroid, capacity: cap, weeklyCost: 500)
        }
        return try MarketIndex(Market(localAuthorities: [la], children: children, placements: homes))
    }

    private func child(_ id: String, age: Int, group: String? = nil) -> Child {
        Child(id: id, laCode: "L1", location: la.centroid, age: age, sex: .F, siblingGroup: group)
    }

    /// LP and integer optimum of the model over `options`, whose costs are given relative to
    /// leaving their children unmatched (the model's own column costs).
    private func model(_ index: MarketIndex, _ relative: [(MatchOption, Double)]) -> MatchingModel {
        let options = relative.map { o, r -> MatchOption in
            var o = o
            o.cost = r + o.members(index).reduce(0.0) { $0 + index.unmatchedCost($1) }
            return o
        }
        return MatchingModel(index: index, options: options, children: Array(0..<index.childCount), name: "t")
    }

    private func bounds(_ index: MarketIndex, _ relative: [(MatchOption, Double)]) -> (lp: Double, ip: Double) {
        let mm = model(index, relative)
        XCTAssertNil(mm.model.checkInvariants())
        let lp = GLPKBackend().solveLP(mm.model)
        let ip = GLPKBackend().solveMIP(mm.model, options: MIPSolveOptions(relativeGap: 0))
        XCTAssertEqual(lp.status, .optimal)
        XCTAssertEqual(ip.status, .optimal)
        return (lp.objective, ip.objective)
    }

    func testGroupOfTwoAndAChildInHomesForTwo() throws {
        // Children 0, 1 are siblings; child 2 is on its own. Homes 0 and 1 take two each.
        let ix = try index(children: [child("s1", age: 10, group: "G"), child("s2", age: 14, group: "G"), child("c", age: 9)],
                           capacities: [2, 2])
        let (lp, ip) = bounds(ix, [
            (.together(group: 0, placement: 0, cost: 0), -400), (.own(child: 2, placement: 0, cost: 0), -200),
            (.together(group: 0, placement: 1, cost: 0), -300), (.own(child: 2, placement: 1, cost: 0), -100),
        ])
        // Without the load-conflict clique the LP places half the group beside the whole child: -550.
        XCTAssertEqual(ip - ix.totalUnmatchedCost, -500, accuracy: 1e-9)
        XCTAssertEqual(lp, ip, accuracy: 1e-6)
    }

    func testGroupTogetherAgainstMembersSharingAHomeForOne() throws {
        // Three siblings; home 0 takes one child, home 1 takes three.
        let ix = try index(children: [child("a", age: 4, group: "G"), child("b", age: 6, group: "G"), child("c", age: 8, group: "G")],
                           capacities: [1, 3])
        let (lp, ip) = bounds(ix, [
            (.together(group: 0, placement: 1, cost: 0), -300),
            (.own(child: 0, placement: 0, cost: 0), -250), (.own(child: 1, placement: 0, cost: 0), -250),
            (.own(child: 2, placement: 0, cost: 0), -250),
        ])
        // Without the lifted split row the LP takes 2/3 of the group and a third of each member: -450.
        XCTAssertEqual(ip - ix.totalUnmatchedCost, -300, accuracy: 1e-9)
        XCTAssertEqual(lp, ip, accuracy: 1e-6)
    }

    func testSoloChildCountsAsTheWholeHome() throws {
        // A solo child and a group of two compete for a home for two.
        var solo = child("s", age: 12)
        solo.alongside = .solo
        let ix = try index(children: [solo, child("g1", age: 5, group: "G"), child("g2", age: 7, group: "G")], capacities: [2, 2])
        let (lp, ip) = bounds(ix, [
            (.own(child: 0, placement: 0, cost: 0), -500), (.together(group: 0, placement: 0, cost: 0), -600),
            (.own(child: 0, placement: 1, cost: 0), -100), (.together(group: 0, placement: 1, cost: 0), -550),
        ])
        XCTAssertEqual(ip - ix.totalUnmatchedCost, -1050, accuracy: 1e-9)
        XCTAssertEqual(lp, ip, accuracy: 1e-6)
    }

    func testImprovedMakesRoomByMovingAChild() throws {
        // Child 0 can only go to home 0; child 1 prefers home 0 but can go to home 1. Cheapest
        // first, the greedy gives home 0 to child 1 and leaves child 0 out; one move fixes it.
        let ix = try index(children: [child("a", age: 5), child("b", age: 6)], capacities: [1, 1])
        let mm = model(ix, [
            (.own(child: 0, placement: 0, cost: 0), -300),
            (.own(child: 1, placement: 0, cost: 0), -400), (.own(child: 1, placement: 1, cost: 0), -350),
        ])
        let greedy = PrimalHeuristics.greedy(mm.model)
        let better = PrimalHeuristics.ejectionChains(mm.model, from: greedy, owner: mm.ownerRows)
        XCTAssertNil(mm.model.violatedRow(better))
        XCTAssertEqual(mm.model.objective(greedy) - ix.totalUnmatchedCost, -400, accuracy: 1e-9)
        XCTAssertEqual(mm.model.objective(better) - ix.totalUnmatchedCost, -650, accuracy: 1e-9)
    }

    func testImprovedNeverBreaksARowOrWorsensThePlan() throws {
        for seed in UInt64(1)...80 {
            let arcs = try TinyMarkets.arcs(seed: seed)
            let mm = FullModel.build(arcs: arcs)
            let greedy = PrimalHeuristics.greedy(mm.model)
            let better = PrimalHeuristics.ejectionChains(mm.model, from: greedy, owner: mm.ownerRows)
            XCTAssertNil(mm.model.violatedRow(better), "seed \(seed)")
            XCTAssertLessThanOrEqual(mm.model.objective(better), mm.model.objective(greedy) + 1e-9, "seed \(seed)")
        }
    }
}

private extension MarketIndex {
    var totalUnmatchedCost: Double { (0..<childCount).reduce(0.0) { $0 + unmatchedCost($1) } }
}
