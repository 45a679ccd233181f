// A solver-independent 0-1 integer program: minimise c·x + constant subject to rows A x <= b,
// x binary, A >= 0. It is all the matching model needs, and all a backend has to understand.

public struct MIPColumn: Hashable, Sendable {
    public var name: String
    public var cost: Double
}

public struct MIPRow: Hashable, Sendable {
    public var name: String
    /// Right-hand side: the row reads `sum(coef * x) <= upper`.
    public var upper: Double
    /// (column index, coefficient), column indices increasing, coefficients > 0.
    public var entries: [(column: Int, coef: Double)]

    public static func == (a: MIPRow, b: MIPRow) -> Bool {
        a.name == b.name && a.upper == b.upper && a.entries.elementsEqual(b.entries, by: { $0 == $1 })
    }
    public func hash(into h: inout Hasher) {
        h.combine(name); h.combine(upper)
        for e in entries { h.combine(e.column); h.combine(e.coef) }
    }
}

public struct MIPModel: Hashable, Sendable {
    public var name: String
    public var columns: [MIPColumn] = []
    public var rows: [MIPRow] = []
    public var objectiveConstant: Double = 0

    public init(name: String) { self.name = name }

    public var nonZeros: Int { rows.reduce(0) { $0 + $1.entries.count } }

    /// c·x + constant.
    public func objective(_ x: [Bool]) -> Double {
        var z = objectiveConstant
        for (j, on) in x.enumerated() where on { z += columns[j].cost }
        return z
    }

    /// The first row the 0-1 vector breaks (with a tolerance for the coefficients' rounding), or nil.
    public func violatedRow(_ x: [Bool]) -> Int? {
        precondition(x.count == columns.count)
        for (i, row) in rows.enumerated() {
            var lhs = 0.0
            for e in row.entries where x[e.column] { lhs += e.coef }
            if lhs > row.upper + 1e-9 { return i }
        }
        return nil
    }

    /// Checks the model's own invariants (what a backend may assume): finite numbers, rows with
    /// increasing in-range column indices and positive coefficients, names GLPK accepts.
    public func checkInvariants() -> String? {
        for (j, c) in columns.enumerated() {
            guard c.cost.isFinite else { return "column \(j) (\(c.name)) has a non-finite cost" }
            guard (1...255).contains(c.name.utf8.count) else { return "column \(j) has a name GLPK cannot take" }
        }
        guard objectiveConstant.isFinite else { return "the objective constant is not finite" }
        for (i, r) in rows.enumerated() {
            guard r.upper.isFinite, (1...255).contains(r.name.utf8.count) else { return "row \(i) (\(r.name)) is malformed" }
            var last = -1
            for e in r.entries {
                guard e.column > last, e.column < columns.count else { return "row \(i) (\(r.name)) has bad column indices" }
                guard e.coef.isFinite, e.coef > 0 else { return "row \(i) (\(r.name)) has a bad coefficient" }
                last = e.column
            }
        }
        return nil
    }

    /// Each column's rows and coefficients (the transpose of `rows`).
    func rowsOfColumns() -> [[(row: Int, coef: Double)]] {
        var rowsOf = [[(row: Int, coef: Double)]](repeating: [], count: columns.count)
        for (i, r) in rows.enumerated() { for e in r.entries { rowsOf[e.column].append((i, e.coef)) } }
        return rowsOf
    }

    /// The program left when the columns in `fixed` are fixed at 1 (relax-and-fix): those columns
    /// leave, every row's bound drops by their coefficients, columns that no longer fit a row leave
    /// too (fixed at 0), and rows left without columns go. `columns` maps the restricted program's
    /// columns back to this one's; `expand` turns its 0-1 vectors into this program's. Nil when the
    /// fixed columns alone break a row.
    public func fixing(_ fixed: [Bool]) -> (model: MIPModel, columns: [Int], expand: ([Bool]) -> [Bool])? {
        precondition(fixed.count == columns.count)
        guard violatedRow(fixed) == nil else { return nil }
        var upper = rows.map(\.upper)
        var constant = objectiveConstant
        for (j, on) in fixed.enumerated() where on { constant += columns[j].cost }
        for (i, r) in rows.enumerated() { for e in r.entries where fixed[e.column] { upper[i] -= e.coef } }
        var keep = fixed.map { !$0 }
        for (i, r) in rows.enumerated() { for e in r.entries where keep[e.column] && e.coef > upper[i] + 1e-9 { keep[e.column] = false } }
        let kept = columns.indices.filter { keep[$0] }
        var newIndex = [Int](repeating: -1, count: columns.count)
        for (k, j) in kept.enumerated() { newIndex[j] = k }
        var restricted = MIPModel(name: name)
        restricted.objectiveConstant = constant
        restricted.columns = kept.map { columns[$0] }
        for (i, r) in rows.enumerated() {
            let entries = r.entries.compactMap { e in newIndex[e.column] >= 0 ? (column: newIndex[e.column], coef: e.coef) : nil }
            // A row its columns cannot fill is no constraint.
            guard !entries.isEmpty, entries.reduce(0.0, { $0 + $1.coef }) > upper[i] + 1e-9 else { continue }
            restricted.rows.append(MIPRow(name: r.name, upper: max(0, upper[i]), entries: entries))
        }
        let n = columns.count
        return (restricted, kept, { values in
            var x = fixed
            for (k, j) in kept.enumerated() where values[k] { x[j] = true }
            precondition(x.count == n)
            return x
        })
    }
}
