// What one placement can take tonight: its options (children on their own, sibling groups placed
// together) and every set of them that may live there together — a *pattern*. The pattern
// formulation (Dantzig–Wolfe by placement, see PatternSolve.swift) prices these sets against the
// children's duals; this file is the pricing problem: a small search over one home's options.
//
// A set of options at one placement is a pattern when (spec section 3):
// - their loads fit the capacity (a `solo` child, or a group with one, loads the whole home);
// - no child is in two of them (a child's own option and its group placed together);
// - no two children in different options may not live together (alongside, sexual_harm,
//   not_with: `MarketIndex.childrenConflict`);
// - not every member of a sibling group is there on its own (that is the group placed together,
//   priced as such: the split rule).
// These are exactly the rows MatchingModel writes per placement, so a pattern is a set of options
// that keeps every row of the compact model but the children's.

import Foundation

/// One placement's options, and the search for its best patterns under given duals.
struct HomeOptions: Sendable {
    let placement: Int
    let capacity: Int
    /// The options that can beat leaving their children unmatched, sorted by key.
    let options: [MatchOption]
    /// Per option: cost minus its children's unmatched costs (< 0), its load, its members.
    let cost: [Double]
    let load: [Int]
    let members: [[Int]]
    /// Per option: the group whose member it places on its own, and that group's size (-1, 0 for
    /// none); whether one of its children may conflict with anybody.
    let ownGroup: [Int32]
    let groupSize: [Int]
    let active: [Bool]
    /// Per option, its sibling group's position among the groups of this placement's options on
    /// their own (-1 for none), and how many such groups: the search counts members in an array.
    let localGroup: [Int]
    let localGroupCount: Int
    /// Pairwise compatibility, one bit per pair (row a, bit b), computed once when the home has
    /// at most `matrixLimit` options (the searches run every round); empty above.
    private let clash: [UInt64]
    private let words: Int
    static let matrixLimit = 1_500

    init(placement: Int, options unsorted: [MatchOption], index: MarketIndex) {
        self.placement = placement
        capacity = index.placementCapacity[placement]
        options = unsorted.sorted { $0.key < $1.key }
        members = options.map { $0.members(index) }
        cost = zip(options, members).map { o, ms in o.cost - ms.reduce(0.0) { $0 + index.unmatchedCost($1) } }
        load = options.map { index.load(of: $0) }
        ownGroup = options.map { $0.isTogether ? -1 : index.groupOf[Int($0.child)] }
        groupSize = ownGroup.map { $0 >= 0 ? index.groups[Int($0)].count : 0 }
        active = members.map { $0.contains(where: index.mayConflict) }
        var position: [Int32: Int] = [:]
        localGroup = ownGroup.map { g -> Int in
            guard g >= 0 else { return -1 }
            if let k = position[g] { return k }
            position[g] = position.count
            return position.count - 1
        }
        localGroupCount = position.count
        let n = options.count
        if n <= Self.matrixLimit {
            words = (n + 63) / 64
            var bits = [UInt64](repeating: 0, count: n * words)
            for a in 0..<n {
                for b in (a + 1)..<n where !Self.compatible(a, b, members: members, options: options, ownGroup: ownGroup,
                                                            active: active, index: index) {
                    bits[a * words + b / 64] |= 1 << UInt64(b % 64)
                    bits[b * words + a / 64] |= 1 << UInt64(a % 64)
                }
            }
            clash = bits
        } else {
            words = 0
            clash = []
        }
    }

    /// Whether options a and b may both be in one pattern (capacity and the split rule aside).
    @inline(__always)
    func compatible(_ a: Int, _ b: Int, index: MarketIndex) -> Bool {
        if words > 0 { return clash[a * words + b / 64] & (1 << UInt64(b % 64)) == 0 }
        return Self.compatible(a, b, members: members, options: options, ownGroup: ownGroup, active: active, index: index)
    }

    private static func compatible(_ a: Int, _ b: Int, members: [[Int]], options: [MatchOption], ownGroup: [Int32],
                                   active: [Bool], index: MarketIndex) -> Bool {
        for x in members[a] where members[b].contains(x) { return false }
        if options[a].isTogether, ownGroup[b] >= 0, options[a].group == ownGroup[b] { return false }
        if options[b].isTogether, ownGroup[a] >= 0, options[b].group == ownGroup[a] { return false }
        guard active[a] || active[b] else { return true }
        for x in members[a] { for y in members[b] where index.childrenConflict(x, y) { return false } }
        return true
    }

