// Scenarios: the JSON file and the flags parse into the same changes; every problem is reported
// with where it was written and what was expected; applying a scenario adds, closes, scales and
// sets what it says, deterministically.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementWhatIf

final class WhatIfScenarioTests: XCTestCase {
    let fullExample = """
        {
          "name": "North West recruitment",
          "seed": 7,
          "changes": [
            {"add": {"type": "foster", "area": "North West", "places": 50}},
            {"close": "A-F1"},
            {"close_provider": "IFA-NORTH"},
            {"scale": {"type": "residential", "area": "Yorkshire and The Humber", "factor": 0.8}},
            {"set": {"allow_cross_rcc": false, "weights": {"w_cost": 2}}}
          ]
        }
        """

    // MARK: Parsing

    func testScenarioFileParsesEveryKindOfChangeInOrder() throws {
        let s = try Scenario.parse(json: Array(fullExample.utf8), file: "nw.json")
        XCTAssertEqual(s.name, "North West recruitment")
        XCTAssertEqual(s.seed, 7)
        XCTAssertEqual(s.changes.map(\.kind), [
            .add(type: .foster, area: "North West", places: 50),
            .close(placementId: "A-F1"),
            .closeProvider(providerId: "IFA-NORTH"),
            .scale(type: .residential, area: "Yorkshire and The Humber", factor: 0.8),
            .set(key: "allow_cross_rcc", value: .boolean(false)),
            .set(key: "weights.w_cost", value: .number(2)),
        ])
        XCTAssertEqual(s.changes[0].origin.path, "changes[0].add")
        XCTAssertEqual(s.changes[0].origin.fields["area"], TextPosition(line: 5, column: 40))
        XCTAssertEqual(s.changes.map(\.summary), [
            "add foster:North West:50", "close A-F1", "close-provider IFA-NORTH",
            "scale residential:Yorkshire and The Humber:0.8", "set allow_cross_rcc=false", "set weights.w_cost=2",
        ])
    }

    func testFlagsParseIntoTheSameChanges() throws {
        let flags = [("--add", "foster:North West:50"), ("--close", "A-F1"), ("--close-provider", "IFA-NORTH"),
                     ("--scale", "residential : Yorkshire and The Humber : 0.8"), ("--set", "allow_cross_rcc=false"),
                     ("--set", "weights.w_cost=2")]
        let parsed = try flags.map { try ScenarioChange.parse(flag: $0.0, $0.1).get().kind }
        let file = try Scenario.parse(json: Array(fullExample.utf8), file: "nw.json")
        XCTAssertEqual(parsed, file.changes.map(\.kind))
    }

    func testFlagProblemsSayWhatWasExpected() {
        func problem(_ flag: String, _ text: String) -> String? {
            if case .failure(let issue) = ScenarioChange.parse(flag: flag, text) { return issue.description }
            return nil
        }
        XCTAssertEqual(problem("--add", "foster:North West:-5"),
                       "command line: --add = \"foster:North West:-5\": expected TYPE:AREA:PLACES, e.g. foster:North West:50: PLACES must be a whole number from 1 to 100000, not \"-5\"")
        XCTAssertTrue(problem("--add", "kinship:London:2")?.contains("kinship carer is a connected person approved for named children") == true)
        XCTAssertTrue(problem("--add", "castle:London:2")?.contains("TYPE must be kinship, foster, residential or supported, not \"castle\"") == true)
        XCTAssertTrue(problem("--add", "foster:London")?.contains("expected TYPE:AREA:PLACES") == true)
        XCTAssertTrue(problem("--add", "foster:London:2.5")?.contains("PLACES must be a whole number") == true)
        XCTAssertTrue(problem("--scale", "residential:London:-0.5")?.contains("FACTOR must be a number from 0 to 100, not \"-0.5\"") == true)
        XCTAssertTrue(problem("--set", "weights.w_bogus=2")?.contains("expected a policy key (one of max_distance_km, weights.w_km") == true)
        XCTAssertTrue(problem("--set", "weights.w_cost=-1")?.contains("expected a number >= 0 for weights.w_cost") == true)
        XCTAssertTrue(problem("--set", "allow_cross_rcc=2")?.contains("expected true or false for allow_cross_rcc") == true)
        XCTAssertTrue(problem("--set", "allow_cross_rcc")?.contains("expected KEY=VALUE") == true)
        XCTAssertNil(problem("--set", "risk_model.intercept=-3"))
    }

