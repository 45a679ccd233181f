// The generator's work: children (with sibling groups and kinship carers), then the homes of the
// stock (foster households, children's homes, supported accommodation), then exclusions and not_with
// pairs, then pseudonymous ids. Each part draws from its own random stream (see SeededRandom).
// Probabilities marked "model" are modelling choices where nothing is published; the published
// targets live in Calibration.swift.

import PlacementEngine

struct KidDraft {
    var age: Int
    var uasc: Bool
    var sex: Sex = .M
    var unit = 0
    var behaviour: Behaviour = .typical
    var prior = 0
    var needs = NeedSet()
    var risks = RiskSet()
    var planned: PlacementType = .foster
    var suitability = TypeSuitability.defaults(age: 0)
    var alongside: Alongside = .no_preference
    var pets: PetsPreference = .can
    var maxKm: Double? = nil
    var notWith: [Int] = []
}

struct UnitDraft {
    var members: [Int]
    var la = 0
    var point = GeoPoint(lat: 0, lon: 0)
    var urgency: Urgency = .within_5_days
    var planned: PlacementType = .foster
    var hasKin = false
}

struct HomeDraft {
    var placement: Placement
    /// Kinship: the unit the carer is approved for.
    var forUnit: Int?
}

struct MarketBuild {
    var scale: MarketGenerator.Scale
    let e: EnglandData
    var seed: UInt64
    /// Keep homes with no free place (`Configuration.includeFullHomes`).
    let keepFull: Bool
    /// Per LA: inside the cut.
    let inScope: [Bool]
    let londonRegion: Int?
    let grid: PointGrid

    var kids: [KidDraft] = []
    var units: [UnitDraft] = []
    var homes: [HomeDraft] = []
    var exclusions: [(kid: Int, home: Int, reason: String)] = []
    var providers: Providers

    init(generator g: MarketGenerator) {
        scale = g.scale
        let e = g.england
        self.e = e
        seed = g.configuration.seed
        keepFull = g.configuration.includeFullHomes
        let region = g.regionIndex
        inScope = e.localAuthorities.indices.map { region == nil || e.regionOfLA[$0] == region }
        londonRegion = e.regions.firstIndex(of: "London")
        grid = PointGrid(lat: e.pointLat, lon: e.pointLon)
        providers = Providers(england: e, seed: g.configuration.seed)
    }

    mutating func run() -> Market {
        makeChildren()
        makeKinshipCarers()
        makeFosterHouseholds()
        makeChildrensHomes()
        makeSupportedAccommodation()
        makeExclusionsAndNotWith()
        return finish()
    }

    // MARK: - Small helpers

    func regionOfPoint(_ pt: Int) -> Int { e.regionOfLA[Int(e.pointLA[pt])] }

    /// A draw from (value, share) pairs.
    static func draw<T>(_ table: [(T, Double)], _ rng: inout SeededRandom) -> T {
        table[rng.pick(weights: table.map(\.1))].0
    }

    /// A setting's residents tonight: each of its places taken unless vacant (`vacancyRate`), each
    /// resident then staying unless the replaced fraction `phi` frees the place; nil when no place is free.
    static func residents(places: Int, vacancyRate: Double, replaced phi: Double, keepFull: Bool = false,
                          _ rng: inout SeededRandom) -> Int? {
        var residents = 0
        for _ in 0..<places where !rng.chance(vacancyRate) { residents += 1 }
        if phi > 0 { var kept = 0; for _ in 0..<residents where !rng.chance(phi) { kept += 1 }; residents = kept }
        return places - residents >= 1 || keepFull ? residents : nil
    }

    /// A home's site: a point drawn from `table`, its LA, and the point jittered within 0.3 km.
    func site(_ table: CumulativeTable, _ rng: inout SeededRandom) -> (la: Int, location: GeoPoint) {
        let pt = table.draw(&rng)!
        return (Int(e.pointLA[pt]), GenGeometry.jitter(lat: e.pointLat[pt], lon: e.pointLon[pt], radiusKm: 0.299, &rng))
    }

    /// Some distinct ages within the range, for residents.
    static func residentAges(_ n: Int, in range: ClosedRange<Int>, _ rng: inout SeededRandom) -> [Int] {
        (0..<n).map { _ in rng.int(in: range) }.sorted()
    }

    /// The set of words each drawn with its own probability (capped at 0.95).
    static func words<W: SpecWord>(_ table: [(W, Double)], times factor: Double = 1, _ rng: inout SeededRandom) -> WordSet<W> {
        var set = WordSet<W>()
        for (w, p) in table where rng.chance(min(0.95, p * factor)) { set.insert(w) }
        return set
    }

