// Shared by the Generator tests: England's geography loaded once, markets generated once per
// configuration, and folders compared byte for byte.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

enum GeneratorFixture {
    /// The package root (this file is Tests/PlacementEngineTests/GeneratorTestSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let england: EnglandData = {
        do {
            return try EnglandData.load(explicit: packageRoot.appendingPathComponent("fixtures/england").path)
        } catch {
            fatalError("\(error)")
        }
    }()

    /// The committed generated markets, with the configuration that writes each one.
    static let committed: [(folder: String, configuration: MarketGenerator.Configuration)] = [
        ("nightly-seed1", .init(seed: 1, preset: .nightly)),
        ("north-east-seed1", .init(seed: 1, children: 100, region: "North East")),
    ]

    static func generate(_ c: MarketGenerator.Configuration) throws -> Market {
        try MarketGenerator(c, england: england).generate()
    }

    /// Large samples, generated once for all the tests that measure them.
    static let national: Market = try! generate(.init(seed: 3, preset: .national))
    static let nationalDescription = MarketDescription(national, distances: false)
    static let pool: Market = try! generate(.init(seed: 1, preset: .pool))

    static func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("generator-tests-\(name)-\(UUID().uuidString)", isDirectory: true)
    }

    /// File name -> bytes of every regular file in `folder`.
    static func files(in folder: URL) throws -> [String: Data] {
        var out = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            out[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return out
    }
}
