// Shared by the what-if tests: the package's fixtures (demo and generated markets, England's LSOA
// points), loaded once, and a few helpers.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementWhatIf

enum WhatIfFixture {
    /// The package root (this file is Tests/PlacementEngineTests/WhatIfTestSupport.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func market(_ relative: String) throws -> Market {
        try MarketLoader.load(from: root.appendingPathComponent(relative))
    }

    static let demo: Market = try! market("fixtures/demo")
    /// 100 children in the North East, every LA of England in the LA table (fixtures/generated).
    static let northEast: Market = try! market("fixtures/generated/north-east-seed1")

    static let geography: WhatIfGeography = {
        let (g, problem) = WhatIfGeography.england(explicit: root.appendingPathComponent("fixtures/england").path)
        guard let g else { fatalError("fixtures/england: \(problem ?? "?")") }
        return g
    }()

    static func options(threads: Int = 2) -> MatchOptions {
        var o = MatchOptions()
        o.threads = threads
        return o
    }

    /// The objective tolerance of the spec: 1e-6 relative to max(1, |objective|).
    static func tolerance(_ objective: Double) -> Double { 1e-6 * max(1, abs(objective)) }

    static func scenario(_ changes: ScenarioChange.Kind..., seed: UInt64 = 1) -> Scenario {
        Scenario(name: "test", seed: seed, changes: changes.enumerated().map { ScenarioChange($1, origin: .code("changes[\($0)]")) })
    }

    /// Parses a scenario file's text; the issues when it is rejected.
    static func parseIssues(_ json: String, file: String = "scenario.json") -> [InputIssue] {
        do { _ = try Scenario.parse(json: Array(json.utf8), file: file); return [] } catch { return error.issues }
    }

    /// Applies a scenario; the issues when it is rejected.
    static func applyIssues(_ scenario: Scenario, to market: Market) -> [InputIssue] {
        do { _ = try scenario.apply(to: market, geography: geography); return [] } catch { return error.issues }
    }
}
