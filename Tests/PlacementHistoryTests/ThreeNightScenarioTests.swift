// The three-night scenario of issue 13 with the demo market (the README's walkthrough, through the
// library): night 1 proposes; two declines and one accept; night 2 never re-proposes the declined
// pairings, leaves the accepted child out, keeps an outstanding proposal the plan would move for
// less than the threshold and moves one whose gain beats it, and the waiting children's unmatched
// cost has grown; night 3 after a lift proposes the lifted pairing again. Plus the decision rules.

import Foundation
import GRDB
import PlacementEngine
import PlacementHistory
import XCTest

enum Scenario {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func demo() throws -> Market { try MarketLoader.load(from: root.appendingPathComponent("fixtures/demo")) }

    /// One night: the history read and applied, the batch run and checked, the night recorded.
    @discardableResult
    static func night(_ store: HistoryStore, _ market: Market, change: (inout Market) -> Void = { _ in })
        throws -> (run: BatchRun, prepared: PreparedNight, night: Int) {
        let prepared = try store.prepare(market)
        var tonight = prepared.market
        change(&tonight)
        var options = MatchOptions()
        options.threads = 2
        let run = try NightlyBatch.run(tonight, options: options)
        let night = try store.record(run, prepared: prepared, inputHash: "sha256:test", marketName: "demo")
        return (run, prepared, night)
    }

    static func proposals(_ run: BatchRun) -> [String: String] {
        Dictionary(uniqueKeysWithValues: run.report.matches.map { (run.market.children[$0.child].id, run.market.placements[$0.placement].id) })
    }

    static func arcCost(_ run: BatchRun, _ child: String) -> Double? {
        run.report.matches.first { run.market.children[$0.child].id == child }?.cost.total
    }
}

final class ThreeNightScenarioTests: XCTestCase {
    var path: String!

