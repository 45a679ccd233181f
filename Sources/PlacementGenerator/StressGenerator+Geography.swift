// The stress market's geography: which LAs pool their vacancies, and where children and homes lie.
//
// Why neighbours: a Regional Care Cooperative pools the vacancies of adjacent LAs, so most pairs are
// within reach of each other and compete for the same homes; that competition is what is hard.
// Why sometimes two RCCs: a pool at an RCC's edge sees homes across the boundary, where
// `allow_cross_rcc = false` removes pairs and `cross_rcc_penalty` prices them.

import PlacementEngine

struct StressGeography: Sendable {
    /// The pool's LAs as the market names them (their `rcc` is the market's), anchor first.
    let pool: [LocalAuthority]
    /// The market's LA table: the bundled England LAs, or the market's own (the pool only).
    let table: [LocalAuthority]
    /// The nearest LAs outside the pool (bundled table only): where a few homes lie just over the
    /// border, often in another RCC, as independent providers do.
    let border: [LocalAuthority]
    /// Relative weight of each pool LA for children and homes (the anchor is the largest).
    let weights: [Double]
    let spreadKm: Double

    init(shape: StressShape, seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: "stress.geography")
        let all = EnglandLocalAuthorities.all
        let anchor = all[rng.int(below: all.count)]
        let cosLat = GenGeometry.cosDegrees(anchor.centroid.lat)
        func km(_ la: LocalAuthority) -> Double {
            GenGeometry.flatKm(lat1: anchor.centroid.lat, lon1: anchor.centroid.lon,
                               lat2: la.centroid.lat, lon2: la.centroid.lon, cosLat: cosLat)
        }
        // Candidates nearest first (ties by code: a total order, no dependence on the table's order).
        let byDistance = all.map { (la: $0, km: km($0)) }
            .sorted { $0.km != $1.km ? $0.km < $1.km : $0.la.code < $1.la.code }
        var chosen: [LocalAuthority]
        if shape.spansRCCs {
            chosen = Array(byDistance.prefix(shape.laCount).map(\.la))
            if !chosen.contains(where: { $0.rcc != anchor.rcc }),
               let other = byDistance.first(where: { $0.la.rcc != anchor.rcc }) {
                chosen[chosen.count - 1] = other.la
            }
        } else {
            chosen = Array(byDistance.filter { $0.la.rcc == anchor.rcc }.prefix(shape.laCount).map(\.la))
        }

        if shape.ownLATable {
            // The market's own table: the pool only, its RCCs named after their first LA, as a
            // cooperative would name itself. A one-RCC pool of 4+ LAs is sometimes split in two.
            let splitAt = !shape.spansRCCs && chosen.count >= 4 && rng.chance(0.5) ? chosen.count / 2 : nil
            var names: [(original: String, name: String)] = []
            var renamed: [LocalAuthority] = []
            for (k, la) in chosen.enumerated() {
                let key = splitAt.map { k < $0 ? "first" : "second" } ?? la.rcc
                let name: String
                if let known = names.first(where: { $0.original == key }) {
                    name = known.name
                } else {
                    name = "RCC " + la.name.split(separator: ",")[0]
                    names.append((key, name))
                }
                renamed.append(LocalAuthority(code: la.code, name: la.name, rcc: name, centroid: la.centroid))
            }
            pool = renamed
            table = renamed
            border = []
        } else {
            pool = chosen
            table = all
            let inPool = Set(chosen.map(\.code))
            border = Array(byDistance.filter { !inPool.contains($0.la.code) }.prefix(3).map(\.la))
        }
        weights = pool.indices.map { $0 == 0 ? 2.0 : rng.uniform(0.3, 1.5) }
        spreadKm = shape.spreadKm
    }

    /// An LA of the pool, drawn by weight.
    func drawLA(_ rng: inout SeededRandom) -> LocalAuthority { pool[rng.pick(weights: weights)] }

    /// Where a foster, residential or supported home lies: a pool LA, or now and then (8%) a border LA.
    func drawHomeLA(_ rng: inout SeededRandom) -> LocalAuthority {
        if !border.isEmpty, rng.chance(0.08) { return rng.element(border) }
        return drawLA(&rng)
    }

    /// A point around `la`'s centroid: mostly within the market's spread, now and then three times
    /// as far (an out-of-town home, a child at a distant school).
    func point(near la: LocalAuthority, _ rng: inout SeededRandom) -> GeoPoint {
        let radius = rng.chance(0.1) ? spreadKm * 3 : spreadKm
        return GenGeometry.jitter(lat: la.centroid.lat, lon: la.centroid.lon, radiusKm: radius, &rng)
    }
}
