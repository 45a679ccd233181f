// A deterministic fake backend, for the paths no healthy GLPK takes on a small market: as
// swift-nio's EmbeddedChannel stands in for a socket, it stands in for GLPK where a test (or the
// CLI's hidden `--backend` option, for tests of the built tool) needs a solver failure, a search
// stopped by its limit, an LP given up at its deadline or a wrong answer. It forwards every call to
// the real backend except those its script names, which answer at once, every time, the same way
// (no clock, no load: the same script gives the same run). Every call is written to `calls`, so a
// test can see which path the solve took.

import Foundation

public struct ScriptedBackend: MIPBackend {
    /// What the backend does instead of solving.
    public struct Script: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Every 0-1 program (`solveMIP`) fails.
        public static let failingIntegerPrograms = Script(rawValue: 1)
        /// Every LP relaxation (`solveLP`) and LP session (`withLPSession`) fails.
        public static let failingLinearPrograms = Script(rawValue: 2)
        /// Every LP relaxation stops at its time limit before an optimum (status `timeLimit`, no
        /// duals), and no LP session's first solve finishes: what a time limit shorter than the
        /// first LP does on a national market.
        public static let linearProgramsOutOfTime = Script(rawValue: 4)
        /// Every 0-1 program stops at its start, as at a time or node limit reached at the root:
        /// status `timeLimit`, the start given (or nothing placed), no bound (-infinity).
        public static let integerProgramsStopAtStart = Script(rawValue: 8)
        /// Every 0-1 program claims `optimal` for every column at 1: a wrong answer, which the
        /// engine must never write (the verifier rejects it; the CLI exits 3).
        public static let wrongIntegerAnswers = Script(rawValue: 16)
        /// Every 0-1 program stops at once with nothing placed (status `timeLimit`, no bound), its
        /// start ignored: a valid plan, but the worst, as a search handed no start may return.
        public static let integerProgramsReturnNothing = Script(rawValue: 32)
    }

    /// One call the solve made.
    public struct Call: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case lp, mip, lpSession }
        public var kind: Kind
        public var columns: Int
        public var rows: Int
        /// A MIP's node limit and whether it had a start.
        public var nodeLimit: Int?
        public var hadStart: Bool
    }

    /// The calls, in the order each thread made them (a test of more than one thread should count,
    /// not compare orders).
    public final class CallLog: @unchecked Sendable {
        private var list: [Call] = []
        private let lock = NSLock()
        public init() {}
        func record(_ call: Call) { lock.lock(); list.append(call); lock.unlock() }
        public var calls: [Call] { lock.lock(); defer { lock.unlock() }; return list }
    }

    public let base: GLPKBackend
    public let script: Script
    public let calls = CallLog()
    public init(_ script: Script, base: GLPKBackend = GLPKBackend()) { self.script = script; self.base = base }

    public var name: String { "\(base.name), scripted for tests" }

    public func solveLP(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, separator: CutSeparator?, cutRounds: Int) -> LPSolution {
        calls.record(Call(kind: .lp, columns: model.columns.count, rows: model.rows.count, nodeLimit: nil, hadStart: warmStart != nil))
        if script.contains(.failingLinearPrograms) {
            return LPSolution(status: .failed("an injected LP failure"), objective: .nan, rowDuals: [], columnValues: [], reducedCosts: [])
        }
        if script.contains(.linearProgramsOutOfTime) {
            return LPSolution(status: .timeLimit, objective: .nan, rowDuals: [], columnValues: [], reducedCosts: [])
        }
        return base.solveLP(model, warmStart: warmStart, timeLimit: timeLimit, separator: separator, cutRounds: cutRounds)
    }

    public func solveMIP(_ model: MIPModel, options: MIPSolveOptions) -> MIPSolution {
        calls.record(Call(kind: .mip, columns: model.columns.count, rows: model.rows.count, nodeLimit: options.nodeLimit,
                          hadStart: options.incumbent != nil))
        if script.contains(.failingIntegerPrograms) {
            return MIPSolution(status: .failed("an injected failure of the integer program"), objective: .nan, bound: -.infinity,
                               values: [], nodes: 0)
        }
        if script.contains(.wrongIntegerAnswers) {
            let all = [Bool](repeating: true, count: model.columns.count)
            return MIPSolution(status: .optimal, objective: model.objective(all), bound: model.objective(all), values: all, nodes: 0)
        }
        if script.contains(.integerProgramsReturnNothing) {
            let nothing = [Bool](repeating: false, count: model.columns.count)
            return MIPSolution(status: .timeLimit, objective: model.objective(nothing), bound: -.infinity, values: nothing, nodes: 0)
        }
        if script.contains(.integerProgramsStopAtStart) {
            let nothing = [Bool](repeating: false, count: model.columns.count)
            let start = options.incumbent.flatMap { $0.count == model.columns.count && model.violatedRow($0) == nil ? $0 : nil } ?? nothing
            return MIPSolution(status: .timeLimit, objective: model.objective(start), bound: -.infinity, values: start, nodes: 0)
        }
        return base.solveMIP(model, options: options)
    }

    public func withLPSession<R>(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, _ body: (any LPSession) -> R) -> R? {
        calls.record(Call(kind: .lpSession, columns: model.columns.count, rows: model.rows.count, nodeLimit: nil, hadStart: warmStart != nil))
        if !script.isDisjoint(with: [.failingLinearPrograms, .linearProgramsOutOfTime]) { return nil }
        return base.withLPSession(model, warmStart: warmStart, timeLimit: timeLimit, body)
    }
}