    // MARK: - Children

    mutating func makeChildren() {
        var rng = SeededRandom(seed: seed, stream: "children")
        let n = scale.children
        let bandWeights = Calibration.ageBands.map(\.share)
        kids.reserveCapacity(n)
        for _ in 0..<n {
            let band = Calibration.ageBands[rng.pick(weights: bandWeights)]
            let age = rng.int(in: band.ages)
            let uasc = age >= 16 && rng.chance(Calibration.uascShareOf16Plus)
            kids.append(KidDraft(age: age, uasc: uasc))
        }

        // Sibling groups: children of nearby ages (within 7 years of the first drawn) are grouped until
        // 30% of the batch is in a group; grouping moves no child, so the age mix stays as drawn.
        // Unaccompanied asylum seekers arrive alone.
        var byAge = [[Int]](repeating: [], count: 18)
        for (i, k) in kids.enumerated() where !k.uasc { byAge[k.age].append(i) }
        var available = byAge.reduce(0) { $0 + $1.count }
        var grouped = [Bool](repeating: false, count: n)
        func take(_ age: Int, _ rng: inout SeededRandom) -> Int {
            let j = rng.int(below: byAge[age].count)
            let kid = byAge[age][j]
            byAge[age].swapAt(j, byAge[age].count - 1)
            byAge[age].removeLast()
            available -= 1
            return kid
        }
        var toGroup = Int((Double(n) * Calibration.siblingShare).rounded())
        let sizeWeights = Calibration.siblingGroupSizes.map(\.share)
        while toGroup >= 2 && available >= 2 {
            let size = min(Calibration.siblingGroupSizes[rng.pick(weights: sizeWeights)].size, toGroup, available)
            let first = rng.pick(weights: byAge.map { Double($0.count) })
            var members = [take(first, &rng)]
            let window = max(0, first - 7)...min(17, first + 7)
            while members.count < size {
                let w = window.map { Double(byAge[$0].count) }
                guard w.contains(where: { $0 > 0 }) else { break }
                members.append(take(window.lowerBound + rng.pick(weights: w), &rng))
            }
            if members.count >= 2 {
                for m in members { grouped[m] = true }
                units.append(UnitDraft(members: members))
                toGroup -= members.count
            } else {
                units.append(UnitDraft(members: members))   // no sibling of a near age left: alone
                grouped[members[0]] = true
            }
        }
        for i in 0..<n where !grouped[i] { units.append(UnitDraft(members: [i])) }

        // Where each unit lives: an LA in proportion to children looked after (2024), a random LSOA
        // point of that LA, and up to 300 m of jitter (siblings share the family home).
        let laTable = CumulativeTable(weights: e.localAuthorities.indices.map {
            inScope[$0] ? Double(e.childrenLookedAfter[$0]) : 0
        })
        let urgencyWeights = Calibration.urgencyMix.map(\.share)
        for u in units.indices {
            let la = laTable.draw(&rng)!
            let pts = e.pointsOfLA[la]
            let pt = Int(pts[rng.int(below: pts.count)])
            units[u].la = la
            units[u].point = GenGeometry.jitter(lat: e.pointLat[pt], lon: e.pointLon[pt], radiusKm: 0.299, &rng)
            units[u].urgency = Calibration.urgencyMix[rng.pick(weights: urgencyWeights)].urgency
            for m in units[u].members {
                kids[m].unit = u
                Self.drawProfile(&kids[m], &rng)
            }
            // A sibling group looks for one home: the type planned for its youngest member.
            let youngest = units[u].members.min { kids[$0].age < kids[$1].age }!
            units[u].planned = kids[youngest].planned
            units[u].hasKin = units[u].planned == .kinship || rng.chance(0.04)   // model: kin came forward
            for m in units[u].members {
                kids[m].planned = units[u].planned
                Self.drawPlanAndPreferences(&kids[m], &rng)
            }
        }
    }

