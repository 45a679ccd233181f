import Foundation
import PlacementEngine

// What a market holds, measured the same way for any market (generated or real), printed beside the
// published figures the generator is calibrated to (Calibration.swift), so anyone can see how close
// a synthetic market is to England.

public struct MarketDescription: Sendable {
    public struct Row: Sendable, Hashable {
        public var section: String
        public var measure: String
        public var value: String
        public var target: String
    }

    // MARK: Measures (public so that tests can check them)

    public var childCount = 0
    public var placementCount = 0
    public var exclusionCount = 0
    /// not_with entries (each names a pair once from one side).
    public var notWithCount = 0
    /// Share of children in each of `Calibration.ageBands`.
    public var ageBandShares: [Double] = []
    public var sexShares: [Sex: Double] = [:]
    /// Share of children whose care plan prefers each type (a child preferring k types counts 1/k each).
    public var preferredTypeShares: [PlacementType: Double] = [:]
    public var placementsByType: [PlacementType: Int] = [:]
    /// Free places tonight (sum of capacity) and children already living there, by type.
    public var placesByType: [PlacementType: Int] = [:]
    public var occupiedByType: [PlacementType: Int] = [:]
    /// Share of foster places offered by LA (in-house) households.
    public var fosterInHousePlaceShare = 0.0
    /// Mean weekly cost per free place, for each of `Calibration.feeTargets` (nil when none).
    public var meanFees: [Double?] = []
    /// Share of residential free places at £10,000 a week or more.
    public var residential10kShare = 0.0
    /// Mean registered places (capacity + occupied) of the children's homes listed.
    public var homeMeanPlaces = 0.0
    public var siblingShare = 0.0
    public var siblingGroups = 0
    public var meanSiblingGroupSize = 0.0
    /// Share with behaviour = high among children aged 5-16 (the SDQ ages).
    public var behaviourHigh5to16 = 0.0
    public var prior3PlusShare = 0.0
    public var urgencyShares: [Urgency: Double] = [:]
    public var needShares: [Need: Double] = [:]
    /// Share of free places (all non-kinship types) meeting each need.
    public var needPlaceShares: [Need: Double] = [:]
    public var riskSharesTeen: [RiskFlag: Double] = [:]
    public var riskSharesUnder12: [RiskFlag: Double] = [:]
    /// Share of free foster / residential places managing each risk.
    public var riskPlaceSharesFoster: [RiskFlag: Double] = [:]
    public var riskPlaceSharesResidential: [RiskFlag: Double] = [:]
    /// Ofsted ratings: share of listed homes by rating, for foster and residential.
    public var ratingSharesFoster: [OfstedRating: Double] = [:]
    public var ratingSharesResidential: [OfstedRating: Double] = [:]
    /// RCCs in sorted order, with each one's share of children, of children's homes listed and of
    /// foster places offered.
    public var regions: [String] = []
    public var childRegionShares: [Double] = []
    public var homeRegionShares: [Double] = []
    public var fosterPlaceRegionShares: [Double] = []
    /// Distance to the nearest free place a child is eligible for on its own (every rule of the spec
    /// but distance and out-of-region; kinship left out): median km, the share farther than 20 miles
    /// (32.19 km, infinity included) and the share with no such place anywhere.
    public var nearestMedianKm = 0.0
    public var nearestOver20Miles = 0.0
    public var nearestNone = 0.0
    /// The same for children preferring foster, to the nearest foster place, and preferring residential.
    public var nearestFosterOver20Miles = 0.0
    public var nearestResidentialOver20Miles = 0.0
    /// Share of kinship carers within 20 km of the (first) child they are approved for.
    public var kinshipWithin20Km = 0.0
    /// Children under 16 whose `supported` suitability is not `unsuitable` (an input error).
    public var supportedUnder16Errors = 0

