// A whole benchmark run: what was measured, the targets, the table on stdout, the JSON file and
// benchmarks/RESULTS.md.

import Foundation

struct BenchReport: Codable, Sendable {
    var mode: String
    var machine: MachineInfo
    var seed: UInt64
    var repetitions: Int
    var calibrationSeconds: Double
    var wallSeconds: Double = 0
    var markets: [MarketResult] = []
    /// Markets whose child process the watchdog stopped (no figures but these).
    var stopped: [StoppedMarket] = []
    var concurrency: ConcurrencyResult?
    var peer: PeerResult?
    /// The stress ladder: the engine beside HiGHS and CBC (StressLadder.swift).
    var stress: StressReport?
    var targets: [Target] = []
    var baseline: BaselineComparison?
    var errors: [String] = []
    /// Remarks on how figures were obtained, printed with them.
    var notes: [String]?
    /// Parts that could not run here (glpsol missing), reported but not failing the run.
    var warnings: [String] = []

    struct StoppedMarket: Codable, Sendable {
        var name: String
        var key: String
        var seconds: Double
        var timeLimit: Double?
        var peakResidentBytes: Int?
    }

    struct Target: Codable, Sendable {
        var name: String
        var goal: String
        var measured: String
        var met: Bool
    }

    /// The entries this run contributes to baseline.json.
    func baselineEntries() -> [String: Baseline.Entry] {
        var entries: [String: Baseline.Entry] = [:]
        for m in markets {
            var times: [String: Double] = ["end_to_end": m.endToEnd.median]
            for (name, s) in m.stages where ["solve", "eligibility_and_arcs", "load"].contains(name) { times[name] = s.median }
            entries["market \(m.key) seed \(m.seed)"] = .init(objectives: [m.objective], times: times)
        }
        if let c = concurrency {
            entries["concurrency \(c.key) seed \(c.seed) x\(c.solves)"] = .init(
                objectives: c.variants.map(\.objective),
                times: ["one_after_another": c.sequentialSeconds, "side_by_side": c.concurrentSeconds])
        }
        if let p = peer {
            entries["peer \(p.key) seed \(p.seed)"] = .init(objectives: [p.engineObjective], times: ["engine": p.engine.median])
        }
        return entries
    }

    // MARK: - Targets (the issue's, measured here)

    mutating func evaluateTargets() {
        targets = []
        func market(_ key: String) -> MarketResult? { markets.first { $0.key == key } }
        if let m = market("pool") {
            targets.append(Target(name: "pool proven optimal end to end", goal: "<= 2 s",
                                  measured: "\(secs(m.endToEnd.median)) s, \(m.status)",
                                  met: m.optimalProven && m.endToEnd.median <= 2))
        }
        if let m = market("4000") {
            targets.append(Target(name: "4,000 children proven optimal", goal: "<= 10 s",
                                  measured: "\(secs(m.endToEnd.median)) s, \(m.status)",
                                  met: m.optimalProven && m.endToEnd.median <= 10))
        }
        if market("national") == nil, let s = stopped.first(where: { $0.key == "national" }) {
            targets.append(Target(name: "national, proven gap <= 0.1%", goal: "<= 60 s, <= 4 GB",
                                  measured: "no answer: stopped after \(secs(s.seconds)) s (time limit \(s.timeLimit.map(secs) ?? "none") s not honoured), peak \(format(Double(s.peakResidentBytes ?? 0) / 1e9, 2)) GB by then",
                                  met: false))
        }
        if let m = market("national") {
            let gap = m.gap ?? .infinity
            let gb = Double(m.peakResidentBytes ?? Int.max) / 1e9
            targets.append(Target(name: "national, proven gap <= 0.1%", goal: "<= 60 s, <= 4 GB",
                                  measured: "\(secs(m.endToEnd.median)) s, gap \(pct(gap)), peak \(format(gb, 2)) GB, \(m.status)",
                                  met: gap <= 1e-3 && m.endToEnd.median <= 60 && gb <= 4))
        }
        if let c = concurrency {
            targets.append(Target(name: "\(c.solves) solves side by side on \(c.cores) cores", goal: ">= 1.7x speedup, same answers",
                                  measured: "\(format(c.speedup, 2))x (\(format(c.concurrentCoresUsed, 2)) cores used), answers \(c.identical ? "identical" : "DIFFER")",
                                  met: c.speedup >= 1.7 && c.identical))
        }
        if let s = stress, s.highsAvailable {
            let ratios = s.sizes.compactMap(\.ratioMax)
            let unanswered = s.sizes.reduce(0) { $0 + $1.count - $1.ratioMarkets }
            let worst = ratios.max()
            let lowerBound = s.sizes.contains { $0.ratioIsLowerBound }
            var measured = worst.map { "max \(lowerBound ? ">= " : "")\(format($0, 2)) over \(s.sizes.count) sizes" } ?? "no market where HiGHS finished"
            if unanswered > 0 { measured += "; \(unanswered) market(s) without a ratio (HiGHS unfinished)" }
            let stopped = s.sizes.reduce(0) { $0 + $1.engineStopped }
            if stopped > 0 { measured += "; \(stopped) engine run(s) stopped by the watchdog" }
            targets.append(Target(name: "stress ladder: engine / HiGHS time on every size", goal: "<= \(format(s.target, 2))",
                                  measured: measured, met: worst.map { $0 <= s.target } == true && stopped == 0))
        }
        if let p = peer {
            targets.append(Target(name: "engine vs plain glpsol at \(p.market) children", goal: ">= 50x",
                                  measured: (p.ratioIsLowerBound ? ">= " : "") + format(p.ratio, 1) + "x (engine \(p.engineStatus), glpsol \(p.glpsolStatus))",
                                  met: p.ratio >= 50))
        }
    }

