// Tonight as it is (the baseline) beside tonight as the scenario makes it: both solved concurrently
// with the same engine, then compared per RCC, per placement type and in total, child by child.

import Foundation
import PlacementEngine
import PlacementGenerator

/// The outcome for one group of children in one run.
public struct OutcomeFigures: Hashable, Sendable {
    public var placed = 0
    /// Children of the group left unmatched; `nil` for a placement-type group (an unmatched child
    /// has no placement type).
    public var unmatched: Int? = 0
    public var totalKm = 0.0
    public var overTwentyMiles = 0
    public var totalRisk = 0.0
    public var totalWeeklyCost = 0.0
    /// Children placed in a home of another RCC (kinship included, as `cross_rcc` in matches.csv).
    public var crossRcc = 0

    public init() {}
    public var meanKm: Double { placed == 0 ? 0 : totalKm / Double(placed) }
    public var shareOverTwentyMiles: Double { placed == 0 ? 0 : Double(overTwentyMiles) / Double(placed) }
    public var meanRisk: Double { placed == 0 ? 0 : totalRisk / Double(placed) }

    mutating func add(_ o: ChildOutcome) {
        guard let p = o.proposal else {
            if unmatched != nil { unmatched! += 1 }
            return
        }
        placed += 1
        totalKm += p.km
        if p.km > PlanReport.twentyMilesKm { overTwentyMiles += 1 }
        totalRisk += p.risk
        totalWeeklyCost += p.weeklyCost
        if p.crossRcc { crossRcc += 1 }
    }
}

/// Where a child goes in one run: a placement, or nowhere.
public struct Proposal: Hashable, Sendable {
    public var placementId: String
    public var type: PlacementType
    /// The home's RCC.
    public var rcc: String
    public var km: Double
    public var risk: Double
    public var weeklyCost: Double
    public var crossRcc: Bool
}

/// One child's outcome in one run.
public struct ChildOutcome: Hashable, Sendable {
    /// `nil`: unmatched.
    public var proposal: Proposal?
    /// What the child adds to the objective: its `arc_cost`, or its unmatched cost.
    public var cost: Double
}

/// A child whose proposal differs between the baseline and the scenario.
public struct ChangedChild: Hashable, Sendable {
    public var childId: String
    public var childRcc: String
    public var baseline: ChildOutcome
    public var scenario: ChildOutcome
}

/// One row of the comparison: everyone, an RCC (children grouped by their own LA's RCC) or a
/// placement type (children grouped by the type of home proposed).
public struct ComparisonGroup: Hashable, Sendable {
    public enum Scope: String, Sendable { case total, rcc, type }
    public var scope: Scope
    public var name: String
    public var baseline: OutcomeFigures
    public var scenario: OutcomeFigures
}

/// A solved run, briefly.
public struct RunFigures: Hashable, Sendable {
    public var status: MatchStatus
    public var objective: Double
    public var bestBound: Double
    public var gap: Double
    public var children: Int
    public var placements: Int
    public var places: Int
    public var placed: Int
    public var unmatched: Int
    public var seconds: Double

    init(status: MatchStatus, objective: Double, bestBound: Double, gap: Double, children: Int, placements: Int,
         places: Int, placed: Int, unmatched: Int, seconds: Double) {
        self.status = status; self.objective = objective; self.bestBound = bestBound; self.gap = gap
        self.children = children; self.placements = placements; self.places = places
        self.placed = placed; self.unmatched = unmatched; self.seconds = seconds
    }

    init(_ run: BatchRun, seconds: Double) {
        status = run.solution.status
        objective = run.solution.objective
        bestBound = run.solution.bestBound
        gap = run.solution.gap
        children = run.market.children.count
        placements = run.market.placements.count
        places = run.market.placements.reduce(0) { $0 + $1.capacity }
        placed = run.report.matches.count
        unmatched = run.report.unmatched.count
        self.seconds = seconds
    }
}

public struct WhatIfComparison: Sendable {
    public let scenario: Scenario
    public let effects: [ChangeEffect]
    public let baseline: RunFigures
    public let outcome: RunFigures
    /// Total first, then RCCs by name, then placement types in the spec's order.
    public let groups: [ComparisonGroup]
    /// Children whose proposal changed, by child id (byte order).
    public let changed: [ChangedChild]
    /// Wall-clock seconds for both solves together.
    public let seconds: Double
    public var objectiveChange: Double { outcome.objective - baseline.objective }
    /// The larger objective - best bound of the two solves: an objective change smaller than this is
    /// within what the engine left unproven (0 when both are proven optimal).
    public var resolution: Double { max(0, baseline.objective - baseline.bestBound, outcome.objective - outcome.bestBound) }
}

public enum WhatIfError: Error, Sendable, CustomStringConvertible {
    case scenario(ScenarioError)
    case batch(BatchFailure)
    public var description: String {
        switch self {
        case .scenario(let e): e.description
        case .batch(let e): e.description
        }
    }
}

