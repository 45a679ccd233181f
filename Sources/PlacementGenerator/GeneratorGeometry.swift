// Deterministic geometry for the generator: only +, -, *, / and sqrt, so every machine computes the
// same bits (a C library's cos may differ in the last bit, and a point would then round differently).

import PlacementEngine

enum GenGeometry {
    /// Kilometres per degree of latitude on a sphere of radius 6371.0088 km (the spec's Earth).
    static let kmPerDegree = 6371.0088 * Double.pi / 180

    /// cos(degrees) by its Taylor series in radians, to 1e-12 for |x| <= 90 degrees: England's latitudes.
    static func cosDegrees(_ degrees: Double) -> Double {
        let x = degrees * Double.pi / 180
        let x2 = x * x
        var term = 1.0, sum = 1.0
        for k in 1...10 {
            term = -term * x2 / Double((2 * k - 1) * (2 * k))
            sum += term
        }
        return sum
    }

    /// Distance on a local flat projection, km: exact enough within tens of km (the generator's
    /// "within 20 km" and jitter); `MarketDescription` uses haversine.
    static func flatKm(lat1: Double, lon1: Double, lat2: Double, lon2: Double, cosLat: Double) -> Double {
        let dy = (lat2 - lat1) * kmPerDegree
        let dx = (lon2 - lon1) * kmPerDegree * cosLat
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Rounds to 5 decimals (about 1 m), so the written coordinates are short and exact.
    static func round5(_ x: Double) -> Double { (x * 100_000).rounded() / 100_000 }

    /// A point within `radiusKm` of (lat, lon), uniform on the disc (rejection from the square, no trig).
    static func jitter(lat: Double, lon: Double, radiusKm: Double, _ rng: inout SeededRandom) -> GeoPoint {
        var dx = 0.0, dy = 0.0
        repeat {
            dx = rng.uniform(-1, 1); dy = rng.uniform(-1, 1)
        } while dx * dx + dy * dy > 1
        let dLat = dy * radiusKm / kmPerDegree
        let dLon = dx * radiusKm / (kmPerDegree * cosDegrees(lat))
        return GeoPoint(lat: round5(lat + dLat), lon: round5(lon + dLon))
    }
}

/// LSOA points bucketed on a grid, to find the points within a radius of a place quickly.
struct PointGrid: Sendable {
    static let cellDegrees = 0.1
    private let minLat: Double, minLon: Double
    private let rows: Int, cols: Int
    private let cellStart: [Int32]   // rows * cols + 1 offsets into `items`
    private let items: [Int32]
    private let lat: [Double], lon: [Double]

    init(lat: [Double], lon: [Double]) {
        self.lat = lat; self.lon = lon
        minLat = (lat.min() ?? 0) - Self.cellDegrees
        minLon = (lon.min() ?? 0) - Self.cellDegrees
        rows = Int(((lat.max() ?? 0) - minLat) / Self.cellDegrees) + 2
        cols = Int(((lon.max() ?? 0) - minLon) / Self.cellDegrees) + 2
        var counts = [Int32](repeating: 0, count: rows * cols + 1)
        var cellOf = [Int](repeating: 0, count: lat.count)
        for i in lat.indices {
            let c = Int((lat[i] - minLat) / Self.cellDegrees) * cols + Int((lon[i] - minLon) / Self.cellDegrees)
            cellOf[i] = c
            counts[c + 1] += 1
        }
        for c in 1..<counts.count { counts[c] += counts[c - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: lat.count)
        for i in lat.indices {
            items[Int(fill[cellOf[i]])] = Int32(i)
            fill[cellOf[i]] += 1
        }
        cellStart = counts; self.items = items
    }

    /// Indices of the points within `km` of (lat, lon), in index order within each cell (deterministic).
    func points(near lat0: Double, _ lon0: Double, withinKm km: Double) -> [Int32] {
        let cosLat = GenGeometry.cosDegrees(lat0)
        let dRows = Int(km / (GenGeometry.kmPerDegree * Self.cellDegrees)) + 1
        let dCols = Int(km / (GenGeometry.kmPerDegree * cosLat * Self.cellDegrees)) + 1
        let r0 = Int((lat0 - minLat) / Self.cellDegrees), c0 = Int((lon0 - minLon) / Self.cellDegrees)
        var out = [Int32]()
        for r in max(0, r0 - dRows)...min(rows - 1, max(0, r0 + dRows)) {
            for c in max(0, c0 - dCols)...min(cols - 1, max(0, c0 + dCols)) {
                let cell = r * cols + c
                for k in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
                    let i = Int(items[k])
                    if GenGeometry.flatKm(lat1: lat0, lon1: lon0, lat2: lat[i], lon2: lon[i], cosLat: cosLat) <= km {
                        out.append(items[k])
                    }
                }
            }
        }
        return out
    }
}
