// The peer comparison: the same market's whole integer program (FullModel: every eligible option),
// exported in CPLEX LP format and solved by GLPK's own command-line solver, glpsol, with its
// default settings and a time limit, next to the engine (eligibility and arcs + solve) on the market.

import Foundation
import PlacementEngine
import PlacementGenerator

struct PeerResult: Codable, Sendable {
    var market: String
    var key: String
    var seed: UInt64
    var children: Int
    var modelColumns: Int
    var modelRows: Int
    var modelNonZeros: Int
    var exportSeconds: Double
    /// The engine: eligibility_and_arcs + solve, over the repetitions.
    var engine: Spread
    var engineObjective: Double
    var engineStatus: String
    /// glpsol, wall seconds of the process (reading the LP file included).
    var glpsolSeconds: Double
    var glpsolTimeLimit: Int
    var glpsolHitLimit: Bool
    var glpsolStatus: String
    var glpsolObjective: Double?
    var glpsolBound: Double?
    var glpsolMemory: String?
    /// glpsol seconds / engine median seconds; a lower bound when glpsol hit its limit.
    var ratio: Double
    var ratioIsLowerBound: Bool
    /// The two objectives agree (relative 1e-6) when glpsol proved optimality; nil otherwise.
    var objectivesAgree: Bool?
    var glpsolCommand: String
    var glpsolMemoryCapGiB: Double?
}

enum PeerBench {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        var glpsolMissing = false
    }

    /// glpsol's `--tmlim` covers its search only, not reading the file nor the root LP's setup: the
    /// harness stops it `timeLimit + 60` s after the start, and caps its address space at `memoryGiB`
    /// (the whole model at 2,000 children took 16 GB before the search began).
    static func run(_ spec: MarketSpec, england: EnglandData, seed: UInt64, repetitions: Int, timeLimit: Int,
                    memoryGiB: Double, keepFile: String?) throws -> PeerResult {
        guard let glpsol = Subprocess.which("glpsol") else {
            throw Failure(description: "glpsol is not installed (apt-get install -y glpk-utils)", glpsolMissing: true)
        }
        let market = try MarketGenerator(spec.configuration(seed: seed), england: england).generate()
        note("peer: market \(spec) (\(grouped(market.children.count)) children), the engine \(repetitions)x")
        var engineTimes: [Double] = []
        var objective = Double.nan
        var status = ""
        for _ in 0..<max(1, repetitions) {
            let run = try NightlyBatch.run(market, options: MatchOptions())
            engineTimes.append((run.clock.seconds("eligibility_and_arcs") ?? 0) + (run.clock.seconds("solve") ?? 0))
            objective = run.solution.objective
            status = run.solution.status.rawValue
        }
        let engine = Spread(engineTimes)

        let index = try MarketIndex(market)
        let exportStart = now()
        let full = FullModel.build(arcs: ArcTable(index: index))
        let path = keepFile ?? FileManager.default.temporaryDirectory.appendingPathComponent("placement-bench-\(UUID().uuidString).lp").path
        if let problem = GLPKBackend().write(full.model, to: path, lp: true) { throw Failure(description: problem) }
        let exportSeconds = seconds(since: exportStart)
        defer { if keepFile == nil { try? FileManager.default.removeItem(atPath: path) } }
        note("peer: exported \(grouped(full.model.columns.count)) binaries, \(grouped(full.model.rows.count)) rows; glpsol --tmlim \(timeLimit)")

        let arguments = ["--lp", path, "--tmlim", String(timeLimit)]
        let cap = Int(memoryGiB * 1_073_741_824)
        let out: Subprocess.Result
        if let prlimit = Subprocess.which("prlimit") {
            out = try Subprocess.run(prlimit, ["--as=\(cap)", glpsol] + arguments, timeout: Double(timeLimit) + 60)
        } else {
            out = try Subprocess.run(glpsol, arguments, timeout: Double(timeLimit) + 60)
        }
        var parsed = GlpsolOutput(out.output)
        if out.timedOut { parsed.optimal = false }
        let outOfMemory = out.output.contains("memory allocation error") || out.output.contains("out of memory")
        // The file carries the objective constant as a column fixed at 1 (GLPKBackend.write):
        // glpsol's figures are the whole objective.
        let glpsolObjective = parsed.objective
        let glpsolBound = parsed.bound
        let hitLimit = parsed.timeLimitReached || (!parsed.optimal && out.seconds >= Double(timeLimit))
        var agree: Bool? = nil
        if parsed.optimal, let g = glpsolObjective {
            // glpsol's default relative gap is 0: its answer is the optimum, as the engine's is.
            agree = abs(g - objective) <= 1e-6 * max(1, abs(objective))
        }
        let status2 = parsed.optimal ? "optimal"
            : out.timedOut ? "stopped by the harness at \(timeLimit + 60) s"
            : outOfMemory ? "out of memory (\(format(memoryGiB, 0)) GiB cap)"
            // GLPK calls abort() when an allocation fails, before its buffered message reaches the pipe.
            : out.status == 6 ? "aborted (SIGABRT: GLPK aborts when memory runs out; \(format(memoryGiB, 0)) GiB cap)"
            : hitLimit ? "time limit" : (out.status == 0 ? "stopped" : "error \(out.status)")
        return PeerResult(
            market: spec.description, key: spec.key, seed: seed, children: market.children.count,
            modelColumns: full.model.columns.count, modelRows: full.model.rows.count, modelNonZeros: full.model.nonZeros,
            exportSeconds: exportSeconds, engine: engine, engineObjective: objective, engineStatus: status,
            glpsolSeconds: out.seconds, glpsolTimeLimit: timeLimit, glpsolHitLimit: hitLimit && !parsed.optimal,
            glpsolStatus: status2, glpsolObjective: glpsolObjective, glpsolBound: glpsolBound, glpsolMemory: parsed.memory,
            ratio: out.seconds / engine.median, ratioIsLowerBound: !parsed.optimal,
            objectivesAgree: agree, glpsolCommand: "glpsol --lp FILE --tmlim \(timeLimit)", glpsolMemoryCapGiB: memoryGiB)
    }
}

/// What glpsol printed: the last "mip = X >= Y" progress line, the final status, memory used.
struct GlpsolOutput {
    var objective: Double?
    var bound: Double?
    var optimal = false
    var timeLimitReached = false
    var memory: String?

    init(_ text: String) {
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.contains("INTEGER OPTIMAL SOLUTION FOUND") { optimal = true }
            if line.contains("TIME LIMIT EXCEEDED") { timeLimitReached = true }
            if line.hasPrefix("Memory used:") { memory = String(line.dropFirst("Memory used:".count)).trimmingCharacters(in: .whitespaces) }
            // "+  1234: mip =   1.234000000e+04 >=   1.200000000e+04   2.8% (12; 0)"
            // or "+  1234: mip =     not found yet >=   1.2e+04        (1; 0)"
            if line.hasPrefix("+"), let r = line.range(of: "mip =") {
                let rest = line[r.upperBound...]
                let parts = rest.split(separator: " ", omittingEmptySubsequences: true)
                if let ge = parts.firstIndex(of: ">=") {
                    objective = ge == parts.startIndex ? nil : Double(parts[parts.index(before: ge)])
                    let next = parts.index(after: ge)
                    if next < parts.endIndex, let b = Double(parts[next]) {
                        bound = b.isFinite ? b : nil
                    } else if rest.contains("tree is empty") {
                        bound = objective   // the search finished: the incumbent is optimal
                    }
                }
            }
        }
    }
}
