// One run of the simulation: one scenario (or the baseline), one seed, night after night. The state
// is in memory and stays the same size over the year (the stock of homes with their residents, the
// children waiting, their declines in force, and each night's figures; never a night's market).
//
// A night:
//   1. the scenario's changes, on its first night (from_day);
//   2. placements that end tonight free their places;
//   3. tonight's new referrals arrive (Poisson, the generator's mix), with kinship carers that came forward;
//   4. the market: every child waiting, every home with a free place, the waiting children's kinship
//      carers, the policy; the history (NightHistory: nights waited, declined pairings) applied;
//   5. the real nightly batch (NightlyBatch.run, one thread, no time limit, the default gap, the
//      independent check);
//   6. each proposal is accepted or declined by its provider (a seeded draw per child or sibling
//      group and home, the same in every scenario); an accepted child takes its place until the
//      placement ends (a draw per child); a declined or unplaced child waits for tomorrow.

import PlacementEngine
import PlacementGenerator
import PlacementWhatIf

/// One night's figures (a row of nights.csv).
public struct NightFigures: Sendable, Hashable {
    public var night: Int
    public var arrivals = 0
    /// Proposals accepted tonight.
    public var placed = 0
    public var declined = 0
    /// Children still waiting after tonight (unplaced or declined).
    public var waiting = 0
    /// Over tonight's accepted placements.
    public var totalKm = 0.0
    public var withinTwentyMiles = 0
    public var totalRisk = 0.0
    /// Weekly fees of tonight's accepted placements, summed.
    public var weeklyCost = 0.0
    /// Free places offered tonight (homes of the stock; kinship carers not counted).
    public var freePlaces = 0
    /// Children in tonight's market.
    public var children = 0

    public var meanKm: Double { placed == 0 ? 0 : totalKm / Double(placed) }
    public var shareWithinTwentyMiles: Double { placed == 0 ? 0 : Double(withinTwentyMiles) / Double(placed) }
    public var meanRisk: Double { placed == 0 ? 0 : totalRisk / Double(placed) }
}

/// What the run checked about itself (the conservation tests read it).
public struct RunAudit: Sendable, Hashable {
    public var arrivals = 0
    public var placed = 0
    public var waitingAtEnd = 0
    /// Children that arrived with an id already seen (must stay 0).
    public var repeatedArrivals = 0
    /// Children accepted while already placed (must stay 0).
    public var placedTwice = 0
    /// (home, night) pairs where more children were accepted than the home had free places (must stay 0).
    public var overCapacity = 0
    /// Nights on which a home held more children than its approved places, not counting homes a
    /// scenario scaled down (their residents stay until their placements end).
    public var overApproved = 0
    /// Placements that ended (residents at the start included).
    public var ended = 0
}

/// One scenario and one seed, simulated.
public struct SimulationRun: Sendable {
    public var scenario: String
    public var seed: UInt64
    public var nights: [NightFigures]
    public var audit: RunAudit
    /// What the scenario's changes did (empty for the baseline).
    public var effects: [String]
    /// Changes that named ids absent from this seed's stock, dropped with a warning.
    public var warnings: [String]
    /// Seconds spent in the nightly batch, summed over nights.
    public var solveSeconds: Double
    public var solves: Int
}

/// A home of the stock as the simulation keeps it.
struct SimHome {
    var placement: Placement
    var approved: Int
    /// Residents' ages; `ends[i]` is the night resident i leaves (Int.max: after the horizon).
    var ages: [Int]
    var ends: [Int]
    var agesRecorded: Bool
    var closed = false
    /// A scenario lowered approved places below the residents: allowed to stay over until they leave.
    var scaledDown = false

    var free: Int { closed ? 0 : max(0, approved - ages.count) }
}

/// A child waiting.
struct Waiting {
    var child: Child
    var nightsWaited = 0
    var declines: [DeclinedPairing] = []
}

/// The stock a run starts from: the region's homes (full ones included) with their residents.
public struct SimulationStock: Sendable {
    public var localAuthorities: [LocalAuthority]
    public var homes: [Placement]
    public init(localAuthorities: [LocalAuthority], homes: [Placement]) {
        self.localAuthorities = localAuthorities; self.homes = homes
    }

