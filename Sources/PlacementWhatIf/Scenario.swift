// A what-if scenario (issue 4): a name and a list of changes to tonight's market, applied in order.
// Written as a JSON file (docs/whatif.md) or as command-line flags; both are validated like the
// market: every problem, each with where it was written (file, line, column and JSON path, or the
// flag) and what was expected.

import Foundation
import PlacementEngine
import PlacementGenerator

/// Where a change was written, so that its problems can be located.
public struct ScenarioOrigin: Hashable, Sendable {
    /// The scenario file's name, or `command line` for flags.
    public var file: String
    /// The JSON path of the change (`changes[2].add`), or the flag (`--add`).
    public var path: String
    /// Where the change starts in the file; `nil` for flags and changes built in code.
    public var position: TextPosition?
    /// JSON only: where each field's value was written (`area` -> its position).
    public var fields: [String: TextPosition]
    /// Flags only: the flag's value as given.
    public var text: String?

    public init(file: String, path: String, position: TextPosition? = nil,
                fields: [String: TextPosition] = [:], text: String? = nil) {
        self.file = file; self.path = path; self.position = position; self.fields = fields; self.text = text
    }

    /// A change built in code (tests, the sweep).
    public static func code(_ path: String) -> ScenarioOrigin { ScenarioOrigin(file: "scenario", path: path) }

    /// An issue about one field of the change (`area`, `places`, ...), or the whole change (`nil`).
    func issue(field: String?, value: String?, expected: String) -> InputIssue {
        if let text {
            return InputIssue(file: file, columnName: path, value: text, expected: expected)
        }
        let at = field.flatMap { fields[$0] } ?? position
        let name = field.map { path + "." + $0 } ?? path
        return InputIssue(file: file, line: at?.line, column: at?.column, columnName: name, value: value, expected: expected)
    }
}

public struct ScenarioChange: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// New homes of `type` with `places` free places in total, in `area` (an RCC name or an LA code).
        case add(type: PlacementType, area: String, places: Int)
        /// A placement stops taking children tonight.
        case close(placementId: String)
        /// Every placement of a provider stops taking children tonight.
        case closeProvider(providerId: String)
        /// Free places of `type` in `area` multiplied by `factor` (total rounded half away from zero).
        case scale(type: PlacementType, area: String, factor: Double)
        /// One policy key (as in policy.json, dotted: `weights.w_cost`).
        case set(key: String, value: PolicyValue)
    }

    public var kind: Kind
    public var origin: ScenarioOrigin

    public init(_ kind: Kind, origin: ScenarioOrigin = .code("change")) {
        self.kind = kind; self.origin = origin
    }

    /// The change in the command line's words: `add foster:North West:50`, `close P001`, ...
    public var summary: String {
        switch kind {
        case .add(let t, let a, let n): "add \(t.rawValue):\(a):\(n)"
        case .close(let id): "close \(id)"
        case .closeProvider(let id): "close-provider \(id)"
        case .scale(let t, let a, let f): "scale \(t.rawValue):\(a):\(formatPolicyNumber(f))"
        case .set(let k, let v): "set \(k)=\(v)"
        }
    }
}

public struct Scenario: Hashable, Sendable {
    public var name: String
    /// Seeds where new homes are put (the same seed gives the same homes).
    public var seed: UInt64
    public var changes: [ScenarioChange]
    /// `placement simulate` only: the first night (1 = the first) the changes hold; `nil`: the
    /// command's `--from-day`, else 1. `whatif` (one night) ignores it.
    public var fromDay: Int?

    public init(name: String, seed: UInt64 = 1, changes: [ScenarioChange], fromDay: Int? = nil) {
        self.name = name; self.seed = seed; self.changes = changes; self.fromDay = fromDay
    }

    /// The largest `from_day` a file may give (a typo guard: ten years of nights).
    public static let maxDay = 3650

    public static let defaultSeed: UInt64 = 1
    /// At most this many places may be added by one change (a typo guard: England has about 90,000).
    public static let maxPlaces = 100_000
    /// Scale factors are at most this.
    public static let maxFactor = 100.0
    /// Types that `add` can create: kinship carers are tied to named children.
    public static let addableTypes: [PlacementType] = [.foster, .residential, .supported]
    static let kinshipNotAddable = "a type that can be added: foster, residential or supported (a kinship carer is a connected person approved for named children: add it as a row of placements.csv with for_children)"
}

