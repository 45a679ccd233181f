import Foundation
import PlacementEngine

// The public geography the generator draws from: the 153 LAs (bundled in code), the children looked
// after per LA and the 32,844 LSOA centre points (read at run time from fixtures/england/, copied
// unchanged from shared/data; see fixtures/england/README.md).

/// England's geography for the market generator.
public struct EnglandData: Sendable {
    public static let childrenFile = "england_las_children.csv"
    public static let pointsFile = "england_lsoa_points.csv"

    /// The 153 LAs, in `EnglandLocalAuthorities.all`'s order.
    public let localAuthorities: [LocalAuthority]
    /// Children looked after at 31 March 2024 per LA (same order). Isles of Scilly, unpublished ("z"),
    /// gets `scillyChildrenLookedAfter`.
    public let childrenLookedAfter: [Int]
    /// LSOA centre points: latitude, longitude and the index of their LA.
    public let pointLat: [Double]
    public let pointLon: [Double]
    public let pointLA: [Int32]
    /// For each LA, the indices of its LSOA points.
    public let pointsOfLA: [[Int32]]
    /// The distinct RCCs (ONS regions), sorted, and each LA's index into them.
    public let regions: [String]
    public let regionOfLA: [Int]

    /// A tiny count for Isles of Scilly, whose looked-after figure is suppressed ("z"): a handful of
    /// children at most (about 350 children live there).
    public static let scillyChildrenLookedAfter = 3

    public var pointCount: Int { pointLat.count }

    /// Loads the two CSV files from `folder`.
    public init(folder: URL, localAuthorities: [LocalAuthority] = EnglandLocalAuthorities.all) throws(EnglandDataError) {
        self.localAuthorities = localAuthorities
        var laIndex = [String: Int]()
        for (i, la) in localAuthorities.enumerated() { laIndex[la.code] = i }
        regions = Array(Set(localAuthorities.map(\.rcc))).sorted()
        let regionIndex = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        regionOfLA = localAuthorities.map { regionIndex[$0.rcc]! }

        // Children looked after.
        let cla = try Self.readCSV(folder.appendingPathComponent(Self.childrenFile))
        guard let codeCol = cla.header.firstIndex(of: "code"),
              let claCol = cla.header.firstIndex(of: "cla_31mar2024") else {
            throw .badFile(Self.childrenFile, "expected columns code and cla_31mar2024")
        }
        var counts = [Int?](repeating: nil, count: localAuthorities.count)
        for (n, row) in cla.rows.enumerated() {
            guard row.count > max(codeCol, claCol) else { throw .badFile(Self.childrenFile, "line \(n + 2): too few cells") }
            guard let i = laIndex[row[codeCol]] else { continue }
            let cell = row[claCol]
            if cell == "z" {
                counts[i] = Self.scillyChildrenLookedAfter
            } else if let v = Int(cell), v >= 0 {
                counts[i] = v
            } else {
                throw .badFile(Self.childrenFile, "line \(n + 2): cla_31mar2024 '\(cell)' is not a count")
            }
        }
        if let missing = counts.firstIndex(where: { $0 == nil }) {
            throw .badFile(Self.childrenFile, "no row for \(localAuthorities[missing].code) \(localAuthorities[missing].name)")
        }
        childrenLookedAfter = counts.map { $0! }

        // LSOA points.
        let pts = try Self.readCSV(folder.appendingPathComponent(Self.pointsFile))
        guard let laCol = pts.header.firstIndex(of: "la_code"),
              let latCol = pts.header.firstIndex(of: "lat"),
              let lonCol = pts.header.firstIndex(of: "lon") else {
            throw .badFile(Self.pointsFile, "expected columns la_code, lat and lon")
        }
        var lat = [Double](), lon = [Double](), la = [Int32]()
        lat.reserveCapacity(pts.rows.count); lon.reserveCapacity(pts.rows.count); la.reserveCapacity(pts.rows.count)
        var byLA = [[Int32]](repeating: [], count: localAuthorities.count)
        for (n, row) in pts.rows.enumerated() {
            guard row.count > max(laCol, latCol, lonCol),
                  let i = laIndex[row[laCol]], let y = Double(row[latCol]), let x = Double(row[lonCol]) else {
                throw .badFile(Self.pointsFile, "line \(n + 2): expected a known la_code, lat and lon")
            }
            byLA[i].append(Int32(lat.count))
            lat.append(y); lon.append(x); la.append(Int32(i))
        }
        if let empty = byLA.firstIndex(where: \.isEmpty) {
            throw .badFile(Self.pointsFile, "no LSOA point in \(localAuthorities[empty].code) \(localAuthorities[empty].name)")
        }
        pointLat = lat; pointLon = lon; pointLA = la; pointsOfLA = byLA
    }

