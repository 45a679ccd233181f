// Prices to start column generation from: the children's values in the component's
// transportation core, in which each child goes to one placement or stays unmatched and each
// placement takes up to its capacity. The core leaves out everything that is not a transportation
// problem: a sibling group placed together counts as each member at its share of the group's
// cost, a child's load as 1, and the rules between children. Any duals <= 0 give a valid
// Lagrangian bound (PatternSolve.swift), so the core need not be exact: its prices are close to
// the master's own, and the first rounds of column generation do not wander.
//
// Measured on ../shared/stress/s5-1000 (965 children, 151,399 options, 2026-11-30): column
// generation from the greedy plan's patterns alone took 74 rounds and 12.6 s; from the duals of
// the transportation LP (GLPK's simplex, 12.5 s of its own) 41 rounds and 4.5 s, its first bound
// 155,254 against the LP's 156,256. The same LP over each child's 5-20 cheapest options solved in
// 0.2-1 s but its duals were far off (first bound -1.0 M: with fewer options the capacities are
// worth less) and saved nothing. GLPK's network solvers: RELAX-IV is disabled in Debian's GLPK
// 5.0 (`relax4_inidat: sorry, this routine is temporarily disabled due to licensing problems`,
// then abort), and out-of-kilter took 411 s on a random core of that size. Hence an auction
// (Bertsekas's, with epsilon scaling) of our own: TransportAuction.

import Foundation
import Logging

/// The transportation core as an assignment of children to places, by auction (Bertsekas, with
/// epsilon scaling): children bid for the places (a placement's `capacity` identical slots) that
/// give them the most benefit less the slot's price; staying unmatched is worth 0. After each
/// phase, slots left free at a price above 0 (held in an earlier phase, bid for by nobody in this
/// one: there are more places than children who want them) offer themselves back by reverse
/// auction (`settle`). At the end each child's value is within epsilon of the best it can get at
/// the final prices and a free slot has price 0, so the assignment and the dual (the children's
/// values and the slots' prices) are within n * epsilon of the core's LP optimum, on either side
/// (`objectives`; TransportAuctionTests checks it against GLPK's simplex). Measured without the
/// reverse auction: stale prices, dual up to 100% above the assignment, s5-1000's start bound
/// 57,640 instead of 153,951; without epsilon scaling: exact, but 6.4 s of price war on
/// stress-5000-s1.
///
/// Loads are 1 here: a child who must be alone in a home also takes one slot. (Bidding for a
/// whole home's slots at once, tried before the reverse auction was written: evicting such a
/// child frees its other slots at raised prices, and its start on s5-1000 was no better.)
struct TransportAuction {
    /// Per placement, its number of slots.
    let capacity: [Int]
    /// Per child, (placement, benefit > 0): what placing it there saves against leaving it unmatched.
    let arcs: [[(placement: Int, benefit: Double)]]

    struct Outcome {
        /// Per child, max(0, max over its arcs of benefit less the placement's cheapest slot's price).
        var values: [Double]
        /// Per placement, its slots' prices.
        var prices: [[Double]]
        /// Per child, its placement (nil: unmatched).
        var placement: [Int?]
    }

    /// Benefits at or above this are not auctioned (see `run`).
    static let largestBenefit = 1e15

