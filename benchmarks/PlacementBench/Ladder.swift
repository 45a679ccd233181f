// The ladder: seeded generated markets of growing size, each timed stage by stage.
//
// The parent process generates each market (timed: generation is not part of the engine's night)
// and writes it to a temporary folder; a child process (`placement-bench --single DIR ...`) then
// loads it and runs the whole nightly pipeline several times, and reports its stages, its answer
// and its peak resident memory (VmHWM, which is process-wide: a child per market keeps it honest).

import Foundation
import PlacementEngine
import PlacementGenerator

/// One rung of the ladder: a preset or a number of children.
struct MarketSpec: Codable, Sendable, Hashable, CustomStringConvertible {
    var preset: String?
    var children: Int?

    /// "pool", "national", "nightly", or a number of children ("4000", "16,000", "4k").
    init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: ",", with: "")
            .replacingOccurrences(of: "_", with: "")
        if MarketGenerator.Preset(rawValue: t) != nil {
            preset = t
        } else if t.hasSuffix("k"), let k = Int(t.dropLast()), k > 0 {
            children = k * 1000
        } else if let n = Int(t), n > 0 {
            children = n
        } else {
            return nil
        }
    }

    var description: String { preset ?? grouped(children ?? 0) }
    /// A stable key for the baseline.
    var key: String { preset ?? String(children ?? 0) }

    func configuration(seed: UInt64) -> MarketGenerator.Configuration {
        MarketGenerator.Configuration(seed: seed, preset: preset.flatMap { MarketGenerator.Preset(rawValue: $0) },
                                      children: children)
    }

    /// The gap asked of the solver: the spec's 1e-6, except national, whose target is a proven 0.1%.
    var defaultGap: Double { preset == "national" ? 1e-3 : 1e-6 }
}

/// What a child process reports for one market.
struct MarketResult: Codable, Sendable {
    var name: String
    var key: String
    var seed: UInt64
    var children: Int
    var placements: Int
    var places: Int
    var repetitions: Int
    var threads: Int
    var requestedGap: Double
    var timeLimit: Double?

    /// Parent side: generating the market and writing it to the temporary folder.
    var generateSeconds: Double?
    var marketWriteSeconds: Double?
    /// Per stage, over the repetitions: load, eligibility_and_arcs, solve, plan_report, verify, write_outputs.
    var stages: [String: Spread] = [:]
    /// load .. write_outputs, per repetition.
    var endToEnd: Spread
    /// CPU seconds / wall seconds of the pipeline (median): the cores it got (up to `threads`).
    var coresUsed: Double?
    /// Peak resident memory of the child process (VmHWM).
    var peakResidentBytes: Int?

    var status: String
    var optimalProven: Bool
    var objective: Double
    var bestBound: Double?
    var gap: Double?
    /// The same objective and matches.csv on every repetition.
    var repeatable: Bool
    var matchesFingerprint: String
    var placed: Int
    var unmatched: Int

    var rows: Int
    var columns: Int
    var nonZeros: Int
    var components: Int
    var largestComponentChildren: Int
    var pricingRounds: Int
    var proofAdditions: Int
    var branchNodes: Int
    /// The solver's own phase timers (median over the repetitions), named after SolveStatistics'
    /// `...Seconds` fields without the suffix (lp, pricing, mip, ...). They may nest.
    var solverPhases: [String: Double]
    /// SolveStatistics' Bool fields that were set (e.g. proofSkipped).
    var solverFlags: [String] = []

    static let stageOrder = ["load", "eligibility_and_arcs", "solve", "plan_report", "verify", "write_outputs"]
}

