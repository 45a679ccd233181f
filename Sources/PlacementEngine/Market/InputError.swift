// Input errors (spec section 6): every problem found in a market folder, each with file, line,
// column and what was expected. Messages show ids and cell values, nothing else about a child.

/// One problem in one input file.
public struct InputIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's name in the market folder, such as `children.csv`.
    public var file: String
    /// 1-based physical line in the file (a quoted cell may span lines); `nil` for the whole file.
    public var line: Int?
    /// 1-based column number: the CSV column of the cell, or the character column in a JSON file.
    public var column: Int?
    /// The column's name (CSV) or the policy key (JSON), when there is one.
    public var columnName: String?
    /// The offending cell or list item, as written (trimmed), when there is one.
    public var value: String?
    /// What was expected instead, such as `an integer 0-17`.
    public var expected: String

    public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil,
                value: String? = nil, expected: String) {
        self.file = file; self.line = line; self.column = column
        self.columnName = columnName; self.value = value; self.expected = expected
    }

    /// `children.csv:12:5: age = "19": expected an integer 0-17`.
    public var description: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        s += ": "
        if let columnName {
            s += columnName
            if let value { s += " = " + Self.quoted(value) }
            s += ": "
        } else if let value {
            s += Self.quoted(value) + ": "
        }
        return s + "expected " + expected
    }

    /// A value in double quotes on one line, long values shortened.
    static func quoted(_ value: String) -> String {
        var out = "\""
        var count = 0
        for ch in value.unicodeScalars {
            if count == 80 { out += "…"; break }
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 || ch.value == 0x7F {
                    out += "\\u{\(String(ch.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
            count += 1
        }
        return out + "\""
    }

    /// File, then line, then column (a missing line or column first), then the message.
    static func areInOrder(_ a: InputIssue, _ b: InputIssue) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.line != b.line { return (a.line ?? 0) < (b.line ?? 0) }
        if a.column != b.column { return (a.column ?? 0) < (b.column ?? 0) }
        return a.description < b.description
    }
}

/// Everything wrong with a market folder, found in one pass.
public struct MarketInputError: Error, Sendable, CustomStringConvertible {
    public var issues: [InputIssue]

    public init(issues: [InputIssue]) { self.issues = issues }

    /// One issue per line, sorted by file, line and column.
    public var description: String {
        issues.sorted(by: InputIssue.areInOrder).map(\.description).joined(separator: "\n")
    }
}
