// Solving the matching problem to proven optimality without handing GLPK the whole market.
//
// 0. Patterns (PatternSolve.swift): on a scarce market, the pattern formulation (Dantzig-Wolfe by
//    placement: a column is a set of options one home may take together) by column generation and
//    a reduced-cost proof over its patterns. Its bound is far tighter than the compact model's;
//    where it cannot finish, the compact model's stages below take over.
//
// The compact model's stages, in order (each in its own file under Solve/, one SolveState passed
// along):
//
// 1. Candidates: every child starts with its few cheapest options (every group too).
// 2. Column generation: the LP relaxation over the candidates, per independent component
//    (concurrently, each wholly on one thread), with the placements' cuts; every option left out
//    is priced with the duals and those with negative reduced cost join, until none is left. The
//    duals give a lower bound valid for the whole market (a Lagrangian bound).
// 3. First plan: each component's LP dived to a plan (PrimalHeuristics), which starts GLPK's
//    search over the candidates' 0-1 program.
// 4. Proof set: an option with reduced cost d can only appear in plans costing at least bound + d;
//    every option with bound + d below the first plan joins.
// 5. Proof programs: the proof set's 0-1 programs, per component, concurrently; their optimum is
//    optimal for the whole market, not only for the candidates.
// 6. Answer: the better plan and what is proven.

import Foundation
import Logging

public enum MatchStatus: String, Sendable {
    /// Proven optimal within a relative gap of 1e-6.
    case optimal
    /// Proven within the gap the caller accepted (`--gap`).
    case feasible
    /// Stopped by the time limit before reaching the requested gap.
    case time_limit
}

/// Why the solve stopped, apart from what it found (`MatchStatus`, the plan and the bound).
public enum StopReason: String, Sendable, Codable {
    /// The plan is proven optimal (relative gap at most 1e-6).
    case optimal
    /// The plan is within the relative gap the caller accepted (`--gap`), and the search stopped there.
    case gap_reached
    /// The caller's time limit ended the solve before the gap was reached.
    case time_limit
    /// The caller's node limit (`MatchOptions.proofNodes`) ended the proof's search.
    case node_limit
    /// The proof was out of reach within the engine's budgets (more options to prove with than
    /// `MatchOptions.proofOptionBudget`): the bound is the LP's, and no limit was asked.
    case proof_budget
    /// The solver backend failed: there is no answer to trust (the CLI writes nothing, exit 5).
    case solver_error
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
    /// Under a time limit, a component with more children than this (in column generation's first
    /// round) sends the solve straight to the Lagrangian bound from the transportation core's
    /// prices: GLPK's simplex did not finish the first LP of national's 42,268-child component in
    /// 30 s; 16,000 children's 13,627-child component takes 15-40 s a round.
    public var simplexChildrenLimit: Int = Int(ProcessInfo.processInfo.environment["PLACEMENT_SIMPLEX_CHILDREN"] ?? "") ?? 30_000
    /// Markets with at least this many children start column generation from the
    /// transportation core: its assignment and the options cheapest at its prices join the
    /// candidates, and its assignment is the first LP's basis (Candidates.swift, where the
    /// figures are). PLACEMENT_CORE_CANDIDATES_CHILDREN; tests set 0 to run small markets that way.
    public var coreCandidatesChildren: Int = Int(ProcessInfo.processInfo.environment["PLACEMENT_CORE_CANDIDATES_CHILDREN"] ?? "") ?? 8_000
    /// Branch-and-bound nodes at most per component in the proof's integer programs; nil (the
    /// default) for none: a node limit must never stand in for the proof. A caller who sets one
    /// gets status `feasible` with the gap proven when it stops the search.
    public var proofNodes: Int? = nil
    /// Options the proof may hand to one round of integer programs (see MatchSolver, step 4); past
    /// it the proof is skipped and the answer says so (`proof_budget`). nil (the default): 600,000
    /// or four per candidate, whichever is more (GLPK holds about 1.7 KB an option). A number: at
    /// most that many; 0 proves only what the LP bound already proves (`whatif --quick`).
    public var proofOptionBudget: Int? = nil
    public var backend: any MIPBackend = GLPKBackend()
    /// Children at least in the pattern solve's component with most of the market's options for
    /// its pricing and proof searches to use every thread (`threads`); below it a round's pricing
    /// takes about a millisecond. PLACEMENT_SHARED_PRICING (measurement); tests set 0 to run
    /// small markets that way.
    public var sharedPricingChildren: Int = Int(ProcessInfo.processInfo.environment["PLACEMENT_SHARED_PRICING"] ?? "") ?? 300
    /// Prove by branch and price on the pattern master (BranchAndPrice.swift) before the
    /// enumeration of improving patterns, not only where that enumeration is too large: tests
    /// run every proof through it, and `PLACEMENT_PROOF=price` measures it.
    public var branchAndPriceFirst: Bool = ProcessInfo.processInfo.environment["PLACEMENT_PROOF"] == "price"
    /// Solve on the pattern formulation first (PatternSolve.swift); the compact model's stages
    /// take over where it cannot finish. `PLACEMENT_FORMULATION=options` turns it off (measurement).
    public var patterns: Bool = ProcessInfo.processInfo.environment["PLACEMENT_FORMULATION"] != "options"
    public var progress: (@Sendable (MatchProgress) -> Void)?
    /// Where the solve's diagnostics go (swift-log): each stage's figures at `debug`, a stage that
    /// gives way at `info`. The application chooses the handler; by default nothing is logged.
    public var logger = Logger(label: "placement.solve", factory: { _ in SwiftLogNoOpLogHandler() })
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
    /// Nodes of the branch and price on the pattern master (BranchAndPrice.swift).
    public var priceNodes = 0
    public var lpBound = 0.0
    /// Seconds in the column-generation LPs, the pricing scans, the first integer solve and the proof.
    public var lpSeconds = 0.0
    public var pricingSeconds = 0.0
    public var mipSeconds = 0.0
    public var firstPlanSeconds = 0.0
    /// The reduced-cost proof was out of reach (too many options); the bound is the LP bound.
    public var proofSkipped = false
    /// The backend that solved (`MIPBackend.name`).
    public var backend = ""
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
    /// Why the solve stopped.
    public var stopReason: StopReason
    /// What the backend reported when it failed (then `stopReason` is `solver_error` and the plan
    /// is not to be used).
    public var failure: String?
    public var gap: Double { max(0, objective - bestBound) / max(1, abs(objective)) }
}

