import ArgumentParser
import Foundation
import PlacementEngine

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a market folder against the format, listing every problem with file, line and column.")

    @OptionGroup var input: MarketOptions
    @OptionGroup var style: OutputStyle

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        do {
            let market = try input.load()
            do { _ = try MarketIndex(market) } catch { throw .usage("\(error)") }
            if style.json {
                let obj: [String: Any] = ["valid": true, "children": market.children.count,
                                          "placements": market.placements.count, "warnings": market.warnings]
                FileHandle.standardOutput.write(BatchOutputs.json(obj))
            } else if !style.quiet {
                for w in market.warnings { Terminal.standardError("warning: " + w) }
                let groups = Set(market.children.compactMap(\.siblingGroup)).count
                print("\(input.market): valid — \(market.children.count) children (\(groups) sibling groups), \(market.placements.count) placements (\(market.placements.reduce(0) { $0 + $1.capacity }) places), \(market.exclusions.count) exclusions")
            }
        }
    }
}
