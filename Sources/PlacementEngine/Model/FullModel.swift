// The whole market's integer program: every eligible option that could beat leaving its children
// unmatched. It is what `export-model` writes for other solvers; the engine itself never solves
// it in one piece (see MatchSolver).

public enum FullModel {
    public static func build(arcs: ArcTable) -> MatchingModel {
        let index = arcs.index
        var options: [MatchOption] = []
        for c in 0..<index.childCount {
            let limit = index.unmatchedCost(c)
            for a in arcs.arcs(child: c, below: limit) {
                options.append(.own(child: c, placement: Int(a.placement), cost: a.cost))
            }
        }
        for g in index.groups.indices {
            let limit = index.groups[g].reduce(0.0) { $0 + index.unmatchedCost($1) }
            for a in arcs.allArcs(group: g) where a.cost < limit {
                options.append(.together(group: g, placement: Int(a.placement), cost: a.cost))
            }
        }
        return MatchingModel(index: index, options: options, children: Array(0..<index.childCount), name: "placement_market")
    }
}