    /// Sex, behaviour, prior placements, needs, risks and the type the care plan looks for.
    static func drawProfile(_ k: inout KidDraft, _ rng: inout SeededRandom) {
        let age = k.age
        if k.uasc {
            k.sex = rng.chance(Calibration.uascMaleShare) ? .M : .F
        } else if age >= 12 && rng.chance(Calibration.sexXShareOf12Plus) {
            k.sex = .X
        } else {
            k.sex = rng.chance(Calibration.maleShare) ? .M : .F
        }
        let girl = k.sex == .F

        // Behaviour: SDQ clinical band, ~42% of 5-16s (issue 5), rarer for babies (model).
        let pHigh: Double = k.uasc ? 0.22 : age <= 3 ? 0.05 : age <= 9 ? 0.38 : age <= 15 ? 0.48 : 0.44
        k.behaviour = rng.chance(pHigh) ? .high : .typical
        let high = k.behaviour == .high

        // Prior placements: new entrants have none; moves have had some (DfE: 23% with 3+ among
        // children in care 2+ years); older and troubled children have had more (model).
        let prior: [Double]
        switch age {
        case _ where k.uasc: prior = [0.85, 0.15]
        case 0: prior = [0.85, 0.15]
        case 1...4: prior = [0.48, 0.25, 0.15, 0.07, 0.03, 0.02]
        case 5...9: prior = [0.38, 0.22, 0.16, 0.10, 0.06, 0.04, 0.02, 0.01, 0.01]
        default: prior = [0.28, 0.19, 0.17, 0.12, 0.08, 0.06, 0.04, 0.02, 0.02, 0.01, 0.01]
        }
        k.prior = rng.pick(weights: prior)
        if high && !k.uasc && age > 0 && rng.chance(0.30) { k.prior += 1 }

        // Needs: rarer needs rare (model).
        var needs = NeedSet()
        if rng.chance(0.06) {
            needs.insert(.disability)
            if rng.chance(0.35) { needs.insert(.adaptation) }
            if rng.chance(0.25) { needs.insert(.makaton) }
            if rng.chance(0.04) { needs.insert(.bsl) }
            if age >= 10 && rng.chance(0.10) { needs.insert(.dols) }
        } else {
            if rng.chance(0.003) { needs.insert(.bsl) }
            if age >= 12 && high && rng.chance(0.02) { needs.insert(.dols) }
        }
        if rng.chance(high ? 0.20 : 0.06) || (k.prior >= 3 && rng.chance(0.10)) { needs.insert(.therapeutic) }
        if k.uasc {
            if rng.chance(0.92) { needs.insert(.esol) }
            if rng.chance(0.80) { needs.insert(.cultural) }
        } else {
            if rng.chance(0.012) { needs.insert(.esol) }
            if rng.chance(0.06) { needs.insert(.cultural) }
        }
        k.needs = needs

        // Risks: teenagers carry more exploitation and going-missing risks; behaviour raises most (model).
        var risks = RiskSet()
        let f = high ? 1.6 : 1.0
        if k.uasc {
            if rng.chance(0.08) { risks.insert(.going_missing) }
            if rng.chance(0.04) { risks.insert(.criminal_exploitation) }
            if rng.chance(0.05) { risks.insert(.self_harm) }
        } else {
            let teen = age >= 12, preteen = age >= 10 && age <= 11
            let pSelfHarm = teen ? (girl ? 0.20 : 0.09) : preteen ? 0.04 : age >= 7 ? 0.005 : 0
            if rng.chance(pSelfHarm * f) { risks.insert(.self_harm) }
            let pCSE = teen ? (girl ? 0.12 : 0.03) : preteen && girl ? 0.02 : 0
            if rng.chance(pCSE * f) { risks.insert(.sexual_exploitation) }
            let pCCE = teen ? (girl ? 0.05 : 0.14) : preteen && !girl ? 0.03 : 0
            if rng.chance(pCCE * f) { risks.insert(.criminal_exploitation) }
            if age >= 13 && rng.chance(0.12 * f) { risks.insert(.substance_use) }
            if teen && rng.chance(girl ? 0.04 : 0.005) { risks.insert(.eating_disorder) }
            let exploited = risks.contains(.sexual_exploitation) || risks.contains(.criminal_exploitation)
            let pMissing = exploited ? 0.60 : teen ? 0.18 : preteen ? 0.05 : 0
            if rng.chance(pMissing * f) { risks.insert(.going_missing) }
            if age >= 5 && rng.chance(high ? 0.13 : 0.03) { risks.insert(.physical_harm) }
            if age >= 8 && rng.chance(0.025 * f) { risks.insert(.sexual_harm) }
            if age >= 7 && rng.chance(0.012 * f) { risks.insert(.fire_setting) }
            if age >= 5 && rng.chance(0.012 * f) { risks.insert(.harm_to_animals) }
        }
        k.risks = risks

        // The type the care plan looks for, by age, behaviour and disability (calibrated so that the
        // batch matches the placement mix; see Calibration.typeMixPublished).
        var w: [Double]   // kinship, foster, residential, supported
        switch age {
        case _ where k.uasc: w = [0, 0.40, 0, 0.60]
        case 0...4: w = [0.26, 0.74, 0, 0]
        case 5...9: w = [0.22, 0.78, 0, 0]
        case 10...11: w = [0.18, 0.73, 0.09, 0]
        case 12...15: w = [0.15, 0.41, 0.46, 0]
        default: w = [0.10, 0.30, 0.26, 0.34]
        }
        if age >= 10 && !k.uasc { w[2] *= high ? 1.7 : 0.45 }
        if needs.contains(.disability) && age >= 5 { w[2] += 0.20 }
        if risks.bits.nonzeroBitCount >= 3 && age >= 12 { w[2] += 0.30 }
        k.planned = PlacementType.allCases[rng.pick(weights: w)]
    }

