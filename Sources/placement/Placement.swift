// `placement`: the command-line front of the engine. Each subcommand is thin: it validates its
// options, calls the engine library and maps failures to exit codes in one place (CLIFailure).

import ArgumentParser
import PlacementEngine
import PlacementWhatIf

@main
struct Placement: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placement",
        abstract: "Matching engine for a Regional Care Cooperative's placement market (children in care, England).",
        discussion: """
            The engine proposes; people decide. Input format and rules: docs/market-format.md.
            Exit status: 0 success, 2 bad input (a --db file that is not a placement history included),
            3 the independent check rejected an answer (a bug), 4 outputs (or the --db history) could
            not be written, 5 the solver failed.
            """,
        version: EngineInfo.version,
        subcommands: [MatchCommand.self, ValidateCommand.self, ExplainCommand.self, ExportModelCommand.self, WhatIfCommand.self, GenerateCommand.self,
                      DecideCommand.self, HistoryCommand.self, SimulateCommand.self]
    )
}
