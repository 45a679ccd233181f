// The eligibility rules of spec section 2, in the spec's order, and a set of them as bits.

public enum Rule: Int, CaseIterable, Sendable, CustomStringConvertible {
    case type, kinship, ageSex, needs, risks, pets, alongside, distance, quality, excluded, capacity, outOfRegion

    /// The rule's name in outputs (spec section 2).
    public var name: String {
        switch self {
        case .type: "type"
        case .kinship: "kinship"
        case .ageSex: "age_sex"
        case .needs: "needs"
        case .risks: "risks"
        case .pets: "pets"
        case .alongside: "alongside"
        case .distance: "distance"
        case .quality: "quality"
        case .excluded: "excluded"
        case .capacity: "capacity"
        case .outOfRegion: "out_of_region"
        }
    }
    public var description: String { name }
}

/// The rules a child-placement pair breaks; empty means eligible.
public struct RuleMask: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rule: Rule) { rawValue = 1 << UInt16(rule.rawValue) }
    public func contains(_ rule: Rule) -> Bool { rawValue & (1 << UInt16(rule.rawValue)) != 0 }
    public var rules: [Rule] { Rule.allCases.filter { contains($0) } }
    public var description: String { rules.map(\.name).joined(separator: ",") }
}

/// How many placements each rule excluded for one child (each rule counts on its own).
public struct RuleCounts: Hashable, Sendable {
    public var counts = [Int](repeating: 0, count: Rule.allCases.count)
    public init() {}
    public subscript(rule: Rule) -> Int {
        get { counts[rule.rawValue] }
        set { counts[rule.rawValue] = newValue }
    }
    public mutating func add(_ mask: RuleMask) {
        var bits = mask.rawValue
        while bits != 0 {
            let r = bits.trailingZeroBitCount
            counts[r] += 1
            bits &= bits - 1
        }
    }
    /// `type=3;distance=12` — the non-zero counts in the spec's order.
    public var detail: String {
        Rule.allCases.filter { self[$0] > 0 }.map { "\($0.name)=\(self[$0])" }.joined(separator: ";")
    }
}