    /// Type suitability (given the unit's planned type), alongside, pets and a care-plan distance limit.
    static func drawPlanAndPreferences(_ k: inout KidDraft, _ rng: inout SeededRandom) {
        let age = k.age, high = k.behaviour == .high, planned = k.planned
        var s = TypeSuitability(kinship: .suitable, foster: .suitable, residential: .unsuitable, supported: .unsuitable)
        s.kinship = planned == .kinship ? .preferred : .suitable
        switch planned {
        case .foster, .kinship: s.foster = planned == .foster ? .preferred : .suitable
        case .residential: s.foster = rng.chance(0.45) ? .suitable : .unsuitable
        case .supported: s.foster = rng.chance(0.60) ? .suitable : .unsuitable
        }
        if planned == .residential {
            s.residential = .preferred
        } else if age >= 12 {
            let p = planned == .supported ? 0.40 : high ? 0.70 : 0.30
            s.residential = rng.chance(p) ? .suitable : .unsuitable
        }
        if age >= 16 {
            s.supported = planned == .supported ? .preferred : rng.chance(0.50) ? .suitable : .unsuitable
        } else {
            s.supported = .unsuitable   // the law: no supported accommodation under 16 (spec rule T)
        }
        k.suitability = s

        // Who the child can live alongside (model).
        let u = rng.uniform()
        let soloShare = 0.04 + (planned == .residential && high ? 0.15 : 0)
        if u < soloShare { k.alongside = .solo }
        else if u < soloShare + 0.03 { k.alongside = .older_only }
        else if u < soloShare + 0.08 && age >= 8 { k.alongside = .younger_only }
        else if u < soloShare + 0.18 { k.alongside = .with_others }
        else { k.alongside = .no_preference }

        if k.risks.contains(.harm_to_animals) { k.pets = .no }
        else {
            let p = rng.uniform()
            k.pets = p < 0.08 ? .no : p < 0.10 ? .must : .can
        }

        // A care-plan distance limit: near school in exam years, or far from exploiters (model).
        if !k.uasc && age >= 14 && age <= 16 && planned != .residential && rng.chance(0.12) {
            k.maxKm = Double(rng.int(in: 20...40))
        } else if (k.risks.contains(.sexual_exploitation) || k.risks.contains(.criminal_exploitation)) && rng.chance(0.25) {
            k.maxKm = 250
        }
    }

    // MARK: - Kinship carers

    mutating func makeKinshipCarers() {
        var rng = SeededRandom(seed: seed, stream: "kinship")
        let everywhere = CumulativeTable(weights: [Double](repeating: 1, count: e.pointCount))
        for u in units.indices where units[u].hasKin {
            let unit = units[u]
            let size = unit.members.count
            // Where: 80% within 20 km of the child's home, by where people live; else anywhere (model).
            var pt: Int
            if rng.chance(Calibration.kinshipNearShare) {
                let near = grid.points(near: unit.point.lat, unit.point.lon, withinKm: Calibration.kinshipNearKm - 0.35)
                pt = near.isEmpty ? Int(e.pointsOfLA[unit.la][0]) : Int(near[rng.int(below: near.count)])
            } else {
                let cosLat = GenGeometry.cosDegrees(unit.point.lat)
                pt = everywhere.draw(&rng)!
                for _ in 0..<50 where GenGeometry.flatKm(lat1: unit.point.lat, lon1: unit.point.lon,
                                                          lat2: e.pointLat[pt], lon2: e.pointLon[pt], cosLat: cosLat) <= Calibration.kinshipNearKm + 0.35 {
                    pt = everywhere.draw(&rng)!
                }
            }
            let location = GenGeometry.jitter(lat: e.pointLat[pt], lon: e.pointLon[pt], radiusKm: 0.299, &rng)
            // Usually approved for the whole group; sometimes only for fewer (model).
            let capacity = size > 1 && rng.chance(0.12) ? rng.int(in: 1...(size - 1)) : size
            var occupied = 0
            var residents: [Int]? = nil
            if rng.chance(0.30) {
                occupied = rng.int(in: 1...3)
                residents = Self.residentAges(occupied, in: 0...17, &rng)
            }
            // Kin usually can meet the children's needs and manage their risks with support (model).
            var needs = NeedSet(), risks = RiskSet()
            for m in unit.members { needs = NeedSet(bits: needs.bits | kids[m].needs.bits); risks = RiskSet(bits: risks.bits | kids[m].risks.bits) }
            if !needs.isEmpty && rng.chance(0.25) { needs = NeedSet() }
            if !risks.isEmpty && rng.chance(0.35) { risks = RiskSet() }
            let anyNoPets = unit.members.contains { kids[$0].pets == .no || kids[$0].risks.contains(.harm_to_animals) }
            let anyMustPets = unit.members.contains { kids[$0].pets == .must }
            let hasPets = anyMustPets ? rng.chance(0.85) : anyNoPets ? rng.chance(0.10) : rng.chance(0.45)
            let fee = Calibration.feeKinship.draw(&rng).rounded()
            homes.append(HomeDraft(placement: Placement(
                id: "", type: .kinship, providerId: nil, providerKind: .family,
                laCode: e.localAuthorities[Int(e.pointLA[pt])].code, location: location,
                capacity: capacity, occupied: occupied, residentAges: residents,
                needsMet: needs, risksManaged: risks, hasPets: hasPets, weeklyCost: fee, ofsted: .not_rated),
                forUnit: u))
        }
    }

