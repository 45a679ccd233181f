// Cuts from one placement's own rules: the strongest inequalities the LP relaxation can be given
// without looking across homes.
//
// At one placement the options that may be there together tonight form a family of "feasible
// sets": their loads fit the capacity, no two name the same child, no two may not live together
// (alongside, sexual_harm, not_with, solo), and a sibling group's members are not all there on
// their own (that would be the group placed together, priced as such). Every 0-1 plan's options at
// p form such a set, so the plan lies in the convex hull of the sets' incidence vectors. The
// model's capacity, clique, split and sibling rows describe that hull only in part: a home for two
// with four children who may not live with one another, each half there, satisfies every row.
//
// `PlacementCuts.separate` asks, for one placement and the LP's values there, whether they lie in
// the hull, by the separation LP
//
//     max x*·α  subject to  α(S) <= 1 for every maximal feasible set S,  α >= 0,
//
// over the options the LP uses at p (its support). A value above 1 gives the violated cut α·x <= 1.
// It is valid for the whole market, whatever other options exist: the feasible sets are closed
// under taking subsets, so any plan's options at p, cut down to the support, are a feasible set,
// and an option outside the support has coefficient 0. That is also why an option that joins the
// model later (column generation) takes coefficient 0 and pricing needs no term for the cut: the
// Lagrangian bound stays valid.
//
// Measured on ../shared/stress/s4-600 (the whole market's LP, in a prototype, 2026-11-30): the LP
// bound 200,395.74 against the optimum 200,438.53; with these cuts to convergence 200,431.19 (83% of
// the gap closed), and 2 small fractional clusters left instead of 207 fractional options.

/// A valid inequality Σ coef · x ≤ 1 over options at one placement (by option key).
public struct PlacementCut: Hashable, Sendable {
    public var placement: Int
    /// Option keys, increasing, and their coefficients (> 0).
    public var keys: [UInt64]
    public var coefficients: [Double]
    /// A sequence number in the pool: the row's identity across models (warm starts).
    public var serial: Int
}

/// The cuts found so far, kept from round to round (a cut stays valid as options join).
public struct CutPool: Sendable {
    public private(set) var cuts: [PlacementCut] = []
    public init() {}
    /// Adds a cut (keys in any order) and returns its serial number.
    @discardableResult
    public mutating func add(placement: Int, keys: [UInt64], coefficients: [Double]) -> Int {
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        cuts.append(PlacementCut(placement: placement, keys: order.map { keys[$0] }, coefficients: order.map { coefficients[$0] },
                                 serial: cuts.count))
        return cuts.count - 1
    }
    public var isEmpty: Bool { cuts.isEmpty }
    public var count: Int { cuts.count }
}

public enum PlacementCuts {
    /// Maximal feasible sets at most, per separation: past it the placement is left alone (a
    /// home for four with thirty options in the support has tens of thousands).
    static let maxSets = 4_000
    /// Options in the support at most.
    static let maxSupport = 20
    /// A cut must be violated by at least this much to be worth a row.
    static let minViolation = 1e-4

