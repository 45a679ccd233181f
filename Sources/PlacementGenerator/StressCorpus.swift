// The stress corpus: a fixed list of (children, seed) pairs for `StressGenerator`, so tests and the
// benchmark name the same markets everywhere ("stress-300-s7") without storing any files.
//
// Why weighted to small and medium markets: most of the engine's failures (a wrong bound, a missed
// tie, a stall in column generation) show at 20-300 children, where many shapes can be tried quickly;
// the large ones (1,000-5,000) are for timing. The corpus is:
//   -  20,  30,  40,  50,  60,  80 children: 10 seeds each  (60 markets)
//   - 100, 120, 150, 200, 250, 300 children: 12 seeds each  (72 markets)
//   - 400, 600 children:                     12 seeds each  (24 markets)
//   - 800, 1,000 children:                   10 seeds each  (20 markets)
//   - 1,500, 2,000 children:                  8 seeds each  (16 markets)
//   - 3,000 children: 4 seeds; 5,000 children: 4 seeds      (8 markets)
// 200 markets in all. Seeds are 1...k for each size: a market is wholly named by (children, seed), and
// `quick` (24 markets of at most 300 children: seeds 1 and 2 of each size up to 300)
// is what CI runs. Changing this list changes what "the stress corpus" means: append, do not edit.

import PlacementEngine

public enum StressCorpus {
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        public var children: Int
        public var seed: UInt64
        public init(children: Int, seed: UInt64) { self.children = children; self.seed = seed }

        /// The market's name: `stress-<children>-s<seed>`.
        public var name: String { "stress-\(children)-s\(seed)" }
        public var description: String { name }
        public var configuration: StressGenerator.Configuration { .init(children: children, seed: seed) }
        public func generate() -> Market { StressGenerator(configuration).generate() }
    }

    /// (children, seeds per size), smallest first.
    static let sizes: [(children: Int, seeds: Int)] = [
        (20, 10), (30, 10), (40, 10), (50, 10), (60, 10), (80, 10),
        (100, 12), (120, 12), (150, 12), (200, 12), (250, 12), (300, 12),
        (400, 12), (600, 12),
        (800, 10), (1_000, 10),
        (1_500, 8), (2_000, 8),
        (3_000, 4), (5_000, 4),
    ]

    /// Every market of the corpus, smallest first, then by seed.
    public static let entries: [Entry] = sizes.flatMap { size in
        (1...size.seeds).map { Entry(children: size.children, seed: UInt64($0)) }
    }

    /// The CI subset: seeds 1 and 2 of every size up to 300 children (24 markets, none over 300).
    public static let quick: [Entry] = entries.filter { $0.children <= 300 && $0.seed <= 2 }
}
