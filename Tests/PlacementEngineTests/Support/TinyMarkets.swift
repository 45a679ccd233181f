// Seeded random tiny markets (3-7 children, 2-4 placements, 2-3 LAs in 2 RCCs), small enough for
// `BruteForce` and varied enough that across seeds every rule of the spec bites: sibling groups,
// solo / older_only / younger_only, sexual_harm, not_with, kinship (for_children naming a child or
// a group), exclusions, cross-RCC, per-child distance limits, occupied homes with and without
// resident_ages, capacity 0-3, pets, needs, risks, Ofsted ratings and policy variations.
// Every market is valid per the spec (section 1 and 7). The generator is the engine's SplitMix64 and
// our own range mapping, so a seed gives the same market on every platform and Swift version.

import PlacementEngine
@testable import PlacementGenerator

enum TinyMarkets {
    /// The engine's SplitMix64 (Steele, Lea and Flood 2014), with the draws below.
    typealias SplitMix64 = PlacementGenerator.SplitMix64

    /// The arcs of `make(seed:)`'s market, built on one thread.
    static func arcs(seed: UInt64) throws -> ArcTable {
        ArcTable(index: try MarketIndex(make(seed: seed)), threads: 1)
    }

    static func make(seed: UInt64) -> Market {
        var rng = SplitMix64(seed: seed)

        // Local authorities: 2-3, in two RCCs, centroids within about 200 km of each other.
        let laCount = rng.int(2...3)
        var las: [LocalAuthority] = []
        for k in 0..<laCount {
            let rcc = k == 0 ? "RCC-A" : k == 1 ? "RCC-B" : rng.pick(["RCC-A", "RCC-B"])
            las.append(LocalAuthority(code: "TLA0\(k + 1)", name: "Tiny LA \(k + 1)", rcc: rcc,
                                      centroid: GeoPoint(lat: 53.0 + rng.double(-0.6, 0.6),
                                                         lon: -1.5 + rng.double(-0.9, 0.9))))
        }
        func near(_ p: GeoPoint, _ spread: Double) -> GeoPoint {
            GeoPoint(lat: p.lat + rng.double(-spread, spread), lon: p.lon + rng.double(-spread, spread) * 1.6)
        }

        // Policy variations.
        var policy = Policy()
        if rng.chance(0.15) { policy.allowCrossRcc = false }
        if rng.chance(0.25) { policy.excludeInadequate = false }
        if rng.chance(0.2) { policy.splitPenalty = 0 } else if rng.chance(0.2) { policy.splitPenalty = 400 }
        if rng.chance(0.15) { policy.maxDistanceKm = 90 }
        if rng.chance(0.15) {
            // Cheap to leave a child unmatched: some placements then cost more than leaving.
            policy.unmatchedPenalty = 150
            policy.urgencyPenalty.today = 60
            policy.urgencyPenalty.within5Days = 20
        }
        if rng.chance(0.1) { policy.crossRccPenalty = 0; policy.notPreferredPenalty = 60 }

        // Children.
        let childCount = rng.int(3...7)
        var children: [Child] = []
        var groupOf: [String?] = Array(repeating: nil, count: childCount)
        var groups: [String] = []
        var i = 0
        var groupNumber = 0
        // Sibling groups first (size 2-3), while room remains.
        while i < childCount - 1 && rng.chance(groupNumber == 0 ? 0.65 : 0.3) {
            let size = min(rng.int(2...3), childCount - i)
            groupNumber += 1
            let g = "G\(groupNumber)"
            groups.append(g)
            for k in i..<(i + size) { groupOf[k] = g }
            i += size
        }
        var groupHome: [String: (la: LocalAuthority, point: GeoPoint?)] = [:]
        for k in 0..<childCount {
            let id = "C\(k + 1)"
            var la = rng.pick(las)
            var point: GeoPoint? = rng.chance(0.7) ? near(la.centroid, 0.15) : nil
            if let g = groupOf[k] {
                if let home = groupHome[g] { la = home.la; point = home.point } else { groupHome[g] = (la, point) }
            }
            let age = rng.weighted([(rng.int(0...4), 2.0), (rng.int(5...10), 3.0), (rng.int(11...15), 3.0), (rng.int(16...17), 2.0)])
            let sex: Sex = rng.weighted([(.F, 0.46), (.M, 0.46), (.X, 0.08)])
            var suit = TypeSuitability.defaults(age: age)
            if rng.chance(0.15) { suit.kinship = rng.pick([.suitable, .unsuitable]) }
            if rng.chance(0.15) { suit.foster = rng.pick([.suitable, .suitable, .unsuitable]) }
            if rng.chance(0.2) { suit.residential = rng.pick([.preferred, .suitable, .unsuitable]) }
            if age >= 16 && rng.chance(0.4) { suit.supported = rng.pick([.preferred, .suitable, .unsuitable]) }
            if age < 16 { suit.supported = .unsuitable }   // the law, and an input error otherwise
            let alongside: Alongside = rng.weighted([(.no_preference, 0.5), (.with_others, 0.1), (.solo, 0.13),
                                                     (.older_only, 0.14), (.younger_only, 0.13)])
            let pets: PetsPreference = rng.weighted([(.can, 0.86), (.no, 0.08), (.must, 0.06)])
            var needs = NeedSet()
            if rng.chance(0.12) { needs.insert(rng.pick(Array(Need.allCases))) }
            var risks = RiskSet()
            if rng.chance(0.2) { risks.insert(rng.pick(Array(RiskFlag.allCases))) }
            if rng.chance(0.08) { risks.insert(.sexual_harm) }
            children.append(Child(
                id: id, laCode: la.code, location: point ?? la.centroid, locationGiven: point != nil,
                age: age, sex: sex, neededBy: rng.pick(Array(Urgency.allCases)), siblingGroup: groupOf[k],
                suitability: suit, alongside: alongside, pets: pets, needs: needs, risks: risks,
                behaviour: rng.chance(0.25) ? .high : .typical, priorPlacements: rng.int(0...5),
                maxDistanceKm: rng.chance(0.25) ? rng.double(20, 120) : nil))
        }
        // not_with: another child (a sibling is allowed), never itself.
        for k in 0..<childCount where rng.chance(0.15) {
            var other = rng.int(0...(childCount - 2))
            if other >= k { other += 1 }
            children[k].notWith.append(children[other].id)
        }

        // Placements.
        let placementCount = rng.int(2...4)
        var placements: [Placement] = []
        for k in 0..<placementCount {
            let type: PlacementType = rng.weighted([(.kinship, 0.15), (.foster, 0.67), (.residential, 0.12), (.supported, 0.06)])
            let la = rng.pick(las)
            let capacity = rng.weighted([(0, 0.06), (1, 0.38), (2, 0.34), (3, 0.22)])
            var occupied = 0
            var residentAges: [Int]? = nil
            if rng.chance(0.3) {
                occupied = rng.int(1...2)
                if rng.chance(0.85) { residentAges = (0..<occupied).map { _ in rng.int(0...17) } }
            }
            var ageMin = 0, ageMax = 17
            switch type {
            case .residential: ageMin = rng.pick([6, 10, 12]); ageMax = 17
            case .supported: ageMin = 16; ageMax = 17
            case .foster, .kinship:
                if rng.chance(0.06) { ageMin = rng.int(0...8); ageMax = rng.int(max(ageMin, 9)...17) }
            }
            var needsMet = NeedSet()
            for need in Need.allCases where rng.chance(0.6) { needsMet.insert(need) }
            var risksManaged = RiskSet()
            for risk in RiskFlag.allCases where rng.chance(type == .residential ? 0.95 : 0.8) { risksManaged.insert(risk) }
            let hasPets = type == .residential || type == .supported ? rng.chance(0.05) : rng.chance(0.3)
            let weeklyCost: Double = switch type {
            case .kinship: Double(rng.int(200...400))
            case .foster: Double(rng.int(550...950))
            case .residential: Double(rng.int(3000...6000))
            case .supported: Double(rng.int(1000...2500))
            }
            let ofsted: OfstedRating = type == .kinship && rng.chance(0.8) ? .not_rated
                : rng.weighted([(.outstanding, 0.15), (.good, 0.45), (.requires_improvement, 0.2), (.inadequate, 0.07), (.not_rated, 0.13)])
            var forChildren: [String] = []
            if type == .kinship {
                for _ in 0..<rng.int(1...2) {
                    let c = rng.pick(children)
                    let entry = c.siblingGroup != nil && rng.chance(0.5) ? c.siblingGroup! : c.id
                    if !forChildren.contains(entry) { forChildren.append(entry) }
                }
            }
            placements.append(Placement(
                id: "P\(k + 1)", type: type, providerKind: type == .kinship ? .family : rng.pick([.la, .ifa, .private]),
                laCode: la.code, location: near(la.centroid, 0.3), capacity: capacity, occupied: occupied,
                residentAges: residentAges, ageMin: ageMin, ageMax: ageMax,
                sexes: rng.weighted([(.any, 0.94), (.F, 0.03), (.M, 0.03)]), needsMet: needsMet,
                risksManaged: risksManaged, hasPets: hasPets, weeklyCost: weeklyCost, ofsted: ofsted,
                forChildren: forChildren))
        }

        var exclusions: [Exclusion] = []
        if rng.chance(0.3) {
            exclusions.append(Exclusion(childId: rng.pick(children).id, placementId: rng.pick(placements).id,
                                        reason: "provider declined"))
        }
        return Market(localAuthorities: las, children: children, placements: placements,
                      exclusions: exclusions, policy: policy)
    }
}

extension PlacementGenerator.SplitMix64 {
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func double(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    /// Picks by weight.
    mutating func weighted<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var r = unit() * total
        for (item, w) in items {
            if r < w { return item }
            r -= w
        }
        return items[items.count - 1].0
    }
}
