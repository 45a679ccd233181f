// Presets, region cuts and errors; generated markets load through MarketLoader without issues; the
// committed fixtures under fixtures/generated are what the generator writes today.
//
// To rewrite the committed fixtures after a deliberate change to the generator:
//   GENERATOR_WRITE_FIXTURES=1 swift test --filter GeneratorFixtureTests

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class GeneratorScaleTests: XCTestCase {
    func testPresetsResolveToTheirScale() throws {
        let e = GeneratorFixture.england
        let nightly = try MarketGenerator(.init(), england: e).scale
        XCTAssertEqual(nightly.children, 244)
        XCTAssertEqual(nightly.stockFraction, 0.244, accuracy: 1e-12)
        XCTAssertEqual(nightly.replacedFraction, 0)
        let pool = try MarketGenerator(.init(preset: .pool), england: e).scale
        XCTAssertEqual(pool.children, 1_000)
        XCTAssertEqual(pool.stockFraction, 1)
        XCTAssertEqual(pool.replacedFraction, 0)
        let national = try MarketGenerator(.init(preset: .national), england: e).scale
        XCTAssertEqual(national.children, 83_630)
        XCTAssertEqual(national.replacedFraction, 1)
        let mid = try MarketGenerator(.init(children: 20_000), england: e).scale
        XCTAssertEqual(mid.stockFraction, 1)
        XCTAssertEqual(mid.replacedFraction, 19_000.0 / 82_630, accuracy: 1e-12)
        let small = try MarketGenerator(.init(children: 50), england: e).scale
        XCTAssertEqual(small.stockFraction, 0.05, accuracy: 1e-12)
        let override = try MarketGenerator(.init(children: 50, vacanciesScale: 0.5), england: e).scale
        XCTAssertEqual(override.stockFraction, 0.5)
    }

    func testVacanciesScaleWithChildren() throws {
        let small = MarketDescription(try GeneratorFixture.generate(.init(seed: 4, children: 250)), distances: false)
        let pool = MarketDescription(GeneratorFixture.pool, distances: false)
        let ratio = Double(small.placesByType[.foster]!) / Double(pool.placesByType[.foster]!)
        XCTAssertEqual(ratio, 0.25, accuracy: 0.02)
    }

    func testRegionCutHoldsOnlyThatRCC() throws {
        let e = GeneratorFixture.england
        let g = try MarketGenerator(.init(seed: 2, children: 150, region: "north east"), england: e)
        XCTAssertEqual(g.scale.region, "North East")
        let m = g.generate()
        XCTAssertEqual(m.children.count, 150)
        let rcc = Dictionary(uniqueKeysWithValues: m.localAuthorities.map { ($0.code, $0.rcc) })
        XCTAssertTrue(m.children.allSatisfy { rcc[$0.laCode] == "North East" })
        XCTAssertTrue(m.placements.filter { $0.type != .kinship }.allSatisfy { rcc[$0.laCode] == "North East" })
        XCTAssertGreaterThan(m.placements.filter { $0.type == .residential }.count, 10)
        // A preset with a region takes the region's share of the preset's children.
        let cut = try MarketGenerator(.init(preset: .pool, region: "London"), england: e).scale
        XCTAssertEqual(cut.children, Int((1_000 * cut.regionChildShare).rounded()))
        XCTAssertEqual(cut.englandEquivalentChildren, 1_000)
    }

    func testBadConfigurationsAreClearErrors() {
        let e = GeneratorFixture.england
        XCTAssertThrowsError(try MarketGenerator(.init(region: "Atlantis"), england: e)) { error in
            XCTAssertTrue("\(error)".contains("North East"), "\(error)")
        }
        XCTAssertThrowsError(try MarketGenerator(.init(children: 0), england: e))
        XCTAssertThrowsError(try MarketGenerator(.init(children: 10, vacanciesScale: 0), england: e))
        XCTAssertThrowsError(try EnglandData.locate(explicit: "/nonexistent/england")) { error in
            XCTAssertTrue("\(error)".contains("--england"), "\(error)")
        }
    }

    func testFixturesAreFoundByWalkingUpFromTheExecutable() throws {
        let root = GeneratorFixture.packageRoot
        let exe = root.appendingPathComponent(".build-gen/release/placement")
        let found = try EnglandData.locate(explicit: nil, currentDirectory: "/", starts: [exe])
        XCTAssertEqual(found.standardizedFileURL.path, root.appendingPathComponent("fixtures/england").standardizedFileURL.path)
        // The current directory wins when it holds the fixtures.
        let fromCwd = try EnglandData.locate(explicit: nil, currentDirectory: root.path, starts: [])
        XCTAssertEqual(fromCwd.standardizedFileURL.path, found.standardizedFileURL.path)
        XCTAssertThrowsError(try EnglandData.locate(explicit: nil, currentDirectory: "/", starts: [URL(fileURLWithPath: "/usr/bin/x")]))
    }

    func testEnglandDataIsComplete() {
        let e = GeneratorFixture.england
        XCTAssertEqual(e.localAuthorities.count, 153)
        XCTAssertEqual(e.pointCount, 32_844)
        XCTAssertEqual(e.regions.count, 9)
        XCTAssertEqual(e.childrenLookedAfter.reduce(0, +), 83_529 + EnglandData.scillyChildrenLookedAfter)
        XCTAssertTrue(e.pointsOfLA.allSatisfy { !$0.isEmpty })
    }
}

