// Branch and price on the pattern master: the proof when the patterns that could improve on the
// plan are too many to enumerate (PatternSolve.swift, step 3).
//
// Where the master LP's dual is one vertex of a wide optimal face, reduced costs crowd near zero
// and the enumeration at even a tiny gap runs to hundreds of thousands of patterns (the census of
// stress-600-s8 at a slack of 1.59 in 41,418: 784,340 patterns, 31 placements over the search
// budget), and the compact model's program over options is too weak to close it. Branching on
// the master itself keeps the pattern LP's bound at every node:
//
// - A node is the master restricted by decisions on (child, placement) pairs: "c is not at p"
//   (every option at p holding c barred) or "c is at p" (c's options elsewhere barred, and every
//   pattern at p must hold c).
// - Its LP is solved by column generation, priced as in the root (HomeOptions.search) with the
//   barred options left out and the required children forced in. "c is at p" is kept by a reward
//   M on every pattern at p (all of which hold c): each plan of the node then has its value less
//   M per such placement, so the LP's value plus M per forced placement bounds the node, whatever
//   M is; a large M makes the LP use the placement whole. The Lagrangian bound of each complete
//   pricing round prunes before the LP converges.
// - A node whose LP is integral gives a plan; otherwise it branches on the pair whose share
//   x(c, p) = sum of the patterns at p holding c is nearest to one half. With both branches on
//   every pair, an LP integral on every pair is integral on the patterns (at a placement the
//   children determine the options: a sibling group's members all on their own there is not a
//   pattern, so the group placed together is the only way).
// - Nodes are taken lowest bound first (ties: deepest, then the forced branch), with a plunge
//   down the forced branch after each branching (plans early), and it ends when no open node is
//   below the plan by more than the gap asked, or stops for the program over options when the
//   gap left shrinks too slowly (`progress`).
//
// Every rule of the spec is in the patterns and the rows, so a plan found is valid for the whole
// market; a node's bound is valid for every plan of the node. When the nodes or the time run
// out, or the gap closes too slowly, the caller keeps the best plan and the least open bound
// (`Outcome.proven` false) and goes on to the proof over options.
//
// Measured 2026-12-02 (release, one thread, 2-core VM; docs/performance.md, fourteenth session):
// stress-1000-s10, unproven before (the program over its 8,578 options did not end), proven in
// 87 s end to end, 635 nodes in 43-49 s (LP 17-19 s, pricing 19-22 s); stress-800-s5 proven in
// 62 s (156 nodes). Not closed: 600-s8 (its LP bound flat in every branch: a wide optimal face),
// 600-s4, 800-s2, 800-s3 (plans 0.1-1.5% above the bound), 1000-s8.

import Foundation
import Logging

struct BranchAndPrice {
    let space: PatternSpace
    let backend: any MIPBackend
    let deadline: UInt64?
    let logger: Logger
    let name: String
    /// Threads for each node's pricing (one search per placement).
    let threads: Int
    /// Nodes at most in this search: `Self.nodeLimit`, or the caller's node limit for the proof
    /// (`MatchOptions.proofNodes`) when lower.
    let nodes: Int
    /// Nodes at most before the caller's next proof is tried (PLACEMENT_BP_NODES).
    static let nodeLimit = Int(ProcessInfo.processInfo.environment["PLACEMENT_BP_NODES"] ?? "") ?? 1_000
    static let patternsPerRound = 3
    /// The forced placements' reward, per unit of the gap at the root (PLACEMENT_BP_REWARD;
    /// 10 and 1,000 measured the same on stress-1000-s10).
    static let rewardFactor = Double(ProcessInfo.processInfo.environment["PLACEMENT_BP_REWARD"] ?? "") ?? 1_000
    /// Each node from its parent's basis (PLACEMENT_BP_BASIS=0: from the last node's).
    static let restoreBasis = ProcessInfo.processInfo.environment["PLACEMENT_BP_BASIS"] != "0"
    /// The share of the gap left that may remain after a hundred nodes (PLACEMENT_BP_PROGRESS).
    static let progress = Double(ProcessInfo.processInfo.environment["PLACEMENT_BP_PROGRESS"] ?? "") ?? 0.9
    /// Whether the search plunges down forced branches (PLACEMENT_BP_PLUNGE=0: not). Measured
    /// on stress-600-s8: lowest bound first alone found no plan in 1,700 nodes (its bound is flat
    /// across a wide face, so the flat barring branches come first forever); plunging found
    /// 41,417.51 (from 41,421.77; the gap 5.2 -> 0.94) in 13 s. stress-1000-s10: 639 nodes
    /// either way.
    static let plunging = ProcessInfo.processInfo.environment["PLACEMENT_BP_PLUNGE"] != "0"
    /// A debug line per node, not per hundred (PLACEMENT_BP_TRACE=1).
    static let trace = ProcessInfo.processInfo.environment["PLACEMENT_BP_TRACE"] != nil

