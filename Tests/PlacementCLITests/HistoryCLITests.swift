// The run history end to end with the built binary (issue 13): the README's three-night
// walkthrough; a file that is not a placement history is exit 2 naming it; decide checks its
// command line before any work; kill -9 at random moments during `match --db` and `decide` leaves
// the database sound with whole nights only; two processes deciding at once lose nothing.

import Foundation
import GRDB
import PlacementHistory
import XCTest

final class HistoryCLITests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @discardableResult
    func placement(_ args: [String], status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        let r = try PlacementBinary.run(args)
        XCTAssertEqual(r.status, status, "\(args.joined(separator: " ")): \(r.err)", file: file, line: line)
        return (r.out, r.err)
    }

    func matches(_ out: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path(out) + "/matches.csv", encoding: .utf8)
        var result: [String: String] = [:]
        for row in text.split(separator: "\n").dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            result[String(f[0])] = "\(f[1]) \(f[10])"   // placement, arc_cost
        }
        return result
    }

    /// The README's walkthrough, command by command.
    func testTheThreeNightWalkthroughOfTheREADME() throws {
        let db = path("history.sqlite")
        let n1 = try placement(["match", "fixtures/demo", "--out", path("night1"), "--db", db])
        XCTAssertTrue(n1.out.contains("objective 7545.53"), n1.out)
        XCTAssertTrue(n1.out.hasSuffix("Recorded night 1 in \(db)\n"), n1.out)
        let d = try placement(["decide", "--db", db, "--child", "D02", "--accept", "--by", "LA placements team"])
        XCTAssertEqual(d.out, "Recorded: D02 accepted at D-K1 (proposal of night 1): placed; later nights leave D02 out.\n")
        try placement(["decide", "--db", db, "--child", "C04", "--decline", "--reason", "therapeutic place filled", "--by", "provider"])
        try placement(["decide", "--db", db, "--child", "B04", "--decline", "--by", "provider"])

        let n2 = try placement(["match", "fixtures/demo", "--out", path("night2"), "--db", db])
        XCTAssertTrue(n2.err.contains("warning: children.csv: child_id = \"D02\": child D02 was placed"), n2.err)
        XCTAssertTrue(n2.out.contains("Recorded night 2 in \(db) (2 declined pairings excluded; placed, left out: D02; 13 outstanding proposals kept)"), n2.out)
        let m1 = try matches("night1"), m2 = try matches("night2")
        XCTAssertEqual(m1["C04"], "C-F4 63.29"); XCTAssertNil(m2["C04"])
        XCTAssertEqual(m1["B04"], "B-F4 146.05"); XCTAssertEqual(m2["B04"], "B-F5 151.33")
        XCTAssertNil(m2["D02"])
        XCTAssertEqual(m2["B05"], "B-F3 89.12")          // kept: the move would gain less than 50
        XCTAssertEqual(m2["C01"], "C-F4 229.85")         // moved: 179.85 + the threshold, against 339.37
        let unmatched2 = try String(contentsOfFile: path("night2") + "/unmatched.csv", encoding: .utf8)
        XCTAssertTrue(unmatched2.contains("C04,E08000019,0,no_eligible_placement,") && unmatched2.contains("excluded=1"), unmatched2)
        let summary2 = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("night2") + "/summary.json"))) as! [String: Any]
        let policy = summary2["policy"] as! [String: Any]
        XCTAssertEqual(policy["reproposal_threshold"] as? Double, 50)
        XCTAssertEqual(policy["waiting_penalty_per_night"] as? Double, 100)
        XCTAssertEqual((summary2["warnings"] as! [String]).count, 1)

        try placement(["decide", "--db", db, "--child", "B05", "--accept"])
        let lift = try placement(["decide", "--db", db, "--child", "C04", "--lift", "--reason", "place reopened"])
        XCTAssertEqual(lift.out, "Recorded: C04's decline by C-F4 (night 1) lifted: the pairing may be proposed again.\n")
        try placement(["match", "fixtures/demo", "--out", path("night3"), "--db", db, "--quiet"])
        let m3 = try matches("night3")
        XCTAssertEqual(m3["C04"], "C-F4 63.29")
        XCTAssertEqual(m3["C01"], "C-R2 389.37")
        XCTAssertNil(m3["B05"])

        let report = try placement(["history", "--db", db]).out
        XCTAssertTrue(report.hasPrefix("history.sqlite: 3 nights"), report)
        XCTAssertTrue(report.contains("Trends: placed share 90.0% -> 84.2% -> 88.9%"), report)
        XCTAssertTrue(report.contains("Waiting longest: D01 3 nights"), report)
        XCTAssertTrue(report.contains("Decisions: 2 accepted, 2 declined, 1 lifted; declines in force 1; children placed 2"), report)
        let timeline = try placement(["history", "--db", db, "--child", "C04"]).out
        XCTAssertTrue(timeline.contains("declined C-F4 by provider: \"therapeutic place filled\""), timeline)
        XCTAssertTrue(timeline.hasSuffix("Now: waiting, 3 nights so far; proposal at C-F4 outstanding\n"), timeline)
        let json = try JSONSerialization.jsonObject(with: Data(placement(["history", "--db", db, "--json"]).out.utf8)) as! [String: Any]
        XCTAssertEqual((json["nights"] as! [Any]).count, 3)
    }

    func testAFileThatIsNotAPlacementHistoryIsExitTwoNamedAndLeftAlone() throws {
        let text = path("notes.sqlite")
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: text))
        let foreign = path("crm.sqlite")
        do {
            let q = try DatabaseQueue(path: foreign)
            try q.write { db in
                try db.execute(sql: "PRAGMA application_id = 7")
                try db.execute(sql: "CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT)")
            }
            try q.close()
        }
        let foreignBytes = try Data(contentsOf: URL(fileURLWithPath: foreign))
        for (db, words) in [(text, "not an SQLite database"), (foreign, "another application")] {
            let out = path("out-\(UUID().uuidString)")
            let r = try placement(["match", "fixtures/demo", "--out", out, "--db", db], status: 2)
            XCTAssertTrue(r.err.hasPrefix("error: \(db) is not a placement history") && r.err.contains(words), r.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written")
            try placement(["history", "--db", db], status: 2)
            try placement(["decide", "--db", db, "--child", "A01", "--accept"], status: 2)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: foreign)), foreignBytes)
        let missing = try placement(["history", "--db", path("none.sqlite")], status: 2)
        XCTAssertTrue(missing.err.contains("none.sqlite: no such placement history"), missing.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("none.sqlite")))
        try placement(["match", "fixtures/demo", "--out", path("o"), "--db", path("no-folder/h.sqlite")], status: 4)
    }

    func testDecideChecksItsCommandLineFirst() throws {
        let db = path("absent.sqlite")   // never opened: the command line is wrong first
        let none = try placement(["decide", "--db", db, "--child", "A01"], status: 64)
        XCTAssertTrue(none.err.contains("give one of --accept, --decline, --withdraw or --lift"), none.err)
        let two = try placement(["decide", "--db", db, "--child", "A01", "--accept", "--withdraw"], status: 64)
        XCTAssertTrue(two.err.contains("got --accept and --withdraw"), two.err)
        try placement(["decide", "--db", db, "--child", "A01", "--accept", "--reason", "two\nlines"], status: 64)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
        try placement(["match", "fixtures/demo", "--out", path("n1"), "--db", path("h.sqlite"), "--quiet"])
        let wrong = try placement(["decide", "--db", path("h.sqlite"), "--child", "A1", "--accept"], status: 2)
        XCTAssertTrue(wrong.err.contains("child A1 has never been proposed or left unplaced") && wrong.err.contains("did you mean A01?"), wrong.err)
    }

    // MARK: Crash safety and concurrency

    /// `PRAGMA integrity_check` is ok, no row lacks its night, and every night holds exactly its
    /// children's rows (proposals + unplaced = children). Returns the nights and decisions.
    func checkWhole(_ db: String, file: StaticString = #filePath, line: UInt = #line) throws -> (nights: Int, decisions: Int) {
        let q = try DatabaseQueue(path: db)
        defer { try? q.close() }
        return try q.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"], file: file, line: line)
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0, file: file, line: line)
            let broken = try Row.fetchAll(db, sql: """
                SELECT n.id, n.children,
                  (SELECT COUNT(*) FROM proposal p WHERE p.night_id = n.id) + (SELECT COUNT(*) FROM unplaced u WHERE u.night_id = n.id) AS rows,
                  (SELECT COUNT(*) FROM proposal p WHERE p.night_id = n.id) AS placed_rows, n.placed
                FROM night n WHERE rows != n.children OR placed_rows != n.placed
                """)
            XCTAssertEqual(broken.count, 0, "half-recorded nights: \(broken)", file: file, line: line)
            return (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM night")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decision")!)
        }
    }

    func testKillNineAtRandomMomentsLeavesWholeNightsOnly() throws {
        let db = path("crash.sqlite")
        try placement(["match", "fixtures/demo", "--out", path("first"), "--db", db, "--quiet"])
        let binary = try PlacementBinary.binary()
        var rng = SplitMix(seed: 2024)
        var kills = 0, matchKills = 0, decideKills = 0, attempts = 0, insideTransaction = 0
        let started = Date()
        while kills < 32 && attempts < 90 {
            attempts += 1
            var args: [String]
            var window: Double
            let outstanding = try HistoryStore(path: db, create: false).nightHistory().waiting
                .compactMap { $0.value.outstandingPlacementId == nil ? nil : $0.key }.sorted()
            if attempts % 2 == 0 || outstanding.isEmpty {
                // About 0.1 s to start and solve, then 20 rows at 4 ms each inside the transaction.
                args = ["match", "fixtures/demo", "--out", path("out"), "--db", db, "--quiet", "--db-row-delay", "0.004"]
                window = 0.38
            } else {
                let child = outstanding[Int(rng.next() % UInt64(outstanding.count))]
                let action = ["--accept", "--decline", "--withdraw"][Int(rng.next() % 3)]
                args = ["decide", "--db", db, "--child", child, action, "--db-row-delay", "0.05"]
                window = 0.1
            }
            let p = Process()
            p.executableURL = binary
            p.arguments = args
            p.currentDirectoryURL = PlacementBinary.root
            p.standardOutput = FileHandle.nullDevice
            let err = Pipe()
            p.standardError = err
            let before = try checkWhole(db)
            try p.run()
            Thread.sleep(forTimeInterval: Double(rng.next() % 1_000) / 1_000 * window)
            var killed = false
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killed = true
                kills += 1
                if args[0] == "match" { matchKills += 1 } else { decideKills += 1 }
            }
            p.waitUntilExit()
            let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let after = try checkWhole(db)
            // Killed after a row was written and before the commit: the transaction was open.
            if killed, said.contains("transaction open"), after == before { insideTransaction += 1 }
        }
        let (nights, decisions) = try checkWhole(db)
        print("kill -9: \(kills) kills (\(matchKills) match, \(decideKills) decide; \(insideTransaction) inside an open write transaction) in \(attempts) runs, \(nights) nights and \(decisions) decisions recorded whole, \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        XCTAssertGreaterThanOrEqual(kills, 30)
        XCTAssertGreaterThan(matchKills, 5)
        XCTAssertGreaterThan(decideKills, 5)
        XCTAssertGreaterThanOrEqual(insideTransaction, 10, "the kills should land inside write transactions too")
        // The history still works: one more night records and reads.
        try placement(["match", "fixtures/demo", "--out", path("after"), "--db", db, "--quiet"])
        XCTAssertEqual(try checkWhole(db).nights, nights + 1)
    }

    func testTwoProcessesDecidingAtOnceAreAllRecorded() throws {
        let db = path("concurrent.sqlite")
        try placement(["match", "fixtures/demo", "--out", path("n1"), "--db", db, "--quiet"])
        let children = try HistoryStore(path: db, create: false).nightHistory().waiting
            .compactMap { $0.value.outstandingPlacementId == nil ? nil : $0.key }.sorted()
        XCTAssertEqual(children.count, 18)
        let halves = [children.enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
                      children.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)]
        let actions = ["--accept", "--decline"]
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            for child in halves[k] {
                // Each decide holds the write lock 20 ms, so the two processes wait on each other.
                do {
                    let r = try PlacementBinary.run(["decide", "--db", db, "--child", child, actions[k], "--by", "process \(k)", "--db-row-delay", "0.02"])
                    if r.status != 0 { failures.add("\(child): \(r.err)") }
                } catch { failures.add("\(child): \(error)") }
            }
        }
        XCTAssertEqual(failures.all, [])
        let q = try DatabaseQueue(path: db)
        defer { try? q.close() }
        let rows = try q.read { try Row.fetchAll($0, sql: "SELECT child_id, action, decided_by FROM decision ORDER BY child_id") }
        XCTAssertEqual(rows.map { $0[0] as String }, children)
        for row in rows {
            let k = halves[0].contains(row[0] as String) ? 0 : 1
            XCTAssertEqual(row[1] as String, ["accept", "decline"][k])
            XCTAssertEqual(row[2] as String, "process \(k)")
        }
        XCTAssertEqual(try checkWhole(db).decisions, 18)
    }
}

/// A small seeded generator (SplitMix64), for the kill test's moments.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
