// The stress generator: deterministic, valid input per the spec, shaped like a regional pool with every
// rule biting, and, on the markets small enough to enumerate, solved to the brute-force optimum.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class StressGeneratorTests: XCTestCase {
    static func market(_ children: Int, _ seed: UInt64) -> Market {
        StressGenerator(.init(children: children, seed: seed)).generate()
    }

    // MARK: Determinism

    func testSameSeedGivesTheSameMarketAndTheSameBytes() throws {
        for (n, seed) in [(8, UInt64(3)), (120, 7), (600, 11)] {
            let a = Self.market(n, seed), b = Self.market(n, seed)
            XCTAssertEqual(a.children, b.children, "\(n)/\(seed)")
            XCTAssertEqual(a.placements, b.placements, "\(n)/\(seed)")
            XCTAssertEqual(a.exclusions, b.exclusions, "\(n)/\(seed)")
            XCTAssertEqual(a.localAuthorities, b.localAuthorities, "\(n)/\(seed)")
            XCTAssertEqual(a.policy, b.policy, "\(n)/\(seed)")
            let ea = try MarketWriter.encode(a), eb = try MarketWriter.encode(b)
            XCTAssertEqual(ea.map(\.0), eb.map(\.0))
            for (x, y) in zip(ea, eb) { XCTAssertEqual(x.1, y.1, "\(x.0) differs for \(n)/\(seed)") }
        }
        // Written to disk by two generators built separately: the same files, byte for byte.
        let fa = GeneratorFixture.temporaryFolder("stress-a"), fb = GeneratorFixture.temporaryFolder("stress-b")
        defer { try? FileManager.default.removeItem(at: fa); try? FileManager.default.removeItem(at: fb) }
        try MarketWriter.write(StressGenerator(.init(children: 300, seed: 5)).generate(), to: fa)
        try MarketWriter.write(StressCorpus.Entry(children: 300, seed: 5).generate(), to: fb)
        let a = try GeneratorFixture.files(in: fa), b = try GeneratorFixture.files(in: fb)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
    }

    /// The corpus is named by (children, seed) alone, so its bytes must not drift: a change to the
    /// generator (or to how a platform formats numbers) that changes a market shows here. Update the
    /// pins only on purpose, and say so in the commit (benchmark figures on the corpus change with them).
    func testCorpusBytesArePinned() throws {
        func fingerprint(_ m: Market) throws -> String {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325   // FNV-1a over every file, names included
            for (name, bytes) in try MarketWriter.encode(m) {
                for b in Array(name.utf8) + (bytes ?? []) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            }
            return String(h, radix: 16)
        }
        XCTAssertEqual(try fingerprint(Self.market(8, 1)), "1c109f6f73f76e45")
        XCTAssertEqual(try fingerprint(Self.market(300, 1)), "fafd8365e03c3")
    }

    func testDifferentSeedsGiveDifferentMarkets() {
        let m1 = Self.market(200, 1), m2 = Self.market(200, 2)
        XCTAssertEqual(m1.children.count, 200)
        XCTAssertEqual(m2.children.count, 200)
        XCTAssertNotEqual(m1.children, m2.children)
        XCTAssertNotEqual(m1.placements, m2.placements)
        XCTAssertNotEqual(m1.children.map(\.location.lat).sorted(), m2.children.map(\.location.lat).sorted())
    }

    // MARK: Validity

    /// Written with MarketWriter and read back with MarketLoader: zero errors, zero warnings, and the
    /// same market back (so the generator never relies on anything the file cannot say).
    func testMarketsAreValidInputAndLoadBackUnchanged() throws {
        var cases: [(Int, UInt64)] = []
        for n in [1, 3, 5, 8, 20, 60, 150, 300] { for seed in UInt64(1)...6 { cases.append((n, seed)) } }
        cases.append((1_000, 1))
        cases += StressCorpus.quick.map { ($0.children, $0.seed) }
        for (n, seed) in cases {
            let where_ = "\(n) children, seed \(seed)"
            let market = Self.market(n, seed)
            let folder = GeneratorFixture.temporaryFolder("stress-valid")
            defer { try? FileManager.default.removeItem(at: folder) }
            try MarketWriter.write(market, to: folder)
            let loaded: Market
            do { loaded = try MarketLoader.load(from: folder) } catch {
                XCTFail("\(where_): \(error)"); continue
            }
            XCTAssertEqual(loaded.warnings, [], where_)
            XCTAssertEqual(loaded.children, market.children, where_)
            XCTAssertEqual(loaded.placements, market.placements, where_)
            XCTAssertEqual(loaded.exclusions, market.exclusions, where_)
            XCTAssertEqual(loaded.localAuthorities, market.localAuthorities, where_)
            XCTAssertEqual(loaded.policy, market.policy, where_)
            XCTAssertNoThrow(try MarketIndex(loaded), where_)
        }
    }

    // MARK: Shape

    func testShapeOfARegionalPool() throws {
        var features = Set<String>()
        var ratios: [Double] = []
        for seed in UInt64(1)...40 {
            for n in [8, 60, 250] {
                let m = Self.market(n, seed)
                let shape = StressGenerator(.init(children: n, seed: seed)).shape
                let where_ = "\(n)/\(seed)"
                XCTAssertEqual(m.children.count, n, where_)
                // Supply: the places add up to the drawn ratio (the last home stops at the target; a kinship
                // carer for a group may step over it).
                let places = m.placements.reduce(0) { $0 + $1.capacity }
                XCTAssertTrue(StressGenerator.supplyRange.contains(shape.supplyRatio), where_)
                if n <= StressGenerator.tinyChildren {
                    XCTAssertLessThanOrEqual(m.placements.count, StressGenerator.tinyMaxPlacements, where_)
                } else {
                    XCTAssertGreaterThanOrEqual(places, shape.targetPlaces, where_)
                    XCTAssertLessThanOrEqual(places, shape.targetPlaces + 4, where_)   // a kinship carer may overshoot by its group
                    ratios.append(Double(places) / Double(n))
                }
                // Geography: 3-8 LAs of the pool, in one RCC or spanning two.
                let laCodes = Set(m.children.map(\.laCode))
                XCTAssertLessThanOrEqual(laCodes.count, 8, where_)
                let rccOf = Dictionary(m.localAuthorities.map { ($0.code, $0.rcc) }, uniquingKeysWith: { a, _ in a })
                let rccs = Set((m.children.map(\.laCode) + m.placements.map(\.laCode)).compactMap { rccOf[$0] })
                features.insert("rccs_\(min(rccs.count, 3))")
                if m.localAuthorities != EnglandLocalAuthorities.all { features.insert("own_la_table") }
                // Children and homes.
                let groups = Dictionary(grouping: m.children.filter { $0.siblingGroup != nil }, by: { $0.siblingGroup! })
                for (_, members) in groups {
                    XCTAssertTrue((2...5).contains(members.count), where_)
                    features.insert("group_of_\(members.count)")
                    let ids = Set(members.map(\.id))
                    if members.contains(where: { !$0.notWith.filter(ids.contains).isEmpty }) { features.insert("not_with_in_group") }
                    if members.contains(where: { c in c.risks.contains(.sexual_harm) && members.contains { $0.age < c.age } }) {
                        features.insert("sexual_harm_with_younger_sibling")
                    }
                }
                for c in m.children {
                    if c.age < 16 { XCTAssertEqual(c.suitability.supported, .unsuitable, where_) }
                    if !c.notWith.isEmpty, c.notWith.contains(where: { o in m.children.first { $0.id == o }?.siblingGroup != c.siblingGroup || c.siblingGroup == nil }) {
                        features.insert("not_with_across")
                    }
                    for type in PlacementType.allCases where c.suitability[type] == .unsuitable { features.insert("unsuitable_\(type)") }
                    if c.alongside != .no_preference { features.insert(c.alongside.rawValue) }
                    if c.pets != .can { features.insert("pets_\(c.pets)") }
                    if c.maxDistanceKm != nil { features.insert("max_distance_km") }
                    if c.risks.contains(.harm_to_animals) { features.insert("harm_to_animals") }
                    if c.sex == .X { features.insert("sex_X") }
                }
                for p in m.placements {
                    features.insert("\(p.type)_capacity_\(p.capacity)")
                    features.insert("ofsted_\(p.ofsted)")
                    if p.occupied > 0 { features.insert(p.residentAges == nil ? "residents_unknown" : "residents_known") }
                    if p.type == .supported { XCTAssertGreaterThanOrEqual(p.ageMin, 16, where_) }
                    if p.type == .kinship {
                        if p.forChildren.contains(where: { groups[$0] != nil }) { features.insert("kinship_for_group") }
                        if p.forChildren.contains(where: { id in m.children.contains { $0.id == id } }) { features.insert("kinship_for_child") }
                    } else {
                        XCTAssertEqual(p.forChildren, [], where_)
                    }
                }
                if !m.exclusions.isEmpty { features.insert("exclusions") }
            }
        }
        let wanted: Set<String> = [
            "rccs_1", "rccs_2", "own_la_table", "group_of_2", "group_of_3", "group_of_4", "group_of_5",
            "not_with_in_group", "not_with_across", "sexual_harm_with_younger_sibling", "unsuitable_kinship",
            "unsuitable_foster", "unsuitable_residential", "unsuitable_supported", "solo", "older_only",
            "younger_only", "with_others", "pets_no", "pets_must", "max_distance_km", "harm_to_animals", "sex_X",
            "foster_capacity_1", "foster_capacity_4", "residential_capacity_2", "residential_capacity_4",
            "supported_capacity_1", "foster_capacity_0", "ofsted_inadequate", "ofsted_requires_improvement",
            "residents_known", "residents_unknown", "kinship_for_group", "kinship_for_child", "exclusions",
        ]
        XCTAssertEqual(wanted.subtracting(features), [])
        // Supply spans scarce to loose.
        XCTAssertLessThan(ratios.min()!, 0.75)
        XCTAssertGreaterThan(ratios.max()!, 1.35)
    }

    /// Across the quick corpus every one of the twelve rules excludes some pair, and each rule's
    /// share shows the markets are rule-dense (not just one pair somewhere).
    func testEveryRuleExcludesPairsAcrossTheCorpus() throws {
        var counts = RuleCounts()
        var pairs = 0
        for entry in StressCorpus.quick {
            let checker = EligibilityChecker(index: try MarketIndex(entry.generate()))
            for c in 0..<checker.index.childCount {
                for p in 0..<checker.index.placementCount {
                    counts.add(checker.check(child: c, placement: p).mask)
                    pairs += 1
                }
            }
        }
        for rule in Rule.allCases {
            XCTAssertGreaterThan(counts[rule], 0, "\(rule) never excludes a pair")
        }
        print("stress quick corpus: \(pairs) pairs; excluded by \(counts.detail)")
    }

    func testPolicyCoversTheValidRange() {
        var zero = Set<String>(), moved = Set<String>(), defaults = 0
        var noCross = 0, inadequateAllowed = 0
        for seed in UInt64(1)...300 {
            let p = StressGenerator.policy(seed: seed)
            if p == Policy() { defaults += 1 }
            if !p.allowCrossRcc { noCross += 1 }
            if !p.excludeInadequate { inadequateAllowed += 1 }
            // Valid per spec section 4: every value accepted by the loader's own setter.
            for (key, path) in Policy.keyPaths {
                var check = Policy()
                XCTAssertNil(check.set(key, to: p[keyPath: path]), "seed \(seed): \(key)")
                if case .number(let v) = p[keyPath: path] {
                    if v == 0 { zero.insert(key) }
                    if p[keyPath: path] != Policy()[keyPath: path] { moved.insert(key) }
                }
            }
        }
        // The history keys act only with a run database: the stress markets leave them at their defaults.
        let numeric = Set(Policy.keyPaths.map(\.key)).subtracting(["exclude_inadequate", "allow_cross_rcc"])
            .subtracting(Policy.historyKeys)
        XCTAssertEqual(numeric.subtracting(moved), [])
        XCTAssertEqual(numeric.subtracting(zero), ["max_distance_km", "risk_model.intercept"])
        XCTAssertGreaterThan(defaults, 20)
        XCTAssertGreaterThan(noCross, 20)
        XCTAssertGreaterThan(inadequateAllowed, 20)
    }

    func testCorpus() {
        let entries = StressCorpus.entries
        XCTAssertGreaterThanOrEqual(entries.count, 200)
        XCTAssertEqual(Set(entries).count, entries.count)
        XCTAssertEqual(entries.map(\.children).min(), 20)
        XCTAssertEqual(entries.map(\.children).max(), 5_000)
        XCTAssertGreaterThan(entries.filter { $0.children <= 300 }.count, entries.count / 2)
        XCTAssertTrue((15...30).contains(StressCorpus.quick.count))
        XCTAssertTrue(StressCorpus.quick.allSatisfy { $0.children <= 300 })
        XCTAssertTrue(Set(StressCorpus.quick).isSubset(of: Set(entries)))
        XCTAssertEqual(StressCorpus.quick.first?.name, "stress-20-s1")
    }
}

