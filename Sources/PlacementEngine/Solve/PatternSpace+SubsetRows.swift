// Subset-row cuts (Jepsen, Petersen, Spoorendonk and Pisinger, 2008): for any three rows of the
// master (children's or placements'), no plan has two patterns that each cover two of them, so
//
//     sum over patterns S covering at least two of the three rows of z_S  <=  1
//
// (the rank-1 Chvátal–Gomory cut of the three rows with multipliers 1/2). The master's LP
// does not imply them, and on scarce markets it breaks them everywhere: a placement with one
// place takes child a half and child b half, while another placement takes a and b together
// half (rows a, b and the first placement: 1.5). Measured on stress-200-s12: pattern LP 1,260
// below the optimum, HiGHS's root (the compact model with its cuts) 334 below.
//
// A pattern's coefficient is not a sum over its options (two of three, not each), so pricing
// adds it as a term >= 0 after the options' sum (HomeOptions.search's `penalty`): the search's
// bounds stay valid.

import Foundation

extension PatternSpace {
    /// Subset rows the master's LP point violates by more than `minimum`, the most violated first
    /// (at most `limit`, no two with the same rows, none in `known`): row triples, increasing. Only
    /// fractional patterns can be in a violated one (a pattern at 1 covers its rows alone).
    /// `columns` are the LP's patterns with their values.
    func violatedSubsetRows(_ columns: [(home: Int, set: [Int], value: Double)], known: Set<[Int]>,
                            limit: Int, minimum: Double = 0.05) -> [[Int]] {
        let fractional = columns.filter { $0.value > 1e-9 && $0.value < 1 - 1e-6 }
            .map { c in (home: c.home, children: c.set.flatMap { memberRows[c.home][$0] }.sorted(), value: c.value) }
        guard fractional.count >= 2 else { return [] }
        struct Pair: Hashable { var a: Int, b: Int }
        var pair: [Pair: Double] = [:]              // both children in a pattern
        var pairAt: [Pair: [Int: Double]] = [:]     // ... at a placement
        var usage: [Int: [Int: Double]] = [:]       // child -> placement -> value of its patterns there
        var neighbours: [Int: Set<Int>] = [:]
        for p in fractional {
            for (i, a) in p.children.enumerated() {
                usage[a, default: [:]][p.home, default: 0] += p.value
                for b in p.children[(i + 1)...] {
                    pair[Pair(a: a, b: b), default: 0] += p.value
                    pairAt[Pair(a: a, b: b), default: [:]][p.home, default: 0] += p.value
                    neighbours[a, default: []].insert(b); neighbours[b, default: []].insert(a)
                }
            }
        }
        var found: [(excess: Double, rows: [Int])] = []
        // Two children and a placement: the placement's patterns holding either, and the others
        // holding both.
        for (ab, both) in pair where both > minimum {
            var homesNear = Set((usage[ab.a] ?? [:]).keys)
            homesNear.formUnion((usage[ab.b] ?? [:]).keys)
            for h in homesNear {
                let here = pairAt[ab]?[h] ?? 0
                let either = (usage[ab.a]?[h] ?? 0) + (usage[ab.b]?[h] ?? 0) - here
                let excess = either + both - here - 1
                if excess > minimum { found.append((excess, [ab.a, ab.b, n + h])) }
            }
        }
        // Three children: the patterns holding two or three of them.
        var triple: [[Int]: Double] = [:]
        for p in fractional where p.children.count >= 3 {
            let c = p.children
            for i in c.indices { for j in (i + 1)..<c.count { for k in (j + 1)..<c.count { triple[[c[i], c[j], c[k]], default: 0] += p.value } } }
        }
        func both(_ a: Int, _ b: Int) -> Double { pair[Pair(a: min(a, b), b: max(a, b))] ?? 0 }
        for (ab, w) in pair where w > minimum {
            let near = (neighbours[ab.a] ?? []).union(neighbours[ab.b] ?? [])
            for c in near where c != ab.a && c != ab.b {
                let rows = [ab.a, ab.b, c].sorted()
                let excess = both(rows[0], rows[1]) + both(rows[0], rows[2]) + both(rows[1], rows[2]) - 2 * (triple[rows] ?? 0) - 1
                if excess > minimum { found.append((excess, rows)) }
            }
        }
        found.sort { $0.excess > $1.excess || ($0.excess == $1.excess && $0.rows.lexicographicallyPrecedes($1.rows)) }
        var chosen: [[Int]] = []
        var seen = known
        for f in found where seen.insert(f.rows).inserted {
            chosen.append(f.rows)
            if chosen.count >= limit { break }
        }
        return chosen
    }
}
