import ArgumentParser
import Foundation
import PlacementEngine

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "One child's eligible placements ranked by arc cost, and the placements each rule excluded.")

    @OptionGroup var input: MarketOptions
    @Option(help: "The child's id.")
    var child: String
    @Option(help: "How many eligible placements to list.")
    var top = 10
    @Option(help: "How many excluded placement ids to name per rule.")
    var examples = 5
    @OptionGroup var style: OutputStyle

    func validate() throws {
        guard top >= 1, examples >= 0 else { throw ValidationError("--top must be at least 1 and --examples at least 0") }
    }

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        do {
            let market = try input.load()
            let index: MarketIndex
            do { index = try MarketIndex(market) } catch { throw .usage("\(error)") }
            guard let c = index.childIndex[child] else { throw .usage("no child \(child) in \(input.market)") }
            let explanation = ChildExplanation(index: index, child: c)
            if style.json {
                FileHandle.standardOutput.write(BatchOutputs.json(explanation.jsonObject(top: top, examples: examples)))
            } else if !style.quiet {
                print(render(explanation))
            }
        }
    }

    func render(_ e: ChildExplanation) -> String {
        let market = e.index.market
        let ch = market.children[e.child]
        var lines = ["Child \(ch.id) (LA \(ch.laCode), \(e.index.rcc(ofChild: e.child))): \(e.eligible.count) eligible placement\(e.eligible.count == 1 ? "" : "s") of \(market.placements.count); unmatched would cost \(Fixed.cost(e.index.unmatchedCost(e.child)))."]
        if e.index.isGroupMember(e.child) {
            lines.append("In sibling group \(ch.siblingGroup ?? ""): costs below are for the child placed apart from it (with split_penalty); placed together the group pays the unseparated costs.")
        }
        lines.append("")
        let header = ["rank", "placement", "type", "LA", "km", "risk", "dist.", "risk cost", "fee", "cross-RCC", "not pref.", "split", "arc cost"]
        let rows = e.eligible.prefix(top).enumerated().map { i, entry -> [String] in
            let p = market.placements[entry.placement]
            let b = entry.cost
            return [String(i + 1), p.id, p.type.rawValue, p.laCode, Fixed.km(b.distanceKm), Fixed.risk(b.risk),
                    Fixed.cost(b.distanceCost), Fixed.cost(b.riskCost), Fixed.cost(b.feeCost), Fixed.cost(b.crossRccPenalty),
                    Fixed.cost(b.notPreferredPenalty), Fixed.cost(b.splitPenalty), Fixed.cost(b.total)]
        }
        lines.append(rows.isEmpty ? "No eligible placement." : TextTable.render(header: header, rows: rows))
        lines.append("")
        lines.append("Excluded, by rule (a placement breaking several rules counts under each):")
        for rule in Rule.allCases {
            let ids = e.excluded[rule] ?? []
            guard !ids.isEmpty else { continue }
            let named = ids.prefix(examples).map { market.placements[$0].id }.joined(separator: ", ")
            lines.append("  \(rule.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(ids.count).leftPad(6))  \(named)\(ids.count > examples ? ", ..." : "")")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ n: Int) -> String { String(repeating: " ", count: max(0, n - count)) + self }
}
