// The independent check every answer must pass before it is written.
//
// INDEPENDENCE: this file (and Plan/Verifier*.swift) is written from the spec
// (market-format.md, sections 2, 3, 5 and 7) alone. It must never call the engine's eligibility,
// arc-cost, model or solver code (Eligibility/, Arcs/, Model/, Solve/, MarketIndex): its own small
// implementations of haversine, the twelve eligibility rules, the risk model and the arc cost are
// the point. It uses only the market's plain data types (Market, Child, Placement, Policy, Plan).
// With a run database (issue 13, docs/history.md) it reads `market.history` itself: no declined
// pairing proposed, no placed child in the plan, and the history's cost adjustments (nights waited
// on the unmatched cost; the reproposal threshold on every option but an outstanding proposal)
// recomputed here from the ids, not through `HistoryCosts`.
//
// Cost: one pass over the children (eligibility and arc cost of each placed child, O(1) each apart
// from its short lists), one pass over the placements (capacity and the tonight rules, in O(children
// placed there) each: no pairwise loop), and the not_with lists. Messages name the rule, child ids
// and placement ids only (no ages, sexes or other personal data).

import Foundation

public struct PlanVerification: Sendable {
    /// Every rule the plan breaks, one line each, starting with the rule's name (`capacity: ...`).
    public var problems: [String]
    /// The objective recomputed from the spec (NaN when the plan's shape is broken).
    public var objective: Double
    /// What each child adds to the objective: its arc cost (computed as separated, plus
    /// `split_penalty`, for a sibling placed apart) or its unmatched cost. Empty when the plan's
    /// length is wrong.
    public var childCosts: [Double]
    public var isValid: Bool { problems.isEmpty }

    public init(problems: [String], objective: Double, childCosts: [Double]) {
        self.problems = problems; self.objective = objective; self.childCosts = childCosts
    }
}

public enum PlanVerifier {
    /// Earth radius of the spec (section 3), km.
    public static let earthRadiusKm = 6371.0088
    /// Slack on the distance limit (km), so that two correct haversine codings cannot disagree in
    /// the last bits about a pair lying exactly on the limit.
    public static let distanceSlackKm = 1e-9

    /// Checks `plan` against `market` from the spec alone; when `claimedObjective` is given, also
    /// that it matches the recomputed objective within 1e-6 relative (to max(1, |recomputed|)).
    public static func verify(_ plan: Plan, market: Market, claimedObjective: Double? = nil) -> PlanVerification {
        Prepared(market: market).verify(plan, claimedObjective: claimedObjective)
    }

    /// Great-circle distance (haversine), km.
    public static func haversineKm(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let rad = Double.pi / 180
        let phi1 = a.lat * rad, phi2 = b.lat * rad
        let dPhi = (b.lat - a.lat) * rad, dLambda = (b.lon - a.lon) * rad
        let s1 = sin(dPhi / 2), s2 = sin(dLambda / 2)
        let h = s1 * s1 + cos(phi1) * cos(phi2) * s2 * s2
        return 2 * earthRadiusKm * asin(min(1, sqrt(max(0, h))))
    }

    /// Breakdown risk of `child` in `placement` (section 5), in [0, 1].
    public static func risk(child: Child, placement: Placement, separated: Bool, policy: Policy) -> Double {
        let m = policy.riskModel
        var z = m.intercept
        if child.age >= 11 { z += m.age11Plus }
        if child.behaviour == .high { z += m.behaviourHigh }
        if child.priorPlacements >= 3 { z += m.priorPlacements3Plus }
        if placement.type != .kinship { z += m.nonKinship }
        if placement.type == .residential { z += m.residential }
        if separated { z += m.separatedFromSiblings }
        if child.suitability[placement.type] == .suitable { z += m.typeNotPreferred }
        if placement.ofsted == .requires_improvement { z += m.providerRequiresImprovement }
        return 1 / (1 + exp(-z))
    }

