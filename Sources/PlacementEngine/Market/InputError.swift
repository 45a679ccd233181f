import Foundation

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
    /// A remark that is not an expectation (a warning, such as an unknown column, or a whole-file
    /// problem such as its encoding): written instead of `expected …` when given.
    public var remark: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, columnName: String? = nil,
                value: String? = nil, expected: String) {
        self.file = file; self.line = line; self.column = column
        self.columnName = columnName; self.value = value; self.expected = expected
    }

    /// An issue told as a remark rather than as what was expected (`expected` is kept for callers
    /// that read it alone).
    public init(file: String, line: Int? = nil, column: Int? = nil, remark: String, expected: String) {
        self.init(file: file, line: line, column: column, expected: expected)
        self.remark = remark
    }

    /// The spreadsheet letter of `column` (`E` for 5, `AA` for 27) in a CSV file, where a
    /// commissioner finds the cell by its letter; `nil` elsewhere (a JSON file's column is a
    /// character position, not a spreadsheet column).
    public var columnLetter: String? {
        guard let column, file.lowercased().hasSuffix(".csv") else { return nil }
        return SpreadsheetColumn.letters(column)
    }

    /// `children.csv:12:5 (E)`: the file, then line and column when known.
    public var location: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
            if let columnLetter { s += " (\(columnLetter))" }
        }
        return s
    }

    /// The problem without its location: `age = "19": expected an integer 0-17`.
    public var message: String {
        var s = ""
        if let columnName {
            s += columnName
            if let value { s += " = " + Self.quoted(value) }
            s += ": "
        } else if let value {
            s += Self.quoted(value) + ": "
        }
        return s + (remark ?? "expected " + expected)
    }

    /// `children.csv:12:5 (E): age = "19": expected an integer 0-17`.
    public var description: String { location + ": " + message }

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
    /// The warnings found beside the errors (unknown columns and the like), so that a caller
    /// showing the errors can show them too.
    public var warnings: [InputIssue]

    public init(issues: [InputIssue], warnings: [InputIssue] = []) {
        self.issues = issues
        self.warnings = warnings
    }

    /// One issue per line, sorted by file, line and column.
    public var description: String {
        issues.sorted(by: InputIssue.areInOrder).map(\.description).joined(separator: "\n")
    }
}

extension MarketInputError {
    /// The warnings of a market, as the errors of `--strict` (a nightly run that must not go on
    /// with a misspelt column silently ignored).
    public static func strict(issues: [InputIssue], warnings: [InputIssue]) -> MarketInputError {
        let promoted = warnings.map { w -> InputIssue in
            var e = w
            if let remark = e.remark { e.remark = remark + "; --strict makes this warning an error" }
            return e
        }
        return MarketInputError(issues: (issues + promoted).sorted(by: InputIssue.areInOrder))
    }

    /// The issues and warnings as JSON-ready values: `file`, `line`, `column`, `column_letter`
    /// (JSON null when not known) and `message` (the issue without its location).
    public static func jsonObjects(_ issues: [InputIssue]) -> [[String: Any]] {
        issues.sorted(by: InputIssue.areInOrder).map { i in
            ["file": i.file, "line": i.line.map { $0 as Any } ?? NSNull(), "column": i.column.map { $0 as Any } ?? NSNull(),
             "column_letter": i.columnLetter.map { $0 as Any } ?? NSNull(), "message": i.message]
        }
    }
}
