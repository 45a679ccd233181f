import ArgumentParser
import Foundation
import Logging
import PlacementEngine

/// The market folder and an optional policy file, shared by every command that reads a market.
struct MarketOptions: ParsableArguments {
    @Argument(help: "The market folder (children.csv, placements.csv; optional local_authorities.csv, exclusions.csv, policy.json).",
              completion: .directory)
    var market: String

    @Option(name: .long, help: "A policy.json to use instead of the market folder's own.", completion: .file())
    var policy: String?

    @Flag(help: "Treat the market's warnings (an unknown column, a file delimited by semicolons or tabs) as errors: exit status 2, nothing written. Recommended for nightly runs.")
    var strict = false

    var marketURL: URL { URL(fileURLWithPath: market) }
    var policyURL: URL? { policy.map { URL(fileURLWithPath: $0) } }

    func validate() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: market, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("\(market) is not a folder: expected a market folder holding children.csv and placements.csv")
        }
        if let policy, !FileManager.default.fileExists(atPath: policy) {
            throw ValidationError("--policy \(policy): no such file")
        }
    }

    /// Loads and validates the market; input problems become exit status 2 with every issue listed.
    /// The warnings go to standard error whatever the output style (`--quiet` and `--json` hide
    /// them no more: a misspelt column silently ignored changes every child's answer); with
    /// `--strict` they are errors.
    func load() throws(CLIFailure) -> Market {
        let market: Market
        do { market = try MarketLoader.load(from: marketURL, policyOverride: policyURL) } catch {
            if strict { throw .input(.strict(issues: error.issues, warnings: error.warnings)) }
            Self.printWarnings(error.warnings)
            throw .input(error)
        }
        if strict, !market.inputWarnings.isEmpty { throw .input(.strict(issues: [], warnings: market.inputWarnings)) }
        Self.printWarnings(market.inputWarnings)
        return market
    }

    static func printWarnings(_ warnings: [InputIssue]) {
        for w in warnings { Terminal.standardError("warning: " + w.description) }
    }
}

/// How hard to solve, shared by match and what-if.
struct SolveOptions: ParsableArguments {
    @Option(help: "Accept a relative gap up to G (default: 1e-6, proven optimal).")
    var gap: Double?

    @Option(name: .customLong("time-limit"), help: "Aim to finish the whole run (load to outputs) within S seconds: the solve gets what is left after loading and the arcs, and the outputs say what was proven.")
    var timeLimit: Double?

    @Option(help: "Worker threads for eligibility and independent components (default: all cores).")
    var threads: Int?

    /// The solver backend; the scripted ones (ScriptedBackend) exist for tests of the paths a
    /// healthy GLPK does not take: a failure (exit 5), a wrong answer (exit 3), limits.
    enum Backend: String, ExpressibleByArgument, CaseIterable {
        case glpk
        case failingMIP = "failing-mip"
        case failingLP = "failing-lp"
        case lpOutOfTime = "lp-out-of-time"
        case mipStopsAtStart = "mip-stops-at-start"
        case wrongMIP = "wrong-mip"

        var script: ScriptedBackend.Script? {
            switch self {
            case .glpk: nil
            case .failingMIP: .failingIntegerPrograms
            case .failingLP: .failingLinearPrograms
            case .lpOutOfTime: .linearProgramsOutOfTime
            case .mipStopsAtStart: .integerProgramsStopAtStart
            case .wrongMIP: .wrongIntegerAnswers
            }
        }
    }
    @Option(help: ArgumentHelp("The solver backend (glpk; the others are scripted, for tests: failing-mip, failing-lp, lp-out-of-time, mip-stops-at-start, wrong-mip).",
                               visibility: .hidden))
    var backend: Backend = .glpk

    @Option(help: ArgumentHelp("Write the solve's diagnostics to FILE (each stage's figures; with --log-level trace, each step of the dive).",
                               valueName: "FILE"), completion: .file())
    var log: String?

    @Option(name: .customLong("log-level"), help: "How much --log writes: info, debug or trace.")
    var logLevel: String = "debug"

    func validate() throws {
        if let gap, !(gap >= 0 && gap < 1) { throw ValidationError("--gap must be at least 0 and below 1") }
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be a positive number of seconds") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error or critical") }
    }

    /// The solve's logger: to `--log`'s file at `--log-level`, and with `--verbose` (`verbose`)
    /// what gives way to standard error at `info`. Throws when the file cannot be created.
    func logger(verbose: Bool) throws(CLIFailure) -> Logger {
        var handlers: [any LogHandler] = []
        if let log {
            let sink: FileLogHandler.Sink
            do { sink = try FileLogHandler.Sink(path: log) } catch {
                throw .output("cannot write the log \(log): it cannot be created (does its folder exist, and may it be written?)")
            }
            handlers.append(FileLogHandler(label: "placement.solve", sink: sink, level: Logger.Level(rawValue: logLevel) ?? .debug))
        }
        if verbose {
            var stderr = StreamLogHandler.standardError(label: "placement.solve")
            stderr.logLevel = .info
            handlers.append(stderr)
        }
        return Logger(label: "placement.solve") { _ in
            switch handlers.count {
            case 0: SwiftLogNoOpLogHandler()
            case 1: handlers[0]
            default: MultiplexLogHandler(handlers)
            }
        }
    }

    func matchOptions(progress: (@Sendable (MatchProgress) -> Void)? = nil) -> MatchOptions {
        var o = MatchOptions()
        if let gap { o.relativeGap = max(gap, 1e-6) }
        o.timeLimit = timeLimit
        if let threads { o.threads = threads }
        if let script = backend.script { o.backend = ScriptedBackend(script) }
        o.progress = progress
        return o
    }
}

/// Output style, shared by commands that print results.
struct OutputStyle: ParsableArguments {
    @Flag(help: "Print nothing but errors and the market's warnings (on standard error).")
    var quiet = false

    @Flag(help: "Print the result as JSON on standard output (for pipelines).")
    var json = false

    @Flag(help: "Log each solve stage on standard error, one line each, even when not on a terminal.")
    var verbose = false

    /// The progress reporter for this style: a live line on a terminal, log lines with --verbose.
    func progressLine() -> ProgressLine? {
        if verbose { return ProgressLine(lines: true) }
        return !quiet && !json && Terminal.standardErrorIsTerminal ? ProgressLine(lines: false) : nil
    }
}