/// The engine against exhaustive enumeration on 700 stress markets of 3-8 children (at most 5
/// placements): the optimum within 1e-6, proven optimal, and a plan the verifier accepts.
final class StressGeneratorBruteForceTests: XCTestCase {
    static let seeds = UInt64(1)...UInt64(500)

    /// 3 to 8 children, cycling with the seed.
    static func size(_ seed: UInt64) -> Int { 3 + Int(seed % 6) }

    /// The markets: 500 as drawn, and 200 more at the loosest supply (more homes shared tonight,
    /// more groups that could be placed together).
    static let configurations: [StressGenerator.Configuration] =
        seeds.map { .init(children: size($0), seed: $0) }
        + (UInt64(501)...700).map { .init(children: size($0), seed: $0, supplyRatio: StressGenerator.supplyRange.upperBound) }

    func testEngineReachesTheBruteForceOptimum() throws {
        var options = MatchOptions()
        options.threads = 1
        var placedTogether = 0, unmatched = 0, placed = 0, split = 0, sharedHome = 0, outcompeted = 0
        let started = Date()
        for configuration in Self.configurations {
            let seed = configuration.seed
            let market = StressGenerator(configuration).generate()
            XCTAssertLessThanOrEqual(market.placements.count, StressGenerator.tinyMaxPlacements)
            let run: BatchRun
            do { run = try NightlyBatch.run(market, options: options) } catch {
                XCTFail("seed \(seed) (\(market.children.count) children): \(error)"); continue
            }
            let brute = BruteForce.solve(market)
            let tol = 1e-6 * max(1, abs(brute.objective))
            XCTAssertEqual(run.solution.objective, brute.objective, accuracy: tol, "seed \(seed): engine vs brute force")
            XCTAssertEqual(run.solution.status, .optimal, "seed \(seed)")
            XCTAssertLessThanOrEqual(run.solution.bestBound, brute.objective + tol, "seed \(seed): bound above the optimum")
            XCTAssertTrue(run.verification.isValid, "seed \(seed): \(run.verification.problems)")
            let independent = PlanVerifier.verify(run.solution.plan, market: market)
            XCTAssertTrue(independent.isValid, "seed \(seed): \(independent.problems)")
            XCTAssertEqual(independent.objective, brute.objective, accuracy: tol, "seed \(seed): verifier's cost of the engine's plan")
            placedTogether += run.report.placedTogetherGroups
            unmatched += run.report.unmatched.count
            placed += run.report.matches.count
            split += run.report.matches.filter { !$0.withSiblings && market.children[$0.child].siblingGroup != nil }.count
            let homes = run.solution.plan.placement.compactMap { $0 }
            if Set(homes).count < homes.count { sharedHome += 1 }
            outcompeted += run.report.unmatched.filter { $0.eligibleCount > 0 }.count
        }
        // The markets must exercise the hard cases, or this proves little.
        XCTAssertGreaterThan(placedTogether, 15)
        XCTAssertGreaterThan(split, 10)
        XCTAssertGreaterThan(unmatched, 100)
        XCTAssertGreaterThan(placed, 300)
        XCTAssertGreaterThan(sharedHome, 50)
        XCTAssertGreaterThan(outcompeted, 50)
        print("stress brute force: \(Self.configurations.count) markets, \(placed) placed, \(unmatched) unmatched "
            + "(\(outcompeted) outcompeted), \(placedTogether) groups together, \(split) split, "
            + "\(sharedHome) markets with a shared home, \(Date().timeIntervalSince(started)) s")
    }
}
