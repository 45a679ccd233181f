// MarketWriter and MarketLoader together: load(write(m)) == m, deterministic bytes, and loading
// never crashes on malformed input (seeded random mutations of valid files).

import Foundation
import XCTest
@testable import PlacementEngine

final class MarketLoaderRoundTripTests: XCTestCase {
    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("market-writer-tests-\(UUID().uuidString)")
    }

    func assertSameMarket(_ a: Market, _ b: Market, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.localAuthorities, b.localAuthorities, file: file, line: line)
        XCTAssertEqual(a.children.count, b.children.count, file: file, line: line)
        for (x, y) in zip(a.children, b.children) where x != y {
            XCTFail("child differs:\n\(x)\n\(y)", file: file, line: line)
            break
        }
        XCTAssertEqual(a.placements.count, b.placements.count, file: file, line: line)
        for (x, y) in zip(a.placements, b.placements) where x != y {
            XCTFail("placement differs:\n\(x)\n\(y)", file: file, line: line)
            break
        }
        XCTAssertEqual(a.exclusions, b.exclusions, file: file, line: line)
        XCTAssertEqual(a.policy, b.policy, file: file, line: line)
    }

    func roundTrip(_ market: Market, file: StaticString = #filePath, line: UInt = #line) throws -> (Market, URL) {
        let folder = temporaryFolder()
        try MarketWriter.write(market, to: folder)
        do {
            return (try MarketLoader.load(from: folder), folder)
        } catch {
            XCTFail("the written market does not load:\n\(error)", file: file, line: line)
            throw error
        }
    }

    /// A small market using every field, with text that needs quoting.
    func handMadeMarket() -> Market {
        let las = [
            LocalAuthority(code: "LA-N", name: "Northshire, County of", rcc: "North \"East\"", centroid: GeoPoint(lat: 54.5, lon: -1.25)),
            LocalAuthority(code: "LA-S", name: "Southton", rcc: "South", centroid: GeoPoint(lat: 51.12345, lon: -0.98765)),
        ]
        var policy = Policy()
        policy.weights.wRisk = 2.5
        policy.allowCrossRcc = false
        policy.riskModel.intercept = -2.1
        policy.riskModel.providerRequiresImprovement = 0.123456789
        policy.maxDistanceKm = 99
        let children = [
            Child(id: "c1", laCode: "LA-N", location: GeoPoint(lat: 54.61234, lon: -1.10001), age: 16, sex: .X,
                  neededBy: .today, siblingGroup: "Smith, J & \"K\"",
                  suitability: TypeSuitability(kinship: .unsuitable, foster: .suitable, residential: .preferred, supported: .suitable),
                  alongside: .younger_only, pets: .no, needs: NeedSet([.bsl, .cultural]), risks: RiskSet([.sexual_harm, .going_missing]),
                  behaviour: .high, priorPlacements: 4, maxDistanceKm: 32.19, notWith: ["c2"]),
            Child(id: "c2", laCode: "LA-N", location: GeoPoint(lat: 54.5123456789, lon: -1.0000000001), age: 3, sex: .F,
                  siblingGroup: "Smith, J & \"K\""),
            Child(id: "c3", laCode: "LA-S", location: las[1].centroid, locationGiven: false, age: 0, sex: .M,
                  neededBy: .after_5_days, pets: .must, maxDistanceKm: 1e-3),
        ]
        let placements = [
            Placement(id: "k1", type: .kinship, providerId: "family Smith", providerKind: .family, laCode: "LA-S",
                      location: GeoPoint(lat: -12.5, lon: 179.99999), capacity: 2, occupied: 1, residentAges: [17],
                      hasPets: true, weeklyCost: 0, forChildren: ["Smith, J & \"K\"", "c3"]),
            Placement(id: "h.1", type: .residential, providerId: "op_9", providerKind: .private, laCode: "LA-N",
                      location: las[0].centroid, locationGiven: false, capacity: 0, occupied: 3, residentAges: nil,
                      ageMin: 11, ageMax: 17, sexes: .M, needsMet: NeedSet([.therapeutic, .dols]), risksManaged: RiskSet([.fire_setting]),
                      weeklyCost: 6123.45, ofsted: .requires_improvement),
            Placement(id: "f-2", type: .foster, laCode: "LA-S", location: GeoPoint(lat: 51, lon: 0), capacity: 1,
                      weeklyCost: 650.125, ofsted: .outstanding),
        ]
        let exclusions = [
            Exclusion(childId: "c1", placementId: "k1", reason: "declined:\nno room, sorry"),
            Exclusion(childId: "c3", placementId: "f-2"),
        ]
        return Market(localAuthorities: las, children: children, placements: placements, exclusions: exclusions,
                      policy: policy)
    }

    func testHandMadeMarketRoundTrips() throws {
        let market = handMadeMarket()
        let (loaded, folder) = try roundTrip(market)
        defer { try? FileManager.default.removeItem(at: folder) }
        assertSameMarket(market, loaded)
        XCTAssertTrue(loaded.warnings.isEmpty)
        let policyText = try String(contentsOf: folder.appendingPathComponent("policy.json"), encoding: .utf8)
        XCTAssertEqual(policyText, """
            {
              "max_distance_km": 99,
              "weights": {
                "w_risk": 2.5
              },
              "allow_cross_rcc": false,
              "risk_model": {
                "intercept": -2.1,
                "provider_requires_improvement": 0.123456789
              }
            }

            """)
    }

    func testWrittenBytesAreDeterministicAndFormatted() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let market = handMadeMarket()
        try MarketWriter.write(market, to: folder)
        let names = ["children.csv", "placements.csv", "exclusions.csv", "local_authorities.csv", "policy.json"]
        let first = try names.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
        try MarketWriter.write(market, to: folder)
        let second = try names.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
        XCTAssertEqual(first, second)

        let children = String(decoding: first[0], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(children[0], "child_id,la_code,lat,lon,age,sex,needed_by,sibling_group,kinship,foster,residential,supported,alongside,pets,needs,risks,behaviour,prior_placements,max_distance_km,not_with")
        XCTAssertEqual(children[1], #"c1,LA-N,54.61234,-1.10001,16,X,today,"Smith, J & ""K""",unsuitable,suitable,preferred,suitable,younger_only,no,bsl;cultural,going_missing;sexual_harm,high,4,32.19,c2"#)
        // Not representable with 5 decimals: written in full rather than changed.
        XCTAssertTrue(children[2].hasPrefix("c2,LA-N,54.5123456789,-1.0000000001,3,F,"), String(children[2]))
        XCTAssertTrue(children[3].hasPrefix("c3,LA-S,,,0,M,after_5_days,,"), String(children[3]))
        XCTAssertEqual(children.last, "")
        let placements = String(decoding: first[1], as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(placements[1], #"k1,kinship,family Smith,family,LA-S,-12.50000,179.99999,2,1,17,0,17,any,,,true,0.00,not_rated,"Smith, J & ""K"";c3""#)
        XCTAssertTrue(placements[2].contains(",6123.45,requires_improvement,"))
        XCTAssertTrue(placements[3].contains(",650.125,outstanding,"))
        XCTAssertFalse(first.contains { $0.contains(0x0D) })
    }

    func testDefaultsAreNotWrittenAndStaleFilesRemoved() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try MarketWriter.write(handMadeMarket(), to: folder)
        let westminster = EnglandLocalAuthorities.all.first { $0.code == "E09000033" }!
        let plain = Market(
            localAuthorities: EnglandLocalAuthorities.all,
            children: [Child(id: "a", laCode: "E09000033", location: westminster.centroid, locationGiven: false, age: 9, sex: .F)],
            placements: [Placement(id: "p", type: .foster, laCode: "E09000033", location: GeoPoint(lat: 51.5, lon: -0.1),
                                   capacity: 1, weeklyCost: 700)])
        try MarketWriter.write(plain, to: folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(files, ["children.csv", "placements.csv"])
        let loaded = try MarketLoader.load(from: folder)
        assertSameMarket(plain, loaded)
    }

    func testRandomMarketsRoundTrip() throws {
        for seed in UInt64(1)...8 {
            let market = randomMarket(seed: seed, children: 300, placements: 200)
            let (loaded, folder) = try roundTrip(market)
            try? FileManager.default.removeItem(at: folder)
            assertSameMarket(market, loaded)
        }
    }

    func testWriterRefusesValuesThatWouldNotLoadBack() {
        var market = handMadeMarket()
        market.placements[0].weeklyCost = .infinity
        XCTAssertThrowsError(try MarketWriter.write(market, to: temporaryFolder()))
        market = handMadeMarket()
        market.children[0].notWith = ["a;b"]
        XCTAssertThrowsError(try MarketWriter.write(market, to: temporaryFolder()))
        market = handMadeMarket()
        market.exclusions[0].reason = " padded "
        XCTAssertThrowsError(try MarketWriter.write(market, to: temporaryFolder()))
    }

    func testNumberFormat() {
        XCTAssertEqual(NumberFormat.fixed(51.5, decimals: 5), "51.50000")
        XCTAssertEqual(NumberFormat.fixed(-0.000001, decimals: 5), "0.00000")
        // Ties are decided on the decimal value written, not on its binary approximation.
        XCTAssertEqual(NumberFormat.fixed(-1.234565, decimals: 5), "-1.23457")
        XCTAssertEqual(NumberFormat.fixed(1.005, decimals: 2), "1.01")
        XCTAssertEqual(NumberFormat.fixed(0.125, decimals: 2), "0.13")
        XCTAssertEqual(NumberFormat.fixed(1.00499, decimals: 2), "1.00")
        XCTAssertEqual(NumberFormat.exact(-1.234565, decimals: 5), "-1.234565")
        XCTAssertEqual(NumberFormat.fixed(2.5, decimals: 0), "3")
        XCTAssertEqual(NumberFormat.exact(650.1, decimals: 2), "650.10")
        XCTAssertEqual(NumberFormat.exact(0.1 + 0.2, decimals: 2), "0.30000000000000004")
        XCTAssertEqual(NumberFormat.shortest(150), "150")
        XCTAssertEqual(NumberFormat.shortest(1e-5), "1e-05")
        XCTAssertEqual(CellParse.number("1e-05"), 1e-5)
    }

    // MARK: Malformed input never crashes

    func testRandomByteMutationsNeverCrash() throws {
        let market = handMadeMarket()
        let originals = try MarketWriter.encode(market).compactMap { name, bytes in bytes.map { (name, $0) } }
        let alphabet: [UInt8] = Array(",;\"\r\n \t0123456789.-+eE_aZ".utf8) + [0x00, 0x80, 0xC3, 0xEF, 0xBB, 0xBF, 0xFF]
        var random = LoaderTestRandom(seed: 20240601)
        var loaded = 0, rejected = 0
        for _ in 0..<300 {
            var files = Dictionary(uniqueKeysWithValues: originals)
            let (name, original) = originals[random.below(originals.count)]
            var bytes = original
            mutate(&bytes, most: 4, kinds: 4, alphabet: alphabet, random: &random) { _, bytes, random in cutShort(&bytes, &random) }
            files[name] = bytes
            let folder = try LoaderFixture.folder(bytes: files)
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                _ = try MarketLoader.load(from: folder)
                loaded += 1
            } catch {
                rejected += 1
                let lineCount = bytes.filter { $0 == 0x0A || $0 == 0x0D }.count + 1
                for issue in error.issues {
                    XCTAssertTrue(originals.contains { $0.0 == issue.file }, issue.description)
                    if let line = issue.line, issue.file == name { XCTAssertLessThanOrEqual(line, lineCount, issue.description) }
                    XCTAssertFalse(issue.expected.isEmpty)
                }
            }
        }
        XCTAssertEqual(loaded + rejected, 300)
        XCTAssertGreaterThan(rejected, 50)
    }

    // MARK: A seeded random valid market

    func randomMarket(seed: UInt64, children childCount: Int, placements placementCount: Int) -> Market {
        var r = LoaderTestRandom(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[r.below(items.count)] }
        func coordinate(_ range: Double, _ decimals: Bool) -> Double {
            let v = (Double(r.below(2_000_001)) - 1_000_000) / 1_000_000 * range
            return decimals ? (v * 100_000).rounded() / 100_000 : v
        }
        let las = EnglandLocalAuthorities.all
        var children: [Child] = []
        for i in 0..<childCount {
            let la = pick(las)
            let age = r.below(18)
            var suitability = TypeSuitability.defaults(age: age)
            if r.below(3) == 0 { suitability.foster = pick(Suitability.allCases) }
            if age >= 16, r.below(2) == 0 { suitability.supported = pick(Suitability.allCases) }
            let given = r.below(4) != 0
            children.append(Child(
                id: "child-\(seed)-\(i)", laCode: la.code,
                location: given ? GeoPoint(lat: coordinate(90, r.below(5) != 0), lon: coordinate(180, true)) : la.centroid,
                locationGiven: given, age: age, sex: pick(Sex.allCases), neededBy: pick(Urgency.allCases),
                siblingGroup: r.below(5) == 0 ? "g\(r.below(30))" : nil, suitability: suitability,
                alongside: pick(Alongside.allCases), pets: pick(PetsPreference.allCases),
                needs: NeedSet(bits: UInt32(r.below(1 << Need.allCases.count))),
                risks: RiskSet(bits: UInt32(r.below(1 << RiskFlag.allCases.count))),
                behaviour: pick(Behaviour.allCases), priorPlacements: r.below(8),
                maxDistanceKm: r.below(4) == 0 ? Double(1 + r.below(20_000)) / 100 : nil,
                notWith: i > 0 && r.below(10) == 0 ? ["child-\(seed)-\(r.below(i))"] : []))
        }
        let groups = Array(Set(children.compactMap(\.siblingGroup))).sorted()
        var placements: [Placement] = []
        for i in 0..<placementCount {
            let la = pick(las)
            let type = pick(PlacementType.allCases)
            let occupied = r.below(4)
            let ages = r.below(3) == 0 ? nil : (0..<occupied).map { _ in r.below(18) }
            let ageMin = r.below(18)
            let given = r.below(4) != 0
            var forChildren: [String] = []
            if type == .kinship {
                forChildren = [children[r.below(children.count)].id]
                if let g = groups.first, r.below(2) == 0 { forChildren.append(r.below(2) == 0 ? g : pick(groups)) }
            }
            placements.append(Placement(
                id: "p\(i)", type: type, providerId: r.below(2) == 0 ? "prov \(r.below(50))" : nil,
                providerKind: pick(ProviderKind.allCases), laCode: la.code,
                location: given ? GeoPoint(lat: coordinate(90, true), lon: coordinate(180, r.below(5) != 0)) : la.centroid,
                locationGiven: given, capacity: r.below(5), occupied: occupied,
                residentAges: occupied == 0 ? nil : ages, ageMin: ageMin, ageMax: ageMin + r.below(18 - ageMin),
                sexes: pick(SexesAccepted.allCases), needsMet: NeedSet(bits: UInt32(r.below(1 << Need.allCases.count))),
                risksManaged: RiskSet(bits: UInt32(r.below(1 << RiskFlag.allCases.count))), hasPets: r.below(2) == 0,
                weeklyCost: Double(r.below(1_500_000)) / (r.below(4) == 0 ? 1000 : 100),
                ofsted: pick(OfstedRating.allCases), forChildren: forChildren))
        }
        let exclusions = (0..<(childCount / 10)).map { k in
            Exclusion(childId: children[r.below(childCount)].id, placementId: placements[r.below(placementCount)].id,
                      reason: k % 3 == 0 ? "" : "reason \(k), \"quoted\"")
        }
        var policy = Policy()
        if seed % 2 == 0 {
            policy.splitPenalty = Double(r.below(1000)) / 7
            policy.excludeInadequate = false
        }
        return Market(localAuthorities: las, children: children, placements: placements, exclusions: exclusions,
                      policy: policy)
    }
}
