// The stress ladder: the engine beside peer MIP solvers (HiGHS, CBC) on the same rule-dense markets,
// in one run, so that their ratio holds on a shared, noisy machine where absolute times do not.
//
// Per market: the engine end to end in a child process (`placement-bench --single`: load ..
// write outputs, default options, no gap or time limit, under a watchdog), then the market's whole
// integer program exported as free MPS (`FullModel` + `GLPKBackend.write`, as `placement
// export-model --mps` does; not timed as the engine's) and solved by HiGHS and CBC through
// benchmarks/peers/solve_mps.py (one thread, relative gap 1e-6, a time limit, a memory cap).
// Markets come from folders (`--stress-dirs`, e.g. the shared stress markets, whose README table
// gives proven optima to check against).

import Foundation
import PlacementEngine
import PlacementGenerator

/// A stress market to measure: a folder on disk, or a generated market (`generate` writes it to the
/// folder it is given and returns its number of children; the folder is removed afterwards).
struct StressSource: Sendable {
    var name: String
    var folder: URL
    var generate: (@Sendable (URL) throws -> Int)? = nil
    /// "folder" (given or shared) or "corpus" (generated).
    var origin: String
    var seed: UInt64?
    /// The proven optimum and the reference solver time from the folder's parent README, if any.
    var knownOptimum: Double?
    var referenceSeconds: Double?
    /// Children in the market (read from children.csv before measuring, to select sizes).
    var children: Int
}

/// One peer solver's answer on one market, as solve_mps.py printed it.
struct PeerSolve: Codable, Sendable {
    var solver: String
    var version: String?
    var status: String
    var objective: Double?
    var bound: Double?
    var gap: Double?
    /// The solver's wall time from reading the file to the end of the search.
    var seconds: Double?
    /// The runner process from outside (Python's start-up included).
    var wallSeconds: Double?
    var nodes: Int?
    var message: String?

    enum CodingKeys: String, CodingKey {
        case solver, version, status, objective, bound, gap, seconds, wallSeconds = "wall_seconds", nodes, message
    }

    var optimal: Bool { status == "optimal" }
}

/// What the stress ladder measured on one market.
struct StressMarketResult: Codable, Sendable {
    var name: String
    var origin: String
    var folder: String
    var seed: UInt64?
    var children: Int
    var placements: Int?
    /// Generating and writing the market (corpus markets; not part of the engine's time).
    var generateSeconds: Double?

    /// The engine, end to end (load .. write outputs) in a child process; nil when it gave no answer.
    var engine: MarketResult?
    /// Set when the watchdog stopped the engine: seconds it had run.
    var engineStoppedAfter: Double?
    var enginePeakResidentBytesAtStop: Int?
    var engineError: String?

    var modelColumns: Int?
    var modelRows: Int?
    var modelNonZeros: Int?
    var exportSeconds: Double?
    var exportError: String?

    var highs: PeerSolve?
    var cbc: PeerSolve?

    var knownOptimum: Double?
    var referenceSeconds: Double?

    /// End-to-end seconds of the engine: measured, or (stopped) how long it had run: a lower bound.
    var engineSeconds: Double? { engine?.endToEnd.median ?? engineStoppedAfter }
    var engineStatus: String {
        if let e = engine { return e.status }
        if engineStoppedAfter != nil { return "stopped" }
        return "error"
    }
    var engineOptimal: Bool { engine?.optimalProven ?? false }

    /// engine / HiGHS seconds where HiGHS proved optimality; a lower bound when the engine was stopped.
    var ratioToHiGHS: Double? {
        guard let h = highs, h.optimal, let hs = h.seconds, hs > 0, let es = engineSeconds else { return nil }
        return es / hs
    }
    var ratioIsLowerBound: Bool { engine == nil && engineStoppedAfter != nil }

