// Numbers and CSV cells as the outputs write them (spec sections 6 and 7): fixed decimals,
// rounded half away from zero, no locale.

public enum Fixed {
    /// `value` with `decimals` digits after the point, rounded half away from zero ("-0.00" never appears).
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(value) }
        let digits = String(UInt64(scaled))
        let negative = value < 0 && scaled != 0
        guard decimals > 0 else { return (negative ? "-" : "") + digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        let cut = padded.index(padded.endIndex, offsetBy: -decimals)
        return (negative ? "-" : "") + padded[..<cut] + "." + padded[cut...]
    }
    public static func km(_ v: Double) -> String { format(v, decimals: 2) }
    public static func risk(_ v: Double) -> String { format(v, decimals: 4) }
    public static func cost(_ v: Double) -> String { format(v, decimals: 2) }
    /// An integer with thousands separated by commas (12,345), for people to read.
    public static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}

public enum CSVCell {
    /// RFC 4180 quoting, only where the cell needs it.
    public static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    public static func line(_ cells: [String]) -> String { cells.map(quote).joined(separator: ",") + "\n" }
}

import Foundation