    func testFileProblemsAreLocatedByLineColumnAndPath() {
        let json = """
            {
              "name": "bad",
              "changes": [
                {"add": {"type": "kinship", "area": "London", "places": 2}},
                {"add": {"type": "foster", "area": "London", "places": -3}},
                {"add": {"type": "castle", "area": "London", "places": "5"}},
                {"scale": {"type": "residential", "area": "London", "factor": -0.5}},
                {"close": 42},
                {"set": {"weights.w_bogus": 2, "allow_cross_rcc": "no"}},
                {"open": "P1"},
                {"add": {"type": "foster", "area": "London"}}
              ],
              "colour": "red"
            }
            """
        let issues = WhatIfFixture.parseIssues(json)
        let lines = issues.sorted(by: InputIssue.areInOrder).map(\.description)
        let expected = [
            "scenario.json:4:22: changes[0].add.type = \"kinship\": expected a type that can be added",
            "scenario.json:5:60: changes[1].add.places = \"-3\": expected a whole number of places from 1 to 100000",
            "scenario.json:6:22: changes[2].add.type = \"castle\": expected a placement type: kinship, foster, residential or supported",
            "scenario.json:6:60: changes[2].add.places = \"5\": expected a whole number of places from 1 to 100000, not a string",
            "scenario.json:7:67: changes[3].scale.factor = \"-0.5\": expected a number from 0 to 100 (1 = unchanged)",
            "scenario.json:8:15: changes[4].close = \"42\": expected a placement_id, or a list of them, not a number",
            "scenario.json:9:14: changes[5].set.weights.w_bogus: expected a policy key (one of",
            "scenario.json:9:55: changes[5].set.allow_cross_rcc = \"no\": expected true or false for allow_cross_rcc, not a string",
            "scenario.json:10:6: changes[6].open: expected a change: add, close, close_provider, scale or set (not \"open\")",
            "scenario.json:11:13: changes[7].add: expected a key \"places\"",
            "scenario.json:13:3: colour: expected a scenario key: name, description, seed, from_day or changes (not \"colour\")",
        ]
        XCTAssertEqual(lines.count, expected.count, lines.joined(separator: "\n"))
        for (line, prefix) in zip(lines, expected) {
            XCTAssertTrue(line.hasPrefix(prefix), "\(line)\n does not start with\n\(prefix)")
        }
    }

    func testJSONSyntaxErrorsAreLocated() {
        let cases: [(String, String)] = [
            ("{\n  \"changes\": [\n    {\"close\": \"P1\"}\n    {\"close\": \"P2\"}\n  ]\n}", "scenario.json:4:5: expected ',' or ']' after a value in a list"),
            ("{\"changes\": [{\"close\": 'P1'}]}", "scenario.json:1:24: expected a value: an object, a list, a string in double quotes"),
            ("{\"changes\": []", "scenario.json:1:15: expected ',' or '}' (the file ends inside an object)"),
            ("[]", "scenario.json:1:1: $: expected a JSON object"),
            ("{}", "scenario.json:1:1: changes: expected a key \"changes\""),
            ("{\"name\": \"é\", \"changes\": [], \"changes\": []}", "scenario.json:1:30: expected each key once in an object: duplicate key \"changes\" (first at line 1, column 15)"),
        ]
        for (json, prefix) in cases {
            let issues = WhatIfFixture.parseIssues(json)
            XCTAssertEqual(issues.count, 1, json)
            XCTAssertTrue(issues.first?.description.hasPrefix(prefix) == true, "\(issues.first?.description ?? "no issue")\n does not start with\n\(prefix)")
        }
        XCTAssertEqual(WhatIfFixture.parseIssues("\u{FEFF}{\"changes\": [{\"close\": [\"P1\", \"P2\"]}]}"), [])
    }

    // MARK: Validation against the market

