// An exhaustive solver for tiny markets (up to about 7 children and 4 placements): every assignment
// (each child: a placement or unmatched) is a candidate, `PlanVerifier` decides which are valid and
// what they cost, and the minimum wins. It shares no code with the engine's model or solver.
//
// Pruning, each step sound on its own:
// - a child is only tried in placements the verifier finds eligible for it on its own (section 2):
//   a valid plan never places a child anywhere else;
// - a placement is not offered once it holds `capacity` children: a valid plan never exceeds it;
// - branch and bound: a child's cost in p is at least min(arc cost not separated, arc cost separated
//   + split penalty), whatever its siblings do; a partial assignment whose bound (those minima for
//   the children placed so far, plus each remaining child's cheapest option, unmatched included)
//   exceeds the best complete valid plan by more than the tie tolerance cannot contain a better
//   plan or a tie, so it is dropped.
// Every complete assignment reached is checked by the full verifier.

import PlacementEngine

struct BruteForceResult {
    var objective: Double
    /// One optimal plan (the first found).
    var plan: Plan
    /// Every valid plan within the tie tolerance of the optimum (up to `maxTies`).
    var optimalPlans: [Plan]
    /// Complete assignments handed to the verifier.
    var plansVerified: Int
}

enum BruteForce {
    static let maxTies = 64

    static func solve(_ market: Market) -> BruteForceResult {
        let checker = PlanVerifier.Prepared(market: market)
        let n = market.children.count, m = market.placements.count
        let policy = market.policy

        // Options per child: (placement or nil, lower bound on its cost), cheapest first.
        var options: [[(placement: Int?, bound: Double)]] = []
        for i in 0..<n {
            var list: [(placement: Int?, bound: Double)] = [(nil, policy.unmatchedCost(market.children[i].neededBy))]
            for p in 0..<m where checker.isEligible(child: i, placement: p) {
                let alone = checker.arcCost(child: i, placement: p, separated: false)
                let apart = checker.arcCost(child: i, placement: p, separated: true) + policy.splitPenalty
                list.append((p, min(alone, apart)))
            }
            options.append(list.sorted { $0.bound < $1.bound })
        }
        // restBound[i]: the least the children i..<n can cost.
        var restBound = [Double](repeating: 0, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            restBound[i] = restBound[i + 1] + options[i].map(\.bound).min()!
        }

        // Leaving everyone unmatched is always valid: the first incumbent.
        let nobody = Plan.unmatched(childCount: n)
        let start = checker.verify(nobody)
        precondition(start.isValid, "an all-unmatched plan must be valid: \(start.problems)")
        var best = start.objective
        var optimal = [nobody]
        var verified = 1

        var assignment = [Int?](repeating: nil, count: n)
        var load = [Int](repeating: 0, count: m)
        func tolerance() -> Double { 1e-9 * max(1, abs(best)) }

        func search(_ i: Int, _ bound: Double) {
            if bound + restBound[i] > best + tolerance() { return }
            if i == n {
                let plan = Plan(placement: assignment)
                if plan == nobody { return }   // already counted
                verified += 1
                let result = checker.verify(plan)
                guard result.isValid else { return }
                if result.objective < best - tolerance() {
                    best = result.objective
                    optimal = [plan]
                } else if abs(result.objective - best) <= tolerance() && optimal.count < maxTies {
                    optimal.append(plan)
                }
                return
            }
            for option in options[i] {
                if let p = option.placement {
                    if load[p] >= market.placements[p].capacity { continue }
                    load[p] += 1
                    assignment[i] = p
                    search(i + 1, bound + option.bound)
                    assignment[i] = nil
                    load[p] -= 1
                } else {
                    search(i + 1, bound + option.bound)
                }
            }
        }
        search(0, 0)
        // Ties found before a strictly better plan are dropped above; keep only those still tied.
        let ties = optimal.filter { abs(checker.verify($0).objective - best) <= tolerance() }
        return BruteForceResult(objective: best, plan: ties[0], optimalPlans: ties, plansVerified: verified)
    }

    /// No pruning at all: every one of (placements + 1)^children assignments goes to the verifier.
    /// Only for the smallest markets; used to check that `solve`'s pruning loses nothing.
    static func solveWithoutPruning(_ market: Market) -> (objective: Double, plan: Plan) {
        let checker = PlanVerifier.Prepared(market: market)
        let n = market.children.count, m = market.placements.count
        var best = Double.infinity
        var bestPlan = Plan.unmatched(childCount: n)
        var digits = [Int](repeating: 0, count: n)   // 0 = unmatched, k = placement k - 1
        while true {
            let plan = Plan(placement: digits.map { $0 == 0 ? nil : $0 - 1 })
            let result = checker.verify(plan)
            if result.isValid && result.objective < best { best = result.objective; bestPlan = plan }
            var k = 0
            while k < n && digits[k] == m { digits[k] = 0; k += 1 }
            if k == n { break }
            digits[k] += 1
        }
        return (best, bestPlan)
    }
}