    /// Measures `market`. `distances: false` skips the nearest-place search (the slow part: a ring
    /// search per child), leaving the distance measures at 0.
    public init(_ market: Market, distances: Bool = true) {
        let children = market.children, placements = market.placements
        childCount = children.count
        placementCount = placements.count
        exclusionCount = market.exclusions.count
        notWithCount = children.reduce(0) { $0 + $1.notWith.count }
        let n = Double(max(1, children.count))

        ageBandShares = Calibration.ageBands.map { band in Double(children.filter { band.ages.contains($0.age) }.count) / n }
        for s in Sex.allCases { sexShares[s] = Double(children.filter { $0.sex == s }.count) / n }
        for t in PlacementType.allCases { preferredTypeShares[t] = 0 }
        for c in children {
            let preferred = PlacementType.allCases.filter { c.suitability[$0] == .preferred }
            for t in preferred { preferredTypeShares[t]! += 1 / Double(preferred.count) / n }
        }
        for u in Urgency.allCases { urgencyShares[u] = Double(children.filter { $0.neededBy == u }.count) / n }
        for t in PlacementType.allCases {
            let ps = placements.filter { $0.type == t }
            placementsByType[t] = ps.count
            placesByType[t] = ps.reduce(0) { $0 + $1.capacity }
            occupiedByType[t] = ps.reduce(0) { $0 + $1.occupied }
        }
        let fosterPlaces = Double(max(1, placesByType[.foster]!))
        fosterInHousePlaceShare = Double(placements.filter { $0.type == .foster && $0.providerKind == .la }.reduce(0) { $0 + $1.capacity }) / fosterPlaces

        meanFees = Calibration.feeTargets.map { target in
            let ps = placements.filter { $0.type == target.type && (target.kind == nil || $0.providerKind == target.kind) }
            let places = ps.reduce(0) { $0 + $1.capacity }
            guard places > 0 else { return nil }
            return ps.reduce(0.0) { $0 + $1.weeklyCost * Double($1.capacity) } / Double(places)
        }
        let residential = placements.filter { $0.type == .residential }
        let residentialPlaces = Double(max(1, placesByType[.residential]!))
        residential10kShare = Double(residential.filter { $0.weeklyCost >= 10_000 }.reduce(0) { $0 + $1.capacity }) / residentialPlaces
        homeMeanPlaces = residential.isEmpty ? 0 : Double(residential.reduce(0) { $0 + $1.capacity + $1.occupied }) / Double(residential.count)

        // Siblings.
        var groupSizes = [String: Int]()
        for c in children { if let g = c.siblingGroup { groupSizes[g, default: 0] += 1 } }
        let realGroups = groupSizes.values.filter { $0 >= 2 }
        siblingGroups = realGroups.count
        siblingShare = Double(realGroups.reduce(0, +)) / n
        meanSiblingGroupSize = realGroups.isEmpty ? 0 : Double(realGroups.reduce(0, +)) / Double(realGroups.count)

        let sdq = children.filter { (5...16).contains($0.age) }
        behaviourHigh5to16 = Double(sdq.filter { $0.behaviour == .high }.count) / Double(max(1, sdq.count))
        prior3PlusShare = Double(children.filter { $0.priorPlacements >= 3 }.count) / n

        let nonKin = placements.filter { $0.type != .kinship }
        let nonKinPlaces = Double(max(1, nonKin.reduce(0) { $0 + $1.capacity }))
        for need in Need.allCases {
            needShares[need] = Double(children.filter { $0.needs.contains(need) }.count) / n
            needPlaceShares[need] = Double(nonKin.filter { $0.needsMet.contains(need) }.reduce(0) { $0 + $1.capacity }) / nonKinPlaces
        }
        let teens = children.filter { $0.age >= 12 }, young = children.filter { $0.age < 12 }
        let foster = placements.filter { $0.type == .foster }
        for r in RiskFlag.allCases {
            riskSharesTeen[r] = Double(teens.filter { $0.risks.contains(r) }.count) / Double(max(1, teens.count))
            riskSharesUnder12[r] = Double(young.filter { $0.risks.contains(r) }.count) / Double(max(1, young.count))
            riskPlaceSharesFoster[r] = Double(foster.filter { $0.risksManaged.contains(r) }.reduce(0) { $0 + $1.capacity }) / fosterPlaces
            riskPlaceSharesResidential[r] = Double(residential.filter { $0.risksManaged.contains(r) }.reduce(0) { $0 + $1.capacity }) / residentialPlaces
        }
        for rating in OfstedRating.allCases {
            ratingSharesFoster[rating] = Double(foster.filter { $0.ofsted == rating }.count) / Double(max(1, foster.count))
            ratingSharesResidential[rating] = Double(residential.filter { $0.ofsted == rating }.count) / Double(max(1, residential.count))
        }

        // Regions.
        var rccOf = [String: String]()
        for la in market.localAuthorities { rccOf[la.code] = la.rcc }
        regions = Array(Set(market.localAuthorities.map(\.rcc))).sorted()
        func shares(_ items: [(String, Double)]) -> [Double] {
            let total = items.reduce(0) { $0 + $1.1 }
            return regions.map { r in total > 0 ? items.filter { rccOf[$0.0] == r }.reduce(0) { $0 + $1.1 } / total : 0 }
        }
        childRegionShares = shares(children.map { ($0.laCode, 1) })
        homeRegionShares = shares(residential.map { ($0.laCode, 1) })
        fosterPlaceRegionShares = shares(foster.map { ($0.laCode, Double($0.capacity)) })

        // Distances to the nearest free place the child is eligible for on its own (rules T, G, N, R,
        // P, A, Q, X and C of the spec; not distance, not kinship).
        if distances { measureDistances(market) }

        // Kinship carers near the child.
        var childById = [String: Int]()
        for (i, c) in children.enumerated() { childById[c.id] = i }
        var firstOfGroup = [String: Int]()
        for (i, c) in children.enumerated() { if let g = c.siblingGroup, firstOfGroup[g] == nil { firstOfGroup[g] = i } }
        let kin = placements.filter { $0.type == .kinship }
        var near = 0, counted = 0
        for p in kin {
            guard let first = p.forChildren.first, let i = childById[first] ?? firstOfGroup[first] else { continue }
            counted += 1
            if haversineKm(p.location, children[i].location) <= Calibration.kinshipNearKm { near += 1 }
        }
        kinshipWithin20Km = Double(near) / Double(max(1, counted))
        supportedUnder16Errors = children.filter { $0.age < 16 && $0.suitability.supported != .unsuitable }.count
    }

