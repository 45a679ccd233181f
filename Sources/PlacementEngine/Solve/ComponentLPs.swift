// The components' LP relaxations, concurrently (each wholly on one thread), with the placements'
// cuts: used by column generation's rounds and by the proof's refresh.

import Foundation

extension MatchSolver {
    /// Components from this many children on get a debug line per LP.
    static let loggedComponentChildren = 200

    /// Each component's LP from the warm basis, with the pool's cuts as rows and (`separate`) up to
    /// `cutRounds` rounds of new ones. The cuts each LP found join the pool (kept for later LPs and
    /// the integer programs) and its model, so that duals and basis line up with rows.
    func solveLPs(_ components: [Component], warm: WarmBasis, cuts: inout CutPool, separate: Bool,
                  cutRounds: Int, deadline: UInt64?) -> [(MatchingModel, LPSolution)] {
        let index = self.index, options = self.options
        let solved = Parallel.map(components.count, threads: options.threads, order: Self.largestFirst(components)) { [cuts] k in
            let mm = MatchingModel(index: index, options: components[k].options, children: components[k].children,
                                   name: "component_\(k + 1)", keep: warm.cliques, cuts: cuts.cuts)
            let limit = Self.seconds(until: deadline).map { max(0.001, $0) }
            let began = DispatchTime.now().uptimeNanoseconds
            let lp = options.backend.solveLP(mm.model, warmStart: warm.basis(for: mm), timeLimit: limit,
                                             separator: separate ? mm.cutSeparator(index: index, backend: options.backend) : nil,
                                             cutRounds: cutRounds)
            if mm.children.count >= Self.loggedComponentChildren {
                options.logger.debug("\(mm.model.name) LP \(mm.children.count) children \(mm.options.count) options \(mm.model.rows.count) rows +\(lp.cutRows.count) cuts: \(lp.status) \(lp.objective) t \(secondsSince(began))")
            }
            return (mm, lp)
        }
        return solved.map { mm, lp -> (MatchingModel, LPSolution) in
            guard !lp.cutRows.isEmpty else { return (mm, lp) }
            var serials: [Int] = []
            for row in lp.cutRows {
                let keys = row.entries.map { mm.options[$0.column].key }
                serials.append(cuts.add(placement: Int(mm.options[row.entries[0].column].placement), keys: keys,
                                        coefficients: row.entries.map(\.coef)))
            }
            return (mm.appending(cuts: lp.cutRows, serials: serials, index: index), lp)
        }
    }
}
