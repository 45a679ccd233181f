// PlanVerifier against hand-built markets: one test per rule, each plan breaking only that rule
// (and a nearby plan that passes), the objective against hand computation, and a cross-check of
// the verifier's O(occupants) tonight rules against a naive pairwise reading of the spec.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

private let las = [
    LocalAuthority(code: "LA1", name: "One", rcc: "R1", centroid: GeoPoint(lat: 53.0, lon: -1.5)),
    LocalAuthority(code: "LA2", name: "Two", rcc: "R1", centroid: GeoPoint(lat: 53.2, lon: -1.5)),
    LocalAuthority(code: "LA3", name: "Three", rcc: "R2", centroid: GeoPoint(lat: 53.0, lon: -2.0)),
]
private let here = GeoPoint(lat: 53.0, lon: -1.5)

private func kid(_ id: String, age: Int = 10, sex: Sex = .F, _ edit: (inout Child) -> Void = { _ in }) -> Child {
    var c = Child(id: id, laCode: "LA1", location: here, age: age, sex: sex)
    edit(&c)
    return c
}

private func home(_ id: String, type: PlacementType = .foster, capacity: Int = 2,
                  _ edit: (inout Placement) -> Void = { _ in }) -> Placement {
    var p = Placement(id: id, type: type, laCode: "LA1", location: GeoPoint(lat: 53.05, lon: -1.5),
                      capacity: capacity, weeklyCost: 700)
    edit(&p)
    return p
}

private func market(_ children: [Child], _ placements: [Placement], exclusions: [Exclusion] = [],
                    _ edit: (inout Policy) -> Void = { _ in }) -> Market {
    var policy = Policy()
    edit(&policy)
    return Market(localAuthorities: las, children: children, placements: placements, exclusions: exclusions, policy: policy)
}

private func verify(_ m: Market, _ plan: [Int?], claimed: Double? = nil) -> PlanVerification {
    PlanVerifier.verify(Plan(placement: plan), market: m, claimedObjective: claimed)
}

final class PlanVerifierTests: XCTestCase {
    /// The plan breaks `rule` and nothing else.
    private func assertOnly(_ rule: String, _ v: PlanVerification, count: Int? = nil,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(v.isValid, "expected a \(rule) problem", file: file, line: line)
        for p in v.problems {
            XCTAssertTrue(p.hasPrefix(rule + ":"), "expected only \(rule), got: \(p)", file: file, line: line)
        }
        if let count { XCTAssertEqual(v.problems.count, count, "\(v.problems)", file: file, line: line) }
    }

    private func assertValid(_ v: PlanVerification, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(v.isValid, "\(v.problems)", file: file, line: line)
        XCTAssertTrue(v.objective.isFinite, file: file, line: line)
    }

    // MARK: geometry

    func testHaversineLondonToManchester() {
        let london = GeoPoint(lat: 51.5072, lon: -0.1276), manchester = GeoPoint(lat: 53.4808, lon: -2.2426)
        let d = PlanVerifier.haversineKm(london, manchester)
        XCTAssertGreaterThan(d, 262); XCTAssertLessThan(d, 263)
        XCTAssertEqual(PlanVerifier.haversineKm(manchester, london), d, accuracy: 1e-9)
        XCTAssertEqual(PlanVerifier.haversineKm(london, london), 0)
        // Along a meridian the distance is R * dphi.
        XCTAssertEqual(PlanVerifier.haversineKm(GeoPoint(lat: 10, lon: 3), GeoPoint(lat: 11, lon: 3)),
                       6371.0088 * Double.pi / 180, accuracy: 1e-9)
    }

    // MARK: section 2, rule by rule

    func testValidPlanPasses() {
        let m = market([kid("C1"), kid("C2", age: 4)], [home("P1"), home("P2", capacity: 1)])
        assertValid(verify(m, [0, 1]))
        assertValid(verify(m, [0, 0]))
        assertValid(verify(m, [nil, nil]))
    }