    private mutating func measureDistances(_ market: Market) {
        let children = market.children, placements = market.placements
        let n = Double(max(1, children.count))
        let index = NearestPlaces(placements)
        var excluded = Set<String>()
        for x in market.exclusions { excluded.insert(x.childId + "\u{1F}" + x.placementId) }
        let policy = market.policy
        var nearest = [Double](), fosterOver = 0, fosterN = 0, resOver = 0, resN = 0
        nearest.reserveCapacity(children.count)
        for c in children {
            let types = PlacementType.allCases.filter { $0 != .kinship && c.suitability[$0] != .unsuitable }
            let eligible: (Int) -> Bool = { i in
                Self.staticallyEligible(c, placements[i], excludeInadequate: policy.excludeInadequate)
                    && (excluded.isEmpty || !excluded.contains(c.id + "\u{1F}" + placements[i].id))
            }
            nearest.append(index.nearestKm(from: c.location, types: types, child: c, where: eligible))
            if c.suitability.foster == .preferred {
                fosterN += 1
                if index.nearestKm(from: c.location, types: [.foster], child: c, where: eligible) > 32.19 { fosterOver += 1 }
            }
            if c.suitability.residential == .preferred {
                resN += 1
                if index.nearestKm(from: c.location, types: [.residential], child: c, where: eligible) > 32.19 { resOver += 1 }
            }
        }
        let sorted = nearest.sorted()
        nearestMedianKm = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        nearestOver20Miles = Double(nearest.filter { $0 > 32.19 }.count) / n
        nearestNone = Double(nearest.filter { $0 == .infinity }.count) / n
        nearestFosterOver20Miles = Double(fosterOver) / Double(max(1, fosterN))
        nearestResidentialOver20Miles = Double(resOver) / Double(max(1, resN))

    }

    // MARK: - The table

