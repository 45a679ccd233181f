// The brute-force solver and the seeded tiny markets it runs on: markets valid per the spec and
// covering every rule across seeds, optimal plans that verify, and pruning that loses nothing.
// (The GLPK engine is compared against `BruteForce` on these same seeds elsewhere.)

import XCTest
@testable import PlacementEngine

final class BruteForceTests: XCTestCase {
    static let seeds = UInt64(1)...UInt64(400)

    func testTinyMarketsAreDeterministic() {
        for seed in [UInt64(0), 1, 42, 9_999_999] {
            let a = TinyMarkets.make(seed: seed), b = TinyMarkets.make(seed: seed)
            XCTAssertEqual(a.children, b.children)
            XCTAssertEqual(a.placements, b.placements)
            XCTAssertEqual(a.localAuthorities, b.localAuthorities)
            XCTAssertEqual(a.exclusions, b.exclusions)
            XCTAssertEqual(a.policy, b.policy)
        }
        XCTAssertNotEqual(TinyMarkets.make(seed: 1).children, TinyMarkets.make(seed: 2).children)
    }

    /// Every market follows the spec's input rules (sections 1 and 7).
    func testTinyMarketsAreValidInputs() {
        for seed in Self.seeds {
            let m = TinyMarkets.make(seed: seed)
            let where_ = "seed \(seed)"
            XCTAssertTrue((3...7).contains(m.children.count), where_)
            XCTAssertTrue((2...4).contains(m.placements.count), where_)
            XCTAssertTrue((2...3).contains(m.localAuthorities.count), where_)
            XCTAssertEqual(Set(m.localAuthorities.map(\.rcc)).count, 2, where_)
            let laCodes = Set(m.localAuthorities.map(\.code))
            let childIds = Set(m.children.map(\.id))
            let groupIds = Set(m.children.compactMap(\.siblingGroup))
            XCTAssertEqual(childIds.count, m.children.count, where_)
            XCTAssertEqual(Set(m.placements.map(\.id)).count, m.placements.count, where_)
            for c in m.children {
                XCTAssertTrue(laCodes.contains(c.laCode), where_)
                XCTAssertTrue((0...17).contains(c.age), where_)
                if c.age < 16 { XCTAssertEqual(c.suitability.supported, .unsuitable, "\(where_) \(c.id)") }
                if let d = c.maxDistanceKm { XCTAssertGreaterThan(d, 0, where_) }
                XCTAssertGreaterThanOrEqual(c.priorPlacements, 0, where_)
                for other in c.notWith {
                    XCTAssertTrue(childIds.contains(other), where_)
                    XCTAssertNotEqual(other, c.id, where_)
                }
            }
            for g in groupIds {
                XCTAssertTrue((2...3).contains(m.children.filter { $0.siblingGroup == g }.count), "\(where_) \(g)")
                XCTAssertFalse(childIds.contains(g), where_)
            }
            for p in m.placements {
                XCTAssertTrue(laCodes.contains(p.laCode), where_)
                XCTAssertTrue((0...3).contains(p.capacity), where_)
                XCTAssertGreaterThanOrEqual(p.occupied, 0, where_)
                if let ages = p.residentAges {
                    XCTAssertGreaterThan(p.occupied, 0, where_)
                    XCTAssertEqual(ages.count, p.occupied, where_)
                    XCTAssertTrue(ages.allSatisfy { (0...17).contains($0) }, where_)
                }
                XCTAssertTrue(p.ageMin <= p.ageMax && p.ageMin >= 0 && p.ageMax <= 17, where_)
                XCTAssertGreaterThanOrEqual(p.weeklyCost, 0, where_)
                if p.type == .kinship {
                    XCTAssertFalse(p.forChildren.isEmpty, where_)
                    for entry in p.forChildren {
                        XCTAssertTrue(childIds.contains(entry) || groupIds.contains(entry), "\(where_) \(entry)")
                    }
                } else {
                    XCTAssertTrue(p.forChildren.isEmpty, where_)
                }
                if p.type == .supported { XCTAssertGreaterThanOrEqual(p.ageMin, 16, where_) }
            }
            for e in m.exclusions {
                XCTAssertTrue(childIds.contains(e.childId), where_)
                XCTAssertTrue(m.placements.contains { $0.id == e.placementId }, where_)
            }
        }
    }

