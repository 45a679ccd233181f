// Eligibility of one child against every placement at once, without testing every pair: at
// national scale (83,630 children x 62,756 placements, 5 billion pairs, most within the default
// 150 km) the pair-by-pair loop took minutes. The answers are exactly those of
// `EligibilityChecker.mask`, pair by pair (a test compares them):
//
// - Every rule but D, K and X depends on a few of the child's fields (rule G on age and sex, rule N
//   on needs, ...). For each rule and each distinct value of those fields among the market's
//   children, the set of placements the rule lets through is computed once, with `mask` itself,
//   as a bitset. A child's count for the rule is the number of placements outside its set, and
//   the placements every such rule lets through are the AND of its sets.
// - K and X name placements per child, and are applied to that AND directly.
// - D (distance) is counted on a grid of latitude rows, each sorted by longitude: in each row, the
//   placements far enough in longitude are beyond the limit for certain, those near enough are
//   within it for certain (both with a relative margin of 1e-6, far beyond rounding), and only the
//   thin ring in between gets the exact `boundedDistanceKm`.
//
// The eligible placements are then the candidates (every rule but D holds) that pass the full
// `mask` with their exact distance, so eligibility itself never depends on the shortcuts above.

import Foundation

/// A set of placements, one bit each, at their slots (`EligibilitySets.slot`): the distance
/// grid's order for non-kinship homes, so that a row's longitude range is a range of bits, then
/// the kinship homes.
typealias PlacementBits = [UInt64]

struct EligibilitySets: Sendable {
    /// The rules decided by a per-rule key of the child's fields (all but K, D and X).
    static let keyedRules: [Rule] = [.type, .ageSex, .needs, .risks, .pets, .alongside, .quality, .capacity, .outOfRegion]

    let placementCount: Int
    let words: Int
    /// Distinct pass sets, and how many placements each lets through.
    let passSets: [PlacementBits]
    let passCounts: [Int]
    /// Per child, per keyed rule (in `keyedRules` order): the index of its pass set.
    let childPass: [[Int32]]
    /// Placements that are not kinship homes (rule K lets them through for everyone).
    let notKinship: PlacementBits
    let kinshipCount: Int
    let grid: DistanceGrid
    /// Each placement's bit position, and the placement at each position.
    let slot: [Int32]
    let placementAt: [Int32]

    init(checker: EligibilityChecker) {
        let index = checker.index
        let P = index.placementCount
        placementCount = P
        let words = (P + 63) / 64
        self.words = words
        let grid = DistanceGrid(checker: checker)
        self.grid = grid
        var placementAt = grid.placement
        placementAt += (0..<P).filter { checker.pType[$0] == .kinship }.map { Int32($0) }
        var slot = [Int32](repeating: 0, count: P)
        for (k, p) in placementAt.enumerated() { slot[Int(p)] = Int32(k) }
        self.slot = slot
        self.placementAt = placementAt
        var sets: [PlacementBits] = []
        var counts: [Int] = []
        var known: [String: Int32] = [:]
        var childPass: [[Int32]] = []
        childPass.reserveCapacity(index.childCount)
        for c in 0..<index.childCount {
            let profile = checker.profile(c)
            var row: [Int32] = []
            for rule in Self.keyedRules {
                let key = "\(rule.rawValue)|" + Self.key(rule, profile)
                if let k = known[key] { row.append(k); continue }
                // The rule's bit of `mask` depends only on the fields in the key, so any child with
                // this key gives the set (the distance, 0, is irrelevant: D is not a keyed rule).
                var bits = PlacementBits(repeating: 0, count: words)
                var n = 0
                for p in 0..<P where !checker.mask(profile, placement: p, distanceKm: 0).contains(rule) {
                    let k = Int(slot[p])
                    bits[k >> 6] |= 1 << UInt64(k & 63)
                    n += 1
                }
                known[key] = Int32(sets.count)
                row.append(Int32(sets.count))
                sets.append(bits)
                counts.append(n)
            }
            childPass.append(row)
        }
        passSets = sets
        passCounts = counts
        self.childPass = childPass
        var notKinship = PlacementBits(repeating: 0, count: words)
        for k in 0..<grid.placement.count { notKinship[k >> 6] |= 1 << UInt64(k & 63) }
        self.notKinship = notKinship
        kinshipCount = P - grid.placement.count
    }

