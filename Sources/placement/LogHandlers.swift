import Foundation
import Logging

/// A swift-log handler that appends one line per message to a file (`--log FILE`). swift-log
/// ships handlers for standard output and standard error only; this is the few lines a file needs.
struct FileLogHandler: LogHandler {
    /// The open file, shared by the handler's copies (a logger is copied with its handler).
    final class Sink: @unchecked Sendable {
        private let handle: FileHandle
        private let lock = NSLock()
        init(path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        func write(_ line: String) {
            lock.lock(); defer { lock.unlock() }
            handle.write(Data(line.utf8))
        }
    }

    let sink: Sink
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private let began = Date()

    init(label: String, sink: Sink, level: Logger.Level) { self.label = label; self.sink = sink; self.logLevel = level }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write(String(format: "%9.3f ", Date().timeIntervalSince(began)) + "\(event.level) \(label): \(event.message)\(extra)\n")
    }
}
