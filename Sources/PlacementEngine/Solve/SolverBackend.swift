// What a solver backend does, and what it answers: outcomes are status values, never thrown errors
// (after MathOptInterface). The GLPK backend is the real one; tests also run a brute-force one.

public enum LPStatus: Hashable, Sendable {
    case optimal
    case infeasible
    /// Stopped by its time limit before reaching an optimum (no duals are reported).
    case timeLimit
    case failed(String)

    /// What failed, when the backend failed.
    public var failure: String? { if case .failed(let why) = self { why } else { nil } }
}

/// Which variables are basic at an LP optimum: a warm start for the next, similar LP (column
/// generation adds a few columns and rows a round; the root LP of an integer program is often the
/// LP just solved). A backend may ignore it, and must not trust it: it may not even be a basis.
public struct LPBasis: Sendable, Hashable {
    public var columnBasic: [Bool]
    public var rowBasic: [Bool]
    public init(columnBasic: [Bool], rowBasic: [Bool]) { self.columnBasic = columnBasic; self.rowBasic = rowBasic }
}

public struct LPSolution: Sendable {
    public var status: LPStatus
    /// c·x + constant at the LP optimum.
    public var objective: Double
    /// One per row: the dual value (<= 0 for our `<=` rows when minimising).
    public var rowDuals: [Double]
    public var columnValues: [Double]
    /// One per column: c_j minus the duals of its rows.
    public var reducedCosts: [Double]
    /// The optimal basis, when the backend reports one (over the model's rows, then `cutRows`).
    public var basis: LPBasis? = nil
    /// Rows the separator gave (see `MIPBackend.solveLP`), in the order added after the model's
    /// own rows; `rowDuals` holds theirs after the model's.
    public var cutRows: [MIPRow] = []
    /// False when the cut rounds stopped at their limit while the separator still gave rows.
    public var cutsConverged = true
}

/// Cuts for an LP solution (column values): rows `sum coef * x <= upper` valid for every 0-1
/// solution of the model and violated by the values given; empty when there are none.
public typealias CutSeparator = @Sendable ([Double]) -> [MIPRow]

public enum MIPStatus: Hashable, Sendable {
    /// Proven optimal within the requested relative gap.
    case optimal
    /// Stopped by the time or node limit with a solution (the gap says how good).
    case timeLimit
    case failed(String)

    /// What failed, when the backend failed.
    public var failure: String? { if case .failed(let why) = self { why } else { nil } }
}

public struct MIPSolveOptions: Sendable {
    /// Relative gap at which the search may stop, relative to max(1, |objective|).
    public var relativeGap: Double = 1e-7
    /// Seconds; nil for none.
    public var timeLimit: Double?
    /// A starting solution, which must be feasible (the backend checks it and ignores it if not).
    public var incumbent: [Bool]?
    /// Stop after this many branch-and-bound nodes (deterministic, unlike a time limit); nil for none.
    public var nodeLimit: Int?
    /// A starting basis for the root LP relaxation (a hint).
    public var warmStart: LPBasis?
    /// Cuts for a node's LP solution (column values): rows `sum coef * x <= upper` valid for every
    /// 0-1 solution of the model, violated by the values given. Called on the solving thread.
    public var separator: CutSeparator?
    /// The backend's own clique cuts and Gomory mixed-integer cuts: worth it on small, tight
    /// programs (the pattern master), too slow on large compact ones.
    public var cliqueCuts = false
    public var gomoryCuts = false
    /// How the backend picks the variable to branch on.
    public var branching: MIPBranching = .driebeckTomlin
    public init(relativeGap: Double = 1e-7, timeLimit: Double? = nil, incumbent: [Bool]? = nil) {
        self.relativeGap = relativeGap; self.timeLimit = timeLimit; self.incumbent = incumbent
    }
}

public struct MIPSolution: Sendable {
    public var status: MIPStatus
    /// c·x + constant of `values`.
    public var objective: Double
    /// A proven lower bound on the model's optimum.
    public var bound: Double
    public var values: [Bool]
    /// Branch-and-bound nodes explored (0 when the root settled it).
    public var nodes: Int
}