    func testUnknownAreasPlacementsAndProvidersAreReportedTogether() {
        let s = WhatIfFixture.scenario(
            .add(type: .foster, area: "Narnia", places: 3),
            .close(placementId: "NO-SUCH-HOME"),
            .closeProvider(providerId: "NO-SUCH-PROVIDER"),
            .scale(type: .residential, area: "E99999999", factor: 0.5),
            .add(type: .kinship, area: "North West", places: 1),
            .add(type: .foster, area: "North West", places: -2),
            .scale(type: .foster, area: "North West", factor: -1),
            .set(key: "weights.w_nope", value: .number(1)))
        let issues = WhatIfFixture.applyIssues(s, to: WhatIfFixture.demo).map(\.description)
        XCTAssertEqual(issues.count, 8, issues.joined(separator: "\n"))
        let expected = [
            "scenario: changes[0].area = \"Narnia\": expected an RCC (East Midlands, North West, Yorkshire and The Humber) or an LA code",
            "scenario: changes[1] = \"NO-SUCH-HOME\": expected a placement_id of placements.csv (no placement NO-SUCH-HOME in the market)",
            "scenario: changes[2] = \"NO-SUCH-PROVIDER\": expected a provider_id of placements.csv",
            "scenario: changes[3].area = \"E99999999\": expected an RCC",
            "scenario: changes[4].type = \"kinship\": expected a type that can be added",
            "scenario: changes[5].places = \"-2\": expected a whole number of places from 1",
            "scenario: changes[6].factor = \"-1\": expected a number from 0 to 100",
            "scenario: changes[7] = \"weights.w_nope=1\": expected a policy key",
        ]
        for (line, prefix) in zip(issues, expected) {
            XCTAssertTrue(line.hasPrefix(prefix), "\(line)\n does not start with\n\(prefix)")
        }
    }

    func testFileChangesAreLocatedWhenTheMarketRejectsThem() throws {
        let json = """
            {"changes": [
              {"add": {"type": "foster", "area": "Nort West", "places": 5}},
              {"close": ["A-F1", "A-F99"]}
            ]}
            """
        let s = try Scenario.parse(json: Array(json.utf8), file: "typo.json")
        let issues = WhatIfFixture.applyIssues(s, to: WhatIfFixture.demo).sorted(by: InputIssue.areInOrder).map(\.description)
        XCTAssertEqual(issues.count, 2, issues.joined(separator: "\n"))
        XCTAssertTrue(issues[0].hasPrefix("typo.json:2:38: changes[0].add.area = \"Nort West\": expected an RCC"), issues[0])
        XCTAssertTrue(issues[1].hasPrefix("typo.json:3:22: changes[1].close[1] = \"A-F99\": expected a placement_id"), issues[1])
    }

    // MARK: Applying

    func testAddPutsTypicalHomesAtPointsOfTheAreaDeterministically() throws {
        let market = WhatIfFixture.northEast
        let s = WhatIfFixture.scenario(.add(type: .foster, area: "North East", places: 7), seed: 3)
        let a = try s.apply(to: market, geography: WhatIfFixture.geography)
        let b = try s.apply(to: market, geography: WhatIfFixture.geography)
        let added = a.market.placements.filter { $0.id.hasPrefix("WIF-") }
        XCTAssertEqual(added, b.market.placements.filter { $0.id.hasPrefix("WIF-") })
        XCTAssertEqual(a.market.placements.count, market.placements.count + added.count)

        let northEast = Set(market.localAuthorities.filter { $0.rcc == "North East" }.map(\.code))
        let templates = market.placements.filter { $0.type == .foster && northEast.contains($0.laCode) }
        let profile = try XCTUnwrap(HomeProfile.typical(of: templates, source: ""))
        XCTAssertEqual(added.reduce(0) { $0 + $1.capacity }, 7)
        XCTAssertEqual(added.count, (7 + profile.placesPerHome - 1) / profile.placesPerHome)
        XCTAssertEqual(added.map(\.id), (1...added.count).map { "WIF-foster-NE-000\($0)" })
        let fees = templates.map(\.weeklyCost).sorted()
        let median = fees.count % 2 == 1 ? fees[fees.count / 2] : (fees[fees.count / 2 - 1] + fees[fees.count / 2]) / 2
        for p in added {
            XCTAssertTrue(northEast.contains(p.laCode), p.laCode)
            XCTAssertEqual(p.type, .foster)
            XCTAssertEqual(p.occupied, 0)
            XCTAssertEqual(p.weeklyCost, (median * 100).rounded(.toNearestOrAwayFromZero) / 100)
            XCTAssertEqual(p.ageMin, profile.ageMin)
            XCTAssertEqual(p.risksManaged, profile.risksManaged)
            // An LSOA centre of its LA, not the LA's centroid.
            let pts = try XCTUnwrap(WhatIfFixture.geography.pointsByLA[p.laCode])
            XCTAssertTrue(pts.contains(p.location), "\(p.id) at \(p.location) is no LSOA point of \(p.laCode)")
        }
        // Another seed puts them elsewhere.
        var other = s
        other.seed = 4
        let c = try other.apply(to: market, geography: WhatIfFixture.geography)
        XCTAssertNotEqual(c.market.placements.filter { $0.id.hasPrefix("WIF-") }.map(\.location), added.map(\.location))
    }