    func testTypeRule() {
        // Residential is unsuitable by default under 12.
        let m = market([kid("C1", age: 10)], [home("P1", type: .residential)])
        assertOnly("type", verify(m, [0]), count: 1)
        let ok = market([kid("C1", age: 10) { $0.suitability.residential = .preferred }], [home("P1", type: .residential)])
        assertValid(verify(ok, [0]))
        // Foster ruled out by the care plan.
        assertOnly("type", verify(market([kid("C1") { $0.suitability.foster = .unsuitable }], [home("P1")]), [0]))
        // Supported under 16 is unlawful whatever the cell says.
        let supported = home("P1", type: .supported) { $0.ageMin = 0 }
        assertOnly("type", verify(market([kid("C1", age: 15) { $0.suitability.supported = .suitable }], [supported]), [0]))
        assertValid(verify(market([kid("C1", age: 16)], [supported]), [0]))
    }

    func testKinshipRule() {
        let kin = home("K1", type: .kinship) { $0.forChildren = ["C9"] }
        assertOnly("kinship", verify(market([kid("C1"), kid("C9")], [kin]), [0, nil]), count: 1)
        assertValid(verify(market([kid("C1"), kid("C9")], [kin]), [nil, 0]))
        // Named through the sibling group.
        let group = home("K1", type: .kinship) { $0.forChildren = ["G1"] }
        let siblings = [kid("C1") { $0.siblingGroup = "G1" }, kid("C2") { $0.siblingGroup = "G1" }, kid("C3")]
        assertValid(verify(market(siblings, [group]), [0, 0, nil]))
        assertOnly("kinship", verify(market(siblings, [group]), [nil, nil, 0]))
    }

    func testAgeSexRule() {
        assertOnly("age_sex", verify(market([kid("C1", age: 10)], [home("P1") { $0.ageMin = 11 }]), [0]))
        assertOnly("age_sex", verify(market([kid("C1", age: 10)], [home("P1") { $0.ageMax = 9 }]), [0]))
        assertOnly("age_sex", verify(market([kid("C1", sex: .F)], [home("P1") { $0.sexes = .M }]), [0]))
        assertOnly("age_sex", verify(market([kid("C1", sex: .X)], [home("P1") { $0.sexes = .F }]), [0]))
        assertValid(verify(market([kid("C1", sex: .X)], [home("P1")]), [0]))
        assertValid(verify(market([kid("C1", age: 11, sex: .M)], [home("P1") { $0.sexes = .M; $0.ageMin = 11; $0.ageMax = 11 }]), [0]))
    }

    func testNeedsRule() {
        let c = kid("C1") { $0.needs = NeedSet([.bsl, .therapeutic]) }
        assertOnly("needs", verify(market([c], [home("P1") { $0.needsMet = NeedSet([.bsl]) }]), [0]))
        assertValid(verify(market([c], [home("P1") { $0.needsMet = NeedSet([.bsl, .therapeutic, .dols]) }]), [0]))
    }

    func testRisksRule() {
        let c = kid("C1") { $0.risks = RiskSet([.going_missing]) }
        assertOnly("risks", verify(market([c], [home("P1")]), [0]))
        assertValid(verify(market([c], [home("P1") { $0.risksManaged = RiskSet([.going_missing]) }]), [0]))
        // harm_to_animals also needs no pets.
        let h = kid("C1") { $0.risks = RiskSet([.harm_to_animals]) }
        assertOnly("risks", verify(market([h], [home("P1") { $0.risksManaged = RiskSet([.harm_to_animals]); $0.hasPets = true }]), [0]))
        assertValid(verify(market([h], [home("P1") { $0.risksManaged = RiskSet([.harm_to_animals]) }]), [0]))
        // sexual_harm also needs no younger resident (same age is fine), and known ages.
        let s = kid("C1", age: 12) { $0.risks = RiskSet([.sexual_harm]) }
        func withResidents(_ ages: [Int]?, occupied: Int) -> Placement {
            home("P1") { $0.risksManaged = RiskSet([.sexual_harm]); $0.occupied = occupied; $0.residentAges = ages }
        }
        assertOnly("risks", verify(market([s], [withResidents([15, 11], occupied: 2)]), [0]))
        assertOnly("risks", verify(market([s], [withResidents(nil, occupied: 1)]), [0]))
        assertValid(verify(market([s], [withResidents([12, 16], occupied: 2)]), [0]))
        assertValid(verify(market([s], [withResidents(nil, occupied: 0)]), [0]))
    }

