// Concurrency: 16 independent what-if-like solves (variants of one market: seeded small changes of
// the weights and a few vacancies withdrawn) run one after another and then side by side with
// DispatchQueue.concurrentPerform, each solve on one thread. Wall time, speedup, efficiency per core,
// latency percentiles (HdrHistogram), and proof that both ways give the same answers.

import Dispatch
import Foundation
import Histogram
import PlacementEngine
import Synchronization
import PlacementGenerator

struct ConcurrencyResult: Codable, Sendable {
    struct Latency: Codable, Sendable {
        var p50: Double
        var p90: Double
        var p99: Double
        var max: Double
        var mean: Double
    }

    struct Variant: Codable, Sendable {
        var seed: UInt64
        var objective: Double
        var status: String
        var matchesFingerprint: String
    }

    var market: String
    var key: String
    var seed: UInt64
    var solves: Int
    var cores: Int
    /// Wall seconds: one after another (threads = 1 each), side by side (threads = 1 each), and one
    /// after another with each solve using every core (the engine's own parallelism).
    var sequentialSeconds: Double
    var concurrentSeconds: Double
    var sequentialAllCoresSeconds: Double?
    var speedup: Double
    var efficiencyPerCore: Double
    /// CPU seconds / wall seconds of each run: the cores the process actually got. Side by side
    /// near 1 means starved (other work on the machine) or serialised; near the core count with
    /// little speedup means the solves slow each other (memory, allocator).
    var sequentialCoresUsed: Double
    var concurrentCoresUsed: Double
    var sequentialLatency: Latency
    var concurrentLatency: Latency
    /// Every variant's objective and matches.csv are identical between the two runs.
    var identical: Bool
    var mismatches: [String]
    var variants: [Variant]
}

enum ConcurrencyBench {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Variant `k` of `market`: weights scaled by up to ±10%, and 5% of vacancies lose a place.
    static func variant(_ market: Market, seed: UInt64) -> Market {
        var m = market
        var rng = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 7)
        m.policy.weights.wKm *= rng.uniform(0.9, 1.1)
        m.policy.weights.wRisk *= rng.uniform(0.9, 1.1)
        m.policy.weights.wCost *= rng.uniform(0.9, 1.1)
        for i in m.placements.indices where m.placements[i].type != .kinship {
            if rng.uniform(0, 1) < 0.05 && m.placements[i].capacity > 0 { m.placements[i].capacity -= 1 }
        }
        return m
    }

    struct Answer: Sendable {
        var objective: Double
        var status: String
        var matches: String
        var seconds: Double
    }

    static func solve(_ market: Market, threads: Int) throws(BatchFailure) -> Answer {
        var options = MatchOptions()
        options.threads = threads
        let start = now()
        let run = try NightlyBatch.run(market, options: options)
        let elapsed = seconds(since: start)
        return Answer(objective: run.solution.objective, status: run.solution.status.rawValue,
                      matches: BatchOutputs.matchesCSV(run), seconds: elapsed)
    }

    static func run(_ spec: MarketSpec, england: EnglandData, seed: UInt64, solves: Int, allCores: Bool) throws -> ConcurrencyResult {
        let base = try MarketGenerator(spec.configuration(seed: seed), england: england).generate()
        let variants = (0..<solves).map { variant(base, seed: UInt64($0 + 1)) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        note("concurrency: \(solves) variants of market \(spec) (\(grouped(base.children.count)) children, \(grouped(base.placements.count)) placements)")

        // One after another, one thread each.
        var sequential: [Answer] = []
        let seqCPU = processCPUSeconds()
        let seqStart = now()
        for v in variants { sequential.append(try solve(v, threads: 1)) }
        let sequentialSeconds = seconds(since: seqStart)
        let sequentialCores = (processCPUSeconds() - seqCPU) / sequentialSeconds
        note("  one after another: \(secs(sequentialSeconds)) s")

        // Side by side: concurrentPerform over the variants, one thread each.
        let slots = Mutex<[Result<Answer, any Error>?]>(Array(repeating: nil, count: solves))
        let concCPU = processCPUSeconds()
        let concStart = now()
        DispatchQueue.concurrentPerform(iterations: solves) { k in
            let answer: Result<Answer, any Error>
            do { answer = .success(try solve(variants[k], threads: 1)) } catch { answer = .failure(error) }
            slots.withLock { $0[k] = answer }
        }
        let concurrentSeconds = seconds(since: concStart)
        let concurrentCores = (processCPUSeconds() - concCPU) / concurrentSeconds
        let concurrent: [Answer] = try slots.withLock { all in try all.map { try $0!.get() } }
        note("  side by side (concurrentPerform): \(secs(concurrentSeconds)) s")

        var allCoresSeconds: Double? = nil
        if allCores && cores > 1 {
            let start = now()
            for v in variants { _ = try solve(v, threads: cores) }
            allCoresSeconds = seconds(since: start)
            note("  one after another, \(cores) threads each: \(secs(allCoresSeconds!)) s")
        }

        var mismatches: [String] = []
        for k in 0..<solves {
            if sequential[k].objective != concurrent[k].objective {
                mismatches.append("variant \(k + 1): objective \(sequential[k].objective) one after another, \(concurrent[k].objective) side by side")
            }
            if sequential[k].matches != concurrent[k].matches {
                mismatches.append("variant \(k + 1): matches.csv differs between the two runs")
            }
        }
        let speedup = sequentialSeconds / concurrentSeconds
        return ConcurrencyResult(
            market: spec.description, key: spec.key, seed: seed, solves: solves, cores: cores,
            sequentialSeconds: sequentialSeconds, concurrentSeconds: concurrentSeconds,
            sequentialAllCoresSeconds: allCoresSeconds, speedup: speedup,
            efficiencyPerCore: speedup / Double(min(cores, solves)),
            sequentialCoresUsed: sequentialCores, concurrentCoresUsed: concurrentCores,
            sequentialLatency: latency(sequential.map(\.seconds)), concurrentLatency: latency(concurrent.map(\.seconds)),
            identical: mismatches.isEmpty, mismatches: mismatches,
            variants: (0..<solves).map { k in
                ConcurrencyResult.Variant(seed: UInt64(k + 1), objective: sequential[k].objective, status: sequential[k].status,
                        matchesFingerprint: fingerprint(sequential[k].matches))
            })
    }

    /// Percentiles of per-solve latencies with HdrHistogram (microsecond resolution, 3 digits).
    static func latency(_ samples: [Double]) -> ConcurrencyResult.Latency {
        var h = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        h.autoResize = true
        for s in samples { _ = h.record(UInt64(max(1, (s * 1e6).rounded()))) }
        func at(_ p: Double) -> Double { Double(h.valueAtPercentile(p)) / 1e6 }
        return .init(p50: at(50), p90: at(90), p99: at(99), max: Double(h.max) / 1e6, mean: h.mean / 1e6)
    }
}
