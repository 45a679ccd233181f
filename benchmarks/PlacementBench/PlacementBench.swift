// placement-bench: the engine's benchmark harness (issue 3). See benchmarks/README.md.

import ArgumentParser
import Foundation
import PlacementEngine
import PlacementGenerator

@main
struct PlacementBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placement-bench",
        abstract: "Benchmark the placement engine: a ladder of generated markets, concurrent what-if solves, plain glpsol.",
        discussion: """
            Build in release mode: swift run -c release placement-bench [--quick]. The full run regenerates \
            benchmarks/RESULTS.md; --quick (CI) runs small markets and compares with benchmarks/baseline.json: \
            it fails when an objective differs from the recorded one and warns when a time grew more than 2x.
            """)

    @Flag(help: "CI mode: markets 250 and 500, a small concurrency run, glpsol on 250 children with a 10 s limit.")
    var quick = false

    @Option(help: "Comma-separated markets: numbers of children and/or presets (nightly, pool, national). Default: 250,pool,2000,4000,16000,national (quick: 250,500).")
    var markets: String?

    @Option(help: "Repetitions of each market's pipeline (load .. write outputs).")
    var repetitions: Int = 3

    @Option(help: "Repetitions for large markets (10,000 children or more, and national).")
    var largeRepetitions: Int = 1

    @Option(help: "Seed of every generated market.")
    var seed: UInt64 = 1

    @Option(help: "Solver threads for the ladder and the peer engine runs (default: every core).")
    var threads: Int?

    @Option(help: "Time limit in seconds for each ladder solve (default 120; national 60, its target; quick 60). A solve that hits it is reported as time_limit.")
    var timeLimit: Double?

    @Option(help: "Market for the concurrency benchmark (default 500; quick 250).")
    var concurrencyMarket: String?

    @Option(help: "Independent solves in the concurrency benchmark.")
    var solves: Int = 16

    @Flag(help: "Skip the concurrency benchmark.")
    var noConcurrency = false

    @Option(help: "Market for the glpsol comparison (default 2000; quick 250).")
    var peerMarket: String?

    @Option(help: "glpsol --tmlim in seconds (default 300; quick 10).")
    var glpsolLimit: Int?

    @Option(help: "Address-space cap for glpsol in GiB (the whole model is large).")
    var glpsolMemory: Double = 8

    @Flag(help: "Skip the glpsol comparison.")
    var noPeer = false

    @Option(help: "Keep the exported LP file of the peer comparison at this path.")
    var keepLp: String?

    @Option(help: "Stress ladder: comma-separated market folders, or folders of market folders (default: the shared stress markets, ../shared/stress, when present).")
    var stressDirs: String?

    @Flag(help: "Stress ladder: add the whole stress corpus (StressCorpus.entries, 200 generated markets, 20 to 5,000 children).")
    var stress = false

    @Flag(help: "Stress ladder: add the corpus's quick subset (StressCorpus.quick, 24 markets of at most 300 children).")
    var stressQuick = false

    @Option(help: "Stress ladder: only markets with these numbers of children (comma-separated).")
    var stressMarkets: String?

    @Flag(help: "Skip the stress ladder.")
    var noStress = false

    @Flag(help: "Run the stress ladder only (no England ladder, concurrency or glpsol; no RESULTS.md unless --results-md).")
    var stressOnly = false

    @Option(help: "Stress ladder: time limit of HiGHS and CBC per market in seconds (default 300; quick 10).")
    var stressPeerLimit: Double?

    @Option(help: "Stress ladder: watchdog on the engine's end-to-end run per market in seconds (default 300; quick 30).")
    var stressWatchdog: Double?

    @Option(help: "Stress ladder: peer solvers to run, comma-separated from highs, cbc (default highs,cbc; quick highs).")
    var stressPeers: String?

    @Option(help: "Stress ladder: start no further market after this many seconds (default none; quick 90).")
    var stressBudget: Double?

    @Option(help: "Stress ladder: address-space cap of each peer solver in GiB.")
    var stressPeerMemory: Double = 8

    @Option(help: "Stress ladder: keep each market's exported MPS model in this folder.")
    var keepModels: String?

    @Option(help: "Write the whole run as JSON to this file.")
    var jsonOut: String?

    @Option(help: "Regenerate this Markdown file (default benchmarks/RESULTS.md for a full run; none for --quick).")
    var resultsMd: String?

    @Flag(help: "Do not write RESULTS.md.")
    var noResultsMd = false

    @Option(help: "Baseline file to compare with (and to rewrite with --record).")
    var baseline: String = "benchmarks/baseline.json"

    @Flag(help: "Rewrite the baseline file with this run's objectives and times.")
    var record = false

    @Option(help: "Folder with the England fixtures for the generator (default: fixtures/england).")
    var england: String?

    @Option(help: "Render the table and RESULTS.md again from a JSON file written by --json-out, without measuring.")
    var render: String?

    @Flag(help: "Measure the sufficiency simulation only (placement simulate): one RCC, the baseline and docs/whatif-example.json, a year each, 5 seeds.")
    var simulate = false

    @Option(help: "With --simulate: the RCC (default North West).")
    var simulateRegion: String = "North West"

    @Option(help: "With --simulate: nights (default 365).")
    var simulateDays: Int = 365

    @Option(help: "With --simulate: seeds per scenario (default 5).")
    var simulateSeeds: Int = 5

    @Flag(help: "With --simulate: England for a year too.")
    var simulateEngland = false

    // The child process's own options (one market, measured in a process of its own).
    @Option(help: .hidden) var single: String?
    @Option(help: .hidden) var name: String?
    @Option(help: .hidden) var key: String?
    @Option(help: .hidden) var gap: Double?

    mutating func validate() throws {
        guard repetitions >= 1, largeRepetitions >= 1 else { throw ValidationError("repetitions must be at least 1") }
        guard solves >= 1 else { throw ValidationError("--solves must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let stressMarkets {
            for part in stressMarkets.split(separator: ",") where Int(part.trimmingCharacters(in: .whitespaces)) == nil {
                throw ValidationError("--stress-markets takes numbers of children, not '\(part)'")
            }
        }
        for peer in (stressPeers ?? "").split(separator: ",") where !["highs", "cbc"].contains(peer.trimmingCharacters(in: .whitespaces).lowercased()) {
            throw ValidationError("--stress-peers takes highs and/or cbc, not '\(peer)'")
        }
        if noStress && (stressOnly || stress || stressQuick) { throw ValidationError("--no-stress excludes the other stress options") }
        if noStress && stressOnly { throw ValidationError("--no-stress and --stress-only exclude each other") }
        for spec in [markets, concurrencyMarket, peerMarket].compactMap({ $0 }) {
            for part in spec.split(separator: ",", omittingEmptySubsequences: true) where MarketSpec(String(part)) == nil {
                throw ValidationError("unknown market '\(part)': give a number of children or one of nightly, pool, national")
            }
        }
    }

    func run() throws {
        if let single { try runSingle(folder: single); return }
        if let render { try rerender(render); return }
        if simulate {
            let englandData: EnglandData
            do { englandData = try EnglandData.load(explicit: england) } catch {
                throw ValidationError("cannot load the England fixtures: \(error) (run from the package root or give --england DIR)")
            }
            try SimulateBench.run(root: Self.packageRoot(), england: englandData,
                                  regions: [simulateRegion] + (simulateEngland ? [nil] : []), days: simulateDays,
                                  seeds: simulateSeeds, threads: threads ?? Parallel.defaultThreads, jsonOut: jsonOut)
            return
        }
        try runAll()
    }

    /// Prints and writes RESULTS.md from a saved run (the same measured figures, no new measurement).
    func rerender(_ path: String) throws {
        var report = try JSON.decoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        report.stress?.summarise()
        report.evaluateTargets()
        print(report.text())
        if !noResultsMd, let mdPath = resultsMd ?? (["quick", "stress"].contains(report.mode) ? nil : "benchmarks/RESULTS.md") {
            let root = Self.packageRoot()
            try report.markdown(profile: profileNote(root)).write(to: URL(fileURLWithPath: mdPath, relativeTo: root),
                                                                  atomically: true, encoding: .utf8)
            note("wrote \(mdPath) from \(path)")
        }
    }

    func profileNote(_ root: URL) -> String? {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("benchmarks/PROFILE.md").path)
            ? "Profiles of the slow cases, with what they show, are in [PROFILE.md](PROFILE.md) (written by hand, not regenerated)." : nil
    }

    /// Child mode: one market folder, JSON on stdout.
    func runSingle(folder: String) throws {
        let result = try SingleMarket.measure(
            folder: URL(fileURLWithPath: folder), name: name ?? folder, key: key ?? folder, seed: seed,
            repetitions: repetitions, threads: threads ?? Parallel.defaultThreads, gap: gap ?? 1e-6, timeLimit: timeLimit)
        let data = try JSON.encoder(pretty: false).encode(result)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    func runAll() throws {
        let started = now()
        let root = Self.packageRoot()
        let ladder: [MarketSpec]
        if let markets {
            ladder = markets.split(separator: ",").compactMap { MarketSpec(String($0)) }
        } else {
            ladder = (quick ? ["250", "500"] : ["250", "pool", "2000", "4000", "16000", "national"]).compactMap(MarketSpec.init)
        }
        let englandData: EnglandData
        do { englandData = try EnglandData.load(explicit: england) } catch {
            throw ValidationError("cannot load the England fixtures: \(error) (run from the package root or give --england DIR)")
        }
        note("calibrating this machine ...")
        let calibration = Calibration.measure()
        var report = BenchReport(mode: quick ? "quick" : (stressOnly ? "stress" : "full"), machine: MachineInfo.current(glpkVersion: GLPKBackend().name),
                                 seed: seed, repetitions: repetitions, calibrationSeconds: calibration)
        let threads = self.threads ?? Parallel.defaultThreads

        for spec in ladder where !stressOnly {
            let isNational = spec.preset == "national"
            let isLarge = isNational || (spec.children ?? 0) >= 10_000
            let limit = timeLimit ?? (quick ? 60 : (isNational ? 60 : 120))   // national: its target
            let reps = isLarge ? min(repetitions, largeRepetitions) : repetitions
            do {
                let result = try Ladder.run(spec, england: englandData, seed: seed, repetitions: reps,
                                            threads: threads, gap: spec.defaultGap, timeLimit: limit,
                                            watchdog: Double(reps) * (2 * limit + 60) + 60)
                report.markets.append(result)
                if !result.repeatable { report.errors.append("market \(spec): repetitions gave different answers") }
            } catch let failure as SingleMarket.Failure where failure.stopped != nil {
                report.stopped.append(failure.stopped!)
                report.errors.append(failure.description)
                note("ERROR: \(failure.description)")
            } catch {
                report.errors.append("market \(spec): \(error)")
                note("ERROR: market \(spec): \(error)")
            }
        }

        if !noConcurrency, !stressOnly, let spec = MarketSpec(concurrencyMarket ?? (quick ? "250" : "500")) {
            do {
                let c = try ConcurrencyBench.run(spec, england: englandData, seed: seed, solves: solves, allCores: true)
                report.concurrency = c
                if !c.identical { report.errors.append("concurrency: answers differ: " + c.mismatches.joined(separator: "; ")) }
            } catch {
                report.errors.append("concurrency: \(error)")
                note("ERROR: concurrency: \(error)")
            }
        }

        if !noPeer, !stressOnly, let spec = MarketSpec(peerMarket ?? (quick ? "250" : "2000")) {
            do {
                let p = try PeerBench.run(spec, england: englandData, seed: seed, repetitions: repetitions,
                                          timeLimit: glpsolLimit ?? (quick ? 10 : 300), memoryGiB: glpsolMemory,
                                          keepFile: keepLp)
                report.peer = p
                if p.objectivesAgree == false {
                    report.errors.append("peer: glpsol proved optimum \(p.glpsolObjective ?? .nan), the engine answered \(p.engineObjective)")
                }
            } catch let failure as PeerBench.Failure where failure.glpsolMissing {
                report.warnings.append("peer: \(failure) - skipped")
            } catch {
                report.errors.append("peer: \(error)")
                note("ERROR: peer: \(error)")
            }
        }

        if !noStress { runStress(into: &report, root: root) }

        report.evaluateTargets()
        let current = Baseline(recorded: report.machine.date, machine: "\(report.machine.cpu), \(report.machine.cores) cores",
                               commit: report.machine.commit, calibrationSeconds: calibration, entries: report.baselineEntries())
        let baselineURL = URL(fileURLWithPath: baseline, relativeTo: root)
        if stressOnly {
            // Nothing of the baseline's was measured.
        } else if let recorded = Baseline.load(baselineURL) {
            report.baseline = BaselineComparison.compare(current: current, recorded: recorded)
        } else {
            note("no baseline at \(baselineURL.path)\(record ? "" : " (run with --record to write one)")")
        }
        report.wallSeconds = seconds(since: started)
        report.machine.loadAverageAtEnd = MachineInfo.loadAverage()

        print(report.text())
        if let jsonOut {
            try (JSON.encoder(pretty: true).encode(report) + Data("\n".utf8)).write(to: URL(fileURLWithPath: jsonOut))
            note("wrote \(jsonOut)")
        }
        let mdPath = resultsMd ?? (quick || stressOnly ? nil : "benchmarks/RESULTS.md")
        if !noResultsMd, let mdPath {
            let url = URL(fileURLWithPath: mdPath, relativeTo: root)
            try report.markdown(profile: profileNote(root)).write(to: url, atomically: true, encoding: .utf8)
            note("wrote \(url.path)")
        }
        if record && stressOnly {
            note("not recording the baseline: --stress-only measures none of its entries")
        } else if record {
            if report.errors.isEmpty {
                try current.save(baselineURL)
                note("recorded \(baselineURL.path)")
            } else {
                note("not recording the baseline: this run had errors")
            }
        }
        let failures = report.errors + (record ? [] : (report.baseline?.failures ?? []))
        if !failures.isEmpty {
            for f in failures { note("FAIL: \(f)") }
            throw ExitCode(1)
        }
        for w in report.warnings + (report.baseline?.warnings ?? []) { note("WARNING: \(w)") }
    }

    /// The stress ladder (StressLadder.swift): markets from --stress-dirs or the shared stress
    /// folder (quick: those of 300 children or fewer), plus the generated corpus (--stress: all of
    /// it; --stress-quick: its quick subset; --quick alone: four of those), engine beside HiGHS and CBC. A wrong
    /// objective is an error; slowness (a watchdog stop) and a missing peer are not.
    func runStress(into report: inout BenchReport, root: URL) {
        var sources: [StressSource] = []
        if let stressDirs {
            sources = StressLadder.sources(stressDirs.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        } else if let shared = StressLadder.sharedFolder(root: root) {
            sources = StressLadder.sources([shared.path], origin: "shared")
            if quick { sources = sources.filter { $0.children <= 300 } }
        } else {
            note("stress: no shared stress markets (../shared/stress) and no --stress-dirs")
        }
        if stress {
            sources += StressLadder.corpusSources(StressCorpus.entries)
        } else if stressQuick {
            sources += StressLadder.corpusSources(StressCorpus.quick)
        } else if quick {
            sources += StressLadder.corpusSources(StressLadder.quickCorpus)
        }
        if let stressMarkets {
            let sizes = Set(stressMarkets.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
            sources = sources.filter { sizes.contains($0.children) }
        }
        guard !sources.isEmpty else {
            report.warnings.append("stress: no stress markets to measure")
            return
        }
        let settings = StressLadder.Settings(peerTimeLimit: stressPeerLimit ?? (quick ? 10 : 300),
                                             engineWatchdog: stressWatchdog ?? (quick ? 30 : 300),
                                             peerMemoryGiB: stressPeerMemory, threads: threads, keepModels: keepModels,
                                             peers: Set((stressPeers ?? (quick ? "highs" : "highs,cbc")).split(separator: ",")
                                                 .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }),
                                             budget: stressBudget ?? (quick ? 90 : nil))
        let stress = StressLadder.run(sources, root: root, settings: settings)
        report.stress = stress
        report.errors += stress.mismatchErrors
        for m in stress.markets {
            if let e = m.engineError { report.errors.append("stress \(m.name): \(e)") }
            if let e = m.exportError { report.errors.append("stress \(m.name): cannot export the model: \(e)") }
            if m.engine?.optimalProven == false {
                report.warnings.append("stress \(m.name): the engine answered \(m.engine!.status), not proven optimal, with default options")
            }
            if let s = m.engineStoppedAfter {
                report.warnings.append("stress \(m.name): the engine was stopped by the watchdog after \(secs(s)) s (slow, not wrong)")
            }
            for p in [m.highs, m.cbc].compactMap({ $0 }) where !["optimal", "time_limit", "killed"].contains(p.status) {
                report.warnings.append("stress \(m.name): \(p.solver) \(p.status): \(p.message ?? "")")
            }
        }
        if !stress.highsAvailable && settings.peers.contains("highs") { report.warnings.append("stress: HiGHS unavailable (highspy not importable)") }
        if !stress.cbcAvailable && settings.peers.contains("cbc") { report.warnings.append("stress: CBC unavailable (no cbc)") }
    }

    /// The package root: the nearest folder up from the current one that holds benchmarks/PlacementBench.
    static func packageRoot() -> URL {
        let fm = FileManager.default
        var dir = URL(fileURLWithPath: fm.currentDirectoryPath)
        while dir.path != "/" {
            if fm.fileExists(atPath: dir.appendingPathComponent("benchmarks/PlacementBench").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: fm.currentDirectoryPath)
    }
}