    /// The engine's objective equals HiGHS's (relative 1e-6) when HiGHS proved optimality and the engine answered.
    var agreesWithHiGHS: Bool? {
        guard let h = highs, h.optimal, let z = h.objective, let e = engine else { return nil }
        return StressLadder.same(e.objective, z)
    }
    var agreesWithCBC: Bool? {
        guard let c = cbc, c.optimal, let z = c.objective, let e = engine else { return nil }
        return StressLadder.same(e.objective, z)
    }
    /// HiGHS's proven optimum on the exported model equals the README's (the export, and the
    /// engine's model of the spec, checked even when the engine gave no answer).
    var highsAgreesWithKnownOptimum: Bool? {
        guard let h = highs, h.optimal, let z = h.objective, let k = knownOptimum else { return nil }
        return StressLadder.same(z, k)
    }
    /// The engine's objective equals the README's proven optimum.
    var agreesWithKnownOptimum: Bool? {
        guard let k = knownOptimum, let e = engine else { return nil }
        return StressLadder.same(e.objective, k)
    }
}

/// The ladder's figures per size (number of children).
struct StressSizeSummary: Codable, Sendable {
    var children: Int
    var count: Int
    var engineMedian: Double?
    var engineP90: Double?
    var engineMax: Double?
    /// Some engine times are watchdog stops (lower bounds).
    var engineTimesAreLowerBounds: Bool
    var engineOptimal: Int
    var engineStopped: Int
    var highsMedian: Double?
    var highsMax: Double?
    var highsSolved: Int
    var highsRan: Int
    var cbcMedian: Double?
    var cbcMax: Double?
    var cbcSolved: Int
    var cbcRan: Int
    var ratioMedian: Double?
    var ratioMax: Double?
    var ratioMarkets: Int
    var ratioIsLowerBound: Bool
    /// Markets whose engine objective differs from HiGHS's proven optimum (or the README's).
    var mismatches: [String]
    /// Engine objectives compared with a proven optimum (HiGHS's, CBC's or the README's).
    var compared: Int?
}

struct StressReport: Codable, Sendable {
    var peerTimeLimit: Double
    var engineWatchdog: Double
    var peerMemoryGiB: Double
    var engineThreads: String
    /// Whether each peer ran in this run (asked for and installed).
    var highsAvailable: Bool
    var cbcAvailable: Bool
    var highsVersion: String?
    var cbcVersion: String?
    var target: Double = StressLadder.targetRatio
    var markets: [StressMarketResult] = []
    var sizes: [StressSizeSummary] = []
    /// Markets not started because the time budget (--stress-budget) was spent.
    var skipped: [String]?

    mutating func summarise() {
        sizes = Dictionary(grouping: markets, by: \.children).keys.sorted().map { n in
            let ms = markets.filter { $0.children == n }
            let engine = ms.compactMap(\.engineSeconds)
            let highs = ms.compactMap { $0.highs?.optimal == true ? $0.highs?.seconds : nil }
            let cbc = ms.compactMap { $0.cbc?.optimal == true ? $0.cbc?.seconds : nil }
            let ratios = ms.compactMap(\.ratioToHiGHS)
            var mismatches: [String] = []
            for m in ms {
                if m.agreesWithHiGHS == false { mismatches.append("\(m.name) vs HiGHS") }
                if m.agreesWithKnownOptimum == false { mismatches.append("\(m.name) vs README") }
                if m.agreesWithCBC == false { mismatches.append("\(m.name) vs CBC") }
                if m.highsAgreesWithKnownOptimum == false { mismatches.append("\(m.name) HiGHS vs README") }
            }
            return StressSizeSummary(
                children: n, count: ms.count,
                engineMedian: engine.isEmpty ? nil : Spread(engine).median, engineP90: percentile(engine, 0.9),
                engineMax: engine.max(), engineTimesAreLowerBounds: ms.contains { $0.engineStoppedAfter != nil },
                engineOptimal: ms.filter(\.engineOptimal).count, engineStopped: ms.filter { $0.engineStoppedAfter != nil }.count,
                highsMedian: highs.isEmpty ? nil : Spread(highs).median, highsMax: highs.max(), highsSolved: highs.count,
                highsRan: ms.filter { $0.highs != nil && $0.highs?.status != "unavailable" }.count,
                cbcMedian: cbc.isEmpty ? nil : Spread(cbc).median, cbcMax: cbc.max(), cbcSolved: cbc.count,
                cbcRan: ms.filter { $0.cbc != nil && $0.cbc?.status != "unavailable" }.count,
                ratioMedian: ratios.isEmpty ? nil : Spread(ratios).median, ratioMax: ratios.max(), ratioMarkets: ratios.count,
                ratioIsLowerBound: ms.contains { $0.ratioToHiGHS != nil && $0.ratioIsLowerBound },
                mismatches: mismatches,
                compared: ms.filter { $0.agreesWithHiGHS != nil || $0.agreesWithCBC != nil || $0.agreesWithKnownOptimum != nil
                    || $0.highsAgreesWithKnownOptimum != nil }.count)
        }
    }

