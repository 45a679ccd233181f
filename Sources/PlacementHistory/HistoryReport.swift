// `placement history`: the nights with their figures, trends, and one child's timeline (proposed,
// declined, waited, placed), as text or JSON. Read from one snapshot of the database.

import Foundation
import GRDB
import PlacementEngine

public struct HistoryReport: Encodable, Sendable {
    public struct Night: Encodable, Sendable {
        public var night: Int
        public var recorded_at: String
        public var market: String
        public var input_hash: String
        public var status: String
        public var stop_reason: String
        public var objective: Double
        public var best_bound: Double?
        public var children: Int
        public var placed: Int
        public var unplaced: Int
        public var placed_share: Double
        public var mean_km: Double?
        public var declines_applied: Int
        public var placed_left_out: Int
        /// Decisions on this night's proposals, by action.
        public var decisions: [String: Int]
    }
    public struct Waiting: Encodable, Sendable {
        public var child_id: String
        public var nights_waited: Int
        public var outstanding_placement_id: String?
    }
    public struct Trends: Encodable, Sendable {
        public var placed_share: [Double]
        public var mean_km: [Double?]
        /// Children unplaced each night, and in all (child-nights).
        public var unplaced_nights: [Int]
        public var unplaced_nights_total: Int
        /// Children still waiting, longest first (at most ten).
        public var waiting_longest: [Waiting]
        public var decisions: [String: Int]
        public var declines_in_force: Int
        public var children_placed: Int
    }
    public var database: String
    public var nights: [Night]
    public var trends: Trends

    /// The report as pretty JSON with sorted keys, ending in a newline.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public var text: String {
        guard !nights.isEmpty else { return "\(database): no night recorded yet." }
        var lines = ["\(database): \(nights.count) night\(nights.count == 1 ? "" : "s"), \(nights.first!.recorded_at) to \(nights.last!.recorded_at)", ""]
        let header = ["night", "recorded (UTC)", "market", "status", "children", "placed", "unplaced", "placed %", "mean km", "objective", "decisions"]
        let rows = nights.map { n in
            [String(n.night), n.recorded_at, n.market, n.status, String(n.children), String(n.placed), String(n.unplaced),
             Fixed.format(100 * n.placed_share, decimals: 1), n.mean_km.map(Fixed.km) ?? "-", Fixed.cost(n.objective),
             Self.counts(n.decisions)]
        }
        lines.append(PlainTable.render(header: header, rows: rows))
        lines.append("")
        let t = trends
        func series(_ values: [String]) -> String { values.count <= 6 ? values.joined(separator: " -> ") : values.prefix(3).joined(separator: " -> ") + " ... " + values.suffix(2).joined(separator: " -> ") }
        lines.append("Trends: placed share " + series(t.placed_share.map { Fixed.format(100 * $0, decimals: 1) + "%" })
                     + "; mean km " + series(t.mean_km.map { $0.map(Fixed.km) ?? "-" })
                     + "; children unplaced " + series(t.unplaced_nights.map(String.init)) + " (\(t.unplaced_nights_total) child-nights)")
        if !t.waiting_longest.isEmpty {
            lines.append("Waiting longest: " + t.waiting_longest.prefix(5).map { w in
                "\(w.child_id) \(w.nights_waited) night\(w.nights_waited == 1 ? "" : "s")" + (w.outstanding_placement_id.map { " (proposal at \($0) outstanding)" } ?? "")
            }.joined(separator: ", "))
        }
        lines.append("Decisions: " + (t.decisions.isEmpty ? "none" : Self.counts(t.decisions))
                     + "; declines in force \(t.declines_in_force); children placed \(t.children_placed)")
        return lines.joined(separator: "\n")
    }

    static func counts(_ d: [String: Int]) -> String {
        let parts = DecisionAction.allCases.compactMap { a in d[a.rawValue].map { "\($0) \(a.pastTense)" } }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }
}

