// What earlier nights leave for tonight (issue 13): the history of a run database (`--db`), read by
// PlacementHistory and handed to the engine with the market. Ids and night numbers only.
//
// THE ONE PLACE the history changes the engine's answer:
//   - `NightHistory.apply(to:)`: declined pairings become exclusions (rule X, "declined on night N");
//     an accepted child is placed, so a market that still lists it has it left out, with a warning.
//   - `HistoryCosts`: the cost adjustments, resolved to indices by `MarketIndex`:
//       unmatched cost of c += waiting_penalty_per_night x nights c has waited;
//       for c with an outstanding proposal at p (p in tonight's market): every option other than
//       p, leaving c unmatched included, costs reproposal_threshold more.
//     Every cost stays >= 0 (the solver's bounds rely on it), and the proposal moves only when the
//     rest of the plan gains more than the threshold. `ArcCoster` (the solver's arc costs),
//     `MarketIndex.costBreakdown` (the outputs' arc_cost) and `MarketIndex.unmatchedCost` read it.
//   - `PlanVerifier` applies the same adjustments from the market's ids, in its own code.
// A market without history (`Market.history == nil`), or with an empty one, gives the v1 answer
// bit for bit: no adjustment is added at all.

/// A pairing a provider declined on an earlier night, in force until lifted.
public struct DeclinedPairing: Hashable, Sendable {
    public var childId: String
    public var placementId: String
    /// The night whose proposal was declined.
    public var night: Int
    public init(childId: String, placementId: String, night: Int) {
        self.childId = childId; self.placementId = placementId; self.night = night
    }
}

/// A child whose proposal was accepted: placed, no longer waiting.
public struct PlacedChild: Hashable, Sendable {
    public var childId: String
    public var placementId: String
    /// The night whose proposal was accepted.
    public var night: Int
    public init(childId: String, placementId: String, night: Int) {
        self.childId = childId; self.placementId = placementId; self.night = night
    }
}

/// One waiting child's history.
public struct WaitingChild: Hashable, Sendable {
    /// Earlier recorded nights on which the child was in the market (proposed or unplaced) and
    /// not placed.
    public var nightsWaited: Int
    /// The placement of its proposal still awaiting a decision, if any.
    public var outstandingPlacementId: String?
    /// The night of that proposal.
    public var outstandingNight: Int?
    public init(nightsWaited: Int = 0, outstandingPlacementId: String? = nil, outstandingNight: Int? = nil) {
        self.nightsWaited = nightsWaited; self.outstandingPlacementId = outstandingPlacementId
        self.outstandingNight = outstandingNight
    }
}

/// Everything earlier nights leave for tonight, by id.
public struct NightHistory: Hashable, Sendable {
    /// The night about to be solved (1 for the first night of a database).
    public var night: Int
    /// Children seen on earlier nights and not placed, by child id.
    public var waiting: [String: WaitingChild]
    /// Declines in force, in the order they were recorded.
    public var declined: [DeclinedPairing]
    /// Children placed (an accepted proposal not withdrawn since).
    public var placed: [PlacedChild]

    public init(night: Int = 1, waiting: [String: WaitingChild] = [:], declined: [DeclinedPairing] = [],
                placed: [PlacedChild] = []) {
        self.night = night; self.waiting = waiting; self.declined = declined; self.placed = placed
    }

    /// Whether nothing would change tonight's answer.
    public var isEmpty: Bool { waiting.isEmpty && declined.isEmpty && placed.isEmpty }

    /// The reason written for a declined pairing made an exclusion.
    public static func declineReason(night: Int) -> String { "declined on night \(night)" }

