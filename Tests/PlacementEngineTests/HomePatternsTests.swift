// The pattern formulation (Solve/HomePatterns.swift, Solve/PatternSolve.swift) against brute force:
// a set of options is a pattern exactly when the compact model's rows accept it, the search finds
// exactly the patterns a full enumeration finds, and the pattern solve reaches the compact
// model's optimum.

import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class HomePatternsTests: XCTestCase {
    /// Each placement's options in a seeded stress market's whole program, as HomeOptions.
    private func homes(children: Int, seed: UInt64) throws -> (MarketIndex, MatchingModel, [HomeOptions]) {
        let (index, mm) = try StressModels.fullModel(children: children, seed: seed)
        var byPlacement: [Int: [MatchOption]] = [:]
        for o in mm.options { byPlacement[Int(o.placement), default: []].append(o) }
        let homes = byPlacement.keys.sorted().map { HomeOptions(placement: $0, options: byPlacement[$0]!, index: index) }
        return (index, mm, homes)
    }

    /// Every subset of `0..<n` with at most `size` members (none empty).
    private func subsets(_ n: Int, size: Int) -> [[Int]] {
        var out: [[Int]] = []
        var current: [Int] = []
        func walk(_ from: Int) {
            if !current.isEmpty { out.append(current) }
            guard current.count < size else { return }
            for k in from..<n { current.append(k); walk(k + 1); current.removeLast() }
        }
        walk(0)
        return out
    }

    func testAPatternIsExactlyASetTheCompactRowsAccept() throws {
        var checked = 0, patterns = 0
        for seed: UInt64 in 1...6 {
            let (index, mm, homes) = try homes(children: 40, seed: seed)
            var column: [UInt64: Int] = [:]
            for (j, o) in mm.options.enumerated() { column[o.key] = j }
            var rng = SeededRandom(seed: seed)
            for home in homes {
                let n = home.options.count
                // Every subset where that is small, else a seeded sample of them.
                let sets = n <= 12 ? subsets(n, size: max(1, home.capacity + 1))
                    : (0..<400).map { _ in
                        Array(Set((0..<Int.random(in: 1...max(1, home.capacity + 1), using: &rng)).map { _ in Int.random(in: 0..<n, using: &rng) })).sorted()
                    }
                for set in sets {
                    var x = [Bool](repeating: false, count: mm.options.count)
                    for k in set { x[column[home.options[k].key]!] = true }
                    let accepted = mm.model.violatedRow(x) == nil
                    XCTAssertEqual(home.isPattern(set, index: index), accepted,
                                   "seed \(seed) placement \(home.placement) set \(set.map { home.options[$0] })")
                    checked += 1
                    if accepted { patterns += 1 }
                }
            }
        }
        XCTAssertGreaterThan(checked, 5_000)
        XCTAssertGreaterThan(patterns, 500)
    }

    func testSearchFindsExactlyThePatternsBelowTheLimit() throws {
        var compared = 0
        for seed: UInt64 in 1...5 {
            let (index, _, homes) = try homes(children: 30, seed: seed)
            var rng = SeededRandom(seed: 100 + seed)
            for home in homes where home.options.count <= 14 {
                // Duals as column generation would have them: <= 0, some large.
                let y = (0..<index.childCount).map { _ in -Double.random(in: 0...2500, using: &rng) }
                let d = home.reducedCosts(y)
                let all = subsets(home.options.count, size: home.capacity)
                    .filter { home.isPattern($0, index: index) }
                    .map { (value: $0.reduce(0.0) { $0 + d[$1] }, set: $0) }
                guard let least = all.map(\.value).min() else { continue }
                let limit = min(0, least) + Double.random(in: 0...300, using: &rng)
                let expected = Set(all.filter { $0.value < limit - 1e-12 }.map(\.set))
                let found = home.search(d, below: limit, keep: nil, nodeBudget: 1_000_000, index: index)
                XCTAssertTrue(found.complete)
                XCTAssertEqual(Set(found.patterns.map(\.set)), expected, "seed \(seed) placement \(home.placement)")
                for p in found.patterns { XCTAssertEqual(p.value, p.set.reduce(0.0) { $0 + d[$1] }, accuracy: 1e-9) }
                // The best three kept are the three least values among the patterns of options
                // with negative values (pricing), the first of them the least of all.
                let best = home.search(d, below: 0, keep: 3, nodeBudget: 1_000_000, index: index)
                let under = all.filter { p in p.value < -1e-12 && p.set.allSatisfy { d[$0] < 0 } }.map(\.value).sorted()
                XCTAssertEqual(best.patterns.count, min(3, under.count), "seed \(seed) placement \(home.placement)")
                for (a, b) in zip(best.patterns.map(\.value), under) { XCTAssertEqual(a, b, accuracy: 1e-9) }
                if least < -1e-9 { XCTAssertEqual(best.patterns.first?.value ?? .nan, least, accuracy: 1e-9) }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 40)
    }

    /// With a penalty (the subset-row cuts' term: half the cut's rows a pattern covers, rounded
    /// down, times a dual), the search still finds exactly the patterns below the limit by their
    /// penalised values, and pricing's best is the least penalised pattern.
    func testSearchWithAPenaltyFindsExactlyThePatternsBelowTheLimit() throws {
        var compared = 0, penalised = 0
        for seed: UInt64 in 1...5 {
            let (index, _, homes) = try homes(children: 30, seed: seed)
            var rng = SeededRandom(seed: 200 + seed)
            for home in homes where home.options.count <= 14 && home.options.count >= 2 {
                let y = (0..<index.childCount).map { _ in -Double.random(in: 0...2500, using: &rng) }
                let d = home.reducedCosts(y)
                // Two or three cuts: some options' weights (rows covered), the placement's row in
                // it or not, a dual.
                var cuts: [(base: Int, covered: Set<Int>, dual: Double)] = []
                for _ in 0..<Int.random(in: 2...3, using: &rng) {
                    let base = Int.random(in: 0...1, using: &rng)
                    var covered = Set<Int>()
                    for j in 0..<home.options.count where Double.random(in: 0..<1, using: &rng) < 0.4 { covered.insert(j) }
                    cuts.append((base, covered, Double.random(in: 0...800, using: &rng)))
                }
                let penalty: ([Int]) -> Double = { set in
                    var v = 0.0
                    for cut in cuts {
                        let count = cut.base + set.filter { cut.covered.contains($0) }.count
                        v += Double(count / 2) * cut.dual
                    }
                    return v
                }
                let all = subsets(home.options.count, size: home.capacity)
                    .filter { home.isPattern($0, index: index) }
                    .map { (value: $0.reduce(0.0) { $0 + d[$1] } + penalty($0), set: $0) }
                guard let least = all.map(\.value).min() else { continue }
                let limit = min(0, least) + Double.random(in: 0...300, using: &rng)
                let expected = Set(all.filter { $0.value < limit - 1e-12 }.map(\.set))
                let found = home.search(d, penalty: penalty, below: limit, keep: nil, nodeBudget: 1_000_000, index: index)
                XCTAssertTrue(found.complete)
                XCTAssertEqual(Set(found.patterns.map(\.set)), expected, "seed \(seed) placement \(home.placement)")
                for p in found.patterns { XCTAssertEqual(p.value, p.set.reduce(0.0) { $0 + d[$1] } + penalty(p.set), accuracy: 1e-9) }
                let best = home.search(d, penalty: penalty, below: 0, keep: 1, nodeBudget: 1_000_000, index: index)
                if least < -1e-9 { XCTAssertEqual(best.patterns.first?.value ?? .nan, least, accuracy: 1e-9, "seed \(seed) placement \(home.placement)") }
                else { XCTAssertTrue(best.patterns.isEmpty) }
                if all.contains(where: { penalty($0.set) > 0 }) { penalised += 1 }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 40)
        XCTAssertGreaterThan(penalised, 20)
    }

    func testPatternSolveReachesTheCompactModelsOptimum() throws {
        for (children, seed) in [(20, UInt64(1)), (40, 2), (60, 3), (80, 4), (100, 5), (120, 6), (80, 7), (150, 8)] {
            let market = StressGenerator(.init(children: children, seed: seed)).generate()
            let index = try MarketIndex(market)
            let arcs = ArcTable(index: index, threads: 1)
            var patterns = MatchOptions(); patterns.threads = 1; patterns.patterns = true
            var compact = MatchOptions(); compact.threads = 1; compact.patterns = false
            let a = MatchSolver(arcs: arcs, options: patterns).solve()
            let b = MatchSolver(arcs: arcs, options: compact).solve()
            XCTAssertEqual(a.status, .optimal, "\(children)/\(seed)")
            XCTAssertEqual(b.status, .optimal, "\(children)/\(seed)")
            XCTAssertEqual(a.objective, b.objective, accuracy: 1e-6 * max(1, abs(b.objective)), "\(children)/\(seed)")
            let check = PlanVerifier.verify(a.plan, market: market, claimedObjective: a.objective)
            XCTAssertTrue(check.isValid, "\(children)/\(seed): \(check.problems)")
        }
    }
}