enum SingleMarket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// Set when the watchdog stopped the child.
        var stopped: BenchReport.StoppedMarket?
    }

    /// The child side: loads `folder` and runs the pipeline `repetitions` times.
    static func measure(folder: URL, name: String, key: String, seed: UInt64, repetitions: Int, threads: Int,
                        gap: Double, timeLimit: Double?) throws -> MarketResult {
        var options = MatchOptions()
        options.threads = threads
        options.relativeGap = gap
        options.timeLimit = timeLimit
        var stageSamples: [String: [Double]] = [:]
        var endToEnd: [Double] = []
        var coresUsed: [Double] = []
        var phases: [String: [Double]] = [:]
        var last: BatchRun? = nil
        var firstAnswer: (Double, String)? = nil
        var repeatable = true
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("placement-bench-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputs) }

        for rep in 0..<max(1, repetitions) {
            last = nil   // let the previous run go before the next one (memory)
            let start = now()
            let cpuStart = processCPUSeconds()
            var clock = StageClock()
            let market: Market
            do { market = try MarketLoader.load(from: folder) } catch {
                throw Failure(description: "cannot load \(folder.path): \(error)")
            }
            clock.lap("load")
            let run: BatchRun
            do { run = try NightlyBatch.run(market, options: options, clock: clock) } catch {
                throw Failure(description: "\(name): \(error)")
            }
            let writeStart = now()
            let hash = InputHash.of(folder: folder)
            do { try BatchOutputs.write(run, to: outputs, inputHash: hash) } catch {
                throw Failure(description: "\(name): cannot write outputs: \(error)")
            }
            let writeSeconds = seconds(since: writeStart)
            endToEnd.append(seconds(since: start))
            coresUsed.append((processCPUSeconds() - cpuStart) / endToEnd.last!)
            for stage in run.clock.stages { stageSamples[stage.name, default: []].append(stage.seconds) }
            stageSamples["write_outputs", default: []].append(writeSeconds)
            let st = run.solution.statistics
            for (phase, value) in solverPhaseSeconds(st) { phases[phase, default: []].append(value) }

            let matches = BatchOutputs.matchesCSV(run)
            if let (objective, text) = firstAnswer {
                if objective != run.solution.objective || text != matches { repeatable = false }
            } else {
                firstAnswer = (run.solution.objective, matches)
            }
            note("  \(name) repetition \(rep + 1)/\(repetitions): \(secs(endToEnd.last!)) s end to end "
                 + "(solve \(secs(run.clock.seconds("solve") ?? .nan)) s), \(run.solution.status.rawValue), objective \(format(run.solution.objective, 6))")
            last = run
        }
        guard let run = last, let answer = firstAnswer else { throw Failure(description: "no repetition ran") }
        let s = run.solution, st = s.statistics
        let market = run.market
        return MarketResult(
            name: name, key: key, seed: seed, children: market.children.count, placements: market.placements.count,
            places: market.placements.reduce(0) { $0 + $1.capacity }, repetitions: repetitions, threads: threads,
            requestedGap: gap, timeLimit: timeLimit,
            stages: stageSamples.mapValues(Spread.init), endToEnd: Spread(endToEnd), coresUsed: Spread(coresUsed).median,
            peakResidentBytes: ProcStatus.peakResidentBytes(),
            status: s.status.rawValue, optimalProven: s.status == .optimal, objective: s.objective,
            bestBound: s.bestBound.isFinite ? s.bestBound : nil, gap: s.bestBound.isFinite ? s.gap : nil,
            repeatable: repeatable, matchesFingerprint: fingerprint(answer.1),
            placed: run.report.matches.count, unmatched: run.report.unmatched.count,
            rows: st.rows, columns: st.columns, nonZeros: st.nonZeros, components: st.components,
            largestComponentChildren: st.largestComponentChildren, pricingRounds: st.pricingRounds,
            proofAdditions: st.proofAdditions, branchNodes: st.branchNodes,
            solverPhases: phases.mapValues { Spread($0).median }, solverFlags: solverFlags(st))
    }
}

