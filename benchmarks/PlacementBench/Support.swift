// Small helpers for the benchmark: wall clocks, summaries of repeated timings, peak memory from
// /proc, the machine and git commit, child processes, a deterministic random stream.

import Dispatch
import Foundation
import PlacementEngine
import PlacementGenerator

/// Monotonic wall clock in seconds.
@inline(__always) func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
@inline(__always) func seconds(since start: UInt64) -> Double { Double(now() - start) / 1e9 }

/// Times `body` once.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = now()
    let value = try body()
    return (value, seconds(since: start))
}

/// Median and spread of repeated measurements (seconds, or anything else).
struct Spread: Codable, Sendable, Hashable {
    var median: Double
    var min: Double
    var max: Double
    var samples: [Double]

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        self.samples = samples
        min = sorted.first ?? .nan
        max = sorted.last ?? .nan
        if sorted.isEmpty {
            median = .nan
        } else if sorted.count % 2 == 1 {
            median = sorted[sorted.count / 2]
        } else {
            median = (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }
}

/// Figures from /proc (Linux). VmHWM is the process's peak resident set: process-wide, which is why
/// each market of the ladder runs in a child process of its own.
enum ProcStatus {
    /// Peak resident set size in bytes (VmHWM), nil where /proc is missing.
    static func peakResidentBytes() -> Int? { field("VmHWM") }
    static func residentBytes() -> Int? { field("VmRSS") }
    /// Another process's peak (a child, before the watchdog stops it).
    static func peakResidentBytes(pid: Int32) -> Int? { field("VmHWM", file: "/proc/\(pid)/status") }

    private static func field(_ name: String, file: String = "/proc/self/status") -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kb = Int(parts[1]) else { return nil }
            return kb * 1024
        }
        return nil
    }
}

/// CPU seconds (user + system) this process has used so far, all threads.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// What the figures were measured on.
struct MachineInfo: Codable, Sendable {
    var cpu: String
    var cores: Int
    var memoryGiB: Double
    var os: String
    var date: String
    var commit: String
    /// True when Sources/ or Package.swift differ from the commit (others' work in progress).
    var uncommittedEngineChanges: Bool
    var build: String
    var glpk: String
    /// /proc/loadavg when the run started and when it ended: other work on the machine skews times
    /// (the concurrency figures most).
    var loadAverageAtStart: String
    var loadAverageAtEnd: String?

    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func current(glpkVersion: String) -> MachineInfo {
        var cpu = "unknown"
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var memory = 0.0
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kb = Double(parts[1]) { memory = kb / 1024 / 1024 }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let commit = (try? Subprocess.run("/usr/bin/env", ["git", "rev-parse", "--short", "HEAD"]))
            .flatMap { $0.status == 0 ? $0.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil } ?? "unknown"
        let dirty = (try? Subprocess.run("/usr/bin/env", ["git", "status", "--porcelain", "--", "Sources", "Package.swift"]))
            .map { $0.status == 0 && !$0.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        let os = ProcessInfo.processInfo.operatingSystemVersionString
        return MachineInfo(cpu: cpu, cores: ProcessInfo.processInfo.activeProcessorCount, memoryGiB: memory, os: os,
                           date: formatter.string(from: Date()), commit: commit, uncommittedEngineChanges: dirty,
                           build: build, glpk: glpkVersion, loadAverageAtStart: loadAverage(), loadAverageAtEnd: nil)
    }
}

/// Running another program and collecting what it printed.
enum Subprocess {
    struct Result: Sendable {
        var status: Int32
        var output: String
        var seconds: Double
        var timedOut = false
        /// The child's VmHWM read just before the watchdog stopped it.
        var peakResidentBytesAtTimeout: Int?
    }

    /// A process handed to the watchdog's queue.
    private final class Watched: @unchecked Sendable {
        let process: Process
        var fired = false
        var peak: Int?
        let lock = NSLock()
        init(_ process: Process) { self.process = process }
    }

    /// Runs `executable` with `arguments`; stdout (and stderr too, when `mergeStandardError`) is
    /// collected; otherwise stderr passes through to ours. After `timeout` seconds it is terminated.
    static func run(_ executable: String, _ arguments: [String], mergeStandardError: Bool = true,
                    timeout: Double? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = mergeStandardError ? pipe : FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        let start = now()
        try process.run()
        let watched = Watched(process)
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                watched.lock.lock(); defer { watched.lock.unlock() }
                if watched.process.isRunning {
                    watched.fired = true
                    watched.peak = ProcStatus.peakResidentBytes(pid: watched.process.processIdentifier)
                    watched.process.terminate()
                }
            }
        }
        // Read to the end before waiting: a full pipe would otherwise block the child forever.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = seconds(since: start)
        watched.lock.lock(); let fired = watched.fired, peak = watched.peak; watched.lock.unlock()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), seconds: elapsed,
                      timedOut: fired, peakResidentBytesAtTimeout: peak)
    }

    /// The full path of a program on PATH, or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}


/// FNV-1a, 64 bits: a short fingerprint of a text (matches.csv) for the report.
func fingerprint(_ text: String) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return String(h, radix: 16)
}

/// A fixed CPU and memory workload, timed on this machine in this run. Baseline time ratios are
/// divided by its ratio, so that a slower or busier machine does not look like a slower engine.
enum Calibration {
    static func measure() -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = now()
            var rng = SplitMix64(seed: 42)
            var values = (0..<400_000).map { _ in rng.uniform(0, 1) }
            values.sort()
            var table = [UInt64: Double]()
            for i in 0..<200_000 { table[rng.next() % 100_000, default: 0] += values[i] }
            var acc = 0.0
            for i in stride(from: 0, to: values.count, by: 7) { acc += (values[i] * 3.1).squareRoot() + sin(values[i]) }
            // Keep the work observable so that the optimiser cannot drop it.
            if acc.isNaN || table.isEmpty { print("calibration \(acc)") }
            best = min(best, seconds(since: start))
        }
        return best
    }
}

/// Progress on stderr (stdout is the report, and in child mode the JSON answer).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func format(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

/// Seconds, readably: 0.012 s, 1.23 s, 45.6 s.
func secs(_ v: Double) -> String {
    guard v.isFinite else { return "-" }
    if v < 0.1 { return format(v, 3) }
    if v < 10 { return format(v, 2) }
    return format(v, 1)
}

func grouped(_ n: Int) -> String { Fixed.grouped(n) }

func mebibytes(_ bytes: Int?) -> String {
    guard let bytes else { return "-" }
    return grouped(Int((Double(bytes) / 1_048_576).rounded())) + " MiB"
}

/// An aligned text table, the first column left-aligned and the rest right-aligned.
func textTable(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { i in all.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
            return i == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
}

/// A Markdown table.
func markdownTable(_ header: [String], _ rows: [[String]]) -> String {
    var out = "| " + header.joined(separator: " | ") + " |\n"
    out += "|" + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|\n"
    for r in rows { out += "| " + r.joined(separator: " | ") + " |\n" }
    return out
}

/// JSON with non-finite numbers spelled as strings ("nan", "inf"), both ways.
enum JSON {
    static func encoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }
    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}
