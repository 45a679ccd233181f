// Rule-by-rule eligibility of a child-placement pair (spec section 2), on precomputed arrays so
// that the hot loop (children x placements) touches no strings and no dictionaries.

import Foundation

public struct EligibilityChecker: Sendable {
    public let index: MarketIndex

    // Placement side, structure of arrays.
    let pType: [PlacementType]
    let pAgeMin: [Int]
    let pAgeMax: [Int]
    let pSexes: [SexesAccepted]
    let pNeeds: [UInt32]
    let pRisks: [UInt32]
    let pHasPets: [Bool]
    let pOccupied: [Int]
    /// Youngest and oldest resident; meaningful only where `pResidentsKnown` and occupied > 0.
    let pYoungest: [Int]
    let pOldest: [Int]
    let pResidentsKnown: [Bool]
    let pQualityFails: [Bool]
    let pCapacity: [Int]
    let pLat: [Double]
    let pLon: [Double]
    let pCosLat: [Double]
    let allowCrossRcc: Bool
    // Child side.
    let cLat: [Double]
    let cLon: [Double]
    let cCosLat: [Double]
    /// Kinship placements each child is named on (directly or through its group), sorted.
    public let kinshipOf: [[Int]]

    public init(index: MarketIndex) {
        self.index = index
        let ps = index.market.placements
        let rad = Double.pi / 180
        pType = ps.map(\.type)
        pAgeMin = ps.map(\.ageMin)
        pAgeMax = ps.map(\.ageMax)
        pSexes = ps.map(\.sexes)
        pNeeds = ps.map(\.needsMet.bits)
        pRisks = ps.map(\.risksManaged.bits)
        pHasPets = ps.map(\.hasPets)
        pOccupied = ps.map(\.occupied)
        pYoungest = ps.map { $0.residentAges?.min() ?? 0 }
        pOldest = ps.map { $0.residentAges?.max() ?? 0 }
        pResidentsKnown = ps.map { $0.residentAges != nil || $0.occupied == 0 }
        let excludeInadequate = index.policy.excludeInadequate
        pQualityFails = ps.map { excludeInadequate && $0.ofsted == .inadequate }
        pCapacity = ps.map(\.capacity)
        allowCrossRcc = index.policy.allowCrossRcc
        pLat = ps.map { $0.location.lat * rad }
        pLon = ps.map { $0.location.lon * rad }
        pCosLat = ps.map { cos($0.location.lat * rad) }
        let cs = index.market.children
        cLat = cs.map { $0.location.lat * rad }
        cLon = cs.map { $0.location.lon * rad }
        cCosLat = cs.map { cos($0.location.lat * rad) }
        var kin = [[Int]](repeating: [], count: cs.count)
        for (p, children) in index.kinshipChildren.sorted(by: { $0.key < $1.key }) {
            for c in children { kin[c].append(p) }
        }
        kinshipOf = kin
    }

    @inline(__always)
    public func distanceKm(child c: Int, placement p: Int) -> Double {
        Geo.haversineKm(lat1: cLat[c], lon1: cLon[c], cosLat1: cCosLat[c],
                        lat2: pLat[p], lon2: pLon[p], cosLat2: pCosLat[p])
    }

    /// The distance, or +infinity when the latitudes alone put the pair beyond the child's limit
    /// (then rule D fails whatever the exact distance, and the pair is ineligible, so the exact
    /// figure is never needed); kinship homes always get the exact distance.
    @inline(__always)
    public func boundedDistanceKm(_ child: ChildProfile, placement p: Int) -> Double {
        if pType[p] != .kinship, abs(pLat[p] - cLat[child.c]) * Geo.earthRadiusKm > child.maxDistanceKm {
            return .infinity
        }
        return distanceKm(child: child.c, placement: p)
    }

    /// Every rule the pair breaks (each rule on its own), and the distance.
    public func check(child c: Int, placement p: Int) -> (mask: RuleMask, distanceKm: Double) {
        let d = distanceKm(child: c, placement: p)
        return (mask(profile(c), placement: p, distanceKm: d), d)
    }

    /// What the rules need to know of a child, as plain values, taken once per child.
    public struct ChildProfile: Sendable {
        let c: Int
        let age: Int
        let sex: Sex
        let suitability: TypeSuitability
        let needs: UInt32
        let risks: UInt32
        let sexualHarm: Bool
        let harmToAnimals: Bool
        let pets: PetsPreference
        let alongside: Alongside
        let maxDistanceKm: Double
        let rcc: Int32
        let excluded: [Int]
        let kinship: [Int]
    }

    public func profile(_ c: Int) -> ChildProfile {
        let child = index.market.children[c]
        return ChildProfile(
            c: c, age: child.age, sex: child.sex, suitability: child.suitability, needs: child.needs.bits,
            risks: child.risks.bits, sexualHarm: child.risks.contains(.sexual_harm),
            harmToAnimals: child.risks.contains(.harm_to_animals), pets: child.pets, alongside: child.alongside,
            maxDistanceKm: index.maxDistanceKm[c], rcc: index.childRcc[c],
            excluded: index.excludedPlacements[c], kinship: kinshipOf[c])
    }

    @inline(__always)
    func mask(_ child: ChildProfile, placement p: Int, distanceKm d: Double) -> RuleMask {
        var m: UInt16 = 0
        let type = pType[p]
        // T type
        if child.suitability[type] == .unsuitable { m |= 1 << 0 }
        // K kinship
        if type == .kinship, !child.kinship.contains(p) { m |= 1 << 1 }
        // G age and sex
        let sexOK: Bool = switch pSexes[p] {
        case .any: true
        case .F: child.sex == .F
        case .M: child.sex == .M
        }
        if child.age < pAgeMin[p] || child.age > pAgeMax[p] || !sexOK { m |= 1 << 2 }
        // N needs
        if child.needs & ~pNeeds[p] != 0 { m |= 1 << 3 }
        // R risks
        let occupied = pOccupied[p]
        var riskFails = child.risks & ~pRisks[p] != 0
        if child.harmToAnimals, pHasPets[p] { riskFails = true }
        if child.sexualHarm, occupied > 0, !pResidentsKnown[p] || pYoungest[p] < child.age { riskFails = true }
        if riskFails { m |= 1 << 4 }
        // P pets
        if (child.pets == .no && pHasPets[p]) || (child.pets == .must && !pHasPets[p]) { m |= 1 << 5 }
        // A alongside (residents)
        if occupied > 0 {
            switch child.alongside {
            case .solo: m |= 1 << 6
            case .older_only: if !pResidentsKnown[p] || pYoungest[p] <= child.age { m |= 1 << 6 }
            case .younger_only: if !pResidentsKnown[p] || pOldest[p] >= child.age { m |= 1 << 6 }
            case .with_others, .no_preference: break
            }
        }
        // D distance (kinship is never limited by distance)
        if type != .kinship, d > child.maxDistanceKm { m |= 1 << 7 }
        // Q quality
        if pQualityFails[p] { m |= 1 << 8 }
        // X exclusions
        if !child.excluded.isEmpty, child.excluded.contains(p) { m |= 1 << 9 }
        // C capacity
        if pCapacity[p] < 1 { m |= 1 << 10 }
        // O out of region
        if !allowCrossRcc, type != .kinship, child.rcc != index.placementRcc[p] { m |= 1 << 11 }
        return RuleMask(rawValue: m)
    }

}
