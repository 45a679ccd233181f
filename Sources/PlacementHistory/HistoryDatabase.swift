// The run history (issue 13): one SQLite file (`--db FILE`), opened with GRDB as a DatabasePool in
// WAL mode, so that a night being recorded and a decision typed at the same moment are serialised
// (busy timeout) and a kill -9 at any moment leaves the file consistent (every write is one
// transaction). The schema is built by `DatabaseMigrator`; `PRAGMA application_id` marks the file
// as ours, so that another application's database is recognised and refused, never altered.
// Ids and facts the market already holds only: no names, no dates of birth, nothing personal.

import Foundation
import GRDB

/// Why the history could not be used; the CLI's exit status follows `kind`.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The file is not a placement history (not SQLite, another application's database,
        /// damaged, written by a newer engine), or a decision that cannot be taken: exit 2.
        case input
        /// The file could not be created or written (a missing folder, permissions, held by
        /// another process beyond the busy timeout, a full disk): exit 4.
        case write
    }
    public var kind: Kind
    public var description: String
    public init(_ kind: Kind, _ description: String) { self.kind = kind; self.description = description }
}

public final class HistoryDatabase: Sendable {
    /// `PRAGMA application_id` of a placement history: "PLMH" in ASCII.
    public static let applicationID: Int32 = 0x504C_4D48
    /// How long a write waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 10

    public let path: String
    let pool: DatabasePool

    /// Opens the history at `path`, creating it when `create` is true and the file does not exist
    /// (or is empty); migrates an older schema. Throws `HistoryError` naming the file.
    public init(path: String, create: Bool) throws(HistoryError) {
        self.path = path
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue {
            throw HistoryError(.input, "\(path) is a folder, not a placement history (a file such as history.sqlite)")
        }
        if !exists, !create {
            throw HistoryError(.input, "\(path): no such placement history (placement match MARKET --out DIR --db \(path) creates it)")
        }
        if !exists {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !fm.fileExists(atPath: folder) {
                throw HistoryError(.write, "cannot create the history \(path): its folder \(folder) does not exist")
            }
        } else if !fm.isReadableFile(atPath: path) {
            throw HistoryError(.write, "cannot open the history \(path): the file cannot be read (permissions)")
        }
        if exists, let error = Self.notSQLite(path) { throw error }

        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "placement.history"
        // Whose file is it? Asked through a plain connection first: opening the pool sets WAL
        // mode, a change another application's database must never get from us.
        if exists {
            do {
                try Self.retryingBusy {
                    let probe = try DatabaseQueue(path: path, configuration: configuration)
                    try Self.checkOurs(probe, path: path)
                    try probe.close()
                }
            } catch let error as HistoryError { throw error } catch {
                throw Self.failure(error, path: path, doing: "open")
            }
        }
        do {
            pool = try Self.retryingBusy { try DatabasePool(path: path, configuration: configuration) }
        } catch {
            throw Self.failure(error, path: path, doing: "open")
        }
        do {
            // A new file is marked ours before anything else is written to it: the migrator
            // creates its own table before the first migration's transaction, and a process
            // opening the file in between must not take it for another application's.
            let pool = self.pool
            try Self.retryingBusy {
                if try pool.read({ try Self.isBlank($0) }) {
                    try pool.write { db in
                        if try Self.isBlank(db) { try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)") }
                    }
                }
                try Self.checkOurs(pool, path: path)
            }
        } catch let error as HistoryError { throw error } catch {
            throw Self.failure(error, path: path, doing: "open")
        }
        try migrate()
    }

