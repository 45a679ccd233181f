// MarketLoader: the CSV layer (RFC 4180, BOM, CRLF, quoting, physical lines) and malformed CSV.

import Foundation
import XCTest
@testable import PlacementEngine

final class MarketLoaderCSVTests: XCTestCase {
    func testBOMCRLFQuotedFieldsShuffledColumnsAndMixedCaseHeadersLoad() throws {
        let children = "\u{FEFF} Sex ,AGE,\"Child_ID\",la_code,Needs, LAT ,Lon\r\n"
            + "F,8,c1,E09000033,\"bsl;\r\nmakaton\",\"51.5\",-0.12\r\n"
            + "\"M\" , 12 ,\"c\"\"2\"\"\"\r\n"  // a short row: the missing cells are empty
            + "\r\n"
        let placements = "WEEKLY_COST,placement_id,Type,la_code,capacity\r\n\"1,250.00\",p1,foster,E09000033,1\r\n"
        let folder = try LoaderFixture.folder(["children.csv": children, "placements.csv": placements])
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try MarketLoader.load(from: folder)
            XCTFail("c\"2\" is not an id and 1,250.00 not a number")
        } catch {
            // The quoted needs cell spans physical lines 2 and 3, so the second child is on line 4.
            XCTAssertEqual(error.issues.count, 3, error.description)
            assertIssue(error.issues, "children.csv", line: 4, column: 3, name: "child_id", value: "c\"2\"")
            assertIssue(error.issues, "children.csv", line: 4, column: 4, name: "la_code", expected: "(required)")
            assertIssue(error.issues, "placements.csv", line: 2, column: 1, name: "weekly_cost", value: "1,250.00")
        }

        let good = "\u{FEFF} Sex ,AGE,\"Child_ID\",la_code,Needs, LAT ,Lon\r\n"
            + "F,8,c1,E09000033,\"bsl;\r\nmakaton\",\"51.5\",-0.12\r\n"
            + "\"M\" , 12 ,\"c-2\",\"E09000033\"\r\n"
        let m = try loadMarket(["children.csv": good,
                                "placements.csv": "WEEKLY_COST,placement_id,Type,la_code,capacity\r\n\"1250.00\",p1,foster,E09000033,1\r\n"])
        XCTAssertEqual(m.children.map(\.id), ["c1", "c-2"])
        XCTAssertEqual(m.children[0].needs, NeedSet([.bsl, .makaton]))
        XCTAssertEqual(m.children[0].location, GeoPoint(lat: 51.5, lon: -0.12))
        XCTAssertEqual(m.children[1].sex, .M)
        XCTAssertEqual(m.children[1].age, 12)
        XCTAssertFalse(m.children[1].locationGiven)
        XCTAssertEqual(m.placements[0].weeklyCost, 1250)
        XCTAssertTrue(m.warnings.isEmpty)
    }

    func testLinesAreCountedPhysicallyAcrossQuotedLineBreaksAndBlankLines() {
        let issues = loadIssues(LoaderFixture.files([
            "exclusions.csv": "child_id,placement_id,reason\nc1,p1,\"line one\nline two\r\nline three\"\n\nc2,p9,x\n",
        ]))
        assertOnlyIssue(issues, "exclusions.csv", line: 6, column: 2, name: "placement_id", value: "p9")
    }

    func testCellOfARowSpanningLinesIsLocatedOnItsOwnLine() {
        let issues = loadIssues(LoaderFixture.files([
            "exclusions.csv": "reason,child_id,placement_id\n\"two\nlines\",c1,p9\n",
        ]))
        assertOnlyIssue(issues, "exclusions.csv", line: 3, column: 3, name: "placement_id", value: "p9")
    }

    func testUnterminatedQuote() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc1,E09000033,8,F\nc2,\"E09000033,8,F\nc3,E09000033,8,F\n",
        ]))
        assertIssue(issues, "children.csv", line: 3, column: 2, expected: "a closing quote")
        XCTAssertFalse(issues.isEmpty)
    }

    func testTextAfterClosingQuote() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc1,\"E09000033\"x,8,F\nc2,E09000033,8,F\n",
        ]))
        assertIssue(issues, "children.csv", line: 2, column: 2, value: "x", expected: "a comma or line end after the closing quote")
    }

    func testRowWithMoreCellsThanHeader() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc1,E09000033,8,F\nc2,E09000033,8,F,extra,more\n",
        ]))
        assertOnlyIssue(issues, "children.csv", line: 3, column: 5, value: "extra", expected: "at most 4 cells")
    }

    func testInvalidUTF8IsReported() {
        var bytes = Array("child_id,la_code,age,sex\nc1,E09000033,8,F\nc2,E09000033,8,".utf8)
        bytes += [0xC3, 0x28, 0x0A]
        let issues = loadIssues(bytes: ["children.csv": bytes,
                                        "placements.csv": Array(LoaderFixture.placementsCSV.utf8)])
        assertIssue(issues, "children.csv", line: 3, column: 4, expected: "UTF-8")
    }

    func testNoTrailingNewlineAndLoneCR() throws {
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\rc1,E09000033,8,F\rc2,E09000033,9,M",
        ]))
        XCTAssertEqual(m.children.map(\.age), [8, 9])
    }

    func testCSVTableDirectly() {
        let t = CSVTable.parse(Array("a,B , c\n1,\"x,\"\"y\"\"\", z \n\n,,\n2\n".utf8), file: "t.csv")
        XCTAssertEqual(t.header, ["a", "B", "c"])
        XCTAssertEqual(t.columnIndex(" b".trimmingCharacters(in: .whitespaces)), 1)
        XCTAssertEqual(t.columnIndex("C"), 2)
        XCTAssertEqual(t.rows.map(\.cells), [["1", "x,\"y\"", "z"], ["2", "", ""]])
        XCTAssertEqual(t.rows.map(\.line), [2, 5])
        XCTAssertTrue(t.issues.isEmpty)
    }

    /// A national market's size (84,000 children) parses whole, every row with its line. (Its
    /// speed is the benchmark's to measure, in a release build, not a timed unit test's.)
    func testLargeFileParses() {
        var text = "child_id,la_code,age,sex,needs,lat,lon\n"
        text.reserveCapacity(84_000 * 50)
        for i in 0..<84_000 { text += "c\(i),E09000033,\(i % 18),F,bsl;esol,51.\(i % 100000),-0.1\n" }
        let bytes = Array(text.utf8)
        let t = CSVTable.parse(bytes, file: "children.csv")
        XCTAssertEqual(t.rows.count, 84_000)
        XCTAssertTrue(t.issues.isEmpty)
        XCTAssertEqual(t.rows.last?.line, 84_001)
        XCTAssertEqual(t.rows.last?.cells.first, "c83999")
    }
}