    /// The cut separating `values` (LP values of `options`, all at one placement) from the hull of
    /// that placement's feasible sets, or nil when they lie in it (or the separation is too large).
    /// Returns coefficients for `options` (0 outside the support).
    public static func separate(index: MarketIndex, options: [MatchOption], values: [Double],
                                backend: any MIPBackend) -> [Double]? {
        precondition(options.count == values.count)
        // The support, cut down to its largest values when wide (an option left out takes
        // coefficient 0, which keeps the cut valid), and narrower still when its feasible sets
        // are too many to enumerate.
        let positive = options.indices.filter { values[$0] > 1e-7 }
            .sorted { (values[$0], $1) > (values[$1], $0) }
        guard positive.count >= 2, positive.contains(where: { values[$0] < 1 - 1e-7 }) else { return nil }
        var support: [Int] = []
        var sets: [[Int]]? = nil
        for width in [maxSupport, 14, 8] where sets == nil {
            support = Array(positive.prefix(width)).sorted()
            sets = maximalFeasibleSets(index: index, options: support.map { options[$0] })
        }
        guard let sets, sets.count >= 2 else { return nil }
        // The separation LP, as a minimisation: min -x*·α, α(S) <= 1, α >= 0.
        var lp = MIPModel(name: "separation")
        for (k, j) in support.enumerated() { lp.columns.append(MIPColumn(name: "a\(k + 1)", cost: -values[j])) }
        for (r, set) in sets.enumerated() {
            lp.rows.append(MIPRow(name: "s\(r + 1)", upper: 1, entries: set.map { ($0, 1.0) }))
        }
        let solution = backend.solveLP(lp, warmStart: nil, timeLimit: nil)
        guard solution.status == .optimal, solution.columnValues.count == support.count else { return nil }
        var alpha = solution.columnValues.map { $0 > 1e-9 ? $0 : 0 }
        // Exactly valid whatever the LP's tolerances: scaled so that no feasible set exceeds 1.
        let worst = sets.map { set in set.reduce(0.0) { $0 + alpha[$1] } }.max() ?? 0
        guard worst > 0 else { return nil }
        if worst > 1 { alpha = alpha.map { $0 / worst } }
        var lhs = 0.0
        for (k, j) in support.enumerated() { lhs += alpha[k] * values[j] }
        guard lhs > 1 + minViolation else { return nil }
        var coefficients = [Double](repeating: 0, count: options.count)
        for (k, j) in support.enumerated() { coefficients[j] = alpha[k] }
        return coefficients
    }

    /// Every maximal feasible set of `options` (all at one placement), as local indices; nil past
    /// `maxSets`.
    static func maximalFeasibleSets(index: MarketIndex, options: [MatchOption]) -> [[Int]]? {
        let n = options.count
        guard n > 0 else { return [] }
        let p = Int(options[0].placement)
        let capacity = index.placementCapacity[p]
        let members = options.map { $0.members(index) }
        let loads = options.map { index.load(of: $0) }
        // Pairwise compatibility: no shared child, no conflict, loads together within capacity.
        var compatible = [[Bool]](repeating: [Bool](repeating: true, count: n), count: n)
        for a in 0..<n {
            compatible[a][a] = false
            for b in (a + 1)..<n {
                var ok = loads[a] + loads[b] <= capacity && !members[a].contains(where: members[b].contains)
                if ok {
                    outer: for x in members[a] { for y in members[b] where index.childrenConflict(x, y) { ok = false; break outer } }
                }
                compatible[a][b] = ok; compatible[b][a] = ok
            }
        }
        // The split rule: a group's members may not all be here on their own.
        let groupOfOption = options.map { $0.isTogether ? Int32(-1) : index.groupOf[Int($0.child)] }
        func breaksSplit(_ set: [Int]) -> Bool {
            var count: [Int32: Int] = [:]
            for j in set where groupOfOption[j] >= 0 { count[groupOfOption[j], default: 0] += 1 }
            return count.contains { index.groups[Int($0.key)].count == $0.value }
        }
        func feasible(_ set: [Int], adding j: Int, load: Int) -> Bool {
            load + loads[j] <= capacity && set.allSatisfy { compatible[$0][j] } && !breaksSplit(set + [j])
        }
        var sets: [[Int]] = []
        var overflow = false
        var current: [Int] = []
        func grow(from start: Int, load: Int) {
            if overflow { return }
            var extended = false
            for j in start..<n where feasible(current, adding: j, load: load) {
                extended = true
                current.append(j)
                grow(from: j + 1, load: load + loads[j])
                current.removeLast()
                if overflow { return }
            }
            // Maximal: no option at all (earlier ones included) can join.
            if !extended, !current.isEmpty,
               !(0..<n).contains(where: { !current.contains($0) && feasible(current, adding: $0, load: load) }) {
                sets.append(current)
                if sets.count > maxSets { overflow = true }
            }
        }
        grow(from: 0, load: 0)
        return overflow ? nil : sets
    }
}
