// The stress market's homes: kinship carers named for a child or a group, then foster households
// (1-4 places), children's homes (2-4) and supported accommodation (16-17 only) until the free
// places reach the market's supply ratio.
//
// Why multi-place homes with residents: a home for 3 with two residents of known (or unknown) ages is
// where the alongside rules, sexual_harm and not_with interact tonight, and where a sibling group
// competes with single children for the same places: the integer program's hard part.

import PlacementEngine

struct StressHomes: Sendable {
    let shape: StressShape
    let geography: StressGeography
    let children: [Child]
    private var rng: SeededRandom
    private(set) var placements: [Placement] = []
    private var places = 0

    init(shape: StressShape, geography: StressGeography, children: [Child], seed: UInt64) {
        self.shape = shape; self.geography = geography; self.children = children
        rng = SeededRandom(seed: seed, stream: "stress.homes")
    }

    private var full: Bool {
        if let m = shape.maxPlacements, placements.count >= m { return true }
        return places >= shape.targetPlaces
    }

    mutating func build() {
        addKinship()
        var k = 0
        while !full {
            k += 1
            let type: PlacementType = rng.weighted([(.foster, 0.58), (.residential, 0.24), (.supported, 0.18)])
            placements.append(home(id: paddedId("P", k, width: 5), type: type))
        }
        // Interleave the types in the file, as a pooled vacancy list would be.
        rng.shuffle(&placements)
    }

    // MARK: Kinship

    /// A connected person for some children and groups: named by the group, a member, or both (and now
    /// and then a cousin from another unit); sometimes with fewer places than the group (a forced split).
    private mutating func addKinship() {
        var units: [[Int]] = []   // children by unit, in order
        for (i, c) in children.enumerated() {
            if let g = c.siblingGroup, let last = units.last, children[last[0]].siblingGroup == g {
                units[units.count - 1].append(i)
            } else {
                units.append([i])
            }
        }
        let maxKinship = shape.maxPlacements.map { max(1, $0 - 3) } ?? Int.max
        var k = 0
        for unit in units where k < maxKinship && !full {
            let isGroup = unit.count > 1
            guard rng.chance(shape.dense(isGroup ? 0.15 : 0.05)) else { continue }
            k += 1
            var forChildren: [String]
            if isGroup, let g = children[unit[0]].siblingGroup {
                let member = children[rng.element(unit)].id
                forChildren = rng.weighted([([g], 0.6), ([member], 0.2), ([g, children[unit[0]].id], 0.2)])
            } else {
                forChildren = [children[unit[0]].id]
            }
            if rng.chance(0.1) {
                let cousin = children[rng.int(below: children.count)].id
                if !forChildren.contains(cousin) { forChildren.append(cousin) }
            }
            let capacity = isGroup ? (rng.chance(0.6) ? unit.count : rng.int(in: 1...(unit.count - 1)))
                                   : (rng.chance(0.85) ? 1 : 2)
            let child = children[unit[0]]
            // Kin often live far away (kinship is never limited by distance): out of the pool now and then.
            let la: LocalAuthority
            if rng.chance(0.25), geography.table.count > geography.pool.count {
                la = geography.table[rng.int(below: geography.table.count)]
            } else {
                la = geography.pool.first { $0.code == child.laCode }!
            }
            let (occupied, ages) = residents(chance: 0.3, range: 0...17, max: 2)
            var needsMet = NeedSet(), risksManaged = RiskSet()
            for need in Need.allCases where rng.chance(0.1) { needsMet.insert(need) }
            for risk in RiskFlag.allCases where rng.chance(0.2) { risksManaged.insert(risk) }
            placements.append(Placement(
                id: paddedId("K", k, width: 5), type: .kinship, providerKind: .family, laCode: la.code,
                location: geography.point(near: la, &rng), capacity: capacity, occupied: occupied, residentAges: ages,
                needsMet: needsMet, risksManaged: risksManaged, hasPets: rng.chance(0.35),
                weeklyCost: rng.rounded(150, 400, perUnit: 100),
                ofsted: rng.chance(0.9) ? .not_rated : rng.element([.good, .requires_improvement, .inadequate]),
                forChildren: forChildren))
            places += capacity
        }
    }

    // MARK: Foster, residential, supported

