// Backend failures travel up as what they are (issue 10): with a backend that fails on purpose
// (ScriptedBackend), the batch throws a solver failure naming the backend instead of answering, and
// a healthy solve says why it stopped.

import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class SolverFailureTests: XCTestCase {
    private func run(_ market: Market, faults: ScriptedBackend.Script) -> BatchFailure? {
        var options = MatchOptions()
        options.threads = 1
        options.backend = ScriptedBackend(faults)
        do { _ = try NightlyBatch.run(market, options: options); return nil } catch { return error }
    }

    func testFailingIntegerProgramsAreASolverFailureOnEveryPath() throws {
        // A generated England market (loose: the compact stages alone) and a scarce stress market
        // whose pattern stage needs its program (it fails, the compact stages take over and fail).
        let loose = try GeneratorFixture.generate(.init(seed: 3, children: 200, region: "North West"))
        let scarce = StressCorpus.Entry(children: 120, seed: 2).generate()
        for (name, market) in [("england-200", loose), ("stress-120-s2", scarce)] {
            let failure = try XCTUnwrap(run(market, faults: .failingIntegerPrograms), "\(name) answered with no integer program")
            XCTAssertEqual(failure.kind, .solver, name)
            XCTAssertTrue(failure.description.contains("an injected failure of the integer program"), "\(name): \(failure)")
            XCTAssertTrue(failure.description.contains("scripted for tests"), "\(name): \(failure)")
        }
    }

    func testFailingLPsAreASolverFailure() throws {
        let failure = try XCTUnwrap(run(StressCorpus.Entry(children: 40, seed: 2).generate(), faults: .failingLinearPrograms))
        XCTAssertEqual(failure.kind, .solver)
        XCTAssertTrue(failure.description.contains("an LP relaxation failed: an injected LP failure"), "\(failure)")
    }

    func testAHealthySolveSaysWhyItStoppedAndWhichBackendRan() throws {
        var options = MatchOptions()
        options.threads = 1
        let run = try NightlyBatch.run(StressCorpus.Entry(children: 30, seed: 1).generate(), options: options)
        XCTAssertEqual(run.solution.status, .optimal)
        XCTAssertEqual(run.solution.stopReason, .optimal)
        XCTAssertNil(run.solution.failure)
        XCTAssertEqual(run.solution.statistics.backend, GLPKBackend().name)
        // The statistics are the solve's own (summary.json's solver section): its program's size
        // and no negative seconds (the pattern stage once counted its first pricing twice).
        let st = run.solution.statistics
        XCTAssertGreaterThan(st.columns, 0)
        XCTAssertGreaterThan(st.rows, 0)
        XCTAssertGreaterThanOrEqual(st.nonZeros, st.columns)
        XCTAssertGreaterThan(st.components, 0)
        for seconds in [st.lpSeconds, st.pricingSeconds, st.mipSeconds, st.firstPlanSeconds] { XCTAssertGreaterThanOrEqual(seconds, 0) }
    }
}

/// The stop reasons a caller's limits give, on real solves (GLPK): a time limit that leaves no
/// room, and a gap accepted up front.
final class StopReasonTests: XCTestCase {
    /// The solve's share of a limit covering the whole run: what is left after the stages before it,
    /// less a reserve for those after it, and never less than a twentieth of the limit.
    func testTheTimeLimitCoversTheWholeRun() throws {
        XCTAssertEqual(NightlyBatch.solveSeconds(limit: 60, elapsed: 11, children: 83_630), 60 - 11 - (0.05 + 1e-4 * 83_630), accuracy: 1e-9)
        XCTAssertEqual(NightlyBatch.solveSeconds(limit: 10, elapsed: 11, children: 83_630), 0.5, accuracy: 1e-12)
        XCTAssertEqual(NightlyBatch.solveSeconds(limit: 1, elapsed: 0.1, children: 20), 1 - 0.1 - 0.052, accuracy: 1e-12)
        XCTAssertEqual(NightlyBatch.solveSeconds(limit: 0.2, elapsed: 0, children: 10_000), 0.15, accuracy: 1e-12)
        // Measured with generous margins (debug builds are several times slower than release; the
        // figures themselves are in the benchmark): a market whose proof takes over 30 s unlimited
        // (stress 300 children, seed 10) ends near each limit, the clock started before the load.
        let market = StressCorpus.Entry(children: 300, seed: 10).generate()
        for limit in [0.5, 2.0] {
            var options = MatchOptions()
            options.timeLimit = limit
            let clock = StageClock()
            let run = try NightlyBatch.run(market, options: options, clock: clock)
            XCTAssertLessThan(clock.elapsed, limit + 5, "limit \(limit) s")
            XCTAssertTrue(run.verification.isValid)
            XCTAssertEqual(run.solution.status, .time_limit, "limit \(limit) s")
        }
    }