    func testPetsRule() {
        assertOnly("pets", verify(market([kid("C1") { $0.pets = .no }], [home("P1") { $0.hasPets = true }]), [0]))
        assertOnly("pets", verify(market([kid("C1") { $0.pets = .must }], [home("P1")]), [0]))
        assertValid(verify(market([kid("C1") { $0.pets = .must }], [home("P1") { $0.hasPets = true }]), [0]))
        assertValid(verify(market([kid("C1")], [home("P1") { $0.hasPets = true }]), [0]))
    }

    func testAlongsideResidentsRule() {
        func occupied(_ ages: [Int]?, _ n: Int) -> Placement { home("P1") { $0.occupied = n; $0.residentAges = ages } }
        assertOnly("alongside", verify(market([kid("C1") { $0.alongside = .solo }], [occupied([3], 1)]), [0]))
        assertValid(verify(market([kid("C1") { $0.alongside = .solo }], [home("P1")]), [0]))
        let older = kid("C1", age: 10) { $0.alongside = .older_only }
        assertOnly("alongside", verify(market([older], [occupied([14, 10], 2)]), [0]))   // same age is not older
        assertOnly("alongside", verify(market([older], [occupied(nil, 1)]), [0]))
        assertValid(verify(market([older], [occupied([11, 17], 2)]), [0]))
        let younger = kid("C1", age: 10) { $0.alongside = .younger_only }
        assertOnly("alongside", verify(market([younger], [occupied([3, 12], 2)]), [0]))
        assertOnly("alongside", verify(market([younger], [occupied(nil, 2)]), [0]))
        assertValid(verify(market([younger], [occupied([3, 9], 2)]), [0]))
        // with_others and no_preference impose nothing.
        assertValid(verify(market([kid("C1") { $0.alongside = .with_others }], [occupied(nil, 2)]), [0]))
        assertValid(verify(market([kid("C1")], [occupied(nil, 2)]), [0]))
    }

    func testDistanceRule() {
        let far = home("P1") { $0.location = GeoPoint(lat: 53.0 + 160.0 / 111.195, lon: -1.5) }   // ~160 km north
        assertOnly("distance", verify(market([kid("C1")], [far]), [0]))
        // A care-plan limit replaces the policy's, larger or smaller.
        assertValid(verify(market([kid("C1") { $0.maxDistanceKm = 200 }], [far]), [0]))
        let near = home("P1") { $0.location = GeoPoint(lat: 53.0 + 30.0 / 111.195, lon: -1.5) }      // ~30 km
        assertOnly("distance", verify(market([kid("C1") { $0.maxDistanceKm = 20 }], [near]), [0]))
        assertValid(verify(market([kid("C1")], [near]), [0]))
        assertOnly("distance", verify(market([kid("C1")], [near]) { $0.maxDistanceKm = 25 }, [0]))
        // Kinship is never limited by distance.
        let kin = home("K1", type: .kinship) { $0.location = GeoPoint(lat: 56, lon: -4); $0.forChildren = ["C1"] }
        assertValid(verify(market([kid("C1") { $0.maxDistanceKm = 5 }], [kin]), [0]))
    }

    func testQualityRule() {
        let bad = home("P1") { $0.ofsted = .inadequate }
        assertOnly("quality", verify(market([kid("C1")], [bad]), [0]))
        assertValid(verify(market([kid("C1")], [bad]) { $0.excludeInadequate = false }, [0]))
        assertValid(verify(market([kid("C1")], [home("P1") { $0.ofsted = .requires_improvement }]), [0]))
    }

    func testExclusionRule() {
        let m = market([kid("C1"), kid("C2")], [home("P1")], exclusions: [Exclusion(childId: "C1", placementId: "P1")])
        assertOnly("excluded", verify(m, [0, nil]), count: 1)
        assertValid(verify(m, [nil, 0]))
    }

