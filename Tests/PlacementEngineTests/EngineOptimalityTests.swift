// The engine's optimum against exhaustive enumeration on seeded tiny markets that use every rule,
// and its answers against the independent verifier.

import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class EngineOptimalityTests: XCTestCase {
    func testOptimumMatchesBruteForceOnSeededTinyMarkets() throws {
        var placedTogether = 0, unmatched = 0, placed = 0
        for seed in UInt64(1)...300 {
            let market = TinyMarkets.make(seed: seed)
            let run = try NightlyBatch.run(market, options: options(threads: 1))
            let brute = BruteForce.solve(market)
            let tol = 1e-6 * max(1, abs(brute.objective))
            XCTAssertEqual(run.solution.objective, brute.objective, accuracy: tol, "seed \(seed): engine vs brute force")
            XCTAssertEqual(run.solution.status, .optimal, "seed \(seed)")
            XCTAssertLessThanOrEqual(run.solution.bestBound, brute.objective + tol, "seed \(seed): bound above the optimum")
            // The column-generation bound too: a strengthening row that cut off an integer plan would show here.
            XCTAssertLessThanOrEqual(run.solution.statistics.lpBound, brute.objective + tol, "seed \(seed): LP bound above the optimum")
            XCTAssertTrue(run.verification.isValid, "seed \(seed): \(run.verification.problems)")
            placedTogether += run.report.placedTogetherGroups
            unmatched += run.report.unmatched.count
            placed += run.report.matches.count
        }
        // The markets must exercise the interesting cases, or this test proves little.
        XCTAssertGreaterThan(placedTogether, 20)
        XCTAssertGreaterThan(unmatched, 50)
        XCTAssertGreaterThan(placed, 300)
    }

    func testSameAnswerWithOneOrTwoThreadsAndAcrossRuns() throws {
        for seed in UInt64(1)...40 {
            let market = TinyMarkets.make(seed: seed)
            let one = try NightlyBatch.run(market, options: options(threads: 1))
            let two = try NightlyBatch.run(market, options: options(threads: 2))
            let again = try NightlyBatch.run(market, options: options(threads: 2))
            XCTAssertEqual(BatchOutputs.matchesCSV(one), BatchOutputs.matchesCSV(two), "seed \(seed)")
            XCTAssertEqual(BatchOutputs.unmatchedCSV(one), BatchOutputs.unmatchedCSV(two), "seed \(seed)")
            XCTAssertEqual(BatchOutputs.matchesCSV(two), BatchOutputs.matchesCSV(again), "seed \(seed)")
        }
    }

    func testManyComponentsAtOnceGiveTheSameAnswerAsOneByOne() throws {
        // Glue many tiny markets into one: their children and placements never interact (far
        // apart, cross-RCC off), so the engine sees many independent components.
        var children: [Child] = [], placements: [Placement] = [], exclusions: [Exclusion] = []
        var las: [LocalAuthority] = []
        var separate = 0.0
        for seed in UInt64(1)...30 {
            var m = TinyMarkets.make(seed: seed)
            m.policy = Policy()
            let suffix = "_m\(seed)"
            let shift = Double(seed) * 10   // degrees of longitude: thousands of km apart
            func moved(_ p: GeoPoint) -> GeoPoint { GeoPoint(lat: p.lat, lon: p.lon + shift) }
            for la in m.localAuthorities {
                las.append(LocalAuthority(code: la.code + suffix, name: la.name, rcc: la.rcc + suffix, centroid: moved(la.centroid)))
            }
            for var c in m.children {
                c.id += suffix; c.laCode += suffix; c.location = moved(c.location)
                c.siblingGroup = c.siblingGroup.map { $0 + suffix }
                c.notWith = c.notWith.map { $0 + suffix }
                children.append(c)
            }
            for var p in m.placements {
                p.id += suffix; p.providerId += suffix; p.laCode += suffix; p.location = moved(p.location)
                p.forChildren = p.forChildren.map { $0 + suffix }
                placements.append(p)
            }
            for var e in m.exclusions { e.childId += suffix; e.placementId += suffix; exclusions.append(e) }
            separate += try NightlyBatch.run(m, options: options(threads: 1)).solution.objective
        }
        let glued = Market(localAuthorities: las, children: children, placements: placements, exclusions: exclusions)
        let serial = try NightlyBatch.run(glued, options: options(threads: 1))
        let concurrent = try NightlyBatch.run(glued, options: options(threads: 4))
        XCTAssertEqual(serial.solution.objective, separate, accuracy: 1e-6 * separate)
        XCTAssertEqual(BatchOutputs.matchesCSV(serial), BatchOutputs.matchesCSV(concurrent))
        XCTAssertEqual(BatchOutputs.unmatchedCSV(serial), BatchOutputs.unmatchedCSV(concurrent))
        XCTAssertGreaterThan(concurrent.solution.statistics.components, 10)
    }

    /// Column generation from the transportation core's candidates and basis (on by default from
    /// 8,000 children; here on every market): the same optimum, proven and verified, and the same
    /// plan on one thread or two, on tiny markets with every rule, England's markets and stress
    /// markets on the compact model.
    func testCandidatesFromTheTransportationCoreKeepTheOptimum() throws {
        var markets: [(String, Market)] = (UInt64(1)...60).map { ("tiny seed \($0)", TinyMarkets.make(seed: $0)) }
        markets += try [(1, 400), (2, 700)].map { ("England \($0.1) seed \($0.0)", try GeneratorFixture.generate(.init(seed: $0.0, children: $0.1))) }
        markets += [(60, 1), (120, 2)].map { ("stress-\($0.0)-s\($0.1)", StressCorpus.Entry(children: $0.0, seed: UInt64($0.1)).generate()) }
        for (name, market) in markets {
            var plain = options(threads: 1)
            plain.patterns = false
            var core = plain
            core.coreCandidatesChildren = 0
            let a = try NightlyBatch.run(market, options: plain)
            let b = try NightlyBatch.run(market, options: core)
            core.threads = 2
            let c = try NightlyBatch.run(market, options: core)
            XCTAssertEqual(b.solution.status, .optimal, name)
            XCTAssertEqual(b.solution.objective, a.solution.objective, accuracy: 1e-6 * max(1, abs(a.solution.objective)), name)
            XCTAssertTrue(b.verification.isValid, "\(name): \(b.verification.problems)")
            XCTAssertEqual(BatchOutputs.matchesCSV(b), BatchOutputs.matchesCSV(c), name)
        }
    }

    private func options(threads: Int) -> MatchOptions {
        var o = MatchOptions()
        o.threads = threads
        return o
    }
}
