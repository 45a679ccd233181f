// The simulation's report.html (issue 14): the same page style and script as the night's and the
// what-if's reports. The figures across seeds with their 95% intervals, then line charts over the
// nights comparing the scenarios: children waiting, distance from home, fees of the placements made.

import Foundation
import Plot
import PlacementEngine
import PlacementSimulation

public struct SimulationReport {
    public let result: SimulationResult
    public init(result: SimulationResult) { self.result = result }

    /// Okabe-Ito colours for the series: the baseline grey, then scenarios.
    static let colours = ["#5b6570", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]

    var title: String { "A year of nights: \(result.region), \(result.settings.days) nights" }

    public func html() -> String {
        ReportAssets.page(title: title, subtitle: "Sufficiency simulation · \(result.settings.seeds) seeds",
                          sections: [glanceSection(), waitingSection(), distanceSection(), costSection(), modelSection()])
    }

    func glanceSection() -> BodyNode {
        let s = result.summaries
        return .section(.id("glance"),
            .h2("The scenarios at a glance"),
            .ul(.id("scenarios"), .forEach(Array(result.scenarios.enumerated())) { i, sc in
                .li(.span(.style("color: \(Self.colours[i % Self.colours.count]); font-weight: 600"), .text(i == 0 ? "Baseline" : "Scenario \(i): \(sc.name)")),
                    .text(i == 0 ? ": the stock as generated, no change." : ", from night \(sc.fromDay)."),
                    .if(i > 0, .ul(.forEach(result.runs[i].first?.effects ?? []) { .li(.text($0)) })))
            }),
            .table(.class("figures comparison"),
                .thead(.tr(.th("mean over \(result.settings.seeds) seeds ± 95% interval"),
                           .forEach(Array(s.indices)) { i in .group(.th(.text(i == 0 ? "baseline" : "scenario \(i)")), .if(i > 0, .th("change"))) })),
                .tbody(.forEach(RunTotals.metrics) { m in
                    .tr(.td(.text(m.label)), .forEach(Array(s.indices)) { i in
                        i == 0 ? .td(.class("n"), .text(Self.interval(s[i].estimates[m.key]!, m.decimals)))
                            : .group(.td(.class("n"), .text(Self.interval(s[i].estimates[m.key]!, m.decimals))),
                                     .td(.class("n"), .text(Self.interval(result.comparisons[i - 1].changes[m.key]!, m.decimals))))
                    })
                })),
            .p(.class("muted"), .text("A change is the scenario's figure less the baseline's with the same seed (the same referrals, declines and placement lengths), averaged over the seeds; an interval that includes 0 is a change the simulation cannot tell from chance."))
        )
    }

    static func interval(_ e: Estimate, _ decimals: Int) -> String {
        let m = Fixed.format(e.mean, decimals: decimals)
        return e.halfWidth.isFinite ? "\(m) ± \(Fixed.format(e.halfWidth, decimals: decimals))" : m
    }

    var series: [(name: String, colour: String)] {
        result.scenarios.enumerated().map { i, sc in (i == 0 ? "baseline" : "scenario \(i): \(sc.name)", Self.colours[i % Self.colours.count]) }
    }

    func legend() -> BodyNode {
        .div(.class("legend"), .forEach(series) { s in
            .span(.class("key"), .style("color: \(s.colour)"), .text(s.name))
        })
    }

    func waitingSection() -> BodyNode {
        .section(.id("waiting"), .h2("Children waiting over the year"), legend(),
                 Self.lineChart(result.summaries.map(\.meanWaitingByNight), colours: series.map(\.colour), id: "chart-waiting",
                                caption: "Children waiting after each night's match (mean over the seeds)", decimals: 0,
                                fromDays: result.scenarios.dropFirst().map(\.fromDay)))
    }

    func distanceSection() -> BodyNode {
        .section(.id("distance"), .h2("Distance from home"), legend(),
                 Self.lineChart(result.summaries.map { Self.weekly($0.meanKmByNight, mean: true) }, colours: series.map(\.colour), id: "chart-distance",
                                caption: "Mean km from home of the placements made, by week (mean over the seeds)", decimals: 1, xLabel: "week",
                                fromDays: []))
    }

    func costSection() -> BodyNode {
        .section(.id("cost"), .h2("Cost"), legend(),
                 Self.lineChart(result.summaries.map { Self.cumulative($0.weeklyCostByNight) }, colours: series.map(\.colour), id: "chart-cost",
                                caption: "Weekly fees of the placements made so far, summed (£ a week; mean over the seeds)", decimals: 0,
                                fromDays: result.scenarios.dropFirst().map(\.fromDay)))
    }

