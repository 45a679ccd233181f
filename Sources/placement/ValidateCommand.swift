import ArgumentParser
import Foundation
import PlacementEngine

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a market folder against the format, listing every problem with file, line and column.",
        discussion: "With --json, a JSON document on standard output whatever the outcome: valid, errors (each with file, line, column, column_letter and message) and warnings; exit status 2 when not valid.")

    @OptionGroup var input: MarketOptions
    @OptionGroup var style: OutputStyle

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        let market: Market
        do throws(CLIFailure) {
            market = try input.load()
            do { _ = try MarketIndex(market) } catch { throw CLIFailure.usage("\(error)") }
        } catch {
            // A pipeline reads the verdict from standard output; the message still goes to standard error.
            if style.json { FileHandle.standardOutput.write(BatchOutputs.json(Self.invalidJSON(error))) }
            throw error
        }
        if style.json {
            let obj: [String: Any] = ["valid": true, "children": market.children.count,
                                      "placements": market.placements.count, "warnings": market.warnings,
                                      "errors": [Any]()]
            FileHandle.standardOutput.write(BatchOutputs.json(obj))
        } else if !style.quiet {
            let groups = Set(market.children.compactMap(\.siblingGroup)).count
            print("\(input.market): valid — \(market.children.count) children (\(groups) sibling groups), \(market.placements.count) placements (\(market.placements.reduce(0) { $0 + $1.capacity }) places), \(market.exclusions.count) exclusions")
        }
    }

    /// `{"valid": false, "errors": [...], "warnings": [...]}` for a market that failed.
    static func invalidJSON(_ failure: CLIFailure) -> [String: Any] {
        switch failure {
        case .input(let e):
            return ["valid": false, "errors": MarketInputError.jsonObjects(e.issues),
                    "warnings": e.warnings.sorted { $0.description < $1.description }.map(\.description)]
        default:
            // A market the loader accepted but the index did not (a bug): no location to give.
            return ["valid": false, "warnings": [Any](),
                    "errors": [["file": NSNull(), "line": NSNull(), "column": NSNull(), "column_letter": NSNull(),
                                "message": failure.message]]]
        }
    }
}
