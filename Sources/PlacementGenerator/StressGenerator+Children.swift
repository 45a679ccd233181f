// The stress market's children: sibling groups of 2-5, and every child-side rule at the market's density.
//
// Why these shapes: a group holding a `not_with` pair, or a `sexual_harm` child with a younger
// sibling, can never be placed together (spec section 7), so the engine must weigh splitting it;
// `solo`, `older_only` and `younger_only` children block shared homes tonight; per-child distance
// limits, pets, needs and risks thin each child's options until children compete for the same few homes.

import PlacementEngine

struct StressChildren: Sendable {
    let shape: StressShape
    let geography: StressGeography
    private var rng: SeededRandom
    private(set) var children: [Child] = []
    /// Each sibling group's members (indices into `children`), in order of creation.
    private(set) var groups: [[Int]] = []

    init(shape: StressShape, geography: StressGeography, seed: UInt64) {
        self.shape = shape; self.geography = geography
        rng = SeededRandom(seed: seed, stream: "stress.children")
    }

    mutating func build() {
        let n = shape.children
        // A new unit is a group with probability p, so that about `siblingShare` of children are in
        // groups: share = 2.8p / (2.8p + 1 - p) with 2.8 the mean group size below.
        let s = shape.siblingShare
        let pGroup = s / (2.8 - 1.8 * s)
        while children.count < n {
            let remaining = n - children.count
            let size = remaining >= 2 && rng.chance(pGroup)
                ? min(remaining, rng.weighted([(2, 0.48), (3, 0.30), (4, 0.14), (5, 0.08)])) : 1
            addUnit(size: size, groupId: size > 1 ? paddedId("SG", groups.count + 1, width: 4) : nil)
        }
        addNotWithAcrossUnits()
    }

    /// One child, or one sibling group living together (same LA, same home point, mostly the same urgency).
    private mutating func addUnit(size: Int, groupId: String?) {
        let la = geography.drawLA(&rng)
        let given = rng.chance(0.9)
        let point = given ? geography.point(near: la, &rng) : la.centroid
        let urgency: Urgency = rng.weighted([(.today, 0.3), (.within_5_days, 0.45), (.after_5_days, 0.25)])
        // Siblings' ages: the eldest drawn like any child, the others up to 7 years younger.
        let eldest = size == 1 ? drawAge() : max(drawAge(), 3)
        var ages = [eldest]
        for _ in 1..<max(size, 1) { ages.append(max(0, eldest - rng.int(in: 0...7))) }
        let first = children.count
        for k in 0..<size {
            let id = paddedId("C", children.count + 1, width: 5)
            let neededBy = groupId != nil && rng.chance(0.15) ? rng.element(Array(Urgency.allCases)) : urgency
            children.append(child(id: id, la: la, point: point, given: given, age: ages[k],
                                  neededBy: neededBy, group: groupId))
        }
        guard groupId != nil else { return }
        let members = Array(first..<(first + size))
        groups.append(members)
        // A group that can never be placed together: a not_with pair inside it ...
        if rng.chance(shape.dense(0.1)) {
            let a = rng.element(members)
            var b = rng.element(members)
            if a == b { b = members[(members.firstIndex(of: a)! + 1) % size] }
            children[a].notWith.append(children[b].id)
        }
        // ... or a sexual_harm child with a younger sibling.
        if rng.chance(shape.dense(0.08)) {
            let oldest = members.max { children[$0].age < children[$1].age }!
            let youngest = members.min { children[$0].age < children[$1].age }!
            if oldest != youngest, children[oldest].age >= 1 {
                if children[youngest].age >= children[oldest].age { children[youngest].age = children[oldest].age - 1 }
                children[youngest].suitability = adjusted(children[youngest].suitability, age: children[youngest].age)
                children[oldest].risks.insert(.sexual_harm)
            }
        }
    }

    /// Which need a child with needs has: therapeutic and ESOL most often, as in referrals.
    static let needWeights: [(Need, Double)] = [
        (.therapeutic, 0.3), (.esol, 0.2), (.disability, 0.15), (.cultural, 0.13),
        (.adaptation, 0.08), (.makaton, 0.07), (.bsl, 0.04), (.dols, 0.03),
    ]
    /// Which risks a child with risks has: going missing and self-harm most often; sexual_harm,
    /// fire_setting and harm_to_animals rarer but present in every large market.
    static let riskWeights: [(RiskFlag, Double)] = [
        (.going_missing, 0.17), (.self_harm, 0.17), (.physical_harm, 0.13), (.criminal_exploitation, 0.12),
        (.sexual_exploitation, 0.12), (.substance_use, 0.10), (.eating_disorder, 0.05), (.sexual_harm, 0.06),
        (.fire_setting, 0.04), (.harm_to_animals, 0.04),
    ]

