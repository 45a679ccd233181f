// Helpers for the MarketLoader tests: market folders written from strings into temporary
// directories, and assertions on the issues a load reports.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

enum LoaderFixture {
    static let childrenCSV = """
        child_id,la_code,age,sex
        c1,E09000033,8,F
        c2,E09000033,15,M

        """
    static let placementsCSV = """
        placement_id,type,la_code,capacity,weekly_cost
        p1,foster,E09000033,2,650

        """

    /// A fresh temporary folder holding `files` (name -> contents, as UTF-8).
    static func folder(_ files: [String: String]) throws -> URL {
        try folder(bytes: files.mapValues { Array($0.utf8) })
    }

    static func folder(bytes files: [String: [UInt8]]) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("market-loader-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: url.appendingPathComponent(name))
        }
        return url
    }

    /// The files of a valid two-child market, with `changes` applied (a nil value removes a file).
    static func files(_ changes: [String: String?] = [:]) -> [String: String] {
        var files = ["children.csv": childrenCSV, "placements.csv": placementsCSV]
        for (name, contents) in changes { files[name] = contents }
        return files
    }
}

extension XCTestCase {
    func loadMarket(_ files: [String: String], policyOverride: URL? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Market {
        let folder = try LoaderFixture.folder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            return try MarketLoader.load(from: folder, policyOverride: policyOverride)
        } catch {
            XCTFail("expected the market to load, got:\n\(error)", file: file, line: line)
            throw error
        }
    }

    /// The issues of a load that must fail.
    func loadIssues(_ files: [String: String], file: StaticString = #filePath, line: UInt = #line) -> [InputIssue] {
        loadIssues(bytes: files.mapValues { Array($0.utf8) }, file: file, line: line)
    }

    func loadIssues(bytes files: [String: [UInt8]], policyOverride: URL? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> [InputIssue] {
        guard let folder = try? LoaderFixture.folder(bytes: files) else {
            XCTFail("could not write the fixture", file: file, line: line)
            return []
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try MarketLoader.load(from: folder, policyOverride: policyOverride)
            XCTFail("expected input errors, the market loaded", file: file, line: line)
            return []
        } catch {
            XCTAssertFalse(error.issues.isEmpty, file: file, line: line)
            return error.issues
        }
    }

    /// Asserts that exactly one issue is reported and that it is the one described.
    func assertOnlyIssue(_ issues: [InputIssue], _ inFile: String, line issueLine: Int?, column: Int?,
                         name: String? = nil, value: String? = nil, expected: String? = nil,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(issues.count, 1, "issues:\n" + issues.map(\.description).joined(separator: "\n"),
                       file: file, line: line)
        assertIssue(issues, inFile, line: issueLine, column: column, name: name, value: value, expected: expected,
                    file: file, line: line)
    }

    /// Asserts that an issue with these fields is among `issues`.
    func assertIssue(_ issues: [InputIssue], _ inFile: String, line issueLine: Int?, column: Int?,
                     name: String? = nil, value: String? = nil, expected: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) {
        let match = issues.contains { i in
            i.file == inFile && i.line == issueLine && i.column == column
                && (name == nil || i.columnName == name) && (value == nil || i.value == value)
                && (expected == nil || i.expected.contains(expected!))
        }
        XCTAssertTrue(match, "no issue \(inFile):\(issueLine.map(String.init) ?? "-"):\(column.map(String.init) ?? "-") "
                      + "\(name ?? "") = \(value ?? "") expecting \(expected ?? "") among:\n"
                      + issues.map(\.description).joined(separator: "\n"), file: file, line: line)
    }
}

/// The engine's SplitMix64, for seeded fuzzing that is the same on every platform.
typealias LoaderTestRandom = SplitMix64

/// The fuzz tests' mutations: 1 to `most` times, a kind is drawn from `kinds`: 0 replaces, 1
/// inserts and 2 removes a byte (from `alphabet`, where the position allows), and every other kind
/// (and 0 or 2 at the end of the file) is the caller's own `other` mutation.
func mutate(_ bytes: inout [UInt8], most: Int, kinds: Int, alphabet: [UInt8], random: inout SplitMix64,
            other: (Int, inout [UInt8], inout SplitMix64) -> Void) {
    for _ in 0..<(1 + random.below(most)) {
        let at = random.below(bytes.count + 1)
        let kind = random.below(kinds)
        switch kind {
        case 0 where at < bytes.count: bytes[at] = alphabet[random.below(alphabet.count)]
        case 1: bytes.insert(alphabet[random.below(alphabet.count)], at: at)
        case 2 where at < bytes.count: bytes.remove(at: at)
        default: other(kind, &bytes, &random)
        }
    }
}

/// The end of the file cut off (up to 40 bytes): one of the fuzz tests' own mutations.
func cutShort(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
    bytes.removeLast(random.below(min(bytes.count, 40) + 1))
}
