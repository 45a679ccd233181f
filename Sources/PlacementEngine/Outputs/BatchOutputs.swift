// matches.csv, unmatched.csv and summary.json (spec section 6), built in memory and written atomically.

import Foundation

public enum BatchOutputs {
    /// The spec's columns, then the LA names beside the codes for people reading the file (an
    /// extension: a reader of v1 columns finds them unchanged, in the same places).
    public static let matchesHeader = ["child_id", "placement_id", "type", "child_la", "placement_la", "distance_km",
                                       "risk", "weekly_cost", "cross_rcc", "with_siblings", "arc_cost", "choice_rank",
                                       "eligible_count", "child_la_name", "placement_la_name"]
    public static let unmatchedHeader = ["child_id", "la_code", "eligible_count", "reason", "detail", "la_name"]

    /// The market's LA names by code (the code itself where the table has no name).
    static func laNames(_ market: Market) -> (String) -> String {
        let names = market.laNamesByCode
        return { names[$0] ?? $0 }
    }

    /// Rows sorted by child_id in byte order.
    static func byChildId<T>(_ rows: [T], _ child: (T) -> Int, _ market: Market) -> [T] {
        rows.sorted { Array(market.children[child($0)].id.utf8).lexicographicallyPrecedes(market.children[child($1)].id.utf8) }
    }

    public static func matchesCSV(_ run: BatchRun) -> String {
        let market = run.market
        var out = CSVCell.line(matchesHeader)
        let name = laNames(market)
        for m in byChildId(run.report.matches, { $0.child }, market) {
            let c = market.children[m.child], p = market.placements[m.placement]
            out += CSVCell.line([c.id, p.id, p.type.rawValue, c.laCode, p.laCode, Fixed.km(m.cost.distanceKm),
                                 Fixed.risk(m.cost.risk), Fixed.cost(p.weeklyCost), m.crossRcc ? "true" : "false",
                                 m.withSiblings ? "true" : "false", Fixed.cost(m.cost.total), String(m.choiceRank),
                                 String(m.eligibleCount), name(c.laCode), name(p.laCode)])
        }
        return out
    }

    public static func unmatchedCSV(_ run: BatchRun) -> String {
        let market = run.market
        var out = CSVCell.line(unmatchedHeader)
        let name = laNames(market)
        for u in byChildId(run.report.unmatched, { $0.child }, market) {
            let c = market.children[u.child]
            out += CSVCell.line([c.id, c.laCode, String(u.eligibleCount), u.reason.rawValue, u.detail, name(c.laCode)])
        }
        return out
    }

    public static func round6(_ v: Double) -> Double { (v * 1e6).rounded(.toNearestOrAwayFromZero) / 1e6 }

    /// A JSON object of the other commands' outputs (what-if, validate, explain), pretty, keys
    /// sorted; `{}` only if it holds a value JSON cannot hold (summary.json is `BatchSummary`).
    public static func json(_ object: [String: Any]) -> Data {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return data + Data("\n".utf8)
    }

    /// Writes the three files (and `extraFiles`, such as report.html) into `directory`, whole or
    /// not at all.
    public static func write(_ run: BatchRun, to directory: URL, inputHash: String,
                             extraTimings: [(String, Double)] = [],
                             extraFiles: [(String, Data)] = []) throws(AtomicOutput.Failure) {
        let summary: Data
        do { summary = try BatchSummary(run, inputHash: inputHash, extraTimings: extraTimings).json() } catch {
            throw AtomicOutput.Failure(description: "cannot write summary.json: \(error)")
        }
        try AtomicOutput.writeDirectory(directory, files: [
            ("matches.csv", Data(matchesCSV(run).utf8)),
            ("unmatched.csv", Data(unmatchedCSV(run).utf8)),
            ("summary.json", summary),
        ] + extraFiles)
    }
}
