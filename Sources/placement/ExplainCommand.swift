import ArgumentParser
import Foundation
import PlacementEngine

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "One child's eligible placements ranked by arc cost, the placements each rule excluded, and the nearest misses.",
        discussion: "With --out (the folder a match wrote), the child's proposal tonight is marked; for a child left unplaced, tonight's reason and, where tonight's plan shows it, the one extra place that would make room.")

    @OptionGroup var input: MarketOptions
    @Option(help: "The child's id.")
    var child: String
    @Option(help: "How many eligible placements to list.")
    var top = 10
    @Option(help: "How many excluded placement ids to name per rule.")
    var examples = 5
    @Option(help: "How many nearest misses (placements exactly one rule excludes) to list.")
    var misses = 3
    @Option(help: "The output folder of tonight's match (its --out), to mark the child's proposal.", completion: .directory)
    var out: String?
    @OptionGroup var style: OutputStyle

    func validate() throws {
        guard top >= 1, examples >= 0, misses >= 0 else {
            throw ValidationError("--top must be at least 1, --examples and --misses at least 0")
        }
    }

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        do {
            let market = try input.load()
            let index: MarketIndex
            do { index = try MarketIndex(market) } catch { throw .usage("\(error)") }
            guard let c = index.childIndex[child] else { throw .usage("no child \(child) in \(input.market)") }
            let explanation = ChildExplanation(index: index, child: c)
            let checker = EligibilityChecker(index: index)
            let nearMisses = UnplacedExplanation.nearMisses(child: c, index: index, checker: checker, limit: misses)
            let tonight = try out.map { folder throws(CLIFailure) in try Tonight.read(folder: folder, index: index) }
            if let tonight, tonight.inputHash != InputHash.of(folder: input.marketURL, policyOverride: input.policyURL) {
                Terminal.standardError("warning: \(out ?? "")/summary.json was written for another market or policy than \(input.market): tonight's proposals may not match it")
            }
            var extra: UnplacedExplanation.ExtraPlace?
            if let tonight, tonight.placement[c] == nil, tonight.unmatched[c]?.reason == "outcompeted" {
                extra = UnplacedExplanation.extraPlace(child: c, cheapestFirst: explanation.eligible.map { ($0.placement, $0.cost.total) },
                                                       index: index, checker: checker, occupants: tonight.occupants)
            }
            if style.json {
                var object = explanation.jsonObject(top: top, examples: examples)
                object["nearest_misses"] = nearMisses.map { m -> [String: Any] in
                    ["placement_id": index.market.placements[m.placement].id, "rule": m.rule.name, "arc_cost": m.cost.total,
                     "distance_km": m.cost.distanceKm, "obstacle": m.obstacle, "change": m.change ?? NSNull()]
                }
                if let tonight {
                    if let p = tonight.placement[c] {
                        object["tonight"] = ["placement_id": index.market.placements[p].id,
                                             "rank": explanation.eligible.firstIndex { $0.placement == p }.map { $0 + 1 } ?? NSNull()] as [String: Any]
                    } else {
                        object["tonight"] = ["placement_id": NSNull(), "reason": tonight.unmatched[c]?.reason ?? NSNull(),
                                             "detail": tonight.unmatched[c]?.detail ?? NSNull(),
                                             "extra_place": extra?.sentence ?? NSNull()] as [String: Any]
                    }
                }
                FileHandle.standardOutput.write(BatchOutputs.json(object))
            } else if !style.quiet {
                print(render(explanation, nearMisses: nearMisses, tonight: tonight, extra: extra))
            }
        }
    }

    func render(_ e: ChildExplanation, nearMisses: [UnplacedExplanation.NearMiss] = [], tonight: Tonight? = nil,
                extra: UnplacedExplanation.ExtraPlace? = nil) -> String {
        let market = e.index.market
        let ch = market.children[e.child]
        let laName = market.laNamesByCode
        var lines = ["Child \(ch.id) (LA \(ch.laCode) \(laName[ch.laCode] ?? ""), \(e.index.rcc(ofChild: e.child))), \(PlainWords.child(e.child, index: e.index)): \(e.eligible.count) eligible placement\(e.eligible.count == 1 ? "" : "s") of \(market.placements.count); unmatched would cost \(Fixed.cost(e.index.unmatchedCost(e.child)))."]
        if let tonight {
            if let p = tonight.placement[e.child] {
                let rank = e.eligible.firstIndex { $0.placement == p }.map { String($0 + 1) } ?? "?"
                lines.append("Tonight (\(out ?? "")): proposed \(market.placements[p].id), rank \(rank) below (marked *).")
            } else if let u = tonight.unmatched[e.child] {
                lines.append("Tonight (\(out ?? "")): not placed, \(u.reason)\(u.detail.isEmpty ? "" : " (\(u.detail))").")
                if let extra { lines.append(extra.sentence) }
            } else {
                lines.append("Tonight (\(out ?? "")): the child is in neither matches.csv nor unmatched.csv.")
            }
        }
        if e.index.isGroupMember(e.child) {
            lines.append("In sibling group \(ch.siblingGroup ?? ""): costs below are for the child placed apart from it (with split_penalty); placed together the group pays the unseparated costs.")
        }
        lines.append("")
        let header = ["rank", "placement", "type", "LA", "km", "risk", "dist.", "risk cost", "fee", "cross-RCC", "not pref.", "split", "arc cost"]
        let rows = e.eligible.prefix(top).enumerated().map { i, entry -> [String] in
            let p = market.placements[entry.placement]
            let b = entry.cost
            let mark = tonight?.placement[e.child] == entry.placement ? "*" : ""
            return [String(i + 1) + mark, p.id, p.type.rawValue, p.laCode, Fixed.km(b.distanceKm), Fixed.risk(b.risk),
                    Fixed.cost(b.distanceCost), Fixed.cost(b.riskCost), Fixed.cost(b.feeCost), Fixed.cost(b.crossRccPenalty),
                    Fixed.cost(b.notPreferredPenalty), Fixed.cost(b.splitPenalty), Fixed.cost(b.total)]
        }
        lines.append(rows.isEmpty ? "No eligible placement." : TextTable.render(header: header, rows: rows))
        if let tonight, let p = tonight.placement[e.child], !e.eligible.prefix(top).contains(where: { $0.placement == p }) {
            lines.append("(tonight's proposal \(market.placements[p].id) is beyond the first \(top); --top shows more)")
        }
        if !nearMisses.isEmpty {
            lines.append("")
            lines.append("Nearest misses (placements exactly one rule excludes, cheapest first):")
            for m in nearMisses {
                let p = market.placements[m.placement]
                lines.append("  \(p.id) (\(p.type.rawValue), \(laName[p.laCode] ?? p.laCode), arc cost \(Fixed.cost(m.cost.total)) if eligible): \(m.rule.name): it \(m.obstacle)"
                             + (m.change.map { "; eligible if \($0)" } ?? ""))
            }
        }
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

/// Tonight's answer as a match wrote it into its output folder (matches.csv, unmatched.csv and
/// summary.json's input hash), read back by child index.
struct Tonight {
    var placement: [Int: Int] = [:]
    var unmatched: [Int: (reason: String, detail: String)] = [:]
    var occupants: [Int: [Int]] = [:]
    var inputHash = ""

    static func read(folder: String, index: MarketIndex) throws(CLIFailure) -> Tonight {
        let dir = URL(fileURLWithPath: folder)
        func table(_ name: String) throws(CLIFailure) -> CSVTable {
            guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else {
                throw .usage("no \(name) in \(folder): --out takes the folder a match wrote")
            }
            let t = CSVTable.parse(Array(data), file: name)
            if let issue = t.issues.first { throw .usage("\(folder)/\(name): \(issue)") }
            return t
        }
        var tonight = Tonight()
        let matches = try table("matches.csv"), unmatched = try table("unmatched.csv")
        guard let mc = matches.columnIndex("child_id"), let mp = matches.columnIndex("placement_id"),
              let uc = unmatched.columnIndex("child_id"), let ur = unmatched.columnIndex("reason") else {
            throw .usage("\(folder): matches.csv or unmatched.csv lacks child_id, placement_id or reason")
        }
        let ud = unmatched.columnIndex("detail")
        for row in matches.rows where row.cells.count > max(mc, mp) {
            guard let c = index.childIndex[row.cells[mc]], let p = index.placementIndex[row.cells[mp]] else { continue }
            tonight.placement[c] = p
            tonight.occupants[p, default: []].append(c)
        }
        for row in unmatched.rows where row.cells.count > max(uc, ur) {
            guard let c = index.childIndex[row.cells[uc]] else { continue }
            tonight.unmatched[c] = (row.cells[ur], ud.flatMap { $0 < row.cells.count ? row.cells[$0] : nil } ?? "")
        }
        if let data = FileManager.default.contents(atPath: dir.appendingPathComponent("summary.json").path),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            tonight.inputHash = object["input_hash"] as? String ?? ""
        }
        return tonight
    }
}

extension String {
    func leftPad(_ n: Int) -> String { String(repeating: " ", count: max(0, n - count)) + self }
}
