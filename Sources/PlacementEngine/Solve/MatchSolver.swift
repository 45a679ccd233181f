// Solving the matching problem to proven optimality without handing GLPK the whole market.
//
// 1. Restricted candidates: every child starts with its few cheapest options (every group too).
// 2. Column generation: the LP relaxation over the candidates is solved per independent component
//    (concurrently, each wholly on one thread); every option left out is priced with the duals,
//    and those with negative reduced cost join, until none is left. The duals then give a lower
//    bound valid for the whole market (a Lagrangian bound: it stays valid even if we stop early).
// 3. Integer solve: each component's 0-1 program goes to the backend with a verified greedy
//    incumbent, concurrently.
// 4. Proof: an option left out with reduced cost d can only appear in solutions costing at least
//    bound + d. Every option with bound + d below the incumbent joins and the touched components are
//    solved again; the answer is then optimal for the whole market, not only for the candidates.

import Foundation

public enum MatchStatus: String, Sendable {
    /// Proven optimal within a relative gap of 1e-6.
    case optimal
    /// Proven within the gap the caller accepted (`--gap`).
    case feasible
    /// Stopped by the time limit before reaching the requested gap.
    case time_limit
}

public struct MatchProgress: Sendable {
    public var stage: String
    public var done: Int
    public var total: Int
    public var incumbent: Double?
    public var bound: Double?
}

public struct MatchOptions: Sendable {
    /// The relative gap the caller accepts; the spec's default is 1e-6.
    public var relativeGap: Double = 1e-6
    /// Seconds for the whole solve; nil for none.
    public var timeLimit: Double?
    public var threads: Int = Parallel.defaultThreads
    /// Options each child (and group) starts with: one keeps the first components small.
    public var initialOptions: Int = 1
    /// Options a pricing round may add per child (and per group).
    public var optionsPerRound: Int = 2
    /// Branch-and-bound nodes at most per component for the first plan (the candidates' integer
    /// program at a loose gap). A node count, not seconds, so the answer never depends on load.
    public var firstPlanNodes: Int = 2000
    /// Components with more candidate options than this get their first plan with every option the
    /// LP took whole fixed in it (relax-and-fix, `MIPModel.fixing`): GLPK then sees only the LP's
    /// fractional part and what it touches. A heuristic for the first plan alone (measured on 16,000
    /// children: GLPK's search over the whole 13,650-child component had not ended after 70 s); the
    /// proof and its bound are unaffected.
    public var fixWholeAbove: Int = Int(ProcessInfo.processInfo.environment["PLACEMENT_FIX_ABOVE"] ?? "") ?? 20_000
    /// Branch-and-bound nodes at most per component in the proof's integer programs; nil (the
    /// default) for none: a node limit must never stand in for the proof. A caller who sets one
    /// gets status `feasible` with the gap proven when it stops the search.
    public var proofNodes: Int? = nil
    /// Options the proof may hand to one round of integer programs (see MatchSolver, step 4).
    public var proofOptionBudget: Int = 600_000
    public var backend: any MIPBackend = GLPKBackend()
    public var progress: (@Sendable (MatchProgress) -> Void)?
    public init() {}
}

public struct SolveStatistics: Sendable, Hashable {
    public var pricingRounds = 0
    public var components = 0
    public var largestComponentChildren = 0
    /// Totals over the final components' models.
    public var columns = 0
    public var rows = 0
    public var nonZeros = 0
    /// Options added by the optimality proof (reduced-cost argument).
    public var proofAdditions = 0
    public var branchNodes = 0
    public var lpBound = 0.0
    /// Seconds in the column-generation LPs, the pricing scans, the first integer solve and the proof.
    public var lpSeconds = 0.0
    public var pricingSeconds = 0.0
    public var mipSeconds = 0.0
    public var firstPlanSeconds = 0.0
    /// The reduced-cost proof was out of reach (too many options); the bound is the LP bound.
    public var proofSkipped = false
}