    func testTypicalProfileTakesMediansAndMajorities() throws {
        func home(_ id: String, fee: Double, cap: Int, occ: Int, ages: ClosedRange<Int>, risks: [RiskFlag], ofsted: OfstedRating) -> Placement {
            Placement(id: id, type: .residential, providerKind: .private, laCode: "E09000033",
                      location: GeoPoint(lat: 51.5, lon: -0.1), capacity: cap, occupied: occ,
                      residentAges: occ == 0 ? nil : Array(repeating: 14, count: occ),
                      ageMin: ages.lowerBound, ageMax: ages.upperBound, risksManaged: RiskSet(risks), weeklyCost: fee, ofsted: ofsted)
        }
        let p = try XCTUnwrap(HomeProfile.typical(of: [
            home("a", fee: 4000, cap: 1, occ: 3, ages: 11...17, risks: [.self_harm, .going_missing], ofsted: .inadequate),
            home("b", fee: 5000, cap: 2, occ: 1, ages: 11...17, risks: [.self_harm], ofsted: .inadequate),
            home("c", fee: 6000, cap: 1, occ: 1, ages: 8...17, risks: [.going_missing, .self_harm], ofsted: .good),
            home("d", fee: 9000, cap: 4, occ: 0, ages: 8...17, risks: [], ofsted: .inadequate),
        ], source: "test"))
        XCTAssertEqual(p.weeklyCost, 5500)                  // median of 4000, 5000, 6000, 9000
        XCTAssertEqual(p.placesPerHome, 4)                   // median of 4, 3, 2, 4 = 3.5, half away from zero
        XCTAssertEqual([p.ageMin, p.ageMax], [8, 17])        // a tie: the lowest range
        XCTAssertEqual(p.risksManaged, RiskSet([.self_harm])) // 3 of 4; going_missing 2 of 4 is no majority
        XCTAssertEqual(p.ofsted, .good)                      // never inadequate
        XCTAssertEqual(p.providerKind, .private)
    }

    func testCloseRemovesThePlacementAndItsExclusions() throws {
        let market = WhatIfFixture.demo
        XCTAssertTrue(market.exclusions.contains { $0.placementId == "B-F4" })
        let s = WhatIfFixture.scenario(.close(placementId: "B-F4"), .close(placementId: "B-F4"))
        let a = try s.apply(to: market, geography: WhatIfFixture.geography)
        XCTAssertFalse(a.market.placements.contains { $0.id == "B-F4" })
        XCTAssertFalse(a.market.exclusions.contains { $0.placementId == "B-F4" })
        XCTAssertEqual(a.market.placements.count, market.placements.count - 1)
        XCTAssertTrue(a.effects[1].description.contains("already closed"))
        XCTAssertNoThrow(try MarketIndex(a.market))
    }

    func testCloseProviderRemovesEveryPlacementOfTheProvider() throws {
        let market = WhatIfFixture.demo
        let provider = try XCTUnwrap(Dictionary(grouping: market.placements, by: \.providerId).first { $0.value.count >= 2 }?.key)
        let s = WhatIfFixture.scenario(.closeProvider(providerId: provider))
        let a = try s.apply(to: market, geography: WhatIfFixture.geography)
        XCTAssertFalse(a.market.placements.contains { $0.providerId == provider })
        XCTAssertEqual(Set(a.effects[0].removedPlacements), Set(market.placements.filter { $0.providerId == provider }.map(\.id)))
    }

