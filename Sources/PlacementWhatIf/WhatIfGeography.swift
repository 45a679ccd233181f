// Where what-if puts new homes: at random LSOA centre points of the area. LSOAs are drawn to hold
// roughly equal populations (about 1,500 people each), so a uniform draw over an area's LSOA points
// is a draw weighted by where people live. Without the points file, the LA centroids are used.

import Foundation
import PlacementEngine
import PlacementGenerator

public struct WhatIfGeography: Sendable {
    /// LSOA centre points of each LA, by LA code, in the file's order.
    let pointsByLA: [String: [GeoPoint]]
    /// What the points are, for notes: `32844 LSOA points (fixtures/england)` or `LA centroids`.
    public let source: String

    public init(pointsByLA: [String: [GeoPoint]], source: String) {
        self.pointsByLA = pointsByLA; self.source = source
    }

    /// The LSOA points of England's reference data.
    public init(england: EnglandData) {
        var byLA: [String: [GeoPoint]] = [:]
        for (la, points) in england.pointsOfLA.enumerated() {
            byLA[england.localAuthorities[la].code] = points.map {
                GeoPoint(lat: england.pointLat[Int($0)], lon: england.pointLon[Int($0)])
            }
        }
        self.init(pointsByLA: byLA, source: "\(england.pointCount) LSOA centre points")
    }

    /// No LSOA points: new homes go to their LA's centroid (as given in the market).
    public static let centroidsOnly = WhatIfGeography(pointsByLA: [:], source: "LA centroids (no LSOA points)")

    /// England's LSOA points from `explicit` or the first `fixtures/england` found (see
    /// `EnglandData.locate`); `nil` with the reason when they cannot be read.
    public static func england(explicit: String? = nil, extraStarts: [URL] = []) -> (WhatIfGeography?, String?) {
        do {
            let folder = try EnglandData.locate(explicit: explicit, extraStarts: extraStarts)
            let data = try EnglandData(folder: folder)
            return (WhatIfGeography(england: data), nil)
        } catch {
            return (nil, error.description)
        }
    }

    /// Candidate points for new homes in the LAs `laCodes` (market order): every LSOA point of those
    /// LAs, else each LA's centroid.
    func candidates(laCodes: [String], market: Market) -> (points: [(la: String, point: GeoPoint)], what: String) {
        var out: [(la: String, point: GeoPoint)] = []
        for code in laCodes {
            for p in pointsByLA[code] ?? [] { out.append((code, p)) }
        }
        if !out.isEmpty { return (out, "random points among its \(out.count) LSOA centres") }
        let centroids = Dictionary(market.localAuthorities.map { ($0.code, $0.centroid) }, uniquingKeysWith: { a, _ in a })
        out = laCodes.compactMap { code in centroids[code].map { (code, $0) } }
        return (out, "the centroid\(out.count == 1 ? "" : "s") of its \(out.count) LA\(out.count == 1 ? "" : "s") (no LSOA points)")
    }
}
