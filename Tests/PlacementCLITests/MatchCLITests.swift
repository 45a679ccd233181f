// End to end: the built `placement` binary runs `match` and exits with the status the README
// promises, with its message on standard error: 0 (written), 2 (bad input, located, nothing
// written), 3 (the independent check rejected the answer: the hidden `--backend` option's
// wrong-mip, a scripted backend whose programs answer wrongly), 4 (outputs could not be written),
// 5 (the solver failed: its failing backends), 64 (a wrong command line, before any work).

import Foundation
import XCTest

final class MatchCLITests: XCTestCase {
    private func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("match-cli-\(name)-\(UUID().uuidString)")
    }

    func testMatchOnTheDemoExitsZeroAndWritesItsFourFiles() throws {
        let out = temporary("demo")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try PlacementBinary.run(["match", "fixtures/demo", "--out", out.path, "--threads", "2"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("Status: optimal"), r.out)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(names, ["matches.csv", "report.html", "summary.json", "unmatched.csv"])
        let matches = try String(contentsOf: out.appendingPathComponent("matches.csv"), encoding: .utf8)
        XCTAssertTrue(matches.hasPrefix("child_id,placement_id,type,child_la,placement_la,distance_km,risk,weekly_cost,cross_rcc,with_siblings,arc_cost,choice_rank,eligible_count,child_la_name,placement_la_name\n"))
        XCTAssertTrue(matches.contains(",Manchester,Tameside\n"), matches)
        let unmatched = try String(contentsOf: out.appendingPathComponent("unmatched.csv"), encoding: .utf8)
        XCTAssertTrue(unmatched.hasPrefix("child_id,la_code,eligible_count,reason,detail,la_name\n"), unmatched)
        XCTAssertTrue(unmatched.contains("no_eligible_placement,") && unmatched.contains(",Liverpool\n"), unmatched)
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertEqual(report.components(separatedBy: "<line class=\"proposal ").count - 1, 18)
    }

    func testBadInputExitsTwoWithItsLocationAndWritesNothing() throws {
        let market = temporary("bad-market"), out = temporary("bad-out")
        defer { for u in [market, out] { try? FileManager.default.removeItem(at: u) } }
        try FileManager.default.copyItem(at: PlacementBinary.root.appendingPathComponent("fixtures/demo"), to: market)
        let file = market.appendingPathComponent("children.csv")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[2].components(separatedBy: ",")
        fields[4] = "abc"   // age, line 3 column 5
        lines[2] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try PlacementBinary.run(["match", market.path, "--out", out.path])
        XCTAssertEqual(r.status, 2, r.err)
        XCTAssertTrue(r.err.contains("children.csv:3:5"), r.err)
        XCTAssertTrue(r.err.contains("nothing was written"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testASolverFailureExitsFiveSaysSoAndWritesNothing() throws {
        // (The demo's plan needs no integer program: its LP is integral. stress-120-s2's does.)
        let market = temporary("stress-120-s2")
        defer { try? FileManager.default.removeItem(at: market) }
        let g = try PlacementBinary.run(["generate", "--stress", "--children", "120", "--seed", "2", "--out", market.path])
        XCTAssertEqual(g.status, 0, g.err)
        for (backend, folder) in [("failing-mip", market.path), ("failing-lp", "fixtures/demo")] {
            let out = temporary(backend)
            defer { try? FileManager.default.removeItem(at: out) }
            let r = try PlacementBinary.run(["match", folder, "--out", out.path, "--backend", backend])
            XCTAssertEqual(r.status, 5, "\(backend): \(r.err)")
            XCTAssertTrue(r.err.contains("error: the solver failed: "), "\(backend): \(r.err)")
            XCTAssertTrue(r.err.contains("scripted for tests"), "\(backend): names the backend: \(r.err)")
            XCTAssertTrue(r.err.contains("nothing was written"), "\(backend): \(r.err)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), backend)
        }
    }

    func testAWrongAnswerExitsThreeSaysSoAndWritesNothing() throws {
        let market = temporary("wrong-market"), out = temporary("wrong-out")
        defer { for u in [market, out] { try? FileManager.default.removeItem(at: u) } }
        XCTAssertEqual(try PlacementBinary.run(["generate", "--stress", "--children", "120", "--seed", "2", "--out", market.path]).status, 0)
        let r = try PlacementBinary.run(["match", market.path, "--out", out.path, "--backend", "wrong-mip"])
        XCTAssertEqual(r.status, 3, r.err)
        XCTAssertTrue(r.err.contains("the independent check rejected the engine's answer"), r.err)
        XCTAssertTrue(r.err.contains("nothing was written"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testATimeLimitThatStoppedTheSolveIsWrittenAsItsStopReason() throws {
        // Every LP says it ran out of time (scripted): the answer is written, time_limit and why.
        let out = temporary("lp-out")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try PlacementBinary.run(["match", "fixtures/demo", "--out", out.path, "--quiet", "--backend", "lp-out-of-time",
                                         "--time-limit", "3600"])
        XCTAssertEqual(r.status, 0, r.err)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        XCTAssertEqual(summary["stop_reason"] as? String, "time_limit", "\(summary)")
        XCTAssertNotEqual(summary["status"] as? String, "optimal", "\(summary)")
    }

    func testSummaryNamesWhyTheSolveStoppedAndTheBackend() throws {
        let out = temporary("summary")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try PlacementBinary.run(["match", "fixtures/demo", "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
        XCTAssertEqual(summary["status"] as? String, "optimal")
        XCTAssertEqual(summary["stop_reason"] as? String, "optimal")
        let solver = try XCTUnwrap(summary["solver"] as? [String: Any])
        XCTAssertTrue((solver["backend"] as? String ?? "").hasPrefix("glpk "), "\(solver)")
    }

    func testLogWritesTheSolvesDiagnosticsToAFile() throws {
        let market = temporary("log-market"), out = temporary("log-out"), log = temporary("solve.log")
        defer { for u in [market, out, log] { try? FileManager.default.removeItem(at: u) } }
        XCTAssertEqual(try PlacementBinary.run(["generate", "--stress", "--children", "60", "--seed", "1", "--out", market.path]).status, 0)
        let r = try PlacementBinary.run(["match", market.path, "--out", out.path, "--log", log.path, "--log-level", "trace", "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.err, "", "the log goes to its file, not to standard error")
        let text = try String(contentsOf: log, encoding: .utf8)
        XCTAssertTrue(text.contains("debug placement.solve: transport auction"), text)
        XCTAssertTrue(text.contains("component_1 round 1 patterns"), text)
        let unwritable = try PlacementBinary.run(["match", market.path, "--out", out.path, "--log", "/nonexistent-folder/solve.log"])
        XCTAssertEqual(unwritable.status, 4, unwritable.err)
        XCTAssertTrue(unwritable.err.contains("cannot write the log"), unwritable.err)
    }

    func testUnwritableOutputExitsFour() throws {
        let blocker = temporary("file")
        defer { try? FileManager.default.removeItem(at: blocker) }
        try Data("not a folder\n".utf8).write(to: blocker)
        let r = try PlacementBinary.run(["match", "fixtures/demo", "--out", blocker.appendingPathComponent("out").path])
        XCTAssertEqual(r.status, 4, r.err)
        XCTAssertTrue(r.err.contains("cannot write outputs"), r.err)
    }

    func testWrongCommandLinesExitSixtyFourWithTheUsageLine() throws {
        let out = temporary("usage")
        defer { try? FileManager.default.removeItem(at: out) }
        for arguments in [["match", "fixtures/demo", "--out", out.path, "--threads", "0"],
                          ["match", "fixtures/demo", "--out", out.path, "--no-such-option"],
                          ["match", "fixtures/demo"],
                          ["match", "fixtures/no-such-market", "--out", out.path]] {
            let r = try PlacementBinary.run(arguments)
            XCTAssertEqual(r.status, 64, "\(arguments): \(r.err)")
            XCTAssertTrue(r.err.contains("Usage: placement match"), "\(arguments): \(r.err)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(arguments)")
        }
    }
}
