// Why a child is unplaced tonight, in sentences a commissioner can act on (the report and `explain`):
// what ruled the homes out, the nearest misses (homes that exactly one rule excludes, cheapest first)
// and the single change that would make each of them eligible. Every sentence is a fact the rules
// and tonight's plan prove; none says a change *would* get the child placed unless the plan shows it.

import Foundation

public struct UnplacedExplanation: Sendable {
    /// A home that exactly one rule keeps from the child.
    public struct NearMiss: Sendable {
        public var placement: Int
        public var rule: Rule
        /// What the child's option there would cost if it were eligible (as the child's own option).
        public var cost: CostBreakdown
        /// "is 162 km away, beyond the child's limit of 150 km".
        public var obstacle: String
        /// "a distance limit of 162 km for this child"; nil when no single change is lawful
        /// (supported accommodation for an under-16).
        public var change: String?
    }

    public let child: Int
    public let reason: UnmatchedRow.Reason
    /// "A 15-year-old girl with a risk of fire-setting."
    public let who: String
    /// One paragraph: why, in plain English.
    public let why: String
    /// Rule by rule, how many homes each excluded, in words ("22 are beyond the child's 150 km limit").
    public let ruleLines: [String]
    public let nearMisses: [NearMiss]
    /// One more place in a full home that would make room for the child (a cheaper plan than
    /// tonight's), when tonight's plan proves it.
    public struct ExtraPlace: Sendable {
        public var placement: Int
        public var sentence: String
    }
    public let extraPlace: ExtraPlace?

    /// `row` is the child's line of unmatched.csv; `occupants` tonight's children per placement.
    public init(row: UnmatchedRow, arcs: ArcTable, occupants: [Int: [Int]], misses: Int = 3) {
        let index = arcs.index
        let market = index.market
        let c = row.child
        child = c
        reason = row.reason
        who = PlainWords.child(c, index: index)

        nearMisses = Self.nearMisses(child: c, index: index, checker: arcs.checker, limit: misses)

        ruleLines = Rule.allCases.compactMap { r in
            let n = row.ruleCounts[r]
            return n == 0 ? nil : Self.countLine(r, n, child: c, index: index)
        }
        let homes = PlainWords.count(index.placementCount, "home")
        let unmatchedCost = index.unmatchedCost(c)
        switch row.reason {
        case .no_eligible_placement:
            why = "No home in tonight's market can take this child: of \(homes), every one breaks at least one rule."
            extraPlace = nil
        case .outcompeted:
            let eligible = PlainWords.count(row.eligibleCount, "home")
            why = "\(eligible) could take this child, but tonight's best plan uses \(row.eligibleCount == 1 ? "it" : "them") for other children"
                + " or leaving the child unplaced costs less (\(PlainWords.points(unmatchedCost))): "
                + (row.holders.isEmpty ? "see unmatched.csv." : row.holders.joined(separator: "; ") + ".")
            extraPlace = Self.extraPlace(child: c, cheapestFirst: arcs.childArcs[c].map { (Int($0.placement), $0.cost) },
                                         index: index, checker: arcs.checker, occupants: occupants)
        case .solve_stopped:
            why = "The solve stopped at its time limit before deciding this child: "
                + (row.holders.first ?? "an eligible home has a free place") + "."
            extraPlace = nil
        }
    }

    /// One more place at the child's cheapest full home, when the plan shows it would place the child:
    /// the option costs less than leaving the child unplaced and no one there tonight conflicts.
    /// The homes that exactly one rule keeps from the child, cheapest first (one pass over the
    /// homes, a few microseconds each).
    public static func nearMisses(child c: Int, index: MarketIndex, checker: EligibilityChecker, limit: Int) -> [NearMiss] {
        // Light values first (a national child can miss tens of thousands of homes by one rule);
        // the words and the full breakdown only for the `limit` cheapest.
        var found: [(cost: Double, placement: Int, rule: Rule, distance: Double)] = []
        let separated = index.isGroupMember(c)
        for p in 0..<index.placementCount {
            let (mask, distance) = checker.check(child: c, placement: p)
            guard mask.rawValue != 0, mask.rawValue & (mask.rawValue - 1) == 0,
                  let rule = Rule(rawValue: mask.rawValue.trailingZeroBitCount) else { continue }
            found.append((index.costBreakdown(child: c, placement: p, separated: separated).total, p, rule, distance))
        }
        found.sort { ($0.cost, $0.placement) < ($1.cost, $1.placement) }
        return found.prefix(limit).map { f in
            let words = Self.obstacle(f.rule, child: c, placement: f.placement, distanceKm: f.distance, index: index)
            return NearMiss(placement: f.placement, rule: f.rule,
                            cost: index.costBreakdown(child: c, placement: f.placement, separated: separated),
                            obstacle: words.obstacle, change: words.change)
        }
    }