    func modelSection() -> BodyNode {
        let m = result.settings.model
        return .section(.id("model"), .h2("What the simulation assumes"),
            .ul(
                .li(.text("Referrals: \(Fixed.format(result.arrivalsPerNight, decimals: 1)) a night on average (Poisson): England's \(PlainWords.grouped(Int(m.placementsPerYear))) new placements a year times \(result.region)'s share of children looked after, with the synthetic generator's mix of ages, siblings, needs and care plans.")),
                .li(.text("Placements last on average \(Fixed.format(m.meanStayNights(.foster), decimals: 0)) nights in foster care, \(Fixed.format(m.meanStayNights(.residential), decimals: 0)) in children's homes and \(Fixed.format(m.meanStayNights(.supported), decimals: 0)) in supported accommodation (Little's law on the stock's occupancy; docs/simulation.md).")),
                .li(.text("Providers decline \(Fixed.format(100 * m.declineShare, decimals: 0))% of proposals; a declined pairing is not proposed again. A child not placed waits and comes back the next night with the waiting penalty.")),
                .li(.text("Each night is the engine's own nightly match on the children waiting and the homes with a free place."))
            ))
    }

    // MARK: Series helpers

    /// Weekly means (or sums) of a nightly series.
    static func weekly(_ v: [Double], mean: Bool) -> [Double] {
        stride(from: 0, to: v.count, by: 7).map { s in
            let week = v[s..<min(s + 7, v.count)]
            let nonzero = week.filter { $0 > 0 }
            return mean ? (nonzero.isEmpty ? 0 : nonzero.reduce(0, +) / Double(nonzero.count)) : week.reduce(0, +)
        }
    }

    static func cumulative(_ v: [Double]) -> [Double] {
        var s = 0.0
        return v.map { s += $0; return s }
    }

    /// A line chart of several series over the same x (1, 2, ...), with y axis at 0, half, top;
    /// dashed verticals where scenarios start.
    static func lineChart(_ series: [[Double]], colours: [String], id: String, caption: String, decimals: Int,
                          xLabel: String = "night", fromDays: [Int]) -> BodyNode {
        let width = 640.0, height = 260.0, left = 64.0, bottom = 36.0, top = 12.0, right = 12.0
        let plotW = width - left - right, plotH = height - top - bottom
        let count = series.map(\.count).max() ?? 0
        let most = max(1e-9, series.flatMap { $0 }.max() ?? 0)
        func x(_ i: Int) -> Double { left + (count <= 1 ? 0 : plotW * Double(i) / Double(count - 1)) }
        func y(_ v: Double) -> Double { top + plotH * (1 - v / most) }
        var nodes: [BodyNode] = []
        for f in [0.0, 0.5, 1.0] {
            let yy = top + plotH * (1 - f)
            nodes.append(SVG.element("line", [("x1", SVG.n(left)), ("x2", SVG.n(width - right)), ("y1", SVG.n(yy)), ("y2", SVG.n(yy)), ("class", "grid")]))
            nodes.append(SVG.text(left - 6, yy + 4, Fixed.format(most * f, decimals: decimals), anchor: "end"))
        }
        for (k, s) in series.enumerated() where !s.isEmpty {
            let points = s.enumerated().map { "\(SVG.n(x($0.offset))),\(SVG.n(y($0.element)))" }.joined(separator: " ")
            nodes.append(SVG.element("polyline", [("points", points), ("fill", "none"), ("stroke", colours[k % colours.count]),
                                                  ("stroke-width", "2"), ("class", "series")],
                                     [SVG.title("series \(k == 0 ? "baseline" : "scenario \(k)"): last \(Fixed.format(s.last ?? 0, decimals: decimals))")]))
        }
        for d in Set(fromDays).sorted() where d > 1 && d <= count {
            nodes.append(SVG.element("line", [("x1", SVG.n(x(d - 1))), ("x2", SVG.n(x(d - 1))), ("y1", SVG.n(top)), ("y2", SVG.n(top + plotH)),
                                              ("class", "twenty-miles")]))
            nodes.append(SVG.text(x(d - 1) + 4, top + 10, "scenario from night \(d)", cls: "label strong"))
        }
        nodes.append(SVG.text(left, height - 18, "1", anchor: "middle"))
        nodes.append(SVG.text(width - right, height - 18, String(count), anchor: "end"))
        nodes.append(SVG.text(left + plotW / 2, height - 4, xLabel, anchor: "middle", cls: "label muted"))
        return SVG.figure(id: id, caption: caption,
                          svg: SVG.element("svg", [("viewBox", "0 0 \(Int(width)) \(Int(height))"), ("role", "img"), ("aria-label", caption)], nodes))
    }
}