/// Everything wrong with a scenario, found in one pass.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var issues: [InputIssue]
    public init(issues: [InputIssue]) { self.issues = issues }
    /// One issue per line: by file, line and column; issues without a line (flags) in the order given.
    public var description: String {
        issues.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.file != y.file { return x.file < y.file }
            if x.line != y.line { return (x.line ?? 0) < (y.line ?? 0) }
            if x.column != y.column { return (x.column ?? 0) < (y.column ?? 0) }
            return a.offset < b.offset
        }.map(\.element.description).joined(separator: "\n")
    }
}

// MARK: - Command-line flags

extension ScenarioChange {
    /// The flags and what each takes, for help texts.
    public static let flagForms = [
        "--add TYPE:AREA:PLACES", "--close PLACEMENT_ID", "--close-provider PROVIDER_ID",
        "--scale TYPE:AREA:FACTOR", "--set KEY=VALUE",
    ]

    /// Parses one flag's value: `flag` is `--add`, `--close`, `--close-provider`, `--scale` or `--set`.
    public static func parse(flag: String, _ text: String) -> Result<ScenarioChange, InputIssue> {
        let origin = ScenarioOrigin(file: "command line", path: flag, text: text)
        func fail(_ expected: String) -> Result<ScenarioChange, InputIssue> {
            .failure(origin.issue(field: nil, value: text, expected: expected))
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch flag {
        case "--add", "--scale":
            let isAdd = flag == "--add"
            let what = isAdd ? "TYPE:AREA:PLACES, e.g. foster:North West:50" : "TYPE:AREA:FACTOR, e.g. residential:London:0.8"
            guard let first = trimmed.firstIndex(of: ":"), let last = trimmed.lastIndex(of: ":"), first < last else {
                return fail(what)
            }
            let typeWord = trimmed[..<first].trimmingCharacters(in: .whitespaces)
            let area = trimmed[trimmed.index(after: first)..<last].trimmingCharacters(in: .whitespaces)
            let amount = trimmed[trimmed.index(after: last)...].trimmingCharacters(in: .whitespaces)
            guard let type = PlacementType(word: typeWord) else {
                return fail("\(what): TYPE must be \(PlacementType.expectedWords), not \"\(typeWord)\"")
            }
            guard !area.isEmpty else { return fail("\(what): AREA must be an RCC name or an LA code") }
            if isAdd {
                guard type != .kinship else { return fail(Scenario.kinshipNotAddable) }
                guard let n = Int(amount), n >= 1, n <= Scenario.maxPlaces else {
                    return fail("\(what): PLACES must be a whole number from 1 to \(Scenario.maxPlaces), not \"\(amount)\"")
                }
                return .success(ScenarioChange(.add(type: type, area: area, places: n), origin: origin))
            }
            guard let f = Double(amount), f.isFinite, f >= 0, f <= Scenario.maxFactor else {
                return fail("\(what): FACTOR must be a number from 0 to \(formatPolicyNumber(Scenario.maxFactor)), not \"\(amount)\"")
            }
            return .success(ScenarioChange(.scale(type: type, area: area, factor: f), origin: origin))
        case "--close", "--close-provider":
            guard !trimmed.isEmpty else { return fail(flag == "--close" ? "a placement_id" : "a provider_id") }
            return .success(ScenarioChange(flag == "--close" ? .close(placementId: trimmed) : .closeProvider(providerId: trimmed),
                                           origin: origin))
        case "--set":
            guard let eq = trimmed.firstIndex(of: "=") else {
                return fail("KEY=VALUE, e.g. allow_cross_rcc=false or weights.w_cost=2")
            }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let raw = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            let value: PolicyValue
            switch raw.lowercased() {
            case "true": value = .boolean(true)
            case "false": value = .boolean(false)
            default:
                guard let v = Double(raw), v.isFinite else { return fail("KEY=VALUE with VALUE a number, true or false, not \"\(raw)\"") }
                value = .number(v)
            }
            var probe = Policy()
            if let expected = probe.set(key, to: value) { return fail(expected) }
            return .success(ScenarioChange(.set(key: key, value: value), origin: origin))
        default:
            return fail("one of " + flagForms.joined(separator: ", "))
        }
    }
}

// MARK: - Scenario files (JSON)

extension Scenario {
    /// Reads and validates a scenario file (syntax, keys, value types, ranges). Names of areas,
    /// placements and providers are checked against the market when the scenario is applied.
    public static func load(from url: URL) throws(ScenarioError) -> Scenario {
        let file = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ScenarioError(issues: [InputIssue(file: file, expected: "a readable scenario file at \(url.path)")])
        }
        let stem = url.deletingPathExtension().lastPathComponent
        return try parse(json: [UInt8](data), file: file, defaultName: stem)
    }