public struct MatchSolver: Sendable {
    public let arcs: ArcTable
    public let options: MatchOptions
    var index: MarketIndex { arcs.index }

    public init(arcs: ArcTable, options: MatchOptions = MatchOptions()) {
        self.arcs = arcs; self.options = options
    }

    /// The stages in order, one state value passed along (SolveState.swift); each stage is in its
    /// own file under Solve/.
    public func solve() -> MatchSolution {
        var state = SolveState(index: index, timeLimit: options.timeLimit)
        if options.patterns, let solution = patternSolve(&state) { return solution }   // PatternSolve.swift
        let (start, logger) = (state.start, options.logger)
        let log = { (stage: String) in logger.debug("\(stage) done t \(secondsSince(start))") }
        candidates(&state)                       // 1. Candidates.swift
        columnGeneration(&state)                 // 2. ColumnGeneration.swift
        log("column generation")
        let integerStart = DispatchTime.now().uptimeNanoseconds
        firstPlan(&state)                        // 3. FirstPlan.swift
        log("first plan")
        let set = proofSet(&state)               // 4. Proof.swift
        let solved = proofPrograms(set, &state)  // 5. Proof.swift
        log("proof")
        state.stats.mipSeconds = secondsSince(integerStart)
        let answer = answer(set, solved, state)  // 6. below
        log("answer")
        return answer
    }

    /// Stage 6: the better of the first plan and the proof's programs' plan, and what is proven
    /// for the whole market.
    private func answer(_ set: ProofSet, _ solved: [(MatchingModel, MIPSolution)], _ state: SolveState) -> MatchSolution {
        let unplaced = Self.unplacedCost(index, solved.map(\.0.children))
        let programsObjective = Self.total(solved, unplacedCost: unplaced)
        let programsBound = Self.totalBound(solved, unplacedCost: unplaced)
        var placementOf = [Int?](repeating: nil, count: index.childCount)
        let incumbent: Double
        if let patterns = state.patternPlan, patterns.objective < min(programsObjective, state.firstPlanObjective) {
            incumbent = patterns.objective
            placementOf = patterns.placementOf
        } else if programsObjective <= state.firstPlanObjective {
            incumbent = programsObjective
            for (mm, sol) in solved {
                for (j, on) in sol.values.enumerated() where on {
                    for c in mm.options[j].members(index) { placementOf[c] = Int(mm.options[j].placement) }
                }
            }
        } else {
            incumbent = state.firstPlanObjective
            for o in state.pool.values where state.chosen[o.key] == true {
                for c in o.members(index) { placementOf[c] = Int(o.placement) }
            }
        }
        // (The proof set holds every option of every plan cheaper than the incumbent it was
        // filtered with, less its tolerance.)
        var bestBound = set.proves
            ? max(state.lowerBound, min(state.incumbent - set.tolerance, programsBound))
            : state.lowerBound   // the candidates' optimum proves nothing about the rest
        if let patterns = state.patternPlan { bestBound = max(bestBound, patterns.bound) }
        return solution(placementOf, objective: incumbent, bound: bestBound, state)
    }

    /// The answer with what is proven: the bound capped by the plan, and the status its gap earns.
    /// The caller's time limit, never a node limit, is what may end a solve short of the gap.
    func solution(_ placementOf: [Int?], objective: Double, bound: Double, _ state: SolveState) -> MatchSolution {
        var placementOf = placementOf, objective = objective
        // Never below the trivial bound (one pass over each child's cheapest option).
        let bound = max(bound, LagrangianBound.trivial(arcs: arcs, threads: options.threads))
        if state.backendFailure == nil, objective - bound > 1e-6 * max(1, abs(objective)) {
            // Unproven (stopped short): a child left out with a free place it may take costs less placed.
            objective += PrimalHeuristics.fillFreePlaces(&placementOf, arcs: arcs, threads: options.threads)
        }
        let bestBound = min(bound, objective)
        let gap = max(0, objective - bestBound) / max(1, abs(objective))
        // The time limit is why when the deadline passed, or when a stage gave up at its share of it.
        let byTime = options.timeLimit != nil && (state.pastDeadline || state.stoppedShortByTime)
        let status: MatchStatus = gap <= 1e-6 ? .optimal : (byTime && gap > options.relativeGap ? .time_limit : .feasible)
        let reason: StopReason =
            if state.backendFailure != nil { .solver_error }
            else if gap <= 1e-6 { .optimal }
            else if gap <= options.relativeGap { .gap_reached }
            else if byTime { .time_limit }
            else if options.proofNodes != nil { .node_limit }
            else { .proof_budget }
        var statistics = state.stats
        statistics.backend = options.backend.name
        return MatchSolution(plan: Plan(placement: placementOf), status: status, objective: objective,
                             bestBound: bestBound, statistics: statistics, stopReason: reason, failure: state.backendFailure)
    }

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
