// The engine's side of the run history (issue 13, Market/NightHistory.swift): without history, or
// with an empty one, the v1 answer byte for byte; with one, the cost adjustments (nights waited,
// the reproposal threshold) and the declines as exclusions, checked against the independent
// verifier and against brute force on seeded tiny markets.

import Foundation
import PlacementGenerator
import XCTest
@testable import PlacementEngine

final class NightHistoryTests: XCTestCase {
    private func run(_ market: Market) throws -> BatchRun {
        var options = MatchOptions()
        options.threads = 2
        return try NightlyBatch.run(market, options: options)
    }

    private func generatedMarkets() throws -> [Market] {
        [StressGenerator(.init(children: 40, seed: 3)).generate(),
         StressGenerator(.init(children: 60, seed: 11)).generate(),
         try MarketGenerator(.init(seed: 5, children: 120), england: GeneratorFixture.england).generate()]
    }

    /// A v1 market gives exactly the v1 answer with no history, an empty history, and a history
    /// about children who are not in the market: matches.csv, unmatched.csv and the objective,
    /// byte for byte.
    func testNoHistoryAndAnEmptyHistoryGiveTheV1AnswerByteForByte() throws {
        let demo = try MarketLoader.load(from: DemoFixture.folder)
        let unrelated = NightHistory(night: 4, waiting: ["NOBODY-1": WaitingChild(nightsWaited: 3, outstandingPlacementId: "NOWHERE")],
                                     declined: [DeclinedPairing(childId: "NOBODY-2", placementId: "NOWHERE", night: 2)],
                                     placed: [PlacedChild(childId: "NOBODY-3", placementId: "NOWHERE", night: 1)])
        for (k, market) in ([demo] + (try generatedMarkets())).enumerated() {
            let v1 = try run(market)
            if k == 0 { XCTAssertEqual(BatchOutputs.round6(v1.solution.objective), 7545.531343) }
            for history in [NightHistory(), unrelated] {
                let applied = history.apply(to: market)
                XCTAssertEqual(applied.children, market.children)
                XCTAssertEqual(applied.placements, market.placements)
                XCTAssertEqual(applied.exclusions, market.exclusions)
                XCTAssertEqual(applied.inputWarnings, market.inputWarnings)
                let withHistory = try run(applied)
                XCTAssertEqual(BatchOutputs.matchesCSV(withHistory), BatchOutputs.matchesCSV(v1), "market \(k)")
                XCTAssertEqual(BatchOutputs.unmatchedCSV(withHistory), BatchOutputs.unmatchedCSV(v1), "market \(k)")
                XCTAssertEqual(withHistory.solution.objective.bitPattern, v1.solution.objective.bitPattern, "market \(k)")
                XCTAssertEqual(withHistory.solution.bestBound.bitPattern, v1.solution.bestBound.bitPattern, "market \(k)")
                XCTAssertEqual(withHistory.report.objective.bitPattern, v1.report.objective.bitPattern, "market \(k)")
            }
        }
    }

    /// A history that changes nothing in costs (children waited 0 nights, no proposal held) is
    /// also the v1 answer, even with the policy's history keys far from their defaults.
    func testHistoryKeysActOnlyWithAHistory() throws {
        var market = try MarketLoader.load(from: DemoFixture.folder)
        let v1 = try run(market)
        market.policy.reproposalThreshold = 777
        market.policy.waitingPenaltyPerNight = 999
        let again = try run(market)
        XCTAssertEqual(BatchOutputs.matchesCSV(again), BatchOutputs.matchesCSV(v1))
        XCTAssertEqual(again.solution.objective.bitPattern, v1.solution.objective.bitPattern)
        let idle = NightHistory(night: 2, waiting: Dictionary(uniqueKeysWithValues: market.children.map { ($0.id, WaitingChild()) }))
        let withIdle = try run(idle.apply(to: market))
        XCTAssertEqual(BatchOutputs.matchesCSV(withIdle), BatchOutputs.matchesCSV(v1))
        XCTAssertEqual(withIdle.solution.objective.bitPattern, v1.solution.objective.bitPattern)
    }

