// Stage 3: a first plan, whose cost against the LP bound decides how many options the proof
// (stage 4) must look at, so it has to be close to the optimum, and found fast.
//
// Per component of the last column-generation LP (with its cuts), the LP is dived to a plan
// (PrimalHeuristics.dive), or its options taken greedily in LP order where the dive finds nothing
// better; that plan starts GLPK's search over the candidates' program (to a loose gap, under a
// node limit: this stage only proposes, the proof decides).
//
// Measured on ../shared/stress and generated stress markets (release, 1 thread, 2026-11-30; the
// switch PLACEMENT_FIRSTPLAN): the dive alone, without the search, left plans up to 0.05% above
// the optimum, and the proof then needed 5-10 times as many options (s2-300: 15 s instead of 2 s);
// the search from the greedy start alone took 24-30 s on s4-600 and stress-250-s2, 9-17 s from the
// dive; a search restricted to the LP's support found nothing better than the dive.
//
// Without an LP (none finished, or a component too large to dive), the search starts from the
// greedy plan; a component with more candidates than `fixWholeAbove` has every option the LP took
// whole fixed in it (relax-and-fix).

import Foundation

extension MatchSolver {
    /// How the first plan is found (experiment switch PLACEMENT_FIRSTPLAN): `both` (the dive as
    /// the start of the candidates' program), `dive` (the dive alone), `mip` (no dive).
    static let firstPlanMode = ProcessInfo.processInfo.environment["PLACEMENT_FIRSTPLAN"] ?? "both"

    /// The first plan: `state.chosen` (option keys) and its objective for the whole market.
    func firstPlan(_ state: inout SolveState) {
        let began = DispatchTime.now().uptimeNanoseconds
        if options.timeLimit != nil, state.preferred.isEmpty, !state.pool.isEmpty {
            // Under a time limit, the transportation core's assignment joins the candidates and
            // leads the greedy start, as when no LP finished (ColumnGeneration.swift): a plan
            // as good as the short limits' is then there whatever the LPs reached (16,000
            // children: 3.67 M at 0.1-2 s, but 4.21 M at 5 s, when the LPs ran and the core did not).
            let core = transportCore(&state)
            for o in LagrangianBound.coreOptions(core.placementOf, arcs: arcs, regroup: true) {
                state.pool[o.key] = o
                state.preferred.insert(o.key)
            }
            // Its prices are multipliers too: the Lagrangian bound at them (no steps) holds for the
            // whole market, where an LP the time limit stopped proves less (16,000 children at 5 s:
            // 2.68 M from the LP, 3.45 M from the core's prices).
            let lagrange = LagrangianBound.maximise(arcs: arcs, iterations: 0, threads: options.threads, deadline: nil, start: core.prices)
            state.lowerBound = max(state.lowerBound, lagrange.bound)
        }
        let first = firstPlan(lastLPs: state.lastLPs, pool: state.pool, warm: state.warm, cuts: state.cuts.cuts, deadline: state.deadline,
                              preferred: state.preferred)
        (state.chosen, state.firstPlanObjective) = (first.chosen, first.objective)
        if let why = first.failure { state.backendFailure = state.backendFailure ?? "the first plan's integer program failed: " + why }
        state.stats.firstPlanSeconds = secondsSince(began)
    }

    private func firstPlan(lastLPs: [(MatchingModel, LPSolution)], pool: [UInt64: MatchOption], warm: WarmBasis,
                           cuts: [PlacementCut], deadline: UInt64?, preferred: Set<UInt64>) -> (chosen: [UInt64: Bool], objective: Double, failure: String?) {
        let index = self.index, options = self.options, mode = Self.firstPlanMode
        let began = DispatchTime.now().uptimeNanoseconds
        let dives: [[Bool]?] = Parallel.map(lastLPs.count, threads: options.threads, order: Array(lastLPs.indices)) { k in
            let (mm, lp) = lastLPs[k]
            guard mode != "mip", mm.options.count <= options.fixWholeAbove else { return nil }
            return options.backend.withLPSession(mm.model, warmStart: lp.basis, timeLimit: Self.seconds(until: deadline)) { session in
                PrimalHeuristics.dive(mm.model, lp: session, separator: mm.cutSeparator(index: index, backend: options.backend),
                                      deadline: deadline, logger: options.logger)
            } ?? nil
        }
        options.logger.debug("first plan: dives done t \(secondsSince(began))")
        var chosen: [UInt64: Bool] = [:]
        for ((mm, lp), dive) in zip(lastLPs, dives) {
            let order = mm.model.columns.indices.sorted {
                let a = lp.columnValues.indices.contains($0) ? lp.columnValues[$0] : 0
                let b = lp.columnValues.indices.contains($1) ? lp.columnValues[$1] : 0
                return (-a, mm.model.columns[$0].cost, $0) < (-b, mm.model.columns[$1].cost, $1)
            }
            var plan = PrimalHeuristics.greedy(mm.model, order: order)
            if let dive, mm.model.objective(dive) < mm.model.objective(plan) { plan = dive }
            for (j, on) in plan.enumerated() where on { chosen[mm.options[j].key] = true }
        }

        if mode == "dive", !dives.isEmpty, dives.allSatisfy({ $0 != nil }) {
            let objective = pool.values.reduce(Self.unplacedCost(index, [])) { total, o in
                chosen[o.key] == true ? total + o.cost - o.members(index).reduce(0.0) { $0 + index.unmatchedCost($1) } : total
            }
            return (chosen, objective, nil)
        }

        // The candidates' own program, from the plans above.
        var whole = Set<UInt64>()
        for (mm, lp) in lastLPs where mm.options.count > options.fixWholeAbove && lp.columnValues.count == mm.options.count {
            for (j, v) in lp.columnValues.enumerated() where v > 1 - 1e-6 { whole.insert(mm.options[j].key) }
        }
        let poolComponents = Self.components(of: Array(pool.values), index: index)
        let solved = solveMIPs(poolComponents, starts: poolComponents.map { _ in chosen }, warm: warm, cuts: cuts, fixed: whole, preferred: preferred,
                               deadline: deadline, relativeGap: max(options.relativeGap, 1e-5),
                               nodeLimit: options.firstPlanNodes, stage: "first plan")
        let plan = Self.plan(solved, unplacedCost: Self.unplacedCost(index, poolComponents.map(\.children)))
        return (plan.chosen, plan.objective, solved.lazy.compactMap(\.1.status.failure).first)
    }

    /// The options the solved programs chose, and the plan's objective for the whole market.
    static func plan(_ solved: [(MatchingModel, MIPSolution)], unplacedCost: Double) -> (chosen: [UInt64: Bool], objective: Double) {
        var chosen: [UInt64: Bool] = [:]
        for (mm, sol) in solved { for (j, on) in sol.values.enumerated() where on { chosen[mm.options[j].key] = true } }
        return (chosen, total(solved, unplacedCost: unplacedCost))
    }
}
