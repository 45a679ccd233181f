// Unmatched reasons that are true (issue 10): a child the solve left unplaced although a free
// eligible placement would take it for less than leaving it unmatched is `solve_stopped` when the
// plan is not proven (a time limit), never `outcompeted`; and the claim is checked by making the
// move: the plan with the child at the named placement passes the independent check and costs less.

import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class UnmatchedReasonTests: XCTestCase {
    private func arcs(_ market: Market) throws -> ArcTable {
        ArcTable(index: try MarketIndex(market), threads: 1)
    }

    func testAnUnprovenPlanNamesTheFreePlacesItLeftAndEachClaimIsTrue() throws {
        for seed: UInt64 in [1, 2, 3] {
            let market = StressCorpus.Entry(children: 40, seed: seed).generate()
            let arcs = try arcs(market)
            let empty = Plan(placement: [Int?](repeating: nil, count: market.children.count))
            let proven = PlanReport(plan: empty, arcs: arcs, threads: 1, decided: true)
            let stopped = PlanReport(plan: empty, arcs: arcs, threads: 1, decided: false)
            XCTAssertFalse(proven.unmatched.contains { $0.reason == .solve_stopped }, "a proven plan never says so")
            let claims = stopped.unmatched.filter { $0.reason == .solve_stopped }
            XCTAssertFalse(claims.isEmpty, "seed \(seed): an empty plan leaves cheap free places")
            let before = PlanVerifier.verify(empty, market: market, claimedObjective: stopped.objective)
            for row in claims {
                let id = try XCTUnwrap(row.holders.first?.split(separator: " ").first.map(String.init))
                let p = try XCTUnwrap(market.placements.firstIndex { $0.id == id }, id)
                var moved = empty
                moved.placement[row.child] = p
                let after = PlanVerifier.verify(moved, market: market, claimedObjective: PlanReport(plan: moved, arcs: arcs, threads: 1).objective)
                XCTAssertTrue(after.isValid, "seed \(seed): \(market.children[row.child].id) at \(id): \(after.problems)")
                XCTAssertLessThan(after.objective, before.objective, "seed \(seed): the move lowers the objective")
                XCTAssertTrue(row.detail.contains("the solve stopped before deciding"), row.detail)
            }
            // Children the empty plan leaves with no such place are outcompeted or have no option.
            XCTAssertEqual(stopped.unmatched.count, market.children.count)
        }
    }

    func testProvenOptimalPlansLeaveNoChildWithACheaperFreePlace() throws {
        // The reason's test made on optimal plans: none may pass it (placing the child would
        // lower the optimum), so `decided: false` changes nothing there.
        for entry in StressCorpus.quick.filter({ $0.children <= 80 }) {
            let market = entry.generate()
            var options = MatchOptions()
            options.threads = 1
            let run = try NightlyBatch.run(market, options: options)
            XCTAssertEqual(run.solution.status, .optimal, entry.name)
            let unproven = PlanReport(plan: run.solution.plan, arcs: run.arcs, threads: 1, decided: false)
            XCTAssertEqual(unproven.unmatched.map(\.reason), run.report.unmatched.map(\.reason), entry.name)
            XCTAssertFalse(unproven.unmatched.contains { $0.reason == .solve_stopped }, entry.name)
        }
    }
}
