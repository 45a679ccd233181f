// Backend failures travel up as what they are (issue 10): with a backend that fails on purpose
// (FaultyBackend), the batch throws a solver failure naming the backend instead of answering, and
// a healthy solve says why it stopped.

import XCTest
@testable import PlacementEngine

final class SolverFailureTests: XCTestCase {
    private func run(_ market: Market, faults: FaultyBackend.Faults) -> BatchFailure? {
        var options = MatchOptions()
        options.threads = 1
        options.backend = FaultyBackend(faults: faults)
        do { _ = try NightlyBatch.run(market, options: options); return nil } catch { return error }
    }

    func testFailingIntegerProgramsAreASolverFailureOnEveryPath() throws {
        // A generated England market (loose: the compact stages alone) and a scarce stress market
        // whose pattern stage needs its program (it fails, the compact stages take over and fail).
        let loose = try GeneratorFixture.generate(.init(seed: 3, children: 200, region: "North West"))
        let scarce = StressCorpus.Entry(children: 120, seed: 2).generate()
        for (name, market) in [("england-200", loose), ("stress-120-s2", scarce)] {
            let failure = try XCTUnwrap(run(market, faults: .integerPrograms), "\(name) answered with no integer program")
            XCTAssertEqual(failure.kind, .solver, name)
            XCTAssertTrue(failure.description.contains("an injected failure of the integer program"), "\(name): \(failure)")
            XCTAssertTrue(failure.description.contains("failing on purpose"), "\(name): \(failure)")
        }
    }

    func testFailingLPsAreASolverFailure() throws {
        let failure = try XCTUnwrap(run(StressCorpus.Entry(children: 40, seed: 2).generate(), faults: .linearPrograms))
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
