import Foundation

// Loads a market folder (spec section 1, with the v1.1 clarifications of section 7) and validates it.
// Every problem in every file is collected in one pass and thrown together, each with file, line,
// column and what was expected; otherwise the market comes back with one warning per unknown column
// (and one per file delimited by semicolons or tabs). Misspelt words, columns and LA codes get a
// "did you mean" (DidYouMean.swift); an LA name where its code belongs is named with its code.

public enum MarketLoader {
    /// The files of a market folder.
    public static let childrenFile = "children.csv"
    public static let placementsFile = "placements.csv"
    public static let localAuthoritiesFile = "local_authorities.csv"
    public static let exclusionsFile = "exclusions.csv"
    public static let policyFile = "policy.json"

    /// Reads and validates the market in `folder`. `policyOverride` (the CLI's `--policy FILE`)
    /// replaces `folder/policy.json` when given.
    public static func load(from folder: URL, policyOverride: URL? = nil) throws(MarketInputError) -> Market {
        var loader = Loader(folder: folder, policyOverride: policyOverride)
        return try loader.run()
    }
}

// MARK: - Cell parsing (pure)

enum CellParse {
    /// An integer in decimal digits, with an optional sign.
    static func integer(_ s: String) -> Int? {
        var utf8 = Substring(s).utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        guard !utf8.isEmpty, utf8.count <= 18 else { return nil }
        var value = 0
        for b in utf8 {
            guard b >= 0x30, b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return negative ? -value : value
    }

    /// A decimal number (`12`, `-0.5`, `.5`, `1e3`); not `nan`, `inf` or hexadecimal.
    static func number(_ s: String) -> Double? {
        var digits = 0
        var seenDot = false
        var seenExp = false
        var expDigits = 0
        var previous: UInt8 = 0
        for (k, b) in s.utf8.enumerated() {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenExp { expDigits += 1 } else { digits += 1 }
            case UInt8(ascii: "."):
                guard !seenDot, !seenExp else { return nil }
                seenDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard !seenExp, digits > 0 else { return nil }
                seenExp = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard k == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return nil }
            default:
                return nil
            }
            previous = b
        }
        guard digits > 0, !seenExp || expDigits > 0 else { return nil }
        return Double(s)
    }

    static func boolean(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "true", "yes", "1": true
        case "false", "no", "0": false
        default: nil
        }
    }

    /// 1-64 characters of `A-Z a-z 0-9 . _ -`.
    static func isId(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard !utf8.isEmpty, utf8.count <= 64 else { return false }
        for b in utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// The items of a `;` list (of an already trimmed cell), trimmed, empty items dropped.
    static func list(_ s: String) -> [String] {
        guard !s.isEmpty else { return [] }
        if !s.utf8.contains(UInt8(ascii: ";")) { return [s] }
        var items: [String] = []
        for part in s.utf8.split(separator: UInt8(ascii: ";")) {
            var item = part[...]
            while let b = item.first, isBlank(b) { item = item.dropFirst() }
            while let b = item.last, isBlank(b) { item = item.dropLast() }
            if !item.isEmpty { items.append(String(Substring(item))) }
        }
        return items
    }

    /// What cells and list items are trimmed of: blanks, and line breaks inside a quoted cell.
    static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
    static let idExpected = "an id: 1-64 characters of A-Z a-z 0-9 . _ -"
}

/// Case-insensitive lookup of the words of one `SpecWord` type, built once per load: a national
/// market has millions of cells, and `SpecWord.init(word:)` lowercases every word it compares.
/// The spec's words are ASCII, so an ASCII case-insensitive byte comparison is the same test.
struct WordTable<W: SpecWord>: Sendable {
    /// Each word's lowercased bytes, its value and its bit in a `WordSet<W>` (its position in
    /// `allCases`, as `WordSet` numbers them).
    private let entries: [(bytes: [UInt8], word: W, bit: UInt32)]
    /// `a, b or c`, for messages.
    let expected: String

    init() {
        entries = W.allCases.enumerated().map { i, w in (Array(w.rawValue.lowercased().utf8), w, UInt32(1) << UInt32(i)) }
        expected = W.expectedWords
    }

    private func entry(_ s: String) -> Int? {
        var s = s
        return s.withUTF8 { buf -> Int? in
            for (index, e) in entries.enumerated() where e.bytes.count == buf.count {
                var k = 0
                while k < buf.count {
                    let b = buf[k]
                    if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != e.bytes[k] { break }
                    k += 1
                }
                if k == buf.count { return index }
            }
            return nil
        }
    }

    func word(_ s: String) -> W? { entry(s).map { entries[$0].word } }
    /// The spec's words, for "did you mean".
    var words: [String] { entries.map(\.word.rawValue) }
    /// The `WordSet<W>` bit of the word `s`, 0 when `s` is not a word.
    func bit(_ s: String) -> UInt32 { entry(s).map { entries[$0].bit } ?? 0 }
}

