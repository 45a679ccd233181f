import Foundation

// Writes a market folder that `MarketLoader` reads back to the same market (spec section 1).
// The bytes are deterministic: fixed column order, LF line ends, quotes only where a cell needs them,
// numbers formatted without locale (coordinates with 5 decimals, costs with 2; a value that those
// decimals would change is written in full instead, so that nothing is lost).

/// A market that cannot be written so that it loads back the same.
public struct MarketWriteError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum MarketWriter {
    /// Writes `market` into `folder` (created if needed): children.csv and placements.csv always;
    /// exclusions.csv when there are exclusions; local_authorities.csv when the LAs are not the bundled
    /// `EnglandLocalAuthorities.all`; policy.json (only the keys that differ) when the policy is not
    /// `Policy()`. An optional file that is not needed is removed from the folder if present, so the
    /// folder holds exactly this market. Warnings are not written.
    ///
    /// `MarketLoader.load(from:)` gives the same market back when it was valid, except that a location
    /// with `locationGiven == false` is written empty (it loads as its LA's centroid) and
    /// `residentAges == []` loads as `nil`.
    public static func write(_ market: Market, to folder: URL) throws {
        let files = try encode(market)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let url = folder.appendingPathComponent(name)
            if let bytes {
                try Data(bytes).write(to: url, options: .atomic)
            } else if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
            }
        }
    }

    /// The files of the folder, by name, in writing order; `nil` for an optional file not needed.
    static func encode(_ market: Market) throws -> [(String, [UInt8]?)] {
        [
            (MarketLoader.childrenFile, try children(market.children)),
            (MarketLoader.placementsFile, try placements(market.placements)),
            (MarketLoader.exclusionsFile, market.exclusions.isEmpty ? nil : try exclusions(market.exclusions)),
            (MarketLoader.localAuthoritiesFile, market.localAuthorities == EnglandLocalAuthorities.all
                ? nil : try localAuthorities(market.localAuthorities)),
            (MarketLoader.policyFile, market.policy == Policy() ? nil : try policy(market.policy)),
        ]
    }

    /// The words of each bit of a `NeedSet` / `RiskSet` (bit i is `allCases[i]`).
    static let needWords = Need.allCases.map(\.rawValue)
    static let riskWords = RiskFlag.allCases.map(\.rawValue)

    static func children(_ children: [Child]) throws -> [UInt8] {
        var w = CSVWriter(header: ["child_id", "la_code", "lat", "lon", "age", "sex", "needed_by", "sibling_group",
                                   "kinship", "foster", "residential", "supported", "alongside", "pets", "needs",
                                   "risks", "behaviour", "prior_placements", "max_distance_km", "not_with"],
                          rows: children.count)
        for c in children {
            try w.text(c.id)
            try w.text(c.laCode)
            try w.location(c.location, given: c.locationGiven)
            w.int(c.age)
            w.raw(c.sex.rawValue)
            w.raw(c.neededBy.rawValue)
            try w.text(c.siblingGroup ?? "")
            for type in PlacementType.allCases { w.raw(c.suitability[type].rawValue) }
            w.raw(c.alongside.rawValue)
            w.raw(c.pets.rawValue)
            w.words(c.needs.bits, needWords)
            w.words(c.risks.bits, riskWords)
            w.raw(c.behaviour.rawValue)
            w.int(c.priorPlacements)
            if let km = c.maxDistanceKm { try w.number(km, "max_distance_km") } else { w.raw("") }
            try w.list(c.notWith)
            w.endRow()
        }
        return w.bytes
    }

    static func placements(_ placements: [Placement]) throws -> [UInt8] {
        var w = CSVWriter(header: ["placement_id", "type", "provider_id", "provider_kind", "la_code", "lat", "lon",
                                   "capacity", "occupied", "resident_ages", "age_min", "age_max", "sexes",
                                   "needs_met", "risks_managed", "has_pets", "weekly_cost", "ofsted", "for_children"],
                          rows: placements.count)
        for p in placements {
            try w.text(p.id)
            w.raw(p.type.rawValue)
            try w.text(p.providerId)
            w.raw(p.providerKind.rawValue)
            try w.text(p.laCode)
            try w.location(p.location, given: p.locationGiven)
            w.int(p.capacity)
            w.int(p.occupied)
            try w.list((p.residentAges ?? []).map(String.init))
            w.int(p.ageMin)
            w.int(p.ageMax)
            w.raw(p.sexes.rawValue)
            w.words(p.needsMet.bits, needWords)
            w.words(p.risksManaged.bits, riskWords)
            w.raw(p.hasPets ? "true" : "false")
            try w.number(p.weeklyCost, "weekly_cost", decimals: 2)
            w.raw(p.ofsted.rawValue)
            try w.list(p.forChildren)
            w.endRow()
        }
        return w.bytes
    }

    static func exclusions(_ exclusions: [Exclusion]) throws -> [UInt8] {
        var w = CSVWriter(header: ["child_id", "placement_id", "reason"], rows: exclusions.count)
        for x in exclusions {
            try w.text(x.childId)
            try w.text(x.placementId)
            try w.text(x.reason)
            w.endRow()
        }
        return w.bytes
    }

    static func localAuthorities(_ las: [LocalAuthority]) throws -> [UInt8] {
        var w = CSVWriter(header: ["la_code", "name", "rcc", "lat", "lon"], rows: las.count)
        for la in las {
            try w.text(la.code)
            try w.text(la.name)
            try w.text(la.rcc)
            try w.location(la.centroid, given: true)
            w.endRow()
        }
        return w.bytes
    }

    /// policy.json with only the keys that differ from `Policy()`, nested as in spec section 4.
    static func policy(_ policy: Policy) throws -> [UInt8] {
        let defaults = Policy()
        var groups: [(name: String?, entries: [(String, String)])] = []
        for (key, path) in Policy.keyPaths {
            let value = policy[keyPath: path]
            guard value != defaults[keyPath: path] else { continue }
            if case .number(let v) = value, !v.isFinite {
                throw MarketWriteError("policy \(key) = \(v): a policy number must be finite")
            }
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            let group = parts.count == 2 ? parts[0] : nil
            let name = parts.last!
            if let last = groups.last, last.name == group, group != nil {
                groups[groups.count - 1].entries.append((name, value.description))
            } else {
                groups.append((group, [(name, value.description)]))
            }
        }
        var lines: [String] = []
        for (index, g) in groups.enumerated() {
            let comma = index == groups.count - 1 ? "" : ","
            if let name = g.name {
                let inner = g.entries.enumerated().map { i, e in
                    "    \"\(e.0)\": \(e.1)" + (i == g.entries.count - 1 ? "" : ",")
                }
                lines.append("  \"\(name)\": {")
                lines.append(contentsOf: inner)
                lines.append("  }" + comma)
            } else {
                lines.append("  \"\(g.entries[0].0)\": \(g.entries[0].1)" + comma)
            }
        }
        return Array(("{\n" + lines.map { $0 + "\n" }.joined() + "}\n").utf8)
    }
}