    // MARK: - Foster households

    mutating func makeFosterHouseholds() {
        var rng = SeededRandom(seed: seed, stream: "foster")
        let weight: (Int) -> Double = { [londonRegion, e] la in e.regionOfLA[la] == londonRegion ? Calibration.fosterLondonWeight : 1 }
        var england = 0.0
        let table = CumulativeTable(weights: (0..<e.pointCount).map { pt in
            let la = Int(e.pointLA[pt]); let w = weight(la); england += w
            return inScope[la] ? w : 0
        })
        let count = Int((scale.stockFraction * Double(Calibration.fosterHouseholds) * table.total / england).rounded())
        let placesWeights = Calibration.fosterApprovedPlacesMix.map(\.share)
        let whole = Calibration.fosterWholeHouseholdVacant
        let perPlace = (Calibration.fosterVacancyRate - whole) / (1 - whole)
        let phi = scale.replacedFraction
        let ranges: [(ClosedRange<Int>, Double)] = [(0...17, 0.35), (0...10, 0.25), (0...4, 0.08), (5...17, 0.14), (11...17, 0.10), (0...12, 0.08)]
        let needsTable: [(Need, Double)] = [(.therapeutic, 0.08), (.disability, 0.05), (.adaptation, 0.025), (.makaton, 0.03),
                                            (.bsl, 0.005), (.esol, 0.05), (.cultural, 0.12), (.dols, 0.003)]
        let risksTable: [(RiskFlag, Double)] = [(.self_harm, 0.25), (.sexual_exploitation, 0.12), (.criminal_exploitation, 0.10),
                                                (.substance_use, 0.10), (.eating_disorder, 0.08), (.going_missing, 0.22),
                                                (.physical_harm, 0.08), (.sexual_harm, 0.04), (.fire_setting, 0.03), (.harm_to_animals, 0.10)]
        for _ in 0..<count {
            let approved = Calibration.fosterApprovedPlacesMix[rng.pick(weights: placesWeights)].places
            var vacant = 0
            if rng.chance(whole) { vacant = approved } else { for _ in 0..<approved where rng.chance(perPlace) { vacant += 1 } }
            var residents = approved - vacant
            var freed = 0
            if phi > 0 { for _ in 0..<residents where rng.chance(phi) { freed += 1 } }
            residents -= freed
            let capacity = vacant + freed
            guard capacity >= 1 || keepFull else { continue }

            let (la, location) = site(table, &rng)
            let inHouse = rng.chance(Calibration.fosterInHouseShare)
            let (providerId, rating) = inHouse ? providers.laFostering(la) : providers.ifa(region: e.regionOfLA[la], &rng)
            let ages = Self.draw(ranges, &rng)
            let teen = ages.lowerBound >= 5 && ages.upperBound >= 15
            let sexU = rng.uniform()
            let needs = Self.words(needsTable, times: inHouse ? 1 : 1.8, &rng)
            let risks = Self.words(risksTable, times: (inHouse ? 1 : 1.35) * (teen ? 1.3 : 1), &rng)
            let fee = (inHouse ? Calibration.feeLAFoster : Calibration.feeIFAFoster).draw(&rng).rounded()
            var residentAges: [Int]? = nil
            if residents > 0 {
                residentAges = Self.residentAges(residents, in: ages, &rng)
                if rng.chance(0.05) { residentAges = nil }   // not recorded (the spec's missing case)
            }
            homes.append(HomeDraft(placement: Placement(
                id: "", type: .foster, providerId: providerId, providerKind: inHouse ? .la : .ifa,
                laCode: e.localAuthorities[la].code, location: location, capacity: capacity, occupied: residents,
                residentAges: residentAges, ageMin: ages.lowerBound, ageMax: ages.upperBound,
                sexes: sexU < 0.95 ? .any : sexU < 0.98 ? .F : .M, needsMet: needs, risksManaged: risks,
                hasPets: rng.chance(0.45), weeklyCost: fee, ofsted: rating), forUnit: nil))
        }
    }

