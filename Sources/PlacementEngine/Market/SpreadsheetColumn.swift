// Spreadsheet column letters: a commissioner opens the CSV in Excel or LibreOffice, where column 5
// is "E" and column 27 "AA", so every located input problem names the letter beside the number.

public enum SpreadsheetColumn {
    /// The letters of a 1-based column: 1 = A, 26 = Z, 27 = AA, 702 = ZZ, 703 = AAA (bijective base 26).
    public static func letters(_ column: Int) -> String {
        guard column >= 1 else { return "?" }
        var n = column
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let digit = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(ascii: "A") + UInt8(digit)))
            n = (n - 1) / 26
        }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }
}
