// Adversarial stress markets: a Regional Care Cooperative pooling its vacancies.
//
// Why: `MarketGenerator` draws England's markets from published statistics, where supply is loose and
// the engine is fast. The hard markets are regional pools: a few neighbouring LAs, places scarce
// nearby, homes for 2-4 children that already have residents, children dense with rules (alongside,
// sexual_harm, not_with, also inside sibling groups), kinship carers named for a child or a group,
// exclusions, and commissioners' own policies. This generator makes such markets, seeded and
// byte-reproducible, so tests and the benchmark cover the shapes where the engine stalls.
//
// What a market is drawn from (each market draws its own shape, `StressShape`, from the seed):
//   - geography: an anchor LA from `EnglandLocalAuthorities.all`, its RCC, and 3-8 of its nearest
//     neighbours there; sometimes the nearest LAs whatever their RCC (a pool spanning two RCCs, where
//     `allow_cross_rcc` and `cross_rcc_penalty` bite), and a few homes just over the border; sometimes
//     the market's own local_authorities.csv naming the pool's RCCs. Children and homes are jittered a
//     few to tens of km around LA centroids;
//   - supply: places / children drawn from 0.6 (scarce) to 1.5 (loose), homes added until the places
//     reach that ratio; at 8 children or fewer at most 5 placements, so brute force stays feasible;
//   - rules: every rule of spec section 2 at a density drawn per market (`StressShape.density`);
//   - policy: every weight and penalty across its valid range, sometimes 0, sometimes the default.
// The output is valid input per the spec (a test writes and loads it with zero errors).
//
// Determinism: `SeededRandom` (xoshiro256** seeded through SplitMix64), one named stream per part,
// no Dictionary or Set iteration reaches the output, and the only arithmetic is +, -, *, /, sqrt
// (`GenGeometry`): the same (children, seed) gives the same market, byte for byte, on any machine.

import PlacementEngine

public struct StressGenerator: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Children in the market (1 to `StressGenerator.maxChildren`).
        public var children: Int
        public var seed: UInt64
        /// Free places per child; `nil`: drawn per market from 0.6 (scarce) to 1.5 (loose).
        public var supplyRatio: Double?

        public init(children: Int, seed: UInt64, supplyRatio: Double? = nil) {
            self.children = children; self.seed = seed; self.supplyRatio = supplyRatio
        }
    }

    public static let maxChildren = 100_000
    /// Markets this small keep at most `tinyMaxPlacements` placements, so that brute force can enumerate them.
    public static let tinyChildren = 8
    public static let tinyMaxPlacements = 5
    /// The range `supplyRatio` is drawn from.
    public static let supplyRange = 0.6...1.5

    public let configuration: Configuration

    public init(_ configuration: Configuration) {
        precondition((1...Self.maxChildren).contains(configuration.children),
                     "children must be between 1 and \(Self.maxChildren)")
        if let r = configuration.supplyRatio { precondition(r > 0 && r.isFinite, "supply ratio must be > 0") }
        self.configuration = configuration
    }

    /// The per-market shape drawn from the seed (also what `--stress` reports after generating).
    public var shape: StressShape { StressShape(configuration) }

    /// The seed every stream is drawn from: the configured seed mixed with the size, so that
    /// (300, seed 1) and (20, seed 1) are unrelated markets, with their own policy and pool.
    static func marketSeed(_ c: Configuration) -> UInt64 {
        var mix = SplitMix64(seed: c.seed ^ (UInt64(c.children) &* 0x9E37_79B9_7F4A_7C15))
        return mix.next()
    }

    /// Builds the market. Pure: the same configuration gives the same market.
    public func generate() -> Market {
        let shape = self.shape
        let seed = Self.marketSeed(configuration)
        let geography = StressGeography(shape: shape, seed: seed)
        var children = StressChildren(shape: shape, geography: geography, seed: seed)
        children.build()
        var homes = StressHomes(shape: shape, geography: geography, children: children.children, seed: seed)
        homes.build()
        let exclusions = StressGenerator.exclusions(children: children.children, placements: homes.placements,
                                                    shape: shape, seed: seed)
        return Market(localAuthorities: geography.table, children: children.children, placements: homes.placements,
                      exclusions: exclusions, policy: StressGenerator.policy(seed: seed))
    }
}

/// What one stress market is made of, drawn from its seed before anything else (stream "shape"), so
/// that tests and reports can say what kind of market a seed gives.
public struct StressShape: Sendable, Hashable {
    public var children: Int
    /// Free places per child the homes add up to (kinship carers included).
    public var supplyRatio: Double
    /// How many LAs pool their vacancies (3-8).
    public var laCount: Int
    /// Whether the pool is the nearest LAs whatever their RCC (usually two RCCs) rather than one RCC's.
    public var spansRCCs: Bool
    /// Whether the market carries its own local_authorities.csv (the pool's LAs, RCCs named after the pool).
    public var ownLATable: Bool
    /// How far children and homes lie from their LA's centroid, km (uniform on a disc of this radius).
    public var spreadKm: Double
    /// Multiplies every rule's frequency (0.6 to 1.6): some markets are rule-dense, some plain.
    public var density: Double
    /// Share of children in sibling groups.
    public var siblingShare: Double
    /// Share of placements that already have residents.
    public var occupiedShare: Double

    public init(_ c: StressGenerator.Configuration) {
        var rng = SeededRandom(seed: StressGenerator.marketSeed(c), stream: "stress.shape")
        children = c.children
        let drawnRatio = rng.uniform(StressGenerator.supplyRange.lowerBound, StressGenerator.supplyRange.upperBound)
        supplyRatio = c.supplyRatio ?? (drawnRatio * 100).rounded() / 100
        laCount = c.children < 40 ? rng.int(in: 3...5) : rng.int(in: 3...8)
        spansRCCs = rng.chance(0.35)
        ownLATable = rng.chance(0.25)
        spreadKm = (rng.uniform(3, 30) * 10).rounded() / 10
        density = (rng.uniform(0.6, 1.6) * 100).rounded() / 100
        siblingShare = (rng.uniform(0.2, 0.5) * 100).rounded() / 100
        occupiedShare = (rng.uniform(0.35, 0.8) * 100).rounded() / 100
    }

    /// Total free places wanted.
    public var targetPlaces: Int { max(1, Int((Double(children) * supplyRatio).rounded())) }
    /// At most this many placements (brute-forceable tiny markets), else no limit.
    public var maxPlacements: Int? {
        children <= StressGenerator.tinyChildren ? StressGenerator.tinyMaxPlacements : nil
    }
    /// A probability scaled by the market's rule density, kept within [0, 0.95].
    func dense(_ p: Double) -> Double { min(0.95, p * density) }
}

extension SeededRandom {
    /// Picks one element uniformly.
    mutating func element<T>(_ items: [T]) -> T { items[int(below: items.count)] }

    /// Picks by weight: the stress generator's tables are short lists of (value, weight).
    mutating func weighted<T>(_ items: [(T, Double)]) -> T { items[pick(weights: items.map(\.1))].0 }

    /// Uniform on [a, b) rounded to 1 / `perUnit` (short numbers in the written files: dividing by an
    /// integer gives the double nearest the decimal, which the file then spells exactly).
    mutating func rounded(_ a: Double, _ b: Double, perUnit: Double) -> Double {
        (uniform(a, b) * perUnit).rounded() / perUnit
    }
}
