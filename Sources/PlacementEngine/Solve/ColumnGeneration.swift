// Stage 2: column generation on the LP relaxation, with the placements' cuts.
//
// The LP over the candidates is solved per independent component (concurrently, each wholly on one
// thread); every option left out is priced with the duals, and those with negative reduced cost
// join, until none is left. The duals give a lower bound valid for the whole market (a Lagrangian
// bound: it stays valid if we stop early). The cuts (Model/PlacementCuts.swift) start in the first
// round with a few rounds per LP, and run to the end once pricing brings in no more than a
// handful of options.
//
// Under a time limit it stops at its own deadline, which leaves the integer stages their share:
// an LP past it is given up (GLPK's tm_lim) and the previous round's duals and bound stand; a scan
// past it is cut short and gives no bound (its options still join the candidates). When no LP
// finished at all, a Lagrangian bound on the capacity rows stands in (LagrangianBound.swift).

import Foundation

extension MatchSolver {
    /// Cut rounds per LP while column generation still adds options (experiment switch
    /// PLACEMENT_CG_CUT_ROUNDS). Measured on s3-600: cutting every round's LP to the end took 37 s
    /// of column generation, 10 rounds each 12-15 s.
    static let cutRoundsWhilePricing = Int(ProcessInfo.processInfo.environment["PLACEMENT_CG_CUT_ROUNDS"] ?? "") ?? 10
    /// A pricing round that adds at most this many options (or 0.2% of the candidates) is the
    /// tail of column generation: the cut rounds run to the end from then on.
    static let fewAdditions = 8
    /// Pricing rounds at most.
    static let maxPricingRounds = 200

    /// The share of the time limit column generation may use; the first plan, the proof and the
    /// final integer programs get the rest (their own limits stop them at the overall deadline).
    static let columnGenerationShare = 0.5

    /// Subgradient steps of the Lagrangian bound when no LP finished (a count, so that the bound
    /// and the options it brings in do not depend on machine load: national takes about 7 s on
    /// two cores), and the share of the time limit by which they stop regardless (a safety net for
    /// slow machines; the rest is for the integer stages).
    static let lagrangianIterations = 200
    static let lagrangianShareEnd = 0.65
    /// Options per child (and group) the Lagrangian prices bring in: room for the first plan's
    /// greedy to move a child on when its favourite homes are taken.
    static let lagrangianOptionsPerUnit = 6
    /// Start the subgradient steps from the transportation core's prices (experiment switch
    /// PLACEMENT_LAGRANGE_START=zero for zero prices).
    static let lagrangianFromTransport = ProcessInfo.processInfo.environment["PLACEMENT_LAGRANGE_START"] != "zero"