    // MARK: - Text

    func text() -> String {
        var out = ""
        out += "placement-bench (\(mode)) on \(machine.cpu), \(machine.cores) cores, \(format(machine.memoryGiB, 1)) GiB; "
        out += "\(machine.build) build, commit \(machine.commit)\(machine.uncommittedEngineChanges ? " + uncommitted engine changes" : ""), \(machine.date)\n"
        out += "\(machine.glpk); \(repetitions) repetitions per market (median [min-max]); calibration workload \(format(calibrationSeconds * 1000, 1)) ms; "
        out += "load average \(machine.loadAverageAtStart) at start, \(machine.loadAverageAtEnd ?? "-") at end\n\n"
        if !markets.isEmpty {
            out += "Stages (seconds)\n"
            out += textTable(stageHeader(), markets.map { stageRow($0, markdown: false) }) + "\n\n"
            out += "Answer and model\n"
            out += textTable(answerHeader(), markets.map(answerRow)) + "\n\n"
            if !phaseNames.isEmpty {
                out += "Solver phases (median seconds)\n"
                out += textTable(phaseHeader(), markets.map(phaseRow)) + "\n\n"
            }
        }
        if let c = concurrency { out += concurrencyText(c, markdown: false) + "\n\n" }
        if let p = peer { out += peerText(p, markdown: false) + "\n\n" }
        if let s = stress { out += s.text() + "\n" }
        if !targets.isEmpty {
            out += "Targets\n"
            out += textTable(["target", "goal", "measured", ""], targets.map { [$0.name, $0.goal, $0.measured, $0.met ? "met" : "MISSED"] }) + "\n\n"
        }
        if let b = baseline {
            out += "Baseline (benchmarks/baseline.json): machine factor \(format(b.machineFactor, 2)) (calibration now / then)\n"
            if !b.ratios.isEmpty {
                out += textTable(["entry", "measure", "then s", "now s", "ratio", "normalized"],
                                 b.ratios.map { [$0.entry, $0.measure, secs($0.baselineSeconds), secs($0.currentSeconds),
                                                 format($0.rawRatio, 2) + "x", format($0.normalizedRatio, 2) + "x"] }) + "\n"
            }
            for f in b.failures { out += "FAIL: \(f)\n" }
            for w in b.warnings { out += "WARNING: \(w)\n" }
            for n in b.notes { out += "note: \(n)\n" }
            if b.failures.isEmpty && b.warnings.isEmpty { out += "objectives match the baseline; no time grew more than 2x\n" }
            out += "\n"
        }
        for e in errors { out += "ERROR: \(e)\n" }
        for w in warnings { out += "WARNING: \(w)\n" }
        out += "wall time of the benchmark: \(secs(wallSeconds)) s\n"
        return out
    }

    private func stageHeader() -> [String] {
        ["market", "children", "placements", "generate"] + MarketResult.stageOrder + ["end to end", "cores used", "peak RSS"]
    }

    private func stageRow(_ m: MarketResult, markdown: Bool) -> [String] {
        func cell(_ s: Spread?) -> String {
            guard let s else { return "-" }
            if s.samples.count <= 1 { return secs(s.median) }
            return "\(secs(s.median)) [\(secs(s.min))-\(secs(s.max))]"
        }
        return [m.name, grouped(m.children), grouped(m.placements), m.generateSeconds.map(secs) ?? "-"]
            + MarketResult.stageOrder.map { cell(m.stages[$0]) } + [cell(m.endToEnd), m.coresUsed.map { format($0, 2) } ?? "-", mebibytes(m.peakResidentBytes)]
    }

