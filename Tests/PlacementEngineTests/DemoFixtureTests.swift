// The bundled demo market (fixtures/demo) against its README: the clusters cannot interact, brute
// force on each cluster reproduces the README's plan (exactly) and objective (1e-6 relative), the
// whole expected plan verifies, and the demo exercises every rule. The market is read by a tiny
// test-only reader (`DemoFixture`) and, separately, by `MarketLoader`; the two must agree.

import Foundation
import XCTest
@testable import PlacementEngine

final class DemoFixtureTests: XCTestCase {
    struct ClusterRow { var letter: String; var children: Int; var placements: Int; var objective: Double }
    struct ChildRow { var child: String; var proposal: String?; var adds: Double; var eligible: Int }

    /// The README's summary and per-child tables, and its stated total.
    func readme() throws -> (clusters: [ClusterRow], children: [ChildRow], total: Double, stated: Double) {
        let text = try String(contentsOf: DemoFixture.folder.appendingPathComponent("README.md"), encoding: .utf8)
        var clusters: [ClusterRow] = [], children: [ChildRow] = []
        var total = Double.nan, stated = Double.nan
        for line in text.split(whereSeparator: \.isNewline).map(String.init) {
            if line.hasPrefix("**Expected optimal objective: ") {
                let digits = line.dropFirst("**Expected optimal objective: ".count).prefix { $0.isNumber || $0 == "." }
                stated = Double(digits.hasSuffix(".") ? digits.dropLast() : digits) ?? .nan
            }
            guard line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5 else { continue }
            if cells[0].count == 1, cells[0].first!.isUppercase, let n = Int(cells[2]), let m = Int(cells[3]), let z = Double(cells[4]) {
                clusters.append(ClusterRow(letter: cells[0], children: n, placements: m, objective: z))
            } else if cells[0] == "total", let z = Double(cells[4]) {
                total = z
            } else if cells[0].range(of: #"^[A-Z][0-9][0-9]$"#, options: .regularExpression) != nil,
                      let adds = Double(cells[2]), let eligible = Int(cells[3]) {
                children.append(ChildRow(child: cells[0], proposal: cells[1] == "unmatched" ? nil : cells[1],
                                         adds: adds, eligible: eligible))
            }
        }
        return (clusters, children, total, stated)
    }

    /// The sub-market of one cluster: its children and placements (ids start with its letter).
    func cluster(_ letter: String, of market: Market) -> Market {
        var sub = market
        sub.children = market.children.filter { $0.id.hasPrefix(letter) }
        sub.placements = market.placements.filter { $0.id.hasPrefix(letter) }
        return sub
    }

    func testDemoFilesAreWhatTheReadmeSays() throws {
        let market = try DemoFixture.parse()
        let table = try readme()
        XCTAssertEqual(market.children.count, 20)
        XCTAssertEqual(market.placements.count, 30)
        XCTAssertEqual(table.children.map(\.child), market.children.map(\.id))
        XCTAssertEqual(table.clusters.map(\.letter), ["A", "B", "C", "D"])
        for row in table.clusters {
            XCTAssertEqual(cluster(row.letter, of: market).children.count, row.children, row.letter)
            XCTAssertEqual(cluster(row.letter, of: market).placements.count, row.placements, row.letter)
        }
        XCTAssertEqual(table.clusters.map(\.children).reduce(0, +), market.children.count)
        XCTAssertEqual(table.clusters.map(\.placements).reduce(0, +), market.placements.count)
        XCTAssertEqual(table.clusters.map(\.objective).reduce(0, +), table.total, accuracy: 1e-5)
        XCTAssertEqual(table.stated, table.total)
        // lat/lon on every row; ids unique; three RCCs; real LA codes, names, regions and centroids.
        XCTAssertTrue(market.children.allSatisfy(\.locationGiven))
        XCTAssertTrue(market.placements.allSatisfy(\.locationGiven))
        XCTAssertEqual(Set(market.children.map(\.id)).count, 20)
        XCTAssertEqual(Set(market.placements.map(\.id)).count, 30)
        XCTAssertEqual(Set(market.localAuthorities.map(\.rcc)), ["North West", "Yorkshire and The Humber", "East Midlands"])
        let england = try String(contentsOf: DemoFixture.packageRoot.appendingPathComponent("fixtures/england/england_las.csv"), encoding: .utf8)
        let official = Dictionary(uniqueKeysWithValues: england.split(whereSeparator: \.isNewline).dropFirst().map { line -> (String, [String]) in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (cells[0], cells)
        })
        for la in market.localAuthorities {
            guard let row = official[la.code] else { XCTFail("\(la.code) is not an English LA code"); continue }
            XCTAssertEqual(row[2], la.name); XCTAssertEqual(row[3], la.rcc)
            XCTAssertEqual(Double(row[4])!, la.centroid.lat, accuracy: 1e-9); XCTAssertEqual(Double(row[5])!, la.centroid.lon, accuracy: 1e-9)
        }
        let codes = Set(market.localAuthorities.map(\.code))
        XCTAssertTrue(market.children.allSatisfy { codes.contains($0.laCode) })
        XCTAssertTrue(market.placements.allSatisfy { codes.contains($0.laCode) })
        XCTAssertEqual(market.policy.maxDistanceKm, 35)
        var expected = Policy(); expected.maxDistanceKm = 35
        XCTAssertEqual(market.policy, expected)
    }

    /// `MarketLoader` reads the demo exactly as the test-only reader does.
    func testMarketLoaderAgreesWithTheTinyReader() throws {
        let mine = try DemoFixture.parse()
        let loaded: Market
        do { loaded = try MarketLoader.load(from: DemoFixture.folder) } catch {
            return XCTFail("the demo does not load: \(error)")
        }
        XCTAssertEqual(loaded.warnings, [])
        XCTAssertEqual(loaded.children, mine.children)
        XCTAssertEqual(loaded.placements, mine.placements)
        XCTAssertEqual(loaded.policy, mine.policy)
        XCTAssertEqual(loaded.exclusions.map { [$0.childId, $0.placementId] }, mine.exclusions.map { [$0.childId, $0.placementId] })
        for la in mine.localAuthorities {
            XCTAssertEqual(loaded.localAuthorities.first { $0.code == la.code }?.rcc, la.rcc, la.code)
        }
    }

    /// No child is eligible for a placement of another cluster, and sibling groups and not_with pairs
    /// stay inside one: the clusters share nothing, so the optimum is the sum of theirs.
    func testClustersCannotInteract() throws {
        let market = try DemoFixture.parse()
        let checker = PlanVerifier.Prepared(market: market)
        var nearestOtherKm = Double.infinity
        for (i, c) in market.children.enumerated() {
            for (p, home) in market.placements.enumerated() where home.id.prefix(1) != c.id.prefix(1) {
                XCTAssertFalse(checker.isEligible(child: i, placement: p), "\(c.id) is eligible for \(home.id)")
                if home.type != .kinship {
                    nearestOtherKm = min(nearestOtherKm, PlanVerifier.haversineKm(c.location, home.location))
                }
            }
            for other in c.notWith { XCTAssertEqual(other.prefix(1), c.id.prefix(1)) }
            if let g = c.siblingGroup {
                XCTAssertTrue(market.children.filter { $0.siblingGroup == g }.allSatisfy { $0.id.prefix(1) == c.id.prefix(1) })
            }
        }
        // What the README says: at least 38 km between a child and another cluster's homes.
        XCTAssertGreaterThanOrEqual(nearestOtherKm, 38)
    }

    /// Brute force on each cluster reproduces the README: its objective (1e-6 relative), its plan
    /// (the only optimal one), each child's cost to the cent shown, and each eligible count.
    func testBruteForcePerClusterReproducesTheReadme() throws {
        let market = try DemoFixture.parse()
        let table = try readme()
        let expected = Dictionary(uniqueKeysWithValues: table.children.map { ($0.child, $0) })
        var total = 0.0
        for row in table.clusters {
            let sub = cluster(row.letter, of: market)
            let result = BruteForce.solve(sub)
            total += result.objective
            XCTAssertEqual(result.objective, row.objective, accuracy: 1e-6 * max(1, abs(row.objective)), "cluster \(row.letter)")
            XCTAssertEqual(result.optimalPlans.count, 1, "cluster \(row.letter) has tied optima")
            let costs = PlanVerifier.verify(result.plan, market: sub).childCosts
            let checker = PlanVerifier.Prepared(market: sub)
            for (i, c) in sub.children.enumerated() {
                guard let want = expected[c.id] else { XCTFail("\(c.id) missing from README"); continue }
                XCTAssertEqual(result.plan.placement[i].map { sub.placements[$0].id }, want.proposal, c.id)
                XCTAssertEqual(costs[i], want.adds, accuracy: 0.005 + 1e-9, c.id)
                XCTAssertEqual(sub.placements.indices.filter { checker.isEligible(child: i, placement: $0) }.count, want.eligible, c.id)
            }
        }
        XCTAssertEqual(total, table.total, accuracy: 1e-6 * max(1, abs(table.total)))
    }

    /// The README's whole plan is valid on the whole market and costs the stated total.
    func testExpectedPlanVerifiesOnTheWholeMarket() throws {
        let market = try DemoFixture.parse()
        let table = try readme()
        let byId = Dictionary(uniqueKeysWithValues: table.children.map { ($0.child, $0.proposal) })
        let plan = Plan(placement: market.children.map { c in
            byId[c.id]!.map { id in market.placements.firstIndex { $0.id == id }! }
        })
        let v = PlanVerifier.verify(plan, market: market, claimedObjective: table.total)
        XCTAssertTrue(v.isValid, "\(v.problems)")
        XCTAssertEqual(v.objective, table.stated, accuracy: 1e-6 * table.stated)
    }

    /// Every rule the brief asks the demo to show is there.
    func testDemoExercisesEveryRule() throws {
        let market = try DemoFixture.parse()
        let table = try readme()
        var rules = Set<String>()
        for c in market.children {
            for p in market.placements { rules.formUnion(PlanVerifier.brokenRules(child: c, placement: p, market: market)) }
        }
        // out_of_region cannot bite while allow_cross_rcc is true (the demo shows a cross-RCC placement instead).
        XCTAssertEqual(rules, ["type", "kinship", "age_sex", "needs", "risks", "pets", "alongside", "distance",
                               "quality", "excluded", "capacity"])
        let proposal = Dictionary(uniqueKeysWithValues: table.children.map { ($0.child, $0.proposal) })
        func child(_ id: String) -> Child { market.children.first { $0.id == id }! }
        func home(_ id: String) -> Placement { market.placements.first { $0.id == id }! }
        func rcc(_ la: String) -> String { market.localAuthorities.first { $0.code == la }!.rcc }
        XCTAssertTrue(market.children.contains { $0.alongside == .solo })
        XCTAssertTrue(market.children.contains { $0.alongside == .older_only })
        XCTAssertTrue(market.children.contains { $0.alongside == .younger_only })
        XCTAssertTrue(market.children.contains { $0.risks.contains(.sexual_harm) })
        XCTAssertTrue(market.children.contains { !$0.notWith.isEmpty })
        XCTAssertTrue(market.children.contains { $0.maxDistanceKm != nil })
        XCTAssertTrue(market.placements.contains { $0.occupied > 0 && $0.residentAges?.count == $0.occupied })
        XCTAssertTrue(market.placements.contains { $0.type == .kinship && $0.forChildren.contains("GA") })
        XCTAssertTrue(market.placements.contains { $0.type == .kinship && $0.forChildren.contains("D02") })
        // Outcomes: a group together (GA in A-K1), a group split (GB), a cross-RCC placement,
        // one unmatched child with no eligible placement and one outcompeted.
        XCTAssertEqual(proposal["A01"]!, "A-K1"); XCTAssertEqual(proposal["A02"]!, "A-K1")
        XCTAssertEqual(Set(["B01", "B02", "B03"].map { proposal[$0]! }).count, 2)
        let c01 = proposal["C01"]!!
        XCTAssertNotEqual(rcc(child("C01").laCode), rcc(home(c01).laCode))
        let unmatched = table.children.filter { $0.proposal == nil }
        XCTAssertEqual(unmatched.map(\.eligible).sorted(), [0, 1])
    }
}
