// The integer stages' programs: each component's 0-1 program solved by the backend, concurrently
// (each wholly on one thread), from a verified start, with the placements' cuts at its nodes.

import Foundation

extension MatchSolver {
    /// The 0-1 program of each component, concurrently, each wholly on one thread. `starts` holds,
    /// per component, options known to form a feasible plan (else the greedy plan is the start).
    /// `preferred`: options the greedy start takes first (then the rest, cheapest first).
    func solveMIPs(_ components: [Component], starts: [[UInt64: Bool]], warm: WarmBasis, cuts: [PlacementCut], fixed: Set<UInt64> = [],
                   preferred: Set<UInt64> = [],
                   deadline: UInt64?, relativeGap: Double,
                   nodeLimit: Int? = nil, stage: String) -> [(MatchingModel, MIPSolution)] {
        let done = Counter()
        let index = self.index, options = self.options
        return Parallel.map(components.count, threads: options.threads, order: Self.largestFirst(components)) { k in
            let comp = components[k]
            let mm = MatchingModel(index: index, options: comp.options, children: comp.children, name: "component_\(k + 1)",
                                   keep: warm.cliques, cuts: cuts)
            var mipOptions = MIPSolveOptions(relativeGap: relativeGap, timeLimit: Self.seconds(until: deadline).map { max(0.05, $0) })
            mipOptions.nodeLimit = nodeLimit
            mipOptions.warmStart = warm.basis(for: mm)
            mipOptions.separator = mm.cutSeparator(index: index, backend: options.backend)

            let start = mm.options.map { starts[k][$0.key] ?? false }
            // (Without preferred options, the greedy's own order: cheapest first.)
            let preferredFirst = preferred.isEmpty ? nil : mm.model.columns.indices.sorted {
                let (a, b) = (preferred.contains(mm.options[$0].key), preferred.contains(mm.options[$1].key))
                return a != b ? a : (mm.model.columns[$0].cost, $0) < (mm.model.columns[$1].cost, $1)
            }
            var greedy = PrimalHeuristics.greedy(mm.model, order: preferredFirst)
            if mm.options.count > options.fixWholeAbove {
                // A large component's start may be all it gets (GLPK may not finish its root):
                // make room for children the greedy left out by moving others (PrimalHeuristics.ejectionChains).
                greedy = PrimalHeuristics.ejectionChains(mm.model, from: greedy, owner: mm.ownerRows)
            }
            mipOptions.incumbent = start.contains(true) && mm.model.violatedRow(start) == nil
                && mm.model.objective(start) < mm.model.objective(greedy) ? start : greedy
            var solution: MIPSolution
            let began = DispatchTime.now().uptimeNanoseconds
            // The search's limit from now: building the model and its start took seconds at
            // national scale (the time limit overran by as much when counted from before them).
            mipOptions.timeLimit = Self.seconds(until: deadline).map { max(0.05, $0) }
            let fix = fixed.isEmpty ? nil : mm.options.map { fixed.contains($0.key) }
            if deadline.map({ DispatchTime.now().uptimeNanoseconds >= $0 }) == true {
                // Past the deadline GLPK is not called at all (its shortest limit, times thousands
                // of components, would overrun it): the verified start stands, with no bound.
                solution = MIPSolution(status: .timeLimit, objective: mm.model.objective(mipOptions.incumbent!),
                                       bound: -.infinity, values: mipOptions.incumbent!, nodes: 0)
            } else if let fix, fix.contains(true), let restricted = mm.model.fixing(fix) {
                // Relax-and-fix: GLPK sees only what the LP left fractional (and what it touches).
                var sub = mipOptions
                sub.warmStart = nil
                sub.incumbent = mipOptions.incumbent.flatMap { x in
                    zip(x, fix).allSatisfy({ !$1 || $0 }) ? restricted.columns.map { x[$0] } : nil
                } ?? PrimalHeuristics.greedy(restricted.model)
                let part = options.backend.solveMIP(restricted.model, options: sub)
                let values = part.values.count == restricted.columns.count ? restricted.expand(part.values) : mipOptions.incumbent!
                let x = mm.model.violatedRow(values) == nil ? values : mipOptions.incumbent!
                // Its bound holds for the restricted program only: none is claimed for this one.
                solution = MIPSolution(status: part.status, objective: mm.model.objective(x), bound: -.infinity, values: x, nodes: part.nodes)
            } else {
                solution = options.backend.solveMIP(mm.model, options: mipOptions)
            }
            // Never a plan dearer than the verified start (anytime: a longer run must not answer
            // worse). Relax-and-fix's program does not see the whole start when the LP's fixing
            // excludes it, and that fixing comes from an LP a time limit may have left far from
            // converged (16,000 children at 60 s: 4.74 M fixed against 3.67 M for the start).
            if solution.status.failure == nil, let start = mipOptions.incumbent,
               solution.values.count != start.count || mm.model.objective(start) < solution.objective {
                solution.values = start
                solution.objective = mm.model.objective(start)
            }
            if comp.children.count >= Self.loggedComponentChildren {
                options.logger.debug("\(mm.model.name) \(stage) \(comp.children.count) children \(mm.options.count) options\(fix?.contains(true) == true ? " (relax and fix)" : ""): \(solution.status) \(solution.objective) bound \(solution.bound) nodes \(solution.nodes) t \(secondsSince(began))")
            }
            options.progress?(MatchProgress(stage: "\(stage) (\(comp.children.count) children: \(solution.status), \(solution.nodes) nodes)", done: done.increment(), total: components.count,
                                            incumbent: nil, bound: nil))
            return (mm, solution)
        }
    }
}