    private func answerHeader() -> [String] {
        ["market", "status", "objective", "best bound", "gap", "placed", "unmatched", "rows", "columns", "non-zeros",
         "components", "largest", "rounds", "proof adds", "B&B nodes", "repeatable"]
    }

    private func answerRow(_ m: MarketResult) -> [String] {
        [m.name, m.status, format(m.objective, 3), m.bestBound.map { format($0, 3) } ?? "-", m.gap.map(pct) ?? "-",
         grouped(m.placed), grouped(m.unmatched), grouped(m.rows), grouped(m.columns), grouped(m.nonZeros),
         grouped(m.components), grouped(m.largestComponentChildren), String(m.pricingRounds), grouped(m.proofAdditions),
         grouped(m.branchNodes), m.repeatable ? "yes" : "NO"]
    }

    /// The solver phase timers reported by any market, in the pipeline's order.
    private var phaseNames: [String] {
        let known = ["lp", "pricing", "firstPlan", "mip", "proof"]
        let all = Set(markets.flatMap { $0.solverPhases.keys })
        return known.filter(all.contains) + all.subtracting(known).sorted()
    }

    private func phaseHeader() -> [String] { ["market", "solve"] + phaseNames + ["flags"] }

    private func phaseRow(_ m: MarketResult) -> [String] {
        let solve = m.stages["solve"]?.median ?? .nan
        return [m.name, secs(solve)] + phaseNames.map { m.solverPhases[$0].map(secs) ?? "-" }
            + [m.solverFlags.isEmpty ? "-" : m.solverFlags.joined(separator: " ")]
    }

    private func concurrencyText(_ c: ConcurrencyResult, markdown: Bool) -> String {
        var out = markdown ? "" : "Concurrency: \(c.solves) what-if variants of market \(c.market), \(c.cores) cores\n"
        var rows: [[String]] = [
            ["one after another, 1 thread each", secs(c.sequentialSeconds), "1.00x",
             secs(c.sequentialLatency.p50), secs(c.sequentialLatency.p90), secs(c.sequentialLatency.p99), secs(c.sequentialLatency.max)],
            ["side by side (concurrentPerform), 1 thread each", secs(c.concurrentSeconds), format(c.speedup, 2) + "x",
             secs(c.concurrentLatency.p50), secs(c.concurrentLatency.p90), secs(c.concurrentLatency.p99), secs(c.concurrentLatency.max)],
        ]
        if let all = c.sequentialAllCoresSeconds {
            rows.append(["one after another, \(c.cores) threads each", secs(all), format(c.sequentialSeconds / all, 2) + "x", "", "", "", ""])
        }
        let header = ["run", "wall s", "speedup", "p50 s", "p90 s", "p99 s", "max s"]
        out += markdown ? markdownTable(header, rows) : textTable(header, rows) + "\n"
        out += "efficiency per core \(format(c.efficiencyPerCore * 100, 0))%; cores used (CPU s / wall s) \(format(c.sequentialCoresUsed, 2)) one after another, "
        out += "\(format(c.concurrentCoresUsed, 2)) side by side; answers (objective and matches.csv of every variant) "
        out += c.identical ? "identical both ways" : "DIFFER: " + c.mismatches.joined(separator: "; ")
        return out
    }

    private func peerText(_ p: PeerResult, markdown: Bool) -> String {
        var out = markdown ? "" : "Peer: the whole model of market \(p.market) solved by plain glpsol (default settings)\n"
        let header = ["solver", "seconds", "status", "objective", "bound"]
        let rows = [
            ["engine (eligibility and arcs + solve, \(machine.cores) threads)", "\(secs(p.engine.median)) [\(secs(p.engine.min))-\(secs(p.engine.max))]",
             p.engineStatus, format(p.engineObjective, 3), ""],
            ["\(p.glpsolCommand)", secs(p.glpsolSeconds), p.glpsolStatus,
             p.glpsolObjective.map { format($0, 3) } ?? "none", p.glpsolBound.map { format($0, 3) } ?? "-"],
        ]
        out += markdown ? markdownTable(header, rows) : textTable(header, rows) + "\n"
        out += "model: \(grouped(p.modelColumns)) binaries, \(grouped(p.modelRows)) rows, \(grouped(p.modelNonZeros)) non-zeros "
        out += "(export \(secs(p.exportSeconds)) s); glpsol memory \(p.glpsolMemory ?? "-")"
        if let cap = p.glpsolMemoryCapGiB { out += ", address space capped at \(format(cap, 0)) GiB" }
        out += "\n"
        out += "ratio glpsol / engine: " + (p.ratioIsLowerBound ? ">= " : "") + format(p.ratio, 1) + "x"
        if p.ratioIsLowerBound { out += " (glpsol did not finish: a lower bound)" }
        if let agree = p.objectivesAgree { out += agree ? "; objectives agree" : "; OBJECTIVES DIFFER" }
        return out
    }