    /// Arc cost of `child` in `placement` (section 3), without any split penalty.
    /// `childRcc`/`placementRcc` are the RCCs of their LAs (`nil` when the LA is unknown).
    public static func arcCost(child: Child, placement: Placement, separated: Bool, policy: Policy,
                               childRcc: String?, placementRcc: String?) -> Double {
        let w = policy.weights
        var cost = w.wKm * haversineKm(child.location, placement.location)
        cost += w.wRisk * 100 * risk(child: child, placement: placement, separated: separated, policy: policy)
        cost += w.wCost * placement.weeklyCost / 100
        if childRcc != placementRcc && placement.type != .kinship { cost += policy.crossRccPenalty }
        if child.suitability[placement.type] == .suitable { cost += policy.notPreferredPenalty }
        return cost
    }

    /// Arc cost of `child` in `placement` in `market` (RCCs looked up in `market.localAuthorities`).
    /// Convenience for tests; it scans the LA list, so use `Prepared` in loops.
    public static func arcCost(child: Child, placement: Placement, separated: Bool, market: Market) -> Double {
        let rcc = { (code: String) in market.localAuthorities.first(where: { $0.code == code })?.rcc }
        return arcCost(child: child, placement: placement, separated: separated, policy: market.policy,
                       childRcc: rcc(child.laCode), placementRcc: rcc(placement.laCode))
    }

    /// The spec's names of the section-2 rules that make (child, placement) ineligible, in T K G N R P
    /// A D Q X C O order; empty when the pair is eligible.
    public static func brokenRules(child: Child, placement: Placement, market: Market) -> [String] {
        let prepared = Prepared(market: market)
        return prepared.ineligibility(child: child, placement: placement).map(\.rule)
    }

    /// The market's lookups, built once; `verify` may then be called many times (brute force,
    /// what-if). Building it is one pass over LAs, children and exclusions.
    public struct Prepared: Sendable {
        public let market: Market
        let rccByLA: [String: String]
        let childIndexById: [String: Int]
        let excluded: Set<PairKey>
        /// Members (child indices, market order) of each sibling group of two or more, keyed by group.
        let groupMembers: [String: [Int]]
        /// The history (issue 13), by child index: what waiting adds to the unmatched cost, and the
        /// placement id of an outstanding proposal listed tonight. Empty without history.
        let waitingCost: [Double]
        let outstanding: [String?]
        /// Declines in force and placed children, from the history.
        let declined: [PairKey: Int]
        let placedNight: [String: Int]

        struct PairKey: Hashable, Sendable {
            let child: String
            let placement: String
        }

        public init(market: Market) {
            self.market = market
            var rcc: [String: String] = [:]
            for la in market.localAuthorities { rcc[la.code] = la.rcc }
            rccByLA = rcc
            var ids: [String: Int] = [:]
            ids.reserveCapacity(market.children.count)
            var groups: [String: [Int]] = [:]
            for (i, c) in market.children.enumerated() {
                if ids[c.id] == nil { ids[c.id] = i }
                if let g = c.siblingGroup { groups[g, default: []].append(i) }
            }
            childIndexById = ids
            groupMembers = groups.filter { $0.value.count >= 2 }
            excluded = Set(market.exclusions.map { PairKey(child: $0.childId, placement: $0.placementId) })
            var waiting: [Double] = [], held: [String?] = []
            var declines: [PairKey: Int] = [:], placed: [String: Int] = [:]
            if let history = market.history {
                let listed = Set(market.placements.map(\.id))
                for c in market.children {
                    let w = history.waiting[c.id]
                    waiting.append(market.policy.waitingPenaltyPerNight * Double(w?.nightsWaited ?? 0))
                    held.append(w?.outstandingPlacementId.flatMap { listed.contains($0) ? $0 : nil })
                }
                for d in history.declined { declines[PairKey(child: d.childId, placement: d.placementId)] = d.night }
                for p in history.placed { placed[p.childId] = p.night }
            }
            waitingCost = waiting; outstanding = held; declined = declines; placedNight = placed
        }

