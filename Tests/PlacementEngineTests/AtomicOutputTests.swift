// Outputs whole or not at all, with no moment without the output folder (issue 10, item 6), and
// the staging folders of killed runs cleaned up.

import Foundation
import XCTest
@testable import PlacementEngine

final class AtomicOutputTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func files(_ tag: String) -> [(name: String, data: Data)] {
        [("matches.csv", Data("m \(tag)\n".utf8)), ("summary.json", Data("{\"run\": \"\(tag)\"}\n".utf8))]
    }

    private func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// Everything beside the output folder whose name starts with a dot.
    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }.sorted()
    }

    /// A process id no process has now.
    private func deadProcess() throws -> Int32 {
        for pid in stride(from: Int32(4_194_000), to: 3_000_000, by: -1) where kill(pid, 0) != 0 && errno == ESRCH { return pid }
        throw XCTSkip("no free process id found")
    }

    func testAFolderIsWrittenThenReplacedKeepingOtherFiles() throws {
        let out = root.appendingPathComponent("out")
        try AtomicOutput.writeDirectory(out, files: files("one"))
        XCTAssertEqual(try read(out.appendingPathComponent("matches.csv")), "m one\n")
        try Data("a commissioner's note\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        try AtomicOutput.writeDirectory(out, files: files("two"))
        XCTAssertEqual(try read(out.appendingPathComponent("matches.csv")), "m two\n")
        XCTAssertEqual(try read(out.appendingPathComponent("summary.json")), "{\"run\": \"two\"}\n")
        XCTAssertEqual(try read(out.appendingPathComponent("notes.txt")), "a commissioner's note\n")
        XCTAssertEqual(try leftovers(), [])
    }

    func testTheOutputFolderIsNeverMissingWhileItIsReplaced() throws {
        let out = root.appendingPathComponent("out")
        try AtomicOutput.writeDirectory(out, files: files("0"))
        let missing = Counter(), done = Counter()
        let watcher = Thread {
            while done.value == 0 {
                var isDir: ObjCBool = false
                if !FileManager.default.fileExists(atPath: out.path, isDirectory: &isDir) || !isDir.boolValue { _ = missing.increment() }
            }
        }
        watcher.start()
        for k in 1...300 { try AtomicOutput.writeDirectory(out, files: files("\(k)")) }
        _ = done.increment()
        XCTAssertEqual(missing.value, 0, "the folder was missing while it was replaced")
        XCTAssertEqual(try read(out.appendingPathComponent("matches.csv")), "m 300\n")
        XCTAssertEqual(try leftovers(), [])
    }

    func testKilledRunsLeftoversAreRemovedAndARetiredFolderComesBack() throws {
        let dead = try deadProcess()
        let fm = FileManager.default
        // A kill while writing (a staging folder), and one between the two renames of the old way
        // (the old result only under its retired name, no output folder).
        let partial = root.appendingPathComponent(".out.partial-\(dead)-1")
        let previous = root.appendingPathComponent(".out.previous-\(dead)-2")
        for folder in [partial, previous] { try fm.createDirectory(at: folder, withIntermediateDirectories: false) }
        try Data("half\n".utf8).write(to: partial.appendingPathComponent("matches.csv"))
        try Data("kept\n".utf8).write(to: previous.appendingPathComponent("notes.txt"))
        // A live process's staging folder (process 1) is left alone.
        let live = root.appendingPathComponent(".out.partial-1-3")
        try fm.createDirectory(at: live, withIntermediateDirectories: false)

        let out = root.appendingPathComponent("out")
        try AtomicOutput.writeDirectory(out, files: files("new"))
        XCTAssertEqual(try read(out.appendingPathComponent("matches.csv")), "m new\n")
        XCTAssertEqual(try read(out.appendingPathComponent("notes.txt")), "kept\n", "the retired folder came back first")
        XCTAssertEqual(try leftovers(), [".out.partial-1-3"])
    }
}
