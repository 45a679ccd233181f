// An RFC 4180 CSV reader, written by hand on purpose: the Swift CSV packages available to us
// (SwiftCSV, yaslab/CSV.swift) do not report the physical line and column of a row or of a malformed
// quote, and every input error we report must say file, line and column (spec section 6). It works
// on bytes, not Characters, because a national market is ~84,000 + ~50,000 rows.
//
// Accepted: a UTF-8 byte order mark; LF, CRLF (or a lone CR) line ends; quoted cells with `""`
// escapes, commas and line breaks inside; blanks around a quoted cell; a trailing empty line; empty
// lines and rows whose cells are all empty (skipped). Rows shorter than the header are padded with
// empty cells. Reported: an unterminated quote, text after a closing quote, a row with more cells
// than the header, bytes that are not UTF-8 (once per file, see CSVTable+Encoding.swift), duplicate
// header names, an empty file. Cells are trimmed of blanks (and a quoted cell of line breaks at its
// ends too). The delimiter is a comma unless the caller found another (CSVTable+Delimiter.swift).

/// A CSV file as rows of trimmed cells, each row knowing where it came from.
package struct CSVTable: Sendable {
    package struct Row: Sendable {
        /// 1-based physical line the row starts on.
        package var line: Int
        /// Trimmed cells, exactly as many as the header.
        package var cells: [String]
        /// The line each cell starts on, only for rows that span several lines.
        var cellLines: [Int]?

        func line(ofCell index: Int) -> Int { cellLines?[index] ?? line }
    }

    /// The file's name, for issues.
    package var file: String
    /// Header names, trimmed, as written.
    package var header: [String]
    /// 1-based physical line of the header row.
    package var headerLine: Int
    /// Header names lowercased, for matching.
    package var headerKeys: [String]
    package var rows: [Row]
    /// Malformed CSV, in file order.
    package var issues: [InputIssue]
    /// The byte between cells: a comma, or the semicolon or tab the file was found to use.
    package var delimiter: UInt8 = UInt8(ascii: ",")

    /// The index of a column, matching its name case-insensitively; `nil` when absent.
    package func columnIndex(_ name: String) -> Int? {
        let key = name.lowercased()
        return headerKeys.firstIndex(of: key)
    }

    /// Parses a whole file. Never fails: problems are collected in `issues`.
    package static func parse(_ bytes: [UInt8], file: String, delimiter: UInt8 = UInt8(ascii: ",")) -> CSVTable {
        if let issue = TextEncoding.notUTF8Issue(bytes, file: file) {
            // UTF-16 (Excel's "Unicode Text"): every other byte is zero, so the rows would be noise.
            return CSVTable(file: file, header: [], headerLine: 1, headerKeys: [], rows: [], issues: [issue],
                            delimiter: delimiter)
        }
        var table = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer, file: file, delimiter: delimiter)
            return parser.run()
        }
        table.delimiter = delimiter
        return table
    }
}

private let quote: UInt8 = 0x22
private let cr: UInt8 = 0x0D
private let lf: UInt8 = 0x0A
private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09

