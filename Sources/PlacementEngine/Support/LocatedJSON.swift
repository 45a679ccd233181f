// A small JSON reader that remembers where every value was written (line and column), so that the
// problems of a JSON input (policy.json, a what-if scenario) can be reported like the market's CSV
// files: file, line, column, what was expected. Foundation's JSONSerialization gives no positions
// and accepts more than JSON (trailing commas; a repeated key silently keeps its last value).
//
// Strict RFC 8259, UTF-8 only: one value with only blanks around it; no trailing commas, comments,
// NaN/Infinity, leading zeros, unescaped control characters, lone surrogates or invalid UTF-8. A
// key written twice in one object is an error too (RFC 8259 leaves its meaning open: ambiguous).
// A UTF-8 byte order mark is skipped. Every error carries a 1-based line and column; columns count
// Unicode scalars (characters; a tab is one) from the start of the line.

/// A position in a text file: 1-based line and character column.
public struct TextPosition: Hashable, Sendable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
}

/// A JSON value with the position of its first character.
package indirect enum LocatedJSON: Sendable {
    case object([(key: String, keyAt: TextPosition, value: LocatedJSON)], at: TextPosition)
    case array([LocatedJSON], at: TextPosition)
    case string(String, at: TextPosition)
    /// The number and its text as written (to tell `2` from `2.0` and `2e0`).
    case number(Double, text: String, at: TextPosition)
    case boolean(Bool, at: TextPosition)
    case null(at: TextPosition)

    package var position: TextPosition {
        switch self {
        case .object(_, let p), .array(_, let p), .string(_, let p), .number(_, _, let p), .boolean(_, let p), .null(let p): p
        }
    }

    /// What kind of value this is, in words, for "expected ..., not ..." messages.
    package var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .boolean: "true/false"
        case .null: "null"
        }
    }

    /// The value as written, shortened, for messages.
    package var shortText: String {
        switch self {
        case .object: "{...}"
        case .array: "[...]"
        case .string(let s, _): s
        case .number(_, let text, _): text
        case .boolean(let b, _): b ? "true" : "false"
        case .null: "null"
        }
    }
}

package struct JSONSyntaxError: Error, Sendable {
    package var position: TextPosition
    package var expected: String
    /// The key, when the error is a key written twice in one object (the JSON itself is well formed).
    package var duplicateKey: String? = nil
}

