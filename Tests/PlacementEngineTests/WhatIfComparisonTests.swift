// The comparison: solved with the engine on the demo and generated markets, checked against what
// must hold whatever the market (more capacity never costs more, closing an unused home changes
// nothing, forbidding cross-RCC placements never adds any) and for its own consistency.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementWhatIf

final class WhatIfComparisonTests: XCTestCase {
    func compare(_ market: Market, _ scenario: Scenario, threads: Int = 2) throws -> WhatIfComparison {
        try WhatIf.compare(market, scenario: scenario, geography: WhatIfFixture.geography,
                           options: WhatIfFixture.options(threads: threads))
    }

    func testAddingCapacityNeverMakesTheObjectiveWorse() throws {
        let cases: [(Market, [ScenarioChange.Kind])] = [
            (WhatIfFixture.demo, [.add(type: .foster, area: "North West", places: 4)]),
            (WhatIfFixture.demo, [.add(type: .residential, area: "E08000012", places: 3),
                                  .add(type: .foster, area: "E08000035", places: 2)]),
            (WhatIfFixture.demo, [.add(type: .supported, area: "Yorkshire and The Humber", places: 6)]),
            (WhatIfFixture.northEast, [.add(type: .foster, area: "North East", places: 20)]),
            (WhatIfFixture.northEast, [.add(type: .residential, area: "North East", places: 8)]),
            (WhatIfFixture.northEast, [.scale(type: .foster, area: "North East", factor: 1.5)]),
        ]
        var improved = 0
        for (k, c) in cases.enumerated() {
            for seed: UInt64 in [1, 2, 3] {
                let s = Scenario(name: "case \(k)", seed: seed, changes: c.1.map { ScenarioChange($0) })
                let r = try compare(c.0, s)
                XCTAssertEqual(r.outcome.status, .optimal)
                XCTAssertLessThanOrEqual(r.outcome.objective, r.baseline.objective + WhatIfFixture.tolerance(r.baseline.objective),
                                         "case \(k) seed \(seed)")
                XCTAssertGreaterThan(r.outcome.places, r.baseline.places)
                if r.outcome.objective < r.baseline.objective - WhatIfFixture.tolerance(r.baseline.objective) { improved += 1 }
            }
        }
        // Not vacuous: some of these scenarios do help.
        XCTAssertGreaterThan(improved, 0)
    }

    func testClosingAHomeNobodyWasMatchedToChangesNothing() throws {
        for market in [WhatIfFixture.demo, WhatIfFixture.northEast] {
            let base = try NightlyBatch.run(market, options: WhatIfFixture.options())
            let used = Set(base.report.matches.map { market.placements[$0.placement].id })
            // Unused homes, preferring those some child could have used (eligible arcs exist).
            let eligibleSomewhere = Set(base.arcs.childArcs.flatMap { $0.map { market.placements[Int($0.placement)].id } })
            let unused = market.placements.map(\.id).filter { !used.contains($0) }
            let candidates = unused.filter { eligibleSomewhere.contains($0) }.prefix(3) + unused.prefix(1)
            XCTAssertFalse(candidates.isEmpty)
            for id in candidates {
                let r = try compare(market, WhatIfFixture.scenario(.close(placementId: id)))
                XCTAssertEqual(r.outcome.objective, r.baseline.objective, accuracy: WhatIfFixture.tolerance(r.baseline.objective), id)
                XCTAssertEqual(r.changed.map(\.childId), [], "closing unused \(id) moved children")
                XCTAssertEqual(r.outcome.placements, r.baseline.placements - 1)
                for g in r.groups { XCTAssertEqual(g.baseline, g.scenario, "\(id): \(g.name)") }
            }
        }
    }

    func testClosingAUsedHomeMovesItsChildren() throws {
        let market = WhatIfFixture.demo
        let base = try NightlyBatch.run(market, options: WhatIfFixture.options())
        let m = try XCTUnwrap(base.report.matches.first { market.placements[$0.placement].type == .foster })
        let id = market.placements[m.placement].id
        let r = try compare(market, WhatIfFixture.scenario(.close(placementId: id)))
        let child = market.children[m.child].id
        let row = try XCTUnwrap(r.changed.first { $0.childId == child })
        XCTAssertEqual(row.baseline.proposal?.placementId, id)
        XCTAssertNotEqual(row.scenario.proposal?.placementId, id)
        XCTAssertGreaterThanOrEqual(r.outcome.objective, r.baseline.objective - WhatIfFixture.tolerance(r.baseline.objective))
    }

