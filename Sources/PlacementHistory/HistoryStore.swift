// What the CLI calls: read the history for tonight's market, record a night, record a decision.
// Every write is one transaction; every read sees one consistent snapshot (WAL).

import Foundation
import GRDB
import PlacementEngine

/// Tonight's market with the history applied, and what the history did to it.
public struct PreparedNight: Sendable {
    /// The market the engine solves (declines as exclusions, placed children left out, `history` set).
    public let market: Market
    /// Declined pairings made exclusions tonight.
    public let declinesApplied: Int
    /// Placed children the market still listed (each with a warning in `market.inputWarnings`).
    public let placedLeftOut: [String]
    /// The history's warnings (also in `market.inputWarnings`).
    public let warnings: [InputIssue]
}

public final class HistoryStore: Sendable {
    public let database: HistoryDatabase
    /// Test hook (the kill -9 tests): seconds to sleep after each row written inside a write
    /// transaction, so that a kill lands inside it; each such row is said on standard error
    /// ("history: row written, transaction open"), so that the test knows where it landed.
    public let rowDelay: TimeInterval

    public init(path: String, create: Bool, rowDelay: TimeInterval = 0) throws(HistoryError) {
        database = try HistoryDatabase(path: path, create: create)
        self.rowDelay = rowDelay
    }

    public var path: String { database.path }