/// Wall-clock seconds, for the timings what-if reports.
enum WhatIfClock {
    static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// CPU seconds used so far by the calling thread: what a one-thread solve costs, whatever else
    /// the machine is doing.
    static func threadCPU() -> Double {
        var ts = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 else { return .nan }
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

public enum WhatIf {
    /// Each child's outcome in a run, in the market's child order.
    public static func outcomes(_ run: BatchRun) -> [ChildOutcome] {
        let index = run.index
        let market = run.market
        var out = (0..<index.childCount).map { ChildOutcome(proposal: nil, cost: index.unmatchedCost($0)) }
        for m in run.report.matches {
            let p = market.placements[m.placement]
            out[m.child] = ChildOutcome(
                proposal: Proposal(placementId: p.id, type: p.type, rcc: index.rcc(ofPlacement: m.placement),
                                   km: m.cost.distanceKm, risk: m.cost.risk, weeklyCost: p.weeklyCost, crossRcc: m.crossRcc),
                cost: m.cost.total)
        }
        return out
    }

    /// Runs `body(0)` and `body(1)` at once (two Dispatch workers) when `threads` >= 2.
    static func both<T: Sendable>(threads: Int, _ body: @Sendable (Int) -> T) -> (T, T) {
        let r = Parallel.map(2, threads: min(2, max(1, threads)), body)
        return (r[0], r[1])
    }

    /// Solves `market` as it is and as `scenario` makes it, concurrently (each solve gets half of
    /// `options.threads`), and compares the two.
    public static func compare(_ market: Market, scenario: Scenario, geography: WhatIfGeography,
                               options: MatchOptions = MatchOptions()) throws(WhatIfError) -> WhatIfComparison {
        let applied: AppliedScenario
        do { applied = try scenario.apply(to: market, geography: geography) } catch { throw .scenario(error) }
        return try compare(baseline: market, applied: applied, options: options)
    }

    /// As above, with the scenario already applied.
    public static func compare(baseline market: Market, applied: AppliedScenario,
                               options: MatchOptions = MatchOptions()) throws(WhatIfError) -> WhatIfComparison {
        let threads = max(1, options.threads)
        var half = options
        half.threads = max(1, threads / 2)
        half.progress = nil
        let each = half
        let scenarioMarket = applied.market
        let start = DispatchTime.now().uptimeNanoseconds
        let (a, b) = both(threads: threads) { i -> (Result<BatchRun, BatchFailure>, Double) in
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r: Result<BatchRun, BatchFailure>
            do throws(BatchFailure) { r = .success(try NightlyBatch.run(i == 0 ? market : scenarioMarket, options: each)) } catch {
                r = .failure(error)
            }
            return (r, WhatIfClock.seconds(since: t0))
        }
        let seconds = WhatIfClock.seconds(since: start)
        let base: BatchRun, scen: BatchRun
        switch (a.0, b.0) {
        case (.success(let x), .success(let y)): base = x; scen = y
        case (.failure(let e), _), (_, .failure(let e)): throw .batch(e)
        }
        return compare(base, scen, applied: applied, seconds: (a.1, b.1, seconds))
    }

    static func compare(_ base: BatchRun, _ scen: BatchRun, applied: AppliedScenario,
                        seconds: (Double, Double, Double)) -> WhatIfComparison {
        let baseOut = outcomes(base), scenOut = outcomes(scen)
        let index = base.index
        let children = base.market.children
        precondition(children.map(\.id) == scen.market.children.map(\.id), "a scenario never changes the children")

        var total = (OutcomeFigures(), OutcomeFigures())
        var byRCC: [String: (OutcomeFigures, OutcomeFigures)] = [:]
        var byType: [PlacementType: (OutcomeFigures, OutcomeFigures)] = [:]
        var typeFigures = OutcomeFigures()
        typeFigures.unmatched = nil
        var changed: [ChangedChild] = []
        for c in children.indices {
            let rcc = index.rcc(ofChild: c)
            let x = baseOut[c], y = scenOut[c]
            total.0.add(x); total.1.add(y)
            byRCC[rcc, default: (OutcomeFigures(), OutcomeFigures())].0.add(x)
            byRCC[rcc]!.1.add(y)
            if let p = x.proposal { byType[p.type, default: (typeFigures, typeFigures)].0.add(x) }
            if let p = y.proposal { byType[p.type, default: (typeFigures, typeFigures)].1.add(y) }
            if x.proposal?.placementId != y.proposal?.placementId {
                changed.append(ChangedChild(childId: children[c].id, childRcc: rcc, baseline: x, scenario: y))
            }
        }
        var groups = [ComparisonGroup(scope: .total, name: "total", baseline: total.0, scenario: total.1)]
        for name in byRCC.keys.sorted() {
            groups.append(ComparisonGroup(scope: .rcc, name: name, baseline: byRCC[name]!.0, scenario: byRCC[name]!.1))
        }
        for t in PlacementType.allCases {
            guard let f = byType[t] else { continue }
            groups.append(ComparisonGroup(scope: .type, name: t.rawValue, baseline: f.0, scenario: f.1))
        }
        changed.sort { Array($0.childId.utf8).lexicographicallyPrecedes(Array($1.childId.utf8)) }
        return WhatIfComparison(scenario: applied.scenario, effects: applied.effects,
                                baseline: RunFigures(base, seconds: seconds.0), outcome: RunFigures(scen, seconds: seconds.1),
                                groups: groups, changed: changed, seconds: seconds.2)
    }
}
