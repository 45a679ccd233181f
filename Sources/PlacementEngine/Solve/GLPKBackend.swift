// The GLPK backend: the only file that holds GLPK problem objects and their unsafe pointers.
//
// GLPK's environment is thread-local, so every call here creates, solves, reads and deletes its
// glp_prob inside one synchronous call on one thread (no await, no deinit elsewhere). Everything
// GLPK could abort on (bad indices, NaN, long names) is ruled out by `MIPModel.checkInvariants()`
// first; the rare rest is caught by the C shim (glp_error_hook + longjmp) and becomes `.failed`.

internal import CGLPK
internal import GLPKShim
import Foundation

public struct GLPKBackend: MIPBackend {
    public var name: String { "glpk \(String(cString: glp_version()))" }
    public init() {}

    static let tailOff = ProcessInfo.processInfo.environment["PLACEMENT_TAILOFF"] != nil

    public func solveLP(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, separator: CutSeparator?, cutRounds: Int) -> LPSolution {
        if let problem = model.checkInvariants() {
            return LPSolution(status: .failed("model rejected before GLPK: \(problem)"), objective: .nan,
                              rowDuals: [], columnValues: [], reducedCosts: [])
        }
        let lp = GLPKLPSession(model, timeLimit: timeLimit)
        defer { lp.close() }
        var status = lp.start(warmStart: warmStart)
        var cutRows: [MIPRow] = []
        var converged = true
        if let separator, status == .optimal {
            // The cut rows are added basic (their slacks), so the basis stays dual feasible: the
            // dual simplex takes it from there in a few pivots.
            var history = [lp.objective]
            for round in 0...max(0, cutRounds) {
                let rows = separator(lp.values).filter { lp.accepts($0) }
                if rows.isEmpty || !lp.timeLeft() { break }
                if round == cutRounds { converged = false; break }
                lp.add(rows: rows)
                cutRows += rows
                status = lp.solve()
                if status != .optimal { break }
                // Tailing off: three rounds that together moved the objective by less than 1e-6
                // (relative) are not worth a fourth.
                let z = lp.objective
                history.append(z)
                if Self.tailOff, history.count >= 6, z - history[history.count - 6] <= 1e-7 * max(1, abs(z)) { break }
            }
        }
        guard status == .optimal else {
            return LPSolution(status: status, objective: .nan, rowDuals: [], columnValues: [], reducedCosts: [])
        }
        var solution = lp.solution()
        solution.cutRows = cutRows
        solution.cutsConverged = converged
        return solution
    }

    public func withLPSession<R>(_ model: MIPModel, warmStart: LPBasis?, timeLimit: Double?, _ body: (any LPSession) -> R) -> R? {
        guard model.checkInvariants() == nil else { return nil }
        let lp = GLPKLPSession(model, timeLimit: timeLimit)
        defer { lp.close() }
        guard lp.start(warmStart: warmStart) == .optimal else { return nil }
        return body(lp)
    }