    // MARK: - Children's homes

    mutating func makeChildrensHomes() {
        var rng = SeededRandom(seed: seed, stream: "homes")
        // Region shares as Ofsted reports; within a region, by population (LSOA points).
        var pointsInRegion = [Double](repeating: 0, count: e.regions.count)
        for pt in 0..<e.pointCount { pointsInRegion[regionOfPoint(pt)] += 1 }
        var regionShare = [Double](repeating: -1, count: e.regions.count)
        var fixed = 0.0
        for (r, name) in e.regions.enumerated() {
            if let s = Calibration.homeRegionShares[name] { regionShare[r] = s; fixed += s }
        }
        let restPoints = e.regions.indices.filter { regionShare[$0] < 0 }.reduce(0.0) { $0 + pointsInRegion[$1] }
        for r in e.regions.indices where regionShare[r] < 0 { regionShare[r] = (1 - fixed) * pointsInRegion[r] / restPoints }
        let table = CumulativeTable(weights: (0..<e.pointCount).map { pt in
            let r = regionOfPoint(pt)
            return inScope[Int(e.pointLA[pt])] ? regionShare[r] / pointsInRegion[r] : 0
        })
        let count = Int((scale.stockFraction * Double(Calibration.childrensHomes) * table.total).rounded())
        let placesWeights = Calibration.homePlacesMix.map(\.share)
        let phi = scale.replacedFraction
        let mainstreamRanges: [(ClosedRange<Int>, Double)] = [(8...17, 0.15), (10...17, 0.25), (11...17, 0.25), (12...17, 0.25), (13...17, 0.10)]
        let disabilityRanges: [(ClosedRange<Int>, Double)] = [(5...17, 0.50), (0...17, 0.30), (8...17, 0.20)]
        let mainstreamNeeds: [(Need, Double)] = [(.therapeutic, 0.35), (.cultural, 0.20), (.esol, 0.12), (.dols, 0.08),
                                                 (.makaton, 0.04), (.disability, 0.03), (.adaptation, 0.02), (.bsl, 0.005)]
        let disabilityNeeds: [(Need, Double)] = [(.adaptation, 0.70), (.makaton, 0.70), (.bsl, 0.15), (.dols, 0.40),
                                                 (.therapeutic, 0.30), (.cultural, 0.15)]
        // Homes manage far more risks than foster carers (model).
        let mainstreamRisks: [(RiskFlag, Double)] = [(.self_harm, 0.75), (.sexual_exploitation, 0.65), (.criminal_exploitation, 0.70),
                                                     (.substance_use, 0.70), (.eating_disorder, 0.25), (.going_missing, 0.85),
                                                     (.physical_harm, 0.65), (.sexual_harm, 0.18), (.fire_setting, 0.25), (.harm_to_animals, 0.55)]
        let disabilityRisks: [(RiskFlag, Double)] = [(.self_harm, 0.50), (.physical_harm, 0.70), (.going_missing, 0.30), (.sexual_harm, 0.15),
                                                     (.sexual_exploitation, 0.10), (.criminal_exploitation, 0.10), (.substance_use, 0.05),
                                                     (.eating_disorder, 0.10), (.fire_setting, 0.10), (.harm_to_animals, 0.30)]
        let kindWeights = Calibration.homeProviderKinds.map(\.share)
        for _ in 0..<count {
            let places = Calibration.homePlacesMix[rng.pick(weights: placesWeights)].places
            guard let residents = Self.residents(places: places, vacancyRate: Calibration.homeVacancyRate, replaced: phi, keepFull: keepFull, &rng) else { continue }
            let capacity = places - residents

            let (la, location) = site(table, &rng)
            let kind = Calibration.homeProviderKinds[rng.pick(weights: kindWeights)].kind
            let providerId = providers.homeProvider(kind: kind, la: la, &rng)
            let disability = rng.chance(Calibration.homeDisabilityShare)
            let ages = Self.draw(disability ? disabilityRanges : mainstreamRanges, &rng)
            var needs = Self.words(disability ? disabilityNeeds : mainstreamNeeds, &rng)
            if disability { needs.insert(.disability) }
            let risks = Self.words(disability ? disabilityRisks : mainstreamRisks, &rng)
            let sexU = rng.uniform()
            // Fees: specialist homes (disability, therapeutic) draw from the upper part (model).
            var u = rng.uniform()
            if disability || needs.contains(.therapeutic) { u = max(u, rng.uniform()) }
            let fee = Calibration.feeHome.value(at: u).rounded()
            var residentAges: [Int]? = nil
            if residents > 0 {
                residentAges = Self.residentAges(residents, in: max(ages.lowerBound, disability ? 5 : 11)...17, &rng)
                if rng.chance(0.05) { residentAges = nil }
            }
            homes.append(HomeDraft(placement: Placement(
                id: "", type: .residential, providerId: providerId, providerKind: kind,
                laCode: e.localAuthorities[la].code, location: location, capacity: capacity, occupied: residents,
                residentAges: residentAges, ageMin: ages.lowerBound, ageMax: ages.upperBound,
                sexes: sexU < 0.85 ? .any : sexU < 0.93 ? .M : .F, needsMet: needs, risksManaged: risks,
                hasPets: rng.chance(0.08), weeklyCost: fee, ofsted: Self.draw(Calibration.ratingsHomes, &rng)), forUnit: nil))
        }
    }

