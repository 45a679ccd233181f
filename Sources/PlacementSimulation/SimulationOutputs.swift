// The simulation's files and printed comparison: nights.csv (one row per scenario, seed and night),
// summary.csv (each scenario's figures across seeds, mean and 95% t-interval, and the change from
// the baseline as paired differences), summary.json (the same with the settings and what each
// scenario did). The CSV files hold no timings: the same settings give the same bytes.

import Foundation
import PlacementEngine

public enum SimulationOutputs {
    public static let nightsHeader = ["scenario", "seed", "night", "arrivals", "placed", "declined", "waiting", "mean_km",
                                      "share_within_20_miles", "mean_risk", "weekly_cost", "free_places", "children"]
    public static let summaryHeader = ["scenario", "metric", "mean", "ci95_low", "ci95_high", "seeds",
                                       "change_from_baseline", "change_ci95_low", "change_ci95_high"]

    public static func nightsCSV(_ r: SimulationResult) -> String {
        var out = CSVCell.line(nightsHeader)
        for runs in r.runs {
            for run in runs { out += nightsRows(run) }
        }
        return out
    }

    /// One run's rows of nights.csv.
    public static func nightsRows(_ run: SimulationRun) -> String {
        var out = ""
        for n in run.nights {
            out += CSVCell.line([run.scenario, String(run.seed), String(n.night), String(n.arrivals), String(n.placed),
                                 String(n.declined), String(n.waiting), Fixed.km(n.meanKm),
                                 Fixed.format(n.shareWithinTwentyMiles, decimals: 4), Fixed.risk(n.meanRisk),
                                 Fixed.cost(n.weeklyCost), String(n.freePlaces), String(n.children)])
        }
        return out
    }

    static func number(_ v: Double, _ decimals: Int) -> String {
        v.isFinite ? Fixed.format(v, decimals: decimals) : ""
    }

    public static func summaryCSV(_ r: SimulationResult) -> String {
        var out = CSVCell.line(summaryHeader)
        for (i, s) in r.summaries.enumerated() {
            let change = i == 0 ? nil : r.comparisons[i - 1]
            for m in RunTotals.metrics {
                let e = s.estimates[m.key]!
                var cells = [s.scenario, m.key, number(e.mean, m.decimals + 2), number(e.low, m.decimals + 2),
                             number(e.high, m.decimals + 2), String(e.n)]
                if let c = change?.changes[m.key] {
                    cells += [number(c.mean, m.decimals + 2), number(c.low, m.decimals + 2), number(c.high, m.decimals + 2)]
                } else {
                    cells += ["", "", ""]
                }
                out += CSVCell.line(cells)
            }
        }
        return out
    }

    static func estimateJSON(_ e: Estimate) -> [String: Any] {
        ["mean": e.mean, "ci95_low": e.low.isFinite ? e.low : NSNull(), "ci95_high": e.high.isFinite ? e.high : NSNull(), "n": e.n]
    }

    public static func summaryJSON(_ r: SimulationResult) -> Data {
        var scenarios: [[String: Any]] = []
        for (i, s) in r.summaries.enumerated() {
            var o: [String: Any] = ["name": s.scenario, "seeds": s.seeds.map { Int($0) }]
            o["from_day"] = i == 0 ? NSNull() : r.scenarios[i].fromDay
            o["effects"] = r.runs[i].first?.effects ?? []
            o["warnings"] = Array(Set(r.runs[i].flatMap(\.warnings))).sorted()
            var figures: [String: Any] = [:]
            for m in RunTotals.metrics { figures[m.key] = estimateJSON(s.estimates[m.key]!) }
            o["figures"] = figures
            if i > 0 {
                var change: [String: Any] = [:]
                for m in RunTotals.metrics { change[m.key] = estimateJSON(r.comparisons[i - 1].changes[m.key]!) }
                o["change_from_baseline"] = change
            }
            o["solve_seconds"] = r.runs[i].reduce(0) { $0 + $1.solveSeconds }
            o["solves"] = r.runs[i].reduce(0) { $0 + $1.solves }
            scenarios.append(o)
        }
        let m = r.settings.model
        let root: [String: Any] = [
            "region": r.region, "days": r.settings.days, "seeds": r.settings.seedList.map { Int($0) },
            "threads": r.settings.threads, "arrivals_per_night": r.arrivalsPerNight,
            "model": ["placements_per_year": m.placementsPerYear, "decline_share": m.declineShare,
                      "mean_stay_nights": ["foster": m.meanStayNights(.foster), "residential": m.meanStayNights(.residential),
                                           "supported": m.meanStayNights(.supported)]],
            "scenarios": scenarios, "wall_seconds": r.wallSeconds,
        ]
        return (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }

    // MARK: The printed comparison

    static func interval(_ e: Estimate, _ decimals: Int, signed: Bool = false) -> String {
        let mean = Fixed.format(e.mean, decimals: decimals)
        let shown = signed && e.mean > 0 && mean.first != "-" && mean != Fixed.format(0, decimals: decimals) ? "+" + mean : mean
        guard e.halfWidth.isFinite else { return shown }
        return shown + " ± " + Fixed.format(e.halfWidth, decimals: decimals)
    }

    /// The comparison as printed: each scenario's figures (mean ± 95% t-interval over the seeds) and,
    /// for each scenario, its change from the baseline (paired by seed).
    public static func text(_ r: SimulationResult) -> String {
        var lines: [String] = []
        let seeds = r.settings.seedList
        lines.append("Simulation: \(r.region), \(r.settings.days) nights, seeds \(seeds.map(String.init).joined(separator: ", ")) "
            + "(\(Fixed.format(r.arrivalsPerNight, decimals: 1)) referrals a night; \(Int((r.settings.model.declineShare * 100).rounded()))% of proposals declined)")
        for (i, s) in r.scenarios.enumerated() where i > 0 {
            lines.append("Scenario \(i): \(s.name), from night \(s.fromDay)")
            for e in r.runs[i].first?.effects ?? [] { lines.append("  - " + e) }
            for w in Array(Set(r.runs[i].flatMap(\.warnings))).sorted() { lines.append("  warning: " + w) }
        }
        lines.append("")
        var header = ["figure (mean ± 95% CI over \(seeds.count) seeds)"]
        for (i, s) in r.summaries.enumerated() {
            header.append(i == 0 ? "baseline" : "scenario \(i)")
            if i > 0 { header.append("change") }
            _ = s
        }
        var rows: [[String]] = [header]
        for m in RunTotals.metrics {
            var row = [m.label]
            for (i, s) in r.summaries.enumerated() {
                row.append(interval(s.estimates[m.key]!, m.decimals))
                if i > 0 { row.append(interval(r.comparisons[i - 1].changes[m.key]!, m.decimals, signed: true)) }
            }
            rows.append(row)
        }
        lines += table(rows)
        return lines.joined(separator: "\n")
    }

    /// Columns padded: the first left-aligned, the others right-aligned, a rule under the header.
    static func table(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        var widths = [Int](repeating: 0, count: first.count)
        for r in rows { for (j, c) in r.enumerated() where j < widths.count { widths[j] = max(widths[j], c.count) } }
        func pad(_ s: String, _ w: Int, left: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return left ? s + fill : fill + s
        }
        var out: [String] = []
        for (i, r) in rows.enumerated() {
            out.append(r.enumerated().map { pad($1, widths[$0], left: $0 == 0) }.joined(separator: "  "))
            if i == 0 { out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return out
    }
}
