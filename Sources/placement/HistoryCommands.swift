// The run history on the command line (issue 13, docs/history.md): `match --db FILE` reads it
// before the solve and records the night after the outputs; `decide` records what happened to a
// proposal; `history` shows the nights, trends and a child's timeline. The logic is in
// PlacementHistory; these are thin. There is no default location: without `--db`, `match`
// keeps no history and gives the v1 answer.

import ArgumentParser
import Foundation
import PlacementEngine
import PlacementHistory

/// `--db FILE` for `match`.
struct HistoryDatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The run history (an SQLite file, created when missing): tonight's match reads the declines, outstanding proposals and nights waited from it, and is recorded in it. Without --db no history is kept.",
        valueName: "FILE"), completion: .file())
    var db: String?

    @Option(name: .customLong("db-row-delay"), help: ArgumentHelp("Seconds to pause after each row written to --db (tests: a kill lands inside the transaction).", visibility: .hidden))
    var rowDelay: Double = 0

    /// Opens the history (when `--db` is given), reads it for `market` and applies it; the
    /// history's warnings (a placed child still listed) go to standard error.
    func tonight(_ market: Market) throws(CLIFailure) -> (Market, NightRecorder?) {
        guard let db else { return (market, nil) }
        let store: HistoryStore
        let prepared: PreparedNight
        do {
            store = try HistoryStore(path: db, create: true, rowDelay: rowDelay)
            prepared = try store.prepare(market)
        } catch { throw .history(error) }
        MarketOptions.printWarnings(prepared.warnings)
        return (prepared.market, NightRecorder(store: store, prepared: prepared))
    }
}

/// Records the night once its outputs are written.
struct NightRecorder {
    let store: HistoryStore
    let prepared: PreparedNight

    func record(_ run: BatchRun, inputHash: String, market: URL, say: Bool) throws(CLIFailure) {
        let night: Int
        do {
            night = try store.record(run, prepared: prepared, inputHash: inputHash, marketName: market.lastPathComponent)
        } catch {
            throw .history(HistoryError(error.kind == .input ? .input : .write,
                                        "the outputs were written, but the night was not recorded: " + error.description))
        }
        guard say else { return }
        var notes: [String] = []
        if prepared.declinesApplied > 0 { notes.append("\(prepared.declinesApplied) declined pairing\(prepared.declinesApplied == 1 ? "" : "s") excluded") }
        if !prepared.placedLeftOut.isEmpty { notes.append("placed, left out: " + prepared.placedLeftOut.joined(separator: ", ")) }
        let held = run.report.matches.filter { m in
            run.market.history?.waiting[run.market.children[m.child].id]?.outstandingPlacementId == run.market.placements[m.placement].id
        }.count
        if held > 0 { notes.append("\(held) outstanding proposal\(held == 1 ? "" : "s") kept") }
        print("Recorded night \(night) in \(store.path)" + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"))
    }
}

struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Record what happened to a child's proposal: accepted, declined, withdrawn, or a decline lifted.",
        discussion: """
            --accept: the child is placed (a later market that still lists it gets a warning and leaves it out).
            --decline: the pairing is never proposed again unless the decline is lifted with --lift.
            --withdraw: the proposal (or an acceptance) is withdrawn; the child waits again.
            --lift: lifts the child's decline by --placement (every decline of the child without it).
            The decision applies to the child's latest proposal. Reasons and names of who decided are
            stored as typed: ids and short reasons only, nothing personal. See docs/history.md.
            """)

    @Option(name: .customLong("db"), help: ArgumentHelp("The run history written by match --db.", valueName: "FILE"), completion: .file())
    var db: String
    @Option(help: "The child's id.")
    var child: String
    @Flag(help: "The provider accepted the proposal: the child is placed.")
    var accept = false
    @Flag(help: "The provider declined the proposal: the pairing is excluded on later nights.")
    var decline = false
    @Flag(help: "The proposal (or its acceptance) is withdrawn: the child waits again.")
    var withdraw = false
    @Flag(help: "Lift a decline: the pairing may be proposed again.")
    var lift = false
    @Option(help: "The proposal's placement (checked against the child's proposal); with --lift, the decline to lift.")
    var placement: String?
    @Option(help: "Why, in a few words (no names or personal details).")
    var reason: String?
    @Option(help: "Who decided (a role or staff id).")
    var by: String?
    @Flag(help: "Print the decisions recorded as JSON.")
    var json = false
    @Option(name: .customLong("db-row-delay"), help: ArgumentHelp("Seconds to pause after each row written (tests).", visibility: .hidden))
    var rowDelay: Double = 0

    var actions: [DecisionAction] {
        [(accept, DecisionAction.accept), (decline, .decline), (withdraw, .withdraw), (lift, .lift)].filter(\.0).map(\.1)
    }

    func validate() throws {
        let chosen = actions
        guard chosen.count == 1 else {
            throw ValidationError(chosen.isEmpty
                ? "give one of --accept, --decline, --withdraw or --lift"
                : "give only one of --accept, --decline, --withdraw or --lift (got \(chosen.map { "--" + $0.rawValue }.joined(separator: " and ")))")
        }
        if child.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--child must name a child id") }
        for (name, text) in [("--reason", reason), ("--by", by)] {
            guard let text else { continue }
            if text.count > 200 || text.contains(where: \.isNewline) {
                throw ValidationError("\(name) must be one line of at most 200 characters (a few words, no personal details)")
            }
        }
    }

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        let outcomes: [DecisionOutcome]
        do {
            let store = try HistoryStore(path: db, create: false, rowDelay: rowDelay)
            outcomes = try store.decide(DecisionRequest(childId: child, action: actions[0], placementId: placement,
                                                        reason: reason, by: by))
        } catch { throw .history(error) }
        if json {
            let rows: [[String: Any]] = outcomes.map {
                ["decision_id": $0.decisionId, "child_id": $0.childId, "action": $0.action.rawValue,
                 "placement_id": $0.placementId, "night": $0.night]
            }
            FileHandle.standardOutput.write(BatchOutputs.json(["decisions": rows]))
        } else {
            for o in outcomes { print("Recorded: " + o.sentence) }
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The run history: the nights with their figures and trends, or one child's timeline.",
        discussion: "Reads the file written by match --db and decide (docs/history.md); changes nothing.")

    @Option(name: .customLong("db"), help: ArgumentHelp("The run history written by match --db.", valueName: "FILE"), completion: .file())
    var db: String
    @Option(help: "One child's timeline: proposed, declined, waited, placed.")
    var child: String?
    @Flag(help: "Print JSON.")
    var json = false

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        do {
            let store = try HistoryStore(path: db, create: false)
            if let child {
                let timeline = try store.timeline(child: child)
                if json { try printJSON(timeline.json()) } else { print(timeline.text) }
            } else {
                let report = try store.report()
                if json { try printJSON(report.json()) } else { print(report.text) }
            }
        } catch { throw .history(error) }
    }

    private func printJSON(_ data: @autoclosure () throws -> Data) throws(HistoryError) {
        do { FileHandle.standardOutput.write(try data()) } catch {
            throw HistoryError(.write, "cannot print the history as JSON: \(error)")
        }
    }
}
