// The pricing scan: the same additions with any number of threads, and a scan past its addition
// limit is given up (no bound), never silently truncated.

import XCTest
@testable import PlacementEngine

final class PricingTests: XCTestCase {
    func testAdditionLimitGivesUpTheScanInsteadOfTruncatingIt() throws {
        var limited = 0
        for seed in UInt64(1)...80 {
            let arcs = try TinyMarkets.arcs(seed: seed)
            let index = arcs.index
            // Each child's cheapest option only, as column generation starts.
            let first = (0..<index.childCount).compactMap { c in
                arcs.childArcs[c].first.map { MatchOption.own(child: c, placement: Int($0.placement), cost: $0.cost) }
            }
            guard !first.isEmpty else { continue }
            let mm = MatchingModel(index: index, options: first, children: Array(0..<index.childCount), name: "t")
            let lp = GLPKBackend().solveLP(mm.model)
            XCTAssertEqual(lp.status, .optimal)
            var pricing = Pricing(index: index)
            pricing.absorb(model: mm, lp: lp, index: index)
            let pool = Dictionary(uniqueKeysWithValues: first.map { ($0.key, $0) })
            let all = pricing.scan(arcs: arcs, pool: pool, threshold: 1e6, perChildLimit: Int.max, threads: 1)
            XCTAssertTrue(all.complete)
            let two = pricing.scan(arcs: arcs, pool: pool, threshold: 1e6, perChildLimit: Int.max, threads: 2)
            XCTAssertEqual(all.additions.map(\.key), two.additions.map(\.key), "seed \(seed)")
            XCTAssertEqual(all.negativeTerm, two.negativeTerm)
            let enough = pricing.scan(arcs: arcs, pool: pool, threshold: 1e6, perChildLimit: Int.max, additionLimit: all.additions.count)
            XCTAssertTrue(enough.complete)
            XCTAssertEqual(enough.additions.map(\.key), all.additions.map(\.key))
            guard all.additions.count >= 2 else { continue }
            let short = pricing.scan(arcs: arcs, pool: pool, threshold: 1e6, perChildLimit: Int.max, additionLimit: all.additions.count - 1)
            XCTAssertFalse(short.complete, "seed \(seed)")
            XCTAssertNil(short.negativeTerm)
            limited += 1
        }
        XCTAssertGreaterThan(limited, 20)
    }
}
