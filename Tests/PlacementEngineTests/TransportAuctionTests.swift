// The auction that prices column generation's start (Solve/TransportDuals.swift) against GLPK's
// simplex on the same transportation LP, on seeded random cores: contested, scarce, with
// unprofitable children and placements nobody wants.

import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class TransportAuctionTests: XCTestCase {
    private func randomCore(_ rng: inout SeededRandom) -> TransportAuction {
        let homes = Int.random(in: 1...6, using: &rng), children = Int.random(in: 1...12, using: &rng)
        let capacity = (0..<homes).map { _ in Int.random(in: 1...3, using: &rng) }
        let arcs = (0..<children).map { _ -> [(placement: Int, benefit: Double)] in
            (0..<homes).filter { _ in Bool.random(using: &rng) }.map { ($0, Double(Int.random(in: 1...100_000, using: &rng)) / 100) }
        }
        return TransportAuction(capacity: capacity, arcs: arcs)
    }

    /// The core's LP, minimising minus the benefit.
    private func lpOptimum(_ core: TransportAuction) -> Double {
        var model = MIPModel(name: "core")
        var rows = core.arcs.indices.map { MIPRow(name: "child_\($0)", upper: 1, entries: []) }
            + core.capacity.indices.map { MIPRow(name: "home_\($0)", upper: Double(core.capacity[$0]), entries: []) }
        for (c, list) in core.arcs.enumerated() {
            for a in list {
                let j = model.columns.count
                model.columns.append(MIPColumn(name: "x_\(j)", cost: -a.benefit))
                rows[c].entries.append((j, 1))
                rows[core.arcs.count + a.placement].entries.append((j, 1))
            }
        }
        rows = rows.map { row in var r = row; r.entries.sort { $0.column < $1.column }; return r }
        model.rows = rows
        let lp = GLPKBackend().solveLP(model)
        XCTAssertEqual(lp.status, .optimal)
        return -lp.objective
    }

    /// The auction's outcome is a feasible assignment and a feasible dual of the core's LP within
    /// n * epsilon of each other: the assignment's benefit is at most the LP's optimum, the
    /// dual's value at least it.
    func testTheAuctionIsEpsilonOptimalForTheCoresLP() {
        let epsilon = 0.01
        for seed: UInt64 in 1...300 {
            var rng = SeededRandom(seed: seed)
            let core = randomCore(&rng)
            let outcome = core.run(finalEpsilon: epsilon)
            let (primal, dual) = core.objectives(outcome)
            let best = lpOptimum(core)
            let n = Double(core.arcs.count)
            XCTAssertLessThanOrEqual(primal, best + 1e-6, "seed \(seed)")
            XCTAssertGreaterThanOrEqual(dual, best - 1e-6, "seed \(seed): the dual is not a bound")
            XCTAssertLessThanOrEqual(dual - primal, n * epsilon + 1e-6, "seed \(seed)")
            // A feasible assignment, values and prices >= 0, each value the child's best at the prices.
            var used = [Int](repeating: 0, count: core.capacity.count)
            for (c, p) in outcome.placement.enumerated() {
                guard let p else { continue }
                XCTAssertTrue(core.arcs[c].contains { $0.placement == p }, "seed \(seed)")
                used[p] += 1
            }
            XCTAssertTrue(zip(used, core.capacity).allSatisfy { $0 <= $1 }, "seed \(seed)")
            XCTAssertTrue(outcome.prices.joined().allSatisfy { $0 >= 0 }, "seed \(seed)")
            for (c, list) in core.arcs.enumerated() {
                let best = list.reduce(0.0) { max($0, $1.benefit - outcome.prices[$1.placement].min()!) }
                XCTAssertEqual(outcome.values[c], best, accuracy: 1e-9, "seed \(seed)")
            }
        }
    }

    func testNoArcsNoValue() {
        let core = TransportAuction(capacity: [2], arcs: [[], []])
        let outcome = core.run(finalEpsilon: 1)
        XCTAssertEqual(outcome.values, [0, 0])
        XCTAssertEqual(outcome.placement, [nil, nil])
    }

    /// Benefits past what doubles add up exactly (an infinite one made epsilon scaling endless) are
    /// not auctioned: values 0, nothing assigned, at once. The largest the policy allows still is.
    func testBenefitsTooLargeToAuctionGiveZeroValues() {
        for benefit in [Double.infinity, 1e300, TransportAuction.largestBenefit] {
            let core = TransportAuction(capacity: [1, 1], arcs: [[(0, benefit), (1, 5)], [(0, 3)]])
            let outcome = core.run(finalEpsilon: 1)
            XCTAssertEqual(outcome.values, [0, 0], "benefit \(benefit)")
            XCTAssertEqual(outcome.placement, [nil, nil], "benefit \(benefit)")
        }
        let core = TransportAuction(capacity: [1, 1], arcs: [[(0, 1e13), (1, 5)], [(0, 3)]])
        let outcome = core.run(finalEpsilon: 1)
        XCTAssertEqual(outcome.placement, [0, nil])
        XCTAssertEqual(outcome.values[0] + outcome.prices[0][0], 1e13, accuracy: 2)   // within 2 epsilon
    }
    /// The core's assignment as options: a group the core split gets, with `regroup`, its together
    /// option where most of its members went (a real arc, at its cost), besides their own options;
    /// without, none, and the options are disjoint (the first LP's basis is built from them).
    func testCoreOptionsRegroupASplitGroupWhereMostOfItsMembersWent() throws {
        let market = try GeneratorFixture.generate(.init(seed: 3, children: 300))
        let arcs = ArcTable(index: try MarketIndex(market), threads: 1)
        let index = arcs.index
        var checked = 0
        for (g, members) in index.groups.enumerated() where members.count >= 2 && arcs.groupArcs[g].count >= 2 {
            // Members 1... where the group may go together, member 0 at another such placement
            // where it may go alone: a split the core could make.
            let together = arcs.groupArcs[g].map { Int($0.placement) }
            guard let first = members.dropFirst().allSatisfy({ c in arcs.childArcs[c].contains { Int($0.placement) == together[0] } }) ? together[0] : nil,
                  let other = arcs.childArcs[members[0]].first(where: { Int($0.placement) != first }).map({ Int($0.placement) })
            else { continue }
            var placementOf = [Int?](repeating: nil, count: index.childCount)
            placementOf[members[0]] = other
            for c in members.dropFirst() { placementOf[c] = first }
            let plain = LagrangianBound.coreOptions(placementOf, arcs: arcs)
            let regrouped = LagrangianBound.coreOptions(placementOf, arcs: arcs, regroup: true)
            XCTAssertEqual(plain.count, members.count, "group \(g): each member on its own")
            XCTAssertEqual(Set(plain.flatMap { $0.members(index) }).count, plain.flatMap { $0.members(index) }.count, "disjoint")
            XCTAssertEqual(regrouped.count, members.count + 1, "group \(g)")
            guard let extra = regrouped.last else { continue }
            XCTAssertEqual(extra.members(index).sorted(), members.sorted())
            // Most members at `first` when there are three or more; two are one each, the cheaper.
            if members.count > 2 { XCTAssertEqual(Int(extra.placement), first) } else { XCTAssertTrue([first, other].contains(Int(extra.placement))) }
            XCTAssertEqual(extra.cost, arcs.groupArcs[g].first { Int($0.placement) == Int(extra.placement) }?.cost)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 3, "the market must have groups to split")
    }
}