    func testForbiddingCrossRCCPlacementsNeverAddsAny() throws {
        for market in [WhatIfFixture.demo, WhatIfFixture.northEast] {
            let r = try compare(market, WhatIfFixture.scenario(.set(key: "allow_cross_rcc", value: .boolean(false))))
            let total = try XCTUnwrap(r.groups.first { $0.scope == .total })
            XCTAssertLessThanOrEqual(total.scenario.crossRcc, total.baseline.crossRcc)
            // Only kinship may still cross (rule O excepts it).
            let nonKinship = r.groups.filter { $0.scope == .type && $0.name != "kinship" }.reduce(0) { $0 + $1.scenario.crossRcc }
            XCTAssertEqual(nonKinship, 0)
            XCTAssertGreaterThanOrEqual(r.outcome.objective, r.baseline.objective - WhatIfFixture.tolerance(r.baseline.objective))
        }
        // Not vacuous: the demo has a cross-RCC placement (C01, Sheffield to Derbyshire) that must go.
        let r = try compare(WhatIfFixture.demo, WhatIfFixture.scenario(.set(key: "allow_cross_rcc", value: .boolean(false))))
        XCTAssertEqual(r.groups.first { $0.scope == .total }?.baseline.crossRcc, 1)
        XCTAssertEqual(r.groups.first { $0.scope == .total }?.scenario.crossRcc, 0)
        XCTAssertTrue(r.changed.contains { $0.childId == "C01" })
    }

    func testFiguresAddUpAndMatchTheBatch() throws {
        let market = WhatIfFixture.northEast
        let s = WhatIfFixture.scenario(.add(type: .foster, area: "North East", places: 20),
                                       .close(placementId: market.placements[0].id))
        let r = try compare(market, s)
        let base = try NightlyBatch.run(market, options: WhatIfFixture.options())
        XCTAssertEqual(r.baseline.objective, base.solution.objective, accuracy: WhatIfFixture.tolerance(base.solution.objective))
        let total = try XCTUnwrap(r.groups.first)
        XCTAssertEqual(total.scope, .total)
        for side in [\ComparisonGroup.baseline, \ComparisonGroup.scenario] {
            let rccs = r.groups.filter { $0.scope == .rcc }.map { $0[keyPath: side] }
            let types = r.groups.filter { $0.scope == .type }.map { $0[keyPath: side] }
            XCTAssertEqual(rccs.reduce(0) { $0 + $1.placed }, total[keyPath: side].placed)
            XCTAssertEqual(types.reduce(0) { $0 + $1.placed }, total[keyPath: side].placed)
            XCTAssertEqual(rccs.reduce(0) { $0 + $1.unmatched! }, total[keyPath: side].unmatched!)
            XCTAssertEqual(types.reduce(0.0) { $0 + $1.totalWeeklyCost }, total[keyPath: side].totalWeeklyCost, accuracy: 1e-6)
            XCTAssertTrue(types.allSatisfy { $0.unmatched == nil })
        }
        XCTAssertEqual(total.baseline.placed, base.report.matches.count)
        XCTAssertEqual(total.baseline.totalWeeklyCost, base.report.perRCC.values.reduce(0) { $0 + $1.totalWeeklyCost }, accuracy: 1e-6)
        // Without a policy change, the changed children's cost changes make up the objective's change.
        let sum = r.changed.reduce(0.0) { $0 + $1.scenario.cost - $1.baseline.cost }
        XCTAssertEqual(sum, r.objectiveChange, accuracy: 1e-6 * max(1, abs(r.baseline.objective)))
        // Sorted by child id, and nobody listed whose proposal did not change.
        XCTAssertEqual(r.changed.map(\.childId), r.changed.map(\.childId).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        XCTAssertTrue(r.changed.allSatisfy { $0.baseline.proposal?.placementId != $0.scenario.proposal?.placementId })
    }

    func testTheComparisonIsTheSameWhateverTheThreads() throws {
        let market = WhatIfFixture.northEast
        let s = WhatIfFixture.scenario(.add(type: .foster, area: "North East", places: 12), seed: 5)
        let one = try compare(market, s, threads: 1)
        let four = try compare(market, s, threads: 4)
        XCTAssertEqual(WhatIfOutputs.diffCSV(one), WhatIfOutputs.diffCSV(four))
        XCTAssertEqual(WhatIfOutputs.changedCSV(one), WhatIfOutputs.changedCSV(four))
    }

    func testOutputFilesHaveTheirHeadersAndRows() throws {
        let r = try compare(WhatIfFixture.demo, WhatIfFixture.scenario(.set(key: "allow_cross_rcc", value: .boolean(false))))
        let diff = WhatIfOutputs.diffCSV(r).split(separator: "\n").map(String.init)
        XCTAssertEqual(diff.first, "scope,group,metric,baseline,scenario,change")
        XCTAssertTrue(diff.contains("total,total,cross_rcc,1,0,-1"), diff.joined(separator: "\n"))
        XCTAssertEqual(diff[1], "total,total,objective,\(Fixed.format(r.baseline.objective, decimals: 6)),\(Fixed.format(r.outcome.objective, decimals: 6)),\(Fixed.format(r.objectiveChange, decimals: 6))")
        let changed = WhatIfOutputs.changedCSV(r).split(separator: "\n").map(String.init)
        XCTAssertEqual(changed.count, r.changed.count + 1)
        XCTAssertTrue(changed.contains { $0.hasPrefix("C01,Yorkshire and The Humber,C-R2,residential,East Midlands,") }, changed.joined(separator: "\n"))
        let json = try JSONSerialization.jsonObject(with: BatchOutputs.json(WhatIfOutputs.diffJSON(r))) as? [String: Any]
        XCTAssertEqual(json?["changed_children"] as? Int, r.changed.count)
        XCTAssertEqual((json?["groups"] as? [[String: Any]])?.count, r.groups.count)
    }
}
