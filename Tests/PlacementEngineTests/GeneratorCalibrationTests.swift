// Marginals of large generated markets against the published targets (Calibration.swift), each
// within a stated tolerance. The national market (83,630 children, every place in England) and the
// pool (1,000 children, every vacancy) are generated once for the whole class.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class GeneratorCalibrationTests: XCTestCase {
    var d: MarketDescription { GeneratorFixture.nationalDescription }

    /// The targets are the published figures (shared/data/README.md), written out here a second time so
    /// that an edit to Calibration.swift cannot move a target and the market with it unnoticed.
    func testTargetsAreThePublishedFigures() {
        XCTAssertEqual(Calibration.ageBands.map(\.share), [0.15, 0.15, 0.15, 0.26, 0.29])
        XCTAssertEqual(Calibration.ageBands.map(\.ages), [0...0, 1...4, 5...9, 10...15, 16...17])
        XCTAssertEqual(Calibration.typeMixPublished.map(\.percent), [15.6, 27.9 + 24.8, 11.4, 9.8])
        XCTAssertEqual(Calibration.fosterInHouseShare, 27.9 / 52.7, accuracy: 1e-12)
        XCTAssertEqual([Calibration.fosterHouseholds, Calibration.fosterApprovedPlaces], [42_615, 70_465])
        XCTAssertEqual(Calibration.fosterVacancyRate, 0.16)
        XCTAssertEqual([Calibration.childrensHomes, Calibration.childrensHomePlaces], [2_880, 10_818])
        XCTAssertEqual(Calibration.homeRegionShares, ["North West": 0.25, "London": 0.06, "South East": 0.07])
        XCTAssertEqual(Calibration.childrenLookedAfter, 83_630)
        XCTAssertEqual(Calibration.nightlyChildren, Int((89_000.0 / 365).rounded()))
        XCTAssertEqual(Calibration.priorPlacements3PlusTarget, 0.23)
        // The household and home size mixes give the published means; shares sum to 1.
        let fosterMean = Calibration.fosterApprovedPlacesMix.reduce(0.0) { $0 + Double($1.places) * $1.share }
        XCTAssertEqual(fosterMean, 70_465.0 / 42_615, accuracy: 0.002)
        let homeMean = Calibration.homePlacesMix.reduce(0.0) { $0 + Double($1.places) * $1.share }
        XCTAssertEqual(homeMean, 10_818.0 / 2_880, accuracy: 0.01)
        for shares in [Calibration.ageBands.map(\.share), Calibration.fosterApprovedPlacesMix.map(\.share),
                       Calibration.homePlacesMix.map(\.share), Calibration.siblingGroupSizes.map(\.share),
                       Calibration.urgencyMix.map(\.share)] {
            XCTAssertEqual(shares.reduce(0, +), 1, accuracy: 1e-9)
        }
    }

    func testAgeMixOnEnteringCareWithin1Point() {
        for (i, band) in Calibration.ageBands.enumerated() {
            XCTAssertEqual(d.ageBandShares[i], band.share, accuracy: 0.01, "age \(band.label)")
        }
    }

    func testCarePlanTypeMixWithin1_5Points() {
        for t in PlacementType.allCases {
            XCTAssertEqual(d.preferredTypeShares[t]!, Calibration.typeShare(t), accuracy: 0.015, "\(t)")
        }
    }

    func testSiblingsBehaviourPriorPlacementsAndSex() {
        XCTAssertEqual(d.siblingShare, Calibration.siblingShare, accuracy: 0.01)
        XCTAssertTrue((2.3...2.9).contains(d.meanSiblingGroupSize), "\(d.meanSiblingGroupSize)")
        let groups = Dictionary(grouping: GeneratorFixture.national.children.compactMap(\.siblingGroup), by: { $0 })
        XCTAssertTrue(groups.values.allSatisfy { (2...5).contains($0.count) })
        XCTAssertTrue((0.40...0.45).contains(d.behaviourHigh5to16), "behaviour high \(d.behaviourHigh5to16)")
        XCTAssertEqual(d.prior3PlusShare, Calibration.priorPlacements3PlusTarget, accuracy: 0.015)
        XCTAssertEqual(d.sexShares[.M]!, 0.56, accuracy: 0.02)
        XCTAssertEqual(d.supportedUnder16Errors, 0)
    }

    func testTeenagersCarryMoreRisksAndHomesManageMore() {
        for r in [RiskFlag.going_missing, .sexual_exploitation, .criminal_exploitation, .self_harm, .substance_use] {
            XCTAssertGreaterThan(d.riskSharesTeen[r]!, 3 * d.riskSharesUnder12[r]!, "\(r)")
        }
        for r in RiskFlag.allCases {
            XCTAssertGreaterThan(d.riskPlaceSharesResidential[r]!, d.riskPlaceSharesFoster[r]!, "\(r)")
        }
        // Rarer needs rare: BSL and DoLS under 1%, therapeutic the commonest of the clinical ones.
        XCTAssertLessThan(d.needShares[.bsl]!, 0.01)
        XCTAssertLessThan(d.needShares[.dols]!, 0.01)
        XCTAssertGreaterThan(d.needShares[.therapeutic]!, d.needShares[.disability]!)
    }

    func testNationalStockIsEveryPlaceInEngland() {
        XCTAssertEqual(Double(d.placesByType[.foster]!), Double(Calibration.fosterApprovedPlaces), accuracy: 0.015 * 70_465)
        XCTAssertEqual(d.placementsByType[.foster]!, Calibration.fosterHouseholds)
        XCTAssertEqual(d.placementsByType[.residential]!, Calibration.childrensHomes)
        XCTAssertEqual(Double(d.placesByType[.residential]!), Double(Calibration.childrensHomePlaces), accuracy: 0.02 * 10_818)
        XCTAssertEqual(d.homeMeanPlaces, 10_818.0 / 2_880, accuracy: 0.08)
        XCTAssertEqual(Double(d.placesByType[.supported]!), Double(Calibration.supportedPlaces), accuracy: 0.04 * 9_313)
        for t in PlacementType.allCases where t != .kinship { XCTAssertEqual(d.occupiedByType[t], 0, "\(t): national re-places everyone") }
        XCTAssertEqual(d.fosterInHousePlaceShare, Calibration.fosterInHouseShare, accuracy: 0.01)
    }

    func testPoolHasEveryVacancyInEngland() {
        let p = MarketDescription(GeneratorFixture.pool, distances: false)
        XCTAssertEqual(p.childCount, 1_000)
        let fosterVacant = Calibration.fosterVacancyRate * Double(Calibration.fosterApprovedPlaces)   // 11,274
        XCTAssertEqual(Double(p.placesByType[.foster]!), fosterVacant, accuracy: 0.03 * fosterVacant)
        let homesVacant = Calibration.homeVacancyRate * Double(Calibration.childrensHomePlaces)        // 1,623
        XCTAssertEqual(Double(p.placesByType[.residential]!), homesVacant, accuracy: 0.06 * homesVacant)
        let supportedVacant = Calibration.supportedVacancyRate * Double(Calibration.supportedPlaces)   // 1,118
        XCTAssertEqual(Double(p.placesByType[.supported]!), supportedVacant, accuracy: 0.08 * supportedVacant)
        // Foster households of capacity 1-3, some with children already living there.
        let foster = GeneratorFixture.pool.placements.filter { $0.type == .foster }
        XCTAssertTrue(foster.allSatisfy { (1...3).contains($0.capacity) })
        XCTAssertGreaterThan(foster.filter { $0.occupied > 0 }.count, foster.count / 5)
        // Occupied homes carry resident ages (mostly) that fit their approval.
        for pl in GeneratorFixture.pool.placements where pl.occupied > 0 {
            guard let ages = pl.residentAges else { continue }
            XCTAssertEqual(ages.count, pl.occupied)
            XCTAssertTrue(ages.allSatisfy { (0...17).contains($0) })
        }
        // Kinship carers for some children: one per child or sibling group with kin (~17% prefer kin, plus a few).
        XCTAssertTrue((0.12...0.25).contains(Double(p.placementsByType[.kinship]!) / 1_000), "\(p.placementsByType[.kinship]!)")
    }

    func testFeesByTypeAndProviderKind() {
        let fees = Dictionary(uniqueKeysWithValues: zip(Calibration.feeTargets.map(\.label), d.meanFees))
        XCTAssertEqual(fees["foster, LA"]!!, 650, accuracy: 25)
        XCTAssertEqual(fees["foster, IFA"]!!, 820, accuracy: 25)
        XCTAssertTrue((3_800...6_100).contains(fees["residential"]!!), "residential mean \(fees["residential"]!!)")
        XCTAssertTrue(Calibration.residential10kShareRange.contains(d.residential10kShare), "£10k+ share \(d.residential10kShare)")
        XCTAssertLessThan(fees["supported"]!!, fees["residential"]!! / 2)
        XCTAssertLessThan(fees["kinship"]!!, fees["foster, LA"]!!)
        let homeFees = GeneratorFixture.national.placements.filter { $0.type == .residential }.map(\.weeklyCost).sorted()
        let median = homeFees[homeFees.count / 2]
        XCTAssertTrue((3_800...6_100).contains(median), "residential median \(median)")
    }

    func testChildrensHomesConcentratedAsOfstedReports() {
        func share(_ region: String) -> Double { d.homeRegionShares[d.regions.firstIndex(of: region)!] }
        XCTAssertEqual(share("North West"), 0.25, accuracy: 0.025)
        XCTAssertEqual(share("London"), 0.06, accuracy: 0.015)
        XCTAssertEqual(share("South East"), 0.07, accuracy: 0.015)
        // Children follow children looked after: London and the South East have far more children than homes.
        func childShare(_ region: String) -> Double { d.childRegionShares[d.regions.firstIndex(of: region)!] }
        XCTAssertEqual(childShare("North West"), 15_071.0 / 83_529, accuracy: 0.01)
        XCTAssertGreaterThan(childShare("London"), 1.6 * share("London"))
        XCTAssertGreaterThan(childShare("South East"), 1.6 * share("South East"))
        // Foster places lean away from London relative to where children come from.
        XCTAssertLessThan(d.fosterPlaceRegionShares[d.regions.firstIndex(of: "London")!], childShare("London"))
    }

    func testOfstedRatingsMostlyGoodWithAFewInadequate() {
        let good = d.ratingSharesResidential[.good]! + d.ratingSharesResidential[.outstanding]!
        XCTAssertTrue((0.75...0.85).contains(good), "\(good)")
        XCTAssertTrue((0.015...0.035).contains(d.ratingSharesResidential[.inadequate]!))
        XCTAssertGreaterThan(d.ratingSharesFoster[.requires_improvement]!, 0.05)
    }

    func testKinshipCarersMostlyNearAndNeverOnlyNear() {
        XCTAssertEqual(d.kinshipWithin20Km, Calibration.kinshipNearShare, accuracy: 0.02)
        let kin = GeneratorFixture.national.placements.filter { $0.type == .kinship }
        XCTAssertTrue(kin.allSatisfy { $0.providerKind == .family && $0.ofsted == .not_rated && !$0.forChildren.isEmpty })
    }

    func testChildrenAreSpreadOverLSOAsNotAtCentroids() {
        let m = GeneratorFixture.pool
        var centroid = [String: GeoPoint]()
        for la in m.localAuthorities { centroid[la.code] = la.centroid }
        let atCentroid = m.children.filter { $0.location == centroid[$0.laCode]! }.count
        XCTAssertEqual(atCentroid, 0)
        XCTAssertGreaterThan(Set(m.children.map(\.location)).count, 800)
        // Each child is within 300 m of an LSOA point of its own LA.
        let e = GeneratorFixture.england
        let laIndex = Dictionary(uniqueKeysWithValues: e.localAuthorities.enumerated().map { ($1.code, $0) })
        for c in m.children.prefix(200) {
            let pts = e.pointsOfLA[laIndex[c.laCode]!]
            let cosLat = GenGeometry.cosDegrees(c.location.lat)
            let nearest = pts.map { GenGeometry.flatKm(lat1: c.location.lat, lon1: c.location.lon,
                                                       lat2: e.pointLat[Int($0)], lon2: e.pointLon[Int($0)], cosLat: cosLat) }.min()!
            XCTAssertLessThanOrEqual(nearest, 0.302, "\(c.id)")
        }
    }
}
