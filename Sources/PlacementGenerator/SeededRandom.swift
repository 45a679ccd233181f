// A seeded random number generator of our own, and the few draws the market generator needs.
//
// Why not Swift's `SystemRandomNumberGenerator`: it cannot be seeded, so the same seed would not give
// the same market. Why not Foundation's `drand48` & co.: their algorithms differ between platforms.
// xoshiro256** (Blackman & Vigna, 2018), seeded through SplitMix64, is a few lines of integer
// arithmetic: the same seed gives the same stream on every machine. Every draw below uses only
// integer arithmetic and IEEE +, -, *, / and sqrt (correctly rounded everywhere), never log, exp, sin
// or cos (whose last bit differs between C libraries), so generated files are byte-identical anywhere.

import PlacementEngine

/// SplitMix64 (Steele, Lea & Flood 2014): expands a 64-bit seed into well-mixed state words; also
/// the one small seeded stream of the benchmark's perturbations and the tests' fuzzing.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [lo, hi), from the top 53 bits (exact on every machine).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }
    /// An integer in 0..<n (n >= 1) by the remainder (its bias, below n / 2^64, is immaterial here).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// xoshiro256**: fast, small, statistically strong, and seedable.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// An independent stream for one part of the generator (children, foster homes, ...), so that
    /// changing how many draws one part makes does not reshuffle the others.
    public init(seed: UInt64, stream: String) {
        // FNV-1a of the stream name, mixed with the seed: deterministic, no `hashValue` (which is
        // randomised per process).
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        self.init(seed: seed ^ h)
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1), 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Uniform integer in 0..<n (Lemire's unbiased multiply-shift).
    public mutating func int(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// An index drawn with the given weights (which need not sum to 1).
    public mutating func pick(weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.lastIndex(where: { $0 > 0 }) ?? 0
    }

    /// Fisher-Yates, in place.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = int(below: i + 1)
            if i != j { a.swapAt(i, j) }
        }
    }
}

/// A categorical distribution with a cumulative table: O(log n) draws, for large tables (LSOA points).
struct CumulativeTable: Sendable {
    private let cumulative: [Double]
    var count: Int { cumulative.count }
    var total: Double { cumulative.last ?? 0 }

    init(weights: [Double]) {
        var c = [Double](); c.reserveCapacity(weights.count)
        var s = 0.0
        for w in weights { s += max(0, w); c.append(s) }
        cumulative = c
    }

    /// An index with probability weight / total; `nil` when every weight is zero.
    func draw(_ rng: inout SeededRandom) -> Int? {
        guard let total = cumulative.last, total > 0 else { return nil }
        let u = rng.uniform() * total
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// A distribution given by its quantiles, linearly interpolated (an empirical inverse CDF): how the
/// generator draws fees and other skewed amounts with plain arithmetic (no exp/log).
struct QuantileTable: Sendable {
    /// (cumulative probability, value), probabilities increasing from 0 to 1.
    let points: [(p: Double, v: Double)]

    init(_ points: [(Double, Double)]) {
        precondition(points.first?.0 == 0 && points.last?.0 == 1)
        self.points = points.map { (p: $0.0, v: $0.1) }
    }

    func value(at u: Double) -> Double {
        for i in 1..<points.count where u <= points[i].p {
            let (p0, v0) = points[i - 1], (p1, v1) = points[i]
            return v0 + (v1 - v0) * (u - p0) / (p1 - p0)
        }
        return points[points.count - 1].v
    }

    func draw(_ rng: inout SeededRandom) -> Double { value(at: rng.uniform()) }

    /// The mean of the distribution (trapezoids of the piecewise-linear inverse CDF).
    var mean: Double {
        var m = 0.0
        for i in 1..<points.count {
            m += (points[i].p - points[i - 1].p) * (points[i].v + points[i - 1].v) / 2
        }
        return m
    }

    /// The probability of a value at or above `x`.
    func share(atLeast x: Double) -> Double {
        for i in 1..<points.count where points[i].v >= x {
            let (p0, v0) = points[i - 1], (p1, v1) = points[i]
            if v1 == v0 { return 1 - p0 }
            return 1 - (p0 + (p1 - p0) * (x - v0) / (v1 - v0))
        }
        return 0
    }
}