    /// `cheapestFirst`: the child's eligible options (its own, as unmatched.csv's ranks count them).
    public static func extraPlace(child c: Int, cheapestFirst: [(placement: Int, cost: Double)], index: MarketIndex,
                                  checker: EligibilityChecker, occupants: [Int: [Int]]) -> ExtraPlace? {
        let market = index.market
        for a in cheapestFirst {
            let p = a.placement
            guard a.cost < index.unmatchedCost(c) else { return nil }
            let there = occupants[p] ?? []
            guard there.count >= market.placements[p].capacity else { continue }
            // A sibling there would change the group's costs (placed together): no simple claim then.
            let group = index.groupOf[c]
            if there.contains(where: { index.childrenConflict(c, $0) || (group >= 0 && index.groupOf[$0] == group) }) { continue }
            let pl = market.placements[p]
            return ExtraPlace(placement: p, sentence: "One more place at \(pl.id) (\(PlainWords.type(pl.type)), \(PlainWords.km(checker.distanceKm(child: c, placement: p))) away) would make room for this child: it is full with children who can live alongside this one, and placing the child there would cost \(PlainWords.points(a.cost)) against \(PlainWords.points(index.unmatchedCost(c))) for leaving the child unplaced, a better plan than tonight's.")
        }
        return nil
    }

    /// "22 are beyond the child's 150 km limit".
    static func countLine(_ rule: Rule, _ n: Int, child c: Int, index: MarketIndex) -> String {
        let ch = index.market.children[c]
        let are = n == 1 ? "is" : "are"
        let have = n == 1 ? "has" : "have"
        let cannot = "cannot"
        let homes = PlainWords.count(n, "home")
        switch rule {
        case .type:
            let ruledOut = PlacementType.allCases.filter { ch.suitability[$0] == .unsuitable }.map(PlainWords.typePlural)
            return "\(homes) \(are) of a type the care plan rules out (\(PlainWords.list(ruledOut, conjunction: "or")))"
        case .kinship:
            return "\(homes) \(are) kinship carers approved for other children"
        case .ageSex:
            return "\(homes) \(are) not approved for a \(ch.age)-year-old \(PlainWords.sexNoun(ch.sex))"
        case .needs:
            return "\(homes) \(cannot) meet the child's needs (\(PlainWords.list(ch.needs.map(PlainWords.need))))"
        case .risks:
            return "\(homes) \(cannot) manage the child's risks (\(PlainWords.list(ch.risks.map(PlainWords.risk))))"
        case .pets:
            return ch.pets == .must ? "\(homes) \(have) no pets, and the child must live with one"
                : "\(homes) \(have) pets, and the child cannot live with pets"
        case .alongside:
            return "\(homes) \(have) children living there whom this child cannot live alongside (\(Self.alongsideWords(ch.alongside)))"
        case .distance:
            return "\(homes) \(are) beyond the child's distance limit of \(PlainWords.km(index.maxDistanceKm[c]))"
        case .quality:
            return "\(homes) \(are) rated inadequate by Ofsted, which the policy excludes"
        case .excluded:
            return "\(homes) \(are) ruled out for this child in exclusions.csv"
        case .capacity:
            return "\(homes) \(have) no free place tonight"
        case .outOfRegion:
            return "\(homes) \(are) outside the child's RCC (\(index.rcc(ofChild: c))), and the policy keeps placements within it"
        }
    }

    static func alongsideWords(_ a: Alongside) -> String {
        switch a {
        case .solo: "the child must live alone"
        case .older_only: "only with older children"
        case .younger_only: "only with younger children"
        case .with_others, .no_preference: "no preference"
        }
    }

