// Policy (spec section 4): weights and rules, with the spec's defaults.

public struct Weights: Hashable, Sendable {
    public var wKm = 1.0
    public var wRisk = 4.0
    public var wCost = 1.0
    public init() {}
}

public struct UrgencyPenalty: Hashable, Sendable {
    public var today = 1000.0
    public var within5Days = 500.0
    public var after5Days = 0.0
    public init() {}
    public subscript(u: Urgency) -> Double {
        switch u {
        case .today: today
        case .within_5_days: within5Days
        case .after_5_days: after5Days
        }
    }
}

/// Log-odds coefficients of the breakdown risk model (spec section 5).
public struct RiskModel: Hashable, Sendable {
    public var intercept = -2.44
    public var age11Plus = 0.47
    public var behaviourHigh = 0.68
    public var priorPlacements3Plus = 0.40
    public var nonKinship = 0.59
    public var residential = 0.40
    public var separatedFromSiblings = 0.29
    public var typeNotPreferred = 0.30
    public var providerRequiresImprovement = 0.55
    public init() {}
}

public struct Policy: Hashable, Sendable {
    public var maxDistanceKm = 150.0
    public var weights = Weights()
    public var crossRccPenalty = 30.0
    public var notPreferredPenalty = 20.0
    public var splitPenalty = 150.0
    public var unmatchedPenalty = 2000.0
    public var urgencyPenalty = UrgencyPenalty()
    public var excludeInadequate = true
    public var allowCrossRcc = true
    public var riskModel = RiskModel()
    /// With a run database only (issue 13, docs/history.md): what an outstanding proposal's child
    /// must gain elsewhere (the rest of the plan with it) before the proposal moves. 50 points:
    /// above the cross-RCC (30) and not-preferred (20) penalties, about 50 km nearer or 12 points
    /// of breakdown risk less; a proposal never flips for a few points.
    public var reproposalThreshold = 50.0
    /// With a run database only: added to a child's unmatched cost for each earlier night it has
    /// waited. 100 points a night: the spec's own urgency ladder (within_5_days 500 above
    /// after_5_days) is 100 points a day, so ten nights waited weigh as much as "needed today".
    public var waitingPenaltyPerNight = 100.0
    public init() {}

    /// What leaving a child unmatched costs (spec section 3).
    public func unmatchedCost(_ urgency: Urgency) -> Double { unmatchedPenalty + urgencyPenalty[urgency] }
}

extension Policy {
    /// Every policy key as a flat dotted path with its value, in the spec's order.
    /// The policy loader, `summary.json` and what-if's `--set` all go through this one table.
    public static var keyPaths: [(key: String, path: WritableKeyPath<Policy, PolicyValue>)] { [
        ("max_distance_km", \.maxDistanceKmValue),
        ("weights.w_km", \.weights.wKm.asValue),
        ("weights.w_risk", \.weights.wRisk.asValue),
        ("weights.w_cost", \.weights.wCost.asValue),
        ("cross_rcc_penalty", \.crossRccPenalty.asValue),
        ("not_preferred_penalty", \.notPreferredPenalty.asValue),
        ("split_penalty", \.splitPenalty.asValue),
        ("unmatched_penalty", \.unmatchedPenalty.asValue),
        ("urgency_penalty.today", \.urgencyPenalty.today.asValue),
        ("urgency_penalty.within_5_days", \.urgencyPenalty.within5Days.asValue),
        ("urgency_penalty.after_5_days", \.urgencyPenalty.after5Days.asValue),
        ("exclude_inadequate", \.excludeInadequate.asValue),
        ("allow_cross_rcc", \.allowCrossRcc.asValue),
        ("risk_model.intercept", \.riskModel.intercept.asValue),
        ("risk_model.age_11_plus", \.riskModel.age11Plus.asValue),
        ("risk_model.behaviour_high", \.riskModel.behaviourHigh.asValue),
        ("risk_model.prior_placements_3_plus", \.riskModel.priorPlacements3Plus.asValue),
        ("risk_model.non_kinship", \.riskModel.nonKinship.asValue),
        ("risk_model.residential", \.riskModel.residential.asValue),
        ("risk_model.separated_from_siblings", \.riskModel.separatedFromSiblings.asValue),
        ("risk_model.type_not_preferred", \.riskModel.typeNotPreferred.asValue),
        ("risk_model.provider_requires_improvement", \.riskModel.providerRequiresImprovement.asValue),
        ("reproposal_threshold", \.reproposalThreshold.asValue),
        ("waiting_penalty_per_night", \.waitingPenaltyPerNight.asValue),
    ] }

    /// The keys that act only with a run database (`--db`): a market without history gives the
    /// same answer whatever their values.
    public static let historyKeys: Set<String> = ["reproposal_threshold", "waiting_penalty_per_night"]

    private var maxDistanceKmValue: PolicyValue {
        get { .number(maxDistanceKm) }
        set { if case .number(let v) = newValue { maxDistanceKm = v } }
    }

    /// Keys whose value may be negative (only the risk model's intercept: a log-odds baseline).
    public static let keysAllowingNegative: Set<String> = ["risk_model.intercept"]
    /// The largest magnitude of a policy number. A cost sums a few weighted terms (distances up to
    /// about 1,000 km, weekly costs up to about £20,000 a week, penalties): with every number at
    /// most 1e9 every cost, and a market's objective, stays far inside what doubles hold exactly
    /// enough for the spec's 1e-6 gap; 1e308 made costs infinite (a NaN objective, or a search
    /// that never ended).
    public static let largestMagnitude = 1e9
}

/// A policy value: a number or a boolean.
public enum PolicyValue: Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case boolean(Bool)
    public var description: String {
        switch self {
        case .number(let v): formatPolicyNumber(v)
        case .boolean(let b): b ? "true" : "false"
        }
    }
}

package func formatPolicyNumber(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return "\(v)"
}

extension Double {
    fileprivate var asValue: PolicyValue {
        get { .number(self) }
        set { if case .number(let v) = newValue { self = v } }
    }
}

extension Bool {
    fileprivate var asValue: PolicyValue {
        get { .boolean(self) }
        set { if case .boolean(let v) = newValue { self = v } }
    }
}

extension Policy {
    /// Sets one policy key (a dotted path such as `weights.w_cost`). Returns what was expected when
    /// the key is unknown, the value has the wrong type, or a number is negative or not finite.
    public mutating func set(_ key: String, to value: PolicyValue) -> String? {
        guard let entry = Self.keyPaths.first(where: { $0.key == key }) else {
            return "a policy key (one of \(Self.keyPaths.map(\.key).joined(separator: ", ")))"
        }
        switch (self[keyPath: entry.path], value) {
        case (.number, .number(let v)):
            guard v.isFinite else { return "a finite number for \(key)" }
            guard abs(v) <= Self.largestMagnitude else {
                return "a number of magnitude at most \(formatPolicyNumber(Self.largestMagnitude)) for \(key) (larger ones make costs no solver compares exactly)"
            }
            if v < 0, !Self.keysAllowingNegative.contains(key) { return "a number >= 0 for \(key)" }
            if key == "max_distance_km", v <= 0 { return "a number > 0 for \(key)" }
        case (.boolean, .boolean): break
        case (.number, .boolean): return "a number for \(key)"
        case (.boolean, .number): return "true or false for \(key)"
        }
        self[keyPath: entry.path] = value
        return nil
    }

    /// The value of one policy key, `nil` when there is no such key.
    public func value(of key: String) -> PolicyValue? {
        Self.keyPaths.first(where: { $0.key == key }).map { self[keyPath: $0.path] }
    }
}