    public func solveMIP(_ model: MIPModel, options: MIPSolveOptions) -> MIPSolution {
        let n = model.columns.count
        if let problem = model.checkInvariants() {
            return MIPSolution(status: .failed("model rejected before GLPK: \(problem)"), objective: .nan,
                               bound: -.infinity, values: [], nodes: 0)
        }
        // A starting solution GLPK may use only if it is feasible: glp_ios_heur_sol would accept an
        // infeasible one and GLPK would then report a wrong optimum.
        var start = options.incumbent
        if let s = start, s.count != n || model.violatedRow(s) != nil { start = nil }
        if n == 0 {
            return MIPSolution(status: .optimal, objective: model.objectiveConstant, bound: model.objectiveConstant,
                               values: [], nodes: 0)
        }
        placement_glp_silence()
        let began = DispatchTime.now().uptimeNanoseconds
        let P = GLPKProblem.build(model, binary: true, names: false)
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        if let t = options.timeLimit { smcp.tm_lim = Int32(clamping: Int(max(1, t * 1000))) }
        let lpRC = GLPKBackend.simplex(P, &smcp, warmStart: options.warmStart)
        if lpRC == PLACEMENT_GLPK_FAILED {
            return MIPSolution(status: .failed("GLPK reported an error in simplex"), objective: .nan,
                               bound: -.infinity, values: [], nodes: 0)
        }
        defer { glp_delete_prob(P) }
        let fallback = start ?? [Bool](repeating: false, count: n)
        guard lpRC == 0, glp_get_status(P) == GLP_OPT else {
            // The LP did not finish (time limit): the starting solution is all we have.
            return MIPSolution(status: lpRC == GLP_ETMLIM ? .timeLimit : .failed("simplex returned \(lpRC)"),
                               objective: model.objective(fallback), bound: -.infinity, values: fallback, nodes: 0)
        }
        let rootBound = glp_get_obj_val(P)

        let context = SearchContext(start: start, nodeLimit: options.nodeLimit, separator: options.separator, columns: n)
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = GLP_OFF
        // Gomory's cuts off: a tableau row per fractional variable stalled for minutes on a
        // 554-child component; the placements' own cuts (options.separator) take their place.
        iocp.gmi_cuts = GLP_OFF
        iocp.mir_cuts = GLP_OFF
        iocp.cov_cuts = GLP_OFF  // shared static state in GLPK 5: never in concurrent solves
        iocp.clq_cuts = GLP_OFF
        if options.cliqueCuts { iocp.clq_cuts = GLP_ON }
        if options.gomoryCuts { iocp.gmi_cuts = GLP_ON }
        iocp.br_tech = options.branching == .pseudocost ? GLP_BR_PCH : GLP_BR_DTH
        iocp.bt_tech = GLP_BT_BLB
        iocp.mip_gap = max(0, options.relativeGap)
        if let t = options.timeLimit {
            let used = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            iocp.tm_lim = Int32(clamping: Int(max(1, (t - used) * 1000)))
        }
        GLPKBackend.applyExperiment(&iocp)
        iocp.cb_func = glpkSearchCallback
        let rc = withExtendedLifetime(context) { () -> Int32 in
            iocp.cb_info = Unmanaged.passUnretained(context).toOpaque()
            return placement_glp_intopt(P, &iocp)
        }
        if rc == PLACEMENT_GLPK_FAILED {
            return MIPSolution(status: .failed("GLPK reported an error in branch and bound"), objective: .nan,
                               bound: -.infinity, values: [], nodes: 0)
        }
        let mipStatus = glp_mip_status(P)
        var values = fallback
        if mipStatus == GLP_OPT || mipStatus == GLP_FEAS {
            values = (0..<n).map { glp_mip_col_val(P, Int32($0 + 1)) > 0.5 }
        }
        // GLPK's values, checked against the model here rather than trusted.
        if model.violatedRow(values) != nil { values = fallback }
        let objective = model.objective(values)
        let completed = rc == 0 && mipStatus == GLP_OPT
        var bound: Double
        if completed {
            bound = objective   // the tree was exhausted
        } else {
            bound = context.bound ?? rootBound
            bound = max(bound, rootBound)
        }
        bound = min(bound, objective)
        let gap = (objective - bound) / max(1, abs(objective))
        let status: MIPStatus
        switch rc {
        case 0, GLP_EMIPGAP: status = gap <= max(options.relativeGap, 1e-9) || completed ? .optimal : .timeLimit
        case GLP_ETMLIM, GLP_ESTOP: status = .timeLimit
        default: status = .failed("glp_intopt returned \(rc)")
        }
        return MIPSolution(status: status, objective: objective, bound: bound, values: values, nodes: context.nodes)
    }

