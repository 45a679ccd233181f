// A small JSON reader that remembers where every value was written (line and column), so that a
// scenario file's problems can be reported like the market's: file, line, column, what was expected.
// Foundation's JSONSerialization gives no positions, hence this (RFC 8259, nothing more).

/// A position in a text file: 1-based line and character column.
public struct TextPosition: Hashable, Sendable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
}

/// A JSON value with the position of its first character.
indirect enum LocatedJSON: Sendable {
    case object([(key: String, keyAt: TextPosition, value: LocatedJSON)], at: TextPosition)
    case array([LocatedJSON], at: TextPosition)
    case string(String, at: TextPosition)
    /// The number and its text as written (to tell `2` from `2.0` and `2e0`).
    case number(Double, text: String, at: TextPosition)
    case boolean(Bool, at: TextPosition)
    case null(at: TextPosition)

    var position: TextPosition {
        switch self {
        case .object(_, let p), .array(_, let p), .string(_, let p), .number(_, _, let p), .boolean(_, let p), .null(let p): p
        }
    }

    /// What kind of value this is, in words, for "expected ..., not ..." messages.
    var kindName: String {
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
    var shortText: String {
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

struct JSONSyntaxError: Error, Sendable {
    var position: TextPosition
    var expected: String
}

/// Recursive-descent JSON parser over UTF-8 bytes, tracking line and column (columns count characters).
struct LocatedJSONParser {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private static let maxDepth = 64

    init(_ bytes: [UInt8]) {
        var b = bytes
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        self.bytes = b
    }

    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> LocatedJSON {
        var p = LocatedJSONParser(bytes)
        p.skipBlanks()
        let value = try p.value(depth: 0)
        p.skipBlanks()
        guard p.i == p.bytes.count else { throw p.error("the end of the file after the top-level value") }
        return value
    }

    private var position: TextPosition {
        // Column in characters: count UTF-8 lead bytes since the start of the line.
        var col = 1
        var k = lineStart
        while k < i { if bytes[k] & 0xC0 != 0x80 { col += 1 }; k += 1 }
        return TextPosition(line: line, column: col)
    }

    private func error(_ expected: String) -> JSONSyntaxError { JSONSyntaxError(position: position, expected: expected) }

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
        let at = position
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(at: at, depth: depth)
        case UInt8(ascii: "["): return try array(at: at, depth: depth)
        case UInt8(ascii: "\""): return .string(try string(), at: at)
        case UInt8(ascii: "t"): try literal("true"); return .boolean(true, at: at)
        case UInt8(ascii: "f"): try literal("false"); return .boolean(false, at: at)
        case UInt8(ascii: "n"): try literal("null"); return .null(at: at)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(at: at)
        default: throw error("a value: an object, a list, a string in double quotes, a number, true, false or null")
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
        skipBlanks()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members, at: at) }
        while true {
            skipBlanks()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("a key in double quotes") }
            let keyAt = position
            let key = try string()
            skipBlanks()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("':' after the key \"\(key)\"") }
            i += 1
            skipBlanks()
            let v = try value(depth: depth + 1)
            members.append((key, keyAt, v))
            skipBlanks()
            guard i < bytes.count else { throw error("',' or '}' (the file ends inside an object)") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members, at: at) }
            throw error("',' or '}' after a value in an object")
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
            skipBlanks()
            guard i < bytes.count else { throw error("',' or ']' (the file ends inside a list)") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items, at: at) }
            throw error("',' or ']' after a value in a list")
        }
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b < 0x20 { throw error("a closing '\"' before the end of the line (control characters must be escaped)") }
            if b == UInt8(ascii: "\\") {
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
                    if (0xD800..<0xDC00).contains(scalar), i + 2 < bytes.count,
                       bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) { scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) }
                    }
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

    private mutating func number(at: TextPosition) throws(JSONSyntaxError) -> LocatedJSON {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") else {
            throw error("a digit after '-'")
        }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { _ = digits() }
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
