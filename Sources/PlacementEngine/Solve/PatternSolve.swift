// The pattern formulation: Dantzig–Wolfe by placement, solved by column generation, then proven.
//
// The compact model (MatchingModel) has one column per option and, per placement, rows for its
// capacity and its rules. Its LP relaxation spreads a cheap home over dozens of options at a few
// hundredths each, with every rule kept on average: on competitive markets the gap to the best
// plan is small in value but spread over thousands of options, and no branching on single options
// closes it (measured on ../shared/stress/s3-600: GLPK's search raised the bound by 1 in 40 s).
//
// Here a column is a *pattern*: a set of options one placement may take together tonight
// (HomePatterns.swift). The master program chooses at most one pattern per placement and places
// each child at most once:
//
//   min  sum_S cost(S) z_S + (every child's unmatched cost)
//   s.t. sum of z_S over the patterns placing child c      <= 1   (each child)
//        sum of z_S over the patterns of placement p       <= 1   (each placement)
//        z binary.
//
// Its LP relaxation is the compact LP's intersected with the convex hull of each placement's own
// rules, so its bound is far tighter (s3-600: 204,551.45 against the optimum 204,551.95).
//
// 1. Column generation. The master LP over the patterns found so far gives duals y_c (children)
//    and mu_p (placements); each placement's best patterns under y (HomeOptions.search) join when
//    their reduced cost is below mu_p. For any y <= 0,
//        L(y) = constant + sum_c y_c + sum_p min(0, min_S [cost(S) - y(S)])
//    is a lower bound for the whole market (the placements' rows kept, the children's relaxed):
//    every option of the market is priced, not only candidates.
// 2. A plan: the master's 0-1 program over the patterns found (GLPK's branch and bound).
// 3. The proof. For a plan of value U and duals y with bound L(y), every plan cheaper than U uses
//    only patterns S (at p) with  cost(S) - y(S) - min_p < U - L(y),  where min_p is p's term in
//    L(y): the Lagrangian terms of the others are >= their minima. Every such pattern is
//    enumerated (HomeOptions.search without `keep`); the 0-1 program over all of them then has
//    the market's optimum as its own.
// Each independent component is solved on one thread, concurrently; the one with most of the
// market's options (a stress market's one large component) runs after them with every thread for
// its placements' searches (pricing and the proof's enumerations; its LPs and programs stay on
// the calling thread, and the searches' results are taken in placement order, so the answer is
// the same with any number of threads). When this path cannot
// finish (a placement's search over its budget, too many patterns to prove with, an LP failure),
// the solve falls back to the compact model's stages (MatchSolver.solve).

import Foundation
import Logging

extension MatchSolver {
    /// What one component's pattern solve found.
    struct PatternResult: Sendable {
        /// The plan's options.
        var chosen: [MatchOption] = []
        /// The plan's value and a proven lower bound on the component's optimum, both without the
        /// children's unmatched costs (sums of option costs less their children's unmatched costs).
        var value = 0.0
        var bound = -Double.infinity
        /// Why this component's pattern solve could not finish (then the compact model is used).
        var failure: String?
        /// Whether `chosen`, `value` and `bound` hold a plan and its bound (also on a failure
        /// after column generation: the compact stages then start from them).
        var planned = false
        var rounds = 0
        var patterns = 0
        var rows = 0
        var nonZeros = 0
        var proofPatterns = 0
        var nodes = 0
        var priceNodes = 0
        var lpBound = -Double.infinity
        var lpSeconds = 0.0
        var pricingSeconds = 0.0
        var mipSeconds = 0.0
    }

    /// Patterns a placement's search may visit per call, and patterns the proof may enumerate per
    /// component, before the pattern solve gives way to the compact model.
    static let patternNodeBudget = 200_000
    static let proofPatternBudget = 400_000
    /// Patterns the proof may enumerate per child of the component (at least 20,000): where the
    /// pattern bound is that loose, the compact model's cuts prove faster. Measured 2026-11-30 on
    /// the quick stress corpus: stress-120-s1, 120-s2 and 150-s2 needed 240-700 patterns per
    /// child (1.4-2.1 s on patterns, 0.1-0.7 s on the compact model); stress-80-s2, 300-s1 and
    /// ../shared/stress s1-s5 needed 3-125 (0.2-0.8 s and s4's 3 s on patterns, 4.5 s, no end in
    /// 30 s and 11-13 s on the compact model). PLACEMENT_PROOF_PER_CHILD.
    static let proofPatternsPerChild = Int(ProcessInfo.processInfo.environment["PLACEMENT_PROOF_PER_CHILD"] ?? "") ?? 200
    /// Patterns the proof enumerates at first (or twice column generation's, if more) before a
    /// better plan is sought among column generation's patterns: stress-200-s1 proved over
    /// 18,500 patterns in 1.7 s from the dive's plan, over 4,500 in 0.5 s after the better plan.
    static let proofFirstFloor = 2_000
    /// Options the proof over options (when there are too many patterns) may hand to one program.
    static let optionProofLimit = 50_000
    static let optionProofBranching: MIPBranching = ProcessInfo.processInfo.environment["PLACEMENT_PROOF_BRANCHING"] == "dth" ? .driebeckTomlin : .pseudocost
    static let cliqueOnlyNodes = 50
    static let tightRoot = 1e-3
    static let patternNodeLimit = Int(ProcessInfo.processInfo.environment["PLACEMENT_PATTERN_NODES"] ?? "") ?? 500
    /// Places per child above which a market is loose: the compact model's stages prove it
    /// faster (England's markets: 0.29 s against 5 s on patterns for the 1,000-child pool, whose
    /// 11,670 homes each price hundreds of options every round).
    static let looseSupply = 2.5
    /// Eligible options in the whole market above which the pattern solve is not tried (it prices
    /// every option every round).
    static let patternOptionLimit = Int(ProcessInfo.processInfo.environment["PLACEMENT_PATTERN_OPTIONS"] ?? "") ?? 3_000_000
    static let smoothing = Double(ProcessInfo.processInfo.environment["PLACEMENT_PATTERN_SMOOTHING"] ?? "") ?? 0.5
    /// The dive prices every placement after a fixing that raised its LP (PLACEMENT_DIVE_PRICING=0:
    /// the pool of retired patterns only).
    static let divePricing = ProcessInfo.processInfo.environment["PLACEMENT_DIVE_PRICING"] != "0"
    /// Rounds a column may keep a reduced cost above `retireAbove` before it leaves the LP
    /// (0: never; PLACEMENT_COLUMN_AGE).
    static let columnAge = Int(ProcessInfo.processInfo.environment["PLACEMENT_COLUMN_AGE"] ?? "") ?? 3
    static let retireAbove = Double(ProcessInfo.processInfo.environment["PLACEMENT_RETIRE_ABOVE"] ?? "") ?? 1e-6
    /// Rounds of cross-placement cuts (the sibling rows) at most in column generation
    /// (PLACEMENT_PATTERN_CUT_ROUNDS; 0: none).
    static let cutRounds = Int(ProcessInfo.processInfo.environment["PLACEMENT_PATTERN_CUT_ROUNDS"] ?? "") ?? 20
    /// Whether the placement-count cut is tried (PLACEMENT_COUNT_CUT=0: not).
    static let countCut = ProcessInfo.processInfo.environment["PLACEMENT_COUNT_CUT"] != "0"
    /// Subset-row cuts added per round at most (PLACEMENT_SUBSET_ROWS; 0: none).
    static let subsetRowsPerRound = Int(ProcessInfo.processInfo.environment["PLACEMENT_SUBSET_ROWS"] ?? "") ?? 50
    /// Whether column generation starts from the transportation relaxation's duals
    /// (PLACEMENT_TRANSPORT_START=0: not).
    static let transportStart = ProcessInfo.processInfo.environment["PLACEMENT_TRANSPORT_START"] != "0"
    /// Subgradient steps before column generation's first LP, on components of at least
    /// `subgradientChildren` children (PLACEMENT_SUBGRADIENT, 0: none; _CHILDREN, _THETA,
    /// _PATIENCE: measurement switches; see `solvePatterns`).
    static let subgradientSteps = Int(ProcessInfo.processInfo.environment["PLACEMENT_SUBGRADIENT"] ?? "") ?? 60
    static let subgradientChildren = Int(ProcessInfo.processInfo.environment["PLACEMENT_SUBGRADIENT_CHILDREN"] ?? "") ?? 1_800
    static let subgradientTheta = Double(ProcessInfo.processInfo.environment["PLACEMENT_SUBGRADIENT_THETA"] ?? "") ?? 0.05
    static let subgradientPatience = Int(ProcessInfo.processInfo.environment["PLACEMENT_SUBGRADIENT_PATIENCE"] ?? "") ?? 5
    /// Patterns per placement and round of column generation.
    static let patternsPerRound = Int(ProcessInfo.processInfo.environment["PLACEMENT_PATTERNS_PER_ROUND"] ?? "") ?? 3