    /// The simplex from `warmStart` when it is a usable basis, else from the standard one. The
    /// warm basis is completed (missing basic variables are taken from the row slacks) or given up
    /// (too many basic variables); if GLPK finds it singular or ill-conditioned, the solve starts
    /// again from the standard basis, so a bad hint costs time, never an answer.
    static func simplex(_ P: OpaquePointer, _ smcp: inout glp_smcp, warmStart: LPBasis?) -> Int32 {
        if let warm = warmStart, setBasis(P, warm) {
            smcp.meth = GLP_PRIMAL
            let rc = placement_glp_simplex(P, &smcp)
            if rc != GLP_EBADB && rc != GLP_ESING && rc != GLP_ECOND { return rc }
        }
        prepareBasis(P, &smcp)
        return placement_glp_simplex(P, &smcp)
    }

    static func setBasis(_ P: OpaquePointer, _ warm: LPBasis) -> Bool {
        let m = Int(glp_get_num_rows(P)), n = Int(glp_get_num_cols(P))
        guard warm.rowBasic.count == m, warm.columnBasic.count == n, m > 0 else { return false }
        var rowBasic = warm.rowBasic
        var basic = rowBasic.reduce(0) { $0 + ($1 ? 1 : 0) } + warm.columnBasic.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard basic <= m else { return false }
        for i in 0..<m where basic < m && !rowBasic[i] { rowBasic[i] = true; basic += 1 }
        for i in 0..<m { glp_set_row_stat(P, Int32(i + 1), rowBasic[i] ? GLP_BS : GLP_NU) }
        for j in 0..<n { glp_set_col_stat(P, Int32(j + 1), warm.columnBasic[j] ? GLP_BS : GLP_NL) }
        return true
    }

    /// Experiment switch PLACEMENT_IOCP="gmi=0,mir=1,clq=1,br=pch,bt=bph,fp=1,ps=1,sr=0".
    static let iocpExperiment = ProcessInfo.processInfo.environment["PLACEMENT_IOCP"]
    static func applyExperiment(_ iocp: inout glp_iocp) {
        guard let spec = iocpExperiment else { return }
        for item in spec.split(separator: ",") {
            let kv = item.split(separator: "=").map(String.init)
            guard kv.count == 2 else { continue }
            let on = kv[1] == "1" ? GLP_ON : GLP_OFF
            switch kv[0] {
            case "gmi": iocp.gmi_cuts = on
            case "mir": iocp.mir_cuts = on
            case "clq": iocp.clq_cuts = on
            case "fp": iocp.fp_heur = on
            case "ps": iocp.ps_heur = on
            case "sr": iocp.sr_heur = on
            case "pp": iocp.pp_tech = kv[1] == "all" ? GLP_PP_ALL : kv[1] == "root" ? GLP_PP_ROOT : GLP_PP_NONE
            case "br": iocp.br_tech = ["ffv": GLP_BR_FFV, "lfv": GLP_BR_LFV, "mfv": GLP_BR_MFV, "dth": GLP_BR_DTH, "pch": GLP_BR_PCH][kv[1]] ?? iocp.br_tech
            case "bt": iocp.bt_tech = ["dfs": GLP_BT_DFS, "bfs": GLP_BT_BFS, "blb": GLP_BT_BLB, "bph": GLP_BT_BPH][kv[1]] ?? iocp.bt_tech
            default: break
            }
        }
    }

    /// Each session re-solve's iterations and seconds on standard error (PLACEMENT_DEBUG_LP).
    static let debugLP = ProcessInfo.processInfo.environment["PLACEMENT_DEBUG_LP"] != nil
    static let debugTree = ProcessInfo.processInfo.environment["PLACEMENT_DEBUG_TREE"] != nil
    /// The starting basis and method (experiment switch PLACEMENT_LP = std|adv|cpx, primal|dual).
    static let lpMode = ProcessInfo.processInfo.environment["PLACEMENT_LP"] ?? "std-primal"
    static func prepareBasis(_ P: OpaquePointer, _ smcp: inout glp_smcp) {
        let mode = lpMode
        if mode.hasPrefix("adv") { glp_adv_basis(P, 0) } else if mode.hasPrefix("cpx") { glp_cpx_basis(P) } else { glp_std_basis(P) }
        smcp.meth = mode.hasSuffix("dual") ? GLP_DUALP : GLP_PRIMAL
    }