/// Every word table the loader needs.
private struct Vocabularies {
    let sex = WordTable<Sex>(), urgency = WordTable<Urgency>(), suitability = WordTable<Suitability>()
    let alongside = WordTable<Alongside>(), pets = WordTable<PetsPreference>(), behaviour = WordTable<Behaviour>()
    let need = WordTable<Need>(), risk = WordTable<RiskFlag>(), type = WordTable<PlacementType>()
    let providerKind = WordTable<ProviderKind>(), sexes = WordTable<SexesAccepted>()
    let ofsted = WordTable<OfstedRating>()
}

// MARK: - The loader

/// A column of a CSV file, located once per file.
private struct Column {
    let name: String
    let index: Int?
}

/// The outcome of reading an optional cell.
private enum Cell<T> {
    case empty
    case value(T)
    case invalid

    func or(_ fallback: T) -> T? {
        switch self {
        case .empty: fallback
        case .value(let v): v
        case .invalid: nil
        }
    }
    var value: T? {
        if case .value(let v) = self { return v }
        return nil
    }
    /// `.some(nil)` when empty, `.some(v)` when given, `nil` when invalid: for `guard let`.
    var given: T?? {
        switch self {
        case .empty: .some(nil)
        case .value(let v): .some(v)
        case .invalid: nil
        }
    }
}

private typealias Row = CSVTable.Row

private struct Loader {
    let folder: URL
    let policyOverride: URL?
    var issues: [InputIssue] = []
    var warnings: [InputIssue] = []
    /// "Did you mean" answers by domain and value: a national market may repeat one slip in
    /// thousands of cells, and each answer compares the value with every known word.
    var suggestions: [String: String?] = [:]
    var laByLowercasedName: [String: Int] = [:]
    /// How many more unknown ids may be compared with every id for a "did you mean": each
    /// comparison scans a national market's 84,000 ids, and a cascade of bad references needs
    /// no more than the first few answered.
    var idSuggestionBudget = 20

    var localAuthorities: [LocalAuthority] = []
    var laByCode: [String: Int] = [:]
    var laByLowercasedCode: [String: String] = [:]
    var laFileGiven = false
    let vocab = Vocabularies()

    init(folder: URL, policyOverride: URL?) {
        self.folder = folder
        self.policyOverride = policyOverride
    }

    mutating func run() throws(MarketInputError) -> Market {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MarketInputError(issues: [InputIssue(
                file: folder.lastPathComponent.isEmpty ? folder.path : folder.lastPathComponent,
                expected: "a market folder holding children.csv and placements.csv")])
        }

        loadLocalAuthorities()
        let policy = loadPolicy()
        var children = ChildrenPass()
        loadChildren(&children)
        var placements = PlacementsPass()
        loadPlacements(&placements, children: children)
        let exclusions = loadExclusions(children: children, placements: placements)
        checkNotWith(children)