    /// Parses a scenario from JSON bytes; `file` names it in error messages.
    public static func parse(json bytes: [UInt8], file: String, defaultName: String = "scenario") throws(ScenarioError) -> Scenario {
        let root: LocatedJSON
        do { root = try LocatedJSONParser.parse(bytes) } catch {
            throw ScenarioError(issues: [InputIssue(file: file, line: error.position.line, column: error.position.column,
                                                    expected: error.expected + " (this is not valid JSON)")])
        }
        var reader = ScenarioReader(file: file)
        let scenario = reader.read(root, defaultName: defaultName)
        guard reader.issues.isEmpty, let scenario else { throw ScenarioError(issues: reader.issues) }
        return scenario
    }
}

/// Walks a scenario file's JSON, collecting every problem.
private struct ScenarioReader {
    let file: String
    var issues: [InputIssue] = []

    init(file: String) { self.file = file }

    /// One problem at `at`. The value is shown when it is a string, number or boolean; when it is not
    /// the kind of value expected (`kindMatters`), the message also says what it is.
    mutating func issue(_ path: String, _ at: TextPosition, _ value: LocatedJSON?, _ expected: String) {
        var shown: String? = nil
        var suffix = ""
        if let value {
            switch value {
            case .string, .number, .boolean: shown = value.shortText
            case .object, .array, .null: break
            }
            if !Self.isKind(value, expectedBy: expected) { suffix = ", not " + value.kindName }
        }
        issues.append(InputIssue(file: file, line: at.line, column: at.column, columnName: path, value: shown,
                                 expected: expected + suffix))
    }

    /// Whether `value` is the kind of value `expected` asks for (then only its range or spelling is wrong).
    private static func isKind(_ value: LocatedJSON, expectedBy expected: String) -> Bool {
        let e = expected.lowercased()
        switch value {
        case .string: return e.hasPrefix("a string") || e.hasPrefix("a non-empty string") || e.hasPrefix("a placement type")
            || e.hasPrefix("a placement_id") || e.hasPrefix("a provider_id") || e.hasPrefix("a type that can be added")
        case .number: return e.contains("number")
        case .boolean: return e.contains("true")
        case .object: return e.hasPrefix("an object")
        case .array: return e.hasPrefix("a list")
        case .null: return false
        }
    }

