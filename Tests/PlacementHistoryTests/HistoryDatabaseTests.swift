// The history file itself: created and migrated from nothing or from an empty file, reopened with
// its nights, and every file that is not a placement history refused as an input error naming it
// (text, another application's SQLite database, a damaged one, a newer schema), never altered.

import Foundation
import GRDB
import PlacementEngine
import PlacementHistory
import XCTest

final class HistoryDatabaseTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func inputError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do { try body() } catch let e as HistoryError {
            XCTAssertEqual(e.kind, .input, e.description, file: file, line: line)
            return e.description
        } catch { XCTFail("\(error)", file: file, line: line) }
        XCTFail("no error", file: file, line: line)
        return ""
    }

    private func tables(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
    }

    func testANewFileAndAnEmptyFileAreMigrated() throws {
        for (name, makeEmpty) in [("new.sqlite", false), ("empty.sqlite", true)] {
            let p = path(name)
            if makeEmpty { XCTAssertTrue(FileManager.default.createFile(atPath: p, contents: Data())) }
            let store = try HistoryStore(path: p, create: true)
            XCTAssertEqual(try store.database.integrityCheck(), ["ok"])
            XCTAssertEqual(try store.report().nights.count, 0)
            XCTAssertEqual(try store.nightHistory(), NightHistory())
        }
        let q = try DatabaseQueue(path: path("new.sqlite"))
        XCTAssertEqual(try q.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }, HistoryDatabase.applicationID)
        XCTAssertEqual(try q.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
        XCTAssertEqual(try tables(path("new.sqlite")), ["decision", "grdb_migrations", "night", "proposal", "sqlite_sequence", "unplaced"])
    }

    func testReopeningKeepsTheNightsAndDecisions() throws {
        let p = path("h.sqlite")
        let market = try Scenario.demo()
        do {
            let store = try HistoryStore(path: p, create: true)
            try Scenario.night(store, market)
            try store.decide(DecisionRequest(childId: "C04", action: .decline, reason: "no place", by: "provider"))
        }
        let again = try HistoryStore(path: p, create: false)
        let report = try again.report()
        XCTAssertEqual(report.nights.map(\.night), [1])
        XCTAssertEqual(report.nights[0].children, 20)
        XCTAssertEqual(report.trends.decisions, ["decline": 1])
        try Scenario.night(again, market)
        XCTAssertEqual(try again.report().nights.map(\.night), [1, 2])
    }

    func testAMissingFileIsAnInputErrorWhenNotCreating() {
        let message = inputError { _ = try HistoryStore(path: path("absent.sqlite"), create: false) }
        XCTAssertTrue(message.contains("absent.sqlite") && message.contains("--db"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("absent.sqlite")))
    }

    func testAFileThatIsNotSQLiteIsAnInputError() throws {
        for (name, bytes) in [("text.sqlite", Data("child_id,placement_id\nA01,A-K1\n".utf8)),
                              ("binary.sqlite", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }))] {
            let p = path(name)
            try bytes.write(to: URL(fileURLWithPath: p))
            let message = inputError { _ = try HistoryStore(path: p, create: true) }
            XCTAssertTrue(message.contains(p) && message.contains("not an SQLite database"), message)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: p)), bytes, "left as it was")
        }
    }

    func testAnotherApplicationsDatabaseIsRefusedAndLeftAlone() throws {
        for (name, appID) in [("foreign-id.sqlite", Int32(42)), ("foreign-noid.sqlite", Int32(0))] {
            let p = path(name)
            do {
                let q = try DatabaseQueue(path: p)
                try q.write { db in
                    try db.execute(sql: "PRAGMA application_id = \(appID)")
                    try db.execute(sql: "CREATE TABLE night (id INTEGER PRIMARY KEY, note TEXT)")
                    try db.execute(sql: "INSERT INTO night (note) VALUES ('theirs')")
                }
                try q.close()
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: p))
            let message = inputError { _ = try HistoryStore(path: p, create: true) }
            XCTAssertTrue(message.contains(p) && message.contains("another application") && message.contains("application_id \(appID)"), message)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: p)), before, "not even its journal mode changed")
        }
    }

    func testADamagedHistoryIsAnInputError() throws {
        let p = path("damaged.sqlite")
        do {
            let store = try HistoryStore(path: p, create: true)
            try Scenario.night(store, try Scenario.demo())
        }
        // Checkpointed into the main file when the last connection closed; then page 1 past the
        // header (the schema) is overwritten.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: p))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xAB, count: 3_996))
        try handle.close()
        let message = inputError { let s = try HistoryStore(path: p, create: false); _ = try s.report() }
        XCTAssertTrue(message.contains(p) && message.contains("damaged"), message)
    }

    func testANewerSchemaIsRefused() throws {
        let p = path("newer.sqlite")
        _ = try HistoryStore(path: p, create: true)
        let q = try DatabaseQueue(path: p)
        try q.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')") }
        try q.close()
        let message = inputError { _ = try HistoryStore(path: p, create: false) }
        XCTAssertTrue(message.contains("newer placement"), message)
    }

    /// Several connections creating the same new file at once: one migrates, none fails.
    func testConcurrentCreationMigratesOnce() throws {
        for round in 0..<20 {
            let p = path("race-\(round).sqlite")
            let errors = ErrorBox()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try HistoryStore(path: p, create: true) } catch { errors.add("\(error)") }
            }
            XCTAssertEqual(errors.all, [], "round \(round)")
            XCTAssertEqual(try tables(p).filter { $0 == "night" }.count, 1)
        }
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ e: String) { lock.lock(); errors.append(e); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return errors }
}