        guard issues.isEmpty else {
            throw MarketInputError(issues: issues.sorted(by: InputIssue.areInOrder), warnings: warnings)
        }
        return Market(localAuthorities: localAuthorities, children: children.children,
                      placements: placements.placements, exclusions: exclusions,
                      policy: policy, inputWarnings: warnings)
    }

    // MARK: Files and columns

    /// The bytes of a file in the folder; `nil` (with an issue when `required`) when absent or unreadable.
    mutating func read(_ url: URL, name: String, required: Bool,
                       missing: String = "this file in the market folder (required)") -> [UInt8]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            // A link that leads nowhere (dangling, or a loop) is not an absent file: treated as
            // absent, a broken policy.json silently became the default policy.
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
                issues.append(InputIssue(file: name, expected: "a readable file (this is a link that leads to no file: dangling or a loop)"))
            } else if required {
                issues.append(InputIssue(file: name, expected: missing))
            }
            return nil
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: url.path) else {
            issues.append(InputIssue(file: name, expected: "a readable file"))
            return nil
        }
        return [UInt8](data)
    }

    /// Parses a CSV file and locates its columns: missing required columns are issues,
    /// unknown columns warnings (with the known column they are a slip of, when there is one).
    /// A file delimited by semicolons or tabs is read as such, with one warning. `nil` when the
    /// file has no header.
    mutating func table(_ bytes: [UInt8], file: String, known: [String], required: Set<String>) -> CSVTable? {
        let knownSet = Set(known)
        let delimiter = CSVTable.sniffDelimiter(bytes, known: knownSet)
        let table = delimiter.map { CSVTable.parse(bytes, file: file, delimiter: $0) } ?? CSVTable.parse(bytes, file: file)
        issues.append(contentsOf: table.issues)
        guard !table.header.isEmpty else { return nil }
        if let delimiter {
            let semicolons = delimiter == UInt8(ascii: ";")
            warnings.append(InputIssue(file: file, line: table.headerLine, remark:
                "the file uses \(CSVTable.delimiterName(delimiter)) as the delimiter"
                + (semicolons ? ", as European Excel exports do" : "")
                + ": read it that way (numbers with a decimal comma, such as 51,48, are read as decimals"
                + (semicolons ? "; a list cell holding ; must be in double quotes" : "") + ")",
                expected: "a file delimited by commas"))
        }
        for (index, key) in table.headerKeys.enumerated() where !knownSet.contains(key) {
            let name = table.header[index]
            if name.isEmpty {
                warnings.append(InputIssue(file: file, line: table.headerLine, column: index + 1,
                                           remark: "a column with no name: ignored",
                                           expected: "a column name"))
                continue
            }
            // Only a known column the file lacks can be the one meant.
            let absent = known.filter { table.columnIndex($0) == nil }
            let hint = DidYouMean.hint(DidYouMean.closest(to: name, among: absent))
            warnings.append(InputIssue(file: file, line: table.headerLine, column: index + 1,
                                       remark: "unknown column \(InputIssue.quoted(name))\(hint): ignored",
                                       expected: "a column of the format" + hint))
        }
        for name in known where required.contains(name) && table.columnIndex(name) == nil {
            issues.append(InputIssue(file: file, line: table.headerLine, columnName: name,
                                     expected: "a column named \(name) (required)"))
        }
        return table
    }

    func column(_ table: CSVTable, _ name: String) -> Column { Column(name: name, index: table.columnIndex(name)) }

    func text(_ row: Row, _ c: Column) -> String {
        guard let index = c.index else { return "" }
        return row.cells[index]
    }

    mutating func fail(_ table: CSVTable, _ row: Row, _ c: Column, _ value: String?, _ expected: String) {
        if let index = c.index {
            issues.append(InputIssue(file: table.file, line: row.line(ofCell: index), column: index + 1,
                                     columnName: c.name, value: value, expected: expected))
        } else {
            issues.append(InputIssue(file: table.file, line: row.line, columnName: c.name, value: value,
                                     expected: expected))
        }
    }

    /// A required cell. An absent column was reported once, at the header.
    mutating func required<T>(_ table: CSVTable, _ row: Row, _ c: Column, _ expected: @autoclosure () -> String,
                              _ parse: (String) -> T?) -> T? {
        guard c.index != nil else { return nil }
        let s = text(row, c)
        if s.isEmpty {
            fail(table, row, c, nil, expected() + " (required)")
            return nil
        }
        guard let v = parse(s) else {
            fail(table, row, c, s, expected())
            return nil
        }
        return v
    }

    mutating func optional<T>(_ table: CSVTable, _ row: Row, _ c: Column, _ expected: @autoclosure () -> String,
                              _ parse: (String) -> T?) -> Cell<T> {
        let s = text(row, c)
        if s.isEmpty { return .empty }
        guard let v = parse(s) else {
            fail(table, row, c, s, expected())
            return .invalid
        }
        return .value(v)
    }

    /// The known word `value` is a slip of, if any, among `candidates` (remembered by `domain`).
    mutating func suggestion(_ domain: String, _ value: String, _ candidates: () -> [String]) -> String? {
        let key = domain + "\u{1F}" + value
        if let known = suggestions[key] { return known }
        let found = DidYouMean.closest(to: value, among: candidates())
        suggestions[key] = found
        return found
    }

    /// ` (did you mean "c12"?)` for an id that names nothing, while the budget lasts.
    mutating func idHint(_ domain: String, _ value: String, _ ids: () -> [String]) -> String {
        if suggestions[domain + "\u{1F}" + value] == nil {
            guard idSuggestionBudget > 0 else { return "" }
            idSuggestionBudget -= 1
        }
        return DidYouMean.hint(suggestion(domain, value, ids))
    }

    mutating func word<W: SpecWord>(_ table: CSVTable, _ row: Row, _ c: Column, _ words: WordTable<W>) -> Cell<W> {
        let s = text(row, c)
        if s.isEmpty { return .empty }
        guard let w = words.word(s) else {
            fail(table, row, c, s, "one of " + words.expected
                 + DidYouMean.hint(suggestion(String(describing: W.self), s) { words.words }))
            return .invalid
        }
        return .value(w)
    }

    /// A required word: as `word`, and an empty cell is an issue.
    mutating func requiredWord<W: SpecWord>(_ table: CSVTable, _ row: Row, _ c: Column, _ words: WordTable<W>) -> W? {
        guard c.index != nil else { return nil }
        switch word(table, row, c, words) {
        case .empty:
            fail(table, row, c, nil, "one of " + words.expected + " (required)")
            return nil
        case .value(let w): return w
        case .invalid: return nil
        }
    }

    mutating func words<W: SpecWord>(_ table: CSVTable, _ row: Row, _ c: Column, _ words: WordTable<W>) -> WordSet<W>? {
        var bits: UInt32 = 0
        var ok = true
        for item in CellParse.list(text(row, c)) {
            let bit = words.bit(item)
            if bit != 0 {
                bits |= bit
            } else {
                fail(table, row, c, item, "a list separated by ; of " + words.expected
                     + DidYouMean.hint(suggestion(String(describing: W.self), item) { words.words }))
                ok = false
            }
        }
        return ok ? WordSet(bits: bits) : nil
    }

    static let booleanWords = ["true", "false", "yes", "no", "1", "0"]

    mutating func boolean(_ table: CSVTable, _ row: Row, _ c: Column) -> Cell<Bool> {
        let s = text(row, c)
        if s.isEmpty { return .empty }
        guard let b = CellParse.boolean(s) else {
            fail(table, row, c, s, "true, false, yes, no, 1 or 0"
                 + DidYouMean.hint(suggestion("boolean", s) { Self.booleanWords }))
            return .invalid
        }
        return .value(b)
    }


    mutating func integer(_ table: CSVTable, _ row: Row, _ c: Column, _ range: ClosedRange<Int>,
                          required isRequired: Bool) -> Cell<Int> {
        func expected() -> String {
            range.upperBound == Int.max
                ? "an integer >= \(range.lowerBound)" : "an integer \(range.lowerBound)-\(range.upperBound)"
        }
        let parse = { (s: String) -> Int? in CellParse.integer(s).flatMap { range.contains($0) ? $0 : nil } }
        if isRequired {
            return required(table, row, c, expected(), parse).map { .value($0) } ?? .invalid
        }
        return optional(table, row, c, expected(), parse)
    }

    mutating func id(_ table: CSVTable, _ row: Row, _ c: Column, seen: inout [String: Int]) -> String? {
        guard let id = required(table, row, c, CellParse.idExpected, { CellParse.isId($0) ? $0 : nil }) else {
            return nil
        }
        if let first = seen[id] {
            fail(table, row, c, id, "a \(c.name) not used on an earlier row (already on line \(first))")
            return nil
        }
        seen[id] = row.line
        return id
    }

    mutating func laCode(_ table: CSVTable, _ row: Row, _ c: Column) -> Int? {
        let given = laFileGiven
        func expected() -> String {
            given ? "an LA code listed in local_authorities.csv"
                : "an English LA code (one of the 153 bundled with the engine, such as E09000033)"
        }
        guard let code = required(table, row, c, expected(), { $0 }) else { return nil }
        if let index = laByCode[code] { return index }
        if let near = laByLowercasedCode[code.lowercased()] {
            fail(table, row, c, code, expected() + "; LA codes are case-sensitive: \(near)?")
        } else if let named = laByLowercasedName[code.lowercased()] {
            // An LA code is an id, exact (spec section 7): the name is not mapped, only explained.
            fail(table, row, c, code, expected() + "; \(InputIssue.quoted(code)) is an LA name: its code is \(localAuthorities[named].code)")
        } else {
            fail(table, row, c, code, expected() + laHint(code))
        }
        return nil
    }

    /// `; did you mean E10000016?` for a slip of a code, `; did you mean "Kent" (E10000016)?` for
    /// a slip of a name; nothing when no LA is near, or two are.
    mutating func laHint(_ value: String) -> String {
        let las = localAuthorities
        guard let near = suggestion("la", value, { las.map(\.code) + las.map(\.name) }) else { return "" }
        if laByCode[near] != nil { return "; did you mean \(near)?" }
        guard let index = laByLowercasedName[near.lowercased()] else { return "" }
        return "; did you mean \(InputIssue.quoted(near)) (\(las[index].code))?"
    }

    /// `lat` and `lon`: both or neither.
    mutating func location(_ table: CSVTable, _ row: Row, _ lat: Column, _ lon: Column,
                           required isRequired: Bool) -> Cell<GeoPoint> {
        let latS = text(row, lat), lonS = text(row, lon)
        if latS.isEmpty, lonS.isEmpty {
            guard isRequired else { return .empty }
            if lat.index != nil { fail(table, row, lat, nil, "a latitude in degrees, -90 to 90 (required)") }
            if lon.index != nil { fail(table, row, lon, nil, "a longitude in degrees, -180 to 180 (required)") }
            return .invalid
        }
        if latS.isEmpty || lonS.isEmpty {
            let (given, missing) = latS.isEmpty ? (lon, "lat") : (lat, "lon")
            fail(table, row, given, text(row, given), "lat and lon both given or both empty (\(missing) is empty)")
            return .invalid
        }
        let la = optional(table, row, lat, "a latitude in degrees, -90 to 90") { s in
            table.number(s).flatMap { $0.isFinite && abs($0) <= 90 ? $0 : nil }
        }
        let lo = optional(table, row, lon, "a longitude in degrees, -180 to 180") { s in
            table.number(s).flatMap { $0.isFinite && abs($0) <= 180 ? $0 : nil }
        }
        guard let a = la.value, let o = lo.value else { return .invalid }
        return .value(GeoPoint(lat: a, lon: o))
    }

    // MARK: local_authorities.csv

    mutating func loadLocalAuthorities() {
        let file = MarketLoader.localAuthoritiesFile
        let url = folder.appendingPathComponent(file)
        guard let bytes = read(url, name: file, required: false) else {
            localAuthorities = EnglandLocalAuthorities.all
            indexLocalAuthorities()
            return
        }
        laFileGiven = true
        let known = ["la_code", "name", "rcc", "lat", "lon"]
        guard let t = table(bytes, file: file, known: known, required: ["la_code", "rcc", "lat", "lon"]) else { return }
        let cCode = column(t, "la_code"), cName = column(t, "name"), cRcc = column(t, "rcc")
        let cLat = column(t, "lat"), cLon = column(t, "lon")
        var seen: [String: Int] = [:]
        for row in t.rows {
            let code = id(t, row, cCode, seen: &seen)
            let rcc = required(t, row, cRcc, "the RCC (region) the LA belongs to") { $0 }
            let point = location(t, row, cLat, cLon, required: true)
            guard let code else { continue }
            let name = text(row, cName)
            // Known even when another cell is wrong, so that children and homes do not report it again.
            localAuthorities.append(LocalAuthority(
                code: code, name: name.isEmpty ? code : name, rcc: rcc ?? "",
                centroid: point.value ?? GeoPoint(lat: 0, lon: 0)))
        }
        indexLocalAuthorities()
    }

    mutating func indexLocalAuthorities() {
        for (index, la) in localAuthorities.enumerated() {
            laByCode[la.code] = index
            laByLowercasedCode[la.code.lowercased()] = la.code
            // The first LA of a name, should a file name two alike.
            if laByLowercasedName[la.name.lowercased()] == nil { laByLowercasedName[la.name.lowercased()] = index }
        }
    }

    // MARK: children.csv

    struct ChildrenPass {
        var children: [Child] = []
        /// Every child id that is well formed, whatever else is wrong on its row, so that references
        /// to it do not report a second error.
        var ids: [String: Int] = [:]
        var siblingGroups: Set<String> = []
        /// not_with cells, checked once every child id is known.
        var notWith: [(row: Row, id: String?, items: [String])] = []
        var table: CSVTable?
        var notWithColumn: Int?
        /// Whether references to children can be checked (children.csv was read and has child_id).
        var idsKnown = false
    }

    mutating func loadChildren(_ pass: inout ChildrenPass) {
        let file = MarketLoader.childrenFile
        guard let bytes = read(folder.appendingPathComponent(file), name: file, required: true) else { return }
        let known = ["child_id", "la_code", "lat", "lon", "age", "sex", "needed_by", "sibling_group",
                     "kinship", "foster", "residential", "supported", "alongside", "pets", "needs", "risks",
                     "behaviour", "prior_placements", "max_distance_km", "not_with"]
        guard let t = table(bytes, file: file, known: known,
                            required: ["child_id", "la_code", "age", "sex"]) else { return }
        pass.table = t
        pass.notWithColumn = t.columnIndex("not_with")
        pass.idsKnown = t.columnIndex("child_id") != nil
        let cId = column(t, "child_id"), cLa = column(t, "la_code"), cLat = column(t, "lat")
        let cLon = column(t, "lon"), cAge = column(t, "age"), cSex = column(t, "sex")
        let cNeededBy = column(t, "needed_by"), cGroup = column(t, "sibling_group")
        let cSuitability = PlacementType.allCases.map { ($0, column(t, $0.rawValue)) }
        let cAlongside = column(t, "alongside"), cPets = column(t, "pets"), cNeeds = column(t, "needs")
        let cRisks = column(t, "risks"), cBehaviour = column(t, "behaviour")
        let cPrior = column(t, "prior_placements"), cMaxDistance = column(t, "max_distance_km")
        let cNotWith = column(t, "not_with")
        let sexWords = vocab.sex
        pass.children.reserveCapacity(t.rows.count)

        for row in t.rows {
            let id = self.id(t, row, cId, seen: &pass.ids)
            let la = laCode(t, row, cLa)
            let point = location(t, row, cLat, cLon, required: false)
            let age = integer(t, row, cAge, 0...17, required: true).value
            let sex = requiredWord(t, row, cSex, sexWords)
            let neededBy = word(t, row, cNeededBy, vocab.urgency).or(.within_5_days)
            let group = text(row, cGroup)
            if !group.isEmpty { pass.siblingGroups.insert(group) }

            // Rule T: the defaults for the child's age, then the cells given.
            var suitability: TypeSuitability? = age.map { TypeSuitability.defaults(age: $0) }
            var suitabilityOK = true
            for (type, col) in cSuitability {
                switch word(t, row, col, vocab.suitability) {
                case .empty: break
                case .invalid: suitabilityOK = false
                case .value(let s):
                    if type == .supported, s != .unsuitable, let age, age < 16 {
                        fail(t, row, col, text(row, col),
                             "unsuitable or empty for a child under 16 (supported accommodation is unlawful under 16)")
                        suitabilityOK = false
                    }
                    suitability?[type] = s
                }
            }
            let alongside = word(t, row, cAlongside, vocab.alongside).or(.no_preference)
            let pets = word(t, row, cPets, vocab.pets).or(.can)
            let needs = words(t, row, cNeeds, vocab.need)
            let risks = words(t, row, cRisks, vocab.risk)
            let behaviour = word(t, row, cBehaviour, vocab.behaviour).or(.typical)
            let prior = integer(t, row, cPrior, 0...Int.max, required: false).or(0)
            let maxDistance = optional(t, row, cMaxDistance, "a distance in km > 0") { s in
                t.number(s).flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
            }
            let notWith = CellParse.list(text(row, cNotWith))
            if !notWith.isEmpty { pass.notWith.append((row, id, notWith)) }

            guard let id, let la, let point = point.given, let age, let sex, let neededBy, let suitability,
                  suitabilityOK, let alongside, let pets, let needs, let risks, let behaviour, let prior,
                  let maxDistanceKm = maxDistance.given else { continue }
            pass.children.append(Child(
                id: id, laCode: localAuthorities[la].code, location: point ?? localAuthorities[la].centroid,
                locationGiven: point != nil, age: age, sex: sex, neededBy: neededBy,
                siblingGroup: group.isEmpty ? nil : group, suitability: suitability, alongside: alongside,
                pets: pets, needs: needs, risks: risks, behaviour: behaviour, priorPlacements: prior,
                maxDistanceKm: maxDistanceKm, notWith: notWith))
        }
    }

    /// `not_with`: every entry names another child of children.csv.
    mutating func checkNotWith(_ pass: ChildrenPass) {
        guard let t = pass.table, pass.idsKnown else { return }
        let c = Column(name: "not_with", index: pass.notWithColumn)
        for (row, id, items) in pass.notWith {
            for item in items {
                if item == id {
                    fail(t, row, c, item, "another child's id (a child cannot be kept apart from itself)")
                } else if pass.ids[item] == nil {
                    fail(t, row, c, item, "a child_id listed in children.csv" + idHint("child", item) { Array(pass.ids.keys) })
                }
            }
        }
    }

    // MARK: placements.csv

    struct PlacementsPass {
        var placements: [Placement] = []
        var ids: [String: Int] = [:]
        var idsKnown = false
    }

    mutating func loadPlacements(_ pass: inout PlacementsPass, children: ChildrenPass) {
        let file = MarketLoader.placementsFile
        guard let bytes = read(folder.appendingPathComponent(file), name: file, required: true) else { return }
        let known = ["placement_id", "type", "provider_id", "provider_kind", "la_code", "lat", "lon", "capacity",
                     "occupied", "resident_ages", "age_min", "age_max", "sexes", "needs_met", "risks_managed",
                     "has_pets", "weekly_cost", "ofsted", "for_children"]
        guard let t = table(bytes, file: file, known: known,
                            required: ["placement_id", "type", "la_code", "capacity", "weekly_cost"]) else { return }
        pass.idsKnown = t.columnIndex("placement_id") != nil
        let cId = column(t, "placement_id"), cType = column(t, "type"), cProvider = column(t, "provider_id")
        let cKind = column(t, "provider_kind"), cLa = column(t, "la_code"), cLat = column(t, "lat")
        let cLon = column(t, "lon"), cCapacity = column(t, "capacity"), cOccupied = column(t, "occupied")
        let cResidents = column(t, "resident_ages"), cAgeMin = column(t, "age_min"), cAgeMax = column(t, "age_max")
        let cSexes = column(t, "sexes"), cNeeds = column(t, "needs_met"), cRisks = column(t, "risks_managed")
        let cPets = column(t, "has_pets"), cCost = column(t, "weekly_cost"), cOfsted = column(t, "ofsted")
        let cFor = column(t, "for_children")
        let typeWords = vocab.type
        pass.placements.reserveCapacity(t.rows.count)

        for row in t.rows {
            let id = self.id(t, row, cId, seen: &pass.ids)
            let type = requiredWord(t, row, cType, typeWords)
            let providerText = text(row, cProvider)
            let providerKind = word(t, row, cKind, vocab.providerKind).or(.la)
            let la = laCode(t, row, cLa)
            let point = location(t, row, cLat, cLon, required: false)
            let capacity = integer(t, row, cCapacity, 0...Int.max, required: true).value
            let occupiedCell = integer(t, row, cOccupied, 0...Int.max, required: false)
            let residentAges = residentAges(t, row, cResidents, occupied: occupiedCell)
            let ageMin = integer(t, row, cAgeMin, 0...17, required: false).or(0)
            let ageMax = integer(t, row, cAgeMax, 0...17, required: false).or(17)
            var agesOK = true
            if let ageMin, let ageMax, ageMin > ageMax {
                fail(t, row, cAgeMin, text(row, cAgeMin), "an age <= age_max (\(ageMax))")
                agesOK = false
            }
            let sexes = word(t, row, cSexes, vocab.sexes).or(.any)
            let needsMet = words(t, row, cNeeds, vocab.need)
            let risksManaged = words(t, row, cRisks, vocab.risk)
            let hasPets = boolean(t, row, cPets).or(false)
            let weeklyCost = required(t, row, cCost, "a weekly cost in GBP, a number >= 0") { s in
                t.number(s).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            }
            let ofsted = word(t, row, cOfsted, vocab.ofsted).or(.not_rated)
            let forChildren = forChildren(t, row, cFor, type: type, children: children)

            guard let id, let type, let providerKind, let la, let point = point.given, let capacity,
                  let occupied = occupiedCell.or(0), let residentAges, let ageMin, let ageMax, agesOK,
                  let sexes, let needsMet, let risksManaged, let hasPets, let weeklyCost, let ofsted,
                  let forChildren else { continue }
            pass.placements.append(Placement(
                id: id, type: type, providerId: providerText.isEmpty ? id : providerText, providerKind: providerKind,
                laCode: localAuthorities[la].code, location: point ?? localAuthorities[la].centroid,
                locationGiven: point != nil, capacity: capacity, occupied: occupied,
                residentAges: residentAges.isEmpty ? nil : residentAges, ageMin: ageMin, ageMax: ageMax,
                sexes: sexes, needsMet: needsMet, risksManaged: risksManaged, hasPets: hasPets,
                weeklyCost: weeklyCost, ofsted: ofsted, forChildren: forChildren))
        }
    }

    /// `resident_ages`: `[]` when empty, `nil` on error.
    mutating func residentAges(_ t: CSVTable, _ row: Row, _ c: Column, occupied: Cell<Int>) -> [Int]? {
        let items = CellParse.list(text(row, c))
        guard !items.isEmpty else { return [] }
        var ages: [Int] = []
        var ok = true
        for item in items {
            if let age = CellParse.integer(item), (0...17).contains(age) {
                ages.append(age)
            } else {
                fail(t, row, c, item, "a list separated by ; of ages, integers 0-17")
                ok = false
            }
        }
        switch occupied {
        case .empty, .value(0):
            fail(t, row, c, text(row, c), "an empty cell while occupied is empty or 0 (no child lives there)")
            ok = false
        case .value(let n) where ok && n != ages.count:
            fail(t, row, c, text(row, c), "one age per occupied place (\(n) ages, as occupied = \(n))")
            ok = false
        default:
            break
        }
        return ok ? ages : nil
    }

    /// `for_children`: required on kinship homes, an error on any other type; every entry names a
    /// child or a sibling group of children.csv.
    mutating func forChildren(_ t: CSVTable, _ row: Row, _ c: Column, type: PlacementType?,
                              children: ChildrenPass) -> [String]? {
        let items = CellParse.list(text(row, c))
        if type == .kinship, items.isEmpty {
            fail(t, row, c, nil, "the child ids or sibling groups the kinship carer is approved for (required for kinship)")
            return nil
        }
        if let type, type != .kinship, !items.isEmpty {
            fail(t, row, c, text(row, c), "an empty cell: for_children is for kinship placements only")
            return nil
        }
        var ok = true
        if children.idsKnown {
            for item in items where children.ids[item] == nil && !children.siblingGroups.contains(item) {
                let hint = idHint("child or group", item) { Array(children.ids.keys) + Array(children.siblingGroups) }
                fail(t, row, c, item, "a child_id or sibling_group from children.csv" + hint)
                ok = false
            }
        }
        return ok ? items : nil
    }

    // MARK: exclusions.csv

    mutating func loadExclusions(children: ChildrenPass, placements: PlacementsPass) -> [Exclusion] {
        let file = MarketLoader.exclusionsFile
        guard let bytes = read(folder.appendingPathComponent(file), name: file, required: false),
              let t = table(bytes, file: file, known: ["child_id", "placement_id", "reason"],
                            required: ["child_id", "placement_id"]) else { return [] }
        let cChild = column(t, "child_id"), cPlacement = column(t, "placement_id"), cReason = column(t, "reason")
        var exclusions: [Exclusion] = []
        for row in t.rows {
            var child = required(t, row, cChild, "a child_id listed in children.csv") { $0 }
            if let id = child, children.idsKnown, children.ids[id] == nil {
                fail(t, row, cChild, id, "a child_id listed in children.csv" + idHint("child", id) { Array(children.ids.keys) })
                child = nil
            }
            var placement = required(t, row, cPlacement, "a placement_id listed in placements.csv") { $0 }
            if let id = placement, placements.idsKnown, placements.ids[id] == nil {
                fail(t, row, cPlacement, id, "a placement_id listed in placements.csv"
                     + idHint("placement", id) { Array(placements.ids.keys) })
                placement = nil
            }
            guard let child, let placement else { continue }
            exclusions.append(Exclusion(childId: child, placementId: placement, reason: text(row, cReason)))
        }
        return exclusions
    }

    // MARK: policy.json

    mutating func loadPolicy() -> Policy {
        let url = policyOverride ?? folder.appendingPathComponent(MarketLoader.policyFile)
        let file = policyOverride?.lastPathComponent ?? MarketLoader.policyFile
        guard let bytes = read(url, name: file, required: policyOverride != nil,
                               missing: "a policy file at \(url.path)") else { return Policy() }
        var reader = PolicyReader(file: file, bytes: bytes)
        let policy = reader.read()
        issues.append(contentsOf: reader.issues)
        return policy
    }
}