    /// Loud lines for every objective that disagrees (the run fails on them).
    var mismatchErrors: [String] {
        var out: [String] = []
        for m in markets {
            if m.highsAgreesWithKnownOptimum == false, let z = m.highs?.objective, let k = m.knownOptimum {
                out.append("stress \(m.name): OBJECTIVE MISMATCH: HiGHS proved \(format(z, 6)) on the exported model, the proven optimum is \(format(k, 6)) (the export or the model is wrong)")
            }
            guard let e = m.engine else { continue }
            if m.agreesWithKnownOptimum == false, let k = m.knownOptimum {
                out.append("stress \(m.name): OBJECTIVE MISMATCH: the engine answered \(format(e.objective, 6)) (\(e.status)), the proven optimum is \(format(k, 6))")
            }
            if m.agreesWithHiGHS == false, let z = m.highs?.objective {
                out.append("stress \(m.name): OBJECTIVE MISMATCH: the engine answered \(format(e.objective, 6)) (\(e.status)), HiGHS proved \(format(z, 6))")
            }
            if m.agreesWithCBC == false, let z = m.cbc?.objective {
                out.append("stress \(m.name): OBJECTIVE MISMATCH: the engine answered \(format(e.objective, 6)) (\(e.status)), CBC proved \(format(z, 6))")
            }
        }
        return out
    }

    // MARK: - Tables

    func sizeHeader() -> [String] {
        ["children", "markets", "engine median s", "p90 s", "max s", "optimal", "HiGHS median s", "max s", "solved",
         "CBC median s", "max s", "solved", "engine/HiGHS median", "max", "objectives"]
    }

    func sizeRows() -> [[String]] {
        sizes.map { s in
            let lb = s.engineTimesAreLowerBounds ? ">= " : ""
            let rlb = s.ratioIsLowerBound ? ">= " : ""
            return [grouped(s.children), String(s.count),
                    s.engineMedian.map { lb + secs($0) } ?? "-", s.engineP90.map { lb + secs($0) } ?? "-", s.engineMax.map { lb + secs($0) } ?? "-",
                    "\(s.engineOptimal)/\(s.count)" + (s.engineStopped > 0 ? " (\(s.engineStopped) stopped)" : ""),
                    s.highsMedian.map(secs) ?? "-", s.highsMax.map(secs) ?? "-", highsAvailable ? "\(s.highsSolved)/\(s.highsRan)" : "n/a",
                    s.cbcMedian.map(secs) ?? "-", s.cbcMax.map(secs) ?? "-", cbcAvailable ? "\(s.cbcSolved)/\(s.cbcRan)" : "n/a",
                    s.ratioMedian.map { rlb + format($0, 2) } ?? "-", s.ratioMax.map { rlb + format($0, 2) } ?? "-",
                    !s.mismatches.isEmpty ? "MISMATCH: " + s.mismatches.joined(separator: ", ")
                        : (s.compared ?? 0) > 0 ? "\(s.compared ?? 0)/\(s.count) agree" : "none compared"]
        }
    }

    func marketHeader() -> [String] {
        ["market", "children", "engine s", "engine status", "engine objective", "peak RSS", "model columns",
         "HiGHS s", "HiGHS status", "CBC s", "CBC status", "engine/HiGHS", "README optimum", "README HiGHS s", "agree"]
    }

