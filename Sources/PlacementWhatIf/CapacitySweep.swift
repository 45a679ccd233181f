// The marginal value of capacity: for every RCC and addable type, add K places (typical homes of
// the type, at population-weighted points of the RCC) and solve again; rank where new capacity
// helps most. All variants run concurrently on Dispatch workers (`Parallel.map`), each solve on
// one thread, so every number (and so the ranking) is the same whatever the number of threads.

import Foundation
import PlacementEngine
import PlacementGenerator

public struct SweepOptions: Sendable {
    /// Places added per variant (K).
    public var places = 5
    /// Types tried in every RCC. Kinship cannot be added (a carer is approved for named children).
    public var types: [PlacementType] = Scenario.addableTypes
    /// Variants solved at once (each solve itself on one thread).
    public var threads = Parallel.defaultThreads
    /// Gap and time limit for every solve (`threads` and `progress` are ignored).
    public var solve = MatchOptions()
    /// Seeds where new homes are put.
    public var seed = Scenario.defaultSeed
    public init() {}
}

/// One variant: K places of one type added in one RCC.
public struct SweepRow: Hashable, Sendable {
    /// 1 = where the places help most.
    public var rank: Int
    public var rcc: String
    public var type: PlacementType
    public var placesAdded: Int
    public var homesAdded: Int
    /// What was added, in words (profile, points).
    public var added: String
    public var status: MatchStatus
    public var objective: Double
    /// What the engine proved of the variant: its objective minus its best bound (0 when optimal).
    public var provenGap: Double
    /// Base objective minus the variant's (positive: better).
    public var objectiveSaved: Double
    public var objectiveSavedPerPlace: Double { placesAdded == 0 ? 0 : objectiveSaved / Double(placesAdded) }
    /// Children placed in the variant minus children placed in the base (net).
    public var childrenNewlyPlaced: Int
    /// Children the variant proposes into the new homes.
    public var newPlacesUsed: Int
    /// Over children placed in both runs: base km minus variant km (total).
    public var kmSaved: Double
    /// Over children placed in both runs: base breakdown risk minus variant risk (total), i.e. the
    /// expected placement breakdowns within a year avoided.
    public var riskAvoided: Double
    /// Wall-clock seconds of the variant's solve (longer when the machine is busy).
    public var seconds: Double
    /// CPU seconds of the variant (one thread): eligibility and arcs, the solve, and in all.
    public var cpu: SweepCPU
}

/// CPU seconds of one solve of the sweep, by stage.
public struct SweepCPU: Hashable, Sendable {
    public var arcs = 0.0
    public var solve = 0.0
    public var total = 0.0
    public init() {}
}

public struct CapacitySweep: Sendable {
    public let base: RunFigures
    /// Ranked: objective saved per place, then children newly placed, km saved, risk avoided
    /// (each higher first, compared at 1e-6), then RCC name and type.
    public let rows: [SweepRow]
    public let options: SweepOptions
    /// RCCs tried, sorted.
    public let rccs: [String]
    /// Wall-clock seconds for all solves.
    public let seconds: Double
    /// CPU seconds of the base solve.
    public let baseCPU: SweepCPU
    /// The largest objective - best bound of the base and the variants: savings below it are within
    /// what the engine left unproven (0 when every solve is proven optimal).
    public var resolution: Double { rows.reduce(max(0, base.objective - base.bestBound)) { max($0, $1.provenGap) } }
    /// CPU seconds of every solve together (base and variants).
    public var totalCPUSeconds: Double { rows.reduce(baseCPU.total) { $0 + $1.cpu.total } }
    public static let kinshipNote = "kinship is not swept: a kinship carer is a connected person approved for named children, so kinship places cannot be added generically"
}