/// An LP kept open between solves, for heuristics that change it a little at a time (diving):
/// bounds and rows change, and each `solve()` starts from the last basis. It lives only inside
/// `MIPBackend.withLPSession`'s body, on that thread.
/// Branching rules of a backend's search (GLPK's names).
public enum MIPBranching: Sendable {
    /// Driebeck and Tomlin's estimate: a tableau row per fractional variable at every node.
    case driebeckTomlin
    /// Pseudocosts, each first measured by a few dual simplex iterations on a copy of the LP.
    case pseudocost
}

public protocol LPSession: AnyObject {
    var columnCount: Int { get }
    /// Fixes a column at 0 or 1, or (nil) frees it again (0 <= x, bounded by its rows).
    func fix(column: Int, at value: Double?)
    /// Adds rows `sum coef * x <= upper` (cuts), basic, so the last basis stays dual feasible.
    func add(rows: [MIPRow])
    /// Re-solves from the last basis.
    func solve() -> LPStatus
    var objective: Double { get }
    var values: [Double] { get }
    /// Adds columns (x >= 0) with their costs and (row, coefficient) entries, non-basic at 0, so
    /// the last basis stays primal feasible (column generation). Returns false if one is malformed.
    func add(columns: [(cost: Double, entries: [(row: Int, coef: Double)])]) -> Bool
    /// Sets a column's cost (branch and price: a node's reward on its forced placements). The
    /// last basis stays primal feasible.
    func setCost(column: Int, _ cost: Double)
    /// Re-solves with the primal simplex from the last basis (after columns were added).
    func solvePrimal() -> LPStatus
    /// Removes columns that are non-basic at the last optimum (a basic one is kept: the basis stays
    /// valid); the others keep their order. Returns the columns removed, in increasing order.
    func remove(columns: [Int]) -> [Int]
    /// One per column: the reduced costs at the last optimum.
    var reducedCosts: [Double] { get }
    /// One per row: the dual values at the last optimum (<= 0 for our `<=` rows when minimising).
    var rowDuals: [Double] { get }
    /// The last optimum's basis (a warm start for an integer program over the same rows and columns).
    var basis: LPBasis { get }
    /// Sets the basis (one taken from `basis` over the same rows and columns) for the next solve:
    /// after a trial fixing is undone, the solve before it is repeated in no iterations.
    func restore(_ basis: LPBasis)
}

public protocol MIPBackend: Sendable {
    var name: String { get }
    /// The LP relaxation (columns >= 0, no upper bounds: the rows bound them), with duals; from
    /// `warmStart` if given and usable; given up (status `timeLimit`) after `timeLimit` seconds
    /// when not nil (a backend without a time limit of its own solves to the end). With a
    /// `separator`, the optimum is cut off and solved again (from the same basis) while it gives
    /// rows, at most `cutRounds` times; the rows added are reported in `cutRows`.
    func solveLP(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, separator: CutSeparator?, cutRounds: Int) -> LPSolution
    /// The 0-1 program. Must run wholly on the calling thread.
    func solveMIP(_ model: MIPModel, options: MIPSolveOptions) -> MIPSolution
    /// Opens the LP relaxation of `model` (from `warmStart` when usable), solves it, and hands the
    /// open LP to `body`; nil when the model is rejected or the first solve fails. The session
    /// must not escape `body`. Runs wholly on the calling thread.
    func withLPSession<R>(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, _ body: (any LPSession) -> R) -> R?
}

extension MIPBackend {
    /// Cut rounds at most in one LP call with a separator, unless the caller says otherwise.
    public static var maxCutRounds: Int { 200 }
    public func solveLP(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, separator: CutSeparator?) -> LPSolution {
        solveLP(model, warmStart: warmStart, timeLimit: timeLimit, separator: separator, cutRounds: Self.maxCutRounds)
    }
    public func solveLP(_ model: MIPModel, warmStart: LPBasis? = nil) -> LPSolution {
        solveLP(model, warmStart: warmStart, timeLimit: nil, separator: nil)
    }
    public func solveLP(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?) -> LPSolution {
        solveLP(model, warmStart: warmStart, timeLimit: timeLimit, separator: nil)
    }
}
