// report.html and the plain-English reasons behind it: the demo's page holds what a commissioner
// must see, its figures add up, and every sentence that claims a change would help is checked by
// making the change and asking the engine again.

import Foundation
import XCTest
@testable import PlacementEngine
import PlacementGenerator
@testable import PlacementReport

final class ReportTests: XCTestCase {
    func demoRun() throws -> BatchRun {
        let market = try MarketLoader.load(from: DemoFixture.folder)
        return try NightlyBatch.run(market)
    }

    func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func testDemoReportHoldsEverySectionTheLinesAndTheUnplacedChildren() throws {
        let run = try demoRun()
        let report = NightReport(run: run, inputHash: "test")
        let html = report.html()
        for id in ["glance", "map", "charts", "unplaced", "equity", "proposals", "policy", "map-svg",
                   "chart-distance", "chart-rcc", "chart-types", "chart-cost"] {
            XCTAssertTrue(html.contains("id=\"\(id)\""), "missing #\(id)")
        }
        XCTAssertEqual(occurrences("<line class=\"proposal ", in: html), 18)
        XCTAssertEqual(occurrences("<article class=\"unplaced-child\"", in: html), 2)
        XCTAssertEqual(report.placed, 18)
        XCTAssertEqual(report.unplaced, 2)
        // Self-contained: nothing is fetched from anywhere.
        for pattern in ["src=\"", "href=\"http", "url(http", "@import"] {
            XCTAssertFalse(html.contains(pattern), "the page refers outside itself: \(pattern)")
        }
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        // The same run gives the same page, byte for byte.
        XCTAssertEqual(html, NightReport(run: run, inputHash: "test").html())
    }

    func testDemoReasonsNameTheRulesAndTheExtraPlace() throws {
        let run = try demoRun()
        let report = NightReport(run: run, inputHash: "test")
        let d01 = try XCTUnwrap(report.unplacedChildren.first { $0.childId == "D01" })
        XCTAssertTrue(d01.why.hasPrefix("No home in tonight's market can take this child"))
        XCTAssertTrue(d01.ruleLines.contains { $0.contains("cannot meet the child's needs (British Sign Language)") }, "\(d01.ruleLines)")
        XCTAssertEqual(d01.nearMisses.count, 3)
        XCTAssertTrue(d01.nearMisses.allSatisfy { $0.contains("British Sign Language") })
        let d05 = try XCTUnwrap(report.unplacedChildren.first { $0.childId == "D05" })
        XCTAssertTrue(d05.why.contains("D-F1 full"), d05.why)
        XCTAssertTrue(d05.change?.hasPrefix("One more place at D-F1") ?? false, "\(d05.change ?? "none")")
        // Most urgent first.
        XCTAssertEqual(report.unplacedChildren.map(\.urgency), [.today, .after_5_days])
    }

    func testGroupFiguresAddUpToTheNight() throws {
        for entry in StressCorpus.quick.filter({ $0.children <= 60 }) {
            let run = try NightlyBatch.run(entry.generate())
            let r = NightReport(run: run, inputHash: "")
            for groups in [r.byRCC, r.byLA, r.byAge, r.bySex, r.byDisability] {
                XCTAssertEqual(groups.reduce(0) { $0 + $1.children }, r.children, entry.name)
                XCTAssertEqual(groups.reduce(0) { $0 + $1.placed }, r.placed, entry.name)
            }
            XCTAssertEqual(r.placed + r.unplaced, r.children)
            XCTAssertEqual(r.distanceBins.reduce(0) { $0 + Int($1.value) }, r.placed, entry.name)
            XCTAssertEqual(r.byType.reduce(0) { $0 + Int($1.value) }, r.placed, entry.name)
            XCTAssertEqual(r.weeklyCost, r.costByType.reduce(0) { $0 + $1.value }, accuracy: 1e-6)
        }
    }