    /// The fields of the child that rule `rule`'s bit of `EligibilityChecker.mask` reads.
    static func key(_ rule: Rule, _ p: EligibilityChecker.ChildProfile) -> String {
        switch rule {
        case .type:
            let s = p.suitability
            return "\(s.kinship.rawValue),\(s.foster.rawValue),\(s.residential.rawValue),\(s.supported.rawValue)"
        case .ageSex: return "\(p.age),\(p.sex.rawValue)"
        case .needs: return "\(p.needs)"
        case .risks: return "\(p.risks),\(p.harmToAnimals),\(p.sexualHarm),\(p.sexualHarm ? p.age : -1)"
        case .pets: return p.pets.rawValue
        case .alongside: return "\(p.alongside.rawValue),\(p.age)"
        case .quality, .capacity: return ""
        case .outOfRegion: return "\(p.rcc)"
        case .kinship, .distance, .excluded: preconditionFailure("rule \(rule) is not keyed")
        }
    }

    /// Rule K's named homes of the child that really are kinship homes, without repeats.
    func namedKinship(_ profile: EligibilityChecker.ChildProfile, checker: EligibilityChecker) -> [Int] {
        var named: [Int] = []
        for p in profile.kinship where checker.pType[p] == .kinship && !named.contains(p) { named.append(p) }
        return named
    }

    /// The placements for which every rule but D holds (D is for the caller, with the distance).
    func candidates(_ profile: EligibilityChecker.ChildProfile, checker: EligibilityChecker) -> PlacementBits {
        let pass = childPass[profile.c]
        var acc = passSets[Int(pass[0])]
        for k in 1..<pass.count {
            passSets[Int(pass[k])].withUnsafeBufferPointer { set in
                for w in 0..<words { acc[w] &= set[w] }
            }
        }
        // K: kinship homes only where named.
        let before = acc
        for w in 0..<words { acc[w] &= notKinship[w] }
        for p in namedKinship(profile, checker: checker) where Self.contains(before, Int(slot[p])) {
            let k = Int(slot[p])
            acc[k >> 6] |= 1 << UInt64(k & 63)
        }
        // X: the pairs excluded by name.
        for p in profile.excluded {
            let k = Int(slot[p])
            acc[k >> 6] &= ~(1 << UInt64(k & 63))
        }
        return acc
    }

    /// How many placements each rule excludes for the child (each rule on its own), exactly as
    /// counting `mask` over every placement would.
    /// `beyond`: rule D's count when already known (it depends on the child's point and limit only).
    func ruleCounts(_ profile: EligibilityChecker.ChildProfile, checker: EligibilityChecker, beyond: Int? = nil) -> RuleCounts {
        var counts = RuleCounts()
        for (k, rule) in Self.keyedRules.enumerated() {
            counts[rule] = placementCount - passCounts[Int(childPass[profile.c][k])]
        }
        counts[.kinship] = kinshipCount - namedKinship(profile, checker: checker).count
        counts[.excluded] = profile.excluded.count
        counts[.distance] = beyond ?? grid.beyondLimit(profile, checker: checker)
        return counts
    }

    @inline(__always)
    static func contains(_ bits: PlacementBits, _ k: Int) -> Bool { bits[k >> 6] & (1 << UInt64(k & 63)) != 0 }

    /// Calls `body` for every placement in `bits`, in slot order.
    @inline(__always)
    func forEach(_ bits: PlacementBits, _ body: (Int) -> Void) {
        forEach(bits, from: 0, to: placementCount, body)
    }