    /// Measures beside their targets, in sections.
    public var rows: [Row] {
        var rows = [Row]()
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func money(_ x: Double?) -> String { x.map { "£" + grouped(Int($0.rounded())) } ?? "-" }
        func add(_ s: String, _ m: String, _ v: String, _ t: String = "") { rows.append(Row(section: s, measure: m, value: v, target: t)) }

        add("size", "children", grouped(childCount), "nightly 244 (89,000 new placements a year / 365); pool 1,000; national 83,630 (DfE)")
        add("size", "placements (rows)", grouped(placementCount))
        for t in PlacementType.allCases {
            add("size", "\(t.rawValue): homes / free places / residents",
                "\(grouped(placementsByType[t] ?? 0)) / \(grouped(placesByType[t] ?? 0)) / \(grouped(occupiedByType[t] ?? 0))",
                stockTarget(t))
        }
        add("size", "foster free places per child", String(format: "%.2f", Double(placesByType[.foster] ?? 0) / Double(max(1, childCount))),
            "11.27 waiting (11,274 vacant / 1,000, pool); 0.84 national (70,465 / 83,630)")
        add("size", "exclusions / not_with entries", "\(grouped(exclusionCount)) / \(grouped(notWithCount))", "occasional")

        for (i, band) in Calibration.ageBands.enumerated() {
            add("children", "age \(band.label)", pct(ageBandShares[safe: i] ?? 0), "\(pct(band.share)) entering care 2024 (DfE)")
        }
        add("children", "sex F / M / X", "\(pct(sexShares[.F] ?? 0)) / \(pct(sexShares[.M] ?? 0)) / \(pct(sexShares[.X] ?? 0))", "~44% / 56% (DfE CLA)")
        for t in PlacementType.allCases {
            add("children", "care plan prefers \(t.rawValue)", pct(preferredTypeShares[t] ?? 0),
                "\(pct(Calibration.typeShare(t))) placement mix (FOI 2024, 4 types renormalised)")
        }
        add("children", "in a sibling group (groups, mean size)", "\(pct(siblingShare)) (\(grouped(siblingGroups)), \(String(format: "%.2f", meanSiblingGroupSize)))",
            "\(pct(Calibration.siblingShare)) (model), sizes 2-5")
        add("children", "behaviour high, ages 5-16", pct(behaviourHigh5to16), "40-45% SDQ clinical band (issue 5)")
        add("children", "3+ prior placements", pct(prior3PlusShare), "23% of children in care 2+ years (DfE 2024)")
        add("children", "needed today / 5 days / later",
            "\(pct(urgencyShares[.today] ?? 0)) / \(pct(urgencyShares[.within_5_days] ?? 0)) / \(pct(urgencyShares[.after_5_days] ?? 0))", "30 / 45 / 25% (model)")
        add("children", "supported not unsuitable under 16", "\(supportedUnder16Errors)", "0 (the law; spec rule T)")
        for need in Need.allCases {
            add("needs", "\(need.rawValue): children / free places", "\(pct(needShares[need] ?? 0)) / \(pct(needPlaceShares[need] ?? 0))", "rarer needs rare (model)")
        }
        for r in RiskFlag.allCases {
            add("risks", "\(r.rawValue): children 12+ / under 12", "\(pct(riskSharesTeen[r] ?? 0)) / \(pct(riskSharesUnder12[r] ?? 0))", "teenagers more (model)")
        }
        for r in RiskFlag.allCases {
            add("risks", "\(r.rawValue) managed: foster / residential places",
                "\(pct(riskPlaceSharesFoster[r] ?? 0)) / \(pct(riskPlaceSharesResidential[r] ?? 0))", "homes manage more (model)")
        }
        for (i, t) in Calibration.feeTargets.enumerated() {
            add("fees", "mean weekly cost, \(t.label)", money(meanFees[safe: i] ?? nil), t.target)
        }
        add("fees", "residential places at £10,000+", pct(residential10kShare), "a few % (1,510 placements 2022-23; CMA/NAO)")
        add("fees", "foster places in-house (LA)", pct(fosterInHousePlaceShare), "\(pct(Calibration.fosterInHouseShare)) (27.9 / 24.8 in-house / IFA, FOI 2024)")
        add("homes", "children's home registered places (listed homes)", String(format: "%.2f", homeMeanPlaces),
            "3.76 all homes (10,818 / 2,880, Ofsted); listed homes with a vacancy are larger")
        for rating in OfstedRating.allCases {
            add("homes", "Ofsted \(rating.rawValue): foster households / children's homes",
                "\(pct(ratingSharesFoster[rating] ?? 0)) / \(pct(ratingSharesResidential[rating] ?? 0))",
                rating == .inadequate ? "2-3% (model, mostly good/outstanding)" : "")
        }
        for (i, r) in regions.enumerated() {
            let homeTarget = Calibration.homeRegionShares[r].map { pct($0) + " (Ofsted)" } ?? "rest by population"
            add("regions", r + ": children / homes / foster places",
                "\(pct(childRegionShares[safe: i] ?? 0)) / \(pct(homeRegionShares[safe: i] ?? 0)) / \(pct(fosterPlaceRegionShares[safe: i] ?? 0))",
                "children by CLA 2024; homes \(homeTarget)")
        }
        add("distance", "median km to nearest eligible free place (not kinship)", nearestMedianKm.isFinite ? String(format: "%.1f", nearestMedianKm) : "none")
        add("distance", "nearest eligible place over 20 miles / none at all", "\(pct(nearestOver20Miles)) / \(pct(nearestNone))", "21% of new placements over 20 miles (DfE 2022-23)")
        add("distance", "foster-preferring: nearest foster place over 20 miles", pct(nearestFosterOver20Miles))
        add("distance", "residential-preferring: nearest home over 20 miles", pct(nearestResidentialOver20Miles), "49% of children in homes live 20+ miles away (NAO 2024)")
        add("distance", "kinship carers within 20 km of the child", pct(kinshipWithin20Km), "80% (model); never limited by distance")
        return rows
    }

