// The stress market's policy and exclusions.
//
// Why vary the policy: the engine's bounds and pricing lean on the default weights (unmatched far
// dearer than any placement, a split penalty, a cross-RCC penalty). Commissioners may set any of them
// to 0 or move them far from the default; a zero split penalty or a cheap unmatched child changes
// which plans tie and where the integrality gap opens. Every value stays valid (spec section 4:
// non-negative, max_distance_km > 0, only the intercept may be negative).

import PlacementEngine

extension StressGenerator {
    /// The policy of the market with this (market) seed: the default one market in five, else every key drawn
    /// on its own (often its default, sometimes 0, otherwise across a wide range).
    static func policy(seed: UInt64) -> Policy {
        var rng = SeededRandom(seed: seed, stream: "stress.policy")
        var p = Policy()
        guard !rng.chance(0.2) else { return p }

        /// The default, 0, or a value drawn in [lo, hi) at `perUnit` resolution.
        func draw(_ current: Double, zero: Double = 0.15, _ lo: Double, _ hi: Double, perUnit: Double = 1) -> Double {
            let u = rng.uniform()
            if u < zero { return 0 }
            if u < zero + 0.4 { return current }
            return rng.rounded(lo, hi, perUnit: perUnit)
        }
        p.maxDistanceKm = rng.chance(0.5) ? p.maxDistanceKm : Double(rng.int(in: 40...200))
        p.weights.wKm = draw(p.weights.wKm, 0.2, 3, perUnit: 20)
        p.weights.wRisk = draw(p.weights.wRisk, 0.5, 10, perUnit: 10)
        p.weights.wCost = draw(p.weights.wCost, 0.1, 3, perUnit: 20)
        p.crossRccPenalty = draw(p.crossRccPenalty, zero: 0.2, 5, 300)
        p.notPreferredPenalty = draw(p.notPreferredPenalty, zero: 0.2, 5, 100)
        p.splitPenalty = draw(p.splitPenalty, zero: 0.2, 10, 800)
        // Now and then leaving a child is cheap: some placements then cost more than leaving it.
        p.unmatchedPenalty = rng.chance(0.12) ? Double(rng.int(in: 50...400)) : draw(p.unmatchedPenalty, zero: 0.03, 500, 6_000)
        p.urgencyPenalty.today = draw(p.urgencyPenalty.today, 100, 3_000)
        p.urgencyPenalty.within5Days = draw(p.urgencyPenalty.within5Days, 50, 1_500)
        p.urgencyPenalty.after5Days = draw(p.urgencyPenalty.after5Days, zero: 0.4, 10, 300)
        p.excludeInadequate = !rng.chance(0.3)
        p.allowCrossRcc = !rng.chance(0.3)
        let m = p.riskModel
        p.riskModel.intercept = rng.chance(0.5) ? m.intercept : rng.rounded(-4.5, -0.5, perUnit: 100)
        p.riskModel.age11Plus = draw(m.age11Plus, 0.1, 1.5, perUnit: 100)
        p.riskModel.behaviourHigh = draw(m.behaviourHigh, 0.1, 1.8, perUnit: 100)
        p.riskModel.priorPlacements3Plus = draw(m.priorPlacements3Plus, 0.1, 1.2, perUnit: 100)
        p.riskModel.nonKinship = draw(m.nonKinship, 0.1, 1.5, perUnit: 100)
        p.riskModel.residential = draw(m.residential, 0.1, 1.5, perUnit: 100)
        p.riskModel.separatedFromSiblings = draw(m.separatedFromSiblings, 0.1, 1.2, perUnit: 100)
        p.riskModel.typeNotPreferred = draw(m.typeNotPreferred, 0.1, 1.2, perUnit: 100)
        p.riskModel.providerRequiresImprovement = draw(m.providerRequiresImprovement, 0.1, 1.5, perUnit: 100)
        return p
    }

    /// exclusions.csv: a provider declining, a social worker ruling a home out; mostly homes near the
    /// child (which it would otherwise be eligible for), never the same pair twice.
    static func exclusions(children: [Child], placements: [Placement], shape: StressShape, seed: UInt64) -> [Exclusion] {
        guard !placements.isEmpty else { return [] }
        var rng = SeededRandom(seed: seed, stream: "stress.exclusions")
        let reasons = ["provider declined", "provider said \"no capacity for needs\"",
                       "social worker: too far, school", "matching panel: not suitable"]
        var out: [Exclusion] = []
        var seen = Set<String>()   // membership only; the output keeps the drawing order
        for c in children where rng.chance(shape.dense(0.05)) {
            let local = placements.indices.filter { placements[$0].laCode == c.laCode }
            for _ in 0..<rng.int(in: 1...2) {
                let p = placements[local.isEmpty || rng.chance(0.2) ? rng.int(below: placements.count) : rng.element(local)]
                guard seen.insert(c.id + "\u{1}" + p.id).inserted else { continue }
                out.append(Exclusion(childId: c.id, placementId: p.id, reason: rng.element(reasons)))
            }
        }
        return out
    }
}