    /// Across the seeds, every eligibility rule excludes some pair, every tonight rule binds in some
    /// plan, and the policy variations all occur.
    func testTinyMarketsCoverEveryRule() {
        var rulesSeen = Set<String>()
        var features = Set<String>()
        for seed in Self.seeds {
            let m = TinyMarkets.make(seed: seed)
            for c in m.children {
                for p in m.placements {
                    rulesSeen.formUnion(PlanVerifier.brokenRules(child: c, placement: p, market: m))
                }
                if c.alongside != .no_preference { features.insert(c.alongside.rawValue) }
                if c.risks.contains(.sexual_harm) { features.insert("sexual_harm") }
                if !c.notWith.isEmpty { features.insert("not_with") }
                if c.maxDistanceKm != nil { features.insert("max_distance_km") }
                if !c.needs.isEmpty { features.insert("needs") }
                if c.pets != .can { features.insert("pets") }
            }
            let groupSizes = Dictionary(grouping: m.children.compactMap(\.siblingGroup), by: { $0 }).values.map(\.count)
            for s in groupSizes { features.insert("group_of_\(s)") }
            for p in m.placements {
                if p.type == .kinship {
                    if p.forChildren.contains(where: { id in m.children.contains { $0.siblingGroup == id } }) { features.insert("kinship_for_group") }
                    if p.forChildren.contains(where: { id in m.children.contains { $0.id == id } }) { features.insert("kinship_for_child") }
                }
                if p.occupied > 0 { features.insert(p.residentAges == nil ? "occupied_ages_unknown" : "occupied_ages_known") }
                features.insert("capacity_\(p.capacity)")
                features.insert("ofsted_\(p.ofsted.rawValue)")
                if p.hasPets { features.insert("has_pets") }
            }
            if !m.exclusions.isEmpty { features.insert("exclusion") }
            if !m.policy.allowCrossRcc { features.insert("no_cross_rcc") }
            if !m.policy.excludeInadequate { features.insert("inadequate_allowed") }
            if m.policy.splitPenalty == 0 { features.insert("split_penalty_0") }
            if Set(m.localAuthorities.map(\.code)).count == 3 { features.insert("three_las") }
        }
        XCTAssertEqual(rulesSeen, ["type", "kinship", "age_sex", "needs", "risks", "pets", "alongside", "distance",
                                   "quality", "excluded", "capacity", "out_of_region"])
        let wanted: Set<String> = ["solo", "with_others", "older_only", "younger_only", "sexual_harm", "not_with",
                                   "max_distance_km", "needs", "pets", "group_of_2", "group_of_3", "kinship_for_group",
                                   "kinship_for_child", "occupied_ages_unknown", "occupied_ages_known", "capacity_0",
                                   "capacity_1", "capacity_2", "capacity_3", "ofsted_inadequate",
                                   "ofsted_requires_improvement", "has_pets", "exclusion", "no_cross_rcc",
                                   "inadequate_allowed", "split_penalty_0", "three_las"]
        XCTAssertEqual(wanted.subtracting(features), [])
    }

    /// Brute force on every seed: the optimum verifies, costs what it claims, is no worse than
    /// leaving everyone unmatched or any single-child improvement, and the optima across seeds show
    /// groups placed together, groups split, and children left unmatched.
    func testBruteForceOnSeededMarkets() {
        var outcomes = Set<String>()
        var verified = 0
        let started = Date()
        for seed in Self.seeds {
            let m = TinyMarkets.make(seed: seed)
            let result = BruteForce.solve(m)
            verified += result.plansVerified
            let check = PlanVerifier.verify(result.plan, market: m, claimedObjective: result.objective)
            XCTAssertTrue(check.isValid, "seed \(seed): \(check.problems)")
            XCTAssertLessThanOrEqual(result.objective, PlanVerifier.verify(.unmatched(childCount: m.children.count), market: m).objective + 1e-9)
            for tie in result.optimalPlans {
                XCTAssertEqual(PlanVerifier.verify(tie, market: m).objective, result.objective, accuracy: 1e-6, "seed \(seed)")
            }
            // No valid plan one move away (one child moved anywhere, or unmatched) is cheaper.
            for i in m.children.indices {
                for choice in [nil] + m.placements.indices.map(Optional.some) {
                    var plan = result.plan
                    plan.placement[i] = choice
                    let v = PlanVerifier.verify(plan, market: m)
                    if v.isValid { XCTAssertGreaterThanOrEqual(v.objective, result.objective - 1e-9, "seed \(seed)") }
                }
            }
            // What the optimum looks like.
            let plan = result.plan.placement
            for g in Set(m.children.compactMap(\.siblingGroup)) {
                let members = m.children.indices.filter { m.children[$0].siblingGroup == g }
                if plan[members[0]] != nil && members.allSatisfy({ plan[$0] == plan[members[0]] }) {
                    outcomes.insert("group_together")
                } else if members.contains(where: { plan[$0] != nil }) {
                    outcomes.insert("group_split")
                }
            }
            for i in m.children.indices where plan[i] == nil {
                let eligible = m.placements.contains { PlanVerifier.brokenRules(child: m.children[i], placement: $0, market: m).isEmpty }
                outcomes.insert(eligible ? "outcompeted" : "no_eligible_placement")
            }
            if Set(plan.compactMap { $0 }).count < plan.compactMap({ $0 }).count { outcomes.insert("shared_home") }
        }
        XCTAssertEqual(outcomes, ["group_together", "group_split", "outcompeted", "no_eligible_placement", "shared_home"])
        print("brute force: \(Self.seeds.count) markets, \(verified) plans verified, \(Date().timeIntervalSince(started)) s")
    }

    /// The pruned search finds the same optimum as trying every assignment, on the markets small
    /// enough to try them all.
    func testPruningLosesNothing() {
        var compared = 0
        for seed in Self.seeds {
            let m = TinyMarkets.make(seed: seed)
            let all = pow(Double(m.placements.count + 1), Double(m.children.count))
            guard all <= 4_000 else { continue }
            let pruned = BruteForce.solve(m)
            let full = BruteForce.solveWithoutPruning(m)
            XCTAssertEqual(pruned.objective, full.objective, accuracy: 1e-9 * max(1, abs(full.objective)), "seed \(seed)")
            compared += 1
            if compared == 60 { break }
        }
        XCTAssertGreaterThanOrEqual(compared, 30)
    }
}