        public func rcc(ofLA code: String) -> String? { rccByLA[code] }

        /// Arc cost of child `c` in placement `p` (indices into the market), without split penalty.
        public func arcCost(child c: Int, placement p: Int, separated: Bool) -> Double {
            let child = market.children[c], placement = market.placements[p]
            return PlanVerifier.arcCost(child: child, placement: placement, separated: separated,
                                        policy: market.policy, childRcc: rccByLA[child.laCode],
                                        placementRcc: rccByLA[placement.laCode])
        }

        /// Whether child `c` may be placed in placement `p` on its own merits (section 2).
        public func isEligible(child c: Int, placement p: Int) -> Bool {
            ineligibility(child: market.children[c], placement: market.placements[p]).isEmpty
        }

        /// The section-2 rules broken by the pair, with a short reason each (ids only).
        func ineligibility(child c: Child, placement p: Placement) -> [(rule: String, why: String)] {
            var broken: [(rule: String, why: String)] = []
            func fail(_ rule: String, _ why: String) { broken.append((rule, why)) }
            let policy = market.policy

            // T type
            if c.suitability[p.type] == .unsuitable {
                fail("type", "the care plan rules out \(p.type.rawValue)")
            } else if p.type == .supported && c.age < 16 {
                fail("type", "supported accommodation is unlawful under 16")
            }
            // K kinship
            if p.type == .kinship {
                let named = p.forChildren.contains { $0 == c.id || (c.siblingGroup != nil && $0 == c.siblingGroup!) }
                if !named { fail("kinship", "the connected person is not approved for this child") }
            }
            // G age and sex
            if c.age < p.ageMin || c.age > p.ageMax { fail("age_sex", "outside the home's approved ages") }
            if p.sexes != .any && p.sexes.rawValue != c.sex.rawValue { fail("age_sex", "the home does not take this sex") }
            // N needs
            if !c.needs.isSubset(of: p.needsMet) { fail("needs", "a need is not met") }
            // R risks
            if !c.risks.isSubset(of: p.risksManaged) { fail("risks", "a risk is not managed") }
            if c.risks.contains(.harm_to_animals) && p.hasPets { fail("risks", "harm_to_animals in a home with pets") }
            if c.risks.contains(.sexual_harm) {
                switch residentsVersus(c.age, p) {
                case .unknown: fail("risks", "sexual_harm with residents of unknown ages")
                case .ages(let youngest, _) where youngest < c.age: fail("risks", "sexual_harm with a younger resident")
                default: break
                }
            }
            // P pets
            if c.pets == .no && p.hasPets { fail("pets", "the child cannot live with pets") }
            if c.pets == .must && !p.hasPets { fail("pets", "the child must live with pets") }
            // A alongside (residents)
            switch c.alongside {
            case .solo:
                if p.occupied > 0 { fail("alongside", "solo child in an occupied home") }
            case .older_only, .younger_only:
                switch residentsVersus(c.age, p) {
                case .unknown:
                    fail("alongside", "\(c.alongside.rawValue) with residents of unknown ages")
                case .ages(let youngest, let oldest):
                    if c.alongside == .older_only && youngest <= c.age {
                        fail("alongside", "older_only with a resident who is not older")
                    }
                    if c.alongside == .younger_only && oldest >= c.age {
                        fail("alongside", "younger_only with a resident who is not younger")
                    }
                case .none: break
                }
            case .with_others, .no_preference: break
            }
            // D distance
            if p.type != .kinship {
                let limit = c.maxDistanceKm ?? policy.maxDistanceKm
                if PlanVerifier.haversineKm(c.location, p.location) > limit + PlanVerifier.distanceSlackKm {
                    fail("distance", "beyond the child's distance limit")
                }
            }
            // Q quality
            if policy.excludeInadequate && p.ofsted == .inadequate { fail("quality", "Ofsted inadequate") }
            // X exclusions
            if excluded.contains(PairKey(child: c.id, placement: p.id)) { fail("excluded", "listed in exclusions") }
            // C capacity
            if p.capacity < 1 { fail("capacity", "no free place") }
            // O out of region
            if !policy.allowCrossRcc && p.type != .kinship {
                let rc = rccByLA[c.laCode], rp = rccByLA[p.laCode]
                if rc == nil || rp == nil || rc != rp { fail("out_of_region", "another RCC while allow_cross_rcc is false") }
            }
            return broken
        }