// MARK: - policy.json

/// Reads policy.json: nested objects merge key by key with the defaults (spec section 4). The file is
/// read by `LocatedJSONParser` (strict JSON, a key at most once per object), and every problem is
/// located at the key it is about.
struct PolicyReader {
    let file: String
    let bytes: [UInt8]
    var issues: [InputIssue] = []

    static let groups = ["weights", "urgency_penalty", "risk_model"]

    /// A UTF-8 byte order mark (Windows editors write one) is skipped by the parser.
    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
    }

    mutating func read() -> Policy {
        var policy = Policy()
        let root: LocatedJSON
        do { root = try LocatedJSONParser.parse(bytes) } catch {
            issues.append(InputIssue(file: file, line: error.position.line, column: error.position.column,
                                     expected: error.duplicateKey != nil ? error.expected
                                        : error.expected + " (this is not valid JSON)"))
            return policy
        }
        guard case .object(let members, _) = root else {
            issues.append(InputIssue(file: file, line: root.position.line, column: root.position.column,
                                     expected: "a JSON object of policy keys"))
            return policy
        }
        let topKeys = Self.topLevelKeys
        for member in members {
            let key = member.key
            if Self.groups.contains(key) {
                guard case .object(let nested, _) = member.value else {
                    issue(key, nil, member.keyAt, Self.render(member.value),
                          "an object of \(key) keys: \(Self.subkeys(of: key))")
                    continue
                }
                for sub in nested {
                    set(&policy, sub.key, parent: key, at: sub.keyAt, sub.value)
                }
            } else if topKeys.contains(key) {
                set(&policy, key, parent: nil, at: member.keyAt, member.value)
            } else {
                issue(key, nil, member.keyAt, nil, "a policy key: " + topKeys.joined(separator: ", "))
            }
        }
        return policy
    }

    /// Sets one key from its JSON value: a number must be a JSON number, a boolean JSON true/false;
    /// `Policy.set` checks the range (finite, magnitude at most 1e9, >= 0, > 0).
    mutating func set(_ policy: inout Policy, _ name: String, parent: String?, at: TextPosition, _ value: LocatedJSON) {
        let key = parent.map { $0 + "." + name } ?? name
        guard let current = policy.value(of: key) else {
            issue(name, parent, at, nil, "a key of \(parent ?? "the policy"): \(Self.subkeys(of: parent ?? ""))")
            return
        }
        let converted: PolicyValue
        switch value {
        // -0 is 0, as Foundation's reader gave it (no "-0" in summary.json).
        case .number(let v, _, _): converted = .number(v == 0 ? 0 : v)
        case .boolean(let b, _): converted = .boolean(b)
        case .string, .array, .object, .null:
            switch current {
            case .number: issue(name, parent, at, Self.render(value), "a number for \(key)")
            case .boolean: issue(name, parent, at, Self.render(value), "true or false for \(key)")
            }
            return
        }
        if let expected = policy.set(key, to: converted) {
            issue(name, parent, at, Self.render(value), expected)
        }
    }

    /// A value for a message: a string as written, a number as the policy writes it (as written
    /// when too large for a double), `null`, `[…]` or `{…}`.
    static func render(_ value: LocatedJSON) -> String {
        switch value {
        case .object: "{…}"
        case .array: "[…]"
        case .string(let s, _): s
        case .number(let v, let text, _): v.isFinite ? formatPolicyNumber(v) : text
        case .boolean(let b, _): b ? "true" : "false"
        case .null: "null"
        }
    }

    static var topLevelKeys: [String] {
        var keys: [String] = []
        for (key, _) in Policy.keyPaths {
            let top = String(key.split(separator: ".").first!)
            if !keys.contains(top) { keys.append(top) }
        }
        return keys
    }

    static func subkeys(of group: String) -> String {
        let prefix = group + "."
        return Policy.keyPaths.map(\.key).filter { $0.hasPrefix(prefix) }
            .map { String($0.dropFirst(prefix.count)) }.joined(separator: ", ")
    }

    /// One problem with `key` (under `parent`), located where the key is written.
    mutating func issue(_ key: String, _ parent: String?, _ at: TextPosition, _ value: String?, _ expected: String) {
        issues.append(InputIssue(file: file, line: at.line, column: at.column,
                                 columnName: parent.map { $0 + "." + key } ?? key, value: value, expected: expected))
    }
}
