import ArgumentParser
import Foundation
import Logging
import PlacementEngine
import PlacementReport
import PlacementWhatIf

/// `placement whatif`: tonight as it is beside tonight as a scenario makes it (capacity added,
/// scaled or closed, policy changed), or `--sweep`: where K extra places would help most.
struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "What would tonight look like if...? Compare the market with a scenario, or sweep where extra places help most.",
        discussion: """
            A scenario is a list of changes: a JSON file (--scenario, see docs/whatif.md) and/or flags. Flags are \
            applied after the file's changes, in this order: --close, --close-provider, --scale, --add, --set. \
            AREA is an RCC name (e.g. "North West") or an LA code; TYPE is foster, residential or supported \
            (kinship places cannot be added: a kinship carer is approved for named children). New homes are \
            typical homes of the type in the area, at random LSOA points of the area (seeded: --seed).
            The baseline and the scenario are solved at once, each with half the threads. With --sweep, PLACES \
            (--places, default 5) of each type are added in each RCC in turn, on top of the scenario if one is given, \
            and every variant is solved concurrently, one thread each.
            With --out DIR: diff.csv, diff.json, changed.csv and report.html (or sweep.csv, sweep.json), written whole or not at all.
            """)

    @OptionGroup var input: MarketOptions

    @Option(help: "A scenario file (JSON): {\"name\": ..., \"changes\": [...]}.", completion: .file())
    var scenario: String?

    @Option(name: .customLong("add"), help: ArgumentHelp("Add places: TYPE:AREA:PLACES, e.g. foster:North West:50.", valueName: "type:area:places"))
    var add: [String] = []

    @Option(name: .customLong("close"), help: ArgumentHelp("Close a placement.", valueName: "placement-id"))
    var close: [String] = []

    @Option(name: .customLong("close-provider"), help: ArgumentHelp("Close every placement of a provider.", valueName: "provider-id"))
    var closeProvider: [String] = []

    @Option(name: .customLong("scale"), help: ArgumentHelp("Scale free places: TYPE:AREA:FACTOR, e.g. residential:London:0.8.", valueName: "type:area:factor"))
    var scale: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Set a policy key: KEY=VALUE, e.g. allow_cross_rcc=false or weights.w_cost=2.", valueName: "key=value"))
    var set: [String] = []

    @Flag(help: "Rank where extra capacity helps most: add --places of each type in each RCC, one variant at a time.")
    var sweep = false

    @Option(help: "Places added per sweep variant (with --sweep).")
    var places: Int?

    @Flag(help: "Skip the engine's market-wide optimality proof where it would be large (much faster on big markets; results may then be 'feasible', and the output says how much is unproven).")
    var quick = false

    @Option(help: "Seed for where new homes are put (default: the scenario file's, else 1).")
    var seed: UInt64?

    @Option(help: "Folder with england_lsoa_points.csv and england_las_children.csv (default: fixtures/england).", completion: .directory)
    var england: String?

    @Option(help: "Folder for diff.csv, diff.json, changed.csv and report.html (or sweep.csv, sweep.json).", completion: .directory)
    var out: String?

    @OptionGroup var solve: SolveOptions
    @OptionGroup var style: OutputStyle

    func validate() throws {
        if let places {
            guard sweep else { throw ValidationError("--places goes with --sweep") }
            guard (1...Scenario.maxPlaces).contains(places) else {
                throw ValidationError("--places must be a whole number from 1 to \(Scenario.maxPlaces)")
            }
        }
        if let scenario, !FileManager.default.fileExists(atPath: scenario) {
            throw ValidationError("--scenario \(scenario): no such file")
        }
        if !sweep, scenario == nil, add.isEmpty, close.isEmpty, closeProvider.isEmpty, scale.isEmpty, set.isEmpty {
            throw ValidationError("nothing to compare: give --scenario FILE, a change (--add, --close, --close-provider, --scale, --set) or --sweep")
        }
        if style.json && style.quiet { throw ValidationError("--json and --quiet cannot be combined") }
    }

    func run() throws { try CLI.run(execute) }

    /// The scenario: the file's changes, then the flags' (in the order of the discussion above), and
    /// every problem found in them so far (the rest are found when it is applied to the market).
    func buildScenario() -> (Scenario, [InputIssue]) {
        var issues: [InputIssue] = []
        var result = Scenario(name: "", seed: Scenario.defaultSeed, changes: [])
        if let scenario {
            do { result = try Scenario.load(from: URL(fileURLWithPath: scenario)) } catch { issues += error.issues }
        }
        var flagChanges: [ScenarioChange] = []
        for (flag, values) in [("--close", close), ("--close-provider", closeProvider), ("--scale", scale), ("--add", add), ("--set", set)] {
            for v in values {
                switch ScenarioChange.parse(flag: flag, v) {
                case .success(let c): flagChanges.append(c)
                case .failure(let issue): issues.append(issue)
                }
            }
        }
        result.changes += flagChanges
        if result.name.isEmpty {
            result.name = flagChanges.isEmpty ? "baseline" : flagChanges.map(\.summary).joined(separator: "; ")
        }
        if let seed { result.seed = seed }
        return (result, issues)
    }

    static func scenarioFailure(_ issues: [InputIssue]) -> CLIFailure {
        let n = issues.count
        return .usage("the scenario has \(n) problem\(n == 1 ? "" : "s"); nothing was solved or written.\n"
            + ScenarioError(issues: issues).description)
    }

    /// England's LSOA points for new homes; LA centroids (with a warning) when they cannot be found.
    func geography(needed: Bool) -> WhatIfGeography {
        guard needed else { return .centroidsOnly }
        let (found, problem) = WhatIfGeography.england(explicit: england)
        if let found { return found }
        if !style.quiet { Terminal.standardError("warning: \(problem ?? "no LSOA points"); new homes go to LA centroids") }
        return .centroidsOnly
    }

    /// The solve options: `SolveOptions`, and with --quick no large optimality proof.
    func matchOptions(logger: Logger) -> MatchOptions {
        var o = solve.matchOptions()
        o.logger = logger
        if quick { o.proofOptionBudget = 0 }
        return o
    }

    func execute() throws(CLIFailure) {
        let logger = try solve.logger(verbose: style.verbose)
        let market = try input.load()
        do { _ = try MarketIndex(market) } catch { throw .usage("\(error)") }
        let (scenario, issues) = buildScenario()
        let needsPoints = sweep || scenario.changes.contains { if case .add = $0.kind { true } else { false } }
        let geo = geography(needed: needsPoints)
        let applied: AppliedScenario
        do { applied = try scenario.apply(to: market, geography: geo) } catch { throw Self.scenarioFailure(issues + error.issues) }
        guard issues.isEmpty else { throw Self.scenarioFailure(issues) }

        if sweep {
            var options = SweepOptions()
            options.places = places ?? 5
            options.threads = solve.threads ?? Parallel.defaultThreads
            options.solve = matchOptions(logger: logger)
            options.seed = scenario.seed
            let result: CapacitySweep
            do { result = try WhatIf.sweep(applied.market, geography: geo, options: options) } catch {
                throw Self.failure(error)
            }
            if let out {
                do {
                    try AtomicOutput.writeDirectory(URL(fileURLWithPath: out),
                                                    files: WhatIfOutputs.sweepFiles(result, scenario: scenario, effects: applied.effects))
                } catch { throw .output("\(error)") }
            }
            if style.json {
                FileHandle.standardOutput.write(BatchOutputs.json(WhatIfOutputs.sweepJSON(result, scenario: scenario, effects: applied.effects)))
            } else if !style.quiet {
                print(WhatIfText.sweep(result, scenario: scenario, effects: applied.effects, out: out))
            }
            return
        }

        let comparison: WhatIfComparison
        do { comparison = try WhatIf.compare(baseline: market, applied: applied, options: matchOptions(logger: logger)) } catch {
            throw Self.failure(error)
        }
        if let out {
            do {
                let report = WhatIfReport(comparison: comparison, baseline: market, scenario: applied.market)
                try AtomicOutput.writeDirectory(URL(fileURLWithPath: out),
                                                files: WhatIfOutputs.comparisonFiles(comparison) + [("report.html", Data(report.html().utf8))])
            } catch { throw .output("\(error)") }
        }
        if style.json {
            FileHandle.standardOutput.write(BatchOutputs.json(WhatIfOutputs.diffJSON(comparison)))
        } else if !style.quiet {
            print(WhatIfText.comparison(comparison, out: out))
        }
    }

    static func failure(_ e: WhatIfError) -> CLIFailure {
        switch e {
        case .scenario(let s): scenarioFailure(s.issues)
        case .batch(let b): CLIFailure(b)
        }
    }
}

