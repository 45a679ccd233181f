// Stages 4 and 5: the proof. An option with reduced cost d (for the last LPs' duals, whose bound is
// B) appears only in plans costing at least B + d, so only the options with B + d below the first
// plan can still improve it; their 0-1 program, per component, settles the optimum for the whole
// market, not only for the candidates.
//
// Half the accepted gap may be spent in the filter: an option whose best possible plan is within it
// of the first plan cannot improve the answer by more than the caller accepts. When the scan is cut
// short (deadline) or too many options pass (a wide gap between the first plan and the bound),
// there is no proof: the candidates' program is solved instead, and the answer says honestly what
// is proven (the LP bound), not more.

import Foundation

extension MatchSolver {
    /// What the proof's integer programs are over, and whether their answer proves the optimum.
    struct ProofSet {
        var options: [MatchOption]
        var proves: Bool
        /// The part of the accepted gap the filter spent.
        var tolerance: Double
    }

    /// Stage 4: the options that could still beat the first plan.
    func proofSet(_ state: inout SolveState) -> ProofSet {
        let incumbent = state.incumbent   // the pattern stage's plan when it is the better
        let tolerance = max(1e-9, 0.5 * options.relativeGap) * max(1, abs(incumbent))
        var set = ProofSet(options: Array(state.pool.values), proves: false, tolerance: tolerance)
        defer {
            options.progress?(MatchProgress(
                stage: "proof: first plan \(Fixed.cost(incumbent)), bound \(state.lowerBound.isFinite ? Fixed.cost(state.lowerBound) : "none"), "
                    + (set.proves ? "\(set.options.count) options could still improve it" : "no proof, the candidates' program instead"),
                done: 0, total: 1, incumbent: incumbent, bound: state.lowerBound.isFinite ? state.lowerBound : nil))
        }
        guard state.lowerBound.isFinite, !state.lpFailed, let dualBound = state.pricingBound else { return set }
        let slack = incumbent - dualBound - tolerance
        var reduced = state.pool.values.filter { (state.pricing.presentReduced[$0.key] ?? 0) < slack }
        let budget = options.proofOptionBudget ?? max(600_000, 4 * state.pool.count)   // about 1.7 KB an option in GLPK
        var complete = true
        if slack > 0 {
            let scan = state.pricing.scan(arcs: arcs, pool: state.pool, threshold: slack, perChildLimit: Int.max,
                                          threads: options.threads, deadline: state.deadline,
                                          additionLimit: max(0, budget - reduced.count))
            reduced += scan.additions
            complete = scan.complete   // cut short (deadline or past the budget): it proves nothing
            if !complete && state.pastDeadline { state.stoppedShortByTime = true }
        }
        state.stats.proofAdditions = reduced.count   // at least this many when the scan was cut short
        options.logger.debug("proof set: first plan \(incumbent) bound \(dualBound) slack \(slack): \(reduced.count) options\(complete ? "" : " (scan cut short)")")
        if complete && reduced.count <= budget {
            set.options = reduced
            set.proves = true
        } else {
            state.stats.proofSkipped = true
        }
        return set
    }

    /// Stage 5: the proof set's 0-1 programs, per component, concurrently, from the first plan.
    /// Past the deadline with no proof to make, the candidates' program would only be built to
    /// return its start: the first plan stands (building a national component's model alone took
    /// seconds).
    func proofPrograms(_ set: ProofSet, _ state: inout SolveState) -> [(MatchingModel, MIPSolution)] {
        let components = state.pastDeadline && !set.proves ? [] : Self.components(of: set.options, index: index)
        let solved = solveMIPs(components, starts: components.map { _ in state.chosen }, warm: state.warm, cuts: state.cuts.cuts,
                               deadline: state.deadline, relativeGap: options.relativeGap * 0.1, nodeLimit: options.proofNodes,
                               stage: "integer solve")
        if let why = solved.lazy.compactMap(\.1.status.failure).first {
            state.backendFailure = state.backendFailure ?? "the proof's integer program failed: " + why
        }
        if options.proofNodes == nil, solved.contains(where: { $0.1.status == .timeLimit }) {
            state.stoppedShortByTime = true   // with no node limit, only the deadline stops these searches
        }
        for (mm, sol) in solved {
            state.stats.columns += mm.model.columns.count
            state.stats.rows += mm.model.rows.count
            state.stats.nonZeros += mm.model.nonZeros
            state.stats.branchNodes += sol.nodes
        }
        state.stats.components = components.count
        state.stats.largestComponentChildren = components.map(\.children.count).max() ?? 0
        return solved
    }
}
