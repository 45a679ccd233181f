// "Did you mean": the one known word nearest a misspelt one, for input errors and warnings.
// A commissioner's spreadsheet has typing slips (`neded_by`, `tody`, `Kentt`); naming the word
// they meant saves a trip to the spec. Only a near and unambiguous word is named: a guess between
// two equally near words (E06000001 and E06000002) would mislead more than it helps.

package enum DidYouMean {
    /// The largest distance suggested for a word of `length` characters: one edit for a word of
    /// up to three characters (`F` for `Q` would be a guess), two beyond.
    static func limit(forLength length: Int) -> Int { length <= 3 ? 1 : 2 }

    /// The candidate nearest `word` (case-insensitive Damerau-Levenshtein distance, adjacent
    /// transpositions counting one), when it is within the limit and no other candidate is as near.
    package static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        guard !w.isEmpty else { return nil }
        let limit = limit(forLength: w.count)
        var best: String? = nil
        var bestDistance = limit + 1
        var tied = false
        // The same candidate twice (an LA whose name is its code) is one; two that differ only in
        // case (ids are case-sensitive) tie, whatever order they come in.
        var seen = Set<String>()
        for candidate in candidates {
            guard seen.insert(candidate).inserted else { continue }
            let lowered = candidate.lowercased()
            let c = Array(lowered.unicodeScalars)
            guard abs(c.count - w.count) <= limit else { continue }
            let d = distance(w, c, limit: bestDistance)
            if d < bestDistance {
                best = candidate; bestDistance = d; tied = false
            } else if d == bestDistance, d <= limit {
                tied = true
            }
        }
        // Distance 0 is the same word in another case: the callers report that themselves.
        guard let best, !tied, bestDistance > 0, bestDistance <= limit else { return nil }
        return best
    }

    /// The optimal-string-alignment distance between `a` and `b`, or `limit` + something when it
    /// is certainly above `limit` (rows whose minimum exceeds it stop the computation).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d = min(d, previous2[j - 2] + 1)
                }
                current[j] = d
                rowMin = min(rowMin, d)
            }
            if rowMin > limit { return rowMin }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    /// ` (did you mean "x"?)`, or nothing: to append to a message.
    static func hint(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean \(InputIssue.quoted($0))?)" } ?? ""
    }
}