    /// Whether a set of options (local indices) is a pattern: the check the search makes step by
    /// step, made again from scratch (tests and the solve's own verification).
    func isPattern(_ set: [Int], index: MarketIndex) -> Bool {
        guard !set.isEmpty, Set(set).count == set.count, set.allSatisfy({ $0 >= 0 && $0 < options.count }) else { return false }
        guard set.reduce(0, { $0 + load[$1] }) <= capacity else { return false }
        for (i, a) in set.enumerated() { for b in set[(i + 1)...] where !compatible(a, b, index: index) { return false } }
        var own: [Int32: Int] = [:]
        for a in set where ownGroup[a] >= 0 { own[ownGroup[a], default: 0] += 1 }
        return own.allSatisfy { g, n in n < index.groups[Int(g)].count }
    }

    /// Whether option j may join the pattern `set` (local indices) there.
    func fits(_ j: Int, into set: [Int], index: MarketIndex) -> Bool {
        guard set.reduce(0, { $0 + load[$1] }) + load[j] <= capacity else { return false }
        if ownGroup[j] >= 0, set.filter({ ownGroup[$0] == ownGroup[j] }).count + 1 >= groupSize[j] { return false }
        return set.allSatisfy { compatible($0, j, index: index) }
    }

    /// The reduced cost of each option under children's duals `y` (<= 0): cost minus its
    /// children's duals.
    func reducedCosts(_ y: [Double]) -> [Double] {
        var d = cost
        for j in d.indices { for c in members[j] { d[j] -= y[c] } }
        return d
    }

    /// Lower value first; equal values in the order of their option lists (deterministic).
    static func better(_ a: (value: Double, set: [Int]), _ b: (value: Double, set: [Int])) -> Bool {
        a.value < b.value || (a.value == b.value && a.set.lexicographicallyPrecedes(b.set))
    }

    /// Per option, the least value (sum of `d`) of a pattern here that holds it (+infinity when
    /// none can); nil when a search ran out of budget. One search per option, with the option
    /// forced first (its value lowered far below every sum, then added back).
    func leastContaining(_ d: [Double], penalty: (([Int]) -> Double)? = nil, nodeBudget: Int, index: MarketIndex) -> [Double]? {
        var least = [Double](repeating: .infinity, count: d.count)
        let forced = -1e7 - d.reduce(0) { $0 + abs($1.isFinite ? $1 : 0) }
        var e = d
        for j in d.indices where d[j].isFinite {
            e[j] = forced
            let s = search(e, penalty: penalty, below: 0, keep: 1, nodeBudget: nodeBudget, index: index)
            e[j] = d[j]
            guard s.complete else { return nil }
            guard let best = s.patterns.first, best.set.contains(j) else { continue }
            least[j] = best.value - forced + d[j]
        }
        return least
    }

    struct Search {
        /// Patterns found (local option indices, increasing) with their value (sum of reduced costs).
        var patterns: [(value: Double, set: [Int])] = []
        /// False when the node budget stopped the search: it then proves nothing.
        var complete = true
    }

    /// Patterns whose value (sum of the options' reduced costs `d`) is below `limit`: all of them
    /// (`keep` nil, the optimality proof), or the `keep` best among the patterns of options with
    /// negative values (column generation's pricing; the best pattern of all is among them, since
    /// an option of value >= 0 never lowers a sum). A depth-first search over the options in order
    /// of value, pruned by a bound: the value so far plus the most negative values the room left
    /// could add. Stops after `nodeBudget` nodes (complete = false).
    ///
    /// `penalty`, when given, adds to a pattern's value a term >= 0 that is not a sum over its
    /// options (the subset-row cuts' duals, PatternSpace): the sums stay lower bounds, so the
    /// pruning holds, and a pattern is kept and ranked by its value with the term.
    func search(_ d: [Double], penalty: (([Int]) -> Double)? = nil, below limit: Double, keep: Int?, nodeBudget: Int, index: MarketIndex) -> Search {
        // Options worth trying. For all patterns below the limit, an option of value v can be in
        // one only if v plus the most negative values of (capacity - 1) others is below it
        // (measured wrong without this: a pattern of one dear and two cheap options was missed).
        var reach = 0.0
        if keep == nil {
            let negatives = d.filter { $0 < 0 }.sorted()
            reach = negatives.prefix(max(0, capacity - 1)).reduce(0, +)
        }
        // (Sorted as (value, option) pairs: a sort of the indices by d[i] read d through a
        // closure at every comparison, 7% of a stress-1500 solve.)
        var keyed: [(value: Double, option: Int)] = []
        for j in d.indices where keep == nil ? d[j] + reach < limit - 1e-12 : d[j] < 0 { keyed.append((d[j], j)) }
        keyed.sort { $0.value < $1.value || ($0.value == $1.value && $0.option < $1.option) }
        let order = keyed.map(\.option)
        guard !order.isEmpty else { return Search() }
        var walk = PatternWalk(home: self, d: d, order: order, penalty: penalty, keep: keep, threshold: limit,
                               nodeBudget: nodeBudget, index: index)
        walk.dfs(0, 0)
        // (With `keep`, the walk keeps its patterns in order and at most `keep` of them.)
        var result = Search(patterns: walk.found, complete: walk.complete)
        if keep == nil { result.patterns.sort(by: Self.better) }
        return result
    }
}

