// Ids resolved to indices, once, for the pipeline (eligibility, arcs, model, plan, outputs).

/// Thrown when a market built in code refers to something that does not exist. Markets loaded from
/// files never get here: `MarketLoader` reports such problems with file, line and column.
public struct MarketConsistencyError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

public struct MarketIndex: Sendable {
    public let market: Market
    public let childIndex: [String: Int]
    public let placementIndex: [String: Int]
    /// RCC names, sorted; `childRcc[c]` and `placementRcc[p]` index into it.
    public let rccNames: [String]
    public let childRcc: [Int32]
    public let placementRcc: [Int32]
    /// Sibling groups of two or more children (children in market order; groups ordered by first member).
    public let groups: [[Int]]
    /// For each child, its group's index in `groups`, or -1.
    public let groupOf: [Int32]
    /// `not_with`, made symmetric and sorted.
    public let notWith: [[Int]]
    /// For each kinship placement, the children its `for_children` names (directly or by group), sorted.
    public let kinshipChildren: [Int: [Int]]
    /// For each child, the placements `exclusions.csv` rules out, sorted.
    public let excludedPlacements: [[Int]]
    /// For each child, the distance limit in km (its own, else the policy's).
    public let maxDistanceKm: [Double]
    /// Plain per-child and per-placement facts the solver's inner loops read.
    public let childIsSolo: [Bool]
    public let groupHasSolo: [Bool]
    public let placementCapacity: [Int]
    /// The history's cost adjustments (`NightHistory.swift`); empty without history.
    public let historyCosts: HistoryCosts

    public var childCount: Int { market.children.count }
    public var placementCount: Int { market.placements.count }
    public var policy: Policy { market.policy }

    public init(_ market: Market) throws(MarketConsistencyError) {
        self.market = market
        var laRcc: [String: String] = [:]
        for la in market.localAuthorities { laRcc[la.code] = la.rcc }
        let names = Array(Set(laRcc.values)).sorted()
        rccNames = names
        let rccIdx = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, Int32($0.offset)) })

        var ci: [String: Int] = [:]
        ci.reserveCapacity(market.children.count)
        var cr: [Int32] = []
        cr.reserveCapacity(market.children.count)
        for (i, c) in market.children.enumerated() {
            guard ci.updateValue(i, forKey: c.id) == nil else { throw .init(description: "duplicate child id \(c.id)") }
            guard let r = laRcc[c.laCode] else { throw .init(description: "child \(c.id): unknown LA \(c.laCode)") }
            cr.append(rccIdx[r]!)
        }
        var pi: [String: Int] = [:]
        pi.reserveCapacity(market.placements.count)
        var pr: [Int32] = []
        pr.reserveCapacity(market.placements.count)
        for (i, p) in market.placements.enumerated() {
            guard pi.updateValue(i, forKey: p.id) == nil else { throw .init(description: "duplicate placement id \(p.id)") }
            guard let r = laRcc[p.laCode] else { throw .init(description: "placement \(p.id): unknown LA \(p.laCode)") }
            pr.append(rccIdx[r]!)
        }
        childIndex = ci; placementIndex = pi; childRcc = cr; placementRcc = pr

        // Sibling groups: children sharing a `sibling_group` value; a group of one is no group.
        var byGroup: [String: [Int]] = [:]
        var order: [String] = []
        for (i, c) in market.children.enumerated() {
            guard let g = c.siblingGroup else { continue }
            if byGroup[g] == nil { order.append(g) }
            byGroup[g, default: []].append(i)
        }
        var gs: [[Int]] = []
        var gof = [Int32](repeating: -1, count: market.children.count)
        for g in order {
            let members = byGroup[g]!
            guard members.count >= 2 else { continue }
            for m in members { gof[m] = Int32(gs.count) }
            gs.append(members)
        }
        groups = gs; groupOf = gof

        var nw = [[Int]](repeating: [], count: market.children.count)
        for (i, c) in market.children.enumerated() {
            for other in c.notWith {
                guard let j = ci[other], j != i else {
                    throw .init(description: "child \(c.id): not_with names \(other), which is no other child")
                }
                nw[i].append(j); nw[j].append(i)
            }
        }
        notWith = nw.map { Array(Set($0)).sorted() }

        var kin: [Int: [Int]] = [:]
        for (p, pl) in market.placements.enumerated() where pl.type == .kinship {
            var set = Set<Int>()
            for entry in pl.forChildren {
                var found = false
                if let c = ci[entry] { set.insert(c); found = true }
                if let members = byGroup[entry] { set.formUnion(members); found = true }
                guard found else { throw .init(description: "placement \(pl.id): for_children names \(entry), which is no child or sibling group") }
            }
            kin[p] = set.sorted()
        }
        kinshipChildren = kin

        var ex = [[Int]](repeating: [], count: market.children.count)
        for e in market.exclusions {
            guard let c = ci[e.childId], let p = pi[e.placementId] else {
                throw .init(description: "exclusion \(e.childId),\(e.placementId) names an unknown child or placement")
            }
            ex[c].append(p)
        }
        excludedPlacements = ex.map { Array(Set($0)).sorted() }
        maxDistanceKm = market.children.map { $0.maxDistanceKm ?? market.policy.maxDistanceKm }
        let solo = market.children.map { $0.alongside == .solo }
        childIsSolo = solo
        groupHasSolo = gs.map { $0.contains { solo[$0] } }
        placementCapacity = market.placements.map(\.capacity)
        historyCosts = HistoryCosts(market: market, childIndex: ci, placementIndex: pi)
    }

    public func rcc(ofChild c: Int) -> String { rccNames[Int(childRcc[c])] }
    public func rcc(ofPlacement p: Int) -> String { rccNames[Int(placementRcc[p])] }
    /// What leaving child `c` unmatched costs: the spec's penalty, plus the history's (nights
    /// waited, an outstanding proposal) when there is one.
    public func unmatchedCost(_ c: Int) -> Double {
        let cost = policy.unmatchedCost(market.children[c].neededBy)
        guard let extra = historyCosts.unmatchedCost(child: c) else { return cost }
        return cost + extra
    }
    public func isGroupMember(_ c: Int) -> Bool { groupOf[c] >= 0 }
}