    struct Outcome {
        /// Whether no plan below `value` by more than the tolerance exists.
        var proven: Bool
        var value: Double
        var plan: [(home: Int, set: [Int])]
        /// A lower bound on every plan (at most `value`).
        var bound: Double
        var nodes: Int
        /// The patterns priced in at the nodes (not in the pool given).
        var newPatterns: [(home: Int, set: [Int])]
    }

    private struct Node {
        var bound: Double
        var depth: Int
        var serial: Int
        /// Child row -> the placement it must be at.
        var forced: [Int: Int]
        /// child row * placements + placement: where the child may not be.
        var barred: Set<Int>
        /// The parent's last basis (its LP's columns then: the first ones of the LP now).
        var basis: LPBasis?
    }

    private enum NodeResult {
        /// Pruned by its bound, or solved by an integral LP.
        case closed
        case branch(bound: Double, child: Int, home: Int)
        case failed(String)
    }

    private var homes: [HomeOptions] { space.homes }

    /// The search from `plan` (value `value`, both without the children's unmatched costs), over
    /// `pool` as starting columns: those whose value under `duals` is within `slack` of their
    /// placement's minimum (`minima`) start the LP. One LP for the whole search: a node fixes at
    /// 0 the columns its decisions bar and sets the reward on its forced placements, from its
    /// parent's basis.
    func run(pool: [(home: Int, set: [Int])], plan: [(home: Int, set: [Int])], value: Double, tolerance: Double,
             duals: [Double], minima: [Double], slack: Double, rootBound: Double, basis: LPBasis? = nil) -> Outcome {
        let n = space.n
        let placements = homes.count
        let start = DispatchTime.now().uptimeNanoseconds
        func pastDeadline() -> Bool { deadline.map { DispatchTime.now().uptimeNanoseconds >= $0 } ?? false }

        var columns: [(home: Int, set: [Int])] = []
        var known = Set<[Int]>()
        func add(_ h: Int, _ set: [Int]) -> Bool {
            guard known.insert([h] + set).inserted else { return false }
            columns.append((h, set)); return true
        }
        for p in plan { _ = add(p.home, p.set) }
        for p in pool where space.patternValue(p.home, p.set, duals) - minima[p.home] < slack { _ = add(p.home, p.set) }
        let given = Set(pool.map { [$0.home] + $0.set })

        // The LP's columns are `columns`, in order; `model` mirrors it (base costs) for rounding.
        var model = MIPModel(name: name + "_branch_and_price")
        model.rows = (0..<n).map { MIPRow(name: "child_\($0 + 1)", upper: 1, entries: []) }
            + homes.indices.map { MIPRow(name: "home_\($0 + 1)", upper: 1, entries: []) }
            + space.cutUpper.indices.map { MIPRow(name: "cut_\($0 + 1)", upper: space.cutUpper[$0], entries: []) }
        func mirror(_ k: Int) -> (cost: Double, entries: [(row: Int, coef: Double)]) {
            let col = space.column(columns[k].home, columns[k].set)
            model.columns.append(MIPColumn(name: "z_\(k + 1)", cost: col.cost))
            for e in col.entries { model.rows[e.row].entries.append((k, e.coef)) }
            return col
        }
        for k in columns.indices { _ = mirror(k) }
        // Per child row, the (placement, option) pairs that place it.
        var optionsOf = [[(Int, Int)]](repeating: [], count: n)
        for h in homes.indices { for (j, rows) in space.memberRows[h].enumerated() { for r in rows { optionsOf[r].append((h, j)) } } }

        var best = (value: value, plan: plan)
        // The reward per forced placement: far above the gap, so that the LP uses such a
        // placement whole (any M keeps the bounds valid).
        let reward = Self.rewardFactor * max(1, value - rootBound) + Self.rewardFactor

        /// A set of columns as a plan, kept when valid and better.
        func consider(_ chosen: [Int]) {
            var x = [Bool](repeating: false, count: model.columns.count)
            for k in chosen { x[k] = true }
            let total = model.objective(x)
            guard total < best.value - 1e-9, model.violatedRow(x) == nil else { return }
            best = (total, chosen.map { columns[$0] })
            logger.debug("\(name) branch and price plan \(total) t \(secondsSince(start))")
        }

        var open = [Node(bound: rootBound, depth: 0, serial: 0, forced: [:], barred: [], basis: nil)]
        var serial = 0, nodes = 0, rounds = 0
        var lpSeconds = 0.0, pricingSeconds = 0.0, setupSeconds = 0.0
        var stopped: String?
        // The root LP from the master's optimal basis (`basis`, over `pool`'s first columns): its
        // basic patterns have reduced cost 0, so all are among the columns here, and the root
        // needs few pivots. (A basis short of basic columns is completed with rows by the backend.)
        let warmStart = basis.flatMap { b -> LPBasis? in
            guard b.rowBasic.count == model.rows.count else { return nil }
            var basic = Set<[Int]>()
            for (j, p) in pool.prefix(b.columnBasic.count).enumerated() where b.columnBasic[j] { basic.insert([p.home] + p.set) }
            return LPBasis(columnBasic: columns.map { basic.contains([$0.home] + $0.set) }, rowBasic: b.rowBasic)
        }
        let session: Void? = backend.withLPSession(model, warmStart: warmStart, timeLimit: MatchSolver.seconds(until: deadline)) { lp in
            logger.debug("\(name) branch and price root LP \(lp.objective) over \(columns.count) patterns t \(secondsSince(start))")
            var fixed = [Bool](repeating: false, count: columns.count)
            var cost = model.columns.map(\.cost)

            func solve(_ node: Node) -> NodeResult {
                let t0 = DispatchTime.now().uptimeNanoseconds
                // The node's restrictions: barred options, required children per placement.
                var required = [[Int]](repeating: [], count: placements)
                for (r, h) in node.forced.sorted(by: { $0.key < $1.key }) { required[h].append(r) }
                // (From the few decisions, through each child's options: a scan of every option
                // against the decisions was a quarter of stress-2000 s6's branch and price.)
                var blocked = homes.map { [Bool](repeating: false, count: $0.options.count) }
                for key in node.barred {
                    let (r, h) = key.quotientAndRemainder(dividingBy: placements)
                    for (h2, j) in optionsOf[r] where h2 == h { blocked[h][j] = true }
                }
                for (r, h) in node.forced { for (h2, j) in optionsOf[r] where h2 != h { blocked[h2][j] = true } }
                func admissible(_ h: Int, _ set: [Int]) -> Bool {
                    if set.contains(where: { blocked[h][$0] }) { return false }
                    guard !required[h].isEmpty else { return true }
                    let rows = Set(set.flatMap { space.memberRows[h][$0] })
                    return required[h].allSatisfy(rows.contains)
                }
                let bonus = required.map { $0.isEmpty ? 0.0 : reward }
                let shift = bonus.reduce(0, +)
                for k in columns.indices {
                    let bar = !admissible(columns[k].home, columns[k].set)
                    if bar != fixed[k] { lp.fix(column: k, at: bar ? 0 : nil); fixed[k] = bar }
                    let c = model.columns[k].cost - bonus[columns[k].home]
                    if c != cost[k] { lp.setCost(column: k, c); cost[k] = c }
                }
                if let b = node.basis, Self.restoreBasis {
                    lp.restore(LPBasis(columnBasic: b.columnBasic + [Bool](repeating: false, count: columns.count - b.columnBasic.count),
                                       rowBasic: b.rowBasic))
                }
                setupSeconds += secondsSince(t0)
                var t1 = DispatchTime.now().uptimeNanoseconds
                let status = lp.solve()
                lpSeconds += secondsSince(t1)
                guard status == .optimal else { return .failed("the node LP: \(status)") }
                // The forced children's options lowered by `unit` each, so that a placement's best
                // patterns hold all of its required children (then added back).
                let unit: [Double] = homes.indices.map { h in
                    required[h].isEmpty ? 0 : 1e6 + 10 * reward + homes[h].cost.reduce(0) { $0 + abs($1) }
                }
                let lifts: [[Double]] = homes.indices.map { h in
                    guard !required[h].isEmpty else { return [] }
                    let need = Set(required[h])
                    return space.memberRows[h].map { rows in unit[h] * Double(rows.filter(need.contains).count) }
                }
                var bound = node.bound
                while true {
                    rounds += 1
                    guard !pastDeadline() else { return .failed("time") }
                    let y = lp.rowDuals.map { min(0, $0) }
                    guard y.count == space.rowCount else { return .failed("the node LP's duals") }
                    t1 = DispatchTime.now().uptimeNanoseconds
                    var lagrangian = space.rowTerm(y) + shift
                    var added: [(cost: Double, entries: [(row: Int, coef: Double)])] = []
                    let lifted = homes.indices.map { unit[$0] * Double(required[$0].count) }
                    let (space, blocked) = (space, blocked)
                    let searches = Parallel.map(homes.count, threads: threads) { h in
                        var d = space.reduced(h, y)
                        for j in d.indices where blocked[h][j] { d[j] = .infinity }
                        if !lifts[h].isEmpty { for j in d.indices where d[j].isFinite { d[j] -= lifts[h][j] } }
                        return homes[h].search(d, penalty: space.penalty(h, y), below: bonus[h] - lifted[h], keep: Self.patternsPerRound,
                                               nodeBudget: MatchSolver.patternNodeBudget, index: space.index)
                    }
                    for h in homes.indices {
                        let s = searches[h]
                        guard s.complete else { return .failed("a placement's pricing ran out of budget") }
                        var least = 0.0
                        for p in s.patterns where admissible(h, p.set) {
                            let v = p.value + lifted[h] - bonus[h]
                            least = min(least, v)
                            if v - y[n + h] < -1e-9, add(h, p.set) {
                                let col = mirror(columns.count - 1)
                                added.append((col.cost - bonus[h], col.entries))
                                fixed.append(false); cost.append(col.cost - bonus[h])
                            }
                        }
                        lagrangian += least
                    }
                    pricingSeconds += secondsSince(t1)
                    // (Into the LP at once: every column of `columns` is one of its columns.)
                    guard lp.add(columns: added) else { return .failed("a node's column") }
                    bound = max(bound, lagrangian)
                    if bound >= best.value - tolerance { return .closed }
                    if added.isEmpty { break }
                    let t2 = DispatchTime.now().uptimeNanoseconds
                    defer { lpSeconds += secondsSince(t2) }
                    let status = lp.solvePrimal()
                    guard status == .optimal else { return .failed("the node LP: \(status)") }
                }
                bound = max(bound, lp.objective + shift)
                if bound >= best.value - tolerance { return .closed }
                let z = lp.values
                guard z.count == columns.count else { return .failed("the node LP's values") }
                // A plan from the LP: rounded (always valid), and the LP itself when integral.
                let rounded = PrimalHeuristics.rounded(model, values: z)
                consider(rounded.indices.filter { rounded[$0] })
                var share: [Int: Double] = [:]
                var integral = true
                for k in columns.indices where z[k] > 1e-9 {
                    if z[k] < 1 - 1e-6 { integral = false }
                    let h = columns[k].home
                    for j in columns[k].set { for r in space.memberRows[h][j] { share[r * placements + h, default: 0] += z[k] } }
                }
                if integral {
                    consider(columns.indices.filter { z[$0] > 0.5 })
                    // Integral but a forced placement left short: the reward was not enough.
                    var used = [Double](repeating: 0, count: placements)
                    for k in columns.indices where z[k] > 1e-9 { used[columns[k].home] += z[k] }
                    if homes.indices.contains(where: { !required[$0].isEmpty && used[$0] < 1 - 1e-6 }) {
                        return .failed("a forced placement left unused")
                    }
                    return .closed
                }
                var pick: (key: Int, distance: Double)?
                for (key, x) in share.sorted(by: { $0.key < $1.key }) {
                    if node.forced[key / placements] != nil { continue }
                    let f = min(x, 1 - x)
                    if f > 1e-6, f > (pick?.distance ?? 0) + 1e-9 { pick = (key, f) }
                }
                guard let pick else { return .failed("an LP fractional on patterns, integral on every pair") }
                return .branch(bound: bound, child: pick.key / placements, home: pick.key % placements)
            }

            // A plunge: the forced child of the node just branched, taken next (depth first)
            // until a node is pruned or solved; then lowest bound first again.
            var plunge: Node?
            var gapBefore: Double?
            while true {
                let node: Node
                if let p = plunge {
                    node = p; plunge = nil
                } else {
                    guard let i = open.indices.min(by: { (open[$0].bound, -open[$0].depth, open[$0].serial) < (open[$1].bound, -open[$1].depth, open[$1].serial) }) else { break }
                    if open[i].bound >= best.value - tolerance { open.removeAll(); break }
                    node = open.remove(at: i)
                }
                if node.bound >= best.value - tolerance { continue }
                if nodes >= self.nodes { open.append(node); stopped = "\(nodes) nodes"; break }
                if pastDeadline() { open.append(node); stopped = "time"; break }
                nodes += 1
                switch solve(node) {
                case .closed:
                    break
                case .failed(let why):
                    open.append(node)
                    stopped = why
                case .branch(let bound, let c, let h):
                    var left = node, right = node
                    left.bound = bound; right.bound = bound
                    left.basis = lp.basis; right.basis = left.basis
                    left.depth += 1; right.depth += 1
                    // (Of two equal bounds the forced branch first: a dive down it fixes a child
                    // a step and ends in a plan; down the barring one it barred pair after pair
                    // across an LP face that did not rise, stress-600-s8, 1,300 nodes.)
                    serial += 1; right.serial = serial
                    serial += 1; left.serial = serial
                    left.barred.insert(c * placements + h)
                    right.forced[c] = h
                    if Self.plunging { plunge = right } else { open.append(right) }
                    open.append(left)
                }
                if stopped != nil { break }
                // Every hundred nodes from the second: the gap left must have shrunk by a tenth
                // since the last hundred, or the search stops for the next proof. Measured
                // (gap left per hundred nodes): stress-1000-s10 5.9, 3.1, 1.9, 1.0, 0.6, 0.3,
                // proven at 635; stress-300-s10 27, 19, 16, proven at 387; 600-s1 7.8, 7.6, 7.6,
                // ... 7.0 at 1,000 and 200-s5 234 -> 232 (the program over options proved each
                // in 21 and 9 nodes, 2.6 and 0.5 s, after those 1,000 nodes' 20 and 6.5 s).
                if nodes % 100 == 0 {
                    let gap = best.value - (open.map(\.bound).min() ?? best.value)
                    if nodes >= 200, let before = gapBefore, gap > Self.progress * before {
                        if let p = plunge { open.append(p) }
                        stopped = "the gap left, \(gap), shrank by less than \(Int(((1 - Self.progress) * 100).rounded()))% in 100 nodes"
                        break
                    }
                    gapBefore = gap
                }
                if nodes % 100 == 0 || Self.trace {
                    logger.debug("\(name) branch and price nodes \(nodes) rounds \(rounds) columns \(columns.count) open \(open.count) bound \(open.map(\.bound).min() ?? best.value) plan \(best.value) t \(secondsSince(start))")
                }
            }
        }
        if session == nil { stopped = stopped ?? "the LP could not be opened" }
        let least = min(best.value, open.map(\.bound).min() ?? best.value)
        let proven = stopped == nil && open.allSatisfy { $0.bound >= best.value - tolerance }
        logger.debug("\(name) branch and price \(proven ? "proven" : "stopped (\(stopped ?? "-"))") nodes \(nodes) plan \(best.value) bound \(least) patterns \(columns.count) t \(secondsSince(start)) lp \(lpSeconds) pricing \(pricingSeconds) setup \(setupSeconds)")
        let fresh = columns.filter { !given.contains([$0.home] + $0.set) }
        return Outcome(proven: proven, value: best.value, plan: best.plan, bound: least, nodes: nodes, newPatterns: fresh)
    }
}