    private func stockTarget(_ t: PlacementType) -> String {
        switch t {
        case .foster: "England: 42,615 households, 70,465 places, 16% vacant = 11,274 (Ofsted 2023-24)"
        case .residential: "England: 2,880 homes, 10,818 places (Ofsted 2023); 15% vacant = 1,623 (model)"
        case .supported: "England: ~9,313 places, 12% vacant = 1,118 (model; 9.8% of CLA live there)"
        case .kinship: "one carer per child or group with kin (15.6% kinship, FOI 2024)"
        }
    }

    /// The spec's rules that need only the child and the home (T, G, N, R, P, A, Q, C); not K, D, X, O.
    static func staticallyEligible(_ c: Child, _ p: Placement, excludeInadequate: Bool) -> Bool {
        guard p.capacity >= 1, c.suitability[p.type] != .unsuitable else { return false }
        guard p.ageMin <= c.age, c.age <= p.ageMax else { return false }
        switch p.sexes {
        case .any: break
        case .F: guard c.sex == .F else { return false }
        case .M: guard c.sex == .M else { return false }
        }
        guard c.needs.isSubset(of: p.needsMet), c.risks.isSubset(of: p.risksManaged) else { return false }
        if c.risks.contains(.harm_to_animals) && p.hasPets { return false }
        if c.pets == .no && p.hasPets { return false }
        if c.pets == .must && !p.hasPets { return false }
        let needsAges = c.risks.contains(.sexual_harm) || c.alongside == .older_only || c.alongside == .younger_only
        if p.occupied > 0 && needsAges {
            guard let ages = p.residentAges else { return false }
            if c.risks.contains(.sexual_harm) && ages.contains(where: { $0 < c.age }) { return false }
            if c.alongside == .older_only && ages.contains(where: { $0 <= c.age }) { return false }
            if c.alongside == .younger_only && ages.contains(where: { $0 >= c.age }) { return false }
        }
        if c.alongside == .solo && p.occupied > 0 { return false }
        if excludeInadequate && p.ofsted == .inadequate { return false }
        return true
    }

    /// The rows as an aligned text table.
    public func table() -> String {
        let rows = self.rows
        let w0 = max(8, rows.map { $0.measure.count }.max() ?? 0)
        let w1 = max(6, rows.map { $0.value.count }.max() ?? 0)
        var out = ""
        var section = ""
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        out += pad("measure", w0) + "  " + pad("market", w1) + "  target (source)\n"
        for r in rows {
            if r.section != section {
                section = r.section
                out += "[\(section)]\n"
            }
            out += pad(r.measure, w0) + "  " + pad(r.value, w1) + "  " + r.target + "\n"
        }
        return out
    }
}

// MARK: - Helpers

private func grouped(_ n: Int) -> String { Fixed.grouped(n) }

private extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

private func haversineKm(_ a: GeoPoint, _ b: GeoPoint) -> Double {
    let r = 6371.0088, rad = Double.pi / 180
    let dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad
    let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * rad) * cos(b.lat * rad) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * r * asin(min(1, h.squareRoot()))
}

/// Free places on a grid by type, for nearest-place queries (ring search). Coordinates live in flat
/// arrays and each type's cells in one offsets table, so the inner loop copies no `Placement`.
private struct NearestPlaces {
    static let cell = 0.05   // degrees: ~5.6 km north-south, ~3.1 km east-west at England's latitudes
    let minLat = 49.0, minLon = -7.0
    let rows = 140, cols = 180
    /// For each type: offsets into `items` per cell (rows * cols + 1), and the placement indices.
    var cellStart: [[Int32]]
    var items: [[Int32]]
    let lat: [Double], lon: [Double]
    /// A cheap first filter before the full rule check: approved ages, needs met and risks managed.
    let ageMin: [Int8], ageMax: [Int8]
    let needsMet: [UInt32], risksManaged: [UInt32]

