// Pricing: the duals of the components' LPs, and the reduced cost of every option of the market
// against them (column generation's search for improving options, and the optimality proof's scan).

import Foundation

/// Duals gathered from the components' LPs, and pricing of every option against them.
struct Pricing: Sendable {
    /// Dual of each child's row (<= 0), 0 when the child has no row.
    var childDual: [Double]
    /// Dual of each placement's capacity row (<= 0), 0 when it has none.
    var capacityDual: [Double]
    /// Per child, min(0, least reduced cost of the options already in the model that name it).
    var presentMin: [Double]
    /// Per group: sum over its split and siblings rows of (coefficient of a together option x dual).
    /// Those rows name every together option of the group, present in the model or not, so this
    /// term belongs to the exact reduced cost of any together option.
    var togetherRowDual: [Double]
    /// Sum over rows of right-hand side x dual.
    var rowTerm: Double
    /// Reduced cost of every option in the model, by key.
    var presentReduced: [UInt64: Double] = [:]

    init(index: MarketIndex) {
        childDual = [Double](repeating: 0, count: index.childCount)
        capacityDual = [Double](repeating: 0, count: index.placementCount)
        presentMin = [Double](repeating: 0, count: index.childCount)
        togetherRowDual = [Double](repeating: 0, count: index.groups.count)
        rowTerm = 0
    }

    mutating func absorb(model mm: MatchingModel, lp: LPSolution, index: MarketIndex) {
        let rows = mm.model.rows
        var y = lp.rowDuals.map { min(0, $0) }   // clip rounding noise: a valid dual has y <= 0
        if y.count != rows.count { y = [Double](repeating: 0, count: rows.count) }
        for (i, kind) in mm.rowKinds.enumerated() {
            rowTerm += rows[i].upper * y[i]
            switch kind {
            case .child(let c): childDual[c] = y[i]
            case .capacity(let p): capacityDual[p] = y[i]
            case .split(let g, _): togetherRowDual[g] += Double(index.groups[g].count - 1) * y[i]
            case .siblings(let g, _): togetherRowDual[g] += y[i]
            case .conflict, .cut: break   // an option not in the row has coefficient 0
            }
        }
        // Reduced costs of the present columns, recomputed with the clipped duals.
        var d = mm.model.columns.map(\.cost)
        for (i, row) in rows.enumerated() where y[i] != 0 {
            for e in row.entries { d[e.column] -= e.coef * y[i] }
        }
        for (j, o) in mm.options.enumerated() {
            presentReduced[o.key] = d[j]
            if d[j] < 0 { for c in o.members(index) { presentMin[c] = min(presentMin[c], d[j]) } }
        }
    }

    struct Scan: Sendable {
        var additions: [MatchOption]
        /// Sum over children of min(0, least reduced cost of any option naming it): with the row
        /// term, the bound's negative part. Nil when the scan stopped at the deadline: a partial
        /// scan misses options, and the minimum over part of them is no bound at all.
        var negativeTerm: Double?
        /// Whether every child and group was priced (false: stopped at the deadline, and
        /// `additions` holds only what the finished chunks found).
        var complete: Bool { negativeTerm != nil }
    }

    /// Children (then groups) per unit of parallel work: small enough to balance two threads and
    /// to notice the deadline within a fraction of a second even when every child's kept options
    /// run out (each `allArcs` call walks every placement), large enough that scheduling is noise.
    static let scanChunk = 256

    /// What one chunk of the scan found: its additions in serial order, and the least reduced cost
    /// seen per child (to be merged with `min`, which does not depend on the order of merging).
    private struct ChunkScan: Sendable {
        var additions: [MatchOption] = []
        var least: [(child: Int32, reduced: Double)] = []
    }

