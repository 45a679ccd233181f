// MarketLoader: every validation of spec sections 1 and 7, each asserting file, line and column.

import Foundation
import XCTest
@testable import PlacementEngine

final class MarketLoaderTests: XCTestCase {
    // MARK: A valid market and its defaults

    func testMinimalMarketLoadsWithDefaults() throws {
        let m = try loadMarket(LoaderFixture.files())
        XCTAssertEqual(m.children.map(\.id), ["c1", "c2"])
        XCTAssertEqual(m.localAuthorities.count, 153)
        XCTAssertEqual(m.localAuthorities, EnglandLocalAuthorities.all)
        XCTAssertEqual(m.policy, Policy())
        XCTAssertTrue(m.warnings.isEmpty)
        XCTAssertTrue(m.exclusions.isEmpty)

        let westminster = try XCTUnwrap(EnglandLocalAuthorities.all.first { $0.code == "E09000033" })
        XCTAssertEqual(westminster.rcc, "London")
        let c1 = m.children[0]
        XCTAssertEqual(c1.location, westminster.centroid)
        XCTAssertFalse(c1.locationGiven)
        XCTAssertEqual(c1.age, 8)
        XCTAssertEqual(c1.sex, .F)
        XCTAssertEqual(c1.neededBy, .within_5_days)
        XCTAssertNil(c1.siblingGroup)
        XCTAssertEqual(c1.suitability, TypeSuitability.defaults(age: 8))
        XCTAssertEqual(c1.suitability.residential, .unsuitable)
        XCTAssertEqual(m.children[1].suitability.residential, .suitable)
        XCTAssertEqual(m.children[1].suitability.supported, .unsuitable)
        XCTAssertEqual(c1.alongside, .no_preference)
        XCTAssertEqual(c1.pets, .can)
        XCTAssertTrue(c1.needs.isEmpty && c1.risks.isEmpty)
        XCTAssertEqual(c1.behaviour, .typical)
        XCTAssertEqual(c1.priorPlacements, 0)
        XCTAssertNil(c1.maxDistanceKm)
        XCTAssertEqual(c1.notWith, [])

        let p = try XCTUnwrap(m.placements.first)
        XCTAssertEqual(p.providerId, "p1")
        XCTAssertEqual(p.providerKind, .la)
        XCTAssertEqual(p.location, westminster.centroid)
        XCTAssertFalse(p.locationGiven)
        XCTAssertEqual(p.occupied, 0)
        XCTAssertNil(p.residentAges)
        XCTAssertEqual(p.ageMin, 0)
        XCTAssertEqual(p.ageMax, 17)
        XCTAssertEqual(p.sexes, .any)
        XCTAssertFalse(p.hasPets)
        XCTAssertEqual(p.weeklyCost, 650)
        XCTAssertEqual(p.ofsted, .not_rated)
        XCTAssertEqual(p.forChildren, [])
    }

