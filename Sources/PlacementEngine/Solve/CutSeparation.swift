// Separating the placements' own cuts (Model/PlacementCuts.swift) from LP solutions: after column
// generation over the components' LPs, and at the nodes of an integer program's search.

import Foundation

extension MatchingModel {
    /// The model's columns grouped by placement (increasing placement, columns in model order).
    var columnsByPlacement: [(placement: Int, columns: [Int])] {
        var by: [Int: [Int]] = [:]
        for (j, o) in options.enumerated() { by[Int(o.placement), default: []].append(j) }
        return by.keys.sorted().map { ($0, by[$0]!) }
    }

    /// Violated cuts for the column values `x`, one at most per placement whose options there take
    /// fractional values; each as (placement, option keys, coefficients).
    func separateCuts(_ x: [Double], index: MarketIndex, backend: any MIPBackend,
                      groups: [(placement: Int, columns: [Int])]? = nil) -> [(placement: Int, keys: [UInt64], coefficients: [Double])] {
        guard x.count == options.count else { return [] }
        var found: [(placement: Int, keys: [UInt64], coefficients: [Double])] = []
        for (p, columns) in groups ?? columnsByPlacement {
            guard columns.contains(where: { x[$0] > 1e-6 && x[$0] < 1 - 1e-6 }) else { continue }
            let opts = columns.map { options[$0] }
            guard let alpha = PlacementCuts.separate(index: index, options: opts, values: columns.map { x[$0] },
                                                     backend: backend) else { continue }
            var keys: [UInt64] = [], coefficients: [Double] = []
            for (k, a) in alpha.enumerated() where a > 0 { keys.append(opts[k].key); coefficients.append(a) }
            found.append((p, keys, coefficients))
        }
        return found
    }

    /// A separator for the backend (LP cut rounds, branch and bound): the same cuts, as rows of
    /// this model.
    func cutSeparator(index: MarketIndex, backend: any MIPBackend) -> @Sendable ([Double]) -> [MIPRow] {
        let groups = columnsByPlacement
        var column: [UInt64: Int] = [:]
        for (j, o) in options.enumerated() { column[o.key] = j }
        let model = self
        return { [column] x in
            model.separateCuts(x, index: index, backend: backend, groups: groups).map { cut in
                let entries = zip(cut.keys, cut.coefficients).map { (column: column[$0]!, coef: $1) }.sorted { $0.column < $1.column }
                return MIPRow(name: "node_cut", upper: 1, entries: entries)
            }
        }
    }
}

extension MatchingModel {
    /// This model with `cuts` (rows over its columns, each from one placement, as the backend
    /// added them) appended, with their pool serial numbers as identities.
    func appending(cuts: [MIPRow], serials: [Int], index: MarketIndex) -> MatchingModel {
        var copy = self
        for (row, serial) in zip(cuts, serials) {
            let p = Int(options[row.entries[0].column].placement)
            copy.model.rows.append(MIPRow(name: "cut_\(MatchingModel.lpName(index.market.placements[p].id))_\(serial + 1)",
                                          upper: row.upper, entries: row.entries))
            copy.rowKinds.append(.cut(placement: p))
            copy.rowIDs.append(.cut(serial: serial))
        }
        return copy
    }
}