/// The solver's own phase timers: every `...Seconds` figure of `SolveStatistics` (lpSeconds,
/// pricingSeconds, mipSeconds, proofSeconds, and any the engine adds), read by reflection so that
/// the harness follows the engine's statistics as they change.
func solverPhaseSeconds(_ statistics: SolveStatistics) -> [String: Double] {
    var out: [String: Double] = [:]
    for child in Mirror(reflecting: statistics).children {
        guard let label = child.label, label.hasSuffix("Seconds"), let value = child.value as? Double else { continue }
        out[String(label.dropLast("Seconds".count))] = value
    }
    return out
}

/// The solver's flags that are set (e.g. proofSkipped), by reflection like the phases.
func solverFlags(_ statistics: SolveStatistics) -> [String] {
    Mirror(reflecting: statistics).children.compactMap { child in
        guard let label = child.label, let on = child.value as? Bool, on else { return nil }
        return label
    }
}

enum Ladder {
    /// Parent side: generates `spec`, writes it, measures it in a child process.
    /// `watchdog`: seconds after which the child is stopped (a solve that ignores its time limit).
    static func run(_ spec: MarketSpec, england: EnglandData, seed: UInt64, repetitions: Int, threads: Int,
                    gap: Double, timeLimit: Double?, watchdog: Double) throws -> MarketResult {
        let generator = try MarketGenerator(spec.configuration(seed: seed), england: england)
        note("market \(spec): generating (seed \(seed))")
        let (market, generateSeconds) = timed { generator.generate() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("placement-bench-market-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writeStart = now()
        try MarketWriter.write(market, to: folder)
        let writeSeconds = seconds(since: writeStart)
        note("market \(spec): \(grouped(market.children.count)) children, \(grouped(market.placements.count)) placements; "
             + "generated in \(secs(generateSeconds)) s, written in \(secs(writeSeconds)) s")

        var result = try measureInChild(folder: folder, name: spec.description, key: spec.key, seed: seed,
                                        repetitions: repetitions, threads: threads, gap: gap, timeLimit: timeLimit,
                                        watchdog: watchdog)
        result.generateSeconds = generateSeconds
        result.marketWriteSeconds = writeSeconds
        return result
    }

    /// Runs the nightly pipeline on the market folder `folder` in a child process
    /// (`placement-bench --single`), stopped by a watchdog after `watchdog` seconds.
    /// `threads` nil: the child's default (every core); `timeLimit` nil: no limit.
    static func measureInChild(folder: URL, name: String, key: String, seed: UInt64, repetitions: Int, threads: Int?,
                               gap: Double, timeLimit: Double?, watchdog: Double) throws -> MarketResult {
        var arguments = ["--single", folder.path, "--name", name, "--key", key, "--seed", String(seed),
                         "--repetitions", String(repetitions), "--gap", String(gap)]
        if let threads { arguments += ["--threads", String(threads)] }
        if let timeLimit { arguments += ["--time-limit", String(timeLimit)] }
        let child = try Subprocess.run(selfExecutable(), arguments, mergeStandardError: false, timeout: watchdog)
        if child.timedOut {
            throw SingleMarket.Failure(description: "market \(name): stopped after \(secs(child.seconds)) s by the watchdog: its solve ran past its time limit of \(timeLimit.map { secs($0) } ?? "none") s; peak RSS by then \(mebibytes(child.peakResidentBytesAtTimeout))",
                stopped: .init(name: name, key: key, seconds: child.seconds, timeLimit: timeLimit,
                               peakResidentBytes: child.peakResidentBytesAtTimeout))
        }
        guard child.status == 0 else {
            throw SingleMarket.Failure(description: "market \(name): the child process failed (exit \(child.status)): \(child.output.suffix(2000))")
        }
        guard let line = child.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let result = try? JSON.decoder().decode(MarketResult.self, from: Data(line.utf8)) else {
            throw SingleMarket.Failure(description: "market \(name): the child process answered no result")
        }
        return result
    }

    /// This program, to run again as a child.
    static func selfExecutable() -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }
}