/// What-if's terminal output.
enum WhatIfText {
    static func signed(_ v: Double, decimals: Int) -> String {
        let s = Fixed.format(v, decimals: decimals)
        return s.hasPrefix("-") || s == Fixed.format(0, decimals: decimals) ? s : "+" + s
    }

    static func statusWord(_ s: MatchStatus) -> String { s.rawValue }

    static func comparison(_ c: WhatIfComparison, out: String?) -> String {
        var lines = ["Scenario: \(c.scenario.name) (seed \(c.scenario.seed))"]
        for e in c.effects { lines.append("  - " + e.description) }
        lines.append("")
        lines.append("Objective: \(Fixed.cost(c.baseline.objective)) (\(statusWord(c.baseline.status))) -> \(Fixed.cost(c.outcome.objective)) (\(statusWord(c.outcome.status))), change \(signed(c.objectiveChange, decimals: 2))")
        if c.resolution > 1e-6 * max(1, abs(c.baseline.objective)) {
            lines.append("Note: the engine proved these objectives only to within \(Fixed.cost(c.resolution)) (status feasible: its optimality proof was not completed); a change smaller than that may come from the solver, not the scenario.")
        }
        lines.append("Places: \(c.baseline.places) -> \(c.outcome.places) in \(c.baseline.placements) -> \(c.outcome.placements) placements; children placed \(c.baseline.placed) -> \(c.outcome.placed), unmatched \(c.baseline.unmatched) -> \(c.outcome.unmatched); \(c.changed.count) proposal\(c.changed.count == 1 ? "" : "s") changed")
        lines.append("")
        lines.append("Scenario value (change from baseline); RCC rows group children by their own LA, type rows by the home proposed:")
        let header = ["group", "placed", "unmatched", "mean km", ">20 miles", "mean risk", "weekly cost", "cross-RCC"]
        var rows: [[String]] = []
        for g in c.groups {
            let a = g.baseline, b = g.scenario
            func count(_ x: Int, _ y: Int) -> String { "\(y) (\(signed(Double(y - x), decimals: 0)))" }
            let unmatched = a.unmatched.flatMap { x in b.unmatched.map { count(x, $0) } } ?? "-"
            rows.append([
                g.scope == .type ? "type: " + g.name : g.name,
                count(a.placed, b.placed), unmatched,
                "\(Fixed.km(b.meanKm)) (\(signed(b.meanKm - a.meanKm, decimals: 2)))",
                "\(Fixed.format(100 * b.shareOverTwentyMiles, decimals: 1))% (\(signed(100 * (b.shareOverTwentyMiles - a.shareOverTwentyMiles), decimals: 1)))",
                "\(Fixed.risk(b.meanRisk)) (\(signed(b.meanRisk - a.meanRisk, decimals: 4)))",
                "£\(Fixed.format(b.totalWeeklyCost, decimals: 0)) (\(signed(b.totalWeeklyCost - a.totalWeeklyCost, decimals: 0)))",
                count(a.crossRcc, b.crossRcc),
            ])
        }
        lines.append(TextTable.render(header: header, rows: rows))
        if !c.changed.isEmpty {
            let shown = 15
            lines.append("")
            lines.append("Changed proposals (cost = what the child adds to the objective; first \(min(shown, c.changed.count)) by child id):")
            func cell(_ o: ChildOutcome) -> [String] {
                guard let p = o.proposal else { return ["unmatched", "", Fixed.cost(o.cost)] }
                return [p.placementId, "\(p.type.rawValue), \(Fixed.km(p.km)) km", Fixed.cost(o.cost)]
            }
            let rows = c.changed.prefix(shown).map { ch in
                [ch.childId, ch.childRcc] + cell(ch.baseline) + cell(ch.scenario) + [signed(ch.scenario.cost - ch.baseline.cost, decimals: 2)]
            }
            lines.append(TextTable.render(header: ["child", "RCC", "baseline", "", "cost", "scenario", "", "cost", "change"], rows: rows))
            if c.changed.count > shown { lines.append("... and \(c.changed.count - shown) more\(out == nil ? " (--out DIR writes changed.csv)" : " in changed.csv")") }
        }
        lines.append("")
        lines.append("Time: \(String(format: "%.2f", c.seconds)) s (baseline \(String(format: "%.2f", c.baseline.seconds)) s and scenario \(String(format: "%.2f", c.outcome.seconds)) s, solved at once)")
        if let out { lines.append("Wrote \(out)/diff.csv, diff.json, changed.csv, report.html") }
        return lines.joined(separator: "\n")
    }