    /// The generator's whole stock in the cut (every home, full ones too, with its residents), for
    /// `seed`: the `pool` preset's stock fraction (1: every home) with nobody re-placed.
    public static func generate(england: EnglandData, region: String?, seed: UInt64) throws(GeneratorError) -> SimulationStock {
        let g = try MarketGenerator(MarketGenerator.Configuration(seed: seed, preset: .pool, region: region, includeFullHomes: true),
                                    england: england)
        let market = g.generate()
        return SimulationStock(localAuthorities: market.localAuthorities, homes: market.placements.filter { $0.type != .kinship })
    }
}

/// The inputs every run of a simulation shares.
public struct RunInputs: Sendable {
    public var stock: SimulationStock
    public var referrals: ReferralGenerator
    public var arrivalsPerNight: Double
    public var days: Int
    public var model: SimulationModel
    public var policy: Policy
    public var geography: WhatIfGeography
    public init(stock: SimulationStock, referrals: ReferralGenerator, arrivalsPerNight: Double, days: Int,
                model: SimulationModel, policy: Policy, geography: WhatIfGeography) {
        self.stock = stock; self.referrals = referrals; self.arrivalsPerNight = arrivalsPerNight; self.days = days
        self.model = model; self.policy = policy; self.geography = geography
    }
}

/// A scenario to run: its changes from `fromDay` on (`nil` scenario: the baseline).
public struct ScheduledScenario: Sendable {
    public var scenario: Scenario?
    public var fromDay: Int
    public var name: String { scenario?.name ?? "baseline" }
    public init(scenario: Scenario?, fromDay: Int) { self.scenario = scenario; self.fromDay = fromDay }
    public static let baseline = ScheduledScenario(scenario: nil, fromDay: 1)
}

public enum SimulationRunner {
    /// Simulates `inputs.days` nights of one scenario with one seed. Pure: the same inputs and seed
    /// give the same nights whatever else runs at the same time.
    public static func run(_ inputs: RunInputs, scenario: ScheduledScenario, seed: UInt64) throws -> SimulationRun {
        var sim = RunState(inputs: inputs, seed: seed)
        var nights: [NightFigures] = []
        nights.reserveCapacity(inputs.days)
        var effects: [String] = [], warnings: [String] = []
        for night in 1...max(1, inputs.days) where night <= inputs.days {
            if let s = scenario.scenario, night == scenario.fromDay {
                (effects, warnings) = try sim.apply(s)
            }
            nights.append(try sim.night(night))
        }
        sim.audit.waitingAtEnd = sim.waiting.count
        return SimulationRun(scenario: scenario.name, seed: seed, nights: nights, audit: sim.audit, effects: effects,
                             warnings: warnings, solveSeconds: sim.solveSeconds, solves: sim.solves)
    }
}

struct RunState {
    let inputs: RunInputs
    let seed: UInt64
    var homes: [SimHome]
    var homeIndex: [String: Int]
    var policy: Policy
    var waiting: [Waiting] = []
    /// Kinship carers of waiting children, by carer id (in arrival order).
    var kin: [Placement] = []
    /// Per night: (home, resident's end night) leaving then; the bucket is emptied as it is read.
    var endsOn: [[Int]]
    var audit = RunAudit()
    var seen = Set<String>()
    /// Tonight's arrivals and acceptances, by child id (read by the conservation tests).
    var tonightArrived: [String] = []
    var tonightPlaced: [String] = []
    var solveSeconds = 0.0
    var solves = 0

    init(inputs: RunInputs, seed: UInt64) {
        self.inputs = inputs
        self.seed = seed
        policy = inputs.policy
        endsOn = Array(repeating: [], count: inputs.days + 2)
        homes = []
        homes.reserveCapacity(inputs.stock.homes.count)
        homeIndex = [:]
        for p in inputs.stock.homes {
            let ages = p.residentAges ?? Array(repeating: 0, count: p.occupied)
            homes.append(SimHome(placement: p, approved: p.capacity + p.occupied, ages: ages,
                                 ends: Array(repeating: Int.max, count: ages.count),
                                 agesRecorded: p.residentAges != nil || p.occupied == 0))
        }
        for (h, home) in homes.enumerated() { homeIndex[home.placement.id] = h }
        // Residents at the start: each stays a memoryless time (the same law as a new placement).
        for h in homes.indices {
            let home = homes[h]
            for r in home.ages.indices {
                var rng = SeededRandom(seed: seed, stream: "resident/\(home.placement.id)/\(r)")
                if let d = Draw.stay(mean: inputs.model.meanStayNights(home.placement.type), horizon: inputs.days, &rng) {
                    homes[h].ends[r] = d
                    endsOn[d].append(h)
                }
            }
        }
    }

