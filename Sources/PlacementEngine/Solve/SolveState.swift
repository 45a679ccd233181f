// What the solve's stages hand one another: one value, passed along in order (MatchSolver.solve).

import Foundation

extension MatchSolver {
    /// The solve's state between stages. Each stage reads what the earlier ones left and adds its
    /// own part; nothing flows backwards.
    struct SolveState {
        /// When the solve began, and the caller's deadline (nil: none).
        let start: UInt64
        let deadline: UInt64?
        /// The cost of leaving every child unmatched (the objective's constant).
        let totalUnmatched: Double
        var stats = SolveStatistics()
        /// A stage stopped short at a deadline of the caller's time limit (an LP, a pricing scan,
        /// the Lagrangian steps or a search given up there), so what is not proven is the time
        /// limit's doing even when the last stage finished before the deadline itself.
        var stoppedShortByTime = false

        // Stage 0 (patterns), when it gave way: its plan (each child's placement), the plan's
        // objective and the bound proven for the whole market; the answer is never worse.
        var patternPlan: (placementOf: [Int?], objective: Double, bound: Double)?

        // Stage 1 (candidates) and 2 (column generation).
        /// The candidate options, by key.
        var pool: [UInt64: MatchOption] = [:]
        /// The best lower bound proven for the whole market so far.
        var lowerBound = -Double.infinity
        /// The last LPs' duals, and the bound of those duals themselves (nil when their pricing
        /// scan was cut short): the proof's reduced costs are measured against that bound, never
        /// against a better bound of other duals.
        var pricing: Pricing
        var pricingBound: Double?
        /// The components' last LPs (models with their cut rows appended).
        var lastLPs: [(MatchingModel, LPSolution)] = []
        /// An LP failed: no duals to prove with.
        var lpFailed = false
        /// The backend failed (an LP or an integer program of the compact stages, which have no
        /// stage after them to fall back on): the answer is not to be trusted.
        var backendFailure: String?
        var warm = WarmBasis()
        /// Options the integer stages' greedy takes first (the transportation core's assignment,
        /// when no LP finished).
        var preferred = Set<UInt64>()
        var cuts = CutPool()
        /// The transportation core's prices and assignment (LagrangianBound.transportCore), once
        /// a stage needed them (Candidates.swift, FirstPlan.swift, the Lagrangian fallback).
        var transportCore: (prices: [Double], placementOf: [Int?])?

        // Stage 3 (first plan).
        var chosen: [UInt64: Bool] = [:]
        var firstPlanObjective = Double.infinity

        /// The best plan's objective so far: the first plan's or the pattern stage's.
        var incumbent: Double { min(firstPlanObjective, patternPlan?.objective ?? .infinity) }

        init(index: MarketIndex, timeLimit: Double?) {
            let now = DispatchTime.now().uptimeNanoseconds
            start = now
            deadline = timeLimit.map { now + UInt64(max(0, $0) * 1e9) }
            totalUnmatched = (0..<index.childCount).reduce(0.0) { $0 + index.unmatchedCost($1) }
            pricing = Pricing(index: index)
        }

        /// Seconds left before the deadline (negative past it), nil without one.
        var remaining: Double? { MatchSolver.seconds(until: deadline) }
        var pastDeadline: Bool { remaining.map { $0 <= 0 } ?? false }
    }
}