@inline(__always) private func isTrimmed(_ b: UInt8) -> Bool { b == space || b == tab || b == cr || b == lf }

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    /// Named `comma` for the common case; a semicolon or a tab when the file uses one.
    let comma: UInt8
    var i = 0
    var line = 1
    var issues: [InputIssue] = []
    var scratch: [UInt8] = []
    /// The first bytes that are not UTF-8: reported once, at the end, rather than once per cell
    /// (a Latin-1 file has them in every other row).
    var notUTF8: (line: Int, column: Int, byte: UInt8)?

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, delimiter: UInt8) {
        self.bytes = bytes
        self.file = file
        self.comma = delimiter
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    }

    /// Blanks around a cell: spaces, and tabs unless the tab is the delimiter.
    @inline(__always) func isBlank(_ b: UInt8) -> Bool { b == space || (b == tab && comma != tab) }

    mutating func run() -> CSVTable {
        var header: [String] = []
        var rows: [CSVTable.Row] = []
        var headerSeen = false
        var headerLine = 1
        var cells: [String] = []
        var cellLines: [Int] = []
        while i < bytes.count {
            let rowLine = line
            cells.removeAll(keepingCapacity: true)
            cellLines.removeAll(keepingCapacity: true)
            readRow(into: &cells, lines: &cellLines)
            if cells.allSatisfy(\.isEmpty) { continue }
            if !headerSeen {
                headerSeen = true
                headerLine = rowLine
                header = cells
                continue
            }
            if cells.count > header.count {
                // In a file delimited by ; an unquoted list cell spills into the next cells.
                let hint = comma == UInt8(ascii: ";")
                    ? " (in a file delimited by ; a list cell holding ; must be in double quotes)" : ""
                issues.append(InputIssue(
                    file: file, line: cellLines[header.count], column: header.count + 1,
                    value: cells[header.count],
                    expected: "at most \(header.count) cells in a row, as many as the header has" + hint))
                cells.removeLast(cells.count - header.count)
                cellLines.removeLast(cellLines.count - header.count)
            }
            var row = CSVTable.Row(line: rowLine, cells: cells, cellLines: nil)
            if cellLines.last.map({ $0 != rowLine }) ?? false { row.cellLines = cellLines }
            if row.cells.count < header.count {
                row.cells.append(contentsOf: repeatElement("", count: header.count - row.cells.count))
                if var lines = row.cellLines {
                    lines.append(contentsOf: repeatElement(lines.last!, count: header.count - lines.count))
                    row.cellLines = lines
                }
            }
            rows.append(row)
        }
        if !headerSeen {
            issues.append(InputIssue(file: file, expected: "a header row (the file is empty)"))
        }
        if let notUTF8 {
            issues.append(TextEncoding.latinIssue(file: file, line: notUTF8.line, column: notUTF8.column,
                                                  byte: notUTF8.byte))
        }
        let keys = header.map { $0.lowercased() }
        var firstColumn: [String: Int] = [:]
        for (index, key) in keys.enumerated() where !key.isEmpty {
            if let first = firstColumn[key] {
                issues.append(InputIssue(
                    file: file, line: headerLine, column: index + 1, value: header[index],
                    expected: "each column named once (\"\(header[index])\" is also column \(first + 1))"))
            } else {
                firstColumn[key] = index
            }
        }
        return CSVTable(file: file, header: header, headerLine: headerLine, headerKeys: keys, rows: rows, issues: issues)
    }

    /// Reads one row (up to and including its line end).
    mutating func readRow(into cells: inout [String], lines: inout [Int]) {
        while true {
            lines.append(line)
            cells.append(readCell(column: cells.count + 1))
            guard i < bytes.count else { return }
            let b = bytes[i]
            i += 1
            if b == comma { continue }
            // A line end: LF, CRLF or a lone CR.
            if b == cr, i < bytes.count, bytes[i] == lf { i += 1 }
            line += 1
            return
        }
    }

    /// Reads one cell, leaving `i` on the comma or line end that follows (or at the end).
    mutating func readCell(column: Int) -> String {
        var j = i
        while j < bytes.count, isBlank(bytes[j]) { j += 1 }
        if j < bytes.count, bytes[j] == quote {
            i = j
            return readQuotedCell(column: column)
        }
        // Unquoted: up to the next comma or line end.
        let start = i
        var high = false
        while j < bytes.count {
            let b = bytes[j]
            if b == comma || b == lf || b == cr { break }
            if b >= 0x80 { high = true }
            j += 1
        }
        i = j
        var s = start, e = j
        while s < e, isBlank(bytes[s]) { s += 1 }
        while e > s, isBlank(bytes[e - 1]) { e -= 1 }
        return text(UnsafeBufferPointer(rebasing: bytes[s..<e]), checkUTF8: high, column: column, line: line)
    }

    mutating func readQuotedCell(column: Int) -> String {
        let openLine = line
        i += 1  // the opening quote
        scratch.removeAll(keepingCapacity: true)
        var high = false
        var closed = false
        while i < bytes.count {
            let b = bytes[i]
            if b == quote {
                if i + 1 < bytes.count, bytes[i + 1] == quote {
                    scratch.append(quote)
                    i += 2
                    continue
                }
                i += 1
                closed = true
                break
            }
            if b == lf || (b == cr && !(i + 1 < bytes.count && bytes[i + 1] == lf)) { line += 1 }
            if b >= 0x80 { high = true }
            scratch.append(b)
            i += 1
        }
        if !closed {
            issues.append(InputIssue(file: file, line: openLine, column: column,
                                     expected: "a closing quote for the quoted cell that starts here"))
        } else {
            // Only blanks may follow the closing quote before the comma or line end.
            var j = i
            while j < bytes.count, isBlank(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] != comma, bytes[j] != lf, bytes[j] != cr {
                var k = j
                while k < bytes.count, bytes[k] != comma, bytes[k] != lf, bytes[k] != cr { k += 1 }
                let stray = String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<k]), as: UTF8.self)
                issues.append(InputIssue(file: file, line: line, column: column, value: stray,
                                         expected: "a comma or line end after the closing quote"))
                // Recover: keep the stray text as part of the cell.
                for x in j..<k where bytes[x] >= 0x80 { high = true }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<k]))
                j = k
            }
            i = j
        }
        return scratch.withUnsafeBufferPointer { buf in
            // Trimmed of blanks and of line breaks (a spreadsheet cell may end with one).
            var s = 0, e = buf.count
            while s < e, isTrimmed(buf[s]) { s += 1 }
            while e > s, isTrimmed(buf[e - 1]) { e -= 1 }
            let startLine = openLine + TextEncoding.lineBreaks(in: UnsafeBufferPointer(rebasing: buf[0..<s]))
            return text(UnsafeBufferPointer(rebasing: buf[s..<e]), checkUTF8: high, column: column, line: startLine)
        }
    }

    /// Decodes a cell starting on `line`; bytes that are not UTF-8 are replaced, and the first in
    /// the file remembered for its one issue.
    mutating func text(_ buf: UnsafeBufferPointer<UInt8>, checkUTF8: Bool, column: Int, line: Int) -> String {
        if checkUTF8, notUTF8 == nil, let offset = TextEncoding.firstInvalidUTF8(buf) {
            let before = UnsafeBufferPointer(rebasing: buf[0..<offset])
            notUTF8 = (line + TextEncoding.lineBreaks(in: before), column, buf[offset])
        }
        return String(decoding: buf, as: UTF8.self)
    }
}