    /// Age weights shaped like the referral stream: many babies, most at 11-17, a peak at 16-17.
    private mutating func drawAge() -> Int {
        rng.weighted([(0, 8.0), (1, 3), (2, 3), (3, 3), (4, 3), (5, 3.5), (6, 3.5), (7, 3.5), (8, 3.5), (9, 3.5),
                      (10, 3.5), (11, 4.5), (12, 4.5), (13, 4.5), (14, 4.5), (15, 4.5), (16, 9), (17, 10)])
    }

    private mutating func child(id: String, la: LocalAuthority, point: GeoPoint, given: Bool, age: Int,
                                neededBy: Urgency, group: String?) -> Child {
        let d = shape.density
        let sex: Sex = rng.weighted([(.F, 0.46), (.M, 0.46), (.X, 0.08)])
        var suit = TypeSuitability.defaults(age: age)
        if rng.chance(shape.dense(0.1)) { suit.kinship = rng.element([.suitable, .unsuitable]) }
        if rng.chance(shape.dense(0.1)) { suit.foster = rng.element([.suitable, .suitable, .unsuitable]) }
        if age >= 10, rng.chance(shape.dense(0.15)) { suit.residential = rng.element([.preferred, .suitable, .unsuitable]) }
        if age >= 16, rng.chance(shape.dense(0.35)) { suit.supported = rng.element([.preferred, .preferred, .suitable, .unsuitable]) }
        suit = adjusted(suit, age: age)
        let alongside: Alongside = rng.weighted([
            (.no_preference, 0.55), (.with_others, 0.12), (.solo, 0.08 * d), (.older_only, 0.09 * d), (.younger_only, 0.07 * d),
        ])
        let pets: PetsPreference = rng.chance(shape.dense(0.15)) ? .no : rng.chance(shape.dense(0.06)) ? .must : .can
        var needs = NeedSet()
        if rng.chance(shape.dense(0.22)) {
            for _ in 0..<(rng.chance(0.3) ? 2 : 1) {
                needs.insert(rng.weighted(Self.needWeights))
            }
        }
        var risks = RiskSet()
        let pRisk = age >= 11 ? 0.5 : age >= 5 ? 0.15 : 0.03
        if rng.chance(shape.dense(pRisk)) {
            for _ in 0..<rng.int(in: 1...3) {
                risks.insert(rng.weighted(Self.riskWeights))
            }
        }
        if age >= 8, rng.chance(shape.dense(0.02)) { risks.insert(.sexual_harm) }
        let maxKm: Double? = rng.chance(shape.dense(0.12))
            ? (rng.chance(0.2) ? Double(rng.int(in: 150...250)) : Double(rng.int(in: 10...80))) : nil
        return Child(
            id: id, laCode: la.code, location: point, locationGiven: given, age: age, sex: sex, neededBy: neededBy,
            siblingGroup: group, suitability: suit, alongside: alongside, pets: pets, needs: needs, risks: risks,
            behaviour: rng.chance(age >= 5 ? 0.35 : 0.1) ? .high : .typical,
            priorPlacements: rng.weighted([(0, 0.4), (1, 0.2), (2, 0.12), (3, 0.1), (4, 0.08), (5, 0.05), (6, 0.03), (8, 0.02)]),
            maxDistanceKm: maxKm)
    }

    /// The law (spec rule T): supported accommodation is never suitable under 16 (an input error otherwise).
    private func adjusted(_ s: TypeSuitability, age: Int) -> TypeSuitability {
        var s = s
        if age < 16 { s.supported = .unsuitable }
        return s
    }

    /// `not_with` between children of different units in the same LA (who would otherwise share homes).
    private mutating func addNotWithAcrossUnits() {
        guard children.count >= 2 else { return }
        var byLA: [[Int]] = Array(repeating: [], count: geography.pool.count)
        for (i, c) in children.enumerated() {
            byLA[geography.pool.firstIndex { $0.code == c.laCode }!].append(i)
        }
        for i in children.indices where rng.chance(shape.dense(0.025)) {
            let la = geography.pool.firstIndex { $0.code == children[i].laCode }!
            let candidates = byLA[la].count >= 2 ? byLA[la] : Array(children.indices)
            let j = rng.element(candidates)
            guard j != i, !children[i].notWith.contains(children[j].id) else { continue }
            children[i].notWith.append(children[j].id)
        }
    }
}