    // MARK: - Supported accommodation (16-17)

    mutating func makeSupportedAccommodation() {
        var rng = SeededRandom(seed: seed, stream: "supported")
        let table = CumulativeTable(weights: (0..<e.pointCount).map { inScope[Int(e.pointLA[$0])] ? 1 : 0 })
        let mix = Calibration.supportedPlacesMix
        let meanPlaces = mix.reduce(0.0) { $0 + Double($1.places) * $1.share }
        let settings = Double(Calibration.supportedPlaces) / meanPlaces
        let count = Int((scale.stockFraction * settings * table.total / Double(e.pointCount)).rounded())
        let phi = scale.replacedFraction
        let needsTable: [(Need, Double)] = [(.esol, 0.45), (.cultural, 0.35), (.therapeutic, 0.05), (.disability, 0.03), (.adaptation, 0.03)]
        let risksTable: [(RiskFlag, Double)] = [(.going_missing, 0.45), (.substance_use, 0.35), (.self_harm, 0.30), (.criminal_exploitation, 0.25),
                                                (.sexual_exploitation, 0.25), (.physical_harm, 0.12), (.eating_disorder, 0.05),
                                                (.sexual_harm, 0.04), (.fire_setting, 0.05), (.harm_to_animals, 0.30)]
        let kinds: [(ProviderKind, Double)] = [(.private, 0.70), (.voluntary, 0.20), (.la, 0.10)]
        let placesWeights = mix.map(\.share)
        for _ in 0..<count {
            let places = mix[rng.pick(weights: placesWeights)].places
            guard let residents = Self.residents(places: places, vacancyRate: Calibration.supportedVacancyRate, replaced: phi, keepFull: keepFull, &rng) else { continue }
            let capacity = places - residents

            let (la, location) = site(table, &rng)
            let kind = Self.draw(kinds, &rng)
            let (providerId, rating) = providers.supportedProvider(kind: kind, la: la, &rng)
            let sexU = rng.uniform()
            var residentAges: [Int]? = nil
            if residents > 0 { residentAges = Self.residentAges(residents, in: 16...17, &rng) }
            homes.append(HomeDraft(placement: Placement(
                id: "", type: .supported, providerId: providerId, providerKind: kind,
                laCode: e.localAuthorities[la].code, location: location, capacity: capacity, occupied: residents,
                residentAges: residentAges, ageMin: 16, ageMax: 17,
                sexes: sexU < 0.75 ? .any : sexU < 0.95 ? .M : .F,
                needsMet: Self.words(needsTable, &rng), risksManaged: Self.words(risksTable, &rng),
                hasPets: rng.chance(0.02), weeklyCost: Calibration.feeSupported.draw(&rng).rounded(), ofsted: rating), forUnit: nil))
        }
    }

    // MARK: - Exclusions and not_with

