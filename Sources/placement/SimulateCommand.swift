import ArgumentParser
import Foundation
import PlacementEngine
import PlacementGenerator
import PlacementReport
import PlacementSimulation
import PlacementWhatIf

/// `placement simulate`: a year (or --days N) of nightly batches on a seeded stream of referrals,
/// the baseline against capacity scenarios from a given night, over several seeds (docs/simulation.md).
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a year of nights: how many children wait, how far from home, at what cost, with and without a capacity plan.",
        discussion: """
            Each night: placements end and free their places, new referrals arrive (Poisson, at England's 89,000 new \
            placements a year times the region's share of children looked after, with the generator's mix), the nightly \
            batch proposes, providers decline a share of proposals (--decline-share), and children not placed wait for \
            tomorrow with the waiting penalty. A scenario (the what-if format, docs/whatif.md) changes the stock from \
            its from_day (or --from-day). The baseline and every scenario run over --seeds seeds, --threads runs at once \
            (each night's solve on one thread): the answers are the same whatever --threads is.
            With --out DIR: nights.csv, summary.csv, summary.json and report.html, written whole or not at all.
            """)

    @Option(help: "One RCC (ONS region name, e.g. \"North West\"); default all England.")
    var region: String?

    @Option(help: "Nights to simulate.")
    var days: Int = 365

    @Option(help: "A scenario file (JSON, the what-if format; may give \"from_day\"). Repeat for several scenarios.", completion: .file())
    var scenario: [String] = []

    @Option(name: .customLong("from-day"), help: "The night the scenarios' changes start, when their file gives no from_day (default 1).")
    var fromDay: Int?

    @Option(help: "Seeds per scenario (runs with seeds --seed, --seed + 1, ...).")
    var seeds: Int = 5

    @Option(help: "The first seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("decline-share"), help: "Share of proposals providers decline (0 to 0.9).")
    var declineShare: Double = SimulationModel().declineShare

    @Option(name: .customLong("stay-scale"), help: "Multiply every type's mean placement length (Little's law, docs/simulation.md) by this.")
    var stayScale: Double = 1

    @Option(help: "Runs solved at once (default: the machine's cores); each night's solve uses one thread.")
    var threads: Int?

    @Option(help: "Folder with england_lsoa_points.csv and england_las_children.csv (default: fixtures/england).", completion: .directory)
    var england: String?

    @Option(help: "Folder for nights.csv, summary.csv, summary.json and report.html.", completion: .directory)
    var out: String?

    @Flag(help: "Make every warning an error (a scenario change naming an id the simulated stock does not hold).")
    var strict = false

    @Flag(help: "Print nothing but errors and warnings.")
    var quiet = false

    func validate() throws {
        guard (1...Scenario.maxDay).contains(days) else { throw ValidationError("--days must be from 1 to \(Scenario.maxDay)") }
        guard (1...100).contains(seeds) else { throw ValidationError("--seeds must be from 1 to 100") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard declineShare.isFinite, declineShare >= 0, declineShare <= 0.9 else { throw ValidationError("--decline-share must be from 0 to 0.9") }
        guard stayScale.isFinite, stayScale > 0, stayScale <= 100 else { throw ValidationError("--stay-scale must be above 0 and at most 100") }
        if let fromDay, !(1...days).contains(fromDay) { throw ValidationError("--from-day must be from 1 to --days (\(days))") }
        for s in scenario where !FileManager.default.fileExists(atPath: s) { throw ValidationError("--scenario \(s): no such file") }
        if let out {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: out, isDirectory: &isDir), !isDir.boolValue {
                throw ValidationError("--out \(out): a file, not a folder")
            }
        }
    }

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        let englandData: EnglandData
        do { englandData = try EnglandData(folder: try EnglandData.locate(explicit: england)) } catch { throw .usage(error.description) }
        if let region {
            let wanted = region.trimmingCharacters(in: .whitespaces).lowercased()
            guard englandData.regions.contains(where: { $0.lowercased() == wanted }) else {
                throw .usage("--region \(region): expected an RCC (ONS region): \(englandData.regions.joined(separator: ", "))")
            }
        }
        var settings = SimulationSettings(region: region)
        settings.days = days
        settings.seeds = seeds
        settings.firstSeed = seed
        settings.threads = threads ?? Parallel.defaultThreads
        settings.fromDay = fromDay ?? 1
        settings.model.declineShare = declineShare
        settings.model.stayScale = stayScale
        let geography = WhatIfGeography(england: englandData)

        // Every scenario read and checked against the first seed's stock before any night is solved.
        var scheduled: [ScheduledScenario] = []
        var issues: [InputIssue] = []
        var warnings: [String] = []
        for path in scenario {
            let s: Scenario
            do { s = try Scenario.load(from: URL(fileURLWithPath: path)) } catch { issues += error.issues; continue }
            let day = s.fromDay ?? settings.fromDay
            guard day <= days else {
                issues.append(InputIssue(file: URL(fileURLWithPath: path).lastPathComponent, columnName: "from_day", value: String(day),
                                         expected: "a night within --days (\(days))"))
                continue
            }
            do { warnings += try Simulation.check(s, england: englandData, settings: settings, geography: geography) } catch {
                switch error {
                case .scenario(let e): issues += e.issues
                default: throw .usage(error.description)
                }
                continue
            }
            scheduled.append(ScheduledScenario(scenario: s, fromDay: day))
        }
        guard issues.isEmpty else { throw WhatIfCommand.scenarioFailure(issues) }
        for w in warnings { Terminal.standardError("warning: " + w) }
        if strict && !warnings.isEmpty {
            throw .usage("--strict: \(warnings.count) warning\(warnings.count == 1 ? "" : "s") taken as errors; nothing was simulated or written")
        }

        let showProgress = !quiet && Terminal.standardErrorIsTerminal
        var progress: (@Sendable (Int, Int) -> Void)? = nil
        if showProgress {
            progress = { @Sendable (done: Int, total: Int) -> Void in Terminal.standardError("simulated \(done) of \(total) runs") }
        }
        let result: SimulationResult
        do {
            result = try Simulation.run(scenarios: scheduled, england: englandData, settings: settings, geography: geography,
                                        progress: progress)
        } catch {
            switch error {
            case .batch(let b): throw CLIFailure(b)
            case .scenario(let e): throw WhatIfCommand.scenarioFailure(e.issues)
            case .generator(let s): throw .usage(s)
            }
        }
        if let out {
            do {
                let report = SimulationReport(result: result)
                try AtomicOutput.writeDirectory(URL(fileURLWithPath: out), files: [
                    ("nights.csv", Data(SimulationOutputs.nightsCSV(result).utf8)),
                    ("summary.csv", Data(SimulationOutputs.summaryCSV(result).utf8)),
                    ("summary.json", SimulationOutputs.summaryJSON(result)),
                    ("report.html", Data(report.html().utf8)),
                ])
            } catch { throw .output("\(error)") }
        }
        guard !quiet else { return }
        print(SimulationOutputs.text(result))
        let solves = result.runs.joined().reduce(0) { $0 + $1.solves }
        let solveSeconds = result.runs.joined().reduce(0.0) { $0 + $1.solveSeconds }
        print("")
        print("Time: \(String(format: "%.1f", result.wallSeconds)) s wall for \(result.runs.joined().count) runs on \(settings.threads) thread\(settings.threads == 1 ? "" : "s") (\(solves) nightly solves, \(String(format: "%.1f", solveSeconds)) s in them)")
        if let out { print("Wrote \(out)/nights.csv, summary.csv, summary.json, report.html") }
    }
}