    func testCapacityZeroRule() {
        assertOnly("capacity", verify(market([kid("C1")], [home("P1", capacity: 0)]), [0]))
    }

    func testOutOfRegionRule() {
        let cross = home("P1") { $0.laCode = "LA3" }              // LA3 is in R2, the child's LA1 in R1
        assertValid(verify(market([kid("C1")], [cross]), [0]))
        assertOnly("out_of_region", verify(market([kid("C1")], [cross]) { $0.allowCrossRcc = false }, [0]))
        let sameRcc = home("P1") { $0.laCode = "LA2" }
        assertValid(verify(market([kid("C1")], [sameRcc]) { $0.allowCrossRcc = false }, [0]))
        let kin = home("K1", type: .kinship) { $0.laCode = "LA3"; $0.forChildren = ["C1"] }
        assertValid(verify(market([kid("C1")], [kin]) { $0.allowCrossRcc = false }, [0]))
    }

    // MARK: section 3, the matching rules

    func testCapacityTonight() {
        let m = market([kid("C1"), kid("C2"), kid("C3")], [home("P1", capacity: 2)])
        assertOnly("capacity", verify(m, [0, 0, 0]), count: 1)
        assertValid(verify(m, [0, 0, nil]))
    }

    func testSoloTonight() {
        let m = market([kid("C1") { $0.alongside = .solo }, kid("C2")], [home("P1"), home("P2")])
        let v = verify(m, [0, 0])
        assertOnly("solo", v, count: 1)
        XCTAssertTrue(v.problems[0].contains("C1") && v.problems[0].contains("C2") && v.problems[0].contains("P1"))
        assertValid(verify(m, [0, 1]))
    }

    func testOlderAndYoungerOnlyTonight() {
        let older = kid("C1", age: 10) { $0.alongside = .older_only }
        assertOnly("older_only", verify(market([older, kid("C2", age: 10)], [home("P1")]), [0, 0]), count: 1)
        assertOnly("older_only", verify(market([older, kid("C2", age: 4)], [home("P1")]), [0, 0]), count: 1)
        assertValid(verify(market([older, kid("C2", age: 11)], [home("P1")]), [0, 0]))
        let younger = kid("C1", age: 10) { $0.alongside = .younger_only }
        assertOnly("younger_only", verify(market([younger, kid("C2", age: 10)], [home("P1")]), [0, 0]), count: 1)
        assertValid(verify(market([younger, kid("C2", age: 9)], [home("P1")]), [0, 0]))
        // Both directions at once: each child named once.
        let y = kid("C2", age: 12) { $0.alongside = .younger_only }
        let v = verify(market([older, y], [home("P1")]), [0, 0])
        XCTAssertTrue(v.isValid, "\(v.problems)")   // C1 (10) wants older: 12 is; C2 (12) wants younger: 10 is
        let v2 = verify(market([kid("C1", age: 12) { $0.alongside = .older_only }, kid("C2", age: 10) { $0.alongside = .younger_only }],
                               [home("P1")]), [0, 0])
        XCTAssertEqual(v2.problems.count, 2, "\(v2.problems)")
    }

    func testAlongsideWaivedOnlyInsideAGroupPlacedTogether() {
        let solo = kid("C1", age: 9) { $0.siblingGroup = "G1"; $0.alongside = .solo }
        let olderOnly = kid("C2", age: 10) { $0.siblingGroup = "G1"; $0.alongside = .older_only }
        let third = kid("C3", age: 5) { $0.siblingGroup = "G1" }
        let m = market([solo, olderOnly, third], [home("P1", capacity: 3), home("P2")])
        assertValid(verify(m, [0, 0, 0]))
        // C3 elsewhere: the group is split, so C1 and C2 are just two children sharing P1.
        let v = verify(m, [0, 0, 1])
        XCTAssertEqual(Set(v.problems.map { String($0.prefix { $0 != ":" }) }), ["solo", "older_only"], "\(v.problems)")
        // A stranger in with a group placed together breaks solo.
        let m2 = market([solo, olderOnly, third, kid("C4", age: 12)], [home("P1", capacity: 4)])
        let v2 = verify(m2, [0, 0, 0, 0])
        XCTAssertEqual(v2.problems.count, 1, "\(v2.problems)")   // older_only C2 (10) is fine with C4 (12)
        assertOnly("solo", v2)
    }

