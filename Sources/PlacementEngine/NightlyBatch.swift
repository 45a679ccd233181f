// The nightly match batch, end to end: market -> eligibility -> arcs -> model -> solve -> plan ->
// independent check. Outputs are written by `BatchOutputs` only after the check has passed.

import Foundation

public enum EngineInfo {
    public static let version = "1.0.0"
}

/// Wall-clock stage timer.
public struct StageClock: Sendable {
    public private(set) var stages: [(name: String, seconds: Double)] = []
    /// When the run began (the clock's creation): a time limit counts from here.
    public let started = DispatchTime.now().uptimeNanoseconds
    private var last: UInt64
    public init() { last = started }
    /// Seconds since the run began.
    public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
    public mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        stages.append((name, Double(now - last) / 1e9))
        last = now
    }
    public mutating func record(_ name: String, seconds: Double) { stages.append((name, seconds)) }
    public func seconds(_ name: String) -> Double? { stages.first { $0.name == name }?.seconds }
}

/// Why a batch gave no answer: the CLI's exit status follows `kind`.
public struct BatchFailure: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The independent check rejected the answer, or the market's index could not be built:
        /// a bug (exit 3).
        case verification
        /// The solver backend failed (exit 5).
        case solver
    }
    public var kind: Kind = .verification
    public var description: String
    public init(kind: Kind = .verification, description: String) { self.kind = kind; self.description = description }
}

public struct BatchRun: Sendable {
    public let arcs: ArcTable
    public let solution: MatchSolution
    public let report: PlanReport
    public let verification: PlanVerification
    public var clock: StageClock
    public var index: MarketIndex { arcs.index }
    public var market: Market { arcs.index.market }
}

public enum NightlyBatch {
    /// The solve's share of a time limit that covers the whole run (load to outputs): what is left
    /// after loading and the arcs, less a reserve for what follows the solve's stages, and at
    /// least a twentieth of the limit, so that a run whose arcs alone outlast it still solves
    /// briefly and says `time_limit`. The reserve, 1 ms per 10 children, was measured at national
    /// scale (83,630 children, 2026-12-02, 2-core VM): the plan report, the check and the outputs
    /// 3.7 s, the solve's answer (free places filled, the trivial bound) 1.6 s, GLPK's search past
    /// its limit about 1 s. With half of it (4.2 s) `--time-limit 60` ran 63.3 s.
    public static func solveSeconds(limit: Double, elapsed: Double, children: Int) -> Double {
        let reserve = min(0.25 * limit, 0.05 + 1e-4 * Double(children))
        return max(0.05 * limit, limit - elapsed - reserve)
    }

    /// Solves the market and checks the answer independently. Throws when the market is
    /// inconsistent or the check fails (a bug: nothing must be written then).
    public static func run(_ market: Market, options: MatchOptions = MatchOptions(),
                           clock: StageClock = StageClock()) throws(BatchFailure) -> BatchRun {
        var clock = clock
        let index: MarketIndex
        do { index = try MarketIndex(market) } catch { throw BatchFailure(description: error.description) }
        options.progress?(MatchProgress(stage: "eligibility and arcs", done: 0, total: 1, incumbent: nil, bound: nil))
        let arcs = ArcTable(index: index, threads: options.threads)
        clock.lap("eligibility_and_arcs")
        var solveOptions = options
        if let limit = options.timeLimit {
            solveOptions.timeLimit = solveSeconds(limit: limit, elapsed: clock.elapsed, children: market.children.count)
        }
        let solution = MatchSolver(arcs: arcs, options: solveOptions).solve()
        clock.lap("solve")
        if let failure = solution.failure {
            throw BatchFailure(kind: .solver, description: failure + " (\(options.backend.name); nothing was written)")
        }
        let report = PlanReport(plan: solution.plan, arcs: arcs, threads: options.threads, decided: solution.status == .optimal)
        clock.lap("plan_report")
        let verification = PlanVerifier.verify(solution.plan, market: market, claimedObjective: solution.objective)
        clock.lap("verify")
        var problems = verification.problems
        let tolerance = 1e-6 * max(1, abs(solution.objective))
        if abs(report.objective - solution.objective) > tolerance {
            problems.append("the plan report's objective \(report.objective) differs from the solver's \(solution.objective)")
        }
        if solution.bestBound > solution.objective + tolerance {
            problems.append("the proven bound \(solution.bestBound) exceeds the objective \(solution.objective)")
        }
        guard problems.isEmpty else {
            throw BatchFailure(description: "the independent check rejected the engine's answer (a bug; nothing was written):\n"
                + problems.prefix(20).map { "  - " + $0 }.joined(separator: "\n"))
        }
        return BatchRun(arcs: arcs, solution: solution, report: report, verification: verification, clock: clock)
    }
}
