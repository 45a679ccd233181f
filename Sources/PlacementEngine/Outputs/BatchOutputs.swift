// matches.csv, unmatched.csv and summary.json (spec section 6), built in memory and written atomically.

import Foundation

public enum BatchOutputs {
    public static let matchesHeader = ["child_id", "placement_id", "type", "child_la", "placement_la", "distance_km",
                                       "risk", "weekly_cost", "cross_rcc", "with_siblings", "arc_cost", "choice_rank",
                                       "eligible_count"]
    public static let unmatchedHeader = ["child_id", "la_code", "eligible_count", "reason", "detail"]

    /// Rows sorted by child_id in byte order.
    static func byChildId<T>(_ rows: [T], _ child: (T) -> Int, _ market: Market) -> [T] {
        rows.sorted { Array(market.children[child($0)].id.utf8).lexicographicallyPrecedes(market.children[child($1)].id.utf8) }
    }

    public static func matchesCSV(_ run: BatchRun) -> String {
        let market = run.market
        var out = CSVCell.line(matchesHeader)
        for m in byChildId(run.report.matches, { $0.child }, market) {
            let c = market.children[m.child], p = market.placements[m.placement]
            out += CSVCell.line([c.id, p.id, p.type.rawValue, c.laCode, p.laCode, Fixed.km(m.cost.distanceKm),
                                 Fixed.risk(m.cost.risk), Fixed.cost(p.weeklyCost), m.crossRcc ? "true" : "false",
                                 m.withSiblings ? "true" : "false", Fixed.cost(m.cost.total), String(m.choiceRank),
                                 String(m.eligibleCount)])
        }
        return out
    }

    public static func unmatchedCSV(_ run: BatchRun) -> String {
        let market = run.market
        var out = CSVCell.line(unmatchedHeader)
        for u in byChildId(run.report.unmatched, { $0.child }, market) {
            let c = market.children[u.child]
            out += CSVCell.line([c.id, c.laCode, String(u.eligibleCount), u.reason.rawValue, u.detail])
        }
        return out
    }

    /// summary.json as a JSON object (keys sorted when serialised).
    public static func summary(_ run: BatchRun, inputHash: String, extraTimings: [(String, Double)] = []) -> [String: Any] {
        let s = run.solution
        let report = run.report
        var perRCC: [String: Any] = [:]
        for (name, f) in report.perRCC {
            perRCC[name] = [
                "placed": f.placed, "unmatched": f.unmatched,
                "mean_km": round6(f.meanKm), "share_over_20_miles": round6(f.shareOverTwentyMiles),
                "mean_risk": round6(f.meanRisk), "total_weekly_cost": round6(f.totalWeeklyCost),
            ]
        }
        var timings: [String: Any] = [:]
        for (name, secs) in run.clock.stages + extraTimings { timings[name] = round6(secs) }
        var policy: [String: Any] = [:]
        for (key, path) in Policy.keyPaths {
            let parts = key.split(separator: ".").map(String.init)
            let value: Any = switch run.market.policy[keyPath: path] {
            case .number(let v): v
            case .boolean(let b): b
            }
            if parts.count == 1 { policy[parts[0]] = value } else {
                var nested = policy[parts[0]] as? [String: Any] ?? [:]
                nested[parts[1]] = value
                policy[parts[0]] = nested
            }
        }
        let st = s.statistics
        return [
            "status": s.status.rawValue,
            "stop_reason": s.stopReason.rawValue,
            "objective": round6(s.objective),
            "best_bound": s.bestBound.isFinite ? round6(s.bestBound) as Any : NSNull(),
            "gap": s.bestBound.isFinite ? s.gap as Any : NSNull(),
            "counts": [
                "children": run.market.children.count,
                "placed": report.matches.count,
                "unmatched": report.unmatched.count,
                "placed_together_groups": report.placedTogetherGroups,
                "placements": run.market.placements.count,
            ],
            "per_rcc": perRCC,
            "timings_s": timings,
            "policy": policy,
            "input_hash": inputHash,
            "engine_version": EngineInfo.version,
            "solver": [
                "backend": st.backend,
                "pricing_rounds": st.pricingRounds,
                "components": st.components,
                "largest_component_children": st.largestComponentChildren,
                "columns": st.columns, "rows": st.rows, "nonzeros": st.nonZeros,
                "proof_options": st.proofAdditions,
                "proof_skipped": st.proofSkipped,
                "branch_nodes": st.branchNodes,
                "seconds": ["lp": round6(st.lpSeconds), "pricing": round6(st.pricingSeconds),
                            "first_plan": round6(st.firstPlanSeconds), "integer": round6(st.mipSeconds)],
                "lp_bound": st.lpBound.isFinite ? round6(st.lpBound) as Any : NSNull(),
            ],
            "warnings": run.market.warnings,
        ]
    }

    static func round6(_ v: Double) -> Double { (v * 1e6).rounded(.toNearestOrAwayFromZero) / 1e6 }

    public static func json(_ object: [String: Any]) -> Data {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return data + Data("\n".utf8)
    }

    /// Writes the three files into `directory`, whole or not at all.
    public static func write(_ run: BatchRun, to directory: URL, inputHash: String,
                             extraTimings: [(String, Double)] = []) throws(AtomicOutput.Failure) {
        try AtomicOutput.writeDirectory(directory, files: [
            ("matches.csv", Data(matchesCSV(run).utf8)),
            ("unmatched.csv", Data(unmatchedCSV(run).utf8)),
            ("summary.json", json(summary(run, inputHash: inputHash, extraTimings: extraTimings))),
        ])
    }
}
