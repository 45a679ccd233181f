// The built `placement` binary, run as a user would run it (in the manner of
// swift-argument-parser's AssertExecuteCommand): its exit status and both streams.

import Foundation

struct BinaryMissing: Error, CustomStringConvertible { var description: String }

/// A class of this test bundle, to find the bundle (and the build products beside it).
private final class BundleToken {}

enum PlacementBinary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `placement` binary beside this test bundle (the build products folder), else under a
    /// `.build*` folder of the package.
    static func binary() throws -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        let bundle = Bundle(for: BundleToken.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("placement"))
        if let arg0 = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: arg0).deletingLastPathComponent().appendingPathComponent("placement"))
        }
        for dir in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where dir.hasPrefix(".build") {
            candidates.append(root.appendingPathComponent(dir).appendingPathComponent("debug/placement"))
        }
        guard let found = candidates.first(where: { fm.isExecutableFile(atPath: $0.path) }) else {
            throw BinaryMissing(description: "no built placement binary among \(candidates.map(\.path))")
        }
        return found
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = try Self.binary()
        p.arguments = arguments
        p.currentDirectoryURL = Self.root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
