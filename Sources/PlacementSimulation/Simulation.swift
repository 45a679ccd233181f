// A sufficiency simulation (issue 14): the baseline and each scenario, each over several seeds, run
// concurrently with Dispatch (`Parallel.map`, one run per worker, each night's solve on one thread).
// A run depends only on its scenario and seed, so the answers are the same serial or concurrent.

import Foundation
import PlacementEngine
import PlacementGenerator
import PlacementWhatIf

public struct SimulationSettings: Sendable {
    /// One RCC (ONS region name), or `nil` for England.
    public var region: String?
    public var days: Int = 365
    public var seeds: Int = 5
    public var firstSeed: UInt64 = 1
    /// Runs at once (each night's solve uses one thread).
    public var threads: Int = Parallel.defaultThreads
    /// The night a scenario's changes start when its file gives no `from_day`.
    public var fromDay: Int = 1
    public var model = SimulationModel()
    public var policy = Policy()

    public init(region: String? = nil) { self.region = region }

    /// The seeds of the runs: firstSeed, firstSeed + 1, ...
    public var seedList: [UInt64] { (0..<UInt64(max(0, seeds))).map { firstSeed + $0 } }
}

/// Every run of a simulation and the summaries.
public struct SimulationResult: Sendable {
    public var settings: SimulationSettings
    public var region: String
    public var arrivalsPerNight: Double
    public var scenarios: [ScheduledScenario]
    /// Runs by scenario (baseline first), then by seed.
    public var runs: [[SimulationRun]]
    public var summaries: [ScenarioSummary]
    public var comparisons: [ScenarioComparison]
    public var wallSeconds: Double
}

public enum SimulationError: Error, CustomStringConvertible, Sendable {
    case generator(String)
    case scenario(ScenarioError)
    case batch(BatchFailure)

    public var description: String {
        switch self {
        case .generator(let s): s
        case .scenario(let e): e.description
        case .batch(let f): f.description
        }
    }
}

public enum Simulation {
    /// Checks a scenario against the first seed's stock, so that a wrong area or policy key is found
    /// before any night is solved. Returns the warnings (ids the stock does not hold).
    public static func check(_ scenario: Scenario, england: EnglandData, settings: SimulationSettings,
                             geography: WhatIfGeography) throws(SimulationError) -> [String] {
        let stock: SimulationStock
        do { stock = try SimulationStock.generate(england: england, region: settings.region, seed: settings.firstSeed) }
        catch { throw .generator(error.description) }
        let inputs = try makeInputs(stock: stock, england: england, settings: settings, geography: geography)
        var state = RunState(inputs: RunInputs(stock: stock, referrals: inputs.referrals, arrivalsPerNight: 0, days: 0,
                                               model: settings.model, policy: settings.policy, geography: geography), seed: settings.firstSeed)
        do { return try state.apply(scenario).warnings } catch let e as ScenarioError { throw .scenario(e) } catch {
            throw .generator("\(error)")
        }
    }

    static func makeInputs(stock: SimulationStock, england: EnglandData, settings: SimulationSettings,
                           geography: WhatIfGeography) throws(SimulationError) -> RunInputs {
        let referrals: ReferralGenerator
        do { referrals = try ReferralGenerator(england: england, region: settings.region) } catch { throw .generator(error.description) }
        return RunInputs(stock: stock, referrals: referrals,
                         arrivalsPerNight: settings.model.arrivalsPerNight(regionShare: regionShare(england, settings.region)),
                         days: settings.days, model: settings.model, policy: settings.policy, geography: geography)
    }

    /// The cut's share of England's children looked after (31 March 2024).
    public static func regionShare(_ england: EnglandData, _ region: String?) -> Double {
        guard let region else { return 1 }
        let wanted = region.trimmingCharacters(in: .whitespaces).lowercased()
        var inRegion = 0, total = 0
        for la in england.localAuthorities.indices {
            total += england.childrenLookedAfter[la]
            if england.regions[england.regionOfLA[la]].lowercased() == wanted { inRegion += england.childrenLookedAfter[la] }
        }
        return total == 0 ? 0 : Double(inRegion) / Double(total)
    }