    /// The whole solve on the pattern formulation; nil when it could not finish (the compact
    /// model's stages then take over, within the same deadline).
    func patternSolve(_ state: inout SolveState) -> MatchSolution? {
        guard arcs.eligibleCount.reduce(0, +) <= Self.patternOptionLimit else { return nil }
        let places = index.placementCapacity.reduce(0, +)
        guard Double(places) <= Self.looseSupply * Double(max(1, index.childCount)) else { return nil }
        let index = self.index
        // Every option that can beat leaving its children unmatched (FullModel's options).
        let arcs = self.arcs
        let perChild = Parallel.map(index.childCount, threads: options.threads) { c -> [MatchOption] in
            let limit = index.unmatchedCost(c)
            return arcs.arcs(child: c, below: limit).map { .own(child: c, placement: Int($0.placement), cost: $0.cost) }
        }
        let perGroup = Parallel.map(index.groups.count, threads: options.threads) { g -> [MatchOption] in
            let limit = index.groups[g].reduce(0.0) { $0 + index.unmatchedCost($1) }
            return arcs.allArcs(group: g).filter { $0.cost < limit }.map { .together(group: g, placement: Int($0.placement), cost: $0.cost) }
        }
        let all = perChild.flatMap { $0 } + perGroup.flatMap { $0 }
        let components = Self.components(of: all, index: index)
        let deadline = state.deadline
        let done = Counter()
        // A component with most of the market's options gets every thread for its pricing and
        // proof searches, alone, after the others (solved side by side, each on one thread):
        // stress markets are one large component and a few single children, and the pricing is
        // a third to a half of column generation's time there.
        let dominant = options.threads > 1
            ? components.indices.first { 2 * components[$0].options.count >= all.count && components[$0].children.count >= options.sharedPricingChildren }
            : nil
        @Sendable func solve(_ k: Int, threads: Int) -> PatternResult {
            let result = self.solvePatterns(components[k], name: "component_\(k + 1)", deadline: deadline, threads: threads)
            self.options.progress?(MatchProgress(stage: "patterns (\(components[k].children.count) children)", done: done.increment(),
                                                 total: components.count, incumbent: nil, bound: nil))
            return result
        }
        let rest = Self.largestFirst(components).filter { $0 != dominant }
        let others = Parallel.map(rest.count, threads: options.threads) { solve(rest[$0], threads: 1) }
        var slots = [PatternResult?](repeating: nil, count: components.count)
        for (i, k) in rest.enumerated() { slots[k] = others[i] }
        if let k = dominant { slots[k] = solve(k, threads: options.threads) }
        let results = slots.map { $0! }
        var placementOf = [Int?](repeating: nil, count: index.childCount)
        var objective = state.totalUnmatched, bound = state.totalUnmatched, lpBound = state.totalUnmatched
        for r in results {
            objective += r.value
            bound += r.bound
            lpBound += r.lpBound
            for o in r.chosen { for c in o.members(index) { placementOf[c] = Int(o.placement) } }
            state.stats.pricingRounds = max(state.stats.pricingRounds, r.rounds)
            state.stats.columns += r.patterns
            state.stats.rows += r.rows
            state.stats.nonZeros += r.nonZeros
            state.stats.proofAdditions += r.proofPatterns
            state.stats.branchNodes += r.nodes
            state.stats.priceNodes += r.priceNodes
            state.stats.lpSeconds += r.lpSeconds
            state.stats.pricingSeconds += r.pricingSeconds
            state.stats.mipSeconds += r.mipSeconds
        }
        if let failure = results.lazy.compactMap(\.failure).first {
            // (Said once, to the logger: the CLI's --verbose is one of its handlers.)
            options.logger.info("patterns gave way to the compact model: \(failure)")
            // The plan and bound found so far stand unless the compact stages do better (a
            // component that failed before its plan leaves none).
            if results.allSatisfy(\.planned) { state.patternPlan = (placementOf, objective, bound) }
            state.stats = SolveStatistics()
            return nil
        }
        state.stats.components = components.count
        state.stats.largestComponentChildren = components.map(\.children.count).max() ?? 0
        state.stats.lpBound = lpBound
        return solution(placementOf, objective: objective, bound: bound, state)
    }

    /// The proof's enumeration, for the log: how many patterns, or why none.
    static func describe(_ extra: [(Int, [Int])]??) -> String {
        switch extra {
        case .none: "too many patterns (or not needed)"
        case .some(.none): "a placement's search out of budget"
        case .some(.some(let found)): "\(found.count) patterns"
        }
    }