/// The state of one `HomeOptions.search`: a depth-first walk over the options in `order`. (A
/// struct with a mutating walk rather than a nested recursive function: the nested function's
/// captured variables were boxed and every access to them checked for exclusivity at run time,
/// 12% of a stress-1500 solve's profile. Its helpers are `mutating` though they change nothing:
/// called from `dfs` that way they take the walk by reference, where a non-mutating call copied
/// all 616 bytes of it each time.)
private struct PatternWalk {
    let home: HomeOptions
    let d: [Double]
    let order: [Int]
    let penalty: (([Int]) -> Double)?
    let keep: Int?
    var threshold: Double
    let nodeBudget: Int
    let index: MarketIndex
    var found: [(value: Double, set: [Int])] = []
    var complete = true
    var chosen: [Int] = []
    var used = 0
    var ownCount: [Int]
    var nodes = 0

    init(home: HomeOptions, d: [Double], order: [Int], penalty: (([Int]) -> Double)?, keep: Int?, threshold: Double,
         nodeBudget: Int, index: MarketIndex) {
        self.home = home; self.d = d; self.order = order; self.penalty = penalty; self.keep = keep
        self.threshold = threshold; self.nodeBudget = nodeBudget; self.index = index
        ownCount = [Int](repeating: 0, count: home.localGroupCount)
        chosen.reserveCapacity(home.capacity)
    }

    /// A pattern found: kept in order (HomeOptions.better), the `keep` best only, and the
    /// threshold lowered to the worst kept once there are `keep`.
    mutating func record(_ value: Double) {
        let entry = (value: value, set: chosen.sorted())
        guard let keep else { found.append(entry); return }
        var k = found.count
        while k > 0 && HomeOptions.better(entry, found[k - 1]) { k -= 1 }
        found.insert(entry, at: k)
        if found.count >= keep {
            found.removeLast(found.count - keep)
            threshold = min(threshold, found[keep - 1].value)
        }
    }

    mutating func fits(_ j: Int) -> Bool {
        if used + home.load[j] > home.capacity { return false }
        if home.localGroup[j] >= 0, ownCount[home.localGroup[j]] + 1 >= home.groupSize[j] { return false }
        for a in chosen where !home.compatible(a, j, index: index) { return false }
        return true
    }

    /// Whether option o may live with j and every chosen option (a loop, not `allSatisfy`: its
    /// closure copied the whole HomeOptions, and retained its arrays, at every call).
    mutating func mayJoin(_ o: Int, with j: Int) -> Bool {
        guard home.compatible(j, o, index: index) else { return false }
        for a in chosen where !home.compatible(a, o, index: index) { return false }
        return true
    }

    mutating func dfs(_ from: Int, _ value: Double) {
        let capacity = home.capacity
        for i in from..<order.count {
            if nodes >= nodeBudget { complete = false; return }
            let j = order[i]
            let next = value + d[j]
            // Bound: the most negative later values the remaining room could add (each option
            // loads at least one place).
            // Only options that fit the space left and may live with j and the chosen ones
            // count (their conflicts with one another, and loads above one, are relaxed:
            // still a bound).
            var bound = next
            let space = capacity - used - home.load[j]
            var room = space
            var k = i + 1
            while room > 0 && k < order.count && d[order[k]] < 0 {
                let o = order[k]
                // (The compatibility test pays in the proof's enumeration, where ties between
                // options are common; in pricing the kept patterns' threshold prunes enough.)
                if home.load[o] <= space && (keep != nil || mayJoin(o, with: j)) {
                    bound += d[o]; room -= 1
                }
                k += 1
            }
            if bound >= threshold - 1e-12 {
                if d[j] >= 0 { return }   // sorted: every later option is no better
                continue
            }
            guard fits(j) else { continue }
            nodes += 1
            chosen.append(j); used += home.load[j]
            if home.localGroup[j] >= 0 { ownCount[home.localGroup[j]] += 1 }
            if next < threshold - 1e-12 {
                let value = penalty.map { next + $0(chosen) } ?? next
                if value < threshold - 1e-12 { record(value) }
            }
            dfs(i + 1, next)
            chosen.removeLast(); used -= home.load[j]
            if home.localGroup[j] >= 0 { ownCount[home.localGroup[j]] -= 1 }
            if !complete { return }
        }
    }
}