    mutating func read(_ root: LocatedJSON, defaultName: String) -> Scenario? {
        guard case .object(let members, let at) = root else {
            issue("$", root.position, nil, "a JSON object: {\"name\": ..., \"changes\": [...]}")
            return nil
        }
        var name = defaultName
        var seed = Scenario.defaultSeed
        var changes: [ScenarioChange] = []
        var fromDay: Int? = nil
        var sawChanges = false
        var seen = Set<String>()
        for m in members {
            guard seen.insert(m.key).inserted else {
                issue(m.key, m.keyAt, nil, "each key once (\"\(m.key)\" is repeated)")
                continue
            }
            switch m.key {
            case "name":
                if case .string(let s, _) = m.value, !s.trimmingCharacters(in: .whitespaces).isEmpty {
                    name = s.trimmingCharacters(in: .whitespaces)
                } else {
                    issue("name", m.value.position, m.value, "a non-empty string naming the scenario")
                }
            case "description":
                if case .string = m.value {} else { issue("description", m.value.position, m.value, "a string") }
            case "seed":
                if case .number(let v, _, _) = m.value, v >= 0, v == v.rounded(), v <= 9_007_199_254_740_992 {
                    seed = UInt64(v)
                } else {
                    issue("seed", m.value.position, m.value, "a whole number >= 0 (where new homes are put)")
                }
            case "from_day":
                if case .number(let v, _, _) = m.value, v >= 1, v == v.rounded(), v <= Double(Scenario.maxDay) {
                    fromDay = Int(v)
                } else {
                    issue("from_day", m.value.position, m.value, "a whole number of nights from 1 to \(Scenario.maxDay) (the night a simulation's changes start)")
                }
            case "changes":
                sawChanges = true
                guard case .array(let items, _) = m.value else {
                    issue("changes", m.value.position, m.value, "a list of changes")
                    continue
                }
                for (i, item) in items.enumerated() { changes += readChange(item, path: "changes[\(i)]") }
            default:
                issue(m.key, m.keyAt, nil, "a scenario key: name, description, seed, from_day or changes (not \"\(m.key)\")")
            }
        }
        if !sawChanges { issue("changes", at, nil, "a key \"changes\": a list of changes (may be empty)") }
        return Scenario(name: name, seed: seed, changes: changes, fromDay: fromDay)
    }

    static let changeKeys = "add, close, close_provider, scale or set"

    mutating func readChange(_ item: LocatedJSON, path: String) -> [ScenarioChange] {
        guard case .object(let members, let at) = item, members.count == 1 else {
            issue(path, item.position, item, "an object with exactly one key (\(Self.changeKeys)), e.g. {\"close\": \"P001\"}")
            return []
        }
        let (key, keyAt, value) = members[0]
        let here = path + "." + key
        switch key {
        case "add", "scale":
            return readTypeAreaAmount(value, path: here, isAdd: key == "add", changeAt: at).map { [$0] } ?? []
        case "close", "close_provider":
            let what = key == "close" ? "a placement_id" : "a provider_id"
            var ids: [(String, TextPosition, String)] = []
            switch value {
            case .string(let s, let p): ids = [(s, p, here)]
            case .array(let list, _):
                if list.isEmpty { issue(here, value.position, nil, "\(what), or a non-empty list of them") }
                for (j, v) in list.enumerated() {
                    if case .string(let s, let p) = v { ids.append((s, p, "\(here)[\(j)]")) } else {
                        issue("\(here)[\(j)]", v.position, v, what)
                    }
                }
            default:
                issue(here, value.position, value, "\(what), or a list of them")
            }
            return ids.compactMap { id, p, idPath in
                let trimmed = id.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { issue(idPath, p, nil, "\(what) (not empty)"); return nil }
                let origin = ScenarioOrigin(file: file, path: idPath, position: p)
                return ScenarioChange(key == "close" ? .close(placementId: trimmed) : .closeProvider(providerId: trimmed),
                                      origin: origin)
            }
        case "set":
            guard case .object(let keys, _) = value, !keys.isEmpty else {
                issue(here, value.position, value, "an object of policy keys and values, e.g. {\"allow_cross_rcc\": false, \"weights.w_cost\": 2}")
                return []
            }
            var out: [ScenarioChange] = []
            var seenKeys = Set<String>()
            func walk(_ members: [(key: String, keyAt: TextPosition, value: LocatedJSON)], prefix: String, path: String) {
                for m in members {
                    let policyKey = prefix.isEmpty ? m.key : prefix + "." + m.key
                    let p = path + "." + m.key
                    if case .object(let nested, _) = m.value {
                        walk(nested, prefix: policyKey, path: p)
                        continue
                    }
                    guard seenKeys.insert(policyKey).inserted else {
                        issue(p, m.keyAt, nil, "each policy key once (\(policyKey) is repeated)")
                        continue
                    }
                    let v: PolicyValue
                    switch m.value {
                    case .number(let d, _, _): v = .number(d)
                    case .boolean(let b, _): v = .boolean(b)
                    default:
                        switch Policy().value(of: policyKey) {
                        case nil:
                            var probe = Policy()
                            issue(p, m.keyAt, nil, probe.set(policyKey, to: .number(0)) ?? "a policy key")
                        case .number: issue(p, m.value.position, m.value, "a number for \(policyKey)")
                        case .boolean: issue(p, m.value.position, m.value, "true or false for \(policyKey)")
                        }
                        continue
                    }
                    var probe = Policy()
                    if let expected = probe.set(policyKey, to: v) {
                        let at = probe.value(of: policyKey) == nil ? m.keyAt : m.value.position
                        issue(p, at, probe.value(of: policyKey) == nil ? nil : m.value, expected)
                        continue
                    }
                    out.append(ScenarioChange(.set(key: policyKey, value: v),
                                              origin: ScenarioOrigin(file: file, path: p, position: m.keyAt)))
                }
            }
            walk(keys, prefix: "", path: here)
            return out
        default:
            issue(path + "." + key, keyAt, nil, "a change: \(Self.changeKeys) (not \"\(key)\")")
            return []
        }
    }