    /// One component: column generation on the master LP, its 0-1 program, and the proof.
    /// `threads`: threads for each placement's search in pricing and the proof (the component's
    /// LPs and programs run on the calling thread).
    func solvePatterns(_ component: Component, name: String, deadline: UInt64?, threads: Int = 1) -> PatternResult {
        let index = self.index
        var result = PatternResult()
        var byPlacement: [Int: [MatchOption]] = [:]
        for o in component.options { byPlacement[Int(o.placement), default: []].append(o) }
        let homes = byPlacement.keys.sorted().map { HomeOptions(placement: $0, options: byPlacement[$0]!, index: index) }
        var childRow: [Int: Int] = [:]
        for (i, c) in component.children.enumerated() { childRow[c] = i }
        let n = component.children.count
        let memberRows = homes.map { h in h.members.map { $0.map { childRow[$0]! } } }
        let constant = component.children.reduce(0.0) { $0 + index.unmatchedCost($1) }
        func pastDeadline() -> Bool { deadline.map { DispatchTime.now().uptimeNanoseconds >= $0 } ?? false }

        // The master's columns: (placement's position in `homes`, options there, increasing).
        var patterns: [(home: Int, set: [Int])] = []
        var known = Set<[Int]>()   // [home] + set
        var space = PatternSpace(homes: homes, memberRows: memberRows, n: n, index: index)
        func column(_ h: Int, _ set: [Int]) -> (cost: Double, entries: [(row: Int, coef: Double)]) { space.column(h, set) }
        func reduced(_ h: Int, _ y: [Double]) -> [Double] { space.reduced(h, y) }
        func patternValue(_ h: Int, _ set: [Int], _ y: [Double]) -> Double { space.patternValue(h, set, y) }
        /// Whether a pattern's reduced cost under the LP's duals `y` (its placement's row too) is below zero.
        func enters(_ h: Int, _ set: [Int], _ y: [Double]) -> Bool { patternValue(h, set, y) - y[n + h] < -1e-9 }
        /// Each placement's best patterns under duals y; nil when a search ran out of budget.
        /// `entering`: only those below the placement's own dual (min(0, y[n + h])), the ones
        /// that can enter the LP; the same entering patterns, found with less search (the
        /// dive's pricing, 25% of a stress-800 solve, needs no other: column generation's and
        /// branch and price's do, for their Lagrangian bounds).
        func price(_ y: [Double], entering: Bool = false, keep: Int = Self.patternsPerRound) -> (best: [[(value: Double, set: [Int])]], complete: Bool) {
            let space = space
            let searches = Parallel.map(homes.count, threads: threads) { h in
                space.search(h, y, below: entering ? min(0, y[n + h]) : 0, keep: keep, nodeBudget: Self.patternNodeBudget)
            }
            return (searches.map(\.patterns), searches.allSatisfy(\.complete))
        }
        /// The master over the patterns `columns` (all by default).
        func masterModel(_ columns: [Int]? = nil) -> MIPModel {
            var model = MIPModel(name: name)
            model.objectiveConstant = constant
            var rows = (0..<n).map { MIPRow(name: "child_\($0 + 1)", upper: 1, entries: []) }
                + homes.indices.map { MIPRow(name: "home_\($0 + 1)", upper: 1, entries: []) }
                + space.cutUpper.indices.map { MIPRow(name: "cut_\($0 + 1)", upper: space.cutUpper[$0], entries: []) }
            for (j, p) in (columns ?? Array(patterns.indices)).map({ patterns[$0] }).enumerated() {
                let col = column(p.home, p.set)
                model.columns.append(MIPColumn(name: "z_\(j + 1)", cost: col.cost))
                for e in col.entries { rows[e.row].entries.append((j, e.coef)) }
            }
            model.rows = rows
            return model
        }
        func add(_ h: Int, _ set: [Int]) -> Bool {
            guard known.insert([h] + set).inserted else { return false }
            patterns.append((h, set))
            return true
        }
        // Column generation keeps in its LP only the patterns that may still enter (`inLP`, in
        // the LP's column order); a pattern whose reduced cost stayed positive for
        // `Self.columnAge` rounds leaves it (`retired`) and comes back when pricing finds it again.
        var inLP: [Int] = []
        var age: [Int] = []
        var retired: [[Int]: Int] = [:]   // [home] + set -> pattern
        func bring(_ h: Int, _ set: [Int]) -> Int? {
            if let j = retired.removeValue(forKey: [h] + set) { return j }
            guard add(h, set) else { return nil }
            return patterns.count - 1
        }

        // The compact model's sibling rows that cross placements (MatchingModel): per sibling
        // group with options together, and per placement where members have options on their own,
        // - split: when every member has one there, those own options plus (size - 1) times every
        //   together option of the group, at most size - 1;
        // - siblings: own options there that exclude one another (capacity or rules), plus every
        //   together option of the group, at most 1.
        // The master's LP does not imply them (a placement's convex hull knows nothing of the group
        // placed together elsewhere); violated ones join it as cuts when column generation has
        // converged without them (PatternSpace).
        var siblingSites: [(group: Int32, home: Int, own: [Int], together: [(Int, Int)])] = []
        do {
            var together: [Int32: [(Int, Int)]] = [:]
            var own: [Int32: [Int: [Int]]] = [:]
            for h in homes.indices {
                for j in homes[h].options.indices {
                    let o = homes[h].options[j]
                    if o.isTogether { together[o.group, default: []].append((h, j)) }
                    else if homes[h].ownGroup[j] >= 0 { own[homes[h].ownGroup[j], default: [:]][h, default: []].append(j) }
                }
            }
            for g in together.keys.sorted() {
                for (h, js) in (own[g] ?? [:]).sorted(by: { $0.key < $1.key }) where js.count >= 2 {
                    siblingSites.append((g, h, js, together[g]!))
                }
            }
        }
        var cutKeys = Set<[Int]>()   // site, then 0 (split) or the own options' mask
        var cutRounds = 0
        /// Rows the LP's values `z` (over `inLP`) violate, not yet in it: at most one per site
        /// (the most violated).
        func violatedSiblingRows(_ z: [Double]) -> [(key: [Int], upper: Double, entries: [(home: Int, option: Int, coef: Double)])] {
            guard !siblingSites.isEmpty, z.count == inLP.count else { return [] }
            var x = homes.map { [Double](repeating: 0, count: $0.options.count) }
            for (c, k) in inLP.enumerated() where z[c] > 1e-9 { for j in patterns[k].set { x[patterns[k].home][j] += z[c] } }
            var found: [(key: [Int], upper: Double, entries: [(home: Int, option: Int, coef: Double)])] = []
            for (i, site) in siblingSites.enumerated() {
                let y = site.together.reduce(0.0) { $0 + x[$1.0][$1.1] }
                let home = homes[site.home]
                let size = index.groups[Int(site.group)].count
                var best: (excess: Double, key: [Int], upper: Double, entries: [(home: Int, option: Int, coef: Double)])?
                if site.own.count == size {
                    let excess = site.own.reduce(0.0) { $0 + x[site.home][$1] } + Double(size - 1) * y - Double(size - 1)
                    if excess > 1e-6, !cutKeys.contains([i, 0]) {
                        best = (excess, [i, 0], Double(size - 1),
                                site.own.map { (site.home, $0, 1.0) } + site.together.map { ($0.0, $0.1, Double(size - 1)) })
                    }
                }
                let m = site.own.count
                for mask in 1..<(1 << m) where mask.nonzeroBitCount >= 2 {
                    let members = (0..<m).filter { mask & (1 << $0) != 0 }.map { site.own[$0] }
                    var clique = true
                    for (u, a) in members.enumerated() where clique {
                        for b in members[(u + 1)...] where home.compatible(a, b, index: index) && home.load[a] + home.load[b] <= home.capacity {
                            clique = false; break
                        }
                    }
                    guard clique, !cutKeys.contains([i, mask]) else { continue }
                    let excess = members.reduce(0.0) { $0 + x[site.home][$1] } + y - 1
                    if excess > 1e-6, excess > (best?.excess ?? 0) {
                        best = (excess, [i, mask], 1, members.map { (site.home, $0, 1.0) } + site.together.map { ($0.0, $0.1, 1.0) })
                    }
                }
                if let best { found.append((best.key, best.upper, best.entries)) }
            }
            return found
        }

        var countKeys = Set<[Int]>()
        var subsetKeys = Set<[Int]>()
        var cutBase: Double?      // the converged LP's value when cuts last joined
        var cutsStalled = false
        /// Placement-count cuts the LP's values `z` (over `inLP`) violate, not yet tried
        /// (PatternSpace+PlacementCount.swift): the most children the whole component can place,
        /// and per connected part of the LP's fractional patterns (their placements and children),
        /// the most of those children those placements can take.
        func violatedCountRows(_ z: [Double]) -> [(key: [Int], upper: Double, entries: [(home: Int, option: Int, coef: Double)])] {
            guard z.count == inLP.count else { return [] }
            var parent = Array(0..<(n + homes.count))   // children, then placements
            func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
            var fractional: [(column: Int, rows: [Int])] = []
            var placedAll = 0.0
            for (c, k) in inLP.enumerated() where z[c] > 1e-9 {
                let p = patterns[k]
                let rows = p.set.flatMap { memberRows[p.home][$0] }
                placedAll += z[c] * Double(rows.count)
                guard z[c] < 1 - 1e-6 else { continue }
                fractional.append((c, rows))
                for r in rows { parent[find(r)] = find(n + p.home) }
            }
            var parts: [Int: (homes: Set<Int>, children: Set<Int>, placed: Double)] = [:]
            for (c, rows) in fractional {
                let p = patterns[inLP[c]]
                let root = find(n + p.home)
                parts[root, default: ([], [], 0)].homes.insert(p.home)
                parts[root]!.children.formUnion(rows)
                parts[root]!.placed += z[c] * Double(rows.count)
            }
            let candidates = [(homes: Array(homes.indices), children: Set(0..<n), placed: placedAll)]
                + parts.values.sorted { $0.homes.min()! < $1.homes.min()! }.map { (homes: $0.homes.sorted(), children: $0.children, placed: $0.placed) }
            var found: [(key: [Int], upper: Double, entries: [(home: Int, option: Int, coef: Double)])] = []
            for part in candidates {
                let key = part.homes + [-1] + part.children.sorted()
                guard !pastDeadline(), part.placed - part.placed.rounded(.down) > 1e-6, countKeys.insert(key).inserted else { continue }
                let placements = Set(part.homes)
                let start = inLP.map { patterns[$0] }.filter { placements.contains($0.home) }
                guard let most = space.placementCountBound(of: part.children, at: part.homes, below: part.placed, start: start,
                                                           backend: options.backend, nodeBudget: Self.patternNodeBudget, deadline: deadline) else { continue }
                var entries: [(home: Int, option: Int, coef: Double)] = []
                for h in part.homes {
                    for j in homes[h].options.indices {
                        let k = memberRows[h][j].reduce(0) { $0 + (part.children.contains($1) ? 1 : 0) }
                        if k > 0 { entries.append((h, j, Double(k))) }
                    }
                }
                found.append((key, Double(most), entries))
            }
            return found
        }

        // The trivial bound, whatever the time limit leaves: each child at its cheapest share of
        // an option (a group's option shared evenly among its members) or unmatched.
        var cheapestShare = [Double](repeating: 0, count: n)
        for h in homes.indices {
            for j in homes[h].options.indices {
                let share = homes[h].cost[j] / Double(memberRows[h][j].count)
                for r in memberRows[h][j] { cheapestShare[r] = min(cheapestShare[r], share) }
            }
        }
        result.bound = cheapestShare.reduce(0, +)

        // 1. Column generation, from the patterns of a greedy plan: every option in order of
        //    cost (less its children's unmatched costs), taken where its children are still
        //    unplaced and it fits. (Starting instead from each placement's best patterns at zero
        //    duals measured about the same on ../shared/stress: 17-24 rounds.) Then each
        //    placement's best patterns at the transportation core's prices (TransportDuals.swift),
        //    which are also the first stability centre and its Lagrangian bound.
        var clock = DispatchTime.now().uptimeNanoseconds
        var order: [(Double, Int, Int)] = []
        for h in homes.indices { for j in homes[h].options.indices { order.append((homes[h].cost[j], h, j)) } }
        order.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var placed = [Bool](repeating: false, count: n)
        var greedySets = [[Int]](repeating: [], count: homes.count)
        for (_, h, j) in order where memberRows[h][j].allSatisfy({ !placed[$0] }) && homes[h].fits(j, into: greedySets[h], index: index) {
            greedySets[h].append(j)
            for r in memberRows[h][j] { placed[r] = true }
        }
        for h in homes.indices where !greedySets[h].isEmpty { _ = add(h, greedySets[h].sorted()) }
        var duals: [Double] = []           // the last LP's, clipped to <= 0
        var dualBound = -Double.infinity   // L(duals), nil-free only when their pricing was complete
        var minima: [Double] = []          // per placement, min(0, best pattern value) under `duals`
        /// Each placement's best patterns at `point`; the stability centre moves there when its
        /// Lagrangian bound is the best so far. nil when a search ran out of budget.
        func priceCentre(_ point: [Double], keep: Int = Self.patternsPerRound) -> [[(value: Double, set: [Int])]]? {
            let (best, complete) = price(point, keep: keep)
            guard complete else { return nil }
            let mins = best.map { min(0, $0.first?.value ?? 0) }
            let bound = space.rowTerm(point) + mins.reduce(0, +)
            if bound > dualBound || duals.isEmpty { duals = point; minima = mins; dualBound = bound }
            result.bound = max(result.bound, dualBound)
            return best
        }
        if Self.transportStart, !patterns.isEmpty,
           let best = priceCentre(Self.transportDuals(homes: homes, memberRows: memberRows, n: n, logger: options.logger)) {
            for (h, list) in best.enumerated() { for p in list where p.value < -1e-9 { _ = add(h, p.set) } }
            options.logger.debug("\(name) transport start bound \(dualBound + constant) patterns \(patterns.count) t \(secondsSince(clock))")
        }
        if Self.subgradientSteps > 0, n >= Self.subgradientChildren, !duals.isEmpty {
            // Large components: subgradient steps on the pattern Lagrangian from the
            // transportation core's prices, before the first LP. Each step is one pricing (each
            // placement's best pattern); its length Polyak's towards the greedy plan's value
            // (an upper bound on the LP), times theta, halved after `subgradientPatience` steps
            // without a better bound; a child's price moves by 1 less the patterns holding it.
            // The best point becomes the stability centre (its bound is valid: a complete
            // pricing), and the patterns of the steps that raised the bound join the LP.
            // Measured (release, one thread, two runs side by side, 2026-12-02), column
            // generation's first convergence before -> after 60 steps at theta 0.05: stress-2000-s1
            // 24-27 -> 13.3 s (bound 426,320 -> 436,779 in 3.4 s of steps), 2000-s2 21.5 -> 15.4 s,
            // 3000-s1 103 -> 50 s (proven in 143 s, unanswered in 150 s before), 3000-s2
            // 128 -> 66 s. 150 steps (bound 440,979, 6.6 s of steps) and theta 0.1 or 1 were
            // slower. Where column generation takes a few seconds the effect was mixed, through
            // a different LP vertex, dive and proof (1000-s3 5.9 -> 4.5 s, 800-s6 11.3 -> 18.0 s,
            // 1500-s2 (1,309 children) 21 -> 19 s and 18 -> 26 s in two runs): off below 1,800
            // children, where column generation is not yet the wall.
            let target = homes.indices.reduce(0.0) { total, h in total + greedySets[h].sorted().reduce(0.0) { $0 + homes[h].cost[$1] } }
            var y = duals, theta = Self.subgradientTheta, stall = 0
            for step in 0..<Self.subgradientSteps where !pastDeadline() {
                let before = dualBound
                guard let best = priceCentre(y, keep: 1) else { break }
                var cover = [Double](repeating: 0, count: n)
                var value = space.rowTerm(y)
                var chosen: [(Int, [Int])] = []
                for (h, list) in best.enumerated() {
                    guard let p = list.first, p.value < -1e-9 else { continue }
                    value += p.value
                    chosen.append((h, p.set))
                    for j in p.set { for r in memberRows[h][j] { cover[r] += 1 } }
                }
                if dualBound > before + 1e-9 { for (h, set) in chosen { _ = add(h, set) }; stall = 0 }
                else { stall += 1; if stall >= Self.subgradientPatience { theta /= 2; stall = 0 } }
                // The subgradient over the children's rows, projected on y <= 0.
                let g = (0..<n).map { r in y[r] >= 0 && cover[r] < 1 ? 0 : 1 - cover[r] }
                let norm = g.reduce(0) { $0 + $1 * $1 }
                guard norm > 0, target > value else { break }
                let t = theta * (target - value) / norm
                for r in 0..<n { y[r] = min(0, y[r] + t * g[r]) }
                if step % 10 == 0 || step == Self.subgradientSteps - 1 {
                    options.logger.debug("\(name) subgradient step \(step) value \(value + constant) bound \(dualBound + constant) theta \(theta) patterns \(patterns.count) t \(secondsSince(clock))")
                }
            }
        }
        inLP = Array(patterns.indices)
        age = [Int](repeating: 0, count: inLP.count)
        result.pricingSeconds += secondsSince(clock)
        guard !patterns.isEmpty else { result.planned = true; return result }   // nothing beats leaving them unmatched
        var converged = false
        var masterBasis: LPBasis?
        var lpValues: [Double] = []
        var divePlan: [Bool]?
        // Under a time limit, the master LP rounded after every round (patterns in order of their
        // LP values, each taken where it still fits) and the best such plan kept, by pattern index:
        // the rounds are the same whatever the limit, so a longer limit never loses a plan a
        // shorter one had (stress-300-s10: 0.3 s gave 177,417 and 0.6-3 s 179,728, when the
        // last LP before the deadline rounded worse than an earlier one).
        // (At most a twentieth of column generation's time goes to it: stress-600-s4 spent a tenth
        // of its first 2 s rounding every round, and its plan at 2 s was worse for the rounds lost.)
        var bestRounded: (objective: Double, patterns: [Int])?
        var roundingSeconds = 0.0
        let roundingSince = DispatchTime.now().uptimeNanoseconds
        func roundMaster(_ values: [Double]) {
            guard options.timeLimit != nil, values.count == inLP.count, !values.isEmpty,
                  roundingSeconds <= 0.05 * secondsSince(roundingSince) else { return }
            let t0 = DispatchTime.now().uptimeNanoseconds
            defer { roundingSeconds += secondsSince(t0) }
            let m = masterModel(inLP)
            let x = PrimalHeuristics.rounded(m, values: values)
            let objective = m.objective(x)
            if bestRounded.map({ objective < $0.objective }) ?? true {
                bestRounded = (objective, x.indices.filter { x[$0] }.map { inLP[$0] })
            }
        }
        let began = DispatchTime.now().uptimeNanoseconds
        let pricingBefore = result.pricingSeconds   // (the transportation start's, before the LP)
        let session: Bool? = options.backend.withLPSession(masterModel(), warmStart: nil, timeLimit: Self.seconds(until: deadline)) { lp in
            while true {
                result.rounds += 1
                let y = lp.rowDuals.map { min(0, $0) }
                guard y.count == space.rowCount else { return false }
                // Smoothed duals (Wentges): priced at a point between the best-bound duals so
                // far and the LP's, which damps the LP duals' swings; a pattern joins when it
                // improves on the LP's own duals. When none does, the LP's duals are priced
                // themselves (nothing found there: the LP is optimal for the whole market).
                var alpha = duals.isEmpty ? 0 : Self.smoothing
                var added: [(cost: Double, entries: [(row: Int, coef: Double)])] = []
                while true {
                    let point = alpha == 0 ? y : zip(duals, y).map { alpha * $0 + (1 - alpha) * $1 }
                    clock = DispatchTime.now().uptimeNanoseconds
                    let best = priceCentre(point)
                    result.pricingSeconds += secondsSince(clock)
                    guard let best else { return false }
                    for (h, list) in best.enumerated() {
                        for p in list where enters(h, p.set, y) {
                            if let k = bring(h, p.set) { added.append(column(h, p.set)); inLP.append(k); age.append(0) }
                        }
                    }
                    if !added.isEmpty || alpha == 0 { break }
                    alpha = 0
                }
                if added.isEmpty {
                    // Converged over the cuts so far: the LP's violated cross-placement rows join
                    // (zero in the stability centre's duals), and column generation goes on.
                    // Cuts stop when a round of them did not raise the converged LP: the LP then
                    // moves within its optimal face, and the rows only weigh on the programs
                    // (stress-250-s2, whose LP bound is its optimum, 4 s -> 16 s with subset rows
                    // every round; stress-600-s4, 30 rounds of count cuts at the same LP value).
                    if let before = cutBase, lp.objective < before + 1e-7 * max(1, abs(before)) { cutsStalled = true }
                    cutBase = nil
                    let separate = !cutsStalled && cutRounds < Self.cutRounds && !pastDeadline()
                    let z = separate ? lp.values : []
                    var violated = separate ? violatedSiblingRows(z) : []
                    if separate, violated.isEmpty, Self.countCut {
                        let countClock = DispatchTime.now().uptimeNanoseconds
                        violated = violatedCountRows(z)
                        options.logger.debug("\(name) count cuts \(violated.map { "<= \($0.upper)" }) t \(secondsSince(countClock))")
                    }
                    var subsets: [[Int]] = []
                    if separate, violated.isEmpty, Self.subsetRowsPerRound > 0, z.count == inLP.count {
                        let columns = inLP.indices.map { (home: patterns[inLP[$0]].home, set: patterns[inLP[$0]].set, value: z[$0]) }
                        subsets = space.violatedSubsetRows(columns, known: subsetKeys, limit: Self.subsetRowsPerRound)
                    }
                    if violated.isEmpty && subsets.isEmpty { converged = true; break }
                    cutRounds += 1
                    let first = space.rowCount, firstCut = space.cutUpper.count
                    for cut in violated { space.addCut(upper: cut.upper, entries: cut.entries); cutKeys.insert(cut.key) }
                    for rows in subsets { space.addSubsetCut(rows: rows); subsetKeys.insert(rows) }
                    cutBase = lp.objective
                    var rows = (firstCut..<space.cutUpper.count).map { MIPRow(name: "cut_\($0 + 1)", upper: space.cutUpper[$0], entries: []) }
                    for (c, k) in inLP.enumerated() {
                        for e in column(patterns[k].home, patterns[k].set).entries where e.row >= first { rows[e.row - first].entries.append((c, e.coef)) }
                    }
                    lp.add(rows: rows)
                    duals += [Double](repeating: 0, count: rows.count)
                    let status = lp.solve()
                    if status == .timeLimit && pastDeadline() { break }
                    guard status == .optimal else { return false }
                    options.logger.debug("\(name) cuts \(space.cutUpper.count) lp \(lp.objective)")
                    continue
                }
                if pastDeadline() { break }
                // Columns that stayed dear leave the LP first (each simplex iteration prices every column).
                if Self.columnAge > 0 {
                    let d = lp.reducedCosts
                    guard d.count + added.count == inLP.count else { return false }
                    var old: [Int] = []
                    for c in d.indices {
                        age[c] = d[c] > Self.retireAbove ? age[c] + 1 : 0
                        if age[c] >= Self.columnAge { old.append(c) }
                    }
                    let gone = lp.remove(columns: old)
                    if !gone.isEmpty {
                        let goneSet = Set(gone)
                        for c in gone { let k = inLP[c]; retired[[patterns[k].home] + patterns[k].set] = k }
                        var keep: [Int] = [], keepAge: [Int] = []
                        for c in inLP.indices where !goneSet.contains(c) { keep.append(inLP[c]); keepAge.append(age[c]) }
                        inLP = keep; age = keepAge
                    }
                }
                guard lp.add(columns: added) else { return false }
                let status = lp.solvePrimal()
                if status == .timeLimit && pastDeadline() { break }   // the caller's limit: what we have stands
                guard status == .optimal else { return false }
                roundMaster(lp.values)
                options.logger.debug("\(name) round \(result.rounds) patterns \(patterns.count) lp \(lp.objective) bound \(dualBound + constant) t \(secondsSince(began)) pricing \(result.pricingSeconds)")
            }
            guard Set(inLP).count == inLP.count, inLP.count + retired.count == patterns.count else { return false }
            let pool = retired.values.sorted()
            retired = [:]
            // The master LP is close to integral: diving on it (a pattern fixed at a time) is
            // a plan in a few LP solves. Its basis first, to start the integer programs from.
            masterBasis = lp.basis
            lpValues = lp.values
            var joined: [Int] = []
            if !pastDeadline(), lpValues.count == inLP.count {
                // The dive needs alternatives to the patterns it fixes: the retired patterns
                // that price below zero under its LP's duals come back as it goes (placed after
                // the LP's patterns, in the order they joined). Measured on s4-600 and s5-1000:
                // without them the dive ended 3% above the optimum; with every retired pattern
                // back in its LP it took 2 s on s5-1000; this way 0.2 s of simplex.
                // (Each pool column's cost and rows flat, priced in one pass per LP solve.)
                // After a fixing that raised the LP's objective, when the pool has nothing, every
                // placement is priced as in column generation: the patterns that would repair it
                // may never have been generated (stress-600-s4: the dive from the pool alone ended
                // 1.8% above the LP bound, with pricing 0.2%; stress-250-s10 9.6 s -> 0.15 s).
                // Priced at the LP's duals clipped to <= 0, as column generation does.
                let poolColumns = pool.map { column(patterns[$0].home, patterns[$0].set) }
                var start = [0], rows: [Int] = []
                for c in poolColumns { rows += c.entries.map(\.row); start.append(rows.count) }
                var waiting = [Bool](repeating: true, count: pool.count)
                // Under a time limit the dive has a share of its own: half the time left, or as
                // long as column generation took if more (at least 1 s); then it rounds what it
                // has, and the program over the patterns gets the rest. Measured with
                // --time-limit 20 (release, one thread, 2026-12-01; gap before -> after):
                // stress-800-s2 4.8% -> 0.62% (the dive had taken the whole limit and the answer
                // was the master LP rounded), 800-s3 0.59% -> 0.10%, 800-s5 2.8% -> 2.1%,
                // 600-s8 the same, 600-s4 3.10% -> 3.24%, 600-s10 proven -> 0.019%. A share of
                // only column generation's time cut useful dives short (600-s10 5.5%, 600-s8
                // 8.3%). Without a time limit the dive goes to its end: the proof's work shrinks
                // with its plan (600-s10 proven in 12 s after a full dive, not in 30 s after one
                // cut short).
                let generation = Double(DispatchTime.now().uptimeNanoseconds - began)
                let budget = options.timeLimit == nil ? nil : DispatchTime.now().uptimeNanoseconds + UInt64(max(1e9, generation, 0.5e9 * (Self.seconds(until: deadline) ?? 0)))
                divePlan = PrimalHeuristics.dive(masterModel(inLP), lp: lp, separator: nil, deadline: deadline, budget: budget,
                                                 pruneOn: 0..<n, logger: options.logger) { y, deep in
                    guard y.count == space.rowCount else { return [] }
                    var columns: [(cost: Double, entries: [(row: Int, coef: Double)])] = []
                    for i in pool.indices where waiting[i] {
                        var value = poolColumns[i].cost
                        for r in rows[start[i]..<start[i + 1]] { value -= y[r] }
                        if value < -1e-9 { waiting[i] = false; columns.append(poolColumns[i]); joined.append(pool[i]) }
                    }
                    if columns.isEmpty, deep, Self.divePricing {
                        let y = y.map { min(0, $0) }
                        let (best, complete) = price(y, entering: true)
                        guard complete else { return [] }
                        for (h, list) in best.enumerated() {
                            for p in list where enters(h, p.set, y) {
                                if add(h, p.set) { columns.append(column(h, p.set)); joined.append(patterns.count - 1) }
                            }
                        }
                    }
                    return columns
                }
            }
            // From here on the patterns in the order of the LP's (and the dive's) columns, the
            // other retired ones after them (non-basic at 0: their reduced costs are >= 0 when
            // column generation converged).
            let joinedSet = Set(joined)
            let order = inLP + joined + pool.filter { !joinedSet.contains($0) }
            if let r = bestRounded {
                var position = [Int](repeating: -1, count: patterns.count)
                for (k, old) in order.enumerated() { position[old] = k }
                bestRounded = (r.objective, r.patterns.map { position[$0] })
            }
            patterns = order.map { patterns[$0] }
            return true
        }
        result.lpSeconds = max(0, secondsSince(began) - (result.pricingSeconds - pricingBefore))
        guard session == true || (session == nil && pastDeadline()) else {
            result.failure = "the master LP or a placement's pattern search failed"; return result
        }
        result.lpBound = dualBound

        // 2. A plan: the dive's, or the greedy one.
        clock = DispatchTime.now().uptimeNanoseconds
        defer { result.mipSeconds += secondsSince(clock) }
        let model = masterModel()
        var plan = PrimalHeuristics.greedy(model)
        // The master LP rounded: patterns in order of their LP values, each taken where it still
        // fits (what a time limit leaves when column generation or the dive did not finish;
        // measured on s5-1000 at 3 s: cost order alone gave 864,000 against 241,343).
        if !lpValues.isEmpty, lpValues.count <= model.columns.count {
            lpValues += [Double](repeating: 0, count: model.columns.count - lpValues.count)
            let rounded = PrimalHeuristics.rounded(model, values: lpValues)
            if model.objective(rounded) < model.objective(plan) { plan = rounded }
        }
        if let d = divePlan.map({ $0 + [Bool](repeating: false, count: max(0, plan.count - $0.count)) }), d.count == plan.count, model.violatedRow(d) == nil, model.objective(d) < model.objective(plan) { plan = d }
        if let r = bestRounded, r.patterns.allSatisfy({ $0 >= 0 && $0 < plan.count }) {
            var x = [Bool](repeating: false, count: plan.count)
            for j in r.patterns { x[j] = true }
            if model.violatedRow(x) == nil, model.objective(x) < model.objective(plan) { plan = x }
        }
        var value = model.objective(plan) - constant
        options.logger.debug("\(name) dive \(divePlan.map { model.objective($0) } ?? .nan) plan \(value + constant) bound \(dualBound + constant) t \(secondsSince(began))")
        /// How far above its placement's minimum a pattern's value under `duals` may be and the
        /// pattern still be in a plan cheaper than `value` (the gap to the bound, plus a margin
        /// for rounding far below the gap asked).
        func slack(below value: Double) -> Double { value - dualBound + 1e-7 * max(1, abs(value + constant)) }
        /// The patterns a plan cheaper than `value` may use, and those of `plan`: a pattern whose
        /// reduced cost under `duals` is at least its placement's minimum plus the gap to the
        /// bound is in no such plan (the proof's own test, `improving`). All when column
        /// generation did not converge.
        func useful(below value: Double) -> [Int] {
            guard converged else { return Array(patterns.indices) }
            let slack = slack(below: value)
            return patterns.indices.filter { j in
                (j < plan.count && plan[j]) || patternValue(patterns[j].home, patterns[j].set, duals) < minima[patterns[j].home] + slack
            }
        }
        /// The 0-1 program over the patterns `columns`, from `plan` and the master's basis (new
        /// columns non-basic); its values are mapped back to every pattern.
        func solve(_ columns: [Int], nodeLimit: Int = Self.patternNodeLimit, limitIsFailure: Bool = true) -> MIPSolution? {
            guard !pastDeadline() else { return nil }
            let model = masterModel(columns)
            var mipOptions = MIPSolveOptions(relativeGap: 1e-7, timeLimit: Self.seconds(until: deadline).map { max(0.05, $0) })
            mipOptions.incumbent = columns.map { $0 < plan.count && plan[$0] }
            if let b = masterBasis {
                // (A basis short of basic columns is completed with basic rows by the backend.)
                mipOptions.warmStart = LPBasis(columnBasic: columns.map { $0 < b.columnBasic.count && b.columnBasic[$0] },
                                               rowBasic: b.rowBasic)
            }
            // GLPK's clique cuts, and Gomory's cuts where the root is loose: they close most of
            // a wide gap on this small program (measured: 6% at the root of a scarce 80-child
            // market, closed at the root in 0.07 s; 500 nodes not enough without them), but
            // cost more than they give where it is tight (1.6 s against 0.6 s on s2-300 and
            // s4-600, 0.02% from their bounds). A tight root searched past a few nodes without
            // an end is searched again with both. Past `nodeLimit` nodes the compact model takes
            // over (a count, not seconds: the same answer on any machine).
            let tight = value - dualBound <= Self.tightRoot * max(1, abs(value + constant))
            mipOptions.cliqueCuts = true
            mipOptions.gomoryCuts = !tight
            mipOptions.nodeLimit = tight ? min(nodeLimit, Self.cliqueOnlyNodes) : nodeLimit
            var solution = options.backend.solveMIP(model, options: mipOptions)
            result.nodes += solution.nodes
            if tight, solution.status == .timeLimit, nodeLimit > Self.cliqueOnlyNodes, !pastDeadline() {
                if let start = mipOptions.incumbent, solution.values.count == start.count, model.violatedRow(solution.values) == nil,
                   model.objective(solution.values) < model.objective(start) {
                    mipOptions.incumbent = solution.values
                }
                mipOptions.gomoryCuts = true
                mipOptions.nodeLimit = nodeLimit
                mipOptions.timeLimit = Self.seconds(until: deadline).map { max(0.05, $0) }
                solution = options.backend.solveMIP(model, options: mipOptions)
                result.nodes += solution.nodes
            }
            if limitIsFailure, solution.status == .timeLimit, !pastDeadline() {
                solution.status = .failed("the pattern program's search passed \(nodeLimit) nodes")
            }
            options.logger.debug("\(name) MIP over \(model.columns.count) patterns: \(solution.objective) bound \(solution.bound) nodes \(solution.nodes) t \(secondsSince(clock))")
            if solution.values.count == columns.count {
                var values = [Bool](repeating: false, count: patterns.count)
                for (k, j) in columns.enumerated() where solution.values[k] { values[j] = true }
                solution.values = values
            }
            return solution
        }

        // 3. The proof: every pattern that could still improve on the plan, and their 0-1 program.
        var priced = false   // (branch and price once: a second search from its own plan repeats it)
        let tolerance = options.relativeGap * 0.5 * max(1, abs(value + constant))
        if converged, value - dualBound > tolerance, !pastDeadline() {
            /// Every pattern that could be in a plan below `value`, per placement; nil when more
            /// than `limit`, .some(nil) when a placement's search ran out of budget.
            func improving(limit: Int) -> [(Int, [Int])]?? {
                let slack = slack(below: value)
                var extra: [(Int, [Int])] = []
                var outOfBudget = false
                let (space, duals, minima) = (space, duals, minima)
                Parallel.forEach(homes.count, threads: threads) { h in
                    space.search(h, duals, below: minima[h] + slack, keep: nil, nodeBudget: Self.patternNodeBudget)
                } take: { h, s in
                    guard s.complete else { outOfBudget = true; return false }
                    for p in s.patterns { extra.append((h, p.set)) }
                    return extra.count <= limit
                }
                if outOfBudget { return .some(nil) }
                return extra.count > limit ? nil : extra
            }
            if options.branchAndPriceFirst, branchAndPrice() { return finish() }
            // The proof's program grows with the slack: when the plan leaves many patterns to
            // look at, the program over the patterns found comes first, for a better plan.
            // (A placement's search out of budget is "too many" too at this point: a better plan
            // shrinks every placement's search.)
            let budget = min(Self.proofPatternBudget, max(20_000, Self.proofPatternsPerChild * n))
            var extra = improving(limit: min(budget, max(Self.proofFirstFloor, 2 * patterns.count)))
            options.logger.debug("\(name) proof slack \(slack(below: value)): \(Self.describe(extra)) t \(secondsSince(clock))")
            if case .some(.none) = extra { extra = .none }
            if case .none = extra, let better = solve(useful(below: value), nodeLimit: Self.patternNodeLimit / 4, limitIsFailure: false) {
                if case .failed(let why) = better.status { result.failure = why; return finish() }
                if better.objective - constant < value { plan = better.values; value = better.objective - constant }
                // A plan within the gap asked of the bound needs no proof program (stress-250-s2:
                // the program over column generation's patterns reached the LP bound, and the
                // enumeration at that slack was 46,000 patterns of degenerate ties).
                extra = value - dualBound <= tolerance ? nil : improving(limit: budget)
                options.logger.debug("\(name) proof slack \(slack(below: value)): \(Self.describe(extra)) t \(secondsSince(clock))")
            }
            // (A plan within the gap asked of the bound is proven by the bound alone.)
            if value - dualBound > tolerance {
                guard let found = extra ?? nil else {
                    // Too many patterns to prove with: branch and price on the master while it
                    // closes the gap (BranchAndPrice.swift), then the compact model's program
                    // over the options of those patterns (its rows are the patterns' rules).
                    if branchAndPrice() { return finish() }
                    if optionProof() { return finish() }
                    result.failure = extra == nil ? "more than \(budget) patterns to prove with" : "a placement's proof search ran out of budget"
                    return finish()
                }
                let before = patterns.count
                for (h, set) in found { _ = add(h, set) }
                result.proofPatterns = patterns.count - before
                options.logger.debug("\(name) proof patterns \(found.count) new \(result.proofPatterns) t \(secondsSince(clock))")
                plan += [Bool](repeating: false, count: patterns.count - plan.count)
                if let solution = solve(useful(below: value)) {
                    if case .failed(let why) = solution.status { result.failure = why; return finish() }
                    if solution.objective - constant < value { plan = solution.values; value = solution.objective - constant }
                    // The program holds every pattern of every plan cheaper than the first: its bound,
                    // capped by that plan, bounds the component.
                    result.bound = max(result.bound, min(solution.bound - constant, value))
                }
            }
        }
        return finish()

        /// The proof by branch and price on the master (BranchAndPrice.swift), from the plan and
        /// the patterns so far; true when it proved the plan optimal. Its plan and bound stand
        /// either way.
        func branchAndPrice() -> Bool {
            guard converged, !priced, !pastDeadline() else { return false }
            priced = true
            let search = BranchAndPrice(space: space, backend: options.backend, deadline: deadline, logger: options.logger, name: name, threads: threads,
                                        nodes: min(BranchAndPrice.nodeLimit, options.proofNodes ?? .max))
            let current = plan.indices.filter { plan[$0] }.map { patterns[$0] }
            let outcome = search.run(pool: patterns, plan: current, value: value, tolerance: tolerance, duals: duals, minima: minima,
                                     slack: slack(below: value), rootBound: dualBound, basis: masterBasis)
            result.priceNodes += outcome.nodes
            for p in outcome.newPatterns { _ = add(p.home, p.set) }
            plan += [Bool](repeating: false, count: patterns.count - plan.count)
            if outcome.value < value {
                var position: [[Int]: Int] = [:]
                for (j, p) in patterns.enumerated() { position[[p.home] + p.set] = j }
                var chosen = [Bool](repeating: false, count: patterns.count)
                for p in outcome.plan {
                    guard let j = position[[p.home] + p.set] else { return false }
                    chosen[j] = true
                }
                plan = chosen
                value = outcome.value
            }
            result.bound = max(result.bound, min(outcome.bound, value))
            return outcome.proven
        }

        /// The proof over options instead of patterns: an option is in a plan cheaper than the
        /// plan's `value` only if the least value of a pattern holding it (under `duals`) is
        /// within the gap of its placement's minimum (the enumeration's own test, met by every
        /// pattern of such a plan). The compact model's program over those options and the plan's
        /// (MatchingModel: every rule of the spec) then has the component's optimum as its own
        /// (stress-150-s2: 23,600 patterns to enumerate, 1,270 options). False when a search ran
        /// out of budget, there are too many options, or the program did not finish.
        func optionProof() -> Bool {
            guard converged, !pastDeadline() else { return false }
            let slack = slack(below: value)
            var inPlan = Set<UInt64>()
            for (j, on) in plan.enumerated() where on { for k in patterns[j].set { inPlan.insert(homes[patterns[j].home].options[k].key) } }
            var kept: [MatchOption] = []
            var within = true
            let (space, duals) = (space, duals)
            Parallel.forEach(homes.count, threads: threads) { h in
                homes[h].leastContaining(space.reduced(h, duals), penalty: space.penalty(h, duals), nodeBudget: Self.patternNodeBudget, index: index)
            } take: { h, least in
                guard let least else { within = false; return false }
                for j in least.indices where least[j] - minima[h] < slack || inPlan.contains(homes[h].options[j].key) {
                    kept.append(homes[h].options[j])
                }
                if kept.count > Self.optionProofLimit { within = false }
                return within
            }
            guard within else { return false }
            let mm = MatchingModel(index: index, options: kept, children: component.children, name: name + "_options")
            options.logger.debug("\(name) option proof: \(kept.count) options at slack \(slack) t \(secondsSince(clock))")
            var mipOptions = MIPSolveOptions(relativeGap: options.relativeGap * 0.1, timeLimit: Self.seconds(until: deadline).map { max(0.05, $0) })
            let start = mm.options.map { inPlan.contains($0.key) }
            if mm.model.violatedRow(start) == nil { mipOptions.incumbent = start }
            mipOptions.separator = mm.cutSeparator(index: index, backend: options.backend)
            // Pseudocost branching: measured on stress-300-s10 (release, one thread, 2026-11-30),
            // 121 nodes and 33 s end to end against 255 nodes and 104 s with Driebeck and Tomlin's
            // (whose tableau row per fractional option at every node is most of the time); the
            // same on the other market of the corpus to 600 children that comes here (200-s5,
            // 2.7 s). Not for the programs over patterns: with thousands of columns its first
            // estimates (an LP copy per variable) took 60-150 s on stress-600-s4 and 600-s8.
            // PLACEMENT_PROOF_BRANCHING=dth: Driebeck and Tomlin's. Under a time limit always
            // theirs: GLPK checks its time limit between nodes, and the pseudocosts' first
            // estimates are one long step (stress-300-s10, --time-limit 8: the solve ended at
            // 12.7 s with pseudocosts, at 7.97 s with Driebeck and Tomlin's, the same plan).
            mipOptions.branching = options.timeLimit == nil ? Self.optionProofBranching : .driebeckTomlin
            mipOptions.nodeLimit = options.proofNodes   // the caller's, if any (then the compact stages answer)
            let solution = options.backend.solveMIP(mm.model, options: mipOptions)
            result.nodes += solution.nodes
            options.logger.debug("\(name) option proof over \(kept.count) options: \(solution.objective) bound \(solution.bound) status \(solution.status) nodes \(solution.nodes)")
            guard solution.status == .optimal || (solution.status == .timeLimit && pastDeadline()),
                  solution.values.count == mm.options.count, mm.model.violatedRow(solution.values) == nil else { return false }
            if solution.objective - constant < value {
                // The program's plan, as patterns: its options grouped by placement.
                var local: [UInt64: (home: Int, option: Int)] = [:]
                for h in homes.indices { for (k, o) in homes[h].options.enumerated() { local[o.key] = (h, k) } }
                var sets: [Int: [Int]] = [:]
                for (j, on) in solution.values.enumerated() where on {
                    guard let (h, k) = local[mm.options[j].key] else { return false }
                    sets[h, default: []].append(k)
                }
                var chosen: [Int] = []
                for (h, set) in sets {
                    let set = set.sorted()
                    guard homes[h].isPattern(set, index: index) else { return false }
                    if add(h, set) { chosen.append(patterns.count - 1) } else if let j = patterns.firstIndex(where: { $0.home == h && $0.set == set }) { chosen.append(j) }
                }
                plan = [Bool](repeating: false, count: patterns.count)
                for j in chosen { plan[j] = true }
                value = solution.objective - constant
            }
            // Every plan cheaper than the first is the program's: its bound, capped by the plan,
            // bounds the component.
            result.bound = max(result.bound, min(solution.bound - constant, value))
            result.proofPatterns = kept.count
            return true
        }

        /// The result with the plan and the patterns as they are (also when the compact model
        /// takes over: its plan and bound stand if the compact stages do no better).
        func finish() -> PatternResult {
            result.planned = true
            result.value = value
            result.bound = min(result.bound, value)
            result.patterns = patterns.count
            result.rows = space.rowCount
            result.nonZeros = patterns.reduce(0) { $0 + space.column($1.home, $1.set).entries.count }
            for (j, on) in plan.enumerated() where on {
                let (h, set) = patterns[j]
                for k in set { result.chosen.append(homes[h].options[k]) }
            }
            return result
        }
    }
}
