// A backend that fails on purpose, for the paths no healthy GLPK takes: as swift-nio's
// EmbeddedChannel stands in for a socket, it stands in for GLPK where a test (or the CLI's hidden
// `--backend` option, for tests of the built tool) needs a solver failure. It forwards every call
// to the real backend except those its `faults` name, which fail at once, every time, the same way.

import Foundation

public struct FaultyBackend: MIPBackend {
    /// Which calls fail.
    public struct Faults: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Every 0-1 program (`solveMIP`).
        public static let integerPrograms = Faults(rawValue: 1)
        /// Every LP relaxation (`solveLP`) and LP session (`withLPSession`).
        public static let linearPrograms = Faults(rawValue: 2)
    }

    public let base: GLPKBackend
    public let faults: Faults
    public init(faults: Faults, base: GLPKBackend = GLPKBackend()) { self.faults = faults; self.base = base }

    public var name: String { "\(base.name), failing on purpose" }

    public func solveLP(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, separator: CutSeparator?, cutRounds: Int) -> LPSolution {
        guard faults.contains(.linearPrograms) else {
            return base.solveLP(model, warmStart: warmStart, timeLimit: timeLimit, separator: separator, cutRounds: cutRounds)
        }
        return LPSolution(status: .failed("an injected LP failure"), objective: .nan, rowDuals: [], columnValues: [], reducedCosts: [])
    }

    public func solveMIP(_ model: MIPModel, options: MIPSolveOptions) -> MIPSolution {
        guard faults.contains(.integerPrograms) else { return base.solveMIP(model, options: options) }
        return MIPSolution(status: .failed("an injected failure of the integer program"), objective: .nan, bound: -.infinity,
                           values: [], nodes: 0)
    }

    public func withLPSession<R>(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, _ body: (any LPSession) -> R) -> R? {
        faults.contains(.linearPrograms) ? nil : base.withLPSession(model, warmStart: warmStart, timeLimit: timeLimit, body)
    }
}
