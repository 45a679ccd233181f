// The words of the market format (spec section 1), as Swift types.
// Enum raw values are the spec's words; parsing is case-insensitive (see `SpecWord`).

/// A closed set of words from the spec, parsed case-insensitively.
public protocol SpecWord: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

extension SpecWord {
    /// Parses a cell, ignoring case and surrounding blanks; `nil` when the word is not one of ours.
    public init?(word: some StringProtocol) {
        let w = word.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == w }) else { return nil }
        self = match
    }

    /// The accepted words, for error messages: `a, b or c`.
    public static var expectedWords: String {
        let words = allCases.map(\.rawValue)
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + words.last!
    }
}

public enum PlacementType: String, SpecWord, Comparable {
    case kinship, foster, residential, supported
    public var index: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
}

public enum Suitability: String, SpecWord { case preferred, suitable, unsuitable }
public enum Sex: String, SpecWord { case F, M, X }
public enum Urgency: String, SpecWord { case today, within_5_days, after_5_days }
public enum Alongside: String, SpecWord { case solo, with_others, older_only, younger_only, no_preference }
public enum PetsPreference: String, SpecWord { case must, can, no }
public enum Behaviour: String, SpecWord { case high, typical }
public enum SexesAccepted: String, SpecWord { case any, F, M }
public enum ProviderKind: String, SpecWord { case la, ifa, `private`, voluntary, family }
public enum OfstedRating: String, SpecWord { case outstanding, good, requires_improvement, inadequate, not_rated }

public enum Need: String, SpecWord {
    case adaptation, bsl, makaton, esol, therapeutic, disability, dols, cultural
}

public enum RiskFlag: String, SpecWord {
    case self_harm, sexual_exploitation, criminal_exploitation, substance_use, eating_disorder
    case going_missing, physical_harm, sexual_harm, fire_setting, harm_to_animals
}

/// A set of spec words stored as bits, so that "is a subset of" is one instruction on the hot path.
public struct WordSet<Word: SpecWord>: Hashable, Sendable, Sequence {
    public private(set) var bits: UInt32

    public init() { bits = 0 }
    public init(bits: UInt32) { self.bits = bits }
    public init(_ words: some Sequence<Word>) {
        bits = 0
        for w in words { insert(w) }
    }

    /// The word's bit: its position in the spec's order (`allCases`, which is declaration order).
    /// A field-less enum of under 256 cases is stored as exactly that position in one byte, which
    /// makes this one instruction on the eligibility hot path; a test checks it against allCases.
    @inline(__always)
    static func bit(_ w: Word) -> UInt32 {
        if MemoryLayout<Word>.size == 1 { return UInt32(1) << UInt32(unsafeBitCast(w, to: UInt8.self)) }
        return UInt32(1) << UInt32(Array(Word.allCases).firstIndex(of: w)!)
    }
    public mutating func insert(_ w: Word) { bits |= Self.bit(w) }
    public func contains(_ w: Word) -> Bool { bits & Self.bit(w) != 0 }
    public func isSubset(of other: WordSet) -> Bool { bits & ~other.bits == 0 }
    public var isEmpty: Bool { bits == 0 }

    /// The words in the spec's order.
    public func makeIterator() -> IndexingIterator<[Word]> {
        Word.allCases.filter { contains($0) }.makeIterator()
    }
    /// `a;b;c` as written in a cell.
    public var cell: String { map(\.rawValue).joined(separator: ";") }
}

public typealias NeedSet = WordSet<Need>
public typealias RiskSet = WordSet<RiskFlag>

import Foundation