    func testSexualHarmTonightIncludesSiblings() {
        let harm = kid("C1", age: 12) { $0.siblingGroup = "G1"; $0.risks = RiskSet([.sexual_harm]) }
        let sib = kid("C2", age: 8) { $0.siblingGroup = "G1" }
        let p = home("P1") { $0.risksManaged = RiskSet([.sexual_harm]) }
        assertOnly("sexual_harm", verify(market([harm, sib], [p, home("P2")]), [0, 0]), count: 1)
        assertValid(verify(market([harm, sib], [p, home("P2")]), [0, 1]))
        let sameAge = kid("C2", age: 12) { $0.siblingGroup = "G1" }
        assertValid(verify(market([harm, sameAge], [p]), [0, 0]))
    }

    func testNotWithEitherSide() {
        let m = market([kid("C1") { $0.notWith = ["C2"] }, kid("C2"), kid("C3")], [home("P1", capacity: 3), home("P2")])
        assertOnly("not_with", verify(m, [0, 0, nil]), count: 1)
        assertValid(verify(m, [0, 1, 0]))
        let listedByOther = market([kid("C1"), kid("C2") { $0.notWith = ["C1"] }], [home("P1")])
        assertOnly("not_with", verify(listedByOther, [0, 0]), count: 1)
        let both = market([kid("C1") { $0.notWith = ["C2"] }, kid("C2") { $0.notWith = ["C1"] }], [home("P1")])
        assertOnly("not_with", verify(both, [0, 0]), count: 1)
        // Between siblings too: such a group can never be placed together.
        let sibs = market([kid("C1") { $0.siblingGroup = "G"; $0.notWith = ["C2"] }, kid("C2") { $0.siblingGroup = "G" }], [home("P1")])
        assertOnly("not_with", verify(sibs, [0, 0]), count: 1)
    }

    func testPlanShape() {
        let m = market([kid("C1"), kid("C2")], [home("P1")])
        let short = verify(m, [0])
        assertOnly("plan_length", short, count: 1)
        XCTAssertTrue(short.objective.isNaN)
        let outside = verify(m, [0, 1])
        assertOnly("placement_index", outside, count: 1)
        assertOnly("placement_index", verify(m, [-1, nil]), count: 1)
    }

    // MARK: the objective

    func testOneChildObjectiveByHand() {
        // Age 12, high behaviour, 3 prior placements, in a cross-RCC residential home rated
        // requires_improvement, 0.5 degrees due north; residential is `suitable` by default at 12.
        let c = kid("C1", age: 12) { $0.behaviour = .high; $0.priorPlacements = 3 }
        let p = home("P1", type: .residential) {
            $0.laCode = "LA3"; $0.location = GeoPoint(lat: 53.5, lon: -1.5); $0.weeklyCost = 4000
            $0.ofsted = .requires_improvement
        }
        let m = market([c], [p])
        let z = -2.44 + 0.47 + 0.68 + 0.40 + 0.59 + 0.40 + 0.30 + 0.55
        XCTAssertEqual(z, 0.95, accuracy: 1e-12)
        let risk = 1 / (1 + exp(-z))
        XCTAssertEqual(risk, 0.7211, accuracy: 1e-4)
        let km = 6371.0088 * 0.5 * Double.pi / 180
        XCTAssertEqual(km, 55.5975, accuracy: 1e-4)
        let arc = 1.0 * km + 4.0 * 100 * risk + 1.0 * 4000 / 100 + 30 + 20
        let v = verify(m, [0])
        assertValid(v)
        XCTAssertEqual(v.objective, arc, accuracy: 1e-9)
        XCTAssertEqual(v.objective, 434.04, accuracy: 0.01)
        XCTAssertEqual(PlanVerifier.arcCost(child: c, placement: p, separated: false, market: m), arc, accuracy: 1e-9)
        // The claimed objective: within 1e-6 relative passes, beyond fails.
        assertValid(verify(m, [0], claimed: arc + 1e-4))
        assertOnly("objective", verify(m, [0], claimed: arc + 1e-3), count: 1)
        // Unmatched instead: unmatched_penalty + urgency_penalty[within_5_days].
        XCTAssertEqual(verify(m, [nil]).objective, 2500)
    }