        enum Residents { case none, unknown, ages(youngest: Int, oldest: Int) }

        /// The home's residents, for rules R and A: none, of unknown ages, or the age range.
        private func residentsVersus(_ age: Int, _ p: Placement) -> Residents {
            if p.occupied <= 0 { return .none }
            guard let ages = p.residentAges, let lo = ages.min(), let hi = ages.max() else { return .unknown }
            return .ages(youngest: lo, oldest: hi)
        }

        public func verify(_ plan: Plan, claimedObjective: Double? = nil) -> PlanVerification {
            let children = market.children, placements = market.placements
            let n = children.count, m = placements.count
            var problems: [String] = []
            guard plan.placement.count == n else {
                return PlanVerification(
                    problems: ["plan_length: the plan has \(plan.placement.count) entries for \(n) children"],
                    objective: .nan, childCosts: [])
            }

            // Where each child is (nil: unmatched or an index out of range, reported).
            var at = [Int](repeating: -1, count: n)
            var shapeBroken = false
            for (i, choice) in plan.placement.enumerated() {
                guard let p = choice else { continue }
                if p < 0 || p >= m {
                    problems.append("placement_index: child \(children[i].id) has placement index \(p), outside 0..<\(m)")
                    shapeBroken = true
                } else {
                    at[i] = p
                }
            }

            // Section 3, S: a group is placed together iff all its members are in one placement.
            // unit[i]: the child's own index, or n + (its together group's number).
            var unit = Array(0..<n)
            var inGroup = [Bool](repeating: false, count: n)
            var together = [Bool](repeating: false, count: n)
            var groupNumber = 0
            for key in groupMembers.keys.sorted() {
                let members = groupMembers[key]!
                for i in members { inGroup[i] = true }
                let first = at[members[0]]
                if first >= 0 && members.allSatisfy({ at[$0] == first }) {
                    for i in members { together[i] = true; unit[i] = n + groupNumber }
                    groupNumber += 1
                }
            }

            // Per child: eligibility (section 2) and what it adds to the objective.
            var childCosts = [Double](repeating: 0, count: n)
            let policy = market.policy
            for i in 0..<n {
                let c = children[i]
                let p = at[i]
                if let night = placedNight[c.id] {
                    problems.append("placed: child \(c.id) was placed on night \(night) and is in tonight's market")
                }
                if p < 0 {
                    childCosts[i] = plan.placement[i] == nil ? policy.unmatchedPenalty + policy.urgencyPenalty[c.neededBy] : .nan
                    if !waitingCost.isEmpty {
                        // History: nights waited, and leaving an outstanding proposal.
                        childCosts[i] += waitingCost[i] + (outstanding[i] != nil ? policy.reproposalThreshold : 0)
                    }
                    continue
                }
                let placement = placements[p]
                if let night = declined[PairKey(child: c.id, placement: placement.id)] {
                    problems.append("declined: child \(c.id) is proposed to placement \(placement.id), which declined the child on night \(night)")
                }
                for (rule, why) in ineligibility(child: c, placement: placement) {
                    problems.append("\(rule): child \(c.id) is not eligible for placement \(placement.id) (\(why))")
                }
                if rccByLA[c.laCode] == nil {
                    problems.append("market: child \(c.id)'s LA code \(c.laCode) is not in local_authorities")
                }
                if rccByLA[placement.laCode] == nil {
                    problems.append("market: placement \(placement.id)'s LA code \(placement.laCode) is not in local_authorities")
                }
                let separated = inGroup[i] && !together[i]
                childCosts[i] = arcCost(child: i, placement: p, separated: separated)
                    + (separated ? policy.splitPenalty : 0)
                if !outstanding.isEmpty, let held = outstanding[i], held != placement.id {
                    childCosts[i] += policy.reproposalThreshold   // History: moving an outstanding proposal.
                }
            }

            // Per placement: capacity and the tonight rules (section 3, A), by counting sort.
            var start = [Int](repeating: 0, count: m + 1)
            for i in 0..<n where at[i] >= 0 { start[at[i] + 1] += 1 }
            for p in 0..<m { start[p + 1] += start[p] }
            var fill = start
            var occupants = [Int](repeating: 0, count: start[m])
            for i in 0..<n where at[i] >= 0 { occupants[fill[at[i]]] = i; fill[at[i]] += 1 }

            for p in 0..<m where start[p + 1] > start[p] {
                let placement = placements[p]
                let here = occupants[start[p]..<start[p + 1]]
                if here.count > placement.capacity {
                    problems.append("capacity: placement \(placement.id) is given \(here.count) children tonight, capacity \(placement.capacity)")
                }
                guard here.count >= 2 else { continue }
                // The youngest occupant, and the youngest outside its unit; likewise the oldest.
                // For child a, the youngest child outside a's unit is young1 unless a shares its
                // unit, then young2 (and the same for the oldest).
                var young1 = -1, young2 = -1, old1 = -1, old2 = -1
                for i in here {
                    if young1 < 0 || children[i].age < children[young1].age { young1 = i }
                    if old1 < 0 || children[i].age > children[old1].age { old1 = i }
                }
                for i in here where unit[i] != unit[young1] {
                    if young2 < 0 || children[i].age < children[young2].age { young2 = i }
                }
                for i in here where unit[i] != unit[old1] {
                    if old2 < 0 || children[i].age > children[old2].age { old2 = i }
                }
                for a in here {
                    let c = children[a]
                    let youngestOther = unit[a] != unit[young1] ? young1 : young2
                    let oldestOther = unit[a] != unit[old1] ? old1 : old2
                    switch c.alongside {
                    case .solo:
                        if youngestOther >= 0 {
                            problems.append("solo: child \(c.id) shares placement \(placement.id) with child \(children[youngestOther].id)")
                        }
                    case .older_only:
                        if youngestOther >= 0 && children[youngestOther].age <= c.age {
                            problems.append("older_only: child \(c.id) shares placement \(placement.id) with child \(children[youngestOther].id), who is not older")
                        }
                    case .younger_only:
                        if oldestOther >= 0 && children[oldestOther].age >= c.age {
                            problems.append("younger_only: child \(c.id) shares placement \(placement.id) with child \(children[oldestOther].id), who is not younger")
                        }
                    case .with_others, .no_preference: break
                    }
                    // sexual_harm: no younger child tonight, siblings included.
                    if c.risks.contains(.sexual_harm) && children[young1].age < c.age {
                        problems.append("sexual_harm: child \(c.id) shares placement \(placement.id) with younger child \(children[young1].id)")
                    }
                }
            }

            // not_with: either side may list it; each pair reported once.
            var reported = Set<[Int]>()
            for a in 0..<n where at[a] >= 0 {
                for other in children[a].notWith {
                    guard let b = childIndexById[other], b != a, at[b] == at[a] else { continue }
                    if reported.insert([min(a, b), max(a, b)]).inserted {
                        problems.append("not_with: children \(children[min(a, b)].id) and \(children[max(a, b)].id) share placement \(placements[at[a]].id)")
                    }
                }
            }

            var objective = 0.0
            for cost in childCosts { objective += cost }
            if shapeBroken { objective = .nan }
            if let claimed = claimedObjective, !shapeBroken {
                if !(abs(objective - claimed) <= 1e-6 * max(1, abs(objective))) {
                    problems.append("objective: claimed \(claimed), recomputed \(objective)")
                }
            }
            return PlanVerification(problems: problems, objective: objective, childCosts: childCosts)
        }
    }
}
