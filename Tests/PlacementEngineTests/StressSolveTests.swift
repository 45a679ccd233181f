// The engine on competitive, rule-dense markets (issue 9): the shared stress markets at their
// independently proven optima, and the smaller markets of the stress corpus proven optimal,
// verified, the same with one or two threads, at the objective recorded for their seed.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class StressSolveTests: XCTestCase {
    private func options(threads: Int) -> MatchOptions {
        var o = MatchOptions()
        o.threads = threads
        return o
    }

    /// `../shared/stress` beside the repository (CI's clone has a copy of shared/ there).
    private static var sharedStress: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/stress")
    }

    /// The optima in the shared README's table: `| s1-300 | 300 | own | 77829.334951 | ...`.
    private static func sharedOptima() throws -> [String: Double] {
        let text = try String(contentsOf: sharedStress.appendingPathComponent("README.md"), encoding: .utf8)
        var optima: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 4, cells[0].hasPrefix("s"), let value = Double(cells[3]) { optima[cells[0]] = value }
        }
        return optima
    }

    /// The shared markets the engine proves within a test's time (s3-600, s4-600, s5-1000 and
    /// s6-2000 are measured by the benchmark's stress ladder instead; see benchmarks/RESULTS.md).
    func testSharedStressMarketsReachTheirProvenOptima() throws {
        guard FileManager.default.fileExists(atPath: Self.sharedStress.path) else {
            throw XCTSkip("no shared stress markets at \(Self.sharedStress.path)")
        }
        let optima = try Self.sharedOptima()
        XCTAssertEqual(optima.count, 6, "the README's table")
        for name in ["s1-300", "s2-300"] {
            let optimum = try XCTUnwrap(optima[name], name)
            let market = try MarketLoader.load(from: Self.sharedStress.appendingPathComponent(name))
            let run = try NightlyBatch.run(market, options: options(threads: 2))
            XCTAssertEqual(run.solution.status, .optimal, name)
            XCTAssertEqual(run.solution.objective, optimum, accuracy: 1e-6 * max(1, optimum), name)
        }
    }

    /// Proven optimal (and so recorded: a change to the model, the cuts or the search that loses
    /// the optimum, or a generator change, shows here) on 1 and 2 threads with identical plans.
    /// Recorded from the engine's proven optima on 2026-11-30 (40 and 100 children also matched
    /// HiGHS on the exported model).
    static let recorded: [String: Double] = [
        "stress-20-s1": 25033.874683, "stress-20-s2": 26857.652606,
        "stress-30-s1": 53694.286964, "stress-30-s2": 35395.472381,
        "stress-40-s1": 30685.647717, "stress-40-s2": 21353.441931,
        "stress-50-s1": 159688.567409, "stress-50-s2": 67596.426862,
        "stress-60-s1": 12895.615632, "stress-60-s2": 46080.431560,
        "stress-80-s1": 91692.472230, "stress-80-s2": 111328.471927,
        "stress-100-s1": 83519.459738, "stress-100-s2": 184021.056673,
        "stress-120-s1": 349176.355530, "stress-120-s2": 98502.955350,
        "stress-150-s1": 75728.005957, "stress-150-s2": 281870.806724,
    ]
    /// stress-250-s1's optimum, proven by HiGHS too (103 s, 1,575 nodes, 2026-11-30).
    static let stress250s1Optimum = 121480.697542

    /// When the pattern stage gives way to the compact stages, its plan and bound stand unless the
    /// compact stages do better. On stress-150-s2 (too many patterns to prove with) with every
    /// proof program cut to one node, the proof over options needs more and gives way; the answer
    /// is no worse than the compact stages' alone (before the dive's look-ahead the pattern
    /// stage's plan was better by 1.0; now both dives find the optimum), verified, its bound no
    /// lower.
    ///
    /// Without a node limit the pattern stage proves it, over options (measured 2026-11-30:
    /// 1,065 options). (stress-120-s1 served here until the placement-count cut let the pattern
    /// stage prove it.)
    func testPatternPlanAndBoundStandWhenTheCompactStagesTakeOver() throws {
        let entry = try XCTUnwrap(StressCorpus.quick.first { $0.name == "stress-150-s2" })
        let market = entry.generate()
        let optimum = try XCTUnwrap(Self.recorded[entry.name])
        var cut = options(threads: 1)
        cut.firstPlanNodes = 1
        cut.proofNodes = 1
        let log = RecordingLog()
        cut.logger = log.logger()
        let both = try NightlyBatch.run(market, options: cut)
        XCTAssertEqual(log.count(prefix: "patterns gave way"), 1, "the pattern stage no longer gives way here: choose another market")
        cut.patterns = false
        let compact = try NightlyBatch.run(market, options: cut)
        XCTAssertTrue(both.verification.isValid)
        XCTAssertLessThanOrEqual(both.solution.objective, compact.solution.objective + 1e-6 * abs(compact.solution.objective))
        XCTAssertGreaterThanOrEqual(both.solution.bestBound, compact.solution.bestBound - 1e-6)
        XCTAssertGreaterThanOrEqual(both.solution.objective, optimum - 1e-6 * optimum)
        XCTAssertLessThanOrEqual(both.solution.bestBound, optimum + 1e-6 * optimum)
    }

    /// stress-250-s1's pattern LP places 209.5 children where no plan places more than 209, and
    /// was 432.8 below the optimum (no answer in minutes: neither the patterns nor the compact
    /// model could close it by search). The placement-count cut (PatternSpace+PlacementCount.swift)
    /// closes it: proven on patterns, without giving way.
    func testPlacementCountCutClosesTheParityGap() throws {
        let entry = try XCTUnwrap(StressCorpus.quick.first { $0.name == "stress-250-s1" })
        var o = options(threads: 1)
        o.timeLimit = 60   // without the cut: no proof in minutes (then `time_limit`, and this fails)
        let log = RecordingLog()
        o.logger = log.logger()
        let run = try NightlyBatch.run(entry.generate(), options: o)
        let optimum = Self.stress250s1Optimum
        XCTAssertEqual(log.count(prefix: "patterns gave way"), 0)
        XCTAssertEqual(run.solution.status, .optimal)
        XCTAssertTrue(run.verification.isValid)
        XCTAssertEqual(run.solution.objective, optimum, accuracy: 1e-6 * optimum)
        XCTAssertEqual(run.report.matches.count, 209)
        XCTAssertLessThan(optimum - run.solution.statistics.lpBound, 10, "the pattern LP's bound with the count cut")
    }

    /// stress-200-s12's pattern LP was 1,260 below the optimum (64,704.33, proven by HiGHS in 9 s):
    /// one-place homes each take child a half and child b half while another home takes a and b
    /// together half. The subset-row cuts (PatternSpace+SubsetRows.swift) close it enough for the
    /// pattern stage to prove it (measured 2026-11-30: 0.8-1.2 s; no answer in minutes without).
    func testSubsetRowsLetThePatternStageProve() throws {
        let market = StressCorpus.Entry(children: 200, seed: 12).generate()
        var o = options(threads: 1)
        o.timeLimit = 60   // without the cuts: no proof in minutes (then `time_limit`, and this fails)
        let log = RecordingLog()
        o.logger = log.logger()
        let run = try NightlyBatch.run(market, options: o)
        XCTAssertEqual(log.count(prefix: "patterns gave way"), 0)
        XCTAssertEqual(run.solution.status, .optimal)
        XCTAssertTrue(run.verification.isValid)
        XCTAssertEqual(run.solution.objective, 64704.325431, accuracy: 1e-6 * 64704.325431)
    }

    /// stress-120-s2's pattern LP is 431 below its plan without the compact model's sibling rows
    /// across placements, 52 with the one it violates (PatternSpace): the pattern stage then
    /// proves it without giving way.
    func testSiblingRowsLetThePatternStageProve() throws {
        let entry = try XCTUnwrap(StressCorpus.quick.first { $0.name == "stress-120-s2" })
        var o = options(threads: 1)
        let log = RecordingLog()
        o.logger = log.logger()
        let run = try NightlyBatch.run(entry.generate(), options: o)
        let optimum = try XCTUnwrap(Self.recorded[entry.name])
        XCTAssertEqual(log.count(prefix: "patterns gave way"), 0)
        XCTAssertEqual(run.solution.status, .optimal)
        XCTAssertEqual(run.solution.objective, optimum, accuracy: 1e-6 * optimum)
        XCTAssertLessThan(optimum - run.solution.statistics.lpBound, 100, "the pattern LP's bound with the sibling rows")
    }

    func testSmallStressCorpusProvenOptimalDeterministicAndAsRecorded() throws {
        let entries = StressCorpus.quick.filter { $0.children <= 150 }
        XCTAssertEqual(entries.count, Self.recorded.count)
        for entry in entries {
            let market = entry.generate()
            let one = try NightlyBatch.run(market, options: options(threads: 1))
            let two = try NightlyBatch.run(market, options: options(threads: 2))
            XCTAssertEqual(one.solution.status, .optimal, entry.name)
            XCTAssertTrue(one.verification.isValid, entry.name)
            XCTAssertEqual(one.solution.plan, two.solution.plan, "\(entry.name): plans differ with 1 and 2 threads")
            XCTAssertEqual(one.solution.objective, two.solution.objective, entry.name)
            let recorded = try XCTUnwrap(Self.recorded[entry.name], entry.name)
            XCTAssertEqual(one.solution.objective, recorded, accuracy: 1e-6 * max(1, recorded), entry.name)
        }
    }

    /// Branch and price as the proof (BranchAndPrice.swift), run first wherever the dive's plan is
    /// not already proven by the LP bound: the same optima as recorded, proven and verified.
    func testBranchAndPriceProvesTheSmallCorpusAtTheRecordedOptima() throws {
        var nodes = 0, searched = 0
        for entry in StressCorpus.quick.filter({ $0.children <= 150 }) {
            var o = options(threads: 1)
            o.branchAndPriceFirst = true
            let run = try NightlyBatch.run(entry.generate(), options: o)
            XCTAssertEqual(run.solution.status, .optimal, entry.name)
            XCTAssertTrue(run.verification.isValid, entry.name)
            let recorded = try XCTUnwrap(Self.recorded[entry.name], entry.name)
            XCTAssertEqual(run.solution.objective, recorded, accuracy: 1e-6 * max(1, recorded), entry.name)
            nodes += run.solution.statistics.priceNodes
            if run.solution.statistics.priceNodes > 1 { searched += 1 }
        }
        // It must have branched on some of them, or this test proves little.
        XCTAssertGreaterThan(searched, 2, "markets where branch and price branched")
        XCTAssertGreaterThan(nodes, 10)
    }

    /// One large component's pricing and proof searches on both threads (`sharedPricingChildren`
    /// 0, so that the small corpus goes that way; branch and price first too, for its pricing):
    /// the same plans and answers as on one thread.
    func testSearchesOnBothThreadsGiveTheSamePlansAsOne() throws {
        var shared = 0
        for entry in StressCorpus.quick.filter({ $0.children >= 60 && $0.children <= 150 }) {
            let market = entry.generate()
            for priceFirst in [false, true] {
                var one = options(threads: 1)
                one.branchAndPriceFirst = priceFirst
                var two = options(threads: 2)
                two.branchAndPriceFirst = priceFirst
                two.sharedPricingChildren = 0
                let log = RecordingLog()
                two.logger = log.logger()
                let a = try NightlyBatch.run(market, options: one)
                let b = try NightlyBatch.run(market, options: two)
                XCTAssertEqual(a.solution.plan, b.solution.plan, "\(entry.name) (branch and price first: \(priceFirst))")
                XCTAssertEqual(a.solution.objective, b.solution.objective, entry.name)
                XCTAssertEqual(a.solution.bestBound, b.solution.bestBound, entry.name)
                XCTAssertEqual(a.solution.status, b.solution.status, entry.name)
                XCTAssertEqual(a.solution.statistics.priceNodes, b.solution.statistics.priceNodes, entry.name)
                if log.count(prefix: "patterns gave way") == 0 { shared += 1 }
            }
        }
        XCTAssertGreaterThan(shared, 4, "markets solved on patterns")
    }
}