/// Formats numbers without locale, so that they parse back to the same `Double`.
enum NumberFormat {
    private static let powers: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// `v` rounded half away from zero to `decimals` places (0-9), such as `51.50000` or `-0.12`.
    static func fixed(_ v: Double, decimals: Int) -> String {
        let scale = powers[decimals]
        let exact = abs(v) * scale
        guard v.isFinite, exact < 9e15 else { return "\(v)" }
        var n = UInt64(exact.rounded(.toNearestOrAwayFromZero))
        // A tie in decimal (`1.005` to 2 places) may sit just below .5 in binary: decide it on the
        // shortest decimal text of `v`, so that it rounds half away from zero as written.
        let below = exact.rounded(.down)
        if abs(exact - below - 0.5) < 1e-6 {
            let text = Array("\(abs(v))".utf8)
            if !text.contains(UInt8(ascii: "e")), let dot = text.firstIndex(of: UInt8(ascii: ".")),
               text.last == UInt8(ascii: "5"), text.count - dot == decimals + 2 {
                n = UInt64(below) + 1
            }
        }
        let unit = UInt64(scale)
        var s = v < 0 && n != 0 ? "-" : ""
        s += String(n / unit)
        if decimals > 0 {
            let frac = String(n % unit)
            s += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return s
    }

    /// `fixed(v, decimals)` when that reads back as `v`, else the shortest text that does
    /// (Swift's `description`, which `CellParse.number` accepts, exponent included).
    static func exact(_ v: Double, decimals: Int) -> String {
        let s = fixed(v, decimals: decimals)
        if Double(s) == v { return s }
        return "\(v)"
    }

    /// An integer as such (`150`), anything else in its shortest exact form.
    static func shortest(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// Builds CSV bytes row by row: RFC 4180 quoting only where a cell needs it, LF line ends.
struct CSVWriter {
    var bytes: [UInt8] = []
    private var atRowStart = true

    init(header: [String], rows: Int) {
        bytes.reserveCapacity(64 + rows * 24 * header.count / 2)
        for name in header { raw(name) }
        endRow()
    }

    private mutating func separator() {
        if !atRowStart { bytes.append(UInt8(ascii: ",")) }
        atRowStart = false
    }

    /// A cell known to need no quoting (spec words, numbers).
    mutating func raw(_ s: String) {
        separator()
        bytes.append(contentsOf: s.utf8)
    }

    /// Free text or an id: quoted when it holds a comma, quote or line break. Blanks or line breaks
    /// at either end would be trimmed by the loader, so they are refused.
    mutating func text(_ s: String) throws {
        if let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
           CellParse.isBlank(first) || CellParse.isBlank(last) {
            throw MarketWriteError("\(InputIssue.quoted(s)): a cell cannot start or end with a blank or line break (it would be trimmed)")
        }
        separator()
        var needsQuotes = false
        for b in s.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            bytes.append(contentsOf: s.utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { bytes.append(b) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A `;` list. An item that is empty, holds `;` or has blanks at its ends would not load back.
    mutating func list(_ items: [String]) throws {
        for item in items where item.isEmpty || item.contains(";")
            || CellParse.isBlank(item.unicodeScalars.first!) || CellParse.isBlank(item.unicodeScalars.last!) {
            throw MarketWriteError("\(InputIssue.quoted(item)): a list item must be non-empty, without ; or blanks at its ends")
        }
        try text(items.joined(separator: ";"))
    }

    mutating func int(_ v: Int) { raw(String(v)) }

    /// A word set as `a;b;c`, in the spec's order: `words[i]` is the word of bit i.
    mutating func words(_ bits: UInt32, _ words: [String]) {
        separator()
        var first = true
        for (i, word) in words.enumerated() where bits & (UInt32(1) << UInt32(i)) != 0 {
            if !first { bytes.append(UInt8(ascii: ";")) }
            bytes.append(contentsOf: word.utf8)
            first = false
        }
    }

    mutating func number(_ v: Double, _ name: String, decimals: Int? = nil) throws {
        guard v.isFinite else { throw MarketWriteError("\(name) = \(v): expected a finite number") }
        raw(decimals.map { NumberFormat.exact(v, decimals: $0) } ?? NumberFormat.shortest(v))
    }

    /// `lat,lon` with 5 decimals, or two empty cells for a location that was not given.
    mutating func location(_ p: GeoPoint, given: Bool) throws {
        guard given else {
            raw("")
            raw("")
            return
        }
        guard p.lat.isFinite, p.lon.isFinite else {
            throw MarketWriteError("location \(p.lat),\(p.lon): expected finite coordinates")
        }
        raw(NumberFormat.exact(p.lat, decimals: 5))
        raw(NumberFormat.exact(p.lon, decimals: 5))
    }

    mutating func endRow() {
        bytes.append(0x0A)
        atRowStart = true
    }
}