    func testScaleRoundsTheTotalHalfAwayFromZeroAndHandsOutRemainders() {
        XCTAssertEqual(Scenario.scaled([3, 3, 3], by: 0.5), [2, 2, 1])       // 4.5 -> 5; ties to the earlier home
        XCTAssertEqual(Scenario.scaled([1, 1, 1, 1], by: 0.8), [1, 1, 1, 0]) // 3.2 -> 3
        XCTAssertEqual(Scenario.scaled([5, 1], by: 0.8), [4, 1])             // 4 + 0.8: the larger remainder gets it
        XCTAssertEqual(Scenario.scaled([2, 3], by: 0), [0, 0])
        XCTAssertEqual(Scenario.scaled([2, 3], by: 1), [2, 3])
        XCTAssertEqual(Scenario.scaled([2, 3], by: 1.5), [3, 5])             // 7.5 -> 8
        XCTAssertEqual(Scenario.scaled([], by: 2), [])
        for f in stride(from: 0.0, through: 3.0, by: 0.05) {
            let caps = [1, 2, 3, 4, 5, 1, 1]
            let total = Int((Double(caps.reduce(0, +)) * f).rounded(.toNearestOrAwayFromZero))
            XCTAssertEqual(Scenario.scaled(caps, by: f).reduce(0, +), total, "factor \(f)")
        }
    }

    func testScaleTouchesOnlyThatTypeInThatArea() throws {
        let market = WhatIfFixture.demo
        let s = WhatIfFixture.scenario(.scale(type: .foster, area: "Yorkshire and The Humber", factor: 0))
        let a = try s.apply(to: market, geography: WhatIfFixture.geography)
        let yorks = Set(market.localAuthorities.filter { $0.rcc == "Yorkshire and The Humber" }.map(\.code))
        for (before, after) in zip(market.placements, a.market.placements) {
            let touched = before.type == .foster && yorks.contains(before.laCode)
            XCTAssertEqual(after.capacity, touched ? 0 : before.capacity, before.id)
        }
        XCTAssertGreaterThan(a.effects[0].placesBefore, 0)
        XCTAssertEqual(a.effects[0].placesAfter, 0)
    }

    func testAddInAnLAUsesThatLAsPoints() throws {
        let s = WhatIfFixture.scenario(.add(type: .residential, area: "E08000012", places: 3))
        let a = try s.apply(to: WhatIfFixture.demo, geography: WhatIfFixture.geography)
        let added = a.market.placements.filter { $0.id.hasPrefix("WIF-residential-E08000012-") }
        XCTAssertFalse(added.isEmpty)
        XCTAssertTrue(added.allSatisfy { $0.laCode == "E08000012" && $0.type == .residential })
        // Without LSOA points, the LA centroid.
        let b = try s.apply(to: WhatIfFixture.demo, geography: .centroidsOnly)
        let centroid = try XCTUnwrap(WhatIfFixture.demo.localAuthorities.first { $0.code == "E08000012" }?.centroid)
        XCTAssertTrue(b.market.placements.filter { $0.id.hasPrefix("WIF-") }.allSatisfy { $0.location == centroid })
    }

    func testSetChangesThePolicy() throws {
        let s = WhatIfFixture.scenario(.set(key: "allow_cross_rcc", value: .boolean(false)), .set(key: "weights.w_cost", value: .number(2)))
        let a = try s.apply(to: WhatIfFixture.demo, geography: WhatIfFixture.geography)
        XCTAssertFalse(a.market.policy.allowCrossRcc)
        XCTAssertEqual(a.market.policy.weights.wCost, 2)
        XCTAssertEqual(a.market.policy.maxDistanceKm, WhatIfFixture.demo.policy.maxDistanceKm)
    }

    func testRCCTags() {
        XCTAssertEqual(ResolvedArea.tag(ofRCC: "North West"), "NW")
        XCTAssertEqual(ResolvedArea.tag(ofRCC: "Yorkshire and The Humber"), "YH")
        XCTAssertEqual(ResolvedArea.tag(ofRCC: "East of England"), "EE")
        XCTAssertEqual(ResolvedArea.tag(ofRCC: "London"), "LON")
        XCTAssertEqual(ResolvedArea.resolve("  north   WEST ", in: WhatIfFixture.demo)?.name, "North West")
        XCTAssertNil(ResolvedArea.resolve("e08000012", in: WhatIfFixture.demo))   // LA codes are ids: exact
    }
}