extension WhatIf {
    /// Adds `options.places` places of each type in each RCC of `market` (one variant each), solves
    /// the market and every variant concurrently, and ranks the variants.
    public static func sweep(_ market: Market, geography: WhatIfGeography,
                             options: SweepOptions = SweepOptions()) throws(WhatIfError) -> CapacitySweep {
        var rccs: [String] = []
        for la in market.localAuthorities where !rccs.contains(la.rcc) { rccs.append(la.rcc) }
        rccs.sort()
        var pairs: [(rcc: String, type: PlacementType)] = []
        for r in rccs { for t in options.types { pairs.append((r, t)) } }
        let variants = pairs

        var oneThread = options.solve
        oneThread.threads = 1
        oneThread.progress = nil
        let solveOptions = oneThread
        let places = options.places
        let seed = options.seed

        struct Outcome: Sendable {
            var result: Result<(figures: RunFigures, outcomes: [ChildOutcome], cpu: SweepCPU), WhatIfError>
            var effect: ChangeEffect?
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let results = Parallel.map(variants.count + 1, threads: options.threads) { i -> Outcome in
            let t0 = DispatchTime.now().uptimeNanoseconds
            let cpu0 = WhatIfClock.threadCPU()
            var m = market
            var effect: ChangeEffect? = nil
            if i > 0 {
                let v = variants[i - 1]
                let change = ScenarioChange(.add(type: v.type, area: v.rcc, places: places),
                                            origin: .code("sweep[\(v.rcc), \(v.type.rawValue)]"))
                let scenario = Scenario(name: "sweep", seed: seed, changes: [change])
                do throws(ScenarioError) {
                    let applied = try scenario.apply(to: market, geography: geography)
                    m = applied.market
                    effect = applied.effects.first
                } catch {
                    return Outcome(result: .failure(.scenario(error)), effect: nil)
                }
            }
            do throws(BatchFailure) {
                let solved = try leanSolve(m, options: solveOptions, started: t0, cpuStarted: cpu0)
                return Outcome(result: .success(solved), effect: effect)
            } catch {
                return Outcome(result: .failure(.batch(error)), effect: effect)
            }
        }
        let seconds = WhatIfClock.seconds(since: start)
        let base: (figures: RunFigures, outcomes: [ChildOutcome], cpu: SweepCPU)
        switch results[0].result {
        case .success(let v): base = v
        case .failure(let e): throw e
        }
        var rows: [SweepRow] = []
        for (k, v) in variants.enumerated() {
            let r: (figures: RunFigures, outcomes: [ChildOutcome], cpu: SweepCPU)
            switch results[k + 1].result {
            case .success(let v): r = v
            case .failure(let e): throw e
            }
            let effect = results[k + 1].effect
            let added = Set(effect?.addedPlacements ?? [])
            var km = 0.0, risk = 0.0, used = 0
            for (x, y) in zip(base.outcomes, r.outcomes) {
                if let p = y.proposal, added.contains(p.placementId) { used += 1 }
                guard let a = x.proposal, let b = y.proposal else { continue }
                km += a.km - b.km
                risk += a.risk - b.risk
            }
            rows.append(SweepRow(rank: 0, rcc: v.rcc, type: v.type, placesAdded: effect?.placesAfter ?? 0,
                                 homesAdded: added.count, added: effect?.description ?? "",
                                 status: r.figures.status, objective: r.figures.objective,
                                 provenGap: max(0, r.figures.objective - r.figures.bestBound),
                                 objectiveSaved: base.figures.objective - r.figures.objective,
                                 childrenNewlyPlaced: r.figures.placed - base.figures.placed,
                                 newPlacesUsed: used, kmSaved: km, riskAvoided: risk, seconds: r.figures.seconds,
                                 cpu: r.cpu))
        }
        rows = rank(rows)
        return CapacitySweep(base: base.figures, rows: rows, options: options, rccs: rccs, seconds: seconds, baseCPU: base.cpu)
    }

    /// The batch without its report: index, arcs, solve, the independent check (`PlanVerifier`),
    /// and each child's outcome from the plan. What `NightlyBatch.run` does, less the plan report's
    /// choice ranks and "who holds the cheapest candidates" (about 1.7 s of a 1,000-child pool
    /// solve), which the sweep does not show.
    static func leanSolve(_ market: Market, options: MatchOptions, started: UInt64,
                          cpuStarted: Double) throws(BatchFailure) -> (figures: RunFigures, outcomes: [ChildOutcome], cpu: SweepCPU) {
        var cpu = SweepCPU()
        let index: MarketIndex
        do { index = try MarketIndex(market) } catch { throw BatchFailure(description: error.description) }
        let arcs = ArcTable(index: index, threads: options.threads)
        let cpuArcs = WhatIfClock.threadCPU()
        cpu.arcs = cpuArcs - cpuStarted
        let solution = MatchSolver(arcs: arcs, options: options).solve()
        cpu.solve = WhatIfClock.threadCPU() - cpuArcs
        if let failure = solution.failure {
            throw BatchFailure(kind: .solver, description: failure + " (\(options.backend.name), a sweep variant)")
        }
        let verification = PlanVerifier.verify(solution.plan, market: market, claimedObjective: solution.objective)
        var problems = verification.problems
        if solution.bestBound > solution.objective + 1e-6 * max(1, abs(solution.objective)) {
            problems.append("the proven bound \(solution.bestBound) exceeds the objective \(solution.objective)")
        }
        guard problems.isEmpty else {
            throw BatchFailure(description: "the independent check rejected the engine's answer for a sweep variant (a bug):\n"
                + problems.prefix(20).map { "  - " + $0 }.joined(separator: "\n"))
        }
        let plan = solution.plan
        var together = [Bool](repeating: false, count: index.childCount)
        for members in index.groups {
            guard let p = plan.placement[members[0]], members.allSatisfy({ plan.placement[$0] == p }) else { continue }
            for c in members { together[c] = true }
        }
        var outcomes: [ChildOutcome] = []
        outcomes.reserveCapacity(index.childCount)
        var placed = 0
        for c in 0..<index.childCount {
            guard let p = plan.placement[c] else {
                outcomes.append(ChildOutcome(proposal: nil, cost: index.unmatchedCost(c)))
                continue
            }
            placed += 1
            let cost = index.costBreakdown(child: c, placement: p, separated: index.isGroupMember(c) && !together[c])
            let pl = market.placements[p]
            outcomes.append(ChildOutcome(
                proposal: Proposal(placementId: pl.id, type: pl.type, rcc: index.rcc(ofPlacement: p), km: cost.distanceKm,
                                   risk: cost.risk, weeklyCost: pl.weeklyCost,
                                   crossRcc: index.rcc(ofChild: c) != index.rcc(ofPlacement: p)),
                cost: cost.total))
        }
        let figures = RunFigures(status: solution.status, objective: solution.objective, bestBound: solution.bestBound,
                                 gap: solution.gap, children: index.childCount, placements: index.placementCount,
                                 places: market.placements.reduce(0) { $0 + $1.capacity }, placed: placed,
                                 unmatched: index.childCount - placed, seconds: WhatIfClock.seconds(since: started))
        cpu.total = WhatIfClock.threadCPU() - cpuStarted
        return (figures, outcomes, cpu)
    }

    /// The sweep's order: higher objective saved per place, children newly placed, km saved and risk
    /// avoided first (values compared at 1e-6, so float noise cannot reorder), then RCC and type.
    static func rank(_ rows: [SweepRow]) -> [SweepRow] {
        func q(_ v: Double) -> Int64 { Int64((v * 1e6).rounded(.toNearestOrAwayFromZero)) }
        var sorted = rows.sorted { a, b in
            if q(a.objectiveSavedPerPlace) != q(b.objectiveSavedPerPlace) { return q(a.objectiveSavedPerPlace) > q(b.objectiveSavedPerPlace) }
            if a.childrenNewlyPlaced != b.childrenNewlyPlaced { return a.childrenNewlyPlaced > b.childrenNewlyPlaced }
            if q(a.kmSaved) != q(b.kmSaved) { return q(a.kmSaved) > q(b.kmSaved) }
            if q(a.riskAvoided) != q(b.riskAvoided) { return q(a.riskAvoided) > q(b.riskAvoided) }
            if a.rcc != b.rcc { return Array(a.rcc.utf8).lexicographicallyPrecedes(Array(b.rcc.utf8)) }
            return a.type < b.type
        }
        for i in sorted.indices { sorted[i].rank = i + 1 }
        return sorted
    }
}