    /// Writes the model in CPLEX LP (`lp: true`) or free MPS, with its readable names.
    ///
    /// The objective constant (the cost of leaving every child unmatched) is written as one more
    /// column, `objective_constant`, continuous and fixed at 1 (bounds [1, 1]) whose cost is the
    /// constant, and GLPK's own objective constant is set to 0: CPLEX LP has no constant (GLPK
    /// writes it as a comment only) and MPS readers disagree on its sign (HiGHS reads GLPK's RHS
    /// entry on the objective row with the opposite sign to glpsol). So every solver reads the file
    /// to the same optimum as the engine's.
    public func write(_ model: MIPModel, to path: String, lp: Bool) -> String? {
        if let problem = model.checkInvariants() { return "model rejected before GLPK: \(problem)" }
        placement_glp_silence()
        let P = GLPKProblem.build(model, binary: true, names: true)
        glp_set_obj_coef(P, 0, 0)
        let constant = glp_add_cols(P, 1)
        glp_set_col_name(P, constant, "objective_constant")
        glp_set_col_kind(P, constant, GLP_CV)
        glp_set_col_bnds(P, constant, GLP_FX, 1, 1)
        glp_set_obj_coef(P, constant, model.objectiveConstant)
        let rc = lp ? placement_glp_write_lp(P, path) : placement_glp_write_mps(P, GLP_MPS_FILE, path)
        if rc == PLACEMENT_GLPK_FAILED { return "GLPK reported an error while writing \(path)" }
        glp_delete_prob(P)
        return rc == 0 ? nil : "GLPK could not write \(path)"
    }
}

/// One glp_prob holding an LP relaxation between solves (see `LPSession`); created, used and
/// closed on one thread inside one call.
private final class GLPKLPSession: LPSession {
    let P: OpaquePointer
    private(set) var columnCount: Int
    private var smcp = glp_smcp()
    private let began = DispatchTime.now().uptimeNanoseconds
    private let timeLimit: Double?
    /// A GLPK error freed the thread's environment, and the problem with it (GLPKShim.c): from
    /// then on nothing may touch `P`, not even to delete it.
    private var dead = false

    init(_ model: MIPModel, timeLimit: Double?) {
        placement_glp_silence()
        P = GLPKProblem.build(model, binary: false, names: false)
        columnCount = model.columns.count
        self.timeLimit = timeLimit
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        _ = timeLeft()
    }

    func close() { if !dead { glp_delete_prob(P) } }

    /// Sets GLPK's time limit to what is left; false when nothing is.
    func timeLeft() -> Bool {
        guard let t = timeLimit else { return true }
        let left = t - Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        smcp.tm_lim = Int32(clamping: Int(max(1, left * 1000)))
        return left > 0
    }

    func start(warmStart: LPBasis?) -> LPStatus {
        if dead { return .failed("GLPK reported an error in simplex") }
        return status(GLPKBackend.simplex(P, &smcp, warmStart: warmStart))
    }

    func solve() -> LPStatus { resolve(GLP_DUALP) }

    func solvePrimal() -> LPStatus { resolve(GLP_PRIMAL) }

    /// Re-solves from the last basis with `method`, within what is left of the time limit.
    private func resolve(_ method: Int32) -> LPStatus {
        if dead { return .failed("GLPK reported an error in simplex") }
        _ = timeLeft()
        smcp.meth = method
        guard GLPKBackend.debugLP else { return status(placement_glp_simplex(P, &smcp)) }
        let iterations = glp_get_it_cnt(P), began = DispatchTime.now().uptimeNanoseconds
        let rc = placement_glp_simplex(P, &smcp)
        // (After a GLPK error the problem is freed: nothing more may be read from it.)
        if rc != PLACEMENT_GLPK_FAILED {
            FileHandle.standardError.write("\(method == GLP_PRIMAL ? "primal" : "dual") its \(glp_get_it_cnt(P) - iterations) t \(secondsSince(began)) cols \(columnCount)\n".data(using: .utf8)!)
        }
        return status(rc)
    }