    static func sweep(_ s: CapacitySweep, scenario: Scenario, effects: [ChangeEffect], out: String?) -> String {
        var lines: [String] = []
        if !scenario.changes.isEmpty {
            lines.append("On top of scenario: \(scenario.name) (seed \(scenario.seed))")
            for e in effects { lines.append("  - " + e.description) }
        }
        let o = s.options
        lines.append("Sweep: \(o.places) place\(o.places == 1 ? "" : "s") of each of \(o.types.map(\.rawValue).joined(separator: ", ")) added in each of \(s.rccs.count) RCCs, one variant at a time (\(s.rows.count) variants).")
        lines.append("Note: \(CapacitySweep.kinshipNote).")
        lines.append("Base: objective \(Fixed.cost(s.base.objective)) (\(s.base.status.rawValue)); placed \(s.base.placed), unmatched \(s.base.unmatched) of \(s.base.children) children")
        lines.append("")
        let header = ["rank", "RCC", "type", "places", "used", "newly placed", "saved/place", "saved", "km saved", "risk avoided", "status"]
        let rows = s.rows.map { r in
            [String(r.rank), r.rcc, r.type.rawValue, String(r.placesAdded), String(r.newPlacesUsed),
             signed(Double(r.childrenNewlyPlaced), decimals: 0), Fixed.cost(r.objectiveSavedPerPlace), Fixed.cost(r.objectiveSaved),
             Fixed.km(r.kmSaved), Fixed.risk(r.riskAvoided), r.status.rawValue]
        }
        lines.append(TextTable.render(header: header, rows: rows))
        lines.append("")
        if s.resolution > 1e-6 * max(1, abs(s.base.objective)) {
            lines.append("Note: the engine proved some of these objectives only to within \(Fixed.cost(s.resolution)) (status feasible: its optimality")
            lines.append("proof was not completed); savings smaller than that may come from the solver rather than from the places.")
        }
        lines.append("saved = base objective - variant objective; used = children proposed into the new homes; km saved and risk avoided")
        lines.append("are over the children placed in both runs (risk avoided = expected breakdowns within a year avoided).")
        let cpu = s.totalCPUSeconds
        let per = cpu / Double(s.rows.count + 1)
        lines.append("Time: \(String(format: "%.2f", s.seconds)) s for \(s.rows.count + 1) solves on \(o.threads) thread\(o.threads == 1 ? "" : "s"); CPU \(String(format: "%.2f", cpu)) s in all, \(String(format: "%.2f", per)) s a solve")
        if let out { lines.append("Wrote \(out)/sweep.csv, sweep.json") }
        return lines.joined(separator: "\n")
    }
}