/// Elapsed seconds since `start` (uptime nanoseconds).
@inline(__always) func secondsSince(_ start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

public struct MatchSolution: Sendable {
    public var plan: Plan
    public var status: MatchStatus
    public var objective: Double
    public var bestBound: Double
    public var statistics: SolveStatistics
    public var gap: Double { max(0, objective - bestBound) / max(1, abs(objective)) }
}

public struct MatchSolver: Sendable {
    public let arcs: ArcTable
    public let options: MatchOptions
    var index: MarketIndex { arcs.index }

    public init(arcs: ArcTable, options: MatchOptions = MatchOptions()) {
        self.arcs = arcs; self.options = options
    }

    public func solve() -> MatchSolution {
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline: UInt64? = options.timeLimit.map { start + UInt64(max(0, $0) * 1e9) }
        func remaining() -> Double? { Self.seconds(until: deadline) }
        var stats = SolveStatistics()
        let totalUnmatched = (0..<index.childCount).reduce(0.0) { $0 + index.unmatchedCost($1) }

        // 1. Restricted candidates.
        var pool: [UInt64: MatchOption] = [:]
        for c in 0..<index.childCount {
            let limit = index.unmatchedCost(c)
            for a in arcs.childArcs[c].prefix(options.initialOptions) where a.cost < limit {
                let o = MatchOption.own(child: c, placement: Int(a.placement), cost: a.cost)
                pool[o.key] = o
            }
        }
        for g in index.groups.indices {
            let limit = index.groups[g].reduce(0.0) { $0 + index.unmatchedCost($1) }
            for a in arcs.groupArcs[g].prefix(options.initialOptions) where a.cost < limit {
                let o = MatchOption.together(group: g, placement: Int(a.placement), cost: a.cost)
                pool[o.key] = o
            }
        }

        // 2. Column generation on the LP relaxation. Under a time limit it stops at its own
        //    deadline, which leaves the integer stages their share: an LP past it is given up
        //    (GLPK's tm_lim) and the previous round's duals and bound stand; a scan past it is cut
        //    short and gives no bound (its options still join the candidates).
        let cgDeadline: UInt64? = options.timeLimit.map {
            start + UInt64(max(0, $0) * Self.columnGenerationShare * 1e9)
        }
        var pricing = Pricing(index: index)
        var lowerBound = -Double.infinity
        var lastLPs: [(MatchingModel, LPSolution)] = []
        var lpFailed = false
        var warm = WarmBasis()
        var cuts = CutPool()
        // Cuts only once column generation has converged without them (the LPs of the early
        // rounds, over a few options per child, change too much from round to round to be worth
        // cutting); from then on every round's LP is cut.
        var separate = ProcessInfo.processInfo.environment["PLACEMENT_CUTS_LATE"] == nil
        // While pricing still brings options in, an LP gets a few cut rounds only (the next
        // round's LP starts from its cuts anyway, and new options undo much of what more rounds
        // would gain); once it brings none, the cuts run to the end (`fullCuts`).
        var fullCuts = false
        // The bound of `pricing`'s own duals (nil when its scan was cut short): the proof's
        // reduced costs are measured against it, never against a better bound of other duals.
        var pricingBound: Double?
        while true {
            stats.pricingRounds += 1
            let components = Self.components(of: Array(pool.values), index: index)
            options.progress?(MatchProgress(
                stage: "pricing round \(stats.pricingRounds): \(pool.count) options, largest component \(components.map(\.children.count).max() ?? 0) children",
                done: 0, total: components.count, incumbent: nil, bound: lowerBound.isFinite ? lowerBound : nil))
            var t0 = DispatchTime.now().uptimeNanoseconds
            let lps = solveLPs(components, warm: warm, cuts: &cuts, separate: separate,
                               cutRounds: fullCuts ? GLPKBackend.maxCutRounds : Self.cutRoundsWhilePricing, deadline: cgDeadline)
            stats.lpSeconds += secondsSince(t0)
            if lps.contains(where: { $0.1.status == .timeLimit }), !lastLPs.isEmpty {
                break   // out of time: the previous round's LPs, duals and bound stand
            }
            lastLPs = lps
            warm = WarmBasis(lastLPs)
            lpFailed = lastLPs.contains { $0.1.status != .optimal }
            if lpFailed { break }   // no duals: the integer stage answers without a market-wide proof
            pricing = Pricing(index: index)
            for (mm, lp) in lastLPs { pricing.absorb(model: mm, lp: lp, index: index) }
            t0 = DispatchTime.now().uptimeNanoseconds
            let scan = pricing.scan(arcs: arcs, pool: pool, threshold: 0, perChildLimit: options.optionsPerRound,
                                    threads: options.threads, deadline: cgDeadline)
            stats.pricingSeconds += secondsSince(t0)
            if let negativeTerm = scan.negativeTerm {
                pricingBound = totalUnmatched + pricing.rowTerm + negativeTerm
                lowerBound = max(lowerBound, pricingBound!)
            } else {
                pricingBound = nil
            }
            // Converged: no option prices out, or (the tail) the candidates' LP is within a quarter
            // of the accepted gap of a bound valid for the whole market, so more rounds cannot
            // change what the proof can show by more than that (the proof runs on these duals
            // either way, and stays valid). The first time, the cuts start instead.
            let lpValue = lastLPs.reduce(Self.unplacedCost(index, components.map(\.children))) { $0 + $1.1.objective }
            if (scan.complete && scan.additions.isEmpty)
                || lpValue - lowerBound <= 0.25 * options.relativeGap * max(1, abs(lpValue)) {
                if separate && (fullCuts || lastLPs.allSatisfy({ $0.1.cutsConverged })) { break }
                if separate { fullCuts = true } else { separate = true }
            } else if separate, scan.complete, scan.additions.count <= max(Self.fewAdditions, pool.count / 500) {
                // The tail: pricing brings in a handful of options a round while the cuts do the
                // bound's work; a few cut rounds per LP would stretch them over many LP solves.
                fullCuts = true
            }
            for o in scan.additions { pool[o.key] = o }
            if let d = cgDeadline, DispatchTime.now().uptimeNanoseconds >= d { break }
            if stats.pricingRounds >= 200 { break }
        }
        if !lowerBound.isFinite {
            // No LP finished (the largest component's LP outlasted its share of the time limit):
            // the Lagrangian bound on the capacity rows, valid for the whole market, stands in.
            let lagrangeDeadline: UInt64? = options.timeLimit.map {
                start + UInt64(max(0, $0) * Self.lagrangianShareEnd * 1e9)
            }
            let t0 = DispatchTime.now().uptimeNanoseconds
            let lagrange = LagrangianBound.maximise(arcs: arcs, iterations: Self.lagrangianIterations,
                                                    threads: options.threads, deadline: lagrangeDeadline)
            stats.pricingSeconds += secondsSince(t0)
            lowerBound = lagrange.bound
            // The options the best prices favour join the candidates: the integer stages cannot
            // count on an LP to bring them in, and one option per child leaves most unplaced.
            for o in lagrange.promisingOptions(arcs: arcs, perUnit: Self.lagrangianOptionsPerUnit) { pool[o.key] = o }
            options.progress?(MatchProgress(
                stage: "no LP finished: Lagrangian bound after \(lagrange.iterations) steps, \(pool.count) options",
                done: 0, total: 1, incumbent: nil, bound: lowerBound))
        }
        stats.lpBound = lowerBound

        // 3. A first plan (FirstPlan.swift).
        let mipStart = DispatchTime.now().uptimeNanoseconds
        let (chosen, lpIncumbent) = firstPlan(lastLPs: lastLPs, pool: pool, warm: warm, cuts: cuts.cuts, deadline: deadline)
        stats.firstPlanSeconds = secondsSince(mipStart)

        // 4. The options that could still beat that plan: reduced cost below incumbent - bound.
        //    Every other option (in the pool or not) only appears in plans costing at least as much.
        // Half the accepted gap may be spent here: an option whose best possible plan is within it
        // of the first plan cannot improve the answer by more than the caller accepts.
        let tolerance = max(1e-9, 0.5 * options.relativeGap) * max(1, abs(lpIncumbent))
        var reduced: [MatchOption]
        var proof = lowerBound.isFinite && !lpFailed && pricingBound != nil
        if proof, let dualBound = pricingBound {
            // An option with reduced cost d (for these duals, whose bound is dualBound) appears
            // only in plans costing at least dualBound + d.
            let slack = lpIncumbent - dualBound - tolerance
            reduced = pool.values.filter { (pricing.presentReduced[$0.key] ?? 0) < slack }
            let budget = max(options.proofOptionBudget, 4 * pool.count)
            if slack > 0 {
                let scan = pricing.scan(arcs: arcs, pool: pool, threshold: slack, perChildLimit: Int.max,
                                        threads: options.threads, deadline: deadline,
                                        additionLimit: max(0, budget - reduced.count))
                reduced += scan.additions
                // Cut short (deadline or past the budget): it proves nothing.
                if !scan.complete { proof = false; stats.proofSkipped = true }
            }
            stats.proofAdditions = reduced.count   // at least this many when the scan was cut short
            // A wide gap between the first plan and the LP bound lets too many options in for one
            // integer program: then the candidates' program is solved to the end instead, and the
            // answer says honestly what is proven (the LP bound), not more.
            if !proof || reduced.count > budget {  // about 1.7 KB each in GLPK
                proof = false
                stats.proofSkipped = true
                reduced = Array(pool.values)
            }
        } else {
            proof = false
            reduced = Array(pool.values)
        }
        options.progress?(MatchProgress(
            stage: "proof: first plan \(Fixed.cost(lpIncumbent)), bound \(lowerBound.isFinite ? Fixed.cost(lowerBound) : "none"), \(reduced.count) options could still improve it",
            done: 0, total: 1, incumbent: lpIncumbent, bound: lowerBound.isFinite ? lowerBound : nil))

        // 5. Integer solve of what is left, per component, concurrently. Past the deadline with no
        //    proof to make, the candidates' program would only be built to return its start: the
        //    first plan stands (building a national component's model alone took seconds).
        let pastDeadline = remaining().map { $0 <= 0 } ?? false
        let components = pastDeadline && !proof ? [] : Self.components(of: reduced, index: index)
        let solved = solveMIPs(components, starts: components.map { _ in chosen }, warm: warm, cuts: cuts.cuts, deadline: deadline,
                               relativeGap: options.relativeGap * 0.1, nodeLimit: options.proofNodes, stage: "integer solve")
        let unplaced = Self.unplacedCost(index, components.map(\.children))
        let reducedObjective = Self.total(solved, unplacedCost: unplaced)
        let reducedBound = Self.totalBound(solved, unplacedCost: unplaced)
        stats.mipSeconds = secondsSince(mipStart)

        // 6. The better plan, and what is proven for the whole market.
        var placementOf = [Int?](repeating: nil, count: index.childCount)
        let incumbent: Double
        if reducedObjective <= lpIncumbent {
            incumbent = reducedObjective
            for (mm, sol) in solved {
                for (j, on) in sol.values.enumerated() where on {
                    for c in mm.options[j].members(index) { placementOf[c] = Int(mm.options[j].placement) }
                }
            }
        } else {
            incumbent = lpIncumbent
            for o in pool.values where chosen[o.key] == true {
                for c in o.members(index) { placementOf[c] = Int(o.placement) }
            }
        }
        var bestBound: Double
        if proof {
            bestBound = max(lowerBound, min(lpIncumbent - tolerance, reducedBound))
        } else {
            bestBound = lowerBound   // the candidates' optimum proves nothing about the rest
        }
        bestBound = min(bestBound, incumbent)
        for (mm, sol) in solved {
            stats.columns += mm.model.columns.count
            stats.rows += mm.model.rows.count
            stats.nonZeros += mm.model.nonZeros
            stats.branchNodes += sol.nodes
        }
        stats.components = components.count
        stats.largestComponentChildren = components.map(\.children.count).max() ?? 0

        let gap = max(0, incumbent - bestBound) / max(1, abs(incumbent))
        let timedOut = remaining().map { $0 <= 0 } ?? false   // the caller's time limit, not a node limit
        let status: MatchStatus = gap <= 1e-6 ? .optimal : (timedOut && gap > options.relativeGap ? .time_limit : .feasible)
        return MatchSolution(plan: Plan(placement: placementOf), status: status, objective: incumbent,
                             bestBound: bestBound, statistics: stats)
    }

    /// Cut rounds per LP while column generation still adds options (experiment switch
    /// PLACEMENT_CG_CUT_ROUNDS).
    /// A pricing round that adds at most this many options (or 0.2% of the candidates) is the
    /// tail of column generation: the cut rounds run to the end from then on.
    static let fewAdditions = 8
    static let cutRoundsWhilePricing = Int(ProcessInfo.processInfo.environment["PLACEMENT_CG_CUT_ROUNDS"] ?? "") ?? 10

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

    static func seconds(until deadline: UInt64?) -> Double? {
        deadline.map { d in Double(Int64(d) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1e9 }
    }

}

/// A thread-safe counter (progress reports, shared limits).
final class Counter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func increment() -> Int { add(1) }
    /// Adds `n` and returns the new total.
    func add(_ n: Int) -> Int { lock.lock(); defer { lock.unlock() }; count += n; return count }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