    /// Every option not in `pool` whose reduced cost is below `threshold` (at most `perChildLimit`
    /// per child or group, most negative first), and the bound's negative term.
    ///
    /// Runs over children and groups in chunks on up to `threads` threads. The additions are the
    /// chunks' own lists concatenated in chunk order, so they are exactly those of a serial scan,
    /// in the same order, whatever the number of threads. A chunk that has not started by
    /// `deadline` is skipped, and the scan is then marked incomplete (no bound).
    ///
    /// `additionLimit`: past that many additions in all the scan is given up (incomplete): the
    /// optimality proof cannot use more, and at national scale they would not fit in memory.
    /// Whether the limit is passed does not depend on threads; which chunks ran before it was
    /// noticed does, so an incomplete scan's additions must not be used as a set.
    func scan(arcs: ArcTable, pool: [UInt64: MatchOption], threshold: Double, perChildLimit: Int,
              threads: Int = 1, deadline: UInt64? = nil, additionLimit: Int? = nil) -> Scan {
        let index = arcs.index
        let units = index.childCount + index.groups.count
        let chunks = (units + Self.scanChunk - 1) / Self.scanChunk
        let added = Counter()
        let results = Parallel.map(chunks, threads: threads) { k -> ChunkScan? in
            if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { return nil }
            if let additionLimit, added.value > additionLimit { return nil }
            var out = ChunkScan()
            for u in (k * Self.scanChunk)..<min(units, (k + 1) * Self.scanChunk) {
                if let additionLimit, out.additions.count > additionLimit { return nil }
                if u < index.childCount {
                    scanChild(u, arcs: arcs, pool: pool, threshold: threshold, perChildLimit: perChildLimit, into: &out)
                } else {
                    scanGroup(u - index.childCount, arcs: arcs, pool: pool, threshold: threshold,
                              perChildLimit: perChildLimit, into: &out)
                }
            }
            if added.add(out.additions.count) > additionLimit ?? Int.max { return nil }
            return out
        }
        var minReduced = presentMin
        var additions: [MatchOption] = []
        var complete = true
        for result in results {
            guard let result else { complete = false; continue }
            additions += result.additions
            for (c, d) in result.least { minReduced[Int(c)] = min(minReduced[Int(c)], d) }
        }
        return Scan(additions: additions,
                    negativeTerm: complete ? minReduced.reduce(0) { $0 + min(0, $1) } : nil)
    }

    private func scanChild(_ c: Int, arcs: ArcTable, pool: [UInt64: MatchOption], threshold: Double,
                           perChildLimit: Int, into out: inout ChunkScan) {
        let index = arcs.index
        let base = -index.unmatchedCost(c) - childDual[c]
        let (least, found) = scanArcs(arcs.childArcs[c], complete: arcs.childComplete[c], all: { arcs.allArcs(child: c) },
                                      base: base, index: index, pool: pool, threshold: threshold, perChildLimit: perChildLimit) {
            MatchOption.own(child: c, placement: Int($0.placement), cost: $0.cost)
        }
        if least < .infinity { out.least.append((Int32(c), least)) }
        out.additions += found
    }

    private func scanGroup(_ g: Int, arcs: ArcTable, pool: [UInt64: MatchOption], threshold: Double,
                           perChildLimit: Int, into out: inout ChunkScan) {
        let index = arcs.index
        let members = index.groups[g]
        let base = members.reduce(0.0) { $0 - index.unmatchedCost($1) - childDual[$1] } - togetherRowDual[g]
        let (least, found) = scanArcs(arcs.groupArcs[g], complete: arcs.groupComplete[g], all: { arcs.allArcs(group: g) },
                                      base: base, index: index, pool: pool, threshold: threshold, perChildLimit: perChildLimit) {
            MatchOption.together(group: g, placement: Int($0.placement), cost: $0.cost)
        }
        if least < .infinity { for c in members { out.least.append((Int32(c), least)) } }
        out.additions += found
    }

    /// One child's (or group's) arcs, cheapest first: the least reduced cost of an option not in
    /// `pool`, and the options below `threshold` (at most `perChildLimit`, most negative first).
    /// The kept arcs are read first; all of them are enumerated only when the kept ones run out.
    @inline(__always)
    private func scanArcs(_ kept: [Arc], complete: Bool, all: () -> [Arc], base: Double, index: MarketIndex,
                          pool: [UInt64: MatchOption], threshold: Double, perChildLimit: Int,
                          option: (Arc) -> MatchOption) -> (least: Double, found: [MatchOption]) {
        let eps = 1e-7
        var least = Double.infinity
        var found: [(Double, MatchOption)] = []
        var list = kept
        var k = 0
        while k < list.count {
            let a = list[k]
            if a.cost + base >= max(threshold, 0) { break }
            // Arcs come cheapest first and d >= a.cost + base: past the k-th best found,
            // no later option can join the additions or lower the least reduced cost.
            if found.count == perChildLimit, a.cost + base > found[found.count - 1].0 { break }
            let o = option(a)
            let d = a.cost + base - Double(index.load(of: o)) * capacityDual[Int(a.placement)]
            if pool[o.key] == nil {
                least = min(least, d)
                if d < threshold - eps { Self.keepBest(&found, (d, o), limit: perChildLimit) }
            }
            k += 1
            if k == list.count, !complete, list.count == kept.count {
                list = all()   // past what is kept: enumerate them all
            }
        }
        found.sort { ($0.0, $0.1.key) < ($1.0, $1.1.key) }
        return (least, found.map(\.1))
    }

    /// Adds `item` to `found`, keeping only the `limit` best by (reduced cost, key), sorted once full.
    @inline(__always)
    static func keepBest(_ found: inout [(Double, MatchOption)], _ item: (Double, MatchOption), limit: Int) {
        found.append(item)
        guard found.count >= limit else { return }
        found.sort { ($0.0, $0.1.key) < ($1.0, $1.1.key) }
        if found.count > limit { found.removeLast() }
    }
}