    private func status(_ rc: Int32) -> LPStatus {
        if rc == PLACEMENT_GLPK_FAILED { dead = true; return .failed("GLPK reported an error in simplex") }
        if rc == 0, glp_get_status(P) == GLP_OPT { return .optimal }
        if rc == GLP_ETMLIM { return .timeLimit }
        if rc == 0, glp_get_status(P) == GLP_NOFEAS { return .infeasible }
        return .failed("simplex returned \(rc), status \(glp_get_status(P))")
    }

    func accepts(_ row: MIPRow) -> Bool { GLPKProblem.accepts(row, columns: columnCount) }

    func fix(column j: Int, at value: Double?) {
        guard !dead, j >= 0 && j < columnCount else { return }
        if let v = value, v.isFinite, v >= 0 {
            glp_set_col_bnds(P, Int32(j + 1), GLP_FX, v, v)
        } else {
            glp_set_col_bnds(P, Int32(j + 1), GLP_LO, 0, 0)
        }
    }

    func setCost(column j: Int, _ cost: Double) {
        guard !dead, j >= 0 && j < columnCount, cost.isFinite else { return }
        glp_set_obj_coef(P, Int32(j + 1), cost)
    }

    func add(rows: [MIPRow]) {
        let rows = rows.filter(accepts)
        guard !dead, !rows.isEmpty else { return }
        let first = glp_add_rows(P, Int32(rows.count))
        for (k, row) in rows.enumerated() {
            let i = first + Int32(k)
            var (ind, val) = GLPKProblem.sparse(row)
            glp_set_mat_row(P, i, Int32(row.entries.count), &ind, &val)
            glp_set_row_bnds(P, i, GLP_UP, 0, row.upper)
        }
    }

    var objective: Double { dead ? .nan : glp_get_obj_val(P) }
    var values: [Double] { dead ? [] : (0..<columnCount).map { glp_get_col_prim(P, Int32($0 + 1)) } }
    var rowDuals: [Double] { dead ? [] : (0..<Int(glp_get_num_rows(P))).map { glp_get_row_dual(P, Int32($0 + 1)) } }

    func add(columns: [(cost: Double, entries: [(row: Int, coef: Double)])]) -> Bool {
        guard !dead else { return false }
        let m = Int(glp_get_num_rows(P))
        // Checked here, before GLPK sees them: GLPK aborts on an index out of range or a repeated row.
        for column in columns {
            guard column.cost.isFinite else { return false }
            var last = -1
            for e in column.entries {
                guard e.row > last, e.row < m, e.coef.isFinite, e.coef > 0 else { return false }
                last = e.row
            }
        }
        guard !columns.isEmpty else { return true }
        let first = glp_add_cols(P, Int32(columns.count))
        for (k, column) in columns.enumerated() {
            let j = first + Int32(k)
            glp_set_col_bnds(P, j, GLP_LO, 0, 0)
            glp_set_obj_coef(P, j, column.cost)
            var ind = [Int32](repeating: 0, count: column.entries.count + 1)
            var val = [Double](repeating: 0, count: column.entries.count + 1)
            for (i, e) in column.entries.enumerated() { ind[i + 1] = Int32(e.row + 1); val[i + 1] = e.coef }
            glp_set_mat_col(P, j, Int32(column.entries.count), &ind, &val)
            glp_set_col_stat(P, j, GLP_NL)
        }
        columnCount += columns.count
        return true
    }

    var basis: LPBasis {
        let m = dead ? 0 : Int(glp_get_num_rows(P)), n = dead ? 0 : columnCount
        return LPBasis(columnBasic: (0..<n).map { glp_get_col_stat(P, Int32($0 + 1)) == GLP_BS },
                       rowBasic: (0..<m).map { glp_get_row_stat(P, Int32($0 + 1)) == GLP_BS })
    }