    mutating func makeExclusionsAndNotWith() {
        var rng = SeededRandom(seed: seed, stream: "extras")
        var homesOfLA = [[Int]](repeating: [], count: e.localAuthorities.count)
        var laIndex = [String: Int]()
        for (i, la) in e.localAuthorities.enumerated() { laIndex[la.code] = i }
        for h in homes.indices where homes[h].placement.type != .kinship { homesOfLA[laIndex[homes[h].placement.laCode]!].append(h) }
        // Flat copies of what the exclusions look at, so that filtering copies no Placement.
        let homeType = homes.map(\.placement.type)
        let homeAgeMin = homes.map(\.placement.ageMin), homeAgeMax = homes.map(\.placement.ageMax)
        var kidsOfLA = [[Int]](repeating: [], count: e.localAuthorities.count)
        for (i, k) in kids.enumerated() { kidsOfLA[units[k.unit].la].append(i) }
        let reasons = ["provider declined the referral", "ruled out by the social worker", "previous placement there broke down",
                       "too near the people the child must be kept from"]

        for i in kids.indices {
            let k = kids[i]
            // Occasionally a provider near home has declined, or the social worker has ruled a home out.
            if rng.chance(0.03) {
                let candidates = homesOfLA[units[k.unit].la].filter {
                    k.suitability[homeType[$0]] != .unsuitable && homeAgeMin[$0] <= k.age && k.age <= homeAgeMax[$0]
                }
                if !candidates.isEmpty {
                    var chosen = [Int]()
                    for _ in 0..<rng.int(in: 1...3) {
                        let h = candidates[rng.int(below: candidates.count)]
                        if !chosen.contains(h) { chosen.append(h) }
                    }
                    for h in chosen { exclusions.append((i, h, reasons[rng.int(below: reasons.count)])) }
                }
            }
            // Occasionally two children must not live together (co-defendants, an exploitation link).
            if rng.chance(0.01) {
                let others = kidsOfLA[units[k.unit].la]
                if others.count > 1 {
                    let j = others[rng.int(below: others.count)]
                    if j != i && kids[j].unit != k.unit && !kids[i].notWith.contains(j) && !kids[j].notWith.contains(i) {
                        kids[i].notWith.append(j)
                    }
                }
            }
            // A child who may harm younger children sexually must not share with younger siblings.
            if k.risks.contains(.sexual_harm) {
                for j in units[k.unit].members where j != i && kids[j].age < k.age && rng.chance(0.5) {
                    if !kids[j].notWith.contains(i) { kids[i].notWith.append(j) }
                }
            }
        }
    }

    // MARK: - Ids and the market

    mutating func finish() -> Market {
        var rng = SeededRandom(seed: seed, stream: "ids")
        let n = kids.count
        var order = Array(0..<n)
        rng.shuffle(&order)
        let childWidth = max(6, String(n).count)
        var childId = [String](repeating: "", count: n)
        for (r, k) in order.enumerated() { childId[k] = paddedId("C", r + 1, width: childWidth) }
        var groupId = [String?](repeating: nil, count: units.count)
        let groups = units.filter { $0.members.count > 1 }.count
        let groupWidth = max(5, String(groups).count)
        var nextGroup = 1
        for k in order {
            let u = kids[k].unit
            if units[u].members.count > 1 && groupId[u] == nil {
                groupId[u] = paddedId("SG", nextGroup, width: groupWidth)
                nextGroup += 1
            }
        }
        var children = [Child]()
        children.reserveCapacity(n)
        for k in order {
            let d = kids[k], u = units[d.unit]
            children.append(Child(
                id: childId[k], laCode: e.localAuthorities[u.la].code, location: u.point, locationGiven: true,
                age: d.age, sex: d.sex, neededBy: u.urgency, siblingGroup: groupId[d.unit], suitability: d.suitability,
                alongside: d.alongside, pets: d.pets, needs: d.needs, risks: d.risks, behaviour: d.behaviour,
                priorPlacements: d.prior, maxDistanceKm: d.maxKm, notWith: d.notWith.map { childId[$0] }.sorted()))
        }

        var homeOrder = Array(homes.indices)
        rng.shuffle(&homeOrder)
        let homeWidth = max(6, String(homes.count).count)
        var homeId = [String](repeating: "", count: homes.count)
        var placements = [Placement]()
        placements.reserveCapacity(homes.count)
        for (r, h) in homeOrder.enumerated() {
            homeId[h] = paddedId("P", r + 1, width: homeWidth)
            var p = homes[h].placement
            p.id = homeId[h]
            if p.providerKind == .family { p.providerId = p.id }
            if let u = homes[h].forUnit {
                p.forChildren = groupId[u].map { [$0] } ?? units[u].members.map { childId[$0] }
            }
            placements.append(p)
        }

        var excl = exclusions.map { Exclusion(childId: childId[$0.kid], placementId: homeId[$0.home], reason: $0.reason) }
        excl.sort { ($0.childId, $0.placementId) < ($1.childId, $1.placementId) }
        return Market(localAuthorities: e.localAuthorities, children: children, placements: placements,
                      exclusions: excl, policy: Policy())
    }
}