    /// "It would be eligible if ...": make that one change and the pair is eligible.
    func testEveryNearMissBecomesEligibleWithItsChange() throws {
        var checked = [Rule: Int]()
        for entry in StressCorpus.quick.filter({ $0.children <= 120 }) + [] {
            let market = entry.generate()
            let run = try NightlyBatch.run(market)
            var occupants = [Int: [Int]]()
            for m in run.report.matches { occupants[m.placement, default: []].append(m.child) }
            for row in run.report.unmatched {
                let e = UnplacedExplanation(row: row, arcs: run.arcs, occupants: occupants, misses: 5)
                for miss in e.nearMisses {
                    guard let fixed = Self.apply(miss.rule, child: row.child, placement: miss.placement, to: market) else { continue }
                    let index = try MarketIndex(fixed)
                    let mask = EligibilityChecker(index: index).check(child: row.child, placement: miss.placement).mask
                    XCTAssertTrue(mask.isEmpty, "\(entry.name) child \(market.children[row.child].id) at \(market.placements[miss.placement].id): \(miss.rule) fixed, still breaks \(mask)")
                    checked[miss.rule, default: 0] += 1
                    XCTAssertNotNil(miss.change, "\(miss.rule): no change named")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked.values.reduce(0, +), 20, "too few near misses checked: \(checked)")
    }

    /// "One more place at X would make room": with it, the engine finds a cheaper plan.
    func testExtraPlaceGivesACheaperPlan() throws {
        var checked = 0
        for entry in StressCorpus.quick.filter({ $0.children <= 150 }) {
            let market = entry.generate()
            let run = try NightlyBatch.run(market)
            var occupants = [Int: [Int]]()
            for m in run.report.matches { occupants[m.placement, default: []].append(m.child) }
            for row in run.report.unmatched where row.reason == .outcompeted {
                let e = UnplacedExplanation(row: row, arcs: run.arcs, occupants: occupants)
                guard let extra = e.extraPlace else { continue }
                var bigger = market
                bigger.placements[extra.placement].capacity += 1
                let again = try NightlyBatch.run(bigger)
                XCTAssertLessThan(again.solution.objective, run.solution.objective - 1e-6,
                                  "\(entry.name): \(extra.sentence)")
                checked += 1
                if checked >= 12 { return }
            }
        }
        XCTAssertGreaterThan(checked, 0, "no extra place was claimed on the corpus")
    }

    /// The test's own reading of each "would be eligible if" (not the engine's code).
    static func apply(_ rule: Rule, child c: Int, placement p: Int, to market: Market) -> Market? {
        var m = market
        let ch = m.children[c]
        switch rule {
        case .type:
            if m.placements[p].type == .supported && ch.age < 16 { return nil }
            m.children[c].suitability[m.placements[p].type] = .suitable
        case .kinship: m.placements[p].forChildren.append(ch.id)
        case .ageSex:
            m.placements[p].ageMin = min(m.placements[p].ageMin, ch.age)
            m.placements[p].ageMax = max(m.placements[p].ageMax, ch.age)
            m.placements[p].sexes = .any
        case .needs: m.placements[p].needsMet = NeedSet(m.placements[p].needsMet.map { $0 } + ch.needs.map { $0 })
        case .risks:
            m.placements[p].risksManaged = RiskSet(m.placements[p].risksManaged.map { $0 } + ch.risks.map { $0 })
            if ch.risks.contains(.harm_to_animals) { m.placements[p].hasPets = false }
            if ch.risks.contains(.sexual_harm), m.placements[p].occupied > 0 {
                m.placements[p].residentAges = (m.placements[p].residentAges ?? Array(repeating: ch.age, count: m.placements[p].occupied))
                    .map { max($0, ch.age) }
            }
        case .pets: m.placements[p].hasPets = ch.pets == .must
        case .alongside: return nil
        case .distance: m.children[c].maxDistanceKm = EligibilityChecker(index: try! MarketIndex(market)).distanceKm(child: c, placement: p).rounded(.up)
        case .quality: m.policy.excludeInadequate = false
        case .excluded: m.exclusions.removeAll { $0.childId == ch.id && $0.placementId == m.placements[p].id }
        case .capacity: m.placements[p].capacity = 1
        case .outOfRegion: m.policy.allowCrossRcc = true
        }
        return m
    }
}
