// The report map's projection: equirectangular, longitudes shrunk by cos(52.5°) (England's middle
// latitude), 160 map units per degree of latitude (one unit is about 0.69 km). The backdrop
// (EnglandBackdrop.swift, scripts/make_england_backdrop.py) is drawn with the same constants.

import Foundation
import PlacementEngine

struct MapProjection: Sendable {
    static let lon0 = -6.5
    static let lat1 = 56.0
    static let unitsPerDegree = 160.0
    static let lonScale = cos(52.5 * Double.pi / 180)
    /// England's whole frame in map units (x, y, width, height).
    static let england = MapBox(minX: 0, minY: 20, maxX: 820, maxY: 990)

    static func x(_ p: GeoPoint) -> Double { (p.lon - lon0) * lonScale * unitsPerDegree }
    static func y(_ p: GeoPoint) -> Double { (lat1 - p.lat) * unitsPerDegree }
}

/// A rectangle of map units, grown to hold points.
struct MapBox: Sendable, Equatable {
    var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
    var isEmpty: Bool { minX > maxX }

    mutating func add(_ p: GeoPoint) {
        let x = MapProjection.x(p), y = MapProjection.y(p)
        minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
    }

    /// An SVG viewBox around the box: padded by a tenth (at least 15 units, about 10 km), and at
    /// most England's frame when empty.
    var viewBox: String {
        guard !isEmpty else { return MapProjection.england.viewBox(pad: 0) }
        return viewBox(pad: max(15, 0.1 * max(maxX - minX, maxY - minY)))
    }

    func viewBox(pad: Double) -> String {
        let f = { (v: Double) in String(format: "%.1f", v) }
        return "\(f(minX - pad)) \(f(minY - pad)) \(f(maxX - minX + 2 * pad)) \(f(maxY - minY + 2 * pad))"
    }
}