    func columnGeneration(_ state: inout SolveState) {
        let cgDeadline: UInt64? = options.timeLimit.map {
            state.start + UInt64(max(0, $0) * Self.columnGenerationShare * 1e9)
        }
        // PLACEMENT_CUTS_LATE (experiment): cuts only once column generation has converged without.
        var separate = ProcessInfo.processInfo.environment["PLACEMENT_CUTS_LATE"] == nil
        // While pricing still brings options in, an LP gets a few cut rounds only (the next
        // round's LP starts from its cuts anyway, and new options undo much of what more rounds
        // would gain); once it brings none, the cuts run to the end.
        var fullCuts = false
        if options.timeLimit != nil, let largest = Self.components(of: Array(state.pool.values), index: index).map(\.children.count).max(),
           largest > options.simplexChildrenLimit {
            // Its first LP would not finish within the share (national: 42,268 children, no LP in
            // 30 s): the Lagrangian bound from the transportation core's prices stands in at once.
            options.logger.info("column generation skipped: a component of \(largest) children (more than \(options.simplexChildrenLimit)) under a time limit")
            state.stoppedShortByTime = true
            state.lpFailed = true
            lagrangianFallback(&state)
            state.stats.lpBound = state.lowerBound
            return
        }
        while true {
            state.stats.pricingRounds += 1
            let components = Self.components(of: Array(state.pool.values), index: index)
            options.progress?(MatchProgress(
                stage: "pricing round \(state.stats.pricingRounds): \(state.pool.count) options, largest component \(components.map(\.children.count).max() ?? 0) children",
                done: 0, total: components.count, incumbent: nil, bound: state.lowerBound.isFinite ? state.lowerBound : nil))
            var t0 = DispatchTime.now().uptimeNanoseconds
            let lps = solveLPs(components, warm: state.warm, cuts: &state.cuts, separate: separate,
                               cutRounds: fullCuts ? GLPKBackend.maxCutRounds : Self.cutRoundsWhilePricing, deadline: cgDeadline)
            state.stats.lpSeconds += secondsSince(t0)
            if lps.contains(where: { $0.1.status == .timeLimit }) {
                state.stoppedShortByTime = true
                if !state.lastLPs.isEmpty { break }   // out of time: the previous round's LPs, duals and bound stand
            }
            state.lastLPs = lps
            state.warm = WarmBasis(lps)
            state.lpFailed = lps.contains { $0.1.status != .optimal }
            if let why = lps.lazy.compactMap(\.1.status.failure).first { state.backendFailure = "an LP relaxation failed: " + why }
            if state.lpFailed { break }   // no duals: the integer stage answers without a market-wide proof
            state.pricing = Pricing(index: index)
            for (mm, lp) in lps { state.pricing.absorb(model: mm, lp: lp, index: index) }
            t0 = DispatchTime.now().uptimeNanoseconds
            let scan = state.pricing.scan(arcs: arcs, pool: state.pool, threshold: 0, perChildLimit: options.optionsPerRound,
                                          threads: options.threads, deadline: cgDeadline)
            state.stats.pricingSeconds += secondsSince(t0)
            if !scan.complete { state.stoppedShortByTime = true }   // (only a deadline cuts this scan short)
            if let negativeTerm = scan.negativeTerm {
                let bound = state.totalUnmatched + state.pricing.rowTerm + negativeTerm
                state.pricingBound = bound
                state.lowerBound = max(state.lowerBound, bound)
            } else {
                state.pricingBound = nil
            }
            // Converged: no option prices out, or (the tail) the candidates' LP is within a quarter
            // of the accepted gap of a bound valid for the whole market, so more rounds cannot
            // change what the proof can show by more than that (the proof runs on these duals
            // either way, and stays valid). Then the cuts run to the end, once.
            let lpValue = lps.reduce(Self.unplacedCost(index, components.map(\.children))) { $0 + $1.1.objective }
            options.logger.debug("column generation round \(state.stats.pricingRounds): \(state.pool.count) options, largest component \(components.map(\.children.count).max() ?? 0) children, lp \(lpValue) bound \(state.lowerBound) adds \(scan.additions.count)\(scan.complete ? "" : " (scan cut short)") t \(secondsSince(state.start)) lp \(state.stats.lpSeconds) pricing \(state.stats.pricingSeconds)")
            if (scan.complete && scan.additions.isEmpty)
                || lpValue - state.lowerBound <= 0.25 * options.relativeGap * max(1, abs(lpValue)) {
                if separate && (fullCuts || lps.allSatisfy({ $0.1.cutsConverged })) { break }
                if separate { fullCuts = true } else { separate = true }
            } else if separate, scan.complete, scan.additions.count <= max(Self.fewAdditions, state.pool.count / 500) {
                // The tail: pricing brings in a handful of options a round while the cuts do the
                // bound's work; a few cut rounds per LP would stretch them over many LP solves.
                fullCuts = true
            }
            for o in scan.additions { state.pool[o.key] = o }
            if let d = cgDeadline, DispatchTime.now().uptimeNanoseconds >= d { state.stoppedShortByTime = true; break }
            if state.stats.pricingRounds >= Self.maxPricingRounds { break }
        }
        if !state.lowerBound.isFinite { lagrangianFallback(&state) }
        state.stats.lpBound = state.lowerBound
    }

    /// No LP finished (the largest component's LP outlasted its share of the time limit): the
    /// Lagrangian bound on the capacity rows, valid for the whole market, stands in, and the options
    /// its best prices favour join the candidates (the integer stages cannot count on an LP to
    /// bring them in, and one option per child leaves most unplaced). Its duals are not the
    /// pricing's, so no reduced-cost proof is made from them (`pricingBound` stays nil).
    private func lagrangianFallback(_ state: inout SolveState) {
        let lagrangeDeadline: UInt64? = options.timeLimit.map {
            state.start + UInt64(max(0, $0) * Self.lagrangianShareEnd * 1e9)
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let core = Self.lagrangianFromTransport ? transportCore(&state) : nil
        options.logger.debug("lagrangian start: transport core \(core == nil ? "off" : "solved") t \(secondsSince(t0))")
        let lagrange = LagrangianBound.maximise(arcs: arcs, iterations: Self.lagrangianIterations,
                                                threads: options.threads, deadline: lagrangeDeadline, start: core?.prices)
        options.logger.debug("lagrangian bound \(lagrange.bound) after \(lagrange.iterations) steps t \(secondsSince(t0))")
        state.stats.pricingSeconds += secondsSince(t0)
        state.lowerBound = lagrange.bound
        if let d = lagrangeDeadline, DispatchTime.now().uptimeNanoseconds >= d { state.stoppedShortByTime = true }
        state.pricingBound = nil
        for o in LagrangianBound.promisingOptions(prices: lagrange.prices, arcs: arcs, perUnit: Self.lagrangianOptionsPerUnit) { state.pool[o.key] = o }
        if let core {
            // The core's assignment joins, and the integer stages' greedy takes its options first
            // (the assignment keeps the capacities at load 1 and none of the rules between
            // children; the greedy keeps every row). National: plan 33.3 M -> 27.0 M, with the
            // LPs skipped (docs/performance.md, tenth session). The auction is not cut short by
            // the deadline: 8 s at national.
            for o in LagrangianBound.coreOptions(core.placementOf, arcs: arcs, regroup: true) {
                state.pool[o.key] = o
                state.preferred.insert(o.key)
            }
        }
        options.progress?(MatchProgress(
            stage: "no LP finished: Lagrangian bound after \(lagrange.iterations) steps, \(state.pool.count) options",
            done: 0, total: 1, incumbent: nil, bound: state.lowerBound))
    }
}