    func marketRows() -> [[String]] {
        markets.map { m in
            func peer(_ p: PeerSolve?) -> (String, String) {
                guard let p else { return ("-", "-") }
                let gap = (!p.optimal && p.gap != nil) ? " gap \(pct(p.gap!))" : ""
                return (p.seconds.map(secs) ?? "-", p.status + gap)
            }
            let (hs, hst) = peer(m.highs), (cs, cst) = peer(m.cbc)
            var agree: [String] = []
            if let a = m.agreesWithKnownOptimum { agree.append(a ? "README ok" : "README MISMATCH") }
            if let a = m.agreesWithHiGHS { agree.append(a ? "HiGHS ok" : "HiGHS MISMATCH") }
            if let a = m.agreesWithCBC { agree.append(a ? "CBC ok" : "CBC MISMATCH") }
            if let a = m.highsAgreesWithKnownOptimum { agree.append(a ? "HiGHS = README" : "HiGHS != README: MISMATCH") }
            let engineCell = m.engineSeconds.map { (m.ratioIsLowerBound ? ">= " : "") + secs($0) } ?? "-"
            let statusCell = m.engine.map { $0.status + (($0.gap ?? 0) > 1e-6 ? " gap \(pct($0.gap!))" : "") }
                ?? (m.engineStoppedAfter != nil ? "stopped (watchdog)" : "error")
            return [m.name, grouped(m.children), engineCell, statusCell,
                    m.engine.map { format($0.objective, 6) } ?? "-",
                    mebibytes(m.engine?.peakResidentBytes ?? m.enginePeakResidentBytesAtStop),
                    m.modelColumns.map(grouped) ?? "-", hs, hst, cs, cst,
                    m.ratioToHiGHS.map { (m.ratioIsLowerBound ? ">= " : "") + format($0, 2) } ?? "-",
                    m.knownOptimum.map { format($0, 6) } ?? "-", m.referenceSeconds.map(secs) ?? "-",
                    agree.isEmpty ? "-" : agree.joined(separator: ", ")]
        }
    }

    func settingsLine() -> String {
        "engine: default options (relative gap 1e-6, no time limit, \(engineThreads) threads), end to end in a child process, watchdog \(secs(engineWatchdog)) s; "
        + "HiGHS \(highsAvailable ? (highsVersion ?? "") : "not run") and CBC \(cbcAvailable ? (cbcVersion ?? "") : "not run"): "
        + "1 thread, relative gap 1e-6, time limit \(secs(peerTimeLimit)) s, address space \(format(peerMemoryGiB, 0)) GiB, on the exported MPS model"
    }

    func text() -> String {
        var out = "Stress ladder: the engine beside HiGHS and CBC on the same markets (target engine/HiGHS <= \(format(target, 2)))\n"
        out += settingsLine() + "\n"
        out += textTable(sizeHeader(), sizeRows()) + "\n\n"
        out += textTable(marketHeader(), marketRows()) + "\n"
        if let skipped, !skipped.isEmpty { out += "not started (time budget spent): \(skipped.joined(separator: ", "))\n" }
        for e in mismatchErrors { out += "!!! \(e)\n" }
        return out
    }

