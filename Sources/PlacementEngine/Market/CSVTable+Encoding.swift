// Text that is not UTF-8, said once per file with the fix. A spreadsheet saved as plain "CSV" on
// Windows is Windows-1252 (Latin-1 with extras), and "Unicode Text" is UTF-16: the reader used to
// report every cell holding an accented letter, and a UTF-16 file as a cascade of nonsense columns.
// Neither told the commissioner what to do. Now: one issue, naming the first byte that is not
// UTF-8 (line and column), what it looks like, and the Excel menu that writes UTF-8.

enum TextEncoding {
    static let fix = "in Excel choose Save As › CSV UTF-8 (Comma delimited)"

    /// One issue for a file that is not 8-bit text at all (UTF-16 or UTF-32, with or without a
    /// byte order mark); `nil` for a file the CSV reader can read.
    static func notUTF8Issue(_ bytes: [UInt8], file: String) -> InputIssue? {
        let utf16BOM = bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
        // Without a mark, UTF-16 text of ASCII letters has a zero byte in every pair.
        let zeroInFirstPair = bytes.count >= 2 && (bytes[0] == 0 || bytes[1] == 0)
        guard utf16BOM || zeroInFirstPair else { return nil }
        let what = utf16BOM ? "it starts with a UTF-16 byte order mark" : "it holds zero bytes, as UTF-16 text does"
        return InputIssue(file: file, line: 1, remark: "the file is not UTF-8 text (\(what), as Excel's \"Unicode Text\" writes): " + fix,
                          expected: "UTF-8 text")
    }

    /// The one issue of a file whose first byte that is not UTF-8 is `byte`, in the cell at `line`
    /// and `column`.
    static func latinIssue(file: String, line: Int, column: Int, byte: UInt8) -> InputIssue {
        let hex = "0x" + String(byte, radix: 16, uppercase: true)
        let looks: String
        if let ch = windows1252(byte) {
            looks = "\"\(ch)\" in Latin-1/Windows-1252, which the file looks like"
        } else {
            looks = "not a letter in Latin-1/Windows-1252 either"
        }
        return InputIssue(file: file, line: line, column: column,
                          remark: "the file is not UTF-8 text (byte \(hex) in this cell, \(looks)): " + fix,
                          expected: "UTF-8 text")
    }

    /// The character a byte of 0x80 or more stands for in Windows-1252 (whose 0xA0-0xFF are
    /// Latin-1's); `nil` for the five bytes it leaves undefined and for ASCII.
    static func windows1252(_ byte: UInt8) -> Character? {
        switch byte {
        case 0xA0...0xFF: return Character(Unicode.Scalar(byte))
        case 0x80...0x9F:
            let table: [UInt32] = [0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                                   0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
                                   0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178]
            let v = table[Int(byte - 0x80)]
            return v == 0 ? nil : Unicode.Scalar(v).map(Character.init)
        default: return nil
        }
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence; `nil` when all do.
    static func firstInvalidUTF8(_ buf: UnsafeBufferPointer<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = buf.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// Line ends in `buf`: LF, CRLF or a lone CR each count one.
    static func lineBreaks(in buf: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for k in buf.indices where buf[k] == 0x0A || (buf[k] == 0x0D && (k + 1 == buf.endIndex || buf[k + 1] != 0x0A)) {
            n += 1
        }
        return n
    }
}
