// A synthetic England placement market calibrated to published statistics (issue 5).
//
// Scale. England's stock of homes is modelled once: 42,615 foster households (70,465 places, 16% vacant),
// 2,880 children's homes (10,818 places, 15% vacant), supported accommodation (9,313 places, 12% vacant),
// each home with its approved places and residents (Calibration.swift gives every figure and source).
// A market with N children (England-wide, or N / the region's share of children looked after for a
// region cut) takes:
//   - N <= 1,000 (waiting children, `nightly`, `pool`): a fraction N / 1,000 of the stock's homes, with
//     their vacant places. 1,000 waiting children face every vacancy in England (`pool`); a night's 244
//     referrals face a quarter of them (`nightly`: vacancies open to that night's referrals, the others
//     being held for planned moves, carers on a break, matches in progress): places per child stay the same.
//   - N > 1,000: every home, and children already placed are re-placed too, freeing their places: a share
//     (N - 1,000) / (83,630 - 1,000) of the residents' places is offered as well; at 83,630 (`national`)
//     every place in England is offered and no home has residents.
// `vacanciesScale` overrides the fraction of the stock. Kinship carers are generated for the children
// themselves (a connected person is approved for a particular child or sibling group).
//
// Determinism: one seeded generator (SeededRandom, one stream per part), no Dictionary or Set
// iteration, only arithmetic that is exact on every IEEE machine: the same seed gives the same market.

import Foundation
import PlacementEngine

public struct MarketGenerator: Sendable {
    public enum Preset: String, CaseIterable, Sendable, Hashable {
        /// One night of England's new placements (244 children), with a normal night's vacancies.
        case nightly
        /// 1,000 children waiting, every vacancy in England.
        case pool
        /// The whole stock: 83,630 children, every place in England.
        case national

        /// Children in England for the preset (a region cut takes the region's share).
        public var englandChildren: Int {
            switch self {
            case .nightly: Calibration.nightlyChildren
            case .pool: Calibration.poolChildren
            case .national: Calibration.childrenLookedAfter
            }
        }
    }

    public struct Configuration: Sendable, Hashable {
        public var seed: UInt64
        /// The preset; `nil` with `children` nil means `nightly`.
        public var preset: Preset?
        /// Children in the market (in the region, with `region`); overrides the preset's count.
        public var children: Int?
        /// Fraction of England's stock of homes to draw (1 = every vacancy in England); `nil`: automatic.
        public var vacanciesScale: Double?
        /// One RCC (ONS region name, case-insensitive); `nil`: all England.
        public var region: String?
        /// Keep the homes of the stock that have no free place tonight (capacity 0, their residents
        /// as drawn): the simulation's whole stock (`PlacementSimulation`). Off for every market that
        /// is written or solved: a row of placements.csv has a free place. The draws are the same
        /// either way; only which homes are kept differs.
        public var includeFullHomes: Bool = false

        public init(seed: UInt64 = 1, preset: Preset? = nil, children: Int? = nil,
                    vacanciesScale: Double? = nil, region: String? = nil, includeFullHomes: Bool = false) {
            self.seed = seed; self.preset = preset; self.children = children
            self.vacanciesScale = vacanciesScale; self.region = region; self.includeFullHomes = includeFullHomes
        }
    }

    /// What a configuration resolves to.
    public struct Scale: Sendable, Hashable {
        /// Children in the market.
        public var children: Int
        /// The England-wide market this one is a cut of (children / the region's share).
        public var englandEquivalentChildren: Double
        /// Fraction of England's stock of homes drawn.
        public var stockFraction: Double
        /// Fraction of residents' places freed (children re-placed): 0 for waiting children, 1 for national.
        public var replacedFraction: Double
        /// The region (RCC) cut out, as spelled in the data; `nil` for England.
        public var region: String?
        /// The region's share of England's children looked after (1 for England).
        public var regionChildShare: Double
    }

    public let configuration: Configuration
    public let england: EnglandData
    public let scale: Scale
    /// The index of the region in `england.regions`, when cut.
    let regionIndex: Int?

    public static let maxChildren = 999_999

    public init(_ configuration: Configuration, england: EnglandData) throws(GeneratorError) {
        self.configuration = configuration
        self.england = england
        var regionIndex: Int? = nil
        if let r = configuration.region {
            let wanted = r.trimmingCharacters(in: .whitespaces).lowercased()
            guard let i = england.regions.firstIndex(where: { $0.lowercased() == wanted }) else {
                throw .unknownRegion(r, known: england.regions)
            }
            regionIndex = i
        }
        self.regionIndex = regionIndex
        let totalCLA = Double(england.childrenLookedAfter.reduce(0, +))
        var share = 1.0
        if let ri = regionIndex {
            var inRegion = 0
            for la in england.localAuthorities.indices where england.regionOfLA[la] == ri { inRegion += england.childrenLookedAfter[la] }
            share = Double(inRegion) / totalCLA
        }
        let preset = configuration.preset ?? (configuration.children == nil ? .nightly : nil)
        let n: Int
        if let c = configuration.children {
            n = c
        } else {
            n = max(1, Int((Double(preset!.englandChildren) * share).rounded()))
        }
        guard n >= 1, n <= Self.maxChildren else { throw .badChildren(n) }
        let equivalent = configuration.children == nil ? Double(preset!.englandChildren) : Double(n) / share
        if let v = configuration.vacanciesScale, !(v > 0 && v <= 100) { throw .badVacanciesScale(v) }
        let pool = Double(Calibration.poolChildren)
        let sigma = configuration.vacanciesScale ?? min(equivalent / pool, 1)
        let phi = equivalent <= pool ? 0 : min((equivalent - pool) / (Double(Calibration.childrenLookedAfter) - pool), 1)
        scale = Scale(children: n, englandEquivalentChildren: equivalent, stockFraction: sigma, replacedFraction: phi,
                      region: regionIndex.map { england.regions[$0] }, regionChildShare: share)
    }

    /// Builds the market. Pure: the same configuration and data give the same market.
    public func generate() -> Market {
        var build = MarketBuild(generator: self)
        return build.run()
    }
}

public enum GeneratorError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownRegion(String, known: [String])
    case badChildren(Int)
    case badVacanciesScale(Double)

    public var description: String {
        switch self {
        case .unknownRegion(let r, let known):
            "unknown region/RCC '\(r)': expected one of \(known.joined(separator: ", "))"
        case .badChildren(let n):
            "children must be between 1 and \(MarketGenerator.maxChildren), got \(n)"
        case .badVacanciesScale(let v):
            "vacancies scale must be > 0 and <= 100, got \(v)"
        }
    }
}

/// Zero-padded decimal, e.g. ("C", 42, 6) -> "C000042".
package func paddedId(_ prefix: String, _ n: Int, width: Int) -> String {
    let digits = String(n)
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
}
