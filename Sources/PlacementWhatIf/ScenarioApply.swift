// Applying a scenario to a market: changes in the order written, every problem collected (unknown
// area, placement, provider or policy key), and what each change did recorded in plain words.

import Foundation
import PlacementEngine
import PlacementGenerator

/// An area named by a change: an RCC (every LA the market puts in it) or one LA.
public struct ResolvedArea: Hashable, Sendable {
    /// As the market spells it: the RCC's name, or the LA's code.
    public var name: String
    public var isRCC: Bool
    /// The area's LA codes, in the market's LA order.
    public var laCodes: [String]
    /// A short tag for new ids: the RCC's initials (`NW`, `YH`, `LON`) or the LA code.
    public var tag: String

    /// Resolves `text`: an LA code (exact, as ids are), else an RCC name (case and blanks ignored).
    public static func resolve(_ text: String, in market: Market) -> ResolvedArea? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let la = market.localAuthorities.first(where: { $0.code == t }) {
            return ResolvedArea(name: la.code, isRCC: false, laCodes: [la.code], tag: la.code)
        }
        let wanted = Self.fold(t)
        guard let rcc = market.localAuthorities.first(where: { Self.fold($0.rcc) == wanted })?.rcc else { return nil }
        let codes = market.localAuthorities.filter { $0.rcc == rcc }.map(\.code)
        return ResolvedArea(name: rcc, isRCC: true, laCodes: codes, tag: tag(ofRCC: rcc))
    }

    /// Lower case, runs of blanks as one space.
    static func fold(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `North West` -> `NW`, `Yorkshire and The Humber` -> `YH`, `East of England` -> `EE`, `London` -> `LON`.
    static func tag(ofRCC name: String) -> String {
        let skip: Set<String> = ["and", "of", "the"]
        let words = name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            .filter { !skip.contains($0.lowercased()) }
        let raw = words.count == 1 ? String(words[0].prefix(3)) : words.compactMap(\.first).map(String.init).joined()
        let cleaned = raw.uppercased().unicodeScalars.filter { ($0.value < 128) && CharacterSet.alphanumerics.contains($0) }
        return cleaned.isEmpty ? "AREA" : String(String.UnicodeScalarView(cleaned))
    }

    /// Expected words for an unknown area.
    static func expected(in market: Market) -> String {
        var rccs: [String] = []
        for la in market.localAuthorities where !rccs.contains(la.rcc) { rccs.append(la.rcc) }
        return "an RCC (\(rccs.sorted().joined(separator: ", "))) or an LA code of the market (e.g. \(market.localAuthorities.first?.code ?? "E08000003"))"
    }
}

/// The profile new homes of one type get: the typical home among template rows.
public struct HomeProfile: Hashable, Sendable {
    public var weeklyCost: Double
    public var ageMin: Int
    public var ageMax: Int
    public var sexes: SexesAccepted
    public var needsMet: NeedSet
    public var risksManaged: RiskSet
    public var hasPets: Bool
    public var ofsted: OfstedRating
    public var providerKind: ProviderKind
    /// Places per new home (all free: a new home has no residents).
    public var placesPerHome: Int
    /// Where the profile came from, in words.
    public var source: String

    /// The typical home among `templates`: median fee (to the penny) and median approved places
    /// (free + occupied, rounded half away from zero, at least 1); the most common age range, sexes,
    /// provider kind and Ofsted rating (never `inadequate`: a home rule Q would exclude is no new
    /// capacity); every need, risk and pets flag that most of the templates have. Ties go to the
    /// spec's order (age ranges: the lowest). `nil` when there are no templates.
    public static func typical(of templates: [Placement], source: String) -> HomeProfile? {
        guard !templates.isEmpty else { return nil }
        let n = templates.count
        func median(_ values: [Double]) -> Double {
            let s = values.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        func mode<W: SpecWord>(_ words: [W], excluding: Set<W> = []) -> W? {
            var counts: [W: Int] = [:]
            for w in words where !excluding.contains(w) { counts[w, default: 0] += 1 }
            var best: W? = nil
            for w in W.allCases {
                if let c = counts[w], c > (best.flatMap { counts[$0] } ?? 0) { best = w }
            }
            return best
        }
        var ranges: [[Int]: Int] = [:]
        for t in templates { ranges[[t.ageMin, t.ageMax], default: 0] += 1 }
        let range = ranges.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.lexicographicallyPrecedes(b.key)
        }[0].key
        var needs = NeedSet()
        for w in Need.allCases where 2 * templates.filter({ $0.needsMet.contains(w) }).count > n { needs.insert(w) }
        var risks = RiskSet()
        for w in RiskFlag.allCases where 2 * templates.filter({ $0.risksManaged.contains(w) }).count > n { risks.insert(w) }
        let fee = (median(templates.map(\.weeklyCost)) * 100).rounded(.toNearestOrAwayFromZero) / 100
        let places = max(1, Int(median(templates.map { Double($0.capacity + $0.occupied) }).rounded(.toNearestOrAwayFromZero)))
        return HomeProfile(
            weeklyCost: fee, ageMin: range[0], ageMax: range[1],
            sexes: mode(templates.map(\.sexes)) ?? .any,
            needsMet: needs, risksManaged: risks,
            hasPets: 2 * templates.filter(\.hasPets).count > n,
            ofsted: mode(templates.map(\.ofsted), excluding: [.inadequate]) ?? .not_rated,
            providerKind: mode(templates.map(\.providerKind)) ?? .la,
            placesPerHome: places, source: source)
    }