    // MARK: Scenario

    /// Applies a scenario to the stock as it stands: adds homes (all places free), closes homes to new
    /// children (residents stay until their placements end), scales approved places (residents above
    /// them stay), sets policy. Changes naming ids absent from this stock are dropped with a warning.
    mutating func apply(_ scenario: Scenario) throws -> (effects: [String], warnings: [String]) {
        let open = homes.indices.filter { !homes[$0].closed }
        var market = Market(localAuthorities: inputs.stock.localAuthorities, children: [],
                            placements: open.map { h in
                                var p = homes[h].placement
                                p.capacity = homes[h].approved; p.occupied = 0; p.residentAges = nil
                                return p
                            }, policy: policy)
        market.inputWarnings = []
        let ids = Set(market.placements.map(\.id)), providers = Set(market.placements.map(\.providerId))
        var kept = scenario
        var warnings: [String] = []
        kept.changes = scenario.changes.filter { change in
            switch change.kind {
            case .close(let id) where !ids.contains(id):
                warnings.append("\(change.origin.file): \(change.summary): no placement \(id) in the simulated stock: nothing closed")
                return false
            case .closeProvider(let id) where !providers.contains(id):
                warnings.append("\(change.origin.file): \(change.summary): no provider \(id) in the simulated stock: nothing closed")
                return false
            default: return true
            }
        }
        let applied = try kept.apply(to: market, geography: inputs.geography)
        var after: [String: Placement] = [:]
        for p in applied.market.placements { after[p.id] = p }
        for h in open {
            guard let p = after[homes[h].placement.id] else { homes[h].closed = true; continue }
            if p.capacity != homes[h].approved {
                homes[h].approved = p.capacity
                if homes[h].ages.count > p.capacity { homes[h].scaledDown = true }
            }
        }
        for p in applied.market.placements where homeIndex[p.id] == nil {
            var q = p
            q.occupied = 0
            homeIndex[q.id] = homes.count
            homes.append(SimHome(placement: q, approved: q.capacity, ages: [], ends: [], agesRecorded: true))
        }
        policy = applied.market.policy
        let effects = applied.effects.map {
            $0.description.replacingOccurrences(of: "free place", with: "approved place")
        }
        return (effects, warnings)
    }

    // MARK: A night

    mutating func night(_ n: Int) throws -> NightFigures {
        var fig = NightFigures(night: n)
        tonightArrived = []
        tonightPlaced = []
        // Placements ending tonight.
        for h in endsOn[n] {
            if let r = homes[h].ends.firstIndex(of: n) {
                homes[h].ages.remove(at: r); homes[h].ends.remove(at: r)
                audit.ended += 1
                if homes[h].scaledDown && homes[h].ages.count <= homes[h].approved { homes[h].scaledDown = false }
            }
        }
        endsOn[n] = []

        // Tonight's referrals.
        var arrivalsRng = SeededRandom(seed: Draw.nightSeed(seed, night: n), stream: "arrivals")
        let count = Draw.poisson(inputs.arrivalsPerNight, &arrivalsRng)
        let batch = inputs.referrals.batch(count: count, seed: Draw.nightSeed(seed, night: n), idPrefix: "N\(n)-")
        for c in batch.children {
            if !seen.insert(c.id).inserted { audit.repeatedArrivals += 1 }
            tonightArrived.append(c.id)
            waiting.append(Waiting(child: c))
        }
        kin += batch.kinshipCarers
        fig.arrivals = batch.children.count
        audit.arrivals += batch.children.count

        // Tonight's market.
        let offered = homes.indices.filter { homes[$0].free > 0 }
        fig.freePlaces = offered.reduce(0) { $0 + homes[$1].free }
        fig.children = waiting.count
        if !waiting.isEmpty && (!offered.isEmpty || !kin.isEmpty) {
            try solve(n, offered: offered, &fig)
        }
        for w in waiting.indices { waiting[w].nightsWaited += 1 }
        // Kinship carers whose children are all placed leave.
        let stillWaiting = Set(waiting.map(\.child.id)).union(waiting.compactMap(\.child.siblingGroup))
        kin.removeAll { carer in !carer.forChildren.contains { stillWaiting.contains($0) } || carer.capacity <= 0 }
        fig.waiting = waiting.count
        for h in homes.indices where homes[h].ages.count > homes[h].approved && !homes[h].scaledDown { audit.overApproved += 1 }
        return fig
    }

