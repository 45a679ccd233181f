// The arc table's shortcuts (pass sets per rule key, the distance grid, the bounded heap of
// cheapest arcs) against the plain pair-by-pair loop: the same rule counts, the same eligible
// placements and the same arcs, in the same order.

import XCTest
@testable import PlacementEngine

final class EligibilitySetsTests: XCTestCase {
    /// Every child against every placement with `mask`, as the arc table did before the shortcuts.
    private func assertMatchesPairByPair(_ market: Market, keepLimit: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let index = try MarketIndex(market)
        let arcs = ArcTable(index: index, threads: 2, keepLimit: keepLimit)
        let checker = arcs.checker
        let coster = ArcCoster(index: index)
        for c in 0..<index.childCount {
            let profile = checker.profile(c)
            var counts = RuleCounts()
            var all: [Arc] = []
            for p in 0..<index.placementCount {
                let d = checker.boundedDistanceKm(profile, placement: p)
                let m = checker.mask(profile, placement: p, distanceKm: d)
                if m.rawValue == 0 {
                    all.append(Arc(placement: Int32(p), cost: coster.cost(child: c, placement: p, distanceKm: d,
                                                                          separated: index.groupOf[c] >= 0)))
                } else {
                    counts.add(m)
                }
            }
            all.sort(by: ArcTable.cheaperFirst)
            XCTAssertEqual(arcs.ruleCounts[c], counts, "rule counts of child \(c)", file: file, line: line)
            XCTAssertEqual(arcs.eligibleCount[c], all.count, "eligible count of child \(c)", file: file, line: line)
            XCTAssertEqual(arcs.childArcs[c], Array(all.prefix(keepLimit)), "kept arcs of child \(c)", file: file, line: line)
            XCTAssertEqual(arcs.childComplete[c], all.count <= keepLimit, file: file, line: line)
            XCTAssertEqual(arcs.allArcs(child: c), all, "all arcs of child \(c)", file: file, line: line)
            // The arcs below a cost and their count (the plan report's ranks), at costs around the
            // kept ones and beyond, the bounds' pruning included.
            let bounds = [0.0, all.first?.cost ?? 1, all[safe: keepLimit / 2]?.cost ?? 2, all[safe: keepLimit]?.cost ?? 3,
                          all[safe: 3 * keepLimit]?.cost ?? 4, all.last.map { $0.cost + 1e-9 } ?? 5, .infinity]
            for bound in bounds {
                let below = all.filter { $0.cost < bound }
                XCTAssertEqual(arcs.arcs(child: c, below: bound), below, "arcs of child \(c) below \(bound)", file: file, line: line)
                XCTAssertEqual(arcs.countArcs(child: c, below: bound), below.count, "count of child \(c) below \(bound)", file: file, line: line)
                if index.groupOf[c] >= 0 {
                    // A sibling placed with its group: its unseparated costs.
                    var together = 0
                    for a in all where coster.cost(child: c, placement: Int(a.placement),
                                                   distanceKm: checker.distanceKm(child: c, placement: Int(a.placement)), separated: false) < bound {
                        together += 1
                    }
                    XCTAssertEqual(arcs.countArcs(child: c, below: bound, separated: false), together,
                                   "unseparated count of child \(c) below \(bound)", file: file, line: line)
                }
            }
        }
        for g in index.groups.indices where arcs.groupCanBeTogether[g] {
            let members = index.groups[g]
            var all: [Arc] = []
            placements: for p in 0..<index.placementCount where index.placementCapacity[p] >= members.count {
                var total = 0.0
                for c in members {
                    let d = checker.distanceKm(child: c, placement: p)
                    guard checker.mask(checker.profile(c), placement: p, distanceKm: d).rawValue == 0 else { continue placements }
                    total += coster.cost(child: c, placement: p, distanceKm: d, separated: false)
                }
                all.append(Arc(placement: Int32(p), cost: total))
            }
            all.sort(by: ArcTable.cheaperFirst)
            XCTAssertEqual(arcs.groupArcs[g], Array(all.prefix(keepLimit)), "kept arcs of group \(g)", file: file, line: line)
            XCTAssertEqual(arcs.allArcs(group: g), all, "all arcs of group \(g)", file: file, line: line)
        }
    }

    func testGeneratedMarketMatchesPairByPair() throws {
        try assertMatchesPairByPair(GeneratorFixture.generate(.init(seed: 2, children: 300)), keepLimit: 16)
    }

    func testStrictPolicyMatchesPairByPair() throws {
        var market = try GeneratorFixture.generate(.init(seed: 5, children: 200))
        market.policy.allowCrossRcc = false
        market.policy.excludeInadequate = true
        market.policy.maxDistanceKm = 40
        try assertMatchesPairByPair(market, keepLimit: 4)
    }

    func testRegionalMarketMatchesPairByPair() throws {
        try assertMatchesPairByPair(GeneratorFixture.generate(.init(seed: 1, children: 150, region: "North East")), keepLimit: 256)
    }
}

private extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