    init(_ placements: [Placement]) {
        lat = placements.map(\.location.lat)
        lon = placements.map(\.location.lon)
        ageMin = placements.map { Int8(clamping: $0.ageMin) }
        ageMax = placements.map { Int8(clamping: $0.ageMax) }
        needsMet = placements.map(\.needsMet.bits)
        risksManaged = placements.map(\.risksManaged.bits)
        let cells = rows * cols
        var starts = [[Int32]](), lists = [[Int32]]()
        for t in PlacementType.allCases {
            var count = [Int32](repeating: 0, count: cells + 1)
            var cellOf = [Int](repeating: -1, count: placements.count)
            for (i, p) in placements.enumerated() where p.type == t && p.capacity >= 1 {
                cellOf[i] = Self.cellIndex(lat: p.location.lat, lon: p.location.lon, minLat: minLat, minLon: minLon, rows: rows, cols: cols)
                count[cellOf[i] + 1] += 1
            }
            for c in 1...cells { count[c] += count[c - 1] }
            var fill = count
            var list = [Int32](repeating: 0, count: Int(count[cells]))
            for i in placements.indices where cellOf[i] >= 0 {
                list[Int(fill[cellOf[i]])] = Int32(i)
                fill[cellOf[i]] += 1
            }
            starts.append(count); lists.append(list)
        }
        cellStart = starts; items = lists
    }

    private static func rowCol(lat: Double, lon: Double, minLat: Double, minLon: Double, rows: Int, cols: Int) -> (Int, Int) {
        (min(rows - 1, max(0, Int((lat - minLat) / cell))), min(cols - 1, max(0, Int((lon - minLon) / cell))))
    }
    private static func cellIndex(lat: Double, lon: Double, minLat: Double, minLon: Double, rows: Int, cols: Int) -> Int {
        let (r, c) = rowCol(lat: lat, lon: lon, minLat: minLat, minLon: minLon, rows: rows, cols: cols)
        return r * cols + c
    }

    /// Km to the nearest free place of one of `types` that admits `child`'s age, needs and risks and
    /// whose index passes `eligible` (the full check); infinity when none.
    func nearestKm(from g: GeoPoint, types: [PlacementType], child: Child, where eligible: (Int) -> Bool) -> Double {
        guard !types.isEmpty else { return .infinity }
        let (r0, c0) = Self.rowCol(lat: g.lat, lon: g.lon, minLat: minLat, minLon: minLon, rows: rows, cols: cols)
        let kmPerDegree = 6371.0088 * Double.pi / 180
        let minCellKm = Self.cell * kmPerDegree * 0.55   // east-west at 57°N, a safe lower bound
        let cosLat = cos(g.lat * Double.pi / 180)
        let typeIndices = types.map(\.index)
        let age = Int8(clamping: child.age), needs = child.needs.bits, risks = child.risks.bits
        // Search on a flat projection (cheap), then take the great-circle distance of the winner.
        var best = Double.infinity, bestIndex = -1
        func visit(_ r: Int, _ c: Int) {
            guard r >= 0, r < rows, c >= 0, c < cols else { return }
            let cell = r * cols + c
            for t in typeIndices {
                let starts = cellStart[t]
                var k = Int(starts[cell])
                let end = Int(starts[cell + 1])
                while k < end {
                    let i = Int(items[t][k])
                    k += 1
                    guard ageMin[i] <= age, age <= ageMax[i], needs & ~needsMet[i] == 0, risks & ~risksManaged[i] == 0 else { continue }
                    let dy = (lat[i] - g.lat) * kmPerDegree, dx = (lon[i] - g.lon) * kmPerDegree * cosLat
                    let d = (dx * dx + dy * dy).squareRoot()
                    if d < best && eligible(i) { best = d; bestIndex = i }
                }
            }
        }
        // Rings of cells around the child's cell, perimeter only, until no nearer place can remain.
        let maxRing = max(r0, rows - 1 - r0, c0, cols - 1 - c0)
        for ring in 0...maxRing {
            if best <= Double(ring - 1) * minCellKm * 0.99 { break }
            if ring == 0 { visit(r0, c0); continue }
            for c in (c0 - ring)...(c0 + ring) { visit(r0 - ring, c); visit(r0 + ring, c) }
            for r in (r0 - ring + 1)...(r0 + ring - 1) { visit(r, c0 - ring); visit(r, c0 + ring) }
        }
        return bestIndex < 0 ? .infinity : haversineKm(g, GeoPoint(lat: lat[bestIndex], lon: lon[bestIndex]))
    }
}
