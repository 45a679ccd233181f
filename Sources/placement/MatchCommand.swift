import ArgumentParser
import Foundation
import PlacementEngine
import PlacementReport

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "The nightly batch: propose the optimal placement for every child and explain the rest.",
        discussion: "Writes matches.csv, unmatched.csv, summary.json and report.html (the commissioner's page: open it in a browser) into --out, whole or not at all.")

    @OptionGroup var input: MarketOptions
    @Option(help: "Folder for matches.csv, unmatched.csv, summary.json and report.html.", completion: .directory)
    var out: String
    @OptionGroup var solve: SolveOptions
    @OptionGroup var style: OutputStyle
    @OptionGroup var history: HistoryDatabaseOption

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        do {
            var clock = StageClock()
            let (market, nights) = try history.tonight(input.load())   // --db: HistoryCommands.swift
            clock.lap("load")
            let progress = style.progressLine()
            var reporter: (@Sendable (MatchProgress) -> Void)? = nil
            if let progress { reporter = { progress.report($0) } }
            var options = solve.matchOptions(progress: reporter)
            options.logger = try solve.logger(verbose: style.verbose)
            let batch: BatchRun
            do { batch = try NightlyBatch.run(market, options: options, clock: clock) } catch {
                progress?.finish()
                throw CLIFailure(error)
            }
            progress?.finish()
            let hash = InputHash.of(folder: input.marketURL, policyOverride: input.policyURL)
            let writeStart = DispatchTime.now().uptimeNanoseconds
            let report = NightReport(run: batch, inputHash: hash, generatedFor: "Market \(input.marketURL.lastPathComponent)")
            do {
                try BatchOutputs.write(batch, to: URL(fileURLWithPath: out), inputHash: hash,
                                       extraFiles: [("report.html", Data(report.html().utf8))])
            } catch { throw .output("\(error)") }
            let writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - writeStart) / 1e9
            if style.json {
                let summary = BatchSummary(batch, inputHash: hash, extraTimings: [("write", writeSeconds)])
                do { FileHandle.standardOutput.write(try summary.json()) } catch { throw .output("cannot print the summary: \(error)") }
            } else if !style.quiet {
                print(MatchSummaryText.render(batch, out: out))
            }
            try nights?.record(batch, inputHash: hash, market: input.marketURL, say: !style.quiet && !style.json)
        }
    }
}

/// The human summary of a batch printed after `match` (and reused by what-if).
enum MatchSummaryText {
    static func render(_ run: BatchRun, out: String?) -> String {
        let s = run.solution
        let r = run.report
        var lines: [String] = []
        let proven: String = switch s.status {
        case .optimal: "proven optimal"
        case .feasible: "within the accepted gap"
        case .time_limit: "stopped by the time limit"
        }
        lines.append("Status: \(s.status.rawValue) (\(proven)); objective \(Fixed.cost(s.objective)), best bound \(s.bestBound.isFinite ? Fixed.cost(s.bestBound) : "none"), gap \(String(format: "%.2e", s.gap))")
        lines.append("Children: \(run.market.children.count); placed \(r.matches.count) (\(r.placedTogetherGroups) sibling groups together); unmatched \(r.unmatched.count)")
        lines.append("")
        let header = ["RCC", "placed", "unmatched", "mean km", ">20 miles", "mean risk", "weekly cost"]
        var rows: [[String]] = []
        for name in r.perRCC.keys.sorted() {
            let f = r.perRCC[name]!
            guard f.placed + f.unmatched > 0 else { continue }
            rows.append([name, String(f.placed), String(f.unmatched), Fixed.km(f.meanKm),
                         Fixed.format(100 * f.shareOverTwentyMiles, decimals: 1) + "%", Fixed.risk(f.meanRisk),
                         "£" + Fixed.format(f.totalWeeklyCost, decimals: 0)])
        }
        lines.append(TextTable.render(header: header, rows: rows))
        let times = run.clock.stages.map { "\($0.name) \(String(format: "%.3f", $0.seconds))s" }.joined(separator: ", ")
        lines.append("Time: " + times)
        if let out { lines.append("Wrote \(out)/matches.csv, unmatched.csv, summary.json, report.html") }
        return lines.joined(separator: "\n")
    }
}

/// A plain fixed-width table (first column left-aligned, the rest right-aligned).
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
