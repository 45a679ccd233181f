// What-if's files: diff.csv, changed.csv and diff.json for a comparison; sweep.csv and sweep.json
// for a sweep. Numbers as the batch writes them (fixed decimals, rounded half away from zero). The
// CSV files hold no timings, so the same inputs give the same bytes.

import Foundation
import PlacementEngine
import PlacementGenerator

public enum WhatIfOutputs {
    public static let diffHeader = ["scope", "group", "metric", "baseline", "scenario", "change"]
    public static let changedHeader = [
        "child_id", "child_rcc",
        "baseline_placement", "baseline_type", "baseline_rcc", "baseline_km", "baseline_weekly_cost", "baseline_cost",
        "scenario_placement", "scenario_type", "scenario_rcc", "scenario_km", "scenario_weekly_cost", "scenario_cost",
        "cost_change",
    ]
    public static let sweepHeader = [
        "rank", "rcc", "type", "places_added", "homes_added", "new_places_used", "children_newly_placed",
        "objective_saved", "objective_saved_per_place", "km_saved", "risk_avoided", "objective", "status", "proven_gap",
    ]

    /// A metric of `OutcomeFigures`: its name, value and decimals (`nil` value: not defined for the group).
    static func metrics(_ f: OutcomeFigures) -> [(name: String, value: Double?, decimals: Int)] {
        [("placed", Double(f.placed), 0),
         ("unmatched", f.unmatched.map(Double.init), 0),
         ("mean_km", f.meanKm, 2),
         ("share_over_20_miles", f.shareOverTwentyMiles, 4),
         ("mean_risk", f.meanRisk, 4),
         ("total_weekly_cost", f.totalWeeklyCost, 2),
         ("cross_rcc", Double(f.crossRcc), 0)]
    }

    // MARK: Comparison

    public static func diffCSV(_ c: WhatIfComparison) -> String {
        var out = CSVCell.line(diffHeader)
        out += CSVCell.line(["total", "total", "objective", Fixed.format(c.baseline.objective, decimals: 6),
                             Fixed.format(c.outcome.objective, decimals: 6), Fixed.format(c.objectiveChange, decimals: 6)])
        for g in c.groups {
            for (a, b) in zip(metrics(g.baseline), metrics(g.scenario)) {
                guard let x = a.value, let y = b.value else { continue }
                out += CSVCell.line([g.scope.rawValue, g.name, a.name, Fixed.format(x, decimals: a.decimals),
                                     Fixed.format(y, decimals: a.decimals), Fixed.format(y - x, decimals: a.decimals)])
            }
        }
        return out
    }

    public static func changedCSV(_ c: WhatIfComparison) -> String {
        var out = CSVCell.line(changedHeader)
        func cells(_ o: ChildOutcome) -> [String] {
            guard let p = o.proposal else { return ["", "unmatched", "", "", "", Fixed.cost(o.cost)] }
            return [p.placementId, p.type.rawValue, p.rcc, Fixed.km(p.km), Fixed.cost(p.weeklyCost), Fixed.cost(o.cost)]
        }
        for ch in c.changed {
            out += CSVCell.line([ch.childId, ch.childRcc] + cells(ch.baseline) + cells(ch.scenario)
                                + [Fixed.cost(ch.scenario.cost - ch.baseline.cost)])
        }
        return out
    }

    static func runJSON(_ r: RunFigures) -> [String: Any] {
        [
            "status": r.status.rawValue,
            "objective": BatchOutputs.round6(r.objective),
            "best_bound": r.bestBound.isFinite ? BatchOutputs.round6(r.bestBound) as Any : NSNull(),
            "gap": r.bestBound.isFinite ? r.gap as Any : NSNull(),
            "children": r.children, "placed": r.placed, "unmatched": r.unmatched,
            "placements": r.placements, "places": r.places,
            "seconds": BatchOutputs.round6(r.seconds),
        ]
    }

    static func figuresJSON(_ f: OutcomeFigures) -> [String: Any] {
        var out: [String: Any] = [:]
        for m in metrics(f) {
            out[m.name] = m.value.map { BatchOutputs.round6($0) as Any } ?? NSNull()
        }
        return out
    }

    static func outcomeJSON(_ o: ChildOutcome) -> [String: Any] {
        guard let p = o.proposal else { return ["placement_id": NSNull(), "cost": BatchOutputs.round6(o.cost)] }
        return ["placement_id": p.placementId, "type": p.type.rawValue, "rcc": p.rcc,
                "km": BatchOutputs.round6(p.km), "risk": BatchOutputs.round6(p.risk),
                "weekly_cost": BatchOutputs.round6(p.weeklyCost), "cost": BatchOutputs.round6(o.cost)]
    }

    static func scenarioJSON(_ s: Scenario, effects: [ChangeEffect]) -> [String: Any] {
        [
            "name": s.name,
            "seed": s.seed,
            "changes": effects.map { e -> [String: Any] in
                ["change": e.change.summary, "effect": e.description,
                 "added": e.addedPlacements, "removed": e.removedPlacements,
                 "places_before": e.placesBefore, "places_after": e.placesAfter]
            },
        ]
    }