    func restore(_ basis: LPBasis) {
        guard !dead else { return }
        _ = GLPKBackend.setBasis(P, basis)   // (statuses of fixed columns are GLPK's to normalise)
    }

    func remove(columns: [Int]) -> [Int] {
        guard !dead else { return [] }
        let gone = Set(columns).filter { $0 >= 0 && $0 < columnCount && glp_get_col_stat(P, Int32($0 + 1)) != GLP_BS }.sorted()
        guard !gone.isEmpty else { return [] }
        var num = [Int32(0)] + gone.map { Int32($0 + 1) }
        glp_del_cols(P, Int32(gone.count), &num)
        columnCount -= gone.count
        return gone
    }

    var reducedCosts: [Double] { dead ? [] : (0..<columnCount).map { glp_get_col_dual(P, Int32($0 + 1)) } }

    func solution() -> LPSolution {
        let m = Int(glp_get_num_rows(P))
        return LPSolution(
            status: .optimal,
            objective: glp_get_obj_val(P),
            rowDuals: (0..<m).map { glp_get_row_dual(P, Int32($0 + 1)) },
            columnValues: values,
            reducedCosts: reducedCosts,
            basis: basis)
    }
}

/// What the branch-and-bound callback needs: the starting solution, once, and the best bound seen.
private final class SearchContext {
    let start: [Bool]?
    var offered = false
    var bound: Double?
    var nodes = 0
    let nodeLimit: Int?
    var stoppedByNodeLimit = false
    let separator: (@Sendable ([Double]) -> [MIPRow])?
    let columns: Int
    var cutsAdded = 0
    var lastPrint: UInt64 = 0
    var cutNode: Int32 = -1
    var cutRoundsAtNode = 0
    /// Cut rounds at one node at most, and the deepest level cuts are separated at (GLPK keeps
    /// every cut in its pool, so cuts from deep nodes weigh on every later LP).
    static let cutRoundsPerNode = Int(ProcessInfo.processInfo.environment["PLACEMENT_NODECUT_ROUNDS"] ?? "") ?? 100
    static let cutMaxLevel = Int(ProcessInfo.processInfo.environment["PLACEMENT_NODECUT_LEVEL"] ?? "") ?? 20
    func allowCuts(node: Int32, level: Int32) -> Bool {
        guard Int(level) <= Self.cutMaxLevel else { return false }
        if node != cutNode { cutNode = node; cutRoundsAtNode = 0 }
        cutRoundsAtNode += 1
        return cutRoundsAtNode <= Self.cutRoundsPerNode
    }
    init(start: [Bool]?, nodeLimit: Int?, separator: (@Sendable ([Double]) -> [MIPRow])?, columns: Int) {
        self.start = start; self.nodeLimit = nodeLimit; self.separator = separator; self.columns = columns
    }
}