    /// Tonight's market with the history applied: each decline in force whose child and placement
    /// are both listed tonight becomes an exclusion (unless exclusions.csv already has the
    /// pairing); each placed child still listed is left out of the night (and out of the other
    /// rows that name it: not_with, kinship for_children, exclusions), with a warning naming it;
    /// `history` is set. An empty history changes nothing but `history`.
    public func apply(to market: Market) -> Market {
        var m = market
        m.history = self
        guard !isEmpty else { return m }
        let placedById = Dictionary(placed.map { ($0.childId, $0) }, uniquingKeysWith: { a, _ in a })
        let leaving = Set(market.children.map(\.id).filter { placedById[$0] != nil })
        if !leaving.isEmpty {
            m.children = market.children.filter { !leaving.contains($0.id) }.map { child in
                var c = child
                c.notWith.removeAll { leaving.contains($0) }
                return c
            }
            m.placements = market.placements.map { placement in
                var p = placement
                p.forChildren.removeAll { leaving.contains($0) }
                return p
            }
            m.exclusions.removeAll { leaving.contains($0.childId) }
            for child in market.children where leaving.contains(child.id) {
                let pc = placedById[child.id]!
                var warning = InputIssue(
                    file: "children.csv", remark: "child \(child.id) was placed (the proposal of night \(pc.night), \(pc.placementId), was accepted): left out of tonight's match; remove the row, or withdraw the acceptance with placement decide --withdraw",
                    expected: "a child who is not yet placed")
                warning.columnName = "child_id"
                warning.value = child.id
                m.inputWarnings.append(warning)
            }
        }
        let childIds = Set(m.children.map(\.id)), placementIds = Set(m.placements.map(\.id))
        var excluded = Set(m.exclusions.map { "\($0.childId)\u{0}\($0.placementId)" })
        for d in declined where childIds.contains(d.childId) && placementIds.contains(d.placementId) {
            guard excluded.insert("\(d.childId)\u{0}\(d.placementId)").inserted else { continue }
            m.exclusions.append(Exclusion(childId: d.childId, placementId: d.placementId,
                                          reason: Self.declineReason(night: d.night)))
        }
        return m
    }
}

/// The history's cost adjustments, resolved to indices (built by `MarketIndex`). Empty arrays
/// when the market has no history: then every adjustment is absent, not zero.
public struct HistoryCosts: Sendable {
    /// `reproposal_threshold`.
    public let reproposalThreshold: Double
    /// Per child: the placement of its outstanding proposal, or -1. Empty without history.
    public let outstanding: [Int32]
    /// Per child: `waiting_penalty_per_night` x nights waited. Empty without history.
    public let waitingCost: [Double]

    public static let none = HistoryCosts(reproposalThreshold: 0, outstanding: [], waitingCost: [])

    init(reproposalThreshold: Double, outstanding: [Int32], waitingCost: [Double]) {
        self.reproposalThreshold = reproposalThreshold; self.outstanding = outstanding; self.waitingCost = waitingCost
    }

    init(market: Market, childIndex: [String: Int], placementIndex: [String: Int]) {
        guard let history = market.history, !history.waiting.isEmpty else { self = .none; return }
        let policy = market.policy
        var held = [Int32](repeating: -1, count: market.children.count)
        var waiting = [Double](repeating: 0, count: market.children.count)
        for (id, w) in history.waiting {
            guard let c = childIndex[id] else { continue }
            waiting[c] = policy.waitingPenaltyPerNight * Double(w.nightsWaited)
            if let pid = w.outstandingPlacementId, let p = placementIndex[pid] { held[c] = Int32(p) }
        }
        self.init(reproposalThreshold: policy.reproposalThreshold, outstanding: held, waitingCost: waiting)
    }

    public var isEmpty: Bool { outstanding.isEmpty }

    /// What the history adds to child `c` in placement `p`: the threshold when `c` holds an
    /// outstanding proposal elsewhere, else nothing.
    @inline(__always)
    public func arcCost(child c: Int, placement p: Int) -> Double? {
        guard !outstanding.isEmpty else { return nil }
        let held = outstanding[c]
        return held >= 0 && Int(held) != p ? reproposalThreshold : nil
    }

    /// What the history adds to leaving child `c` unmatched: the nights it has waited, and the
    /// threshold when it holds an outstanding proposal.
    @inline(__always)
    public func unmatchedCost(child c: Int) -> Double? {
        guard !outstanding.isEmpty else { return nil }
        let extra = waitingCost[c] + (outstanding[c] >= 0 ? reproposalThreshold : 0)
        return extra == 0 ? nil : extra
    }
}
