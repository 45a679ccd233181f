// MarketLoader for a commissioner working from spreadsheets: "did you mean" for misspelt columns,
// words and LA codes, an LA name where its code belongs, files delimited by semicolons or tabs,
// text that is not UTF-8 (one issue per file, with the fix), spreadsheet column letters.

import Foundation
import XCTest
@testable import PlacementEngine

final class MarketLoaderForgivingTests: XCTestCase {
    // MARK: Spreadsheet letters

    func testSpreadsheetLetters() {
        let expected = [1: "A", 5: "E", 7: "G", 26: "Z", 27: "AA", 28: "AB", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"]
        for (column, letters) in expected { XCTAssertEqual(SpreadsheetColumn.letters(column), letters, "\(column)") }
    }

    func testCSVIssuesGiveTheColumnLetterAndJSONIssuesDoNot() {
        let csv = InputIssue(file: "children.csv", line: 3, column: 27, columnName: "x", value: "1", expected: "e")
        XCTAssertEqual(csv.columnLetter, "AA")
        XCTAssertEqual(csv.description, #"children.csv:3:27 (AA): x = "1": expected e"#)
        let json = InputIssue(file: "policy.json", line: 1, column: 2, columnName: "k", expected: "e")
        XCTAssertNil(json.columnLetter)
        XCTAssertEqual(json.description, "policy.json:1:2: k: expected e")
        // A whole-file issue has no column, so no letter.
        XCTAssertEqual(InputIssue(file: "a.csv", line: 1, columnName: "age", expected: "a column").description,
                       "a.csv:1: age: expected a column")
        let issues = loadIssues(LoaderFixture.files(["children.csv": "child_id,la_code,age,sex\nc1,E09000033,8,Q\n"]))
        XCTAssertEqual(issues.map(\.description), [#"children.csv:2:4 (D): sex = "Q": expected one of F, M or X"#])
    }

    // MARK: Did you mean

    func testClosestWordIsNearAndUnambiguous() {
        XCTAssertEqual(DidYouMean.closest(to: "neded_by", among: ["needed_by", "sibling_group"]), "needed_by")
        XCTAssertEqual(DidYouMean.closest(to: "bls", among: ["bsl", "esol"]), "bsl", "a transposition is one edit")
        XCTAssertEqual(DidYouMean.closest(to: "TODY", among: ["today", "within_5_days"]), "today", "case is ignored")
        XCTAssertNil(DidYouMean.closest(to: "Q", among: ["F", "M", "X"]), "three words equally near: no guess")
        XCTAssertNil(DidYouMean.closest(to: "urgent", among: ["today", "within_5_days", "after_5_days"]))
        XCTAssertNil(DidYouMean.closest(to: "abc", among: ["xyz"]))
        XCTAssertNil(DidYouMean.closest(to: "today", among: ["today"]), "the word itself is no slip")
        XCTAssertEqual(DidYouMean.distance(Array("ca".unicodeScalars), Array("abc".unicodeScalars), limit: 9), 3,
                       "optimal string alignment: no edit inside a transposed pair")
    }

    func testMisspeltColumnWarnsWithTheColumnMeant() throws {
        let m = try loadMarket(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,neded_by,Favourite Colour\nc1,E09000033,8,F,today,red\n",
        ]))
        XCTAssertEqual(m.warnings, [
            #"children.csv:1:5 (E): unknown column "neded_by" (did you mean "needed_by"?): ignored"#,
            #"children.csv:1:6 (F): unknown column "Favourite Colour": ignored"#,
        ])
        // The column was ignored: the default urgency applies (the reason the warning matters).
        XCTAssertEqual(m.children[0].neededBy, .within_5_days)
        // A column the file has already is not suggested again.
        let both = try loadMarket(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,needed_by,neded_by\nc1,E09000033,8,F,today,today\n",
        ]))
        XCTAssertEqual(both.warnings, [#"children.csv:1:6 (F): unknown column "neded_by": ignored"#])
    }

    func testMisspeltWordsGetTheWordMeant() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": """
                child_id,la_code,age,sex,needed_by,foster,alongside,pets,needs,risks,behaviour
                c1,E09000033,8,F,tody,prefered,sollo,mst,bls;esol,self harm,hihg
                c2,E09000033,8,Q,today,,,,,,

                """,
            "placements.csv": """
                placement_id,type,la_code,capacity,weekly_cost,provider_kind,ofsted,sexes,has_pets
                p1,fostr,E09000033,2,650,IFAs,Requires Improvement,anny,ture

                """,
        ]))
        let hints = [
            ("children.csv", 2, 5, "tody", "today"), ("children.csv", 2, 6, "prefered", "preferred"),
            ("children.csv", 2, 7, "sollo", "solo"), ("children.csv", 2, 8, "mst", "must"),
            ("children.csv", 2, 9, "bls", "bsl"), ("children.csv", 2, 10, "self harm", "self_harm"),
            ("children.csv", 2, 11, "hihg", "high"), ("placements.csv", 2, 2, "fostr", "foster"),
            ("placements.csv", 2, 6, "IFAs", "ifa"), ("placements.csv", 2, 7, "Requires Improvement", "requires_improvement"),
            ("placements.csv", 2, 8, "anny", "any"), ("placements.csv", 2, 9, "ture", "true"),
        ]
        for (file, line, column, value, meant) in hints {
            assertIssue(issues, file, line: line, column: column, value: value, expected: "(did you mean \"\(meant)\"?)")
        }
        assertIssue(issues, "children.csv", line: 3, column: 4, value: "Q", expected: "one of F, M or X")
        XCTAssertFalse(issues.first { $0.value == "Q" }!.expected.contains("did you mean"))
        XCTAssertEqual(issues.count, hints.count + 1, issues.map(\.description).joined(separator: "\n"))
    }

    func testAnLANameIsExplainedWithItsCodeAndNotMapped() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex\nc1,Kent,8,F\nc2,kent ,8,F\nc3,Kentt,8,F\nc4,E1000016,8,F\nc5,E0600000,8,F\n",
        ]))
        XCTAssertEqual(issues.count, 5, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "children.csv", line: 2, column: 2, value: "Kent", expected: #""Kent" is an LA name: its code is E10000016"#)
        assertIssue(issues, "children.csv", line: 3, column: 2, value: "kent", expected: "its code is E10000016")
        assertIssue(issues, "children.csv", line: 4, column: 2, value: "Kentt", expected: #"did you mean "Kent" (E10000016)?"#)
        assertIssue(issues, "children.csv", line: 5, column: 2, value: "E1000016", expected: "did you mean E10000016?")
        // E0600000 is one edit from several codes (E06000001, E06000002, ...): no guess.
        XCTAssertFalse(issues.first { $0.value == "E0600000" }!.expected.contains("did you mean"))
    }

    func testLANamesComeFromTheMarketsOwnTable() {
        let las = "la_code,name,rcc,lat,lon\nX1,Northshire,North,54,-1\nX2,Southshire,South,51,-1\n"
        let issues = loadIssues(LoaderFixture.files([
            "local_authorities.csv": las,
            "children.csv": "child_id,la_code,age,sex\nc1,NORTHSHIRE,8,F\nc2,Kent,8,F\nc3,X1,8,F\n",
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,X2,1,650\n",
        ]))
        XCTAssertEqual(issues.count, 2, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "children.csv", line: 2, column: 2, expected: "is an LA name: its code is X1")
        XCTAssertFalse(issues.first { $0.value == "Kent" }!.expected.contains("E10000016"), "not among this market's LAs")
    }

    func testUnknownIdsGetTheIdMeant() {
        let issues = loadIssues(LoaderFixture.files([
            "children.csv": "child_id,la_code,age,sex,sibling_group,not_with\nchild-001,E09000033,8,F,,chlid-002\nchild-002,E09000033,9,M,family-A,c3\n",
            "placements.csv": "placement_id,type,la_code,capacity,weekly_cost,for_children\nhome-1,foster,E09000033,1,650,\nkin-1,kinship,E09000033,1,650,famliy-A\n",
            "exclusions.csv": "child_id,placement_id\nchild-01,hoem-1\n",
        ]))
        XCTAssertEqual(issues.count, 5, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "children.csv", line: 2, column: 6, value: "chlid-002", expected: #"(did you mean "child-002"?)"#)
        assertIssue(issues, "children.csv", line: 3, column: 6, value: "c3", expected: "a child_id listed in children.csv")
        XCTAssertFalse(issues.first { $0.value == "c3" }!.expected.contains("did you mean"))
        assertIssue(issues, "placements.csv", line: 3, column: 6, value: "famliy-A", expected: #"(did you mean "family-A"?)"#)
        assertIssue(issues, "exclusions.csv", line: 2, column: 1, value: "child-01", expected: #"(did you mean "child-001"?)"#)
        assertIssue(issues, "exclusions.csv", line: 2, column: 2, value: "hoem-1", expected: #"(did you mean "home-1"?)"#)
    }

    // MARK: Delimiters

    func testASemicolonFileIsReadWithOneWarning() throws {
        let children = "child_id;la_code;lat;lon;age;sex;needs\r\nc1;E09000033;51,5;-0,12;8;F;\"bsl;makaton\"\r\nc2;E09000033;;;12;M;\r\n"
        let placements = "placement_id;type;la_code;capacity;weekly_cost\r\np1;foster;E09000033;2;650,50\r\n"
        let m = try loadMarket(["children.csv": children, "placements.csv": placements])
        XCTAssertEqual(m.children.map(\.id), ["c1", "c2"])
        XCTAssertEqual(m.children[0].location, GeoPoint(lat: 51.5, lon: -0.12))
        XCTAssertEqual(m.children[0].needs, NeedSet([.bsl, .makaton]))
        XCTAssertEqual(m.placements[0].weeklyCost, 650.5)
        XCTAssertEqual(m.warnings.count, 2, m.warnings.joined(separator: "\n"))
        XCTAssertTrue(m.warnings[0].hasPrefix("children.csv:1: the file uses semicolons (;) as the delimiter, as European Excel exports do: read it that way"),
                      m.warnings[0])
        XCTAssertEqual(m.warnings.filter { $0.contains("semicolons") }.count, 2)
    }

    func testATabFileIsReadWithOneWarning() throws {
        let children = "child_id\tla_code\tage\tsex\tneeds\nc1\tE09000033\t8\tF\tbsl;makaton\nc2\tE09000033\t12\t\t\n"
        let issues = loadIssues(LoaderFixture.files(["children.csv": children]))
        // The empty sex cell of c2 is read as empty (a tab is not trimmed away as a blank).
        assertOnlyIssue(issues, "children.csv", line: 3, column: 4, name: "sex", expected: "(required)")
        let m = try loadMarket(LoaderFixture.files(["children.csv": children.replacingOccurrences(of: "12\t\t", with: "12\tM\t")]))
        XCTAssertEqual(m.children[0].needs, NeedSet([.bsl, .makaton]))
        XCTAssertEqual(m.children[1].sex, .M)
        XCTAssertEqual(m.warnings, ["children.csv:1: the file uses tabs as the delimiter: read it that way (numbers with a decimal comma, such as 51,48, are read as decimals)"])
    }

    func testAnUnquotedListInASemicolonFileIsOneLocatedError() {
        let children = "child_id;la_code;age;sex;needs\nc1;E09000033;8;F;bsl;makaton\nc2;E09000033;9;M;\n"
        let issues = loadIssues(LoaderFixture.files(["children.csv": children]))
        assertOnlyIssue(issues, "children.csv", line: 2, column: 6, value: "makaton",
                        expected: "a list cell holding ; must be in double quotes")
    }

    func testTheDelimiterIsSniffedOnlyFromAHeaderWithoutCommas() {
        let known: Set = ["child_id", "la_code", "age", "sex"]
        XCTAssertEqual(CSVTable.sniffDelimiter(Array("\u{FEFF}\n child_id ; LA_Code\n".utf8), known: known), UInt8(ascii: ";"))
        XCTAssertEqual(CSVTable.sniffDelimiter(Array("\"child_id\"\tage\n".utf8), known: known), UInt8(ascii: "\t"))
        XCTAssertNil(CSVTable.sniffDelimiter(Array("child_id,la_code;age\n".utf8), known: known), "a comma file")
        XCTAssertNil(CSVTable.sniffDelimiter(Array("colour;shoe size\n".utf8), known: known), "no known column")
        XCTAssertNil(CSVTable.sniffDelimiter(Array("child_id\n".utf8), known: known))
        // In a comma file a decimal comma stays an error (it would be a thousands separator).
        let issues = loadIssues(LoaderFixture.files(["placements.csv": "placement_id,type,la_code,capacity,weekly_cost\np1,foster,E09000033,2,\"650,50\"\n"]))
        assertOnlyIssue(issues, "placements.csv", line: 2, column: 5, value: "650,50")
    }

    // MARK: Text that is not UTF-8

    func testALatin1FileIsOneIssueWithByteLineColumnAndFix() {
        var bytes = Array("child_id,la_code,age,sex,sibling_group\nc1,E09000033,8,F,\nc2,E09000033,9,M,".utf8)
        bytes += [0x4C, 0xE9, 0x6F, 0x0A]                                  // "Léo" in Latin-1
        bytes += Array("c3,E09000033,10,M,".utf8) + [0xC9, 0x0A]            // "É"
        let issues = loadIssues(bytes: ["children.csv": bytes, "placements.csv": Array(LoaderFixture.placementsCSV.utf8)])
        XCTAssertEqual(issues.count, 1, issues.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(issues[0].description,
                       #"children.csv:3:5 (E): the file is not UTF-8 text (byte 0xE9 in this cell, "é" in Latin-1/Windows-1252, which the file looks like): in Excel choose Save As › CSV UTF-8 (Comma delimited)"#)
    }

    func testTheLineOfABadByteInsideAQuotedCellIsItsOwn() {
        var bytes = Array("child_id,placement_id,reason\nc1,p1,\"first line\nsecond ".utf8)
        bytes += [0x92] + Array("s line\"\n".utf8)                        // a Windows-1252 apostrophe
        let issues = loadIssues(bytes: LoaderFixture.files().mapValues { Array($0.utf8) }.merging(["exclusions.csv": bytes]) { $1 })
        assertOnlyIssue(issues, "exclusions.csv", line: 3, column: 3, expected: "UTF-8 text")
        XCTAssertTrue(issues[0].description.contains(#"byte 0x92 in this cell, "’" in Latin-1/Windows-1252"#), issues[0].description)
    }

    func testAUTF16FileIsOneIssue() {
        let text = LoaderFixture.childrenCSV
        for (bom, units) in [([UInt8(0xFF), 0xFE], text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
                             ([], text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })] {
            let issues = loadIssues(bytes: ["children.csv": bom + units, "placements.csv": Array(LoaderFixture.placementsCSV.utf8)])
            assertOnlyIssue(issues, "children.csv", line: 1, column: nil, expected: "UTF-8 text")
            XCTAssertTrue(issues[0].description.contains("the file is not UTF-8 text"), issues[0].description)
            XCTAssertTrue(issues[0].description.hasSuffix("in Excel choose Save As › CSV UTF-8 (Comma delimited)"), issues[0].description)
        }
    }
}
