// A stream of new referrals for the simulation (issue 14): a night's arriving children drawn with
// exactly the generator's mix (age bands, sibling groups, needs, risks, the type the care plan looks
// for, urgency, kinship carers that came forward), from the same code as `MarketGenerator`'s
// children, without drawing any home of the stock. Each batch is seeded on its own, so a night's
// arrivals do not depend on what happened on earlier nights.

import PlacementEngine

/// One night's new referrals: the children, and the kinship carers approved for them.
public struct ReferralBatch: Sendable {
    public var children: [Child]
    /// Kinship carers (type kinship, `forChildren` naming the child or its sibling group).
    public var kinshipCarers: [Placement]
}

/// Draws batches of new referrals in one region (or England) with the generator's mix.
public struct ReferralGenerator: Sendable {
    private let template: MarketBuild

    /// `region`: one RCC (ONS region name), or `nil` for England. Children come from the region's
    /// LAs in proportion to children looked after (31 March 2024), as in the generator.
    public init(england: EnglandData, region: String?) throws(GeneratorError) {
        let g = try MarketGenerator(MarketGenerator.Configuration(seed: 1, preset: .nightly, region: region), england: england)
        template = MarketBuild(generator: g)
    }

    /// `count` children (sibling groups of 2-5 making about 30% of a batch, as in the generator), with
    /// ids `<prefix>C0001`, groups `<prefix>SG001` and kinship carers `<prefix>K0001`. Pure: the same
    /// seed and count give the same batch.
    public func batch(count: Int, seed: UInt64, idPrefix: String) -> ReferralBatch {
        guard count > 0 else { return ReferralBatch(children: [], kinshipCarers: []) }
        var b = template
        b.seed = seed
        b.scale.children = count
        b.makeChildren()
        b.makeKinshipCarers()
        b.makeExclusionsAndNotWith()   // only the not_with pairs: no home of the stock is drawn
        return b.referrals(idPrefix: idPrefix)
    }
}

extension MarketBuild {
    /// The drawn children and kinship carers with the simulation's ids (in the order drawn).
    func referrals(idPrefix: String) -> ReferralBatch {
        let width = max(4, String(kids.count).count)
        let childId = kids.indices.map { paddedId(idPrefix + "C", $0 + 1, width: width) }
        var groupId = [String?](repeating: nil, count: units.count)
        var nextGroup = 1
        for u in units.indices where units[u].members.count > 1 {
            groupId[u] = paddedId(idPrefix + "SG", nextGroup, width: 3)
            nextGroup += 1
        }
        let children = kids.indices.map { k -> Child in
            let d = kids[k], u = units[d.unit]
            return Child(
                id: childId[k], laCode: e.localAuthorities[u.la].code, location: u.point, locationGiven: true,
                age: d.age, sex: d.sex, neededBy: u.urgency, siblingGroup: groupId[d.unit], suitability: d.suitability,
                alongside: d.alongside, pets: d.pets, needs: d.needs, risks: d.risks, behaviour: d.behaviour,
                priorPlacements: d.prior, maxDistanceKm: d.maxKm, notWith: d.notWith.map { childId[$0] }.sorted())
        }
        var carers: [Placement] = []
        for h in homes.indices {
            guard let u = homes[h].forUnit else { continue }
            var p = homes[h].placement
            p.id = paddedId(idPrefix + "K", carers.count + 1, width: width)
            p.providerId = p.id
            p.forChildren = groupId[u].map { [$0] } ?? units[u].members.map { childId[$0] }
            carers.append(p)
        }
        return ReferralBatch(children: children, kinshipCarers: carers)
    }
}