final class GeneratorFixtureTests: XCTestCase {
    func testCommittedFixturesAreWhatTheGeneratorWritesToday() throws {
        let rewrite = ProcessInfo.processInfo.environment["GENERATOR_WRITE_FIXTURES"] == "1"
        for (name, config) in GeneratorFixture.committed {
            let committed = GeneratorFixture.packageRoot.appendingPathComponent("fixtures/generated/\(name)")
            let market = try GeneratorFixture.generate(config)
            if rewrite {
                try? FileManager.default.removeItem(at: committed)
                try MarketWriter.write(market, to: committed)
            }
            let fresh = GeneratorFixture.temporaryFolder(name)
            defer { try? FileManager.default.removeItem(at: fresh) }
            try MarketWriter.write(market, to: fresh)
            let want = try GeneratorFixture.files(in: fresh)
            let have = try GeneratorFixture.files(in: committed)
            XCTAssertEqual(have.keys.sorted(), want.keys.sorted(), "\(name): files")
            for (file, bytes) in want {
                XCTAssertEqual(have[file], bytes, "fixtures/generated/\(name)/\(file) has drifted from the generator; "
                               + "rewrite with GENERATOR_WRITE_FIXTURES=1 if the change is deliberate")
            }
        }
    }

    func testGeneratedMarketsLoadWithoutIssues() throws {
        let configs: [MarketGenerator.Configuration] = GeneratorFixture.committed.map(\.configuration) + [
            .init(seed: 9, children: 600, region: "London"),
            .init(seed: 10, preset: .pool),
        ]
        for config in configs {
            let market = try GeneratorFixture.generate(config)
            let folder = GeneratorFixture.temporaryFolder("load")
            defer { try? FileManager.default.removeItem(at: folder) }
            try MarketWriter.write(market, to: folder)
            let loaded: Market
            do { loaded = try MarketLoader.load(from: folder) } catch {
                XCTFail("\(config): the generated market does not load:\n\(error)"); continue
            }
            XCTAssertEqual(loaded.warnings, [], "\(config)")
            XCTAssertEqual(loaded.children, market.children, "\(config)")
            XCTAssertEqual(loaded.placements, market.placements, "\(config)")
            XCTAssertEqual(loaded.exclusions, market.exclusions, "\(config)")
            XCTAssertNoThrow(try MarketIndex(loaded))
            // Supported accommodation is never suitable under 16 (an input error otherwise).
            XCTAssertTrue(loaded.children.allSatisfy { $0.age >= 16 || $0.suitability.supported == .unsuitable })
            // Pseudonymous ids only.
            XCTAssertTrue(loaded.children.allSatisfy { $0.id.hasPrefix("C") && $0.id.dropFirst().allSatisfy(\.isNumber) })
            XCTAssertTrue(loaded.placements.allSatisfy { $0.id.hasPrefix("P") && $0.id.dropFirst().allSatisfy(\.isNumber) })
            XCTAssertTrue(loaded.children.compactMap(\.siblingGroup).allSatisfy { $0.hasPrefix("SG") })
        }
    }

    func testCommittedFixturesHaveTheStatedShape() throws {
        let root = GeneratorFixture.packageRoot.appendingPathComponent("fixtures/generated")
        let nightly = try MarketLoader.load(from: root.appendingPathComponent("nightly-seed1"))
        XCTAssertEqual(nightly.children.count, 244)
        XCTAssertFalse(nightly.exclusions.isEmpty)
        XCTAssertTrue(nightly.children.contains { !$0.notWith.isEmpty })
        XCTAssertTrue(nightly.children.contains { $0.siblingGroup != nil })
        XCTAssertEqual(Set(nightly.placements.map(\.type)), Set(PlacementType.allCases))
        let ne = try MarketLoader.load(from: root.appendingPathComponent("north-east-seed1"))
        XCTAssertEqual(ne.children.count, 100)
        let rcc = Dictionary(uniqueKeysWithValues: ne.localAuthorities.map { ($0.code, $0.rcc) })
        XCTAssertTrue(ne.children.allSatisfy { rcc[$0.laCode] == "North East" })
    }
}
