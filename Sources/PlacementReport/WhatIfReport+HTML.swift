// The what-if's report.html: same page style, map and script as the night's report.

import Foundation
import Plot
import PlacementEngine
import PlacementWhatIf

extension WhatIfReport {
    /// The changed-proposals table stops here (changed.csv holds them all).
    public static let tableRowLimit = 2_000

    public func html() -> String {
        ReportAssets.page(title: title, subtitle: "Baseline against scenario",
                          sections: [glanceSection(), mapSection(), chartsSection(), changedSection()])
    }

    func glanceSection() -> BodyNode {
        .section(.id("glance"),
            .h2("The scenario at a glance"),
            .ul(.id("effects"), .forEach(effects) { .li(.text($0)) }),
            .table(.class("figures comparison"),
                .thead(.tr(.th(""), .th("baseline"), .th("scenario"), .th("change"))),
                .tbody(.forEach(rows) { r in
                    .tr(.td(.text(r.metric)), .td(.class("n"), .text(r.baseline)), .td(.class("n"), .text(r.scenario)),
                        .td(.class(r.better == true ? "n up" : r.better == false ? "n down" : "n"), .text(r.change)))
                })),
            .p(.class("muted"), .text("Baseline: \(baselineStatus). Scenario: \(scenarioStatus). \(PlainWords.count(changed.count, "child", "children")) would get a different proposal.")),
            .unwrap(note) { .p(.class("status status-feasible"), .text($0)) }
        )
    }

    func mapSection() -> BodyNode {
        .section(.id("map"), .h2("Whose proposal changes"), .group(map.nodes(labelSize: labelSize)))
    }

    func chartsSection() -> BodyNode {
        .section(.id("charts"),
            .h2("Baseline and scenario by RCC and placement type"),
            .div(.class("legend"), .span(.class("key baseline-bar"), .text("baseline")), .span(.class("key scenario-bar"), .text("scenario"))),
            .div(.class("charts"),
                 SVG.pairedBars(withinByRCC, id: "chart-rcc", caption: "Share of placed children within 20 miles of home, by the child's RCC"),
                 SVG.pairedBars(placedByType, id: "chart-types", caption: "Children placed, by the type of home proposed"))
        )
    }

    func changedSection() -> BodyNode {
        let shown = changed.prefix(Self.tableRowLimit)
        func cell(_ o: ChildOutcome) -> String {
            guard let p = o.proposal else { return "not placed" }
            return "\(p.placementId) (\(PlainWords.type(p.type)), \(PlainWords.km(p.km)))"
        }
        return .section(.id("changed"),
            .h2(.text("Changed proposals (\(PlainWords.grouped(changed.count)))")),
            .if(changed.isEmpty, .p(.text("No child's proposal changes."))),
            .if(!changed.isEmpty, .table(.class("figures"),
                .thead(.tr(.th("child"), .th("RCC"), .th("baseline"), .th("scenario"), .th("cost change (points)"))),
                .tbody(.forEach(Array(shown)) { ch in
                    .tr(.td(.text(ch.childId)), .td(.text(ch.childRcc)), .td(.text(cell(ch.baseline))), .td(.text(cell(ch.scenario))),
                        .td(.class("n"), .text(Fixed.format(ch.scenario.cost - ch.baseline.cost, decimals: 1))))
                }))),
            .if(changed.count > shown.count, .p(.class("muted"), .text("The first \(PlainWords.grouped(shown.count)) by child id; changed.csv holds them all.")))
        )
    }
}