    func pause() {
        guard rowDelay > 0 else { return }
        FileHandle.standardError.write(Data("history: row written, transaction open\n".utf8))
        Thread.sleep(forTimeInterval: rowDelay)
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    // MARK: Reading the history for tonight

    /// What earlier nights leave for tonight, for the children `childIds` (all children seen
    /// when nil): nights waited, outstanding proposals, declines in force, placed children.
    public func nightHistory(childIds: Set<String>? = nil) throws(HistoryError) -> NightHistory {
        try database.read { db in try Self.nightHistory(db, childIds: childIds) }
    }

    static func nightHistory(_ db: Database, childIds: Set<String>?) throws -> NightHistory {
        let lastNight = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM night") ?? 0
        let states = try ChildStates(db)
        var waiting: [String: WaitingChild] = [:]
        var placed: [PlacedChild] = []
        for (id, seen) in states.seen where childIds?.contains(id) ?? true {
            if let p = states.placed[id] {
                placed.append(PlacedChild(childId: id, placementId: p.placement, night: p.night))
                continue
            }
            var w = WaitingChild(nightsWaited: seen.nights)
            if let p = seen.lastPlacement, states.status[NightChild(night: seen.last, child: id)] == nil {
                w.outstandingPlacementId = p
                w.outstandingNight = seen.last
            }
            waiting[id] = w
        }
        let declined = states.declinesInForce.filter { childIds?.contains($0.childId) ?? true }
        return NightHistory(night: lastNight + 1, waiting: waiting, declined: declined,
                            placed: placed.sorted { ($0.night, $0.childId) < ($1.night, $1.childId) })
    }

    /// Reads the history for `market`'s children and applies it (`NightHistory.apply`).
    public func prepare(_ market: Market) throws(HistoryError) -> PreparedNight {
        let history = try nightHistory(childIds: Set(market.children.map(\.id)))
        let applied = history.apply(to: market)
        let placedIds = Set(history.placed.map(\.childId))
        let leftOut = market.children.map(\.id).filter { placedIds.contains($0) }
        let leaving = Set(leftOut)
        let kept = market.exclusions.filter { !leaving.contains($0.childId) }.count
        return PreparedNight(market: applied, declinesApplied: applied.exclusions.count - kept, placedLeftOut: leftOut,
                             warnings: Array(applied.inputWarnings.dropFirst(market.inputWarnings.count)))
    }

    // MARK: Recording a night

    /// Records tonight's run in one transaction: the night's figures, every proposal and every
    /// unplaced child. Returns the night's number.
    @discardableResult
    public func record(_ run: BatchRun, prepared: PreparedNight, inputHash: String, marketName: String,
                       extraTimings: [(String, Double)] = [], now: Date = Date()) throws(HistoryError) -> Int {
        let market = run.market, index = run.index, report = run.report, s = run.solution
        let waited: (String) -> Int = { market.history?.waiting[$0]?.nightsWaited ?? 0 }
        var timings: [String: Double] = [:]
        for (name, secs) in run.clock.stages + extraTimings { timings[name] = BatchOutputs.round6(secs) }
        var policy: [String: Any] = [:]
        for (key, path) in Policy.keyPaths {
            switch market.policy[keyPath: path] {
            case .number(let v): policy[key] = v
            case .boolean(let b): policy[key] = b
            }
        }
        let policyJSON = Self.json(policy), timingsJSON = Self.json(timings)
        let stamp = Self.timestamp(now)
        return try database.write("record the night in") { db in
            try db.execute(sql: """
                INSERT INTO night (recorded_at, market, input_hash, engine_version, policy, status, stop_reason,
                  objective, best_bound, gap, children, placed, unplaced, placements, declines_applied,
                  placed_left_out, timings)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [stamp, marketName, inputHash, EngineInfo.version, policyJSON, s.status.rawValue,
                                 s.stopReason.rawValue, s.objective, s.bestBound.isFinite ? s.bestBound : nil,
                                 s.bestBound.isFinite ? s.gap : nil, market.children.count, report.matches.count,
                                 report.unmatched.count, market.placements.count, prepared.declinesApplied,
                                 prepared.placedLeftOut.count, timingsJSON])
            let night = Int(db.lastInsertedRowID)
            pause()
            let insertProposal = try db.makeStatement(sql: """
                INSERT INTO proposal (night_id, child_id, placement_id, arc_cost, history_adjustment, choice_rank,
                  eligible_count, distance_km, risk, with_siblings, nights_waited)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for m in report.matches {
                let id = market.children[m.child].id
                try insertProposal.execute(arguments: [night, id, market.placements[m.placement].id, m.cost.total,
                                                       m.cost.historyAdjustment, m.choiceRank, m.eligibleCount,
                                                       m.cost.distanceKm, m.cost.risk, m.withSiblings, waited(id)])
                pause()
            }
            let insertUnplaced = try db.makeStatement(sql: """
                INSERT INTO unplaced (night_id, child_id, reason, detail, eligible_count, unmatched_cost, nights_waited)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for u in report.unmatched {
                let id = market.children[u.child].id
                try insertUnplaced.execute(arguments: [night, id, u.reason.rawValue, u.detail, u.eligibleCount,
                                                       index.unmatchedCost(u.child), waited(id)])
                pause()
            }
            return night
        }
    }

    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

struct NightChild: Hashable {
    let night: Int
    let child: String
}

/// Every child's state, from the rows of the nights and the decisions (one snapshot).
struct ChildStates {
    struct Seen {
        /// Nights with a row for the child (proposed or unplaced).
        var nights: Int
        /// The latest such night, and its proposal's placement (nil: unplaced that night).
        var last: Int
        var lastPlacement: String?
    }
    struct Decision {
        var id: Int64, night: Int, child: String, placement: String, action: String
    }
    var seen: [String: Seen] = [:]
    /// The decision in force on each proposal (night, child): accept, decline or withdraw.
    var status: [NightChild: Decision] = [:]
    /// Placed children: an accepted proposal not withdrawn since.
    var placed: [String: (night: Int, placement: String)] = [:]
    var declinesInForce: [DeclinedPairing] = []

    init(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            WITH seen AS (
              SELECT child_id, COUNT(*) AS nights, MAX(night_id) AS last
              FROM (SELECT child_id, night_id FROM proposal UNION ALL SELECT child_id, night_id FROM unplaced)
              GROUP BY child_id)
            SELECT seen.child_id, seen.nights, seen.last, proposal.placement_id
            FROM seen LEFT JOIN proposal ON proposal.child_id = seen.child_id AND proposal.night_id = seen.last
            """)
        while let row = try rows.next() {
            seen[row[0]] = Seen(nights: row[1], last: row[2], lastPlacement: row[3])
        }
        let decisions = try Row.fetchAll(db, sql: "SELECT id, night_id, child_id, placement_id, action FROM decision ORDER BY id")
            .map { Decision(id: $0[0], night: $0[1], child: $0[2], placement: $0[3], action: $0[4]) }
        var pairing: [String: Decision] = [:]   // child \0 placement -> last decline or lift
        var order: [String] = []
        for d in decisions {
            switch d.action {
            case "lift", "decline":
                let key = d.child + "\u{0}" + d.placement
                if pairing[key] == nil { order.append(key) }
                pairing[key] = d
                if d.action == "decline" { status[NightChild(night: d.night, child: d.child)] = d }
            default:
                status[NightChild(night: d.night, child: d.child)] = d
            }
        }
        for d in status.values where d.action == "accept" {
            if let p = placed[d.child], p.night > d.night { continue }
            placed[d.child] = (d.night, d.placement)
        }
        declinesInForce = order.compactMap { key in
            guard let d = pairing[key], d.action == "decline" else { return nil }
            return DeclinedPairing(childId: d.child, placementId: d.placement, night: d.night)
        }
    }
}