    /// Defaults when the market has no home of the type at all: England's typical figures
    /// (children's homes about £5,000 a week for 11-17s, 4 places, managing the common risks;
    /// fostering about £750 a week, 0-17, 2 places; supported accommodation about £1,200, 16-17, 4 places).
    public static func defaults(_ type: PlacementType) -> HomeProfile {
        switch type {
        case .residential:
            HomeProfile(weeklyCost: 5000, ageMin: 11, ageMax: 17, sexes: .any, needsMet: NeedSet(),
                        risksManaged: RiskSet([.self_harm, .sexual_exploitation, .criminal_exploitation, .substance_use,
                                               .going_missing, .physical_harm]),
                        hasPets: false, ofsted: .good, providerKind: .private, placesPerHome: 4,
                        source: "defaults (no residential home in the market)")
        case .supported:
            HomeProfile(weeklyCost: 1200, ageMin: 16, ageMax: 17, sexes: .any, needsMet: NeedSet(),
                        risksManaged: RiskSet([.going_missing, .substance_use]), hasPets: false, ofsted: .not_rated,
                        providerKind: .private, placesPerHome: 4, source: "defaults (no supported accommodation in the market)")
        case .foster, .kinship:
            HomeProfile(weeklyCost: 750, ageMin: 0, ageMax: 17, sexes: .any, needsMet: NeedSet(), risksManaged: RiskSet(),
                        hasPets: false, ofsted: .good, providerKind: .la, placesPerHome: 2,
                        source: "defaults (no \(type.rawValue) home in the market)")
        }
    }

    /// `£730.00/week, ages 0-17, any sex, 2 places per home, manages self_harm, ...`
    public var summary: String {
        var parts = ["£\(Fixed.cost(weeklyCost))/week", "ages \(ageMin)-\(ageMax)",
                     sexes == .any ? "any sex" : "sex \(sexes.rawValue)",
                     "\(placesPerHome) place\(placesPerHome == 1 ? "" : "s") per home",
                     "\(providerKind.rawValue) provider", "Ofsted \(ofsted.rawValue)"]
        if !needsMet.isEmpty { parts.append("meets \(needsMet.cell)") }
        parts.append(risksManaged.isEmpty ? "manages no listed risk" : "manages \(risksManaged.cell)")
        if hasPets { parts.append("has pets") }
        return parts.joined(separator: ", ")
    }
}

/// What one change did.
public struct ChangeEffect: Hashable, Sendable {
    public var change: ScenarioChange
    /// In words: `added 25 foster homes (50 places) in North West: ...`.
    public var description: String
    public var addedPlacements: [String] = []
    public var removedPlacements: [String] = []
    /// Free places of the homes the change touched, before and after.
    public var placesBefore = 0
    public var placesAfter = 0
}

/// A scenario applied to a market.
public struct AppliedScenario: Sendable {
    public let scenario: Scenario
    /// The market as the scenario makes it.
    public let market: Market
    /// One per change, in order.
    public let effects: [ChangeEffect]
}