    /// Runs the baseline and each scenario over every seed, `settings.threads` runs at once.
    /// `progress` is called after each run (from the worker that finished it).
    public static func run(scenarios: [ScheduledScenario], england: EnglandData, settings: SimulationSettings,
                           geography: WhatIfGeography,
                           progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws(SimulationError) -> SimulationResult {
        let start = ContinuousClock.now
        let seeds = settings.seedList
        let all = [ScheduledScenario.baseline] + scenarios
        // The stock of each seed, generated once (concurrently).
        let stocks = Parallel.map(seeds.count, threads: settings.threads) { i -> Result<SimulationStock, SimulationError> in
            do { return .success(try SimulationStock.generate(england: england, region: settings.region, seed: seeds[i])) }
            catch { return .failure(.generator("\(error)")) }
        }
        var inputs: [RunInputs] = []
        for s in stocks {
            switch s {
            case .success(let stock): inputs.append(try makeInputs(stock: stock, england: england, settings: settings, geography: geography))
            case .failure(let e): throw e
            }
        }
        let jobs = all.indices.flatMap { s in seeds.indices.map { (s, $0) } }
        let counter = Counter()
        let frozenInputs = inputs
        let results = Parallel.map(jobs.count, threads: settings.threads) { j -> Result<SimulationRun, SimulationError> in
            let (s, k) = jobs[j]
            defer { progress?(counter.increment(), jobs.count) }
            do {
                return .success(try SimulationRunner.run(frozenInputs[k], scenario: all[s], seed: seeds[k]))
            } catch let e as ScenarioError { return .failure(.scenario(e)) }
            catch let e as BatchFailure { return .failure(.batch(e)) }
            catch { return .failure(.generator("\(error)")) }
        }
        var runs = all.map { _ in [SimulationRun]() }
        for (j, r) in results.enumerated() {
            switch r {
            case .success(let run): runs[jobs[j].0].append(run)
            case .failure(let e): throw e
            }
        }
        let summaries = runs.map { ScenarioSummary(runs: $0) }
        let comparisons = runs.indices.dropFirst().map { ScenarioComparison(baseline: runs[0], scenario: runs[$0]) }
        let elapsed = ContinuousClock.now - start
        return SimulationResult(settings: settings, region: settings.region ?? "England",
                                arrivalsPerNight: inputs.first?.arrivalsPerNight ?? 0,
                                scenarios: all, runs: runs, summaries: summaries, comparisons: comparisons,
                                wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}

private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

// MARK: - Summaries

/// The figures of one run over the whole horizon.
public struct RunTotals: Sendable, Hashable {
    public var arrivals: Double
    public var placed: Double
    public var declined: Double
    public var waitingAtEnd: Double
    /// Children waiting after a night, averaged over the nights.
    public var meanWaiting: Double
    /// Nights waited (child-nights) per child arrived.
    public var waitedNightsPerChild: Double
    public var meanKm: Double
    public var shareWithinTwentyMiles: Double
    public var meanRisk: Double
    /// Weekly fee of a placement made, on average.
    public var weeklyCostPerPlacement: Double
    /// Weekly fees of every placement made, summed.
    public var weeklyCostTotal: Double

    public init(_ run: SimulationRun) {
        let n = run.nights
        let placed = n.reduce(0) { $0 + $1.placed }
        let arrivals = n.reduce(0) { $0 + $1.arrivals }
        let waited = n.reduce(0) { $0 + $1.waiting }
        let p = Double(max(placed, 1))
        self.arrivals = Double(arrivals)
        self.placed = Double(placed)
        declined = Double(n.reduce(0) { $0 + $1.declined })
        waitingAtEnd = Double(n.last?.waiting ?? 0)
        meanWaiting = n.isEmpty ? 0 : Double(waited) / Double(n.count)
        waitedNightsPerChild = arrivals == 0 ? 0 : Double(waited) / Double(arrivals)
        meanKm = n.reduce(0) { $0 + $1.totalKm } / p
        shareWithinTwentyMiles = Double(n.reduce(0) { $0 + $1.withinTwentyMiles }) / p
        meanRisk = n.reduce(0) { $0 + $1.totalRisk } / p
        weeklyCostTotal = n.reduce(0) { $0 + $1.weeklyCost }
        weeklyCostPerPlacement = weeklyCostTotal / p
    }

    /// (key, label, value, decimals) in the order printed.
    public static let metrics: [(key: String, label: String, value: @Sendable (RunTotals) -> Double, decimals: Int)] = [
        ("arrivals", "children arrived", { $0.arrivals }, 0),
        ("placed", "placements made", { $0.placed }, 0),
        ("declined", "proposals declined", { $0.declined }, 0),
        ("waiting_at_end", "still waiting at the end", { $0.waitingAtEnd }, 0),
        ("mean_waiting", "children waiting (mean a night)", { $0.meanWaiting }, 1),
        ("waited_nights_per_child", "nights waited per child", { $0.waitedNightsPerChild }, 3),
        ("mean_km", "mean km from home", { $0.meanKm }, 2),
        ("share_within_20_miles", "within 20 miles (%)", { 100 * $0.shareWithinTwentyMiles }, 1),
        ("mean_risk", "mean breakdown risk", { $0.meanRisk }, 4),
        ("weekly_cost_per_placement", "weekly fee per placement (£)", { $0.weeklyCostPerPlacement }, 0),
        ("weekly_cost_total", "weekly fees of placements made (£)", { $0.weeklyCostTotal }, 0),
    ]
}

/// One scenario across seeds: each figure's mean with its 95% t-interval.
public struct ScenarioSummary: Sendable {
    public var scenario: String
    public var seeds: [UInt64]
    public var totals: [RunTotals]
    public var estimates: [String: Estimate]
    /// Per night, the mean across seeds of children waiting, mean km (nights with placements) and weekly cost.
    public var meanWaitingByNight: [Double]
    public var meanKmByNight: [Double]
    public var weeklyCostByNight: [Double]

    public init(runs: [SimulationRun]) {
        scenario = runs.first?.scenario ?? ""
        seeds = runs.map(\.seed)
        totals = runs.map(RunTotals.init)
        var e: [String: Estimate] = [:]
        for m in RunTotals.metrics { e[m.key] = Estimate(totals.map(m.value)) }
        estimates = e
        let nights = runs.map(\.nights.count).min() ?? 0
        let k = Double(max(runs.count, 1))
        meanWaitingByNight = (0..<nights).map { i in runs.reduce(0.0) { $0 + Double($1.nights[i].waiting) } / k }
        meanKmByNight = (0..<nights).map { i in
            let placed = runs.filter { $0.nights[i].placed > 0 }
            return placed.isEmpty ? 0 : placed.reduce(0.0) { $0 + $1.nights[i].meanKm } / Double(placed.count)
        }
        weeklyCostByNight = (0..<nights).map { i in runs.reduce(0.0) { $0 + $1.nights[i].weeklyCost } / k }
    }
}

/// A scenario against the baseline, seed by seed (the same seed draws the same arrivals, declines
/// and stays in both: common random numbers), so each change's interval is of paired differences.
public struct ScenarioComparison: Sendable {
    public var scenario: String
    public var changes: [String: Estimate]
    public init(baseline: [SimulationRun], scenario: [SimulationRun]) {
        self.scenario = scenario.first?.scenario ?? ""
        var c: [String: Estimate] = [:]
        let b = baseline.map(RunTotals.init), s = scenario.map(RunTotals.init)
        for m in RunTotals.metrics {
            c[m.key] = Estimate(zip(b, s).map { m.value($1) - m.value($0) })
        }
        changes = c
    }
}