    func testEveryColumnIsRead() throws {
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": """
                child_id,la_code,lat,lon,age,sex,needed_by,sibling_group,kinship,foster,residential,supported,alongside,pets,needs,risks,behaviour,prior_placements,max_distance_km,not_with
                a,E08000025,52.5,-1.9,16,X,TODAY,g1,unsuitable,suitable,preferred,suitable,Older_Only,must, bsl ; makaton ;,self_harm;harm_to_animals,HIGH,3,20.5,b
                b,E08000025,,,4,m,after_5_days,g1,,,,,solo,no,,,typical,0,,

                """,
            "placements.csv": """
                placement_id,type,provider_id,provider_kind,la_code,lat,lon,capacity,occupied,resident_ages,age_min,age_max,sexes,needs_met,risks_managed,has_pets,weekly_cost,ofsted,for_children
                k,Kinship,fam1,family,E08000025,52.4,-1.8,2,1,9,0,17,any,,,yes,0,not_rated,g1;a
                h,residential,op7,Private,E06000001,54.6,-1.2,3,2,15; 12,12,17,F,bsl;therapeutic,self_harm,0,4250.5,requires_improvement,

                """,
        ]))
        let a = m.children[0], b = m.children[1]
        XCTAssertEqual(a.location, GeoPoint(lat: 52.5, lon: -1.9))
        XCTAssertTrue(a.locationGiven)
        XCTAssertEqual(a.sex, .X)
        XCTAssertEqual(a.neededBy, .today)
        XCTAssertEqual(a.siblingGroup, "g1")
        XCTAssertEqual(a.suitability, TypeSuitability(kinship: .unsuitable, foster: .suitable,
                                                      residential: .preferred, supported: .suitable))
        XCTAssertEqual(a.alongside, .older_only)
        XCTAssertEqual(a.pets, .must)
        XCTAssertEqual(a.needs, NeedSet([.bsl, .makaton]))
        XCTAssertEqual(a.risks, RiskSet([.self_harm, .harm_to_animals]))
        XCTAssertEqual(a.behaviour, .high)
        XCTAssertEqual(a.priorPlacements, 3)
        XCTAssertEqual(a.maxDistanceKm, 20.5)
        XCTAssertEqual(a.notWith, ["b"])
        XCTAssertFalse(b.locationGiven)
        XCTAssertEqual(b.suitability, TypeSuitability.defaults(age: 4))
        XCTAssertEqual(b.sex, .M)

        let k = m.placements[0], h = m.placements[1]
        XCTAssertEqual(k.type, .kinship)
        XCTAssertEqual(k.providerId, "fam1")
        XCTAssertEqual(k.providerKind, .family)
        XCTAssertEqual(k.residentAges, [9])
        XCTAssertTrue(k.hasPets)
        XCTAssertEqual(k.forChildren, ["g1", "a"])
        XCTAssertEqual(h.laCode, "E06000001")
        XCTAssertEqual(h.providerKind, .private)
        XCTAssertEqual(h.residentAges, [15, 12])
        XCTAssertEqual(h.ageMin, 12)
        XCTAssertEqual(h.sexes, .F)
        XCTAssertEqual(h.needsMet, NeedSet([.bsl, .therapeutic]))
        XCTAssertEqual(h.risksManaged, RiskSet([.self_harm]))
        XCTAssertFalse(h.hasPets)
        XCTAssertEqual(h.weeklyCost, 4250.5)
        XCTAssertEqual(h.ofsted, .requires_improvement)
    }

    func testBooleansAcceptEveryAllowedSpelling() throws {
        var rows = "placement_id,type,la_code,capacity,weekly_cost,has_pets\n"
        let words = ["true", "FALSE", "Yes", "no", "1", "0", ""]
        for (i, w) in words.enumerated() { rows += "p\(i),foster,E09000033,1,1,\(w)\n" }
        let m = try loadMarket(LoaderFixture.files(["placements.csv": rows]))
        XCTAssertEqual(m.placements.map(\.hasPets), [true, false, true, false, true, false, false])

        let issues = loadIssues(LoaderFixture.files(["placements.csv": rows + "px,foster,E09000033,1,1,maybe\n"]))
        assertOnlyIssue(issues, "placements.csv", line: 9, column: 6, name: "has_pets", value: "maybe",
                        expected: "true, false, yes, no, 1 or 0")
    }

    // MARK: Files and columns

    func testMissingRequiredFile() {
        let issues = loadIssues(LoaderFixture.files(["placements.csv": nil]))
        assertOnlyIssue(issues, "placements.csv", line: nil, column: nil, expected: "required")
    }

    func testMissingFolder() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-market-\(UUID().uuidString)")
        XCTAssertThrowsError(try MarketLoader.load(from: url)) { error in
            XCTAssertEqual((error as? MarketInputError)?.issues.count, 1)
        }
    }

    func testEmptyFile() {
        let issues = loadIssues(LoaderFixture.files(["children.csv": ""]))
        assertOnlyIssue(issues, "children.csv", line: nil, column: nil, expected: "a header row")
        // Only a BOM and blank lines is empty too.
        let issues2 = loadIssues(bytes: ["children.csv": [0xEF, 0xBB, 0xBF, 0x0D, 0x0A, 0x0A],
                                         "placements.csv": Array(LoaderFixture.placementsCSV.utf8)])
        assertOnlyIssue(issues2, "children.csv", line: nil, column: nil, expected: "a header row")
    }

    func testMissingRequiredColumns() {
        let issues = loadIssues(LoaderFixture.files(["children.csv": "child_id,la_code,sex\nc1,E09000033,F\n"]))
        assertOnlyIssue(issues, "children.csv", line: 1, column: nil, name: "age", expected: "a column named age")
        let issues2 = loadIssues(LoaderFixture.files(["placements.csv": "placement_id,type,la_code\np1,foster,E09000033\n"]))
        XCTAssertEqual(issues2.count, 2)
        assertIssue(issues2, "placements.csv", line: 1, column: nil, name: "capacity")
        assertIssue(issues2, "placements.csv", line: 1, column: nil, name: "weekly_cost")
    }

    func testDuplicateColumn() {
        let issues = loadIssues(LoaderFixture.files(["children.csv": "child_id,la_code,age,sex,AGE\nc1,E09000033,8,F,9\n"]))
        assertOnlyIssue(issues, "children.csv", line: 1, column: 5, value: "AGE", expected: "each column named once")
    }

    func testUnknownColumnsWarnOncePerColumn() throws {
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,Favourite Colour,notes\nc1,E09000033,8,F,red,x\nc2,E09000033,9,M,blue,y\n",
        ]))
        XCTAssertEqual(m.warnings.count, 2)
        XCTAssertEqual(m.warnings[0], #"children.csv:1:5 (E): unknown column "Favourite Colour": ignored"#)
        XCTAssertTrue(m.warnings[1].contains("\"notes\""))
        XCTAssertEqual(m.children.count, 2)
    }

    // MARK: Ids

    func testDuplicateIds() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc1,E09000033,8,F\nc2,E09000033,8,F\nc1,E09000033,9,M\n",
        ]))
        assertOnlyIssue(issues, "children.csv", line: 4, column: 1, name: "child_id", value: "c1",
                        expected: "already on line 2")
        let issues2 = loadIssues(LoaderFixture.files([
            "placements.csv": "weekly_cost,placement_id,type,la_code,capacity\n1,p1,foster,E09000033,1\n1,p1,foster,E09000033,1\n",
        ]))
        assertOnlyIssue(issues2, "placements.csv", line: 3, column: 2, name: "placement_id", value: "p1")
    }

    func testIdCharsetAndLength() {
        let long = String(repeating: "a", count: 65)
        let ok64 = String(repeating: "b", count: 64)
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc/1,E09000033,8,F\n\(long),E09000033,8,F\n\(ok64),E09000033,8,F\nA.b_c-9,E09000033,8,F\n\"c 2\",E09000033,8,F\n,E09000033,8,F\n",
        ]))
        XCTAssertEqual(issues.count, 4, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "children.csv", line: 2, column: 1, name: "child_id", value: "c/1", expected: "1-64 characters")
        assertIssue(issues, "children.csv", line: 3, column: 1, name: "child_id", value: long)
        assertIssue(issues, "children.csv", line: 6, column: 1, name: "child_id", value: "c 2")
        assertIssue(issues, "children.csv", line: 7, column: 1, name: "child_id", expected: "(required)")
    }

    func testUnknownLACode() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc1,E99999999,8,F\nc2,e09000033,8,F\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "children.csv", line: 2, column: 2, name: "la_code", value: "E99999999", expected: "English LA code")
        // LA codes are exact ids: a different case is an error, with a hint.
        assertIssue(issues, "children.csv", line: 3, column: 2, name: "la_code", value: "e09000033",
                    expected: "case-sensitive: E09000033?")
        let issues2 = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,XX,2,650\n",
        ]))
        assertOnlyIssue(issues2, "placements.csv", line: 2, column: 3, name: "la_code", value: "XX")
    }

    // MARK: Numbers and words

    func testAgeOutOfRangeOrNotAnInteger() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,sex,age\nc1,E09000033,F,18\nc2,E09000033,F,-1\nc3,E09000033,F,7.0\nc4,E09000033,F,seven\nc5,E09000033,F,\nc6,E09000033,F,0\nc7,E09000033,F,17\n",
        ]))
        XCTAssertEqual(issues.count, 5, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "children.csv", line: 2, column: 4, name: "age", value: "18", expected: "an integer 0-17")
        assertIssue(issues, "children.csv", line: 3, column: 4, name: "age", value: "-1")
        assertIssue(issues, "children.csv", line: 4, column: 4, name: "age", value: "7.0")
        assertIssue(issues, "children.csv", line: 5, column: 4, name: "age", value: "seven")
        assertIssue(issues, "children.csv", line: 6, column: 4, name: "age", expected: "(required)")
    }

    func testEnumWordsAreCaseInsensitiveAndChecked() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,needed_by,alongside,pets,behaviour,foster\nc1,E09000033,8,f,Today,SOLO,Can,High,Preferred\nc2,E09000033,8,Q,soon,alone,maybe,calm,ok\n",
        ]))
        XCTAssertEqual(issues.count, 6, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "children.csv", line: 3, column: 4, name: "sex", value: "Q", expected: "one of F, M or X")
        assertIssue(issues, "children.csv", line: 3, column: 5, name: "needed_by", value: "soon")
        assertIssue(issues, "children.csv", line: 3, column: 6, name: "alongside", value: "alone")
        assertIssue(issues, "children.csv", line: 3, column: 7, name: "pets", value: "maybe")
        assertIssue(issues, "children.csv", line: 3, column: 8, name: "behaviour", value: "calm")
        assertIssue(issues, "children.csv", line: 3, column: 9, name: "foster", value: "ok")
        let issues2 = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,provider_kind,sexes,ofsted\np1,flat,E09000033,1,1,agency,both,great\n",
        ]))
        XCTAssertEqual(issues2.count, 4)
        assertIssue(issues2, "placements.csv", line: 2, column: 2, name: "type", value: "flat")
        assertIssue(issues2, "placements.csv", line: 2, column: 6, name: "provider_kind", value: "agency")
        assertIssue(issues2, "placements.csv", line: 2, column: 7, name: "sexes", value: "both")
        assertIssue(issues2, "placements.csv", line: 2, column: 8, name: "ofsted", value: "great")
    }

    func testListsAreTrimmedAndCheckedItemByItem() throws {
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,needs,risks\nc1,E09000033,8,F, BSL ; Makaton;,going_missing ;fire_setting\nc2,E09000033,8,F,,\n",
        ]))
        XCTAssertEqual(m.children[0].needs, NeedSet([.bsl, .makaton]))
        XCTAssertEqual(m.children[0].risks, RiskSet([.going_missing, .fire_setting]))
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,needs,risks\nc1,E09000033,8,F,bsl;flying,arson\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "children.csv", line: 2, column: 5, name: "needs", value: "flying", expected: "adaptation, bsl")
        assertIssue(issues, "children.csv", line: 2, column: 6, name: "risks", value: "arson")
        let issues2 = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,needs_met,risks_managed\np1,foster,E09000033,1,1,esol;x,dols\n",
        ]))
        XCTAssertEqual(issues2.count, 2)
        assertIssue(issues2, "placements.csv", line: 2, column: 6, name: "needs_met", value: "x")
        assertIssue(issues2, "placements.csv", line: 2, column: 7, name: "risks_managed", value: "dols")
    }

    func testOnlyOneOfLatLon() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,lat,lon\nc1,E09000033,8,F,51.5,\nc2,E09000033,8,F,,-0.1\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "children.csv", line: 2, column: 5, name: "lat", value: "51.5", expected: "both given or both empty")
        assertIssue(issues, "children.csv", line: 3, column: 6, name: "lon", value: "-0.1")
        // A file with a lat column and no lon column at all.
        let issues2 = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,lat\np1,foster,E09000033,1,1,51\n",
        ]))
        assertOnlyIssue(issues2, "placements.csv", line: 2, column: 6, name: "lat", value: "51")
    }

    func testCoordinatesMustBeFiniteAndInRange() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": """
                child_id,la_code,age,sex,lat,lon
                c1,E09000033,8,F,NaN,0
                c2,E09000033,8,F,0,inf
                c3,E09000033,8,F,90.5,0
                c4,E09000033,8,F,0,-180.01
                c5,E09000033,8,F,1e999,0
                c6,E09000033,8,F,0x10,0
                c7,E09000033,8,F,-90,180
                c8,E09000033,8,F,"51,5",0

                """,
        ]))
        XCTAssertEqual(issues.count, 7, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "children.csv", line: 2, column: 5, name: "lat", value: "NaN", expected: "-90 to 90")
        assertIssue(issues, "children.csv", line: 3, column: 6, name: "lon", value: "inf", expected: "-180 to 180")
        assertIssue(issues, "children.csv", line: 4, column: 5, name: "lat", value: "90.5")
        assertIssue(issues, "children.csv", line: 5, column: 6, name: "lon", value: "-180.01")
        assertIssue(issues, "children.csv", line: 6, column: 5, name: "lat", value: "1e999")
        assertIssue(issues, "children.csv", line: 7, column: 5, name: "lat", value: "0x10")
        assertIssue(issues, "children.csv", line: 9, column: 5, name: "lat", value: "51,5")
    }

    func testNegativeCapacityAndOccupied() {
        let issues = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,occupied\np1,foster,E09000033,-1,1,\np2,foster,E09000033,0,1,-2\np3,foster,E09000033,,1,\n",
        ]))
        XCTAssertEqual(issues.count, 3, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "placements.csv", line: 2, column: 4, name: "capacity", value: "-1", expected: "an integer >= 0")
        assertIssue(issues, "placements.csv", line: 3, column: 6, name: "occupied", value: "-2")
        assertIssue(issues, "placements.csv", line: 4, column: 4, name: "capacity", expected: "(required)")
    }

    func testCapacityZeroIsAccepted() throws {
        let m = try loadMarket(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,E09000033,0,650\n",
        ]))
        XCTAssertEqual(m.placements[0].capacity, 0)
    }

    func testResidentAgesLengthMustEqualOccupied() {
        let issues = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,occupied,resident_ages\np1,foster,E09000033,1,1,2,9\np2,foster,E09000033,1,1,1,9;10\np3,foster,E09000033,1,1,2,9;10\np4,foster,E09000033,1,1,1,18\n",
        ]))
        XCTAssertEqual(issues.count, 3, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "placements.csv", line: 2, column: 7, name: "resident_ages", value: "9", expected: "one age per occupied place")
        assertIssue(issues, "placements.csv", line: 3, column: 7, name: "resident_ages", value: "9;10")
        assertIssue(issues, "placements.csv", line: 5, column: 7, name: "resident_ages", value: "18", expected: "integers 0-17")
    }

    func testResidentAgesWithoutOccupied() {
        let issues = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,occupied,resident_ages\np1,foster,E09000033,1,1,,9\np2,foster,E09000033,1,1,0,9\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "placements.csv", line: 2, column: 7, name: "resident_ages", value: "9", expected: "occupied is empty or 0")
        assertIssue(issues, "placements.csv", line: 3, column: 7, name: "resident_ages", value: "9")
    }

    func testAgeMinAboveAgeMax() {
        let issues = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,age_min,age_max\np1,foster,E09000033,1,1,12,10\np2,foster,E09000033,1,1,10,10\np3,foster,E09000033,1,1,18,\n",
        ]))
        XCTAssertEqual(issues.count, 2, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "placements.csv", line: 2, column: 6, name: "age_min", value: "12", expected: "<= age_max (10)")
        assertIssue(issues, "placements.csv", line: 4, column: 6, name: "age_min", value: "18", expected: "an integer 0-17")
    }

    func testWeeklyCostMustBeAFiniteNonNegativeNumber() {
        let issues = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,E09000033,1,-0.01\np2,foster,E09000033,1,nan\np3,foster,E09000033,1,£650\np4,foster,E09000033,1,\np5,foster,E09000033,1,0\n",
        ]))
        XCTAssertEqual(issues.count, 4, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "placements.csv", line: 2, column: 5, name: "weekly_cost", value: "-0.01", expected: ">= 0")
        assertIssue(issues, "placements.csv", line: 3, column: 5, name: "weekly_cost", value: "nan")
        assertIssue(issues, "placements.csv", line: 4, column: 5, name: "weekly_cost", value: "£650")
        assertIssue(issues, "placements.csv", line: 5, column: 5, name: "weekly_cost", expected: "(required)")
    }

    func testMaxDistanceMustBePositive() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,max_distance_km\nc1,E09000033,8,F,0\nc2,E09000033,8,F,-5\nc3,E09000033,8,F,inf\nc4,E09000033,8,F,0.5\n",
        ]))
        XCTAssertEqual(issues.count, 3)
        assertIssue(issues, "children.csv", line: 2, column: 5, name: "max_distance_km", value: "0", expected: "> 0")
        assertIssue(issues, "children.csv", line: 3, column: 5, name: "max_distance_km", value: "-5")
        assertIssue(issues, "children.csv", line: 4, column: 5, name: "max_distance_km", value: "inf")
    }

    func testPriorPlacementsMustBeANonNegativeInteger() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,prior_placements\nc1,E09000033,8,F,-1\nc2,E09000033,8,F,1.5\nc3,E09000033,8,F,12\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "children.csv", line: 2, column: 5, name: "prior_placements", value: "-1", expected: "an integer >= 0")
        assertIssue(issues, "children.csv", line: 3, column: 5, name: "prior_placements", value: "1.5")
    }

    // MARK: Rule T, K: suitability and kinship

    func testSupportedForAnUnder16IsAnInputError() throws {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,supported\nc1,E09000033,15,F,suitable\nc2,E09000033,10,M,Preferred\nc3,E09000033,15,F,unsuitable\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "children.csv", line: 2, column: 5, name: "supported", value: "suitable", expected: "under 16")
        assertIssue(issues, "children.csv", line: 3, column: 5, name: "supported", value: "Preferred")
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,supported,residential\nc1,E09000033,16,F,preferred,\nc2,E09000033,16,F,,\nc3,E09000033,9,F,,preferred\n",
        ]))
        XCTAssertEqual(m.children.map(\.suitability.supported), [.preferred, .suitable, .unsuitable])
        XCTAssertEqual(m.children.map(\.suitability.residential), [.suitable, .suitable, .preferred])
    }

    func testKinshipNeedsForChildren() {
        let issues = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,for_children\nk1,kinship,E09000033,1,0,\n",
        ]))
        assertOnlyIssue(issues, "placements.csv", line: 2, column: 6, name: "for_children", expected: "required for kinship")
        // No for_children column at all: the row is still located.
        let issues2 = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,E09000033,1,0\nk1,kinship,E09000033,1,0\n",
        ]))
        assertOnlyIssue(issues2, "placements.csv", line: 3, column: nil, name: "for_children")
    }

    func testForChildrenOnOtherTypes() {
        let issues = loadIssues(LoaderFixture.files([
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,for_children\np1,foster,E09000033,1,0,c1\n",
        ]))
        assertOnlyIssue(issues, "placements.csv", line: 2, column: 6, name: "for_children", value: "c1",
                        expected: "kinship placements only")
    }

    func testForChildrenNamesChildrenOrSiblingGroups() throws {
        let children = "child_id,la_code,age,sex,sibling_group\nc1,E09000033,8,F,smiths\nc2,E09000033,9,M,smiths\nc3,E09000033,3,F,\n"
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": children,
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,for_children\nk1,kinship,E09000033,2,0,smiths;c3\n",
        ]))
        XCTAssertEqual(m.placements[0].forChildren, ["smiths", "c3"])
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": children,
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,for_children\nk1,kinship,E09000033,2,0,smiths;jones;C3\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "placements.csv", line: 2, column: 6, name: "for_children", value: "jones",
                    expected: "a child_id or sibling_group")
        assertIssue(issues, "placements.csv", line: 2, column: 6, name: "for_children", value: "C3")
    }

    // MARK: References

    func testNotWithUnknownIdOrSelf() throws {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,not_with\nc1,E09000033,8,F,c2;c9\nc2,E09000033,8,F,c2\n",
        ]))
        XCTAssertEqual(issues.count, 2)
        assertIssue(issues, "children.csv", line: 2, column: 5, name: "not_with", value: "c9", expected: "a child_id listed")
        assertIssue(issues, "children.csv", line: 3, column: 5, name: "not_with", value: "c2", expected: "itself")
        // A later child may be named.
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,not_with\nc1,E09000033,8,F,c2\nc2,E09000033,8,F,\n",
        ]))
        XCTAssertEqual(m.children[0].notWith, ["c2"])
    }

    func testExclusions() throws {
        let m = try loadMarket(LoaderFixture.files([
            "exclusions.csv": "child_id,placement_id,reason\nc1,p1,\"provider declined, full\"\nc2,p1,\n",
        ]))
        XCTAssertEqual(m.exclusions, [Exclusion(childId: "c1", placementId: "p1", reason: "provider declined, full"),
                                      Exclusion(childId: "c2", placementId: "p1")])
        let issues = loadIssues(LoaderFixture.files([
            "exclusions.csv": "placement_id,child_id\np1,c9\np9,c1\n,c1\n",
        ]))
        XCTAssertEqual(issues.count, 3, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "exclusions.csv", line: 2, column: 2, name: "child_id", value: "c9", expected: "children.csv")
        assertIssue(issues, "exclusions.csv", line: 3, column: 1, name: "placement_id", value: "p9", expected: "placements.csv")
        assertIssue(issues, "exclusions.csv", line: 4, column: 1, name: "placement_id", expected: "(required)")
    }

    // MARK: local_authorities.csv

    func testLocalAuthoritiesFileReplacesTheBundledList() throws {
        let m = try loadMarket([
            "local_authorities.csv": "la_code,name,rcc,lat,lon\nLA1,North Town,North,54,-1.5\nLA2,,South,51,-0.5\n",
            "children.csv": "child_id,la_code,age,sex\nc1,LA1,8,F\n",
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,LA2,1,600\n",
        ])
        XCTAssertEqual(m.localAuthorities, [
            LocalAuthority(code: "LA1", name: "North Town", rcc: "North", centroid: GeoPoint(lat: 54, lon: -1.5)),
            LocalAuthority(code: "LA2", name: "LA2", rcc: "South", centroid: GeoPoint(lat: 51, lon: -0.5)),
        ])
        XCTAssertEqual(m.children[0].location, GeoPoint(lat: 54, lon: -1.5))
        XCTAssertEqual(m.placements[0].location, GeoPoint(lat: 51, lon: -0.5))
    }

    func testLocalAuthoritiesFileErrors() {
        let issues = loadIssues([
            "local_authorities.csv": "la_code,name,rcc,lat,lon\nLA1,A,North,54,-1.5\nLA1,B,North,54,-1.5\nLA3,C,,95,\n",
            "children.csv": "child_id,la_code,age,sex\nc1,E09000033,8,F\nc2,LA3,8,F\n",
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,LA1,1,600\n",
        ])
        XCTAssertEqual(issues.count, 4, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "local_authorities.csv", line: 3, column: 1, name: "la_code", value: "LA1")
        assertIssue(issues, "local_authorities.csv", line: 4, column: 3, name: "rcc", expected: "(required)")
        assertIssue(issues, "local_authorities.csv", line: 4, column: 4, name: "lat", value: "95")
        // Codes outside the file are unknown even when they are English LAs.
        assertIssue(issues, "children.csv", line: 2, column: 2, name: "la_code", value: "E09000033",
                    expected: "listed in local_authorities.csv")
    }

    // MARK: One pass

    func testEveryIssueIsReportedInOnePass() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc1,E09000033,19,F\nc2,NOPE,8,F\nc3,E09000033,8,Z\n",
        ]))
        XCTAssertEqual(issues.count, 3)
        assertIssue(issues, "children.csv", line: 2, column: 3, name: "age", value: "19")
        assertIssue(issues, "children.csv", line: 3, column: 2, name: "la_code", value: "NOPE")
        assertIssue(issues, "children.csv", line: 4, column: 4, name: "sex", value: "Z")
    }

    func testIssuesAcrossFilesAreAllReportedAndSorted() throws {
        let folder = try LoaderFixture.folder([
            "children.csv": "child_id,la_code,age,sex\nc1,E09000033,19,F\nc1,E09000033,8,F\n",
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,E09000033,-1,650\n",
            "exclusions.csv": "child_id,placement_id\nc1,p2\n",
            "policy.json": #"{"max_distance_km": -1}"#,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try MarketLoader.load(from: folder)) { error in
            guard let error = error as? MarketInputError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.issues.count, 5, error.description)
            XCTAssertEqual(error.description.split(separator: "\n").map { String($0.prefix(while: { $0 != " " })) }, [
                "children.csv:2:3", "children.csv:3:1", "exclusions.csv:2:2", "placements.csv:2:4", "policy.json:1:2:",
            ])
        }
    }

    func testIssueDescription() {
        let issue = InputIssue(file: "children.csv", line: 12, column: 5, columnName: "age", value: "19",
                               expected: "an integer 0-17")
        XCTAssertEqual(issue.description, #"children.csv:12:5 (E): age = "19": expected an integer 0-17"#)
        XCTAssertEqual(InputIssue(file: "children.csv", expected: "a header row").description,
                       "children.csv: expected a header row")
        XCTAssertEqual(InputIssue(file: "a.csv", line: 3, column: 2, value: "x\"y\nz", expected: "e").description,
                       #"a.csv:3:2 (B): "x\"y\nz": expected e"#)
        XCTAssertEqual(InputIssue(file: "a.csv", line: 1, columnName: "age", expected: "a column").description,
                       "a.csv:1: age: expected a column")
    }

    /// A dangling or looping link named like an optional input file is an input error naming it,
    /// never an absent file (a dangling policy.json gave the default policy and exit 0).
    func testBrokenLinksAreInputErrors() throws {
        for name in [MarketLoader.policyFile, MarketLoader.exclusionsFile, MarketLoader.localAuthoritiesFile] {
            let folder = try LoaderFixture.folder(LoaderFixture.files())
            defer { try? FileManager.default.removeItem(at: folder) }
            let link = folder.appendingPathComponent(name)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: folder.appendingPathComponent("nowhere").path)
            XCTAssertThrowsError(try MarketLoader.load(from: folder), name) { error in
                let issues = (error as? MarketInputError)?.issues ?? []
                XCTAssertTrue(issues.contains { $0.file == name && $0.expected.contains("link") }, "\(name): \(issues)")
            }
            try FileManager.default.removeItem(at: link)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: link.path)   // a loop
            XCTAssertThrowsError(try MarketLoader.load(from: folder), name + " (loop)")
            try FileManager.default.removeItem(at: link)
            XCTAssertNoThrow(try MarketLoader.load(from: folder), name + " (absent)")
        }
    }
}
