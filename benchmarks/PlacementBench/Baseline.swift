// benchmarks/baseline.json: the objectives (correctness) and times (speed) of a recorded run.
//
// A run FAILS when an objective differs from the recorded one by more than a relative 1e-6 (the
// engine's answers are proven optimal: a different optimum is a correctness regression), and WARNS
// when a time grew by more than 2x against the recorded one. Times are compared as ratios, and each
// ratio is divided by the ratio of a fixed calibration workload timed in both runs, so that a
// slower or busier machine does not read as a slower engine.

import Foundation

struct Baseline: Codable, Sendable {
    struct Entry: Codable, Sendable, Equatable {
        /// Objectives that must not change (one per market; one per variant for concurrency).
        var objectives: [Double]
        /// Seconds that should not grow (medians).
        var times: [String: Double]
    }

    var recorded: String
    var machine: String
    var commit: String
    var calibrationSeconds: Double
    var entries: [String: Entry]

    static let objectiveTolerance = 1e-6
    static let slowdownWarning = 2.0
    /// Times below this are too short to compare (timer noise, page faults).
    static let minimumComparableSeconds = 0.02

    static func load(_ url: URL) -> Baseline? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSON.decoder().decode(Baseline.self, from: data)
    }

    func save(_ url: URL) throws {
        try (JSON.encoder(pretty: true).encode(self) + Data("\n".utf8)).write(to: url, options: .atomic)
    }
}

/// The outcome of comparing a run with the baseline.
struct BaselineComparison: Codable, Sendable {
    struct TimeRatio: Codable, Sendable {
        var entry: String
        var measure: String
        var baselineSeconds: Double
        var currentSeconds: Double
        /// current / baseline.
        var rawRatio: Double
        /// rawRatio / (calibration now / calibration then).
        var normalizedRatio: Double
    }

    var failures: [String] = []
    var warnings: [String] = []
    var notes: [String] = []
    var ratios: [TimeRatio] = []
    var machineFactor = 1.0

    /// Compares `current` with `recorded`: entries present in both are checked; the others are noted.
    static func compare(current: Baseline, recorded: Baseline) -> BaselineComparison {
        var c = BaselineComparison()
        c.machineFactor = recorded.calibrationSeconds > 0 && current.calibrationSeconds > 0
            ? current.calibrationSeconds / recorded.calibrationSeconds : 1
        for key in current.entries.keys.sorted() {
            let now = current.entries[key]!
            guard let then = recorded.entries[key] else {
                c.notes.append("\(key): not in the baseline (run with --record to add it)")
                continue
            }
            if now.objectives.count != then.objectives.count {
                c.failures.append("\(key): \(now.objectives.count) objectives, the baseline has \(then.objectives.count)")
            } else {
                for (i, (a, b)) in zip(now.objectives, then.objectives).enumerated() {
                    let tolerance = Baseline.objectiveTolerance * max(1, abs(b))
                    if !(abs(a - b) <= tolerance) {
                        let which = now.objectives.count > 1 ? " (#\(i + 1))" : ""
                        c.failures.append("\(key)\(which): objective \(String(format: "%.6f", a)) differs from the recorded \(String(format: "%.6f", b)) (relative tolerance 1e-6)")
                    }
                }
            }
            for measure in now.times.keys.sorted() {
                guard let t1 = now.times[measure], let t0 = then.times[measure] else { continue }
                guard t0 >= Baseline.minimumComparableSeconds || t1 >= Baseline.minimumComparableSeconds * Baseline.slowdownWarning,
                      t0 > 0 else { continue }
                let raw = t1 / t0
                let normalized = raw / c.machineFactor
                c.ratios.append(TimeRatio(entry: key, measure: measure, baselineSeconds: t0, currentSeconds: t1,
                                          rawRatio: raw, normalizedRatio: normalized))
                if normalized > Baseline.slowdownWarning {
                    c.warnings.append("\(key) \(measure): \(String(format: "%.3f", t1)) s vs \(String(format: "%.3f", t0)) s recorded, "
                        + "\(String(format: "%.2f", normalized))x slower after allowing for this machine's speed (raw \(String(format: "%.2f", raw))x)")
                }
            }
        }
        for key in recorded.entries.keys.sorted() where current.entries[key] == nil {
            c.notes.append("\(key): in the baseline but not measured in this run")
        }
        return c
    }
}
