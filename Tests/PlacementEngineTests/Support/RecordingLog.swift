// The solve's diagnostics as a test sees them: a swift-log handler that keeps every message.

import Foundation
import Logging

/// Messages logged through `logger`, in order (thread-safe: components log from their threads).
final class RecordingLog: @unchecked Sendable {
    private var messages: [(level: Logger.Level, text: String)] = []
    private let lock = NSLock()

    /// A logger at `level` whose messages are kept here.
    func logger(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "placement.solve.test") { _ in Handler(record: self) }
        logger.logLevel = level
        return logger
    }

    /// How many messages start with `prefix`.
    func count(prefix: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        return messages.filter { $0.text.hasPrefix(prefix) }.count
    }

    private func append(_ level: Logger.Level, _ text: String) { lock.lock(); messages.append((level, text)); lock.unlock() }

    private struct Handler: LogHandler {
        let record: RecordingLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { record.append(event.level, event.message.description) }
    }
}