    /// The adjustments, on the demo: waiting adds to the unmatched cost; an outstanding proposal
    /// makes every other option, unmatched included, dearer by the threshold and its own none.
    func testAdjustmentsAreWhereTheyBelong() throws {
        var market = try MarketLoader.load(from: DemoFixture.folder)
        market.policy.reproposalThreshold = 50
        market.policy.waitingPenaltyPerNight = 100
        let history = NightHistory(night: 3, waiting: [
            "D01": WaitingChild(nightsWaited: 2),
            "C01": WaitingChild(nightsWaited: 1, outstandingPlacementId: "C-R2", outstandingNight: 2),
            "A01": WaitingChild(nightsWaited: 1, outstandingPlacementId: "GONE", outstandingNight: 2),
        ])
        let base = try MarketIndex(market)
        let index = try MarketIndex(history.apply(to: market))
        let d01 = index.childIndex["D01"]!, c01 = index.childIndex["C01"]!, a01 = index.childIndex["A01"]!
        XCTAssertEqual(index.unmatchedCost(d01), base.unmatchedCost(d01) + 200)
        XCTAssertEqual(index.unmatchedCost(c01), base.unmatchedCost(c01) + 100 + 50)
        // A01's proposal is at a placement no longer listed: nothing held, only its night waited.
        XCTAssertEqual(index.unmatchedCost(a01), base.unmatchedCost(a01) + 100)
        let coster = ArcCoster(index: index)
        for p in 0..<index.placementCount {
            for c in [c01, a01, d01] {
                let before = base.costBreakdown(child: c, placement: p, separated: false)
                let after = index.costBreakdown(child: c, placement: p, separated: false)
                let expected = c == c01 && market.placements[p].id != "C-R2" ? 50.0 : 0
                XCTAssertEqual(after.historyAdjustment, expected)
                XCTAssertEqual(after.total, before.total + expected, accuracy: 1e-9)
                // The solver's hot path agrees with the outputs' breakdown, bit for bit.
                for separated in [false, true] {
                    let d = index.distanceKm(child: c, placement: p)
                    XCTAssertEqual(coster.cost(child: c, placement: p, distanceKm: d, separated: separated).bitPattern,
                                   index.costBreakdown(child: c, placement: p, separated: separated).total.bitPattern)
                }
            }
        }
    }

    /// Declines become exclusions (rule X, "declined on night N", counted under `excluded`); a
    /// placed child still listed is left out with a warning, and every row naming it follows.
    func testDeclinesAreExclusionsAndPlacedChildrenLeaveTheNight() throws {
        let market = try MarketLoader.load(from: DemoFixture.folder)
        let history = NightHistory(night: 2, waiting: [:],
                                   declined: [DeclinedPairing(childId: "C04", placementId: "C-F4", night: 1),
                                              DeclinedPairing(childId: "B05", placementId: "B-F4", night: 1)],   // already in exclusions.csv
                                   placed: [PlacedChild(childId: "B04", placementId: "B-F4", night: 1),
                                            PlacedChild(childId: "A01", placementId: "A-K1", night: 1)])
        let applied = history.apply(to: market)
        XCTAssertEqual(applied.children.count, market.children.count - 2)
        XCTAssertFalse(applied.children.contains { $0.id == "B04" || $0.id == "A01" })
        XCTAssertFalse(applied.children.contains { $0.notWith.contains("B04") })   // B05 listed not_with B04
        XCTAssertEqual(applied.placements.first { $0.id == "A-K1" }!.forChildren, ["GA"])
        XCTAssertEqual(applied.exclusions.filter { $0.childId == "C04" }, [Exclusion(childId: "C04", placementId: "C-F4", reason: "declined on night 1")])
        XCTAssertEqual(applied.exclusions.filter { $0.childId == "B05" }.count, 1)
        XCTAssertEqual(applied.inputWarnings.count, 2)
        XCTAssertTrue(applied.warnings.allSatisfy { $0.contains("was placed") && $0.contains("left out of tonight's match") })
        let run = try run(applied)
        let c04 = run.report.unmatched.first { run.market.children[$0.child].id == "C04" }!
        XCTAssertEqual(c04.reason, .no_eligible_placement)
        XCTAssertTrue(c04.detail.contains("excluded=1"), c04.detail)
        XCTAssertTrue(run.market.warnings.count == 2)
    }