    private mutating func home(id: String, type: PlacementType) -> Placement {
        let la = geography.drawHomeLA(&rng)
        var capacity: Int
        let ageRange: (Int, Int)
        let occupancy: (occupied: Int, ages: [Int]?)
        let providerKind: ProviderKind
        let provider: String
        let cost: Double
        let traits: (therapeutic: Double, risk: Double, sexualHarm: Double, pets: Double)
        switch type {
        case .foster, .kinship:
            capacity = rng.weighted([(1, 0.45), (2, 0.30), (3, 0.17), (4, 0.08)])
            ageRange = rng.weighted([((0, 17), 0.55), ((0, 11), 0.12), ((0, 15), 0.10), ((5, 17), 0.08),
                                     ((10, 17), 0.10), ((0, 4), 0.05)])
            occupancy = residents(chance: shape.occupiedShare, range: 0...17, max: 3)
            if rng.chance(0.5) {
                providerKind = .la; provider = "LA-" + la.code
                cost = rng.rounded(450, 800, perUnit: 100)
            } else {
                providerKind = .ifa; provider = "IFA-0\(rng.int(in: 1...5))"
                cost = rng.rounded(700, 1_200, perUnit: 100)
            }
            traits = (0.15, 0.25, 0.1, 0.35)
        case .residential:
            capacity = rng.weighted([(2, 0.45), (3, 0.35), (4, 0.20)])
            ageRange = rng.weighted([((10, 17), 0.4), ((12, 17), 0.3), ((8, 17), 0.15), ((13, 17), 0.15)])
            occupancy = residents(chance: min(0.95, shape.occupiedShare + 0.2), range: 10...17, max: 3)
            providerKind = rng.chance(0.75) ? .private : .voluntary
            provider = (providerKind == .private ? "RES-0" : "VOL-0") + "\(rng.int(in: 1...6))"
            cost = rng.chance(0.8) ? rng.rounded(3_500, 7_000, perUnit: 100) : rng.rounded(7_000, 12_000, perUnit: 100)
            traits = (0.45, 0.5, 0.3, 0.05)
        case .supported:
            capacity = rng.weighted([(1, 0.4), (2, 0.35), (3, 0.25)])
            ageRange = (16, 17)
            occupancy = residents(chance: shape.occupiedShare * 0.6, range: 16...17, max: 2)
            providerKind = rng.chance(0.6) ? .private : .voluntary
            provider = "SA-0\(rng.int(in: 1...4))"
            cost = rng.rounded(900, 2_600, perUnit: 100)
            traits = (0.2, 0.35, 0.15, 0.03)
        }
        if rng.chance(0.03) { capacity = 0 }   // listed, but the place was taken today: eligible for nobody
        // The last home stops at the target (at least one place), so total places ~ ratio x children.
        capacity = min(capacity, max(1, shape.targetPlaces - places))
        places += capacity
        var needsMet = NeedSet(), risksManaged = RiskSet()
        for need in Need.allCases where rng.chance(need == .therapeutic ? traits.therapeutic : 0.1) { needsMet.insert(need) }
        for risk in RiskFlag.allCases {
            let p = risk == .sexual_harm ? traits.sexualHarm : risk == .harm_to_animals ? 0.2 : traits.risk
            if rng.chance(p) { risksManaged.insert(risk) }
        }
        let sexes: SexesAccepted = rng.weighted([(.any, type == .residential ? 0.8 : 0.9), (.F, 0.05), (.M, 0.05)])
        let ofsted: OfstedRating = rng.weighted([(.outstanding, 0.14), (.good, 0.42), (.requires_improvement, 0.16),
                                                 (.inadequate, 0.07), (.not_rated, 0.21)])
        return Placement(
            id: id, type: type, providerId: provider, providerKind: providerKind, laCode: la.code,
            location: geography.point(near: la, &rng), capacity: capacity, occupied: occupancy.occupied,
            residentAges: occupancy.ages, ageMin: ageRange.0, ageMax: ageRange.1, sexes: sexes, needsMet: needsMet,
            risksManaged: risksManaged, hasPets: rng.chance(traits.pets), weeklyCost: cost, ofsted: ofsted)
    }

    /// Children already living there: with probability `chance`, 1...max of them, their ages known
    /// 85% of the time (unknown ages make older_only, younger_only and sexual_harm ineligible).
    private mutating func residents(chance: Double, range: ClosedRange<Int>, max: Int) -> (Int, [Int]?) {
        guard rng.chance(chance) else { return (0, nil) }
        let n = rng.int(in: 1...max)
        let ages = (0..<n).map { _ in rng.int(in: range) }
        return (n, rng.chance(0.85) ? ages : nil)
    }
}
