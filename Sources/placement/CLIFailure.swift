import ArgumentParser
import Foundation
import PlacementEngine
import PlacementHistory

/// Every way a command can fail, and its exit status: mapped here, in one place.
enum CLIFailure: Error {
    case input(MarketInputError)
    case usage(String)
    case verification(String)
    case output(String)
    case solver(String)
    /// The run history (`--db`): not a placement history or a decision that cannot be taken
    /// (exit 2), or a file that cannot be written (exit 4).
    case history(HistoryError)

    /// A batch's failure: a solver failure (exit 5) or a rejected answer (exit 3).
    init(_ failure: BatchFailure) {
        switch failure.kind {
        case .solver: self = .solver(failure.description)
        case .verification: self = .verification(failure.description)
        }
    }

    var exitCode: Int32 {
        switch self {
        case .input, .usage: 2
        case .history(let e): e.kind == .input ? 2 : 4
        case .verification: 3
        case .output: 4
        case .solver: 5
        }
    }

    var message: String {
        switch self {
        case .input(let e):
            let n = e.issues.count
            return "error: the market has \(n) input problem\(n == 1 ? "" : "s"); nothing was written.\n" + e.description
        case .usage(let s): return "error: " + s
        case .verification(let s): return "error: " + s
        case .output(let s): return "error: " + s
        case .solver(let s): return "error: the solver failed: " + s
        case .history(let e): return "error: " + e.description
        }
    }
}

enum CLI {
    /// Runs a command body, printing a failure to standard error and exiting with its status.
    static func run(_ body: () throws(CLIFailure) -> Void) throws {
        do { try body() } catch {
            Terminal.standardError(error.message)
            throw ExitCode(error.exitCode)
        }
    }
}

enum Terminal {
    static func standardError(_ s: String) {
        FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
    }
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

/// Progress on standard error while a long solve runs (only on a terminal, throttled).
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var lastPrint: UInt64 = 0
    private var shown = false
    private let started = DispatchTime.now().uptimeNanoseconds
    /// One line per event (a log) rather than one line rewritten in place.
    private let lines: Bool

    init(lines: Bool) { self.lines = lines }

    func report(_ p: MatchProgress) {
        lock.lock(); defer { lock.unlock() }
        let now = DispatchTime.now().uptimeNanoseconds
        if lines {
            var s = String(format: "[%7.2fs] %@", Double(now - started) / 1e9, p.stage)
            if p.total > 1 { s += " \(p.done)/\(p.total)" }
            if let bound = p.bound { s += String(format: " bound %.4f", bound) }
            if let inc = p.incumbent { s += String(format: " incumbent %.4f", inc) }
            FileHandle.standardError.write(Data((s + "\n").utf8))
            return
        }
        guard now - lastPrint > 100_000_000 || p.done == p.total else { return }
        lastPrint = now
        let elapsed = Double(now - started) / 1e9
        var s = String(format: "\r[%6.1fs] %@", elapsed, p.stage)
        if p.total > 1 { s += " \(p.done)/\(p.total) components" }
        if let bound = p.bound { s += String(format: "  bound %.2f", bound) }
        if let inc = p.incumbent { s += String(format: "  incumbent %.2f", inc) }
        FileHandle.standardError.write(Data((s.padding(toLength: max(s.count, 79), withPad: " ", startingAt: 0)).utf8))
        shown = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown && !lines { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
