// `placement decide`: what happened to a proposal. Read and written in one IMMEDIATE transaction,
// so that two processes deciding at once are serialised and each sees the other's decision.
//
// The rules:
//   accept   the child's outstanding proposal (its latest night's proposal, not yet decided): the
//            child is placed; a later market that still lists it gets a warning and leaves it out.
//   decline  the outstanding proposal: the pairing is excluded on every later night until lifted.
//   withdraw the outstanding proposal (the child goes back to waiting, with no proposal held), or
//            an accepted one (the placement did not go ahead: the child waits again).
//   lift     a decline in force (of `placement`, or every one of the child's when none is named).

import Foundation
import GRDB
import PlacementEngine

public enum DecisionAction: String, Sendable, CaseIterable {
    case accept, decline, withdraw, lift

    var pastTense: String {
        switch self {
        case .accept: "accepted"
        case .decline: "declined"
        case .withdraw: "withdrawn"
        case .lift: "lifted"
        }
    }
}

public struct DecisionRequest: Sendable {
    public var childId: String
    public var action: DecisionAction
    /// The proposal's placement, checked against the outstanding one; for `lift`, the declined
    /// pairing to lift (every decline of the child when nil).
    public var placementId: String?
    /// Why, in a few words (no names or other personal details: ids and facts only).
    public var reason: String?
    /// Who decided (a role or staff id).
    public var by: String?

    public init(childId: String, action: DecisionAction, placementId: String? = nil, reason: String? = nil, by: String? = nil) {
        self.childId = childId; self.action = action; self.placementId = placementId; self.reason = reason; self.by = by
    }
}

/// One decision recorded (a lift of every decline records one per pairing).
public struct DecisionOutcome: Sendable, Equatable {
    public var decisionId: Int64
    public var childId: String
    public var action: DecisionAction
    public var placementId: String
    /// The night of the proposal decided (for a lift, of the decline's proposal).
    public var night: Int

    /// One line for the commissioner.
    public var sentence: String {
        switch action {
        case .accept: "\(childId) accepted at \(placementId) (proposal of night \(night)): placed; later nights leave \(childId) out."
        case .decline: "\(childId) declined by \(placementId) (proposal of night \(night)): the pairing is not proposed again unless the decline is lifted."
        case .withdraw: "\(childId)'s proposal at \(placementId) (night \(night)) withdrawn: \(childId) waits again, with no proposal held."
        case .lift: "\(childId)'s decline by \(placementId) (night \(night)) lifted: the pairing may be proposed again."
        }
    }
}

extension HistoryStore {
    /// Records a decision; throws an input error (exit 2) when it cannot be taken, naming why.
    @discardableResult
    public func decide(_ request: DecisionRequest, now: Date = Date()) throws(HistoryError) -> [DecisionOutcome] {
        let stamp = Self.timestamp(now)
        let path = self.path
        return try database.write("record the decision in") { db in
            let lastNight = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM night") ?? 0
            let states = try ChildStates(db)
            let child = request.childId
            guard let seen = states.seen[child] else {
                throw HistoryError(.input, "child \(child) has never been proposed or left unplaced in \(path)\(Self.nearest(child, among: Array(states.seen.keys)))")
            }
            var targets: [(night: Int, placement: String)] = []
            switch request.action {
            case .lift:
                let declines = states.declinesInForce.filter { $0.childId == child }
                targets = declines.filter { request.placementId == nil || $0.placementId == request.placementId }
                    .map { ($0.night, $0.placementId) }
                guard !targets.isEmpty else {
                    let inForce = declines.map(\.placementId).joined(separator: ", ")
                    throw HistoryError(.input, "child \(child) has no decline in force\(request.placementId.map { " by \($0)" } ?? "") to lift" + (inForce.isEmpty ? "" : " (declines in force: \(inForce))"))
                }
            case .withdraw where states.placed[child] != nil:
                let p = states.placed[child]!
                targets = [(p.night, p.placement)]
            default:
                if let p = states.placed[child] {
                    throw HistoryError(.input, "child \(child) is already placed (the proposal of night \(p.night) at \(p.placement) was accepted); --withdraw undoes an acceptance")
                }
                guard let placement = seen.lastPlacement else {
                    throw HistoryError(.input, "child \(child) has no outstanding proposal: unplaced on night \(seen.last), the latest night it was in")
                }
                if let d = states.status[NightChild(night: seen.last, child: child)] {
                    throw HistoryError(.input, "child \(child)'s proposal of night \(seen.last) at \(placement) was already \(DecisionAction(rawValue: d.action)?.pastTense ?? d.action)")
                }
                targets = [(seen.last, placement)]
            }
            if request.action != .lift, let named = request.placementId, named != targets[0].placement {
                throw HistoryError(.input, "child \(child)'s proposal is at \(targets[0].placement) (night \(targets[0].night)), not \(named)")
            }
            var outcomes: [DecisionOutcome] = []
            for t in targets {
                try db.execute(sql: """
                    INSERT INTO decision (night_id, child_id, placement_id, action, reason, decided_by, recorded_at, after_night)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [t.night, child, t.placement, request.action.rawValue, request.reason, request.by,
                                     stamp, lastNight])
                outcomes.append(DecisionOutcome(decisionId: db.lastInsertedRowID, childId: child, action: request.action,
                                                placementId: t.placement, night: t.night))
                pause()
            }
            return outcomes
        }
    }

    /// ` (did you mean X?)` for an id near exactly one known id (the loader's rule).
    static func nearest(_ id: String, among ids: [String]) -> String {
        DidYouMean.closest(to: id, among: ids).map { " (did you mean \($0)?)" } ?? ""
    }
}