    func testUnmatchedCostsAndWeights() {
        let m = market([kid("C1") { $0.neededBy = .today }, kid("C2"), kid("C3") { $0.neededBy = .after_5_days }], [home("P1")])
        XCTAssertEqual(verify(m, [nil, nil, nil]).objective, 3000 + 2500 + 2000)
        XCTAssertEqual(verify(m, [nil, nil, nil]).childCosts, [3000, 2500, 2000])
        // Weights and penalties come from the policy.
        let kin = home("K1", type: .kinship) { $0.location = here; $0.weeklyCost = 300; $0.forChildren = ["C1"] }
        let m2 = market([kid("C1", age: 5) { $0.suitability.kinship = .suitable }], [kin]) {
            $0.weights.wRisk = 2; $0.weights.wCost = 0.5; $0.notPreferredPenalty = 7
            $0.riskModel.intercept = -3; $0.riskModel.typeNotPreferred = 1
        }
        let risk = 1 / (1 + exp(-(-3.0 + 1.0)))
        XCTAssertEqual(verify(m2, [0]).objective, 0 + 2 * 100 * risk + 0.5 * 3 + 7, accuracy: 1e-9)
    }

    func testSiblingCostsTogetherAndApart() {
        // Two 8-year-olds in a group; homes exactly at the child's point, foster, preferred.
        let g = [kid("C1", age: 8) { $0.siblingGroup = "G1" }, kid("C2", age: 8) { $0.siblingGroup = "G1" }]
        let a = home("A", capacity: 2) { $0.location = here }, b = home("B", capacity: 1) { $0.location = here }
        let m = market(g, [a, b])
        let riskTogether = 1 / (1 + exp(-(-2.44 + 0.59)))
        let riskApart = 1 / (1 + exp(-(-2.44 + 0.59 + 0.29)))
        let together = verify(m, [0, 0])
        assertValid(together)
        XCTAssertEqual(together.objective, 2 * (400 * riskTogether + 7), accuracy: 1e-9)
        let apart = verify(m, [0, 1])
        assertValid(apart)
        XCTAssertEqual(apart.objective, 2 * (400 * riskApart + 7 + 150), accuracy: 1e-9)
        // One placed, one unmatched: the placed one is separated and pays the split penalty.
        let one = verify(m, [0, nil])
        XCTAssertEqual(one.childCosts[0], 400 * riskApart + 7 + 150, accuracy: 1e-9)
        XCTAssertEqual(one.childCosts[1], 2500)
        // A group of three with two sharing a home is still split: both pay.
        let three = g + [kid("C3", age: 8) { $0.siblingGroup = "G1" }]
        let v = verify(market(three, [a, b]), [0, 0, nil])
        assertValid(v)
        XCTAssertEqual(v.objective, 2 * (400 * riskApart + 7 + 150) + 2500, accuracy: 1e-9)
        // split_penalty 0 still leaves the separated risk coefficient.
        XCTAssertEqual(verify(market(g, [a, b]) { $0.splitPenalty = 0 }, [0, 1]).objective, 2 * (400 * riskApart + 7), accuracy: 1e-9)
        // A one-child "group" is no group.
        let lone = market([kid("C1", age: 8) { $0.siblingGroup = "G9" }], [a])
        XCTAssertEqual(verify(lone, [0]).objective, 400 * riskTogether + 7, accuracy: 1e-9)
    }

    // MARK: cross-checks