/// One child's timeline.
public struct ChildTimeline: Encodable, Sendable {
    public struct Event: Encodable, Sendable {
        /// The night the event belongs to (for a decision, the latest night when it was recorded).
        public var night: Int
        /// proposed, unplaced, accepted, declined, withdrawn or lifted.
        public var event: String
        public var placement_id: String?
        public var arc_cost: Double?
        public var history_adjustment: Double?
        public var choice_rank: Int?
        public var eligible_count: Int?
        public var reason: String?
        public var detail: String?
        public var unmatched_cost: Double?
        public var nights_waited: Int?
        /// For a decision: the night of the proposal it decides, who decided, when.
        public var proposal_night: Int?
        public var decided_by: String?
        public var recorded_at: String?
    }
    public var child_id: String
    /// placed or waiting.
    public var status: String
    public var nights_waited: Int
    public var outstanding_placement_id: String?
    public var placed_at: String?
    public var declines_in_force: [String]
    public var events: [Event]

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public var text: String {
        var lines = ["Child \(child_id):"]
        var lastNight = 0
        for e in events {
            let label = e.night != lastNight ? "  night \(e.night)".padding(toLength: 12, withPad: " ", startingAt: 0) : String(repeating: " ", count: 12)
            lastNight = e.night
            var s: String
            switch e.event {
            case "proposed":
                s = "proposed \(e.placement_id ?? "?"): arc cost \(Fixed.cost(e.arc_cost ?? 0))"
                if let adj = e.history_adjustment, adj > 0 { s += " (history +\(Fixed.cost(adj)))" }
                s += ", choice \(e.choice_rank ?? 0) of \(e.eligible_count ?? 0)"
            case "unplaced":
                s = "unplaced: \(e.reason ?? "")" + ((e.detail ?? "").isEmpty ? "" : " (\(e.detail!))")
                    + "; unmatched cost \(Fixed.cost(e.unmatched_cost ?? 0))"
            default:
                s = "\(e.event) \(e.placement_id ?? "")" + (e.proposal_night.map { $0 != e.night ? " (proposal of night \($0))" : "" } ?? "")
                if let by = e.decided_by { s += " by \(by)" }
                if let reason = e.reason { s += ": \"\(reason)\"" }
            }
            if let w = e.nights_waited, w > 0, e.event == "proposed" || e.event == "unplaced" {
                s += "; waited \(w) night\(w == 1 ? "" : "s") before"
            }
            lines.append(label + s)
        }
        var now = "Now: "
        if status == "placed" {
            now += "placed at \(placed_at ?? "?")"
        } else {
            now += "waiting, \(nights_waited) night\(nights_waited == 1 ? "" : "s") so far"
            now += outstanding_placement_id.map { "; proposal at \($0) outstanding" } ?? "; no proposal held"
        }
        if !declines_in_force.isEmpty { now += "; declines in force: " + declines_in_force.joined(separator: ", ") }
        lines.append(now)
        return lines.joined(separator: "\n")
    }
}

