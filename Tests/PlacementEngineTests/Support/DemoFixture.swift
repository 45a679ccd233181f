// The bundled demo market (fixtures/demo), located from this file's path, and a tiny test-only
// reader for it written straight from spec section 1. It reads only what the demo uses (no
// quoting, no BOM) and shares no code with `MarketLoader`, so the two can check each other.

import Foundation
import PlacementEngine

enum DemoFixture {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// The package root: the nearest folder above this file holding Package.swift.
    static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }

    static var folder: URL { packageRoot.appendingPathComponent("fixtures/demo", isDirectory: true) }

    /// Rows of a simple CSV file as [header: cell], headers lower-cased, cells trimmed.
    static func rows(_ name: String) throws -> [[String: String]] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init).filter { !$0.isEmpty }
        guard let header = lines.first else { throw ParseError(description: "\(name): empty") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return try lines.dropFirst().enumerated().map { (k, line) in
            guard !line.contains("\"") else { throw ParseError(description: "\(name):\(k + 2): quoting is not supported here") }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == names.count else {
                throw ParseError(description: "\(name):\(k + 2): \(cells.count) cells for \(names.count) columns")
            }
            return Dictionary(uniqueKeysWithValues: zip(names, cells))
        }
    }

    static func parse() throws -> Market {
        func word<W: SpecWord>(_ row: [String: String], _ key: String, _ fallback: W) throws -> W {
            guard let cell = row[key], !cell.isEmpty else { return fallback }
            guard let w = W(word: cell) else { throw ParseError(description: "\(key): '\(cell)' is not one of \(W.expectedWords)") }
            return w
        }
        func int(_ row: [String: String], _ key: String, _ fallback: Int? = nil) throws -> Int {
            if let cell = row[key], !cell.isEmpty {
                guard let v = Int(cell) else { throw ParseError(description: "\(key): '\(cell)' is not an integer") }
                return v
            }
            guard let fallback else { throw ParseError(description: "\(key): required") }
            return fallback
        }
        func number(_ row: [String: String], _ key: String) throws -> Double? {
            guard let cell = row[key], !cell.isEmpty else { return nil }
            guard let v = Double(cell) else { throw ParseError(description: "\(key): '\(cell)' is not a number") }
            return v
        }
        func list(_ row: [String: String], _ key: String) -> [String] {
            (row[key] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func words<W: SpecWord>(_ row: [String: String], _ key: String, _: W.Type) throws -> [W] {
            try list(row, key).map { cell in
                guard let w = W(word: cell) else { throw ParseError(description: "\(key): '\(cell)'") }
                return w
            }
        }

        var las: [LocalAuthority] = []
        for row in try rows("local_authorities.csv") {
            las.append(LocalAuthority(code: row["la_code"]!, name: row["name"]!, rcc: row["rcc"]!,
                                      centroid: GeoPoint(lat: try number(row, "lat")!, lon: try number(row, "lon")!)))
        }
        func point(_ row: [String: String], la: String) throws -> (GeoPoint, Bool) {
            if let lat = try number(row, "lat"), let lon = try number(row, "lon") { return (GeoPoint(lat: lat, lon: lon), true) }
            guard let centroid = las.first(where: { $0.code == la })?.centroid else { throw ParseError(description: "LA \(la)") }
            return (centroid, false)
        }

        var children: [Child] = []
        for row in try rows("children.csv") {
            let age = try int(row, "age")
            var suit = TypeSuitability.defaults(age: age)
            for type in PlacementType.allCases {
                suit[type] = try word(row, type.rawValue, suit[type])
            }
            let la = row["la_code"]!
            let (location, given) = try point(row, la: la)
            let group = row["sibling_group"].flatMap { $0.isEmpty ? nil : $0 }
            children.append(Child(
                id: row["child_id"]!, laCode: la, location: location, locationGiven: given, age: age,
                sex: try word(row, "sex", Sex.X), neededBy: try word(row, "needed_by", Urgency.within_5_days),
                siblingGroup: group, suitability: suit,
                alongside: try word(row, "alongside", Alongside.no_preference),
                pets: try word(row, "pets", PetsPreference.can),
                needs: NeedSet(try words(row, "needs", Need.self)),
                risks: RiskSet(try words(row, "risks", RiskFlag.self)),
                behaviour: try word(row, "behaviour", Behaviour.typical),
                priorPlacements: try int(row, "prior_placements", 0),
                maxDistanceKm: try number(row, "max_distance_km"),
                notWith: list(row, "not_with")))
        }

        var placements: [Placement] = []
        for row in try rows("placements.csv") {
            let la = row["la_code"]!
            let (location, given) = try point(row, la: la)
            let agesCell = list(row, "resident_ages")
            let id = row["placement_id"]!
            let providerId = row["provider_id"].flatMap { $0.isEmpty ? nil : $0 } ?? id
            let hasPets = (row["has_pets"] ?? "").lowercased()
            placements.append(Placement(
                id: id, type: try word(row, "type", PlacementType.foster), providerId: providerId,
                providerKind: try word(row, "provider_kind", ProviderKind.la), laCode: la, location: location,
                locationGiven: given, capacity: try int(row, "capacity"), occupied: try int(row, "occupied", 0),
                residentAges: agesCell.isEmpty ? nil : agesCell.map { Int($0)! },
                ageMin: try int(row, "age_min", 0), ageMax: try int(row, "age_max", 17),
                sexes: try word(row, "sexes", SexesAccepted.any),
                needsMet: NeedSet(try words(row, "needs_met", Need.self)),
                risksManaged: RiskSet(try words(row, "risks_managed", RiskFlag.self)),
                hasPets: ["true", "yes", "1"].contains(hasPets), weeklyCost: try number(row, "weekly_cost")!,
                ofsted: try word(row, "ofsted", OfstedRating.not_rated), forChildren: list(row, "for_children")))
        }

        let exclusions = try rows("exclusions.csv").map {
            Exclusion(childId: $0["child_id"]!, placementId: $0["placement_id"]!, reason: $0["reason"] ?? "")
        }

        // policy.json: the demo sets only top-level numbers.
        var policy = Policy()
        let data = try Data(contentsOf: folder.appendingPathComponent("policy.json"))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ParseError(description: "policy.json: not an object")
        }
        for (key, value) in json {
            guard let v = value as? Double, policy.set(key, to: .number(v)) == nil else {
                throw ParseError(description: "policy.json: \(key) is not handled by the demo reader")
            }
        }
        return Market(localAuthorities: las, children: children, placements: placements,
                      exclusions: exclusions, policy: policy)
    }
}