    /// The verifier reads the history itself: a declined pairing proposed, a placed child in the
    /// plan, or a claimed objective without the adjustments are all rejected.
    func testTheVerifierChecksTheHistoryIndependently() throws {
        var market = try MarketLoader.load(from: DemoFixture.folder)
        let plain = try run(market)
        // The history set but not applied (no exclusions made): the v1 plan proposes C04 at C-F4.
        market.history = NightHistory(night: 2, waiting: ["C02": WaitingChild(nightsWaited: 1, outstandingPlacementId: "C-F3")],
                                      declined: [DeclinedPairing(childId: "C04", placementId: "C-F4", night: 1)],
                                      placed: [PlacedChild(childId: "D02", placementId: "D-K1", night: 1)])
        let check = PlanVerifier.verify(plain.solution.plan, market: market, claimedObjective: plain.solution.objective)
        XCTAssertTrue(check.problems.contains { $0.hasPrefix("declined: child C04 is proposed to placement C-F4") }, "\(check.problems)")
        XCTAssertTrue(check.problems.contains { $0.hasPrefix("placed: child D02") }, "\(check.problems)")
        // C02 is proposed at C-F4 while holding C-F3: 50 more, and the claimed v1 objective is wrong.
        XCTAssertTrue(check.problems.contains { $0.hasPrefix("objective:") }, "\(check.problems)")
        XCTAssertEqual(check.objective, plain.solution.objective + 50, accuracy: 1e-6)   // C02 is placed: no waiting cost
        let c02 = market.children.firstIndex { $0.id == "C02" }!
        XCTAssertEqual(check.childCosts[c02], plain.verification.childCosts[c02] + 50, accuracy: 1e-9)
    }

    /// Brute force against the engine with random histories on seeded tiny markets: the verifier
    /// (and so brute force) computes the adjustments on its own, so both must find the same optimum.
    func testEngineMatchesBruteForceWithRandomHistories() throws {
        var checked = 0, moved = 0
        for seed in UInt64(1)...150 {
            var market = TinyMarkets.make(seed: seed)
            var mix = seed &* 0x9E37_79B9_7F4A_7C15
            func draw(_ n: Int) -> Int { mix = mix &* 6364136223846793005 &+ 1442695040888963407; return Int((mix >> 33) % UInt64(n)) }
            market.policy.reproposalThreshold = [0, 10, 50, 400][draw(4)]
            market.policy.waitingPenaltyPerNight = [0, 100, 700][draw(3)]
            var waiting: [String: WaitingChild] = [:]
            var declined: [DeclinedPairing] = []
            for child in market.children {
                var w = WaitingChild(nightsWaited: draw(4))
                if draw(2) == 0 { w.outstandingPlacementId = market.placements[draw(market.placements.count)].id; w.outstandingNight = 1 }
                waiting[child.id] = w
                if draw(4) == 0 { declined.append(DeclinedPairing(childId: child.id, placementId: market.placements[draw(market.placements.count)].id, night: 1)) }
            }
            let applied = NightHistory(night: 2, waiting: waiting, declined: declined).apply(to: market)
            let engine = try run(applied)   // throws if the independent verifier disagrees
            let brute = BruteForce.solve(applied)
            XCTAssertEqual(engine.solution.objective, brute.objective, accuracy: 1e-6 * max(1, abs(brute.objective)), "seed \(seed)")
            let v1 = try run(market)
            if v1.solution.plan.placement != engine.solution.plan.placement { moved += 1 }
            checked += 1
        }
        XCTAssertEqual(checked, 150)
        XCTAssertGreaterThan(moved, 20, "the random histories should change many plans")
    }

    func testNegativeHistoryKeysAreInputErrors() {
        var p = Policy()
        XCTAssertEqual(p.set("reproposal_threshold", to: .number(-1)), "a number >= 0 for reproposal_threshold")
        XCTAssertEqual(p.set("waiting_penalty_per_night", to: .number(-0.5)), "a number >= 0 for waiting_penalty_per_night")
        XCTAssertNil(p.set("reproposal_threshold", to: .number(0)))
        XCTAssertEqual(Policy().reproposalThreshold, 50)
        XCTAssertEqual(Policy().waitingPenaltyPerNight, 100)
        XCTAssertEqual(Policy.historyKeys, Set(Policy.keyPaths.map(\.key).suffix(2)))
    }
}
