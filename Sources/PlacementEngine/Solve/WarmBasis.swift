// Warm starts across the solve's similar LPs (column generation's rounds, the integer programs'
// roots): the last bases by option and row identity, and the clique covers that keep rows alive.

import Foundation

extension MatchSolver {
    /// The last LPs' bases by identity (option keys, row identities) and their clique covers, to
    /// build and start the next, similar LPs from: column generation's rounds and the integer
    /// programs' root relaxations. Kept covers keep the rows, so the old basis stays a basis: options
    /// new since then start non-basic, rows new since then basic (their slack).
    struct WarmBasis: Sendable {
        var basicOptions = Set<UInt64>()
        var tightRows = Set<RowID>()
        var cliques = CliqueMemory()
        init() {}
        init(_ solved: [(MatchingModel, LPSolution)]) {
            for (mm, lp) in solved {
                for (p, c) in mm.cliques.conflict { cliques.conflict[p] = c }
                for (g, byPlacement) in mm.cliques.siblings { cliques.siblings[g] = byPlacement }
                guard let b = lp.basis else { continue }
                for (j, on) in b.columnBasic.enumerated() where on { basicOptions.insert(mm.options[j].key) }
                for (i, on) in b.rowBasic.enumerated() where !on { tightRows.insert(mm.rowIDs[i]) }
            }
        }
        func basis(for mm: MatchingModel) -> LPBasis? {
            guard !basicOptions.isEmpty else { return nil }
            return LPBasis(columnBasic: mm.options.map { basicOptions.contains($0.key) },
                           rowBasic: mm.rowIDs.map { !tightRows.contains($0) })
        }
    }
}