    // MARK: - RESULTS.md

    func markdown(profile: String?) -> String {
        var out = "# Benchmark results\n\n"
        out += "Regenerated by `swift run -c release placement-bench` (see [README.md](README.md)); every figure below was measured by that run.\n\n"
        out += "- Machine: \(machine.cpu), \(machine.cores) cores, \(format(machine.memoryGiB, 1)) GiB, \(machine.os)\n"
        out += "- Date: \(machine.date)\n"
        out += "- Commit: `\(machine.commit)`\(machine.uncommittedEngineChanges ? " (the working tree had uncommitted engine changes)" : "")\n"
        out += "- Build: \(machine.build); \(machine.glpk); seed \(seed); \(repetitions) repetitions per market, median [min-max]\n"
        out += "- Benchmark wall time: \(secs(wallSeconds)) s; load average (1, 5, 15 min) \(machine.loadAverageAtStart) at start, \(machine.loadAverageAtEnd ?? "-") at end (other work on the machine slows every figure, the concurrency ones most)\n\n"
        if !targets.isEmpty {
            out += "## Targets\n\n"
            out += markdownTable(["target", "goal", "measured", "verdict"], targets.map { [$0.name, $0.goal, $0.measured, $0.met ? "met" : "**missed**"] })
            out += "\n"
        }
        if !markets.isEmpty {
            out += "## Ladder: stages in seconds\n\n"
            out += "Generate is the synthetic market generator (not part of a night); load reads the market folder written by `MarketWriter`; end to end is load through write_outputs. Cores used is CPU time over wall time of the pipeline (at most the solver's threads; lower when other work shares the machine). Peak RSS is the VmHWM of a child process that ran only that market.\n\n"
            out += markdownTable(stageHeader(), markets.map { stageRow($0, markdown: true) }) + "\n"
            out += "## Ladder: answers and model size\n\n"
            out += "Rows, columns and non-zeros total the final components' integer programs as `SolveStatistics` reports them (the engine never builds the whole market's model; 0 means no final integer program was needed); rounds are column-generation pricing rounds; proof adds are options brought in by the reduced-cost optimality proof.\n\n"
            out += markdownTable(answerHeader(), markets.map(answerRow)) + "\n"
            if !phaseNames.isEmpty {
                out += "## Where the solve time goes\n\n"
                out += "The engine's own phase timers, as `SolveStatistics` names them (`lpSeconds` etc.; they may nest, e.g. `mip` can include `firstPlan`), median of the repetitions; flags are its Bool fields that were set.\n\n"
                out += markdownTable(phaseHeader(), markets.map(phaseRow)) + "\n"
            }
        }
        if let c = concurrency {
            out += "## Concurrency: \(c.solves) what-if variants of market \(c.market)\n\n"
            out += "Each variant scales the three weights by a seeded factor in [0.9, 1.1] and withdraws a place from 5% of the homes. Latency percentiles by HdrHistogram.\n\n"
            out += concurrencyText(c, markdown: true) + "\n\n"
        }
        if let p = peer {
            out += "## Peer: plain glpsol on the same model (market \(p.market))\n\n"
            out += "The whole market's integer program (`FullModel`, every eligible option) exported with `GLPKBackend().write(..., lp: true)` and solved by GLPK's own `glpsol` with default settings.\n\n"
            out += peerText(p, markdown: true) + "\n\n"
        }
        if let s = stress { out += s.markdown() }
        if let profile, !profile.isEmpty {
            out += "## Profile\n\n" + profile + "\n"
        }
        if let notes, !notes.isEmpty {
            out += "## Notes on this run\n\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        }
        if !errors.isEmpty {
            out += "## Errors\n\n" + errors.map { "- " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }
}

func pct(_ v: Double) -> String {
    guard v.isFinite else { return "-" }
    if v == 0 { return "0%" }
    if v < 1e-4 { return String(format: "%.1e", v * 100) + "%" }
    return format(v * 100, 3) + "%"
}
