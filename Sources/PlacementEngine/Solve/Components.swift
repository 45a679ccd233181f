// Independent sub-problems: options linked through a shared child or placement, solved apart
// (and concurrently), and the sums that put their answers back together.

import Foundation

extension MatchSolver {
    struct Component: Sendable {
        var children: [Int]
        var options: [MatchOption]
        var keys: [UInt64]
    }

    /// Independent sub-problems: options linked through a shared child or placement.
    static func components(of options: [MatchOption], index: MarketIndex) -> [Component] {
        let C = index.childCount
        var parent = Array(0..<(C + index.placementCount))
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { if ra < rb { parent[rb] = ra } else { parent[ra] = rb } }
        }
        for o in options {
            let p = C + Int(o.placement)
            for c in o.members(index) { union(c, p) }
        }
        var byRoot: [Int: Int] = [:]
        var comps: [Component] = []
        let sorted = options.sorted { $0.key < $1.key }
        var childSeen = Set<Int>()
        for o in sorted {
            let r = find(C + Int(o.placement))
            let k: Int
            if let existing = byRoot[r] { k = existing } else {
                k = comps.count; byRoot[r] = k; comps.append(Component(children: [], options: [], keys: []))
            }
            comps[k].options.append(o)
            comps[k].keys.append(o.key)
            for c in o.members(index) where childSeen.insert(c).inserted { comps[k].children.append(c) }
        }
        for k in comps.indices { comps[k].children.sort() }
        // Deterministic order: by first child.
        comps.sort { ($0.children.first ?? Int.max) < ($1.children.first ?? Int.max) }
        return comps
    }

    static func largestFirst(_ components: [Component]) -> [Int] {
        components.indices.sorted { (components[$0].options.count, $1) > (components[$1].options.count, $0) }
    }

    /// Unmatched cost of children no candidate option names (they stay unmatched in any case).
    static func unplacedCost(_ index: MarketIndex, _ childrenLists: [[Int]]) -> Double {
        var inSome = [Bool](repeating: false, count: index.childCount)
        for list in childrenLists { for c in list { inSome[c] = true } }
        var total = 0.0
        for c in 0..<index.childCount where !inSome[c] { total += index.unmatchedCost(c) }
        return total
    }

    static func total(_ solved: [(MatchingModel, MIPSolution)], unplacedCost: Double) -> Double {
        solved.reduce(unplacedCost) { $0 + $1.1.objective }
    }
    static func totalBound(_ solved: [(MatchingModel, MIPSolution)], unplacedCost: Double) -> Double {
        solved.reduce(unplacedCost) { $0 + $1.1.bound }
    }
}
