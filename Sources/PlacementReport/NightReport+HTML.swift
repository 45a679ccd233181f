// report.html: one self-contained page (inline CSS, SVG and a few lines of script; nothing from the
// network) that a commissioner opens in a browser and prints. Laid out with Plot from the typed
// `NightReport`; every section has an id the browser test looks for.

import Foundation
import Plot
import PlacementEngine

extension NightReport {
    /// The proposals table stops at this many rows (the page stays a few megabytes at national
    /// scale; matches.csv holds them all).
    public static let tableRowLimit = 2_000

    /// The whole page.
    public func html() -> String {
        ReportAssets.page(title: title, subtitle: generatedFor,
                          sections: [glanceSection(), mapSection(), chartsSection(), unplacedSection(), equitySection(),
                                     proposalsSection(), policySection()])
    }

    // MARK: Tonight at a glance

    func glanceSection() -> BodyNode {
        func card(_ id: String, _ figure: String, _ label: String, _ note: String = "") -> BodyNode {
            .div(.class("card"), .id("glance-" + id),
                 .div(.class("figure"), .text(figure)),
                 .div(.class("label"), .text(label)),
                 .if(!note.isEmpty, .div(.class("note"), .text(note))))
        }
        let share = { (n: Int, of: Int) in of == 0 ? "0%" : "\(Int((100 * Double(n) / Double(of)).rounded()))%" }
        return .section(.id("glance"),
            .h2("Tonight at a glance"),
            .div(.class("cards"),
                 card("placed", PlainWords.grouped(placed), "children placed", "of \(PlainWords.grouped(children)) referred (\(share(placed, children)))"),
                 card("unplaced", PlainWords.grouped(unplaced), "children not placed", unplaced == 0 ? "" : "each explained below"),
                 card("siblings", PlainWords.grouped(placedWithSiblings), "placed with all their siblings",
                      PlainWords.count(siblingGroupsTogether, "sibling group") + " kept together"),
                 card("near", share(withinTwentyMiles, placed), "placed within 20 miles of home",
                      "\(PlainWords.grouped(withinTwentyMiles)) of \(PlainWords.grouped(placed)) placed"),
                 card("risk", "\(Fixed.format(100 * meanRisk, decimals: 1))%", "mean predicted chance of breakdown",
                      "within a year (spec section 5 model)"),
                 card("cost", PlainWords.pounds(weeklyCost), "a week in fees", "for the children placed")),
            .p(.class("status status-\(status.rawValue)"), .id("status-words"), .strong(.text("How good is this plan? ")), .text(statusWords)),
            .p(.class("muted"), .text("Objective \(PlainWords.points(objective)) (1 point is about 1 km of distance; see the policy below)"
                + (bestBound.isFinite ? "; best bound \(PlainWords.points(bestBound))." : ".")
                + " People decide: these are proposals."))
        )
    }

    // MARK: The map

    func mapSection() -> BodyNode {
        .section(.id("map"), .h2("Where tonight's children would live"), .group(map.nodes(labelSize: labelSize)))
    }

    // MARK: Charts

    func chartsSection() -> BodyNode {
        let rccBars = byRCC.map { g in
            Bar(label: g.label, value: 100 * g.withinShare,
                text: "\(Int((100 * g.withinShare).rounded()))% of \(PlainWords.grouped(g.placed)) placed")
        }
        return .section(.id("charts"),
            .h2("Distance, placement types and cost"),
            .div(.class("charts"),
                 SVG.histogram(distanceBins, binWidthKm: distanceBinWidth, id: "chart-distance",
                               caption: "How far children would live from home (children per distance band; the dashed line is 20 miles)"),
                 SVG.bars(rccBars, id: "chart-rcc", caption: "Share placed within 20 miles of home, by RCC"),
                 SVG.bars(byType, id: "chart-types", caption: "Children placed, by placement type", color: "#009E73"),
                 SVG.bars(costByType, id: "chart-cost", caption: "Weekly fees of tonight's proposals, by placement type", color: "#D55E00"))
        )
    }

    // MARK: Unplaced children

    func unplacedSection() -> BodyNode {
        let urgencyWords: [Urgency: String] = [.today: "needed today", .within_5_days: "needed within 5 days", .after_5_days: "needed after 5 days"]
        let entries: [BodyNode] = unplacedChildren.map { u in
            .article(.class("unplaced-child"), .id("unplaced-" + u.childId),
                .h3(.text("\(u.childId) · \(u.laName) · \(urgencyWords[u.urgency]!)")),
                .p(.class("who"), .text(capitalised(u.who) + ".")),
                .p(.class("why"), .text(u.why)),
                .if(!u.ruleLines.isEmpty, .group([
                    .p(.text("What ruled homes out (a home can break several rules):")),
                    .ul(.class("rules"), .forEach(u.ruleLines) { .li(.text($0)) }),
                ])),
                .if(!u.nearMisses.isEmpty, .group([
                    .p(.strong(.text("Nearest misses")), .text(" (homes only one rule keeps from this child, cheapest first):")),
                    .ul(.class("misses"), .forEach(u.nearMisses) { .li(.text($0)) }),
                ])),
                .unwrap(u.change) { .p(.class("change"), .strong(.text("What would change it: ")), .text($0)) }
            )
        }
        return .section(.id("unplaced"),
            .h2(.text("Children not placed tonight (\(PlainWords.grouped(unplaced)))")),
            .if(unplaced == 0, .p(.text("Every child referred tonight has a proposal."))),
            .group(entries),
            .if(unplacedNotShown > 0, .p(.class("muted"), .text("\(PlainWords.count(unplacedNotShown, "more child", "more children")) not placed: see unmatched.csv for each one's reason.")))
        )
    }

