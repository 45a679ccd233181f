import Foundation

// Semicolon- and tab-delimited files. Excel writes "CSV" with the list separator of the machine's
// region: a semicolon across most of Europe, whatever the menu calls it, so asking for a comma file
// is no fix there. Such a file used to give one error per row (every row one long cell). The
// loader now reads it, with one warning naming the delimiter.
//
// This is unambiguous only under RFC 4180 quoting: a list cell holding `;` must then be quoted, as
// Excel does for any cell holding the delimiter. A hand-written file with an unquoted list spills
// into the next cells, which the reader reports (more cells than the header, with a hint).
// Numbers with a decimal comma (`51,48`), which the same exports write, are read as decimals in such
// a file, where a comma cannot be a delimiter; a thousands separator is still an error.

extension CSVTable {
    /// The delimiter of a file whose header row has no comma but splits on `;` or a tab into at
    /// least one of the `known` column names (lowercased); `nil` for a comma file (the format's).
    package static func sniffDelimiter(_ bytes: [UInt8], known: Set<String>) -> UInt8? {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        // The header is the first line that is not blank.
        var header: ArraySlice<UInt8> = []
        var k = start
        while k < bytes.count {
            var e = k
            while e < bytes.count, bytes[e] != 0x0A, bytes[e] != 0x0D { e += 1 }
            if bytes[k..<e].contains(where: { $0 != 0x20 && $0 != 0x09 }) { header = bytes[k..<e]; break }
            k = e + 1
        }
        guard !header.contains(UInt8(ascii: ",")) else { return nil }
        var best: (delimiter: UInt8, known: Int)? = nil
        for delimiter in [UInt8(ascii: ";"), UInt8(ascii: "\t")] where header.contains(delimiter) {
            let names = header.split(separator: delimiter, omittingEmptySubsequences: false).map { part -> String in
                var s = String(decoding: part, as: UTF8.self).trimmingBlanks
                if s.hasPrefix("\""), s.hasSuffix("\""), s.count >= 2 { s = String(s.dropFirst().dropLast()).trimmingBlanks }
                return s.lowercased()
            }
            let n = names.filter { known.contains($0) }.count
            if n > 0, n > best?.known ?? 0 { best = (delimiter, n) }
        }
        return best?.delimiter
    }

    /// How a warning names the delimiter.
    package static func delimiterName(_ delimiter: UInt8) -> String {
        delimiter == UInt8(ascii: "\t") ? "tabs" : "semicolons (;)"
    }

    /// A number cell: as the format writes it, or with a decimal comma in a file delimited by
    /// semicolons or tabs.
    func number(_ s: String) -> Double? {
        CellParse.number(delimiter == UInt8(ascii: ",") ? s : decimalPoint(s))
    }

    /// `51,48` as `51.48` in a file whose delimiter is not a comma: one comma between digits, no dot.
    package func decimalPoint(_ s: String) -> String {
        guard delimiter != UInt8(ascii: ","), !s.contains("."), s.filter({ $0 == "," }).count == 1,
              let comma = s.firstIndex(of: ","), comma != s.startIndex,
              s[s.index(before: comma)].isASCIIDigit, s.index(after: comma) < s.endIndex,
              s[s.index(after: comma)].isASCIIDigit else { return s }
        return s.replacingCharacters(in: comma...comma, with: ".")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate var trimmingBlanks: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
