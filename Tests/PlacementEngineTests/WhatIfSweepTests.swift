// The capacity sweep: every RCC x addable type, the same numbers and ranking run serially or
// concurrently, each variant's figures consistent with solving it on its own.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementWhatIf

final class WhatIfSweepTests: XCTestCase {
    func sweep(_ market: Market, threads: Int, places: Int = 5) throws -> CapacitySweep {
        var o = SweepOptions()
        o.threads = threads
        o.places = places
        return try WhatIf.sweep(market, geography: WhatIfFixture.geography, options: o)
    }

    func testTheSweepGivesTheSameRankingSeriallyOrConcurrently() throws {
        let market = WhatIfFixture.demo
        let serial = try sweep(market, threads: 1, places: 2)
        let concurrent = try sweep(market, threads: 4, places: 2)
        XCTAssertEqual(serial.rows.count, 3 * 3)   // 3 RCCs in the demo's LA table x foster, residential, supported
        XCTAssertEqual(WhatIfOutputs.sweepCSV(serial), WhatIfOutputs.sweepCSV(concurrent))
        func key(_ r: SweepRow) -> String { "\(r.rank) \(r.rcc) \(r.type) \(r.objective) \(r.kmSaved) \(r.riskAvoided) \(r.newPlacesUsed)" }
        XCTAssertEqual(serial.rows.map(key), concurrent.rows.map(key))
        XCTAssertEqual(serial.base.objective, concurrent.base.objective)
        // Not vacuous: some variant helps, and the one that helps most ranks first.
        XCTAssertGreaterThan(serial.rows[0].objectiveSaved, 1e-6)
        XCTAssertEqual(serial.rows[0].objectiveSavedPerPlace, serial.rows.map(\.objectiveSavedPerPlace).max())
    }

    func testEveryRCCAndAddableTypeIsTriedAndRankedInOrder() throws {
        let market = WhatIfFixture.northEast
        let s = try sweep(market, threads: 2)
        XCTAssertEqual(s.rccs.count, 9)   // the bundled LA table: England's 9 regions
        XCTAssertEqual(s.rows.count, 27)
        XCTAssertEqual(Set(s.rows.map { "\($0.rcc)/\($0.type)" }).count, 27)
        XCTAssertFalse(s.rows.contains { $0.type == .kinship })
        XCTAssertEqual(s.rows.map(\.rank), Array(1...27))
        for (a, b) in zip(s.rows, s.rows.dropFirst()) {
            XCTAssertGreaterThanOrEqual(a.objectiveSavedPerPlace, b.objectiveSavedPerPlace - 1e-6)
        }
        for r in s.rows {
            XCTAssertEqual(r.placesAdded, 5)
            XCTAssertEqual(r.status, .optimal)
            // More capacity never costs more.
            XCTAssertGreaterThanOrEqual(r.objectiveSaved, -WhatIfFixture.tolerance(s.base.objective), "\(r.rcc) \(r.type)")
        }
    }

    func testAVariantsFiguresMatchSolvingItAlone() throws {
        let market = WhatIfFixture.demo
        let s = try sweep(market, threads: 2, places: 2)
        let top = s.rows[0]
        let scenario = Scenario(name: "alone", seed: 1, changes: [ScenarioChange(.add(type: top.type, area: top.rcc, places: 2))])
        let c = try WhatIf.compare(market, scenario: scenario, geography: WhatIfFixture.geography, options: WhatIfFixture.options())
        XCTAssertEqual(c.outcome.objective, top.objective, accuracy: WhatIfFixture.tolerance(top.objective))
        XCTAssertEqual(c.baseline.objective, s.base.objective, accuracy: WhatIfFixture.tolerance(s.base.objective))
        XCTAssertEqual(c.outcome.placed - c.baseline.placed, top.childrenNewlyPlaced)
        let used = c.changed.filter { $0.scenario.proposal?.placementId.hasPrefix("WIF-") == true }.count
        XCTAssertEqual(used, top.newPlacesUsed)
    }
}