extension Scenario {
    /// Applies the changes in order to `market`. New homes are put at random points of `geography`
    /// in the area (seeded by `seed`, the change's position and its words), with the typical profile
    /// of the type's homes in the area (else in the market, else `HomeProfile.defaults`). Throws every
    /// problem at once: unknown areas, placements, providers, policy keys; a kinship `add`.
    public func apply(to market: Market, geography: WhatIfGeography) throws(ScenarioError) -> AppliedScenario {
        var work = market
        var issues: [InputIssue] = []
        var effects: [ChangeEffect] = []
        var closedBy: [String: String] = [:]     // placement id -> the change that closed it
        var usedIds = Set(market.placements.map(\.id))
        var nextNumber: [String: Int] = [:]    // id prefix -> next number to try
        let originalProviders = Set(market.placements.map(\.providerId))

        for (k, change) in changes.enumerated() {
            let o = change.origin
            switch change.kind {
            case .add(let type, let areaText, let places):
                guard type != .kinship else {
                    issues.append(o.issue(field: "type", value: type.rawValue, expected: Scenario.kinshipNotAddable)); continue
                }
                guard places >= 1, places <= Scenario.maxPlaces else {
                    issues.append(o.issue(field: "places", value: String(places), expected: "a whole number of places from 1 to \(Scenario.maxPlaces)")); continue
                }
                guard let area = ResolvedArea.resolve(areaText, in: market) else {
                    issues.append(o.issue(field: "area", value: areaText, expected: ResolvedArea.expected(in: market))); continue
                }
                let inArea = Set(area.laCodes)
                let local = market.placements.filter { $0.type == type && inArea.contains($0.laCode) }
                let profile = HomeProfile.typical(of: local, source: "typical of the \(local.count) \(type.rawValue) home\(local.count == 1 ? "" : "s") in \(area.name)")
                    ?? HomeProfile.typical(of: market.placements.filter { $0.type == type },
                                           source: "typical of the market's \(type.rawValue) homes (none in \(area.name))")
                    ?? HomeProfile.defaults(type)
                let (candidates, pointsWhat) = geography.candidates(laCodes: area.laCodes, market: market)
                guard !candidates.isEmpty else {
                    issues.append(o.issue(field: "area", value: areaText, expected: "an area with at least one LA location")); continue
                }
                var rng = SeededRandom(seed: seed, stream: "whatif/\(k)/\(change.summary)")
                let prefix = "WIF-\(type.rawValue)-\(area.tag)-"
                var added: [Placement] = []
                var remaining = places
                while remaining > 0 {
                    let size = min(profile.placesPerHome, remaining)
                    remaining -= size
                    var n = nextNumber[prefix, default: 1]
                    var id = paddedId(prefix, n, width: 4)
                    while usedIds.contains(id) { n += 1; id = paddedId(prefix, n, width: 4) }
                    nextNumber[prefix] = n + 1
                    usedIds.insert(id)
                    let spot = candidates[rng.int(below: candidates.count)]
                    added.append(Placement(
                        id: id, type: type, providerId: id, providerKind: profile.providerKind, laCode: spot.la,
                        location: spot.point, locationGiven: true, capacity: size, occupied: 0, residentAges: nil,
                        ageMin: profile.ageMin, ageMax: profile.ageMax, sexes: profile.sexes, needsMet: profile.needsMet,
                        risksManaged: profile.risksManaged, hasPets: profile.hasPets, weeklyCost: profile.weeklyCost,
                        ofsted: profile.ofsted))
                }
                work.placements += added
                let ids = added.map(\.id)
                let span = ids.count == 1 ? ids[0] : "\(ids[0])..\(ids[ids.count - 1])"
                effects.append(ChangeEffect(
                    change: change,
                    description: "added \(added.count) \(type.rawValue) home\(added.count == 1 ? "" : "s") (\(places) place\(places == 1 ? "" : "s")) in \(area.name), \(span), at \(pointsWhat); \(profile.source): \(profile.summary)",
                    addedPlacements: ids, placesBefore: 0, placesAfter: places))

            case .close(let id):
                if let i = work.placements.firstIndex(where: { $0.id == id }) {
                    let p = work.placements.remove(at: i)
                    work.exclusions.removeAll { $0.placementId == id }
                    closedBy[id] = change.summary
                    effects.append(ChangeEffect(change: change,
                                                description: "closed \(id) (\(p.type.rawValue), \(p.laCode), \(p.capacity) free place\(p.capacity == 1 ? "" : "s"))",
                                                removedPlacements: [id], placesBefore: p.capacity, placesAfter: 0))
                } else if let by = closedBy[id] {
                    effects.append(ChangeEffect(change: change, description: "\(id) was already closed (by \(by)): nothing to do"))
                } else {
                    issues.append(o.issue(field: nil, value: id, expected: "a placement_id of placements.csv (no placement \(id) in the market)"))
                }

            case .closeProvider(let provider):
                let closing = work.placements.filter { $0.providerId == provider }
                if closing.isEmpty {
                    if originalProviders.contains(provider) {
                        effects.append(ChangeEffect(change: change, description: "every placement of provider \(provider) was already closed: nothing to do"))
                    } else {
                        issues.append(o.issue(field: nil, value: provider, expected: "a provider_id of placements.csv (no placement has provider_id \(provider))"))
                    }
                    continue
                }
                let ids = Set(closing.map(\.id))
                work.placements.removeAll { ids.contains($0.id) }
                work.exclusions.removeAll { ids.contains($0.placementId) }
                for id in ids { closedBy[id] = change.summary }
                let places = closing.reduce(0) { $0 + $1.capacity }
                var types: [String] = []
                for t in PlacementType.allCases {
                    let c = closing.filter { $0.type == t }.count
                    if c > 0 { types.append("\(c) \(t.rawValue)") }
                }
                effects.append(ChangeEffect(change: change,
                                            description: "closed provider \(provider): \(closing.count) placement\(closing.count == 1 ? "" : "s") (\(types.joined(separator: ", "))), \(places) free place\(places == 1 ? "" : "s")",
                                            removedPlacements: closing.map(\.id), placesBefore: places, placesAfter: 0))

            case .scale(let type, let areaText, let factor):
                guard factor.isFinite, factor >= 0, factor <= Scenario.maxFactor else {
                    issues.append(o.issue(field: "factor", value: formatPolicyNumber(factor), expected: "a number from 0 to \(formatPolicyNumber(Scenario.maxFactor))")); continue
                }
                guard let area = ResolvedArea.resolve(areaText, in: market) else {
                    issues.append(o.issue(field: "area", value: areaText, expected: ResolvedArea.expected(in: market))); continue
                }
                let inArea = Set(area.laCodes)
                let homes = work.placements.indices.filter { work.placements[$0].type == type && inArea.contains(work.placements[$0].laCode) }
                let before = homes.map { work.placements[$0].capacity }
                let after = Self.scaled(before, by: factor)
                for (j, i) in homes.enumerated() { work.placements[i].capacity = after[j] }
                let b = before.reduce(0, +), a = after.reduce(0, +)
                effects.append(ChangeEffect(
                    change: change,
                    description: homes.isEmpty
                        ? "no \(type.rawValue) home in \(area.name): nothing to scale"
                        : "scaled \(type.rawValue) places in \(area.name) by \(formatPolicyNumber(factor)): \(b) -> \(a) free places over \(homes.count) home\(homes.count == 1 ? "" : "s")",
                    placesBefore: b, placesAfter: a))

            case .set(let key, let value):
                let old = work.policy.value(of: key)
                if let expected = work.policy.set(key, to: value) {
                    issues.append(o.issue(field: nil, value: "\(key)=\(value)", expected: expected)); continue
                }
                effects.append(ChangeEffect(change: change, description: "policy \(key): \(old.map(\.description) ?? "?") -> \(value)"))
            }
        }
        guard issues.isEmpty else { throw ScenarioError(issues: issues) }
        return AppliedScenario(scenario: self, market: work, effects: effects)
    }

    /// Capacities multiplied by `factor`: the total is rounded half away from zero and handed out
    /// by largest remainder (each home keeps the whole part of its scaled capacity; the places left
    /// go to the largest fractional parts, ties to the earlier home).
    public static func scaled(_ capacities: [Int], by factor: Double) -> [Int] {
        let exact = capacities.map { Double($0) * factor }
        let target = Int((Double(capacities.reduce(0, +)) * factor).rounded(.toNearestOrAwayFromZero))
        var out = exact.map { Int($0.rounded(.down)) }
        var left = target - out.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            let fa = exact[a] - exact[a].rounded(.down), fb = exact[b] - exact[b].rounded(.down)
            return fa != fb ? fa > fb : a < b
        }
        var k = 0
        while left > 0, !order.isEmpty {
            out[order[k % order.count]] += 1
            left -= 1; k += 1
        }
        return out
    }
}