    /// What one rule says about one home for this child, and the change that would lift it.
    static func obstacle(_ rule: Rule, child c: Int, placement p: Int, distanceKm: Double,
                         index: MarketIndex) -> (obstacle: String, change: String?) {
        let ch = index.market.children[c]
        let pl = index.market.placements[p]
        switch rule {
        case .type:
            if pl.type == .supported && ch.age < 16 {
                return ("is supported accommodation, which the law does not allow for a child under 16", nil)
            }
            return ("is a \(PlainWords.type(pl.type)), which the care plan marks unsuitable",
                    "the care plan found a \(PlainWords.type(pl.type)) suitable")
        case .kinship:
            return ("is a kinship carer approved for other children", "the carer were approved for this child")
        case .ageSex:
            var parts: [String] = [], changes: [String] = []
            if ch.age < pl.ageMin || ch.age > pl.ageMax {
                parts.append("is approved for ages \(pl.ageMin)-\(pl.ageMax)")
                changes.append("its approval covered age \(ch.age)")
            }
            if !(pl.sexes == .any || pl.sexes.rawValue == ch.sex.rawValue) {
                parts.append("takes \(PlainWords.sexesAccepted(pl.sexes))")
                changes.append("it took \(ch.sex == .X ? "children of any sex" : PlainWords.sexNoun(ch.sex) + "s")")
            }
            return (PlainWords.list(parts), PlainWords.list(changes))
        case .needs:
            let missing = ch.needs.filter { !pl.needsMet.contains($0) }.map(PlainWords.need)
            return ("cannot meet the need for \(PlainWords.list(missing))", "it could meet the need for \(PlainWords.list(missing))")
        case .risks:
            var parts: [String] = [], changes: [String] = []
            let missing = ch.risks.filter { !pl.risksManaged.contains($0) }.map(PlainWords.risk)
            if !missing.isEmpty {
                parts.append("cannot manage \(PlainWords.list(missing))")
                changes.append("it could manage \(PlainWords.list(missing))")
            }
            if ch.risks.contains(.harm_to_animals) && pl.hasPets {
                parts.append("has pets, and the child has a risk of harm to animals")
                changes.append("it had no pets")
            }
            if ch.risks.contains(.sexual_harm) && pl.occupied > 0 {
                if let ages = pl.residentAges {
                    if ages.contains(where: { $0 < ch.age }) {
                        parts.append("has a younger child living there, and the child has a risk of harmful sexual behaviour")
                        changes.append("no younger child lived there")
                    }
                } else {
                    parts.append("does not give its residents' ages, which a child with a risk of harmful sexual behaviour needs")
                    changes.append("its residents' ages were given (and none were younger)")
                }
            }
            return (PlainWords.list(parts), PlainWords.list(changes))
        case .pets:
            return ch.pets == .must ? ("has no pets, and the child must live with one", "it had a pet")
                : ("has pets, and the child cannot live with pets", "it had no pets")
        case .alongside:
            let residents = PlainWords.count(pl.occupied, "child", "children")
            switch ch.alongside {
            case .solo:
                return ("has \(residents) living there, and the child must live alone", "it had no one else living there")
            case .older_only where pl.residentAges == nil:
                return ("does not give its residents' ages, and the child may live only with older children", "its residents' ages were given (all older)")
            case .younger_only where pl.residentAges == nil:
                return ("does not give its residents' ages, and the child may live only with younger children", "its residents' ages were given (all younger)")
            case .older_only:
                return ("has a resident no older than the child, who may live only with older children", "every resident were older")
            case .younger_only:
                return ("has a resident no younger than the child, who may live only with younger children", "every resident were younger")
            case .with_others, .no_preference:
                return ("has residents the child cannot live alongside", nil)
            }
        case .distance:
            let needed = distanceKm.rounded(.up)
            return ("is \(PlainWords.km(distanceKm)) away, beyond the child's limit of \(PlainWords.km(index.maxDistanceKm[c]))",
                    "the child's distance limit were \(Int(needed)) km (max_distance_km)")
        case .quality:
            return ("is rated inadequate by Ofsted, and the policy excludes inadequate homes",
                    "the policy allowed inadequate homes (exclude_inadequate false), or its rating improved")
        case .excluded:
            let reasons = index.market.exclusions
                .filter { $0.childId == ch.id && $0.placementId == pl.id && !$0.reason.isEmpty }.map(\.reason)
            let why = reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))"
            return ("is ruled out for this child in exclusions.csv\(why)", "the exclusion were lifted")
        case .capacity:
            return ("has no free place tonight", "it had a free place")
        case .outOfRegion:
            return ("is in \(index.rcc(ofPlacement: p)), outside the child's RCC (\(index.rcc(ofChild: c))), and the policy keeps placements within the RCC",
                    "the policy allowed placements across RCCs (allow_cross_rcc true)")
        }
    }

    /// The nearest miss as one sentence: "Nearest miss: F0012 (foster home, Kent, 162 km): it is
    /// 162 km away, beyond the child's limit of 150 km; it would be eligible if the child's distance
    /// limit were 163 km."
    public func sentence(_ miss: NearMiss, index: MarketIndex, laName: (String) -> String) -> String {
        let pl = index.market.placements[miss.placement]
        var s = "\(pl.id) (\(PlainWords.type(pl.type)), \(laName(pl.laCode)), \(PlainWords.km(miss.cost.distanceKm))) \(miss.obstacle)"
        if let change = miss.change { s += "; it would be eligible if \(change)" }
        return s + "."
    }
}
