// Test support: a seeded stress market's whole 0-1 program (every arc of every child and group).

@testable import PlacementEngine
@testable import PlacementGenerator

enum StressModels {
    /// Every option of a stress market (all arcs of every child and group), and the model over them.
    static func fullModel(children: Int, seed: UInt64) throws -> (MarketIndex, MatchingModel) {
        let market = StressGenerator(.init(children: children, seed: seed)).generate()
        let index = try MarketIndex(market)
        let arcs = ArcTable(index: index, threads: 1)
        var options: [MatchOption] = []
        for c in 0..<index.childCount {
            for a in arcs.allArcs(child: c) { options.append(.own(child: c, placement: Int(a.placement), cost: a.cost)) }
        }
        for g in index.groups.indices {
            for a in arcs.allArcs(group: g) { options.append(.together(group: g, placement: Int(a.placement), cost: a.cost)) }
        }
        return (index, MatchingModel(index: index, options: options, children: Array(0..<index.childCount), name: "full"))
    }
}