private func glpkSearchCallback(_ tree: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    guard let tree, let info else { return }
    let context = Unmanaged<SearchContext>.fromOpaque(info).takeUnretainedValue()
    let best = glp_ios_best_node(tree)
    if best != 0 { context.bound = glp_ios_node_bound(tree, best) }
    var active: Int32 = 0, total: Int32 = 0
    glp_ios_tree_size(tree, &active, nil, &total)
    context.nodes = Int(total)
    if GLPKBackend.debugTree, glp_ios_reason(tree) == GLP_IBRANCH {
        let now = DispatchTime.now().uptimeNanoseconds
        if now > context.lastPrint + 1_000_000_000 {
            context.lastPrint = now
            let P = glp_ios_get_prob(tree)!
            var frac = 0
            for j in 1...max(1, context.columns) { let v = glp_get_col_prim(P, Int32(j)); if v > 1e-6 && v < 1 - 1e-6 { frac += 1 } }
            FileHandle.standardError.write("tree: nodes \(total) active \(active) bound \(context.bound ?? .nan) rows \(glp_get_num_rows(P)) cuts \(context.cutsAdded) frac \(frac) level \(glp_ios_node_level(tree, glp_ios_curr_node(tree))) mip \(glp_mip_obj_val(P))\n".data(using: .utf8)!)
        }
    }
    if let limit = context.nodeLimit, context.nodes >= limit, !context.stoppedByNodeLimit {
        context.stoppedByNodeLimit = true
        glp_ios_terminate(tree)
    }
    if glp_ios_reason(tree) == GLP_ICUTGEN, let separator = context.separator, let P = glp_ios_get_prob(tree),
       context.allowCuts(node: glp_ios_curr_node(tree), level: glp_ios_node_level(tree, glp_ios_curr_node(tree))) {
        let x = (0..<context.columns).map { glp_get_col_prim(P, Int32($0 + 1)) }
        for row in separator(x) where GLPKProblem.accepts(row, columns: context.columns) {
            var (ind, val) = GLPKProblem.sparse(row)
            _ = glp_ios_add_row(tree, nil, 101, 0, Int32(row.entries.count), &ind, &val, GLP_UP, row.upper)
            context.cutsAdded += 1
        }
    }
    if glp_ios_reason(tree) == GLP_IHEUR, !context.offered, let start = context.start {
        context.offered = true
        var x = [Double](repeating: 0, count: start.count + 1)   // 1-based, x[0] unused
        for (j, on) in start.enumerated() where on { x[j + 1] = 1 }
        _ = glp_ios_heur_sol(tree, &x)
    }
}

/// Building a glp_prob from a model: 1-based arrays with a dummy element at index 0.
private enum GLPKProblem {
    /// A cut row GLPK can take without aborting: finite, within the columns, positive coefficients.
    static func accepts(_ row: MIPRow, columns: Int) -> Bool {
        row.upper.isFinite && !row.entries.isEmpty
            && row.entries.allSatisfy { $0.column >= 0 && $0.column < columns && $0.coef.isFinite && $0.coef > 0 }
    }

    /// A row's entries as GLPK's 1-based index and value arrays (element 0 unused).
    static func sparse(_ row: MIPRow) -> ([Int32], [Double]) {
        var ind = [Int32](repeating: 0, count: row.entries.count + 1)
        var val = [Double](repeating: 0, count: row.entries.count + 1)
        for (k, e) in row.entries.enumerated() { ind[k + 1] = Int32(e.column + 1); val[k + 1] = e.coef }
        return (ind, val)
    }

    static func build(_ model: MIPModel, binary: Bool, names: Bool) -> OpaquePointer {
        let P = glp_create_prob()!
        glp_set_obj_dir(P, GLP_MIN)
        if names { glp_set_prob_name(P, model.name) ; glp_set_obj_name(P, "total_cost") }
        let m = model.rows.count, n = model.columns.count
        if m > 0 { glp_add_rows(P, Int32(m)) }
        if n > 0 { glp_add_cols(P, Int32(n)) }
        glp_set_obj_coef(P, 0, model.objectiveConstant)
        for (j, col) in model.columns.enumerated() {
            let jj = Int32(j + 1)
            if binary { glp_set_col_kind(P, jj, GLP_BV) } else { glp_set_col_bnds(P, jj, GLP_LO, 0, 0) }
            glp_set_obj_coef(P, jj, col.cost)
            if names { glp_set_col_name(P, jj, col.name) }
        }
        let nz = model.nonZeros
        var ia = [Int32](repeating: 0, count: nz + 1)
        var ja = [Int32](repeating: 0, count: nz + 1)
        var ar = [Double](repeating: 0, count: nz + 1)
        var k = 1
        for (i, row) in model.rows.enumerated() {
            let ii = Int32(i + 1)
            glp_set_row_bnds(P, ii, GLP_UP, 0, row.upper)
            if names { glp_set_row_name(P, ii, row.name) }
            for e in row.entries {
                ia[k] = ii; ja[k] = Int32(e.column + 1); ar[k] = e.coef; k += 1
            }
        }
        if nz > 0 { glp_load_matrix(P, Int32(nz), &ia, &ja, &ar) }
        return P
    }
}
