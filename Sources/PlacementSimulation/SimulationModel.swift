// The simulation's figures (issue 14): arrival rates, how long placements last, the decline share,
// and the few draws the model makes. Every figure is derived from `Calibration` (the published
// figures the generator already uses) or stated as an assumption; docs/simulation.md explains each.
//
// Determinism: draws use the generator's seeded streams (SeededRandom, SplitMix64) and only IEEE
// +, -, *, / (the one exponential, exp(-rate) for the Poisson draw, is computed here by squaring a
// Taylor series, never by the C library), so a seed gives the same nights on every machine and with
// any number of threads.

import PlacementEngine
import PlacementGenerator

/// What a simulation assumes; the defaults are documented in docs/simulation.md.
public struct SimulationModel: Sendable, Hashable {
    /// New placements a year in England (DfE, via a parliamentary answer, 2022-23; `Calibration`).
    public var placementsPerYear: Double = Double(Calibration.newPlacementsPerYear)
    /// Share of proposals a provider declines (a policy of the simulation; kinship carers, the
    /// child's own family, never decline). A declined pairing is never proposed again for the child.
    public var declineShare: Double = 0.10
    /// Mean nights a placement of each type lasts (geometric: memoryless), by Little's law from the
    /// stock the generator draws (`meanStayNights(_:)`); a factor scales all of them.
    public var stayScale: Double = 1

    public init() {}

    /// Little's law, stock = arrival rate x mean stay, per type: the places occupied on a night in
    /// England (Ofsted's places less the vacancy rate; supported accommodation's occupants) over the
    /// new placements of that type a year (89,000 x the care plans' type mix, FOI 2024), in nights.
    /// Foster 59,191 occupied / 52,406 a year: 412 nights; children's homes 9,195 / 11,336: 296;
    /// supported 8,196 / 9,745: 307. A stock at the generator's occupancy stays there on average.
    public static func littleLawStayNights(_ type: PlacementType) -> Double {
        let perYear = Double(Calibration.newPlacementsPerYear) * Calibration.typeShare(type)
        let occupied: Double
        switch type {
        case .foster: occupied = Double(Calibration.fosterApprovedPlaces) * (1 - Calibration.fosterVacancyRate)
        case .residential: occupied = Double(Calibration.childrensHomePlaces) * (1 - Calibration.homeVacancyRate)
        case .supported: occupied = Double(Calibration.supportedOccupants)
        case .kinship:
            // Kinship carers come with their children (no stock); the mix's share of the 83,630.
            occupied = Double(Calibration.childrenLookedAfter) * Calibration.typeShare(.kinship)
        }
        return 365 * occupied / perYear
    }

    public func meanStayNights(_ type: PlacementType) -> Double { Self.littleLawStayNights(type) * stayScale }

    /// Arrivals a night in the cut: England's new placements a year x the cut's share of children
    /// looked after (31 March 2024) / 365. Per LA this is the LA's share: the generator puts each
    /// referral (or sibling group) in an LA in proportion to children looked after.
    public func arrivalsPerNight(regionShare: Double) -> Double { placementsPerYear * regionShare / 365 }
}

/// The simulation's draws.
enum Draw {
    /// exp(x) for x <= 0 with IEEE arithmetic only: halve until |x| < 1/64, Taylor to 12 terms, square back.
    static func exp(_ x: Double) -> Double {
        var y = x, halvings = 0
        while abs(y) > 1.0 / 64 { y /= 2; halvings += 1 }
        var term = 1.0, sum = 1.0
        for k in 1...12 { term *= y / Double(k); sum += term }
        for _ in 0..<halvings { sum *= sum }
        return sum
    }

    /// Poisson(mean) by Knuth's product of uniforms (mean up to ~700, beyond which exp underflows;
    /// larger means are split into parts that add up).
    static func poisson(_ mean: Double, _ rng: inout SeededRandom) -> Int {
        guard mean > 0 else { return 0 }
        var left = mean, total = 0
        while left > 0 {
            let part = min(left, 500)
            left -= part
            let limit = exp(-part)
            var product = rng.uniform(), k = 0
            while product > limit { product *= rng.uniform(); k += 1 }
            total += k
        }
        return total
    }

    /// Nights until a placement ends (1, 2, ...), geometric with the given mean: each night it ends
    /// with probability 1 / mean. `nil` when it lasts beyond `horizon` nights.
    static func stay(mean: Double, horizon: Int, _ rng: inout SeededRandom) -> Int? {
        let p = 1 / max(1, mean)
        var d = 1
        while d <= horizon {
            if rng.uniform() < p { return d }
            d += 1
        }
        return nil
    }

    /// A seed for one part of one night of one run: SplitMix64 of the run's seed and the night.
    static func nightSeed(_ seed: UInt64, night: Int) -> UInt64 {
        var sm = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(night))
        return sm.next()
    }
}

/// Student's t, two-sided 95%: the critical value for `df` degrees of freedom.
public enum StudentT {
    static let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                  2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                  2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
    public static func critical95(df: Int) -> Double {
        guard df >= 1 else { return .infinity }
        return df <= table.count ? table[df - 1] : df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960
    }
}

/// A mean across seeds with its 95% t-interval half-width (`inf` with one seed).
public struct Estimate: Sendable, Hashable, Codable {
    public var mean: Double
    public var halfWidth: Double
    public var n: Int

    public init(_ values: [Double]) {
        n = values.count
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        guard values.count >= 2 else { halfWidth = values.isEmpty ? 0 : .infinity; return }
        let m = mean
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        halfWidth = StudentT.critical95(df: values.count - 1) * (variance / Double(values.count)).squareRoot()
    }

    public var low: Double { mean - halfWidth }
    public var high: Double { mean + halfWidth }
}
