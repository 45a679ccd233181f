// End to end, a commissioner's spreadsheet slips (issue 12): a misspelt column warns with "did you
// mean" on standard error even with --quiet, and in summary.json; --strict makes it exit 2 with
// nothing written; a file delimited by semicolons is read with one message naming the delimiter;
// `validate --json` prints a JSON verdict on standard output whatever the outcome.

import Foundation
import XCTest

final class ForgivingInputCLITests: XCTestCase {
    private var cleanup: [URL] = []

    override func tearDown() {
        for u in cleanup { try? FileManager.default.removeItem(at: u) }
        cleanup = []
        super.tearDown()
    }

    private func temporary(_ name: String) -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("forgiving-cli-\(name)-\(UUID().uuidString)")
        cleanup.append(u)
        return u
    }

    /// A copy of fixtures/demo whose children.csv is `edit`ed (its text in, its new text out).
    private func demo(_ name: String, children edit: (String) -> String) throws -> URL {
        let market = temporary(name)
        try FileManager.default.copyItem(at: PlacementBinary.root.appendingPathComponent("fixtures/demo"), to: market)
        let file = market.appendingPathComponent("children.csv")
        try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        return market
    }

    private func misspelt() throws -> URL {
        try demo("neded-by") { text in
            XCTAssertTrue(text.hasPrefix("child_id,la_code,lat,lon,age,sex,needed_by,"))
            return text.replacingOccurrences(of: ",needed_by,", with: ",neded_by,")
        }
    }

    private static let warning = #"warning: children.csv:1:7 (G): unknown column "neded_by" (did you mean "needed_by"?): ignored"#

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testAMisspeltColumnWarnsWithDidYouMeanEvenWhenQuietAndInTheSummary() throws {
        let market = try misspelt()
        let out = temporary("out")
        let r = try PlacementBinary.run(["match", market.path, "--out", out.path, "--quiet", "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "")
        XCTAssertEqual(r.err.components(separatedBy: "\n").filter { $0 == Self.warning }.count, 1, r.err)
        let summary = try json(String(decoding: try Data(contentsOf: out.appendingPathComponent("summary.json")), as: UTF8.self))
        XCTAssertEqual(summary["warnings"] as? [String], [String(Self.warning.dropFirst("warning: ".count))])

        // --json prints the summary, warnings included, and the warning on standard error too.
        let j = try PlacementBinary.run(["match", market.path, "--out", temporary("out-json").path, "--json", "--threads", "2"])
        XCTAssertEqual(j.status, 0, j.err)
        XCTAssertEqual(try json(j.out)["warnings"] as? [String], summary["warnings"] as? [String])
        XCTAssertTrue(j.err.contains(Self.warning), j.err)

        // The other commands that read a market say it as well, quiet or not.
        for args in [["validate", market.path, "--quiet"], ["explain", market.path, "--child", "A01", "--quiet"],
                     ["whatif", market.path, "--set", "allow_cross_rcc=false", "--quiet"]] {
            let o = try PlacementBinary.run(args)
            XCTAssertEqual(o.status, 0, "\(args[0]): \(o.err)")
            XCTAssertTrue(o.err.contains(Self.warning), "\(args[0]): \(o.err)")
        }

        // A market without warnings: an empty list.
        let clean = temporary("clean")
        XCTAssertEqual(try PlacementBinary.run(["match", "fixtures/demo", "--out", clean.path, "--quiet"]).status, 0)
        let cleanSummary = try json(String(decoding: try Data(contentsOf: clean.appendingPathComponent("summary.json")), as: UTF8.self))
        XCTAssertEqual(cleanSummary["warnings"] as? [String], [])
    }

    func testStrictMakesTheWarningAnErrorAndWritesNothing() throws {
        let market = try misspelt()
        let out = temporary("strict-out")
        let r = try PlacementBinary.run(["match", market.path, "--out", out.path, "--strict"])
        XCTAssertEqual(r.status, 2, r.err)
        XCTAssertTrue(r.err.contains("error: the market has 1 input problem; nothing was written."), r.err)
        XCTAssertTrue(r.err.contains(#"children.csv:1:7 (G): unknown column "neded_by" (did you mean "needed_by"?): ignored; --strict makes this warning an error"#), r.err)
        XCTAssertFalse(r.err.contains("warning:"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        // A market without warnings passes --strict.
        XCTAssertEqual(try PlacementBinary.run(["validate", "fixtures/demo", "--strict"]).status, 0)
    }

    func testASemicolonFileIsReadWithOneMessageNamingTheDelimiter() throws {
        let market = try demo("semi") { text in
            // Excel's European export: ; between cells, decimal commas, a list cell quoted.
            text.components(separatedBy: "\n").map { line -> String in
                let cells = line.components(separatedBy: ",").map { cell -> String in
                    if cell.contains(";") { return "\"\(cell)\"" }
                    return Double(cell) != nil ? cell.replacingOccurrences(of: ".", with: ",") : cell
                }
                return cells.joined(separator: ";")
            }.joined(separator: "\r\n")
        }
        let r = try PlacementBinary.run(["validate", market.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("valid — 20 children"), r.out)
        let naming = r.err.components(separatedBy: "\n").filter { $0.contains("semicolons") }
        XCTAssertEqual(naming, ["warning: children.csv:1: the file uses semicolons (;) as the delimiter, as European Excel exports do: read it that way (numbers with a decimal comma, such as 51,48, are read as decimals; a list cell holding ; must be in double quotes)"], r.err)
        XCTAssertFalse(r.err.contains("error"), r.err)

        // The same answer as the comma file.
        let a = temporary("semi-out"), b = temporary("comma-out")
        XCTAssertEqual(try PlacementBinary.run(["match", market.path, "--out", a.path, "--quiet"]).status, 0)
        XCTAssertEqual(try PlacementBinary.run(["match", "fixtures/demo", "--out", b.path, "--quiet"]).status, 0)
        for name in ["matches.csv", "unmatched.csv"] {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)), try Data(contentsOf: b.appendingPathComponent(name)), name)
        }
    }

    func testValidateJSONPrintsTheVerdictWhateverTheOutcome() throws {
        let market = try demo("invalid") { text in
            var lines = text.components(separatedBy: "\n")
            lines[1] = lines[1].replacingOccurrences(of: ",today,", with: ",tody,")        // needed_by, column 7 (G)
            lines[2] = lines[2].replacingOccurrences(of: "E08000003", with: "Manchester")  // la_code, column 2 (B)
            return lines.joined(separator: "\n").replacingOccurrences(of: ",not_with", with: ",not_wiht")
        }
        let r = try PlacementBinary.run(["validate", market.path, "--json"])
        XCTAssertEqual(r.status, 2, r.err)
        let doc = try json(r.out)
        XCTAssertEqual(doc["valid"] as? Bool, false)
        let errors = try XCTUnwrap(doc["errors"] as? [[String: Any]])
        XCTAssertEqual(errors.count, 2, r.out)
        XCTAssertEqual(errors[0]["file"] as? String, "children.csv")
        XCTAssertEqual(errors[0]["line"] as? Int, 2)
        XCTAssertEqual(errors[0]["column"] as? Int, 7)
        XCTAssertEqual(errors[0]["column_letter"] as? String, "G")
        XCTAssertEqual(errors[0]["message"] as? String,
                       #"needed_by = "tody": expected one of today, within_5_days or after_5_days (did you mean "today"?)"#)
        XCTAssertEqual(errors[1]["column_letter"] as? String, "B")
        XCTAssertTrue((errors[1]["message"] as? String ?? "").contains(#""Manchester" is an LA name: its code is E08000003"#), r.out)
        XCTAssertEqual(doc["warnings"] as? [String], [#"children.csv:1:20 (T): unknown column "not_wiht" (did you mean "not_with"?): ignored"#])
        XCTAssertTrue(r.err.contains("error: the market has 2 input problems"), r.err)

        // Valid: today's keys, and no errors.
        let ok = try PlacementBinary.run(["validate", "fixtures/demo", "--json"])
        XCTAssertEqual(ok.status, 0, ok.err)
        let valid = try json(ok.out)
        XCTAssertEqual(Set(valid.keys), ["valid", "children", "placements", "warnings", "errors"])
        XCTAssertEqual(valid["valid"] as? Bool, true)
        XCTAssertEqual((valid["errors"] as? [Any])?.count, 0)
    }
}