    /// Calls `body` with the placement at every slot in `from..<to` that is in `bits`, in slot order.
    @inline(__always)
    func forEach(_ bits: PlacementBits, from: Int, to: Int, _ body: (Int) -> Void) {
        guard from < to else { return }
        var w = from >> 6
        var word = bits[w] & (~0 << UInt64(from & 63))
        let lastWord = (to - 1) >> 6
        while true {
            if w == lastWord, (to & 63) != 0 { word &= (1 << UInt64(to & 63)) - 1 }
            while word != 0 {
                body(Int(placementAt[w << 6 | word.trailingZeroBitCount]))
                word &= word - 1
            }
            w += 1
            if w > lastWord { break }
            word = bits[w]
        }
    }

    /// How many slots in `from..<to` are in `bits`.
    @inline(__always)
    static func count(_ bits: PlacementBits, from: Int, to: Int) -> Int {
        guard from < to else { return 0 }
        var n = 0
        let firstWord = from >> 6, lastWord = (to - 1) >> 6
        for w in firstWord...lastWord {
            var word = bits[w]
            if w == firstWord { word &= ~0 << UInt64(from & 63) }
            if w == lastWord, (to & 63) != 0 { word &= (1 << UInt64(to & 63)) - 1 }
            n += word.nonzeroBitCount
        }
        return n
    }
}

/// The placements that are not kinship homes (rule D's domain), in rows of latitude, each sorted
/// by longitude, for counting exactly how many lie beyond a child's distance limit.
struct DistanceGrid: Sendable {
    /// Height of a row in radians of latitude (about 6.4 km).
    static let rowHeight = 0.001
    /// Relative margin on the haversine term for the "certainly beyond / within" shortcuts.
    static let margin = 1e-6

    struct Row: Sendable {
        var start: Int, end: Int
        var latMin: Double, latMax: Double
        var cosMin: Double, cosMax: Double
    }
    let rows: [Row]
    /// Placements by row, then longitude; and their longitudes.
    let placement: [Int32]
    let lon: [Double]

    init(checker: EligibilityChecker) {
        var members: [(row: Int, lon: Double, p: Int)] = []
        for p in 0..<checker.pType.count where checker.pType[p] != .kinship {
            members.append((Int((checker.pLat[p] / Self.rowHeight).rounded(.down)), checker.pLon[p], p))
        }
        members.sort { ($0.row, $0.lon, $0.p) < ($1.row, $1.lon, $1.p) }
        placement = members.map { Int32($0.p) }
        lon = members.map(\.lon)
        var rows: [Row] = []
        var i = 0
        while i < members.count {
            var j = i
            var row = Row(start: i, end: i, latMin: .infinity, latMax: -.infinity, cosMin: .infinity, cosMax: -.infinity)
            while j < members.count, members[j].row == members[i].row {
                let p = members[j].p
                row.latMin = min(row.latMin, checker.pLat[p]); row.latMax = max(row.latMax, checker.pLat[p])
                row.cosMin = min(row.cosMin, checker.pCosLat[p]); row.cosMax = max(row.cosMax, checker.pCosLat[p])
                j += 1
            }
            row.end = j
            rows.append(row)
            i = j
        }
        self.rows = rows
    }