extension HistoryStore {
    /// The nights with their figures and the trends.
    public func report() throws(HistoryError) -> HistoryReport {
        let path = self.path
        return try database.read { db in
            var decisionsByNight: [Int: [String: Int]] = [:]
            var decisionTotals: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT night_id, action, COUNT(*) FROM decision GROUP BY night_id, action") {
                let night: Int = row[0], action: String = row[1], n: Int = row[2]
                decisionsByNight[night, default: [:]][action] = n
                decisionTotals[action, default: 0] += n
            }
            var meanKm: [Int: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT night_id, AVG(distance_km) FROM proposal GROUP BY night_id") {
                meanKm[row[0]] = row[1]
            }
            let nights = try Row.fetchAll(db, sql: """
                SELECT id, recorded_at, market, input_hash, status, stop_reason, objective, best_bound, children, placed,
                       unplaced, declines_applied, placed_left_out FROM night ORDER BY id
                """).map { r -> HistoryReport.Night in
                let id: Int = r[0], children: Int = r[8], placed: Int = r[9]
                return HistoryReport.Night(
                    night: id, recorded_at: r[1], market: r[2], input_hash: r[3], status: r[4], stop_reason: r[5],
                    objective: BatchOutputs.round6(r[6]), best_bound: (r[7] as Double?).map(BatchOutputs.round6),
                    children: children, placed: placed, unplaced: r[10],
                    placed_share: children == 0 ? 0 : BatchOutputs.round6(Double(placed) / Double(children)),
                    mean_km: meanKm[id].map(BatchOutputs.round6), declines_applied: r[11], placed_left_out: r[12],
                    decisions: decisionsByNight[id] ?? [:])
            }
            let history = try Self.nightHistory(db, childIds: nil)
            let waiting = history.waiting
                .map { HistoryReport.Waiting(child_id: $0.key, nights_waited: $0.value.nightsWaited,
                                             outstanding_placement_id: $0.value.outstandingPlacementId) }
                .sorted { a, b in   // longest first; unplaced (no proposal held) before those with one
                    (b.nights_waited, a.outstanding_placement_id == nil ? 0 : 1, a.child_id)
                        < (a.nights_waited, b.outstanding_placement_id == nil ? 0 : 1, b.child_id)
                }
            let trends = HistoryReport.Trends(
                placed_share: nights.map(\.placed_share), mean_km: nights.map(\.mean_km),
                unplaced_nights: nights.map(\.unplaced), unplaced_nights_total: nights.reduce(0) { $0 + $1.unplaced },
                waiting_longest: Array(waiting.prefix(10)), decisions: decisionTotals,
                declines_in_force: history.declined.count, children_placed: history.placed.count)
            return HistoryReport(database: (path as NSString).lastPathComponent, nights: nights, trends: trends)
        }
    }

    /// One child's timeline; an input error when the history has never seen the child.
    public func timeline(child: String) throws(HistoryError) -> ChildTimeline {
        let path = self.path
        return try database.read { db in
            var events: [(key: (Int, Int, Int64), event: ChildTimeline.Event)] = []
            for r in try Row.fetchAll(db, sql: """
                SELECT night_id, placement_id, arc_cost, history_adjustment, choice_rank, eligible_count, nights_waited
                FROM proposal WHERE child_id = ?
                """, arguments: [child]) {
                let night: Int = r[0]
                events.append(((night, 0, 0), .init(night: night, event: "proposed", placement_id: r[1], arc_cost: BatchOutputs.round6(r[2]),
                                                     history_adjustment: BatchOutputs.round6(r[3]), choice_rank: r[4],
                                                     eligible_count: r[5], nights_waited: r[6])))
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT night_id, reason, detail, eligible_count, unmatched_cost, nights_waited FROM unplaced WHERE child_id = ?
                """, arguments: [child]) {
                let night: Int = r[0]
                events.append(((night, 0, 0), .init(night: night, event: "unplaced", eligible_count: r[3], reason: r[1], detail: r[2],
                                                     unmatched_cost: BatchOutputs.round6(r[4]), nights_waited: r[5])))
            }
            guard !events.isEmpty else {
                let known = try String.fetchAll(db, sql: "SELECT child_id FROM proposal UNION SELECT child_id FROM unplaced")
                throw HistoryError(.input, "child \(child) is not in the history \(path)\(Self.nearest(child, among: known))")
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT id, night_id, placement_id, action, reason, decided_by, recorded_at, after_night
                FROM decision WHERE child_id = ?
                """, arguments: [child]) {
                let action = DecisionAction(rawValue: r[3])
                let after: Int = r[7], id: Int64 = r[0]
                events.append(((after, 1, id), .init(night: after, event: action?.pastTense ?? r[3], placement_id: r[2], reason: r[4],
                                                     proposal_night: r[1], decided_by: r[5], recorded_at: r[6])))
            }
            events.sort { $0.key < $1.key }
            let history = try Self.nightHistory(db, childIds: [child])
            let placed = history.placed.first
            let w = history.waiting[child]
            return ChildTimeline(child_id: child, status: placed == nil ? "waiting" : "placed",
                                 nights_waited: w?.nightsWaited ?? 0, outstanding_placement_id: w?.outstandingPlacementId,
                                 placed_at: placed.map { "\($0.placementId) (accepted, proposal of night \($0.night))" },
                                 declines_in_force: history.declined.map { "\($0.placementId) (night \($0.night))" },
                                 events: events.map(\.event))
        }
    }
}

/// A plain fixed-width table (first column right-aligned numbers, text left-aligned).
enum PlainTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        let numeric = header.indices.map { i in rows.allSatisfy { Double($0[i].replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: "")) != nil } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric[i] ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
