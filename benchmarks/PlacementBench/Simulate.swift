// `placement-bench --simulate`: the sufficiency simulation's speed (issue 14). One RCC (default the
// North West), the baseline and docs/whatif-example.json, a year each, 5 seeds, every core; with
// --simulate-england also England for a year. Prints wall time, the nightly solves and the time in
// them, peak memory (VmHWM) and the load average, and with --json-out writes them as JSON.

import Foundation
import PlacementEngine
import PlacementGenerator
import PlacementSimulation
import PlacementWhatIf

struct SimulateBenchRow: Codable {
    var region: String
    var days: Int
    var seeds: Int
    var scenarios: Int
    var threads: Int
    var wallSeconds: Double
    var solves: Int
    var solveSeconds: Double
    var meanSolveMilliseconds: Double
    var waitingAtEndBaseline: Double
    var peakResidentMiB: Double?
}

struct SimulateBenchReport: Codable {
    var machine: MachineInfo
    var rows: [SimulateBenchRow]
}

enum SimulateBench {
    static func run(root: URL, england: EnglandData, regions: [String?], days: Int, seeds: Int, threads: Int,
                    jsonOut: String?) throws {
        let scenario = try Scenario.load(from: root.appendingPathComponent("docs/whatif-example.json"))
        let geography = WhatIfGeography(england: england)
        var rows: [SimulateBenchRow] = []
        let machine = MachineInfo.current(glpkVersion: GLPKBackend().name)
        for region in regions {
            var settings = SimulationSettings(region: region)
            settings.days = days
            settings.seeds = seeds
            settings.threads = threads
            note("simulating \(region ?? "England"): \(days) nights, baseline and \(scenario.name), \(seeds) seeds, \(threads) threads ...")
            let r = try Simulation.run(scenarios: [ScheduledScenario(scenario: scenario, fromDay: 1)], england: england,
                                       settings: settings, geography: geography)
            let runs = Array(r.runs.joined())
            let solves = runs.reduce(0) { $0 + $1.solves }
            let solveSeconds = runs.reduce(0.0) { $0 + $1.solveSeconds }
            let row = SimulateBenchRow(region: r.region, days: days, seeds: seeds, scenarios: r.scenarios.count, threads: threads,
                                       wallSeconds: r.wallSeconds, solves: solves, solveSeconds: solveSeconds,
                                       meanSolveMilliseconds: solves == 0 ? 0 : 1000 * solveSeconds / Double(solves),
                                       waitingAtEndBaseline: r.summaries[0].estimates["waiting_at_end"]!.mean,
                                       peakResidentMiB: ProcStatus.peakResidentBytes().map { Double($0) / 1_048_576 })
            rows.append(row)
            print(String(format: "simulate %@: %d nights x %d scenarios x %d seeds on %d threads: %.1f s wall; %d nightly solves, %.1f s in them (%.1f ms each); baseline waiting at the end %.0f; peak RSS %.0f MiB",
                         row.region, days, row.scenarios, seeds, threads, row.wallSeconds, solves, solveSeconds,
                         row.meanSolveMilliseconds, row.waitingAtEndBaseline, row.peakResidentMiB ?? 0))
        }
        var m = machine
        m.loadAverageAtEnd = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        print("machine: \(m.cpu), \(m.cores) cores, \(m.date), commit \(m.commit), load \(m.loadAverageAtStart) -> \(m.loadAverageAtEnd ?? "?")")
        if let jsonOut {
            try JSON.encoder(pretty: true).encode(SimulateBenchReport(machine: m, rows: rows)).write(to: URL(fileURLWithPath: jsonOut))
        }
    }
}