    /// Loads from `--england DIR` when given, else from the first `fixtures/england` found (see `locate`).
    public static func load(explicit: String? = nil) throws(EnglandDataError) -> EnglandData {
        try EnglandData(folder: locate(explicit: explicit))
    }

    /// Where the fixtures are: `explicit` (which must hold the files); else `fixtures/england` under the
    /// current directory; else under the package root found by walking up from the executable
    /// (`CommandLine.arguments[0]`, `Bundle.main.executablePath`) or from `extraStarts` (tests pass
    /// their `#filePath`).
    public static func locate(explicit: String? = nil, extraStarts: [URL] = []) throws(EnglandDataError) -> URL {
        var starts = [URL]()
        if let arg0 = CommandLine.arguments.first, !arg0.isEmpty {
            starts.append(URL(fileURLWithPath: arg0).resolvingSymlinksInPath())
        }
        if let exe = Bundle.main.executablePath { starts.append(URL(fileURLWithPath: exe).resolvingSymlinksInPath()) }
        return try locate(explicit: explicit, currentDirectory: FileManager.default.currentDirectoryPath, starts: starts + extraStarts)
    }

    /// `locate` with the current directory and the paths to walk up from given (for tests).
    static func locate(explicit: String?, currentDirectory: String, starts: [URL]) throws(EnglandDataError) -> URL {
        let fm = FileManager.default
        func holdsFiles(_ dir: URL) -> Bool {
            fm.fileExists(atPath: dir.appendingPathComponent(childrenFile).path)
                && fm.fileExists(atPath: dir.appendingPathComponent(pointsFile).path)
        }
        if let explicit {
            let dir = URL(fileURLWithPath: explicit)
            guard holdsFiles(dir) else { throw .notFound(searched: [dir.path]) }
            return dir
        }
        var searched = [String]()
        let cwd = URL(fileURLWithPath: currentDirectory).appendingPathComponent("fixtures/england")
        searched.append(cwd.path)
        if holdsFiles(cwd) { return cwd }
        for start in starts {
            var dir = start.standardizedFileURL.deletingLastPathComponent().standardizedFileURL
            for _ in 0..<64 {
                let candidate = dir.appendingPathComponent("fixtures/england")
                if holdsFiles(candidate) { return candidate }
                let parent = dir.deletingLastPathComponent().standardizedFileURL
                if parent.path == dir.path || dir.path == "/" || dir.path.isEmpty { break }
                dir = parent
            }
            searched.append("\(start.deletingLastPathComponent().path) and its parents")
        }
        throw .notFound(searched: searched)
    }

    // MARK: - The two files, through the markets' own CSV reader (CSVTable: RFC 4180, the names
    // hold commas; any malformed row is an error naming the file, line and column)

    static func readCSV(_ url: URL) throws(EnglandDataError) -> (header: [String], rows: [[String]]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .badFile(url.lastPathComponent, "cannot read: \(error.localizedDescription)") }
        let table = CSVTable.parse([UInt8](data), file: url.lastPathComponent)
        if let issue = table.issues.first { throw .badFile(url.lastPathComponent, issue.description) }
        guard !table.headerKeys.isEmpty else { throw .badFile(url.lastPathComponent, "empty file") }
        return (table.headerKeys, table.rows.map(\.cells))
    }
}

public enum EnglandDataError: Error, CustomStringConvertible, Sendable {
    case notFound(searched: [String])
    case badFile(String, String)

    public var description: String {
        switch self {
        case .notFound(let searched):
            "England reference data not found: need \(EnglandData.childrenFile) and \(EnglandData.pointsFile) "
                + "in a fixtures/england folder (looked in: \(searched.joined(separator: "; "))); pass --england DIR"
        case .badFile(let file, let what):
            "England reference data: \(file): \(what)"
        }
    }
}