    /// The auction, with epsilon from an eighth of the largest benefit down to `finalEpsilon`
    /// (divided by 5 per phase).
    func run(finalEpsilon: Double) -> Outcome {
        let n = arcs.count
        var slotStart = [0]
        for c in capacity { slotStart.append(slotStart.last! + c) }
        var price = [Double](repeating: 0, count: slotStart.last!)
        var holder = [Int](repeating: -1, count: price.count)
        var placementOf = [Int](repeating: 0, count: price.count)
        for h in capacity.indices { for s in slotStart[h]..<slotStart[h + 1] { placementOf[s] = h } }
        // Per placement, its cheapest slot and the price of the next cheapest (infinity for one slot).
        var cheapest = [Int](repeating: -1, count: capacity.count), next = [Double](repeating: .infinity, count: capacity.count)
        func reprice(_ h: Int) {
            var low = -1, second = Double.infinity
            for s in slotStart[h]..<slotStart[h + 1] {
                if low < 0 || price[s] < price[low] {
                    if low >= 0 { second = price[low] }
                    low = s
                } else if price[s] < second { second = price[s] }
            }
            cheapest[h] = low; next[h] = second
        }
        let largest = arcs.lazy.flatMap { $0 }.map(\.benefit).max() ?? 0
        // Benefits past what doubles add up exactly would make epsilon scaling endless (an
        // infinite epsilon divided by 5 stays infinite): no prices then, values 0 (still a valid
        // start: any duals <= 0 are). The policy's limits keep real markets far from this.
        guard largest.isFinite, largest < Self.largestBenefit else {
            return Outcome(values: [Double](repeating: 0, count: n), prices: capacity.map { [Double](repeating: 0, count: $0) },
                           placement: [Int?](repeating: nil, count: n))
        }
        /// Children in `waiting` bid until each holds a slot or is better unmatched.
        func bid(_ waiting: inout [Int], epsilon: Double) {
            while let c = waiting.popLast() {
                // The best slot (the cheapest of the best placement), and the best value after it.
                var best = 0.0, second = 0.0, slot = -1
                for a in arcs[c] {
                    let s = cheapest[a.placement]
                    guard s >= 0 else { continue }
                    let value = a.benefit - price[s]
                    if value > best {
                        second = max(best, a.benefit - next[a.placement])
                        best = value; slot = s
                    } else if value > second { second = value }
                }
                guard slot >= 0 else { continue }   // unmatched is worth the most
                price[slot] += best - second + epsilon
                reprice(placementOf[slot])
                if holder[slot] >= 0 { waiting.append(holder[slot]) }
                holder[slot] = c
            }
        }
        // Per placement, the children with an arc there and their benefits.
        var bidders = [[(child: Int, benefit: Double)]](repeating: [], count: capacity.count)
        for (c, list) in arcs.enumerated() { for a in list { bidders[a.placement].append((c, a.benefit)) } }
        /// Reverse auction (Bertsekas and Castañon): a slot nobody holds at a price above 0 offers
        /// itself to the child it is worth most to beyond that child's profit now, at a price
        /// epsilon below what it is worth to the next child (or 0), so that the child gains at
        /// least epsilon and every child stays within epsilon of its best; a slot worth no more
        /// than epsilon to anybody drops to 0. The child's old slot, if any, is offered in turn.
        /// Each offer raises a child's profit by epsilon or ends at price 0: it ends.
        func settle(epsilon: Double) {
            // Per child, its slot and its profit there (0 when unmatched).
            var slotOf = [Int](repeating: -1, count: n), profit = [Double](repeating: 0, count: n)
            for s in holder.indices where holder[s] >= 0 {
                let c = holder[s]
                slotOf[c] = s
                profit[c] = arcs[c].first { $0.placement == placementOf[s] }!.benefit - price[s]
            }
            var open = price.indices.filter { holder[$0] < 0 && price[$0] > 0 }
            while let s = open.popLast() {
                let h = placementOf[s]
                var best = 0.0, second = 0.0, child = -1
                for b in bidders[h] {   // (s is free: nobody's slot)
                    let value = b.benefit - profit[b.child]
                    if value > best { second = best; best = value; child = b.child } else if value > second { second = value }
                }
                if child < 0 || best <= epsilon {
                    price[s] = 0
                } else {
                    price[s] = max(0, second - epsilon)
                    if slotOf[child] >= 0 { let old = slotOf[child]; holder[old] = -1; if price[old] > 0 { open.append(old) } }
                    holder[s] = child; slotOf[child] = s
                    profit[child] = best + profit[child] - price[s]
                }
                reprice(h)
            }
        }
        var epsilon = max(finalEpsilon, largest / 8)
        while largest > 0 {
            // A phase: every child unassigned, prices kept (a free slot's is 0: `settle`).
            holder = [Int](repeating: -1, count: price.count)
            for h in capacity.indices { reprice(h) }
            var waiting = Array((0..<n).reversed())
            bid(&waiting, epsilon: epsilon)
            settle(epsilon: epsilon)
            if epsilon <= finalEpsilon { break }
            epsilon = max(finalEpsilon, epsilon / 5)
        }
        var placement = [Int?](repeating: nil, count: n)
        for s in holder.indices where holder[s] >= 0 { placement[holder[s]] = placementOf[s] }
        let values = arcs.map { list in
            list.reduce(0.0) { cheapest[$1.placement] < 0 ? $0 : max($0, $1.benefit - price[cheapest[$1.placement]]) }
        }
        return Outcome(values: values, prices: capacity.indices.map { Array(price[slotStart[$0]..<slotStart[$0 + 1]]) },
                       placement: placement)
    }

    /// The assignment's benefit and its dual's value (sum of values and prices); the dual is
    /// >= every assignment's benefit, and within n * epsilon of the assignment's own.
    func objectives(_ o: Outcome) -> (primal: Double, dual: Double) {
        var primal = 0.0
        for (c, p) in o.placement.enumerated() { if let p { primal += arcs[c].first { $0.placement == p }!.benefit } }
        return (primal, o.values.reduce(0, +) + o.prices.joined().reduce(0, +))
    }
}

extension MatchSolver {
    /// The auction's last epsilon, in the costs' units (pounds and their equivalents): a start
    /// point needs no more (the dual is within n * epsilon of the core's optimum; s5-1000: 19 ms).
    static let auctionEpsilon = 1.0

    /// Per child row, minus its value in the transportation core (<= 0), then zeros for the
    /// placements' rows.
    static func transportDuals(homes: [HomeOptions], memberRows: [[[Int]]], n: Int, logger: Logger) -> [Double] {
        // The cheapest way for each child to each placement: on its own, or its share of a
        // together option.
        var arcs = [[(placement: Int, benefit: Double)]](repeating: [], count: n)
        for h in homes.indices {
            for j in homes[h].options.indices {
                let share = homes[h].cost[j] / Double(memberRows[h][j].count)
                guard share < 0 else { continue }
                for c in memberRows[h][j] {
                    if let last = arcs[c].last, last.placement == h { arcs[c][arcs[c].count - 1].benefit = max(last.benefit, -share) }
                    else { arcs[c].append((h, -share)) }
                }
            }
        }
        let auction = TransportAuction(capacity: homes.map(\.capacity), arcs: arcs)
        let clock = DispatchTime.now().uptimeNanoseconds
        let values = auction.run(finalEpsilon: Self.auctionEpsilon).values
        logger.debug("transport auction \(n) children \(arcs.reduce(0) { $0 + $1.count }) arcs t \(secondsSince(clock))")
        return values.map { -$0 } + [Double](repeating: 0, count: homes.count)
    }
}