    public static func diffJSON(_ c: WhatIfComparison) -> [String: Any] {
        [
            "scenario": scenarioJSON(c.scenario, effects: c.effects),
            "baseline": runJSON(c.baseline),
            "outcome": runJSON(c.outcome),
            "objective_change": BatchOutputs.round6(c.objectiveChange),
            "resolution": BatchOutputs.round6(c.resolution),
            "groups": c.groups.map { g -> [String: Any] in
                var change: [String: Any] = [:]
                for (a, b) in zip(metrics(g.baseline), metrics(g.scenario)) {
                    if let x = a.value, let y = b.value { change[a.name] = BatchOutputs.round6(y - x) } else { change[a.name] = NSNull() }
                }
                return ["scope": g.scope.rawValue, "name": g.name, "baseline": figuresJSON(g.baseline),
                        "scenario": figuresJSON(g.scenario), "change": change]
            },
            "changed_children": c.changed.count,
            "changed": c.changed.map { ch -> [String: Any] in
                ["child_id": ch.childId, "child_rcc": ch.childRcc, "baseline": outcomeJSON(ch.baseline),
                 "scenario": outcomeJSON(ch.scenario), "cost_change": BatchOutputs.round6(ch.scenario.cost - ch.baseline.cost)]
            },
            "seconds": BatchOutputs.round6(c.seconds),
            "engine_version": EngineInfo.version,
        ]
    }

    /// diff.csv, diff.json and changed.csv, for `AtomicOutput.writeDirectory`.
    public static func comparisonFiles(_ c: WhatIfComparison) -> [(name: String, data: Data)] {
        [("diff.csv", Data(diffCSV(c).utf8)),
         ("diff.json", BatchOutputs.json(diffJSON(c))),
         ("changed.csv", Data(changedCSV(c).utf8))]
    }

    // MARK: Sweep

    public static func sweepCSV(_ s: CapacitySweep) -> String {
        var out = CSVCell.line(sweepHeader)
        for r in s.rows {
            out += CSVCell.line([String(r.rank), r.rcc, r.type.rawValue, String(r.placesAdded), String(r.homesAdded),
                                 String(r.newPlacesUsed), String(r.childrenNewlyPlaced),
                                 Fixed.format(r.objectiveSaved, decimals: 6), Fixed.format(r.objectiveSavedPerPlace, decimals: 6),
                                 Fixed.km(r.kmSaved), Fixed.risk(r.riskAvoided), Fixed.format(r.objective, decimals: 6),
                                 r.status.rawValue, Fixed.format(r.provenGap, decimals: 6)])
        }
        return out
    }

    public static func sweepJSON(_ s: CapacitySweep, scenario: Scenario? = nil, effects: [ChangeEffect] = []) -> [String: Any] {
        var out: [String: Any] = [
            "places_per_variant": s.options.places,
            "types": s.options.types.map(\.rawValue),
            "rccs": s.rccs,
            "resolution": BatchOutputs.round6(s.resolution),
            "note": CapacitySweep.kinshipNote,
            "seed": s.options.seed,
            "base": runJSON(s.base),
            "rows": s.rows.map { r -> [String: Any] in
                ["rank": r.rank, "rcc": r.rcc, "type": r.type.rawValue, "places_added": r.placesAdded,
                 "homes_added": r.homesAdded, "new_places_used": r.newPlacesUsed,
                 "children_newly_placed": r.childrenNewlyPlaced,
                 "objective_saved": BatchOutputs.round6(r.objectiveSaved),
                 "objective_saved_per_place": BatchOutputs.round6(r.objectiveSavedPerPlace),
                 "km_saved": BatchOutputs.round6(r.kmSaved), "risk_avoided": BatchOutputs.round6(r.riskAvoided),
                 "objective": BatchOutputs.round6(r.objective), "status": r.status.rawValue,
                 "proven_gap": BatchOutputs.round6(r.provenGap),
                 "added": r.added, "seconds": BatchOutputs.round6(r.seconds), "cpu_seconds": cpuJSON(r.cpu)]
            },
            "threads": s.options.threads,
            "seconds": BatchOutputs.round6(s.seconds),
            "cpu_seconds": ["base": cpuJSON(s.baseCPU), "total": BatchOutputs.round6(s.totalCPUSeconds)],
            "engine_version": EngineInfo.version,
        ]
        if let scenario, !scenario.changes.isEmpty { out["scenario"] = scenarioJSON(scenario, effects: effects) }
        return out
    }

    static func cpuJSON(_ c: SweepCPU) -> [String: Any] {
        ["arcs": BatchOutputs.round6(c.arcs), "solve": BatchOutputs.round6(c.solve), "total": BatchOutputs.round6(c.total)]
    }

    /// sweep.csv and sweep.json, for `AtomicOutput.writeDirectory`.
    public static func sweepFiles(_ s: CapacitySweep, scenario: Scenario? = nil, effects: [ChangeEffect] = []) -> [(name: String, data: Data)] {
        [("sweep.csv", Data(sweepCSV(s).utf8)),
         ("sweep.json", BatchOutputs.json(sweepJSON(s, scenario: scenario, effects: effects)))]
    }
}
