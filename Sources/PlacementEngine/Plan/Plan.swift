// A plan: the proposal for every child. Everything else (together, costs, ranks) derives from it.

public struct Plan: Hashable, Sendable {
    /// For each child, in the market's order: the index of its placement in `market.placements`,
    /// or `nil` when the child is left unmatched.
    public var placement: [Int?]

    public init(placement: [Int?]) { self.placement = placement }
    public static func unmatched(childCount: Int) -> Plan { Plan(placement: Array(repeating: nil, count: childCount)) }
}