    // MARK: Equity

    func equitySection() -> BodyNode {
        .section(.id("equity"),
            .h2("Equity: who is placed, how far and at what risk"),
            .p(.class("muted"), .text("By the child's local authority, age, sex and disability need. The engine holds no ethnicity or religion, so it reports neither.")),
            groupTable("By local authority", "local authority", byLA, id: "equity-la"),
            .div(.class("tables"),
                 groupTable("By age", "age band", byAge, id: "equity-age"),
                 groupTable("By sex", "sex", bySex, id: "equity-sex"),
                 groupTable("By disability need", "disability", byDisability, id: "equity-disability"))
        )
    }

    func groupTable(_ caption: String, _ first: String, _ rows: [GroupFigures], id: String) -> BodyNode {
        let pct = { (v: Double) in "\(Fixed.format(100 * v, decimals: 0))%" }
        return .table(.id(id), .class("figures"),
            .caption(.text(caption)),
            .thead(.tr(.th(.text(first)), .th("children"), .th("placed"), .th("placed share"), .th("mean km"),
                       .th("within 20 miles"), .th("mean risk"))),
            .tbody(.forEach(rows) { g in
                .tr(.td(.text(g.label)), .td(.class("n"), .text(PlainWords.grouped(g.children))), .td(.class("n"), .text(PlainWords.grouped(g.placed))),
                    .td(.class("n"), .text(pct(g.placedShare))), .td(.class("n"), .text(g.placed == 0 ? "–" : Fixed.format(g.meanKm, decimals: 1))),
                    .td(.class("n"), .text(g.placed == 0 ? "–" : pct(g.withinShare))),
                    .td(.class("n"), .text(g.placed == 0 ? "–" : "\(Fixed.format(100 * g.meanRisk, decimals: 1))%")))
            })
        )
    }

    // MARK: Proposals and policy

    func proposalsSection() -> BodyNode {
        let shown = proposals.prefix(Self.tableRowLimit)
        return .section(.id("proposals"),
            .h2(.text("Every proposal (\(PlainWords.grouped(proposals.count)))")),
            .details(.summary(.text(proposals.count > shown.count ? "The first \(PlainWords.grouped(shown.count)) by child id (all in matches.csv)" : "Show the table")),
                .table(.class("figures"),
                    .thead(.tr(.th("child"), .th("child's LA"), .th("placement"), .th("type"), .th("home's LA"), .th("distance"),
                               .th("risk"), .th("weekly fee"), .th("with siblings"), .th("choice"))),
                    .tbody(.forEach(Array(shown)) { m in
                        .tr(.td(.text(m.childId)), .td(.text(m.childLA)), .td(.text(m.placementId)), .td(.text(PlainWords.type(m.type))),
                            .td(.text(m.homeLA)), .td(.class("n"), .text(PlainWords.kmAndMiles(m.km))),
                            .td(.class("n"), .text("\(Fixed.format(100 * m.risk, decimals: 1))%")),
                            .td(.class("n"), .text(PlainWords.pounds(m.weeklyCost))), .td(.text(m.withSiblings ? "yes" : "")),
                            .td(.class("n"), .text(m.choiceRank == 1 ? "1st" : "\(m.choiceRank)")))
                    })
                )
            )
        )
    }

    func policySection() -> BodyNode {
        .section(.id("policy"),
            .h2("The policy used tonight"),
            .p(.class("muted"), .text("Costs are in points: 1 point is about 1 km of distance; w_risk × 100 points per unit of breakdown risk; w_cost points per £100 a week. Leaving a child unplaced costs unmatched_penalty plus the urgency penalty.")),
            .table(.class("figures policy"),
                .thead(.tr(.th("key"), .th("value"))),
                .tbody(.forEach(policy) { entry in .tr(.td(.code(.text(entry.key))), .td(.class("n"), .text(entry.value))) })),
            .if(!warnings.isEmpty, .group([
                .h3("Warnings about tonight's input"),
                .ul(.id("warnings"), .forEach(warnings) { .li(.text($0)) }),
            ])),
            .p(.class("muted"), .text("Input hash \(inputHash)."))
        )
    }

    func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
