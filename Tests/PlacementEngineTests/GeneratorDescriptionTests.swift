// MarketDescription on small hand-made markets, where every figure can be worked out by hand.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class GeneratorDescriptionTests: XCTestCase {
    private func market() -> Market {
        let la = EnglandLocalAuthorities.all
        let newcastle = la.first { $0.name == "Newcastle upon Tyne" }!
        let home = GeoPoint(lat: 54.97, lon: -1.61)
        let children = [
            Child(id: "C1", laCode: newcastle.code, location: home, age: 14, sex: .F, siblingGroup: "SG1",
                  needs: NeedSet([.therapeutic]), behaviour: .high, priorPlacements: 3),
            Child(id: "C2", laCode: newcastle.code, location: home, age: 9, sex: .M, siblingGroup: "SG1"),
            Child(id: "C3", laCode: newcastle.code, location: home, age: 0, sex: .F),
            Child(id: "C4", laCode: newcastle.code, location: home, age: 16, sex: .M,
                  suitability: TypeSuitability(kinship: .suitable, foster: .suitable, residential: .unsuitable, supported: .preferred)),
        ]
        let placements = [
            // 1 km north: foster, but meets no therapeutic need.
            Placement(id: "P1", type: .foster, providerKind: .la, laCode: newcastle.code,
                      location: GeoPoint(lat: 54.97 + 1 / GenGeometry.kmPerDegree, lon: -1.61), capacity: 2, weeklyCost: 600),
            // 50 km north: foster meeting the therapeutic need.
            Placement(id: "P2", type: .foster, providerKind: .ifa, laCode: newcastle.code,
                      location: GeoPoint(lat: 54.97 + 50 / GenGeometry.kmPerDegree, lon: -1.61), capacity: 1,
                      needsMet: NeedSet([.therapeutic]), weeklyCost: 800),
            Placement(id: "P3", type: .residential, providerKind: .private, laCode: newcastle.code, location: home,
                      capacity: 3, occupied: 1, residentAges: [15], ageMin: 11, weeklyCost: 12_000, ofsted: .inadequate),
        ]
        return Market(localAuthorities: la, children: children, placements: placements)
    }

    func testFiguresOfASmallMarket() {
        let d = MarketDescription(market())
        XCTAssertEqual(d.childCount, 4)
        XCTAssertEqual(d.ageBandShares, [0.25, 0, 0.25, 0.25, 0.25])
        XCTAssertEqual(d.siblingShare, 0.5)
        XCTAssertEqual(d.siblingGroups, 1)
        XCTAssertEqual(d.behaviourHigh5to16, 1.0 / 3, accuracy: 1e-12)   // C1 of the 5-16s C1, C2, C4
        XCTAssertEqual(d.prior3PlusShare, 0.25)
        XCTAssertEqual(d.placesByType[.foster], 3)
        XCTAssertEqual(d.occupiedByType[.residential], 1)
        XCTAssertEqual(d.residential10kShare, 1)
        XCTAssertEqual(d.meanFees[0]!, 600, accuracy: 1e-9)   // foster, LA
        XCTAssertEqual(d.meanFees[1]!, 800, accuracy: 1e-9)   // foster, IFA
        XCTAssertEqual(d.fosterInHousePlaceShare, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(d.ratingSharesResidential[.inadequate], 1)
        XCTAssertEqual(d.supportedUnder16Errors, 0)
        // C1 needs therapy: P1 (1 km) does not meet it, P3 is inadequate, so its nearest is P2 at 50 km.
        // C2, C3: P1 at 1 km. C4 (supported preferred, foster suitable): P1.
        XCTAssertEqual(d.nearestOver20Miles, 0.25, accuracy: 1e-12)
        XCTAssertEqual(d.nearestMedianKm, 1, accuracy: 0.01)
        XCTAssertEqual(d.nearestFosterOver20Miles, 1.0 / 3, accuracy: 1e-12)   // C1 of C1, C2, C3 (foster preferred)
        let table = d.table()
        XCTAssertTrue(table.contains("age under 1"))
        XCTAssertTrue(table.contains("15.0% entering care 2024 (DfE)"))
        XCTAssertTrue(table.contains("£10,000+"))
    }

    func testSupportedUnder16IsCountedAsAnError() {
        var m = market()
        m.children[0].suitability.supported = .suitable
        XCTAssertEqual(MarketDescription(m, distances: false).supportedUnder16Errors, 1)
    }
}