    func testATimeLimitThatLeavesNoRoomStopsTheSolveAndSaysSo() throws {
        let market = StressCorpus.Entry(children: 300, seed: 1).generate()
        var options = MatchOptions()
        options.threads = 1
        options.timeLimit = 1e-6
        let run = try NightlyBatch.run(market, options: options)
        XCTAssertTrue(run.verification.isValid, "a time-limited plan is still a valid plan")
        XCTAssertNil(run.solution.failure)
        XCTAssertEqual(run.solution.status, .time_limit)
        XCTAssertEqual(run.solution.stopReason, .time_limit)
        // Whatever the time left, the bound is never below the trivial one (each child at its
        // cheapest option or unmatched).
        let trivial = LagrangianBound.trivial(arcs: run.arcs, threads: 1)
        XCTAssertGreaterThanOrEqual(run.solution.bestBound, trivial - 1e-9)
        // Before it answers, a stopped solve places every child that has a free place it may
        // take for less than leaving it out (PrimalHeuristics.fillFreePlaces; measured before:
        // 56 of 157 unplaced here had one): none is left to be called `solve_stopped`.
        XCTAssertFalse(run.report.unmatched.isEmpty)
        let undecided = PlanReport(plan: run.solution.plan, arcs: run.arcs, threads: 1, decided: false)
        XCTAssertFalse(undecided.unmatched.contains { $0.reason == .solve_stopped })
    }

    func testNoAnswerClaimsLessThanTheTrivialBound() throws {
        // An early round's duals can prove far less than the trivial bound (16,000 children under a
        // time limit once reported -8.2 M with every cost >= 0): the answer takes the better.
        let market = StressCorpus.Entry(children: 40, seed: 1).generate()
        let arcs = ArcTable(index: try MarketIndex(market), threads: 1)
        let solver = MatchSolver(arcs: arcs)
        let state = MatchSolver.SolveState(index: arcs.index, timeLimit: nil)
        let nobody = [Int?](repeating: nil, count: market.children.count)
        let unplaced = PlanReport(plan: Plan(placement: nobody), arcs: arcs, threads: 1).objective
        let answer = solver.solution(nobody, objective: unplaced, bound: -8.2e6, state)
        let trivial = LagrangianBound.trivial(arcs: arcs, threads: 1)
        XCTAssertEqual(answer.bestBound, trivial, accuracy: 1e-9)
        XCTAssertGreaterThan(trivial, 0)
        XCTAssertLessThan(trivial, unplaced)
        // The trivial bound is every child at its cheapest option or unmatched, rules and capacities dropped.
        var expected = 0.0
        let index = arcs.index
        for c in 0..<index.childCount where index.groupOf[c] < 0 {
            expected += min(index.unmatchedCost(c), arcs.childArcs[c].first?.cost ?? .infinity)
        }
        for (g, members) in index.groups.enumerated() {
            let apart = members.reduce(0.0) { $0 + min(index.unmatchedCost($1), arcs.childArcs[$1].first?.cost ?? .infinity) }
            expected += min(apart, arcs.groupArcs[g].first?.cost ?? .infinity)
        }
        XCTAssertEqual(trivial, expected, accuracy: 1e-6 * expected)
    }

    func testAComponentTooLargeForTheSimplexGoesStraightToTheTransportCoresBound() throws {
        let market = StressCorpus.Entry(children: 120, seed: 2).generate()
        var options = MatchOptions()
        options.threads = 1
        let optimum = try NightlyBatch.run(market, options: options).solution.objective
        options.patterns = false
        options.timeLimit = 3600
        options.simplexChildrenLimit = 1
        let run = try NightlyBatch.run(market, options: options)
        XCTAssertTrue(run.verification.isValid)
        XCTAssertEqual(run.solution.statistics.pricingRounds, 0, "no LP was solved")
        XCTAssertEqual(run.solution.stopReason, .time_limit, "the time limit is why the LP was not tried")
        XCTAssertGreaterThanOrEqual(run.solution.bestBound, LagrangianBound.trivial(arcs: run.arcs, threads: 1))
        XCTAssertLessThanOrEqual(run.solution.bestBound, optimum * (1 + 1e-9))
        XCTAssertGreaterThanOrEqual(run.solution.objective, optimum * (1 - 1e-9))
        // (Measured: plan 0.02% above the optimum, bound 2.9% below it.)
        XCTAssertLessThan(run.solution.objective, optimum * 1.01)
        XCTAssertGreaterThan(run.solution.bestBound, optimum * 0.95)
    }

    func testAnAcceptedGapIsReachedNotProven() throws {
        // A gap of 50% is met by the first plan here, so the search stops there, short of the proof.
        let market = StressCorpus.Entry(children: 120, seed: 2).generate()
        var options = MatchOptions()
        options.threads = 1
        options.relativeGap = 0.5
        let run = try NightlyBatch.run(market, options: options)
        XCTAssertTrue(run.verification.isValid)
        XCTAssertEqual(run.solution.status, .feasible)   // (measured: gap 2.5e-4)
        XCTAssertEqual(run.solution.stopReason, .gap_reached)
        XCTAssertGreaterThan(run.solution.gap, 1e-6)
        XCTAssertLessThanOrEqual(run.solution.gap, 0.5)
    }
}