    func markdown() -> String {
        var out = "## Stress ladder: the engine beside HiGHS and CBC\n\n"
        out += "Rule-dense markets shaped like a Regional Care Cooperative (scarce places, homes for 2-4 with residents, `alongside`, `not_with`, exclusions). "
        out += "Per market the engine runs end to end (load through write_outputs) in a child process of its own; its whole integer program is then exported as free MPS "
        out += "(`placement export-model --mps`: every eligible option, the objective constant as a fixed column) and solved by HiGHS (highspy) and CBC through "
        out += "`benchmarks/peers/solve_mps.py`. Peer seconds are the solver's own, from reading the file to the end of the search. "
        out += "The ratio engine/HiGHS is over markets where HiGHS proved optimality (target <= \(format(target, 2))); `>=` marks a watchdog stop (the engine's time is a lower bound). "
        out += "Objectives must agree within a relative 1e-6 with HiGHS's and CBC's proven optima and with the optimum in the markets' README; HiGHS's proven optimum on the exported model must equal the README's too (a check of the export and of the engine's model, made even when the engine gave no answer).\n\n"
        out += "- " + settingsLine() + "\n\n"
        out += markdownTable(sizeHeader(), sizeRows()) + "\n"
        out += markdownTable(marketHeader(), marketRows()) + "\n"
        if let skipped, !skipped.isEmpty { out += "Not started (time budget spent): \(skipped.joined(separator: ", ")).\n\n" }
        if !mismatchErrors.isEmpty {
            out += "**Objective mismatches:**\n\n" + mismatchErrors.map { "- **\($0)**" }.joined(separator: "\n") + "\n\n"
        }
        return out
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

enum StressLadder {
    static let targetRatio = 0.5
    static let tolerance = 1e-6

    static func same(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    struct Settings {
        var peerTimeLimit: Double
        var engineWatchdog: Double
        var peerMemoryGiB: Double
        var threads: Int?
        var keepModels: String?
        /// "highs", "cbc": the peers to run.
        var peers: Set<String> = ["highs", "cbc"]
        /// Seconds after which no further market is started (quick: CI's time); nil: none.
        var budget: Double? = nil
    }

    // MARK: - Finding markets

    /// The shared stress markets beside the repository: `../shared/stress` (CI's clone) or `shared/stress`.
    static func sharedFolder(root: URL) -> URL? {
        let fm = FileManager.default
        for candidate in [root.deletingLastPathComponent().appendingPathComponent("shared/stress"),
                          root.appendingPathComponent("shared/stress")] {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue { return candidate.standardizedFileURL }
        }
        return nil
    }

    /// Market folders from `paths`: a folder with children.csv is a market; any other folder stands
    /// for the market folders inside it (sorted by name).
    static func sources(_ paths: [String], origin: String = "folder") -> [StressSource] {
        let fm = FileManager.default
        var folders: [URL] = []
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            if fm.fileExists(atPath: url.appendingPathComponent("children.csv").path) {
                folders.append(url)
            } else if let names = try? fm.contentsOfDirectory(atPath: url.path) {
                for name in names.sorted() where fm.fileExists(atPath: url.appendingPathComponent(name).appendingPathComponent("children.csv").path) {
                    folders.append(url.appendingPathComponent(name))
                }
            } else {
                note("stress: no market at \(path)")
            }
        }
        var readmes: [String: [String: (Double, Double?)]] = [:]
        return folders.map { folder in
            let parent = folder.deletingLastPathComponent().path
            if readmes[parent] == nil { readmes[parent] = knownOptima(readme: URL(fileURLWithPath: parent).appendingPathComponent("README.md")) }
            let name = folder.lastPathComponent
            let known = readmes[parent]?[name]
            return StressSource(name: name, folder: folder, origin: origin, seed: nil, knownOptimum: known?.0,
                                referenceSeconds: known?.1, children: countChildren(folder))
        }
    }

    /// Corpus markets (StressCorpus), generated when measured and written to a temporary folder.
    static func corpusSources(_ entries: [StressCorpus.Entry]) -> [StressSource] {
        entries.map { entry in
            StressSource(name: entry.name, folder: URL(fileURLWithPath: "/nonexistent"), generate: { folder in
                let market = entry.generate()
                try MarketWriter.write(market, to: folder)
                return market.children.count
            }, origin: "corpus", seed: entry.seed, children: entry.children)
        }
    }

    /// The few corpus markets of `--quick`: seed 1 of four sizes up to 300 children.
    static var quickCorpus: [StressCorpus.Entry] {
        StressCorpus.quick.filter { $0.seed == 1 && [40, 100, 200, 300].contains($0.children) }
    }

    /// The README table of a stress folder: market -> (optimum, reference solver seconds).
    /// Columns are found by their headers ("market", "optimum ...", "HiGHS time").
    static func knownOptima(readme: URL) -> [String: (Double, Double?)] {
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return [:] }
        var out: [String: (Double, Double?)] = [:]
        var columns: (market: Int, optimum: Int, time: Int?)? = nil
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("|") else { columns = nil; continue }
            let cells = trimmed.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if let c = columns {
                guard cells.count > max(c.market, c.optimum),
                      let z = Double(cells[c.optimum].replacingOccurrences(of: ",", with: "")) else { continue }
                var t: Double? = nil
                if let ti = c.time, ti < cells.count {
                    t = Double(cells[ti].replacingOccurrences(of: "s", with: "").trimmingCharacters(in: .whitespaces))
                }
                out[cells[c.market]] = (z, t)
            } else {
                let lower = cells.map { $0.lowercased() }
                if let m = lower.firstIndex(of: "market"), let o = lower.firstIndex(where: { $0.hasPrefix("optimum") }) {
                    columns = (m, o, lower.firstIndex(where: { $0.contains("time") }))
                }
            }
        }
        return out
    }