    /// The verifier's tonight rules (solo, older_only, younger_only, sexual_harm, not_with) agree
    /// with a naive pairwise reading of section 3 on thousands of random plans over tiny markets.
    func testTonightRulesAgreeWithPairwiseReading() {
        var rng = TinyMarkets.SplitMix64(seed: 7)
        var violationsSeen = 0
        for seed in UInt64(1)...200 {
            let m = TinyMarkets.make(seed: seed)
            let n = m.children.count
            for _ in 0..<30 {
                let plan = (0..<n).map { _ -> Int? in rng.chance(0.2) ? nil : rng.int(0...(m.placements.count - 1)) }
                let expected = naiveTonightViolations(m, plan)
                violationsSeen += expected.count
                let got = Set(PlanVerifier.verify(Plan(placement: plan), market: m).problems.compactMap(tonightKey))
                XCTAssertEqual(got, expected, "seed \(seed) plan \(plan)")
            }
        }
        XCTAssertGreaterThan(violationsSeen, 500)
    }

    private func tonightKey(_ message: String) -> String? {
        let rule = String(message.prefix { $0 != ":" })
        let words = message.split(separator: " ").map(String.init)
        switch rule {
        case "solo", "older_only", "younger_only", "sexual_harm":
            return rule + " " + words[words.firstIndex(of: "child")! + 1]
        case "not_with":
            let i = words.firstIndex(of: "children")!
            return rule + " " + [words[i + 1], words[i + 3]].sorted().joined(separator: " ")
        default: return nil
        }
    }

    private func naiveTonightViolations(_ m: Market, _ plan: [Int?]) -> Set<String> {
        let cs = m.children
        func groupTogether(_ g: String) -> Bool {
            let members = cs.indices.filter { cs[$0].siblingGroup == g }
            return members.count >= 2 && plan[members[0]] != nil && members.allSatisfy { plan[$0] == plan[members[0]] }
        }
        var out = Set<String>()
        for a in cs.indices {
            for b in cs.indices where a != b {
                guard let pa = plan[a], plan[b] == pa else { continue }
                let sameUnit = cs[a].siblingGroup != nil && cs[a].siblingGroup == cs[b].siblingGroup && groupTogether(cs[a].siblingGroup!)
                if !sameUnit {
                    switch cs[a].alongside {
                    case .solo: out.insert("solo \(cs[a].id)")
                    case .older_only where cs[b].age <= cs[a].age: out.insert("older_only \(cs[a].id)")
                    case .younger_only where cs[b].age >= cs[a].age: out.insert("younger_only \(cs[a].id)")
                    default: break
                    }
                }
                if cs[a].risks.contains(.sexual_harm) && cs[b].age < cs[a].age { out.insert("sexual_harm \(cs[a].id)") }
                if cs[a].notWith.contains(cs[b].id) || cs[b].notWith.contains(cs[a].id) {
                    out.insert("not_with " + [cs[a].id, cs[b].id].sorted().joined(separator: " "))
                }
            }
        }
        return out
    }

    /// 84,000 children, 30,000 placements, one of them handed 21,000 children: the one capacity
    /// problem found and the objective finite (a pairwise check would not end in the suite; the
    /// verifier's speed is measured by the benchmark, not asserted here).
    func testScalesToEnglandSizedMarkets() {
        let n = 84_000, m = 30_000
        var children: [Child] = []
        children.reserveCapacity(n)
        for i in 0..<n {
            children.append(Child(id: "C\(i)", laCode: i % 2 == 0 ? "LA1" : "LA3", location: here, age: i % 18, sex: .F,
                                  siblingGroup: i < 6000 ? "G\(i / 3)" : nil,
                                  suitability: TypeSuitability(kinship: .preferred, foster: .preferred, residential: .suitable, supported: .unsuitable)))
        }
        let placements = (0..<m).map { k in
            Placement(id: "P\(k)", type: .foster, laCode: "LA1", location: GeoPoint(lat: 53.1, lon: -1.5), capacity: 3, weeklyCost: 700)
        }
        let mk = Market(localAuthorities: las, children: children, placements: placements)
        let plan = Plan(placement: (0..<n).map { i in i < 63_000 ? i / 3 : m - 1 })
        let v = PlanVerifier.verify(plan, market: mk)
        XCTAssertEqual(v.problems.count, 1, "\(v.problems.prefix(3))")
        XCTAssertTrue(v.problems.first?.hasPrefix("capacity: placement P29999") ?? false)
        XCTAssertTrue(v.objective.isFinite)
    }
}