    override func setUpWithError() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("three-nights-\(UUID().uuidString).sqlite").path
    }

    override func tearDownWithError() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private func unmatchedCost(_ store: HistoryStore, night: Int, child: String) throws -> Double? {
        let q = try DatabaseQueue(path: path)
        defer { try? q.close() }
        return try q.read { try Double.fetchOne($0, sql: "SELECT unmatched_cost FROM unplaced WHERE night_id = ? AND child_id = ?", arguments: [night, child]) }
    }

    func testThreeNights() throws {
        let store = try HistoryStore(path: path, create: true)
        let demo = try Scenario.demo()

        // Night 1: the v1 answer (nothing in the history yet).
        let n1 = try Scenario.night(store, demo)
        XCTAssertEqual(n1.night, 1)
        XCTAssertEqual(BatchOutputs.round6(n1.run.solution.objective), 7545.531343)
        let p1 = Scenario.proposals(n1.run)
        XCTAssertEqual(p1["C04"], "C-F4"); XCTAssertEqual(p1["B04"], "B-F4"); XCTAssertEqual(p1["D02"], "D-K1")
        XCTAssertEqual(p1["B05"], "B-F3"); XCTAssertEqual(p1["C01"], "C-R2")
        XCTAssertNil(p1["D01"]); XCTAssertNil(p1["D05"])

        // Two declines and one accept.
        try store.decide(DecisionRequest(childId: "C04", action: .decline, reason: "therapeutic place filled", by: "provider"))
        try store.decide(DecisionRequest(childId: "B04", action: .decline, placementId: "B-F4", by: "provider"))
        try store.decide(DecisionRequest(childId: "D02", action: .accept, by: "LA-WIR"))

        // Night 2, the same market.
        let n2 = try Scenario.night(store, demo)
        let p2 = Scenario.proposals(n2.run)
        // The declined pairings are never proposed again: exclusions, rule X.
        XCTAssertNotEqual(p2["C04"], "C-F4"); XCTAssertNotEqual(p2["B04"], "B-F4")
        XCTAssertEqual(n2.prepared.declinesApplied, 2)
        let c04 = n2.run.report.unmatched.first { n2.run.market.children[$0.child].id == "C04" }
        XCTAssertEqual(c04?.reason, .no_eligible_placement)
        XCTAssertTrue(c04?.detail.contains("excluded=1") ?? false)
        XCTAssertTrue(n2.run.market.exclusions.contains(Exclusion(childId: "C04", placementId: "C-F4", reason: "declined on night 1")))
        // The accepted child is placed: not in tonight's market, with a warning naming it.
        XCTAssertEqual(n2.prepared.placedLeftOut, ["D02"])
        XCTAssertFalse(n2.run.market.children.contains { $0.id == "D02" })
        XCTAssertTrue(n2.run.market.warnings.contains { $0.contains("D02") && $0.contains("was placed") })
        // B05 keeps its outstanding proposal: the plan without it is better, but by less than the
        // threshold (B04 would take B-F3 and B05 go to B-F5: a net gain of about 1.16 points).
        XCTAssertEqual(p2["B05"], "B-F3")
        var noThreshold = n2.prepared.market
        noThreshold.policy.reproposalThreshold = 0
        let v = try NightlyBatch.run(noThreshold)
        XCTAssertEqual(Scenario.proposals(v)["B05"], "B-F5", "without the threshold the plan would move B05")
        XCTAssertLessThan(v.solution.objective + 1e-6, n2.run.solution.objective)
        // C01's proposal moves (C-R2 -> C-F4, freed by C04's decline): a gain of 159.52 beats 50.
        XCTAssertEqual(p2["C01"], "C-F4")
        XCTAssertEqual(Scenario.arcCost(n2.run, "C01")!, 179.85 + 50, accuracy: 0.01)   // arc_cost includes the threshold
        XCTAssertEqual(Scenario.arcCost(n2.run, "B05")!, 89.12, accuracy: 0.01)          // kept: no adjustment
        // The waiting children's unmatched cost grew by waiting_penalty_per_night.
        XCTAssertEqual(try unmatchedCost(store, night: 1, child: "D01"), 3000)
        XCTAssertEqual(try unmatchedCost(store, night: 2, child: "D01"), 3100)
        XCTAssertEqual(try unmatchedCost(store, night: 1, child: "D05"), 2000)
        XCTAssertEqual(try unmatchedCost(store, night: 2, child: "D05"), 2100)

        // After night 2: B05's kept proposal is accepted, C04's decline lifted.
        try store.decide(DecisionRequest(childId: "B05", action: .accept))
        let lifted = try store.decide(DecisionRequest(childId: "C04", action: .lift, reason: "place reopened"))
        XCTAssertEqual(lifted.map(\.placementId), ["C-F4"])

        // Night 3: C04 is proposed at C-F4 again; C01, holding C-F4, moves back (C04 waiting two
        // nights would cost 3200 unplaced); B05 and D02 are left out.
        let n3 = try Scenario.night(store, demo)
        let p3 = Scenario.proposals(n3.run)
        XCTAssertEqual(p3["C04"], "C-F4")
        XCTAssertEqual(p3["C01"], "C-R2")
        XCTAssertEqual(Set(n3.prepared.placedLeftOut), ["D02", "B05"])
        XCTAssertEqual(try unmatchedCost(store, night: 3, child: "D01"), 3200)

        // Every night is whole, and the report and timelines say what happened.
        let report = try store.report()
        XCTAssertEqual(report.nights.map(\.night), [1, 2, 3])
        XCTAssertEqual(report.nights.map(\.children), [20, 19, 18])
        XCTAssertEqual(report.nights.map { $0.placed + $0.unplaced }, [20, 19, 18])
        XCTAssertEqual(report.trends.decisions, ["accept": 2, "decline": 2, "lift": 1])
        XCTAssertEqual(report.trends.children_placed, 2)
        XCTAssertEqual(report.trends.declines_in_force, 1)   // B04 by B-F4
        XCTAssertEqual(report.trends.waiting_longest.first?.child_id, "D01")
        XCTAssertEqual(report.trends.waiting_longest.first?.nights_waited, 3)
        let timeline = try store.timeline(child: "C04")
        XCTAssertEqual(timeline.events.map(\.event), ["proposed", "declined", "unplaced", "lifted", "proposed"])
        XCTAssertEqual(timeline.status, "waiting")
        XCTAssertEqual(timeline.outstanding_placement_id, "C-F4")
        XCTAssertTrue(timeline.text.contains("declined C-F4 by provider: \"therapeutic place filled\""), timeline.text)
        XCTAssertEqual(try store.timeline(child: "D02").status, "placed")
        XCTAssertEqual(try store.database.integrityCheck(), ["ok"])
    }

    func testDecisionRules() throws {
        let store = try HistoryStore(path: path, create: true)
        try Scenario.night(store, try Scenario.demo())
        func refused(_ r: DecisionRequest, _ words: String, line: UInt = #line) {
            do { try store.decide(r); XCTFail("accepted \(r)", line: line) } catch {
                XCTAssertEqual(error.kind, .input, line: line)
                XCTAssertTrue(error.description.contains(words), error.description, line: line)
            }
        }
        refused(DecisionRequest(childId: "A1", action: .accept), "did you mean A01?")
        refused(DecisionRequest(childId: "D01", action: .accept), "no outstanding proposal")
        refused(DecisionRequest(childId: "A01", action: .accept, placementId: "A-F1"), "is at A-K1")
        refused(DecisionRequest(childId: "A01", action: .lift), "no decline in force")
        try store.decide(DecisionRequest(childId: "A01", action: .decline))
        refused(DecisionRequest(childId: "A01", action: .accept), "already declined")
        try store.decide(DecisionRequest(childId: "A03", action: .accept))
        refused(DecisionRequest(childId: "A03", action: .decline), "already placed")
        // Withdrawing an acceptance: the child waits again, no proposal held.
        try store.decide(DecisionRequest(childId: "A03", action: .withdraw, reason: "placement did not go ahead"))
        var h = try store.nightHistory()
        XCTAssertTrue(h.placed.isEmpty)
        XCTAssertEqual(h.waiting["A03"], WaitingChild(nightsWaited: 1))
        XCTAssertEqual(h.waiting["A04"], WaitingChild(nightsWaited: 1, outstandingPlacementId: "A-F1", outstandingNight: 1))
        XCTAssertEqual(h.declined, [DeclinedPairing(childId: "A01", placementId: "A-K1", night: 1)])
        try store.decide(DecisionRequest(childId: "A01", action: .lift, placementId: "A-K1"))
        h = try store.nightHistory()
        XCTAssertEqual(h.declined, [])
        XCTAssertEqual(h.night, 2)
    }
}