    mutating func solve(_ n: Int, offered: [Int], _ fig: inout NightFigures) throws {
        var placements: [Placement] = offered.map { h in
            var p = homes[h].placement
            p.capacity = homes[h].free
            p.occupied = homes[h].ages.count
            p.residentAges = homes[h].agesRecorded ? homes[h].ages.sorted() : nil
            return p
        }
        let stockCount = placements.count
        placements += kin
        // not_with names only children in tonight's market (a sibling or co-arrival already placed has left it).
        let here = Set(waiting.map(\.child.id))
        let children = waiting.map { w -> Child in
            guard !w.child.notWith.isEmpty else { return w.child }
            var c = w.child
            c.notWith.removeAll { !here.contains($0) }
            return c
        }
        var market = Market(localAuthorities: inputs.stock.localAuthorities, children: children,
                            placements: placements, policy: policy)
        var history = NightHistory(night: n)
        for w in waiting where w.nightsWaited > 0 { history.waiting[w.child.id] = WaitingChild(nightsWaited: w.nightsWaited) }
        for w in waiting { history.declined += w.declines }
        market = history.apply(to: market)

        var options = MatchOptions()
        options.threads = 1
        options.timeLimit = nil
        let start = ContinuousClock.now
        let run = try NightlyBatch.run(market, options: options)
        let elapsed = ContinuousClock.now - start
        solveSeconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        solves += 1

        // Decisions: one draw per (child, or its sibling group) and home, the same in every scenario.
        var acceptedInto = [Int: Int]()
        var placedIds = Set<String>()
        for row in run.report.matches {
            let child = market.children[row.child]
            let p = row.placement
            let placement = market.placements[p]
            var declined = false
            if placement.type != .kinship {
                var rng = SeededRandom(seed: seed, stream: "decline/\(child.siblingGroup ?? child.id)/\(placement.id)")
                declined = rng.uniform() < inputs.model.declineShare
            }
            guard let w = waiting.firstIndex(where: { $0.child.id == child.id }) else { continue }
            if declined {
                waiting[w].declines.append(DeclinedPairing(childId: child.id, placementId: placement.id, night: n))
                fig.declined += 1
                continue
            }
            if !placedIds.insert(child.id).inserted { audit.placedTwice += 1 }
            tonightPlaced.append(child.id)
            fig.placed += 1
            fig.totalKm += row.cost.distanceKm
            if row.cost.distanceKm <= PlanReport.twentyMilesKm { fig.withinTwentyMiles += 1 }
            fig.totalRisk += row.cost.risk
            fig.weeklyCost += placement.weeklyCost
            audit.placed += 1
            if p < stockCount {
                let h = offered[p]
                acceptedInto[h, default: 0] += 1
                if acceptedInto[h]! > placement.capacity { audit.overCapacity += 1 }
                var rng = SeededRandom(seed: seed, stream: "stay/\(child.id)")
                let end = Draw.stay(mean: inputs.model.meanStayNights(placement.type), horizon: inputs.days - n, &rng).map { n + $0 } ?? Int.max
                homes[h].ages.append(child.age)
                homes[h].ends.append(end)
                if end <= inputs.days { endsOn[end].append(h) }
            } else {
                let k = p - stockCount
                kin[k].capacity -= 1
                kin[k].occupied += 1
            }
        }
        if !placedIds.isEmpty { waiting.removeAll { placedIds.contains($0.child.id) } }
    }
}
