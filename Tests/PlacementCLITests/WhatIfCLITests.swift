// End to end: the built `placement` binary runs `whatif` on fixtures/demo with --add, exits 0 and
// writes its four files (report.html among them); a bad scenario exits 2 and writes nothing.

import Foundation
import XCTest

final class WhatIfCLITests: XCTestCase {
    func testWhatIfWithAddWritesTheDiff() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("whatif-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try PlacementBinary.run(["whatif", "fixtures/demo", "--add", "residential:North West:2", "--threads", "2", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("Scenario: add residential:North West:2"), r.out)
        XCTAssertTrue(r.out.contains("WIF-residential-NW-0001"), r.out)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(names, ["changed.csv", "diff.csv", "diff.json", "report.html"])
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("id=\"changed\"") && report.contains("What if: "), "the what-if report lacks its sections")
        let diff = try String(contentsOf: out.appendingPathComponent("diff.csv"), encoding: .utf8)
        XCTAssertTrue(diff.hasPrefix("scope,group,metric,baseline,scenario,change\ntotal,total,objective,7545.531343,"), diff)
        let changed = try String(contentsOf: out.appendingPathComponent("changed.csv"), encoding: .utf8)
        XCTAssertTrue(changed.hasPrefix("child_id,child_rcc,baseline_placement,"), changed)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("diff.json"))) as? [String: Any]
        let baseline = json?["baseline"] as? [String: Any]
        XCTAssertEqual(baseline?["objective"] as? Double ?? 0, 7545.531343, accuracy: 1e-6)
        let scenario = json?["scenario"] as? [String: Any]
        XCTAssertEqual((scenario?["changes"] as? [[String: Any]])?.first?["change"] as? String, "add residential:North West:2")
        let outcome = json?["outcome"] as? [String: Any]
        XCTAssertLessThanOrEqual(outcome?["objective"] as? Double ?? .infinity, 7545.531343 + 1e-6)
    }

    func testSweepWritesRankedVariants() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("whatif-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try PlacementBinary.run(["whatif", "fixtures/demo", "--sweep", "--places", "2", "--quick", "--threads", "2", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("kinship is not swept"), r.out)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["sweep.csv", "sweep.json"])
        let rows = try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 1 + 3 * 3)   // header + 3 RCCs x foster, residential, supported
        XCTAssertTrue(rows[1].hasPrefix("1,North West,residential,2,"), String(rows[1]))
    }

    func testABadScenarioExitsTwoAndWritesNothing() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("whatif-cli-\(UUID().uuidString)")
        let r = try PlacementBinary.run(["whatif", "fixtures/demo", "--add", "foster:Atlantis:2", "--close", "NOPE", "--out", out.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("the scenario has 2 problems"), r.err)
        XCTAssertTrue(r.err.contains("command line: --add = \"foster:Atlantis:2\": expected an RCC"), r.err)
        XCTAssertTrue(r.err.contains("command line: --close = \"NOPE\": expected a placement_id"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
