import ArgumentParser
import Foundation
import PlacementEngine

struct ExportModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-model",
        abstract: "Write the market's whole integer program (every eligible option) in CPLEX LP or free MPS.",
        discussion: "Names are readable: x_CHILD_PLACEMENT (a child on its own), y_gN_GROUP_PLACEMENT (a group together), rows child_, cap_, clq_ (who may not live together), split_. '-' in ids becomes '~'. The objective constant (the cost of leaving every child unmatched) is the column objective_constant, continuous and fixed at 1, whose cost is the constant: every solver reads the engine's optimum from either format.")

    @OptionGroup var input: MarketOptions
    @Option(help: "Write CPLEX LP format to FILE.", completion: .file())
    var lp: String?
    @Option(help: "Write free MPS format to FILE.", completion: .file())
    var mps: String?
    @OptionGroup var style: OutputStyle

    func validate() throws {
        guard (lp == nil) != (mps == nil) else { throw ValidationError("give exactly one of --lp FILE or --mps FILE") }
    }

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        do {
            let market = try input.load()
            let index: MarketIndex
            do { index = try MarketIndex(market) } catch { throw .usage("\(error)") }
            let full = FullModel.build(arcs: ArcTable(index: index))
            let path = lp ?? mps!
            if let problem = GLPKBackend().write(full.model, to: path, lp: lp != nil) { throw .output(problem) }
            if !style.quiet {
                print("Wrote \(path): \(full.model.columns.count) binaries, \(full.model.rows.count) rows, \(full.model.nonZeros) non-zeros (objective constant \(Fixed.cost(full.model.objectiveConstant)), written as the column objective_constant fixed at 1)")
            }
        }
    }
}