    /// First index in `start..<end` whose longitude is at least `value` (or more than it, `strictly`).
    @inline(__always)
    private func firstIndex(from start: Int, to end: Int, atLeast value: Double, strictly: Bool = false) -> Int {
        var lo = start, hi = end
        while lo < hi {
            let mid = (lo + hi) / 2
            if strictly ? lon[mid] <= value : lon[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// One row's members split by distance from a child: `[loOut, loIn)` and `[hiIn, hiOut)` need
    /// the exact distance, `[loIn, hiIn)` are within the limit for certain, the rest of the row
    /// beyond it for certain.
    struct Zones { var loOut: Int, loIn: Int, hiIn: Int, hiOut: Int }

    @inline(__always)
    func zones(_ row: Row, lat cLat: Double, lon cLon: Double, cos cCos: Double, limit: Double) -> Zones {
        let R = Geo.earthRadiusKm
        let none = Zones(loOut: row.start, loIn: row.start, hiIn: row.start, hiOut: row.start)
        // The latitude prefilter is monotone in latitude: if the row's nearest member fails it,
        // every member does.
        let nearest = cLat < row.latMin ? row.latMin : (cLat > row.latMax ? row.latMax : cLat)
        if abs(nearest - cLat) * R > limit { return none }
        let half = limit / (2 * R)
        let all = Zones(loOut: row.start, loIn: row.end, hiIn: row.end, hiOut: row.end)   // all exact
        guard half < 1.5, cCos > 0 else { return all }   // limits near half the globe: no shortcut
        // Haversine: h = sin²(Δφ/2) + cosφ1 cosφ2 sin²(Δλ/2), and d > limit exactly when h > H.
        let H = sin(half) * sin(half)
        // Certainly beyond: the least latitude term plus the longitude term exceed H (with margin).
        let sNear = sin(abs(nearest - cLat) / 2)
        let outArg = (H * (1 + Self.margin) - sNear * sNear) / (cCos * row.cosMin)
        if outArg <= 0 { return none }
        var wOut = outArg < 1 ? 2 * asin(outArg.squareRoot()) : Double.infinity
        // Past π of longitude the haversine term falls again: no shortcut if a member could be there.
        if wOut >= Double.pi - abs(cLon) { wOut = .infinity }
        // Certainly within: the largest latitude term plus the longitude term stay below H.
        let dPhiMax = max(abs(row.latMin - cLat), abs(row.latMax - cLat))
        let sFar = sin(dPhiMax / 2)
        let inArg = (H * (1 - Self.margin) - sFar * sFar) / (cCos * row.cosMax)
        let wIn = inArg > 0 ? 2 * asin(min(1, inArg).squareRoot()) : -1.0
        var z = all
        if wOut.isFinite {
            z.loOut = firstIndex(from: row.start, to: row.end, atLeast: cLon - wOut)
            z.hiOut = firstIndex(from: row.start, to: row.end, atLeast: cLon + wOut, strictly: true)
        }
        z.loIn = z.hiOut; z.hiIn = z.hiOut   // no certain-within zone: all of [loOut, hiOut) is exact
        if wIn >= 0, wIn < wOut {
            z.loIn = max(z.loOut, firstIndex(from: row.start, to: row.end, atLeast: cLon - wIn))
            z.hiIn = max(z.loIn, min(z.hiOut, firstIndex(from: row.start, to: row.end, atLeast: cLon + wIn, strictly: true)))
        }
        return z
    }

    /// How many non-kinship placements rule D excludes for the child: those whose
    /// `boundedDistanceKm` exceeds its limit.
    func beyondLimit(_ child: EligibilityChecker.ChildProfile, checker: EligibilityChecker) -> Int {
        let limit = child.maxDistanceKm
        let cLat = checker.cLat[child.c], cLon = checker.cLon[child.c], cCos = checker.cCosLat[child.c]
        var beyond = 0
        for row in rows {
            let z = zones(row, lat: cLat, lon: cLon, cos: cCos, limit: limit)
            beyond += (z.loOut - row.start) + (row.end - z.hiOut)
            for k in z.loOut..<z.loIn where checker.boundedDistanceKm(child, placement: Int(placement[k])) > limit { beyond += 1 }
            for k in z.hiIn..<z.hiOut where checker.boundedDistanceKm(child, placement: Int(placement[k])) > limit { beyond += 1 }
        }
        return beyond
    }

    /// The rows, nearest to latitude `lat` first (for the cheapest-arcs search: near placements
    /// fill it with cheap arcs early, so that the far ones can be dismissed by a bound).
    func rowsNearestFirst(lat: Double) -> [Int] {
        var below = 0, above = rows.count
        while below < above {
            let mid = (below + above) / 2
            if rows[mid].latMax < lat { below = mid + 1 } else { above = mid }
        }
        var down = below - 1, up = below
        var order: [Int] = []
        order.reserveCapacity(rows.count)
        while down >= 0 || up < rows.count {
            let gapDown = down >= 0 ? lat - rows[down].latMax : .infinity
            let gapUp = up < rows.count ? rows[up].latMin - lat : .infinity
            if gapDown <= gapUp { order.append(down); down -= 1 } else { order.append(up); up += 1 }
        }
        return order
    }
}