    mutating func readTypeAreaAmount(_ value: LocatedJSON, path: String, isAdd: Bool, changeAt: TextPosition) -> ScenarioChange? {
        let amountKey = isAdd ? "places" : "factor"
        let example = isAdd ? "{\"type\": \"foster\", \"area\": \"North West\", \"places\": 50}"
                            : "{\"type\": \"residential\", \"area\": \"London\", \"factor\": 0.8}"
        guard case .object(let members, let at) = value else {
            issue(path, value.position, value, "an object such as \(example)")
            return nil
        }
        var fields: [String: TextPosition] = [:]
        var type: PlacementType?
        var area: String?
        var places: Int?
        var factor: Double?
        var ok = true
        var seen = Set<String>()
        for m in members {
            let p = path + "." + m.key
            guard seen.insert(m.key).inserted else { issue(p, m.keyAt, nil, "each key once"); ok = false; continue }
            fields[m.key] = m.value.position
            switch m.key {
            case "type":
                guard case .string(let s, _) = m.value, let t = PlacementType(word: s) else {
                    issue(p, m.value.position, m.value, "a placement type: \(PlacementType.expectedWords)"); ok = false; continue
                }
                if isAdd, t == .kinship { issue(p, m.value.position, m.value, Scenario.kinshipNotAddable); ok = false; continue }
                type = t
            case "area":
                guard case .string(let s, _) = m.value, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                    issue(p, m.value.position, m.value, "a string: an RCC name (e.g. \"North West\") or an LA code"); ok = false; continue
                }
                area = s.trimmingCharacters(in: .whitespaces)
            case amountKey where isAdd:
                guard case .number(let v, _, _) = m.value, v == v.rounded(), v >= 1, v <= Double(Scenario.maxPlaces) else {
                    issue(p, m.value.position, m.value, "a whole number of places from 1 to \(Scenario.maxPlaces)"); ok = false; continue
                }
                places = Int(v)
            case amountKey:
                guard case .number(let v, _, _) = m.value, v >= 0, v <= Scenario.maxFactor else {
                    issue(p, m.value.position, m.value, "a number from 0 to \(formatPolicyNumber(Scenario.maxFactor)) (1 = unchanged)"); ok = false; continue
                }
                factor = v
            default:
                issue(p, m.keyAt, nil, "a key of \(isAdd ? "add" : "scale"): type, area or \(amountKey) (not \"\(m.key)\")"); ok = false
            }
        }
        for (k, present) in [("type", seen.contains("type")), ("area", seen.contains("area")), (amountKey, seen.contains(amountKey))] where !present {
            issue(path, at, nil, "a key \"\(k)\" (\(example))"); ok = false
        }
        guard ok, let type, let area else { return nil }
        let origin = ScenarioOrigin(file: file, path: path, position: changeAt, fields: fields)
        if isAdd, let places { return ScenarioChange(.add(type: type, area: area, places: places), origin: origin) }
        if !isAdd, let factor { return ScenarioChange(.scale(type: type, area: area, factor: factor), origin: origin) }
        return nil
    }
}