/// Recursive-descent JSON parser over UTF-8 bytes, tracking line and column (columns count characters).
package struct LocatedJSONParser {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    /// Column bookkeeping: `columnCount` is the column of byte `columnIndex` (on the current line).
    private var columnIndex = 0
    private var columnCount = 1
    private static let maxDepth = 64

    init(_ bytes: [UInt8]) {
        var b = bytes
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        self.bytes = b
    }

    package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> LocatedJSON {
        var p = LocatedJSONParser(bytes)
        if p.bytes.starts(with: [0xFF, 0xFE]) || p.bytes.starts(with: [0xFE, 0xFF])
            || (p.bytes.count >= 2 && (p.bytes[0] == 0 || p.bytes[1] == 0)) {
            throw p.error("UTF-8 text (this file looks like UTF-16: save it as UTF-8)")
        }
        p.skipBlanks()
        let value = try p.value(depth: 0)
        p.skipBlanks()
        guard p.i == p.bytes.count else {
            throw p.error("the end of the file after the top-level value (a JSON file holds one value)" + p.hint())
        }
        return value
    }

    /// The position of byte `i`. Columns count UTF-8 lead bytes since the start of the line, counted
    /// once: `i` only moves forward.
    private mutating func position() -> TextPosition {
        if columnIndex < lineStart { columnIndex = lineStart; columnCount = 1 }
        while columnIndex < i {
            if bytes[columnIndex] & 0xC0 != 0x80 { columnCount += 1 }
            columnIndex += 1
        }
        return TextPosition(line: line, column: columnCount)
    }

    private mutating func error(_ expected: String) -> JSONSyntaxError { JSONSyntaxError(position: position(), expected: expected) }

    /// What is wrong with the byte at `i`, when it is a common slip (comments, single quotes, NaN).
    private func hint() -> String {
        guard i < bytes.count else { return "" }
        switch bytes[i] {
        case UInt8(ascii: "/"): return " (JSON has no comments)"
        case UInt8(ascii: "'"): return " (strings need double quotes)"
        case UInt8(ascii: "N"), UInt8(ascii: "I"): return " (NaN and Infinity are not JSON numbers)"
        case UInt8(ascii: "+"), UInt8(ascii: "."): return " (a number starts with a digit or '-')"
        case 0x80...: return " (not a character JSON allows outside a string)"
        default: return ""
        }
    }

    private mutating func skipBlanks() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> LocatedJSON {
        guard depth < Self.maxDepth else { throw error("at most \(Self.maxDepth) nested objects or lists") }
        guard i < bytes.count else { throw error("a value (the file ends here)") }
        let at = position()
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(at: at, depth: depth)
        case UInt8(ascii: "["): return try array(at: at, depth: depth)
        case UInt8(ascii: "\""): return .string(try string(), at: at)
        case UInt8(ascii: "t"): try literal("true"); return .boolean(true, at: at)
        case UInt8(ascii: "f"): try literal("false"); return .boolean(false, at: at)
        case UInt8(ascii: "n"): try literal("null"); return .null(at: at)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(at: at)
        default: throw error("a value: an object, a list, a string in double quotes, a number, true, false or null" + hint())
        }
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
            throw error("a value (did you mean \(word)? strings need double quotes)")
        }
        i += w.count
    }

    private mutating func object(at: TextPosition, depth: Int) throws(JSONSyntaxError) -> LocatedJSON {
        i += 1
        var members: [(key: String, keyAt: TextPosition, value: LocatedJSON)] = []
        // Keys compare as Swift strings: two spellings of one text (é and e + ◌́) are one key too.
        var seen: [String: TextPosition] = [:]
        skipBlanks()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members, at: at) }
        while true {
            skipBlanks()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw error("a key in double quotes" + hint())
            }
            let keyAt = position()
            let key = try string()
            if let first = seen[key] {
                throw JSONSyntaxError(position: keyAt, expected: "each key once in an object: duplicate key \(InputIssue.quoted(key)) (first at line \(first.line), column \(first.column))",
                                      duplicateKey: key)
            }
            seen[key] = keyAt
            skipBlanks()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("':' after the key \(InputIssue.quoted(key))") }
            i += 1
            skipBlanks()
            let v = try value(depth: depth + 1)
            members.append((key, keyAt, v))
            if try another(before: UInt8(ascii: "}"), inside: "an object", next: "another \"key\": value") { continue }
            return .object(members, at: at)
        }
    }

    private mutating func array(at: TextPosition, depth: Int) throws(JSONSyntaxError) -> LocatedJSON {
        i += 1
        var items: [LocatedJSON] = []
        skipBlanks()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items, at: at) }
        while true {
            skipBlanks()
            items.append(try value(depth: depth + 1))
            if try another(before: UInt8(ascii: "]"), inside: "a list", next: "another value") { continue }
            return .array(items, at: at)
        }
    }

    /// After a member of an object or an item of a list: true at ',' (`next` must follow), false
    /// at `close` (consumed); a comma just before `close`, the end of the file, or anything else
    /// is an error, located.
    private mutating func another(before close: UInt8, inside place: String, next: String) throws(JSONSyntaxError) -> Bool {
        let closing = "'\(Character(Unicode.Scalar(close)))'"
        skipBlanks()
        guard i < bytes.count else { throw error("',' or \(closing) (the file ends inside \(place))") }
        if bytes[i] == UInt8(ascii: ",") {
            let commaAt = position()
            i += 1
            skipBlanks()
            if i < bytes.count, bytes[i] == close {
                throw JSONSyntaxError(position: commaAt, expected: "\(next) after ',' (JSON allows no comma before \(closing))")
            }
            return true
        }
        if bytes[i] == close { i += 1; return false }
        throw error("',' or \(closing) after a value in \(place)" + hint())
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b < 0x20 { throw error("a closing '\"' before the end of the line (control characters must be escaped)") }
            if b >= 0x80 {
                guard let n = utf8Length(at: i) else {
                    throw error("UTF-8 text (this byte does not start a valid UTF-8 character)")
                }
                out.append(contentsOf: bytes[i..<(i + n)])
                i += n
                continue
            }
            if b == UInt8(ascii: "\\") {
                let escapeAt = position()
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xDC00..<0xE000).contains(scalar) {
                        throw JSONSyntaxError(position: escapeAt, expected: "a \\u escape of a character (\\u\(Self.hex(scalar)) is the second half of a surrogate pair, with no first half)")
                    }
                    if (0xD800..<0xDC00).contains(scalar) {
                        let high = scalar
                        guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                            throw JSONSyntaxError(position: escapeAt, expected: "\\uDC00-\\uDFFF after \\u\(Self.hex(high)) (the first half of a surrogate pair)")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw JSONSyntaxError(position: escapeAt, expected: "\\uDC00-\\uDFFF after \\u\(Self.hex(high)) (the first half of a surrogate pair), not \\u\(Self.hex(low))")
                        }
                        scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    }
                    // Not a surrogate, so a valid scalar.
                    out.append(contentsOf: Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8))
                default: throw error("an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX")
                }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        throw error("a closing '\"' (the file ends inside a string)")
    }

    /// The length of the well-formed UTF-8 sequence starting at byte `k` (>= 0x80), `nil` when it is
    /// not one (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, cut short).
    private func utf8Length(at k: Int) -> Int? {
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let n: Int
        switch bytes[k] {
        case 0xC2...0xDF: n = 2
        case 0xE0: n = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 3
        case 0xED: n = 3; high = 0x9F
        case 0xF0: n = 4; low = 0x90
        case 0xF1...0xF3: n = 4
        case 0xF4: n = 4; high = 0x8F
        default: return nil
        }
        guard k + n <= bytes.count, bytes[k + 1] >= low, bytes[k + 1] <= high else { return nil }
        for j in 2..<n where bytes[k + j] & 0xC0 != 0x80 { return nil }
        return n
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Reads the 4 hex digits after `\u`; leaves `i` on the last one.
    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            i += 1
            guard i < bytes.count, let d = Self.hexDigit(bytes[i]) else { throw error("4 hex digits after \\u") }
            v = v * 16 + d
        }
        return v
    }

    private static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// A number as RFC 8259 writes it. Its value may be infinite when written too large (`1e400`):
    /// readers reject that with their own ranges.
    private mutating func number(at: TextPosition) throws(JSONSyntaxError) -> LocatedJSON {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { throw error("a digit after '-'" + hint()) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, Self.isDigit(bytes[i]) {
                throw JSONSyntaxError(position: at, expected: "a number without leading zeros (7 or 0.7, not 07)")
            }
        } else {
            _ = digits()
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw error("a digit after the decimal point") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw error("a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let v = Double(text) else { throw error("a number") }
        return .number(v, text: text, at: at)
    }
}