    /// Rows of children.csv (records, quoted line breaks allowed; a cheap count before measuring).
    static func countChildren(_ folder: URL) -> Int {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("children.csv")) else { return 0 }
        var records = 0, inQuotes = false, nonEmpty = false
        for b in data {
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); nonEmpty = true }
            else if b == UInt8(ascii: "\n"), !inQuotes { if nonEmpty { records += 1 }; nonEmpty = false }
            else if b != UInt8(ascii: "\r") { nonEmpty = true }
        }
        if nonEmpty { records += 1 }
        return max(0, records - 1)   // the header
    }

    // MARK: - Peers

    static func runnerScript(root: URL) -> URL { root.appendingPathComponent("benchmarks/peers/solve_mps.py") }

    /// Whether HiGHS (highspy) and CBC can run here, and their versions.
    static func availability() -> (highs: Bool, cbc: Bool) {
        let python = Subprocess.which("python3")
        let highs = python.flatMap { try? Subprocess.run($0, ["-c", "import highspy"], timeout: 60) }?.status == 0
        return (highs, Subprocess.which("cbc") != nil)
    }

    static func solve(_ solver: String, model: URL, root: URL, settings: Settings) -> PeerSolve {
        guard let python = Subprocess.which("python3") else {
            return PeerSolve(solver: solver, status: "unavailable", message: "no python3")
        }
        let arguments = [runnerScript(root: root).path, "--solver", solver, "--time-limit", String(settings.peerTimeLimit),
                         "--threads", "1", "--gap", "1e-6", "--memory-gib", String(settings.peerMemoryGiB), model.path]
        do {
            // The runner has its own watchdog (limit + 60 s); this one is a last resort.
            let out = try Subprocess.run(python, arguments, mergeStandardError: false, timeout: settings.peerTimeLimit + 180)
            if out.timedOut { return PeerSolve(solver: solver, status: "killed", seconds: out.seconds, wallSeconds: out.seconds,
                                               message: "stopped by the harness") }
            guard let line = out.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
                  let answer = try? JSON.decoder().decode(PeerSolve.self, from: Data(line.utf8)) else {
                return PeerSolve(solver: solver, status: "error", message: "no answer from solve_mps.py (exit \(out.status)): \(out.output.suffix(300))")
            }
            return answer
        } catch {
            return PeerSolve(solver: solver, status: "error", message: "\(error)")
        }
    }

    // MARK: - The ladder

    static func run(_ sources: [StressSource], root: URL, settings: Settings) -> StressReport {
        let available = availability()
        let highsOK = settings.peers.contains("highs") && available.highs
        let cbcOK = settings.peers.contains("cbc") && available.cbc
        if settings.peers.contains("highs") && !available.highs { note("stress: HiGHS unavailable (python3 -c 'import highspy' failed): reported as unavailable") }
        if settings.peers.contains("cbc") && !available.cbc { note("stress: CBC unavailable (no cbc on PATH): reported as unavailable") }
        var report = StressReport(peerTimeLimit: settings.peerTimeLimit, engineWatchdog: settings.engineWatchdog,
                                  peerMemoryGiB: settings.peerMemoryGiB,
                                  engineThreads: settings.threads.map(String.init) ?? "\(Parallel.defaultThreads) (every core)",
                                  highsAvailable: highsOK, cbcAvailable: cbcOK)
        let start = now()
        for source in sources {
            if let budget = settings.budget, seconds(since: start) > budget {
                report.skipped = (report.skipped ?? []) + [source.name]
                note("stress \(source.name): skipped (the stress ladder's budget of \(secs(budget)) s is spent)")
                continue
            }
            let m = measure(source, root: root, settings: settings, highs: highsOK, cbc: cbcOK)
            report.markets.append(m)
            if report.highsVersion == nil { report.highsVersion = m.highs?.version }
            if report.cbcVersion == nil { report.cbcVersion = m.cbc?.version }
        }
        report.summarise()
        return report
    }

    /// Writes the market's whole integer program as free MPS, as `placement export-model --mps`
    /// does; the model is released when this returns, before the peers run.
    static func export(_ folder: URL, to file: URL) throws -> (columns: Int, rows: Int, nonZeros: Int, placements: Int) {
        let market = try MarketLoader.load(from: folder)
        let full = FullModel.build(arcs: ArcTable(index: try MarketIndex(market)))
        if let problem = GLPKBackend().write(full.model, to: file.path, lp: false) {
            throw SingleMarket.Failure(description: problem)
        }
        return (full.model.columns.count, full.model.rows.count, full.model.nonZeros, market.placements.count)
    }

    static func measure(_ source: StressSource, root: URL, settings: Settings, highs: Bool, cbc: Bool) -> StressMarketResult {
        var source = source
        var r = StressMarketResult(name: source.name, origin: source.origin, folder: source.folder.path, seed: source.seed,
                                   children: source.children, knownOptimum: source.knownOptimum,
                                   referenceSeconds: source.referenceSeconds)
        if let generate = source.generate {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("placement-bench-stress-\(UUID().uuidString)")
            do {
                let start = now()
                source.children = try generate(folder)
                r.generateSeconds = seconds(since: start)
                source.folder = folder
                r.children = source.children
                r.folder = "(generated)"
            } catch {
                r.engineError = "cannot generate the market: \(error)"
                note("ERROR: stress \(source.name): cannot generate the market: \(error)")
                return r
            }
        }
        defer { if source.generate != nil { try? FileManager.default.removeItem(at: source.folder) } }
        note("stress \(source.name): \(grouped(source.children)) children; the engine end to end (watchdog \(secs(settings.engineWatchdog)) s)")
        do {
            let e = try Ladder.measureInChild(folder: source.folder, name: source.name, key: "stress-" + source.name,
                                              seed: source.seed ?? 0, repetitions: 1, threads: settings.threads,
                                              gap: 1e-6, timeLimit: nil, watchdog: settings.engineWatchdog)
            r.engine = e
            r.children = e.children
            r.placements = e.placements
        } catch let failure as SingleMarket.Failure where failure.stopped != nil {
            r.engineStoppedAfter = failure.stopped!.seconds
            r.enginePeakResidentBytesAtStop = failure.stopped!.peakResidentBytes
            note("stress \(source.name): the engine was stopped by the watchdog after \(secs(failure.stopped!.seconds)) s")
        } catch {
            r.engineError = "\(error)"
            note("ERROR: stress \(source.name): \(error)")
        }

        guard highs || cbc else { return r }
        // The model, as `placement export-model --mps` writes it (not timed as the engine's).
        let modelFile: URL
        if let keep = settings.keepModels {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            modelFile = URL(fileURLWithPath: keep).appendingPathComponent(source.name + ".mps")
        } else {
            modelFile = FileManager.default.temporaryDirectory.appendingPathComponent("placement-bench-stress-\(UUID().uuidString).mps")
        }
        defer { if settings.keepModels == nil { try? FileManager.default.removeItem(at: modelFile) } }
        do {
            let start = now()
            let size = try export(source.folder, to: modelFile)
            r.exportSeconds = seconds(since: start)
            (r.modelColumns, r.modelRows, r.modelNonZeros) = (size.columns, size.rows, size.nonZeros)
            r.placements = r.placements ?? size.placements
        } catch {
            r.exportError = "\(error)"
            note("ERROR: stress \(source.name): cannot export the model: \(error)")
            return r
        }
        note("stress \(source.name): model \(grouped(r.modelColumns ?? 0)) columns, \(grouped(r.modelRows ?? 0)) rows; peers (limit \(secs(settings.peerTimeLimit)) s)")
        if highs {
            let h = solve("highs", model: modelFile, root: root, settings: settings)
            note("stress \(source.name): HiGHS \(h.status) \(h.objective.map { format($0, 6) } ?? "-") in \(h.seconds.map(secs) ?? "-") s")
            r.highs = h
        }
        if cbc {
            let c = solve("cbc", model: modelFile, root: root, settings: settings)
            note("stress \(source.name): CBC \(c.status) \(c.objective.map { format($0, 6) } ?? "-") in \(c.seconds.map(secs) ?? "-") s")
            r.cbc = c
        }
        return r
    }
}