    /// `body`, tried again while SQLite answers busy, until the busy timeout. SQLite answers
    /// SQLITE_BUSY at once, without calling the busy handler, where waiting could deadlock (a
    /// read transaction that would become a write, a connection switching a new file to WAL while
    /// others open it): measured in testConcurrentCreationMigratesOnce, 1-4 of 20 rounds of six
    /// openers failed at once on a loaded 2-core VM with "held for more than 10 s".
    static func retryingBusy<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// A file that exists and is not empty but does not start with SQLite's header.
    static func notSQLite(_ path: String) -> HistoryError? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.isEmpty { return nil }   // an empty file: a new history
        if head == Data("SQLite format 3\u{0}".utf8) { return nil }
        return HistoryError(.input, "\(path) is not a placement history: the file is not an SQLite database")
    }

    /// Maps an SQLite error to a history error naming the file.
    static func failure(_ error: any Error, path: String, doing: String) -> HistoryError {
        guard let db = error as? DatabaseError else {
            return HistoryError(.write, "cannot \(doing) the history \(path): \(error)")
        }
        switch db.resultCode {
        case .SQLITE_NOTADB:
            return HistoryError(.input, "\(path) is not a placement history: the file is not an SQLite database")
        case .SQLITE_CORRUPT:
            return HistoryError(.input, "\(path) is damaged: SQLite reports \(db.message ?? "a malformed database") (restore it from a backup)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return HistoryError(.write, "cannot \(doing) the history \(path): another process held it for more than \(Int(busyTimeout)) s")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_FULL, .SQLITE_IOERR:
            return HistoryError(.write, "cannot \(doing) the history \(path): \(db.message ?? "\(db.resultCode)")")
        default:
            return HistoryError(.write, "cannot \(doing) the history \(path): \(db.message ?? "\(db.resultCode)")")
        }
    }

    /// Refuses another application's database: ours has our application_id; a new one has no
    /// table at all (a file created and never migrated, as a kill -9 may leave it, counts as new).
    /// No application id and no table: a new file.
    private static func isBlank(_ db: Database) throws -> Bool {
        try Int32.fetchOne(db, sql: "PRAGMA application_id") == 0
            && Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0
    }

    private static func checkOurs(_ reader: any DatabaseReader, path: String) throws {
        let found = try reader.read { db in
            let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            return (id: id, tables: tables)
        }
        if found.id == Self.applicationID { return }
        if found.id == 0, found.tables.isEmpty { return }
        let tables = found.tables.prefix(5).joined(separator: ", ") + (found.tables.count > 5 ? ", …" : "")
        throw HistoryError(.input, "\(path) is not a placement history: an SQLite database of another application (application_id \(found.id)\(tables.isEmpty ? "" : ", tables \(tables)")); nothing was changed")
    }

    private func migrate() throws(HistoryError) {
        let migrator = HistorySchema.migrator
        let path = self.path
        do {
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw HistoryError(.input, "\(path) was written by a newer placement (its schema has migrations this one does not know): use that version")
            }
            do { try Self.retryingBusy { try migrator.migrate(pool) } } catch {
                // Two processes creating the file at once: both saw it unmigrated, one won. The
                // loser's migration failed on the winner's tables; the schema is there now.
                guard try pool.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
            }
        } catch let error as HistoryError {
            throw error
        } catch {
            throw Self.failure(error, path: path, doing: "create")
        }
    }

    /// One write transaction (IMMEDIATE: writers are serialised across processes).
    func write<T>(_ doing: String, _ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try pool.write(body) } catch let error as HistoryError { throw error } catch {
            throw Self.failure(error, path: path, doing: doing)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try pool.read(body) } catch let error as HistoryError { throw error } catch {
            throw Self.failure(error, path: path, doing: "read")
        }
    }

    /// `PRAGMA integrity_check`'s answer ("ok" for a sound file).
    public func integrityCheck() throws(HistoryError) -> [String] {
        try read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }
}

/// The schema, as migrations. A new version of the schema is a new migration, never an edit of
/// one already shipped.
enum HistorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: nights, proposals, unplaced, decisions") { db in
            try db.execute(sql: "PRAGMA application_id = \(HistoryDatabase.applicationID)")
            // One row per `match --db`: the night's figures. `id` is the night number.
            try db.create(table: "night") { t in
                t.primaryKey("id", .integer)
                t.column("recorded_at", .text).notNull()            // ISO 8601, UTC
                t.column("market", .text).notNull()                 // the market folder's name
                t.column("input_hash", .text).notNull()
                t.column("engine_version", .text).notNull()
                t.column("policy", .text).notNull()                 // JSON: every policy key
                t.column("status", .text).notNull()
                t.column("stop_reason", .text).notNull()
                t.column("objective", .double).notNull()
                t.column("best_bound", .double)                     // NULL when there is none
                t.column("gap", .double)
                t.column("children", .integer).notNull()            // = proposals + unplaced rows
                t.column("placed", .integer).notNull()
                t.column("unplaced", .integer).notNull()
                t.column("placements", .integer).notNull()
                t.column("declines_applied", .integer).notNull()    // history exclusions tonight
                t.column("placed_left_out", .integer).notNull()     // accepted children still listed
                t.column("timings", .text).notNull()                // JSON: seconds per stage
            }
            // Every proposal of a night. arc_cost is what the child adds to the objective,
            // history_adjustment included.
            try db.create(table: "proposal") { t in
                t.column("night_id", .integer).notNull().references("night", onDelete: .cascade)
                t.column("child_id", .text).notNull()
                t.column("placement_id", .text).notNull()
                t.column("arc_cost", .double).notNull()
                t.column("history_adjustment", .double).notNull()
                t.column("choice_rank", .integer).notNull()
                t.column("eligible_count", .integer).notNull()
                t.column("distance_km", .double).notNull()
                t.column("risk", .double).notNull()
                t.column("with_siblings", .boolean).notNull()
                t.column("nights_waited", .integer).notNull()
                t.primaryKey(["night_id", "child_id"])
            }
            try db.create(index: "proposal_child", on: "proposal", columns: ["child_id", "night_id"])
            // Every unplaced child of a night, with the reason and detail of unmatched.csv.
            try db.create(table: "unplaced") { t in
                t.column("night_id", .integer).notNull().references("night", onDelete: .cascade)
                t.column("child_id", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("eligible_count", .integer).notNull()
                t.column("unmatched_cost", .double).notNull()
                t.column("nights_waited", .integer).notNull()
                t.primaryKey(["night_id", "child_id"])
            }
            try db.create(index: "unplaced_child", on: "unplaced", columns: ["child_id", "night_id"])
            // What people decided: accept, decline or withdraw a proposal (night_id, placement_id),
            // or lift a decline (the declined proposal's night and placement).
            try db.create(table: "decision") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("night_id", .integer).notNull().references("night")
                t.column("child_id", .text).notNull()
                t.column("placement_id", .text).notNull()
                t.column("action", .text).notNull()
                    .check(sql: "action IN ('accept', 'decline', 'withdraw', 'lift')")
                t.column("reason", .text)
                t.column("decided_by", .text)
                t.column("recorded_at", .text).notNull()
                t.column("after_night", .integer).notNull()        // the latest night when decided
            }
            try db.create(index: "decision_child", on: "decision", columns: ["child_id", "id"])
        }
        return migrator
    }
}
