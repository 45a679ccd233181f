// policy.json read by the located JSON reader (issue 10, item 5): strict JSON, a key once per
// object, every error located (line and column, columns in characters), and the same Policy values
// as the Foundation reader it replaced.

import Foundation
import XCTest
@testable import PlacementEngine

final class PolicyReaderTests: XCTestCase {
    /// The issues of reading `json` as policy.json (empty when it reads).
    func readIssues(_ bytes: [UInt8]) -> (Policy, [InputIssue]) {
        var reader = PolicyReader(file: "policy.json", bytes: bytes)
        let policy = reader.read()
        return (policy, reader.issues)
    }

    func policyIssues(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> [InputIssue] {
        loadIssues(LoaderFixture.files(["policy.json": json]), file: file, line: line)
    }

    /// Every key with a value other than its default.
    static let fullySpecified = """
        {
          "max_distance_km": 80.5,
          "weights": { "w_km": 1.5, "w_risk": 3, "w_cost": 0.25 },
          "cross_rcc_penalty": 31,
          "not_preferred_penalty": 21.5,
          "split_penalty": 151,
          "unmatched_penalty": 2001,
          "urgency_penalty": { "today": 1001, "within_5_days": 501, "after_5_days": 1e1 },
          "exclude_inadequate": false,
          "allow_cross_rcc": false,
          "risk_model": {
            "intercept": -2.5,
            "age_11_plus": 0.5,
            "behaviour_high": 0.7,
            "prior_placements_3_plus": 0.41,
            "non_kinship": 0.6,
            "residential": 0.0,
            "separated_from_siblings": 3E-1,
            "type_not_preferred": 0.31,
            "provider_requires_improvement": 1000000000
          },
          "reproposal_threshold": 75,
          "waiting_penalty_per_night": 12.5
        }

        """

    static var fullySpecifiedPolicy: Policy {
        var p = Policy()
        p.maxDistanceKm = 80.5
        p.weights.wKm = 1.5
        p.weights.wRisk = 3
        p.weights.wCost = 0.25
        p.crossRccPenalty = 31
        p.notPreferredPenalty = 21.5
        p.splitPenalty = 151
        p.unmatchedPenalty = 2001
        p.urgencyPenalty.today = 1001
        p.urgencyPenalty.within5Days = 501
        p.urgencyPenalty.after5Days = 10
        p.excludeInadequate = false
        p.allowCrossRcc = false
        p.riskModel.intercept = -2.5
        p.riskModel.age11Plus = 0.5
        p.riskModel.behaviourHigh = 0.7
        p.riskModel.priorPlacements3Plus = 0.41
        p.riskModel.nonKinship = 0.6
        p.riskModel.residential = 0
        p.riskModel.separatedFromSiblings = 0.3
        p.riskModel.typeNotPreferred = 0.31
        p.riskModel.providerRequiresImprovement = 1e9
        p.reproposalThreshold = 75
        p.waitingPenaltyPerNight = 12.5
        return p
    }

    /// The spec's policy.json (section 4): every key, at its default.
    static let specDefaults = """
        {
          "max_distance_km": 150,
          "weights": { "w_km": 1.0, "w_risk": 4.0, "w_cost": 1.0 },
          "cross_rcc_penalty": 30,
          "not_preferred_penalty": 20,
          "split_penalty": 150,
          "unmatched_penalty": 2000,
          "urgency_penalty": { "today": 1000, "within_5_days": 500, "after_5_days": 0 },
          "exclude_inadequate": true,
          "allow_cross_rcc": true,
          "risk_model": {
            "intercept": -2.44,
            "age_11_plus": 0.47,
            "behaviour_high": 0.68,
            "prior_placements_3_plus": 0.40,
            "non_kinship": 0.59,
            "residential": 0.40,
            "separated_from_siblings": 0.29,
            "type_not_preferred": 0.30,
            "provider_requires_improvement": 0.55
          }
        }
        """

    // MARK: Valid policies: the same values as before

    func testValidPoliciesGiveTheSamePolicyValues() throws {
        XCTAssertEqual(try loadMarket(LoaderFixture.files()).policy, Policy(), "no policy.json")
        XCTAssertEqual(try loadMarket(LoaderFixture.files(["policy.json": "{}"])).policy, Policy())
        XCTAssertEqual(try loadMarket(LoaderFixture.files(["policy.json": " \n\t{ }\r\n"])).policy, Policy())
        XCTAssertEqual(try loadMarket(LoaderFixture.files(["policy.json": Self.specDefaults])).policy, Policy())
        let full = try loadMarket(LoaderFixture.files(["policy.json": Self.fullySpecified])).policy
        XCTAssertEqual(full, Self.fullySpecifiedPolicy)
        // Key by key, so that a difference names the key.
        for (key, path) in Policy.keyPaths {
            XCTAssertEqual(full[keyPath: path], Self.fullySpecifiedPolicy[keyPath: path], key)
            XCTAssertNotEqual(full[keyPath: path], Policy()[keyPath: path], "\(key) is not exercised")
        }
        // With a byte order mark and CRLF line ends: the same values.
        let crlf = Self.fullySpecified.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(try loadMarket(LoaderFixture.files(["policy.json": "\u{FEFF}" + crlf])).policy,
                       Self.fullySpecifiedPolicy)
    }

    /// Numbers are read correctly rounded: every policy MarketWriter writes (numbers in their shortest
    /// form, 0.30000000000000004 for 0.1 + 0.2) reads back to the same bits. (Foundation's reader on
    /// Linux was an ulp off for some numbers of 16 or more significant digits; up to 15 both agree.)
    func testPolicyNumbersRoundTripBitForBitThroughTheWriter() throws {
        var random = LoaderTestRandom(seed: 17)
        for round in 0..<300 {
            var p = Policy()
            for (key, path) in Policy.keyPaths {
                guard case .number = p[keyPath: path] else { continue }
                // 53 random bits scaled to [0, 1e9): 16-17 significant digits.
                var v = Double(random.next() >> 11) / 9_007_199_254_740_992 * pow(10, Double(random.below(10)))
                if round == 0 { v = 0.1 + 0.2 }
                if key == "max_distance_km", v == 0 { v = 1 }
                if key == "risk_model.intercept", random.below(2) == 0 { v = -v }
                XCTAssertNil(p.set(key, to: .number(v)), key)
            }
            let bytes = try MarketWriter.policy(p)
            let (read, issues) = readIssues(bytes)
            XCTAssertEqual(issues, [], String(decoding: bytes, as: UTF8.self))
            for (key, path) in Policy.keyPaths {
                if case .number(let a) = read[keyPath: path], case .number(let b) = p[keyPath: path] {
                    XCTAssertEqual(a.bitPattern, b.bitPattern, "\(key): \(a) read for \(b)")
                }
            }
        }
    }

    /// `-0` is 0 (not -0.0, which summary.json would write as -0).
    func testMinusZeroIsZero() throws {
        let p = try loadMarket(LoaderFixture.files(["policy.json":
            #"{"split_penalty": -0, "weights": {"w_km": -0.0}, "risk_model": {"intercept": -0e5}}"#])).policy
        XCTAssertEqual(p.splitPenalty.bitPattern, 0)
        XCTAssertEqual(p.weights.wKm.bitPattern, 0)
        XCTAssertEqual(p.riskModel.intercept.bitPattern, 0)
    }

    func testNumbersAndBooleansMustBeTheirJSONKinds() {
        let issues = policyIssues("""
            {
              "exclude_inadequate": 0,
              "allow_cross_rcc": "false",
              "split_penalty": "10",
              "max_distance_km": [150],
              "weights": { "w_km": true, "w_cost": {"x": 1} },
              "urgency_penalty": null
            }
            """)
        XCTAssertEqual(issues.count, 7, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "policy.json", line: 2, column: 3, name: "exclude_inadequate", value: "0", expected: "true or false for exclude_inadequate")
        assertIssue(issues, "policy.json", line: 3, column: 3, name: "allow_cross_rcc", value: "false", expected: "true or false for allow_cross_rcc")
        assertIssue(issues, "policy.json", line: 4, column: 3, name: "split_penalty", value: "10", expected: "a number for split_penalty")
        assertIssue(issues, "policy.json", line: 5, column: 3, name: "max_distance_km", value: "[…]", expected: "a number for max_distance_km")
        assertIssue(issues, "policy.json", line: 6, column: 16, name: "weights.w_km", value: "true", expected: "a number for weights.w_km")
        assertIssue(issues, "policy.json", line: 6, column: 30, name: "weights.w_cost", value: "{…}", expected: "a number for weights.w_cost")
        assertIssue(issues, "policy.json", line: 7, column: 3, name: "urgency_penalty", value: "null", expected: "an object of urgency_penalty keys")
    }

    /// A number too large for a double is infinite: rejected like 1e308 (magnitude at most 1e9), shown as written.
    func testNonFiniteAndHugeNumbersAreInputErrors() {
        let issues = policyIssues("""
            {"split_penalty": 1e400, "weights": {"w_km": -1E999}, "unmatched_penalty": 1000000001,
             "risk_model": {"intercept": -1e9}}
            """)
        XCTAssertEqual(issues.count, 3, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "policy.json", line: 1, column: 2, name: "split_penalty", value: "1e400", expected: "a finite number for split_penalty")
        assertIssue(issues, "policy.json", line: 1, column: 38, name: "weights.w_km", value: "-1E999", expected: "a finite number")
        assertIssue(issues, "policy.json", line: 1, column: 55, name: "unmatched_penalty", value: "1000000001", expected: "magnitude at most 1000000000")
    }

    // MARK: Strict JSON, located

    func testTrailingCommaInAnObject() {
        assertOnlyIssue(policyIssues("{\n  \"split_penalty\": 10,\n}\n"), "policy.json", line: 2, column: 22,
                        expected: "no comma before '}'")
        assertOnlyIssue(policyIssues("{\"weights\": {\"w_km\": 2,  }, \"split_penalty\": 10}"), "policy.json",
                        line: 1, column: 23, expected: "no comma before '}'")
    }

    func testTrailingCommaInAList() {
        // Before the policy keys are looked at: the file is not JSON.
        assertOnlyIssue(policyIssues("{\"split_penalty\": 10,\n \"weights\": [1, 2,\n ]}"), "policy.json",
                        line: 2, column: 18, expected: "no comma before ']'")
        assertOnlyIssue(policyIssues("[1,]"), "policy.json", line: 1, column: 3, expected: "no comma before ']'")
    }

    func testDuplicateKeyIsLocatedAtItsSecondOccurrence() {
        let issues = policyIssues("""
            {
              "weights": { "w_km": 2, "w_risk": 4,
                           "w_km": 9 },
              "split_penalty": 10
            }
            """)
        assertOnlyIssue(issues, "policy.json", line: 3, column: 16,
                        expected: "duplicate key \"w_km\" (first at line 2, column 16)")
        XCTAssertEqual(issues.first?.description,
                       "policy.json:3:16: expected each key once in an object: duplicate key \"w_km\" (first at line 2, column 16)")
        // At the top level, and a whole group written twice (the last one used to win silently).
        assertOnlyIssue(policyIssues("{\"unmatched_penalty\": 2000, \"unmatched_penalty\": 9000}"), "policy.json",
                        line: 1, column: 29, expected: "duplicate key \"unmatched_penalty\" (first at line 1, column 2)")
        assertOnlyIssue(policyIssues("{\"weights\": {\"w_km\": 1},\n \"weights\": {\"w_cost\": 5}}"), "policy.json",
                        line: 2, column: 2, expected: "duplicate key \"weights\" (first at line 1, column 2)")
        // The same key in two objects is no duplicate.
        XCTAssertNoThrow(try LocatedJSONParser.parse(Array(#"{"a": {"x": 1}, "b": {"x": 2}, "x": [{"x": 3}, {"x": 4}]}"#.utf8)))
    }

    /// A syntax error is reported alone, located, saying the file is not JSON.
    func testSyntaxErrorsInPolicyAreLocated() {
        assertOnlyIssue(policyIssues("{\n  \"split_penalty\": 10 // the old value was 150\n}"), "policy.json", line: 2, column: 23,
                        expected: "(JSON has no comments) (this is not valid JSON)")
        assertOnlyIssue(policyIssues("{\"split_penalty\": NaN}"), "policy.json", line: 1, column: 19, expected: "NaN and Infinity")
        assertOnlyIssue(policyIssues("{\"split_penalty\": 010}"), "policy.json", line: 1, column: 19, expected: "without leading zeros")
        assertOnlyIssue(policyIssues("{\"split_penalty\": 10} {}"), "policy.json", line: 1, column: 23, expected: "the end of the file")
        assertOnlyIssue(policyIssues(""), "policy.json", line: 1, column: 1, expected: "a value (the file ends here)")
        assertOnlyIssue(policyIssues("{\"spl\u{E9}t\": 10, \"x\": tru}"), "policy.json", line: 1, column: 20, expected: "did you mean true?")
    }

    /// The parser on its own: each departure from RFC 8259 is an error at a line and column
    /// (columns count characters, so `é` is one).
    func testParserIsStrictJSON() {
        let cases: [(String, Int, Int, String)] = [
            ("{\"a\": 1,}", 1, 8, "no comma before '}'"),
            ("[1, 2, ]", 1, 6, "no comma before ']'"),
            ("[\n  1,\n  2,\n]", 3, 4, "no comma before ']'"),
            ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\" (first at line 1, column 2)"),
            ("{\"é\": 1,\n \"é\": 2}", 2, 2, "duplicate key \"é\" (first at line 1, column 2)"),
            ("// comment\n{}", 1, 1, "JSON has no comments"),
            ("{} /* after */", 1, 4, "JSON has no comments"),
            ("[1 /* x */]", 1, 4, "JSON has no comments"),
            ("[NaN]", 1, 2, "NaN and Infinity"),
            ("[Infinity]", 1, 2, "NaN and Infinity"),
            ("[-Infinity]", 1, 3, "a digit after '-'"),
            ("[01]", 1, 2, "without leading zeros"),
            ("[-00.5]", 1, 2, "without leading zeros"),
            ("[+1]", 1, 2, "a number starts with a digit or '-'"),
            ("[.5]", 1, 2, "a number starts with a digit or '-'"),
            ("[1.]", 1, 4, "a digit after the decimal point"),
            ("[1e]", 1, 4, "a digit in the exponent"),
            ("[\"a\tb\"]", 1, 4, "control characters must be escaped"),
            ("[\"é\u{01}\"]", 1, 4, "control characters must be escaped"),
            ("[\"a\nb\"]", 1, 4, "control characters must be escaped"),
            ("{} {}", 1, 4, "the end of the file after the top-level value"),
            ("1 2", 1, 3, "the end of the file after the top-level value"),
            ("[\"\\x41\"]", 1, 4, "an escape"),
            ("[\"\\u12G4\"]", 1, 7, "4 hex digits after \\u"),
            ("[\"\\uD83D\"]", 1, 3, "\\uDC00-\\uDFFF after \\uD83D"),
            ("[\"\\uD83D\\u0041\"]", 1, 3, "not \\u0041"),
            ("[\"\\uDE00\"]", 1, 3, "second half of a surrogate pair"),
            ("['a']", 1, 2, "strings need double quotes"),
            ("{a: 1}", 1, 2, "a key in double quotes"),
            ("[\"é\", \"\u{FF}\"]", 1, 8, "UTF-8"),
            ("[\"\u{C3}\"]", 1, 3, "UTF-8"),
            ("\u{FF}\u{FE}[\u{00}]\u{00}", 1, 1, "UTF-16"),
            ("", 1, 1, "a value (the file ends here)"),
            ("  \n ", 2, 2, "a value (the file ends here)"),
            ("{\"a\": [1, {\"b\": ", 1, 17, "a value (the file ends here)"),
            (String(repeating: "[", count: 65) + String(repeating: "]", count: 65), 1, 65, "at most 64 nested"),
        ]
        for (text, line, column, expected) in cases {
            // Bytes as written: \u{FF}, \u{FE}, \u{C3} and \u{00} above stand for single bytes.
            let bytes = Self.rawBytes(text)
            do {
                let value = try LocatedJSONParser.parse(bytes)
                XCTFail("\(text.debugDescription) parsed: \(value.shortText)")
            } catch {
                XCTAssertEqual(error.position, TextPosition(line: line, column: column), "\(text.debugDescription): \(error.expected)")
                XCTAssertTrue(error.expected.contains(expected), "\(text.debugDescription): \(error.expected)\n does not contain\n\(expected)")
            }
        }
    }

    /// `text` as UTF-8, except U+0080-U+00FF written as the single byte of that value (to write invalid UTF-8),
    /// and `é` kept as the two-byte UTF-8 character.
    static func rawBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for s in text.unicodeScalars {
            if s == "é" { out += Array("é".utf8) } else if s.value >= 0x80, s.value < 0x100 { out.append(UInt8(s.value)) } else { out += Array(String(s).utf8) }
        }
        return out
    }

    func testParserReadsValidJSON() throws {
        let text = "\u{FEFF} {\"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\u0000\", \"n\": [0, -0, 1.5e-3, 2E+2, -12, 1e400],\n"
            + " \"t\": true, \"f\": false, \"z\": null, \"e\": {}, \"l\": [], \"é\": \"é\"} \r\n"
        let root = try LocatedJSONParser.parse(Array(text.utf8))
        guard case .object(let members, let at) = root else { return XCTFail("not an object") }
        XCTAssertEqual(at, TextPosition(line: 1, column: 2), "the byte order mark is not a column")
        XCTAssertEqual(members.map(\.key), ["s", "n", "t", "f", "z", "e", "l", "é"])
        guard case .string(let s, _) = members[0].value else { return XCTFail("s") }
        XCTAssertEqual(s, "a\"b\\c/d\u{08}\u{0C}\n\r\té😀\u{00}")
        guard case .array(let numbers, _) = members[1].value else { return XCTFail("n") }
        let values: [Double] = numbers.compactMap { if case .number(let v, _, _) = $0 { v } else { nil } }
        XCTAssertEqual(values, [0, 0, 0.0015, 200, -12, .infinity])
        XCTAssertEqual(members[2].keyAt, TextPosition(line: 2, column: 2))
        XCTAssertEqual(members[7].keyAt, TextPosition(line: 2, column: 54))
        XCTAssertEqual(members[7].value.position, TextPosition(line: 2, column: 59))
    }

    // MARK: Fuzz: mutated policy files load or fail located, never crash

    func testMutatedPoliciesLoadOrFailLocated() {
        let original = Array(Self.fullySpecified.utf8)
        let alphabet: [UInt8] = Array("{}[],:\"\\/ \t\r\n0123456789.-+eEtrufalsn_*u".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0xFF]
        var random = LoaderTestRandom(seed: 20_260_510)
        var loaded = 0, rejected = 0, duplicates = 0, trailingCommas = 0
        let cases = 4000
        for _ in 0..<cases {
            var bytes = original
            mutate(&bytes, most: 3, kinds: 6, alphabet: alphabet, random: &random) { kind, bytes, random in
                if kind == 3 {
                    // Duplicate a member: a line holding `"key": value` written again after itself.
                    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                    let members = lines.indices.filter { lines[$0].contains(UInt8(ascii: ":")) }
                    guard !members.isEmpty else { return }
                    let k = members[random.below(members.count)]
                    var copy = lines[k]
                    if copy.last != UInt8(ascii: ",") { copy.append(UInt8(ascii: ",")) }
                    var out = lines
                    out.insert(copy, at: k)
                    bytes = Array(out.joined(separator: [0x0A]))
                } else {
                    // A trailing comma before a closing '}' or ']'.
                    let closers = bytes.indices.filter { bytes[$0] == UInt8(ascii: "}") || bytes[$0] == UInt8(ascii: "]") }
                    guard !closers.isEmpty else { return }
                    bytes.insert(UInt8(ascii: ","), at: closers[random.below(closers.count)])
                }
            }
            let (policy, issues) = readIssues(bytes)
            if issues.isEmpty {
                loaded += 1
                // Only mutations that keep the JSON valid and the keys known load (a changed digit, a
                // blank): at most one value changed by each, and every value one the policy accepts.
                let changed = Policy.keyPaths.filter { policy[keyPath: $0.path] != Self.fullySpecifiedPolicy[keyPath: $0.path] }
                XCTAssertLessThanOrEqual(changed.count, 3, String(decoding: bytes, as: UTF8.self))
                for (key, path) in Policy.keyPaths {
                    var fresh = Policy()
                    XCTAssertNil(fresh.set(key, to: policy[keyPath: path]), key)
                }
                continue
            }
            rejected += 1
            if issues.contains(where: { $0.expected.contains("duplicate key") }) { duplicates += 1 }
            if issues.contains(where: { $0.expected.contains("no comma before") }) { trailingCommas += 1 }
            let text = Self.lines(bytes)
            for issue in issues {
                let where_ = "\(issue.description)\nin\n\(String(decoding: bytes, as: UTF8.self))"
                XCTAssertEqual(issue.file, "policy.json")
                XCTAssertFalse(issue.expected.isEmpty, where_)
                guard let line = issue.line, let column = issue.column else {
                    XCTFail("no line and column: " + where_)
                    continue
                }
                XCTAssertGreaterThanOrEqual(line, 1, where_)
                XCTAssertLessThanOrEqual(line, text.count, where_)
                XCTAssertGreaterThanOrEqual(column, 1, where_)
                if line >= 1, line <= text.count {
                    XCTAssertLessThanOrEqual(column, text[line - 1] + 1, where_)
                }
            }
        }
        XCTAssertEqual(loaded + rejected, cases)
        XCTAssertGreaterThan(loaded, 50)
        XCTAssertGreaterThan(rejected, cases / 2)
        XCTAssertGreaterThan(duplicates, 200)
        XCTAssertGreaterThan(trailingCommas, 200)
    }

    /// The length in characters (UTF-8 lead bytes, as the parser counts) of each line, after a byte order mark.
    static func lines(_ bytes: [UInt8]) -> [Int] {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        return body.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.filter { $0 & 0xC0 != 0x80 }.count
        }
    }

    // MARK: The scenario reader shares the parser

    func testScenarioDuplicateKeysAreSyntaxErrorsToo() {
        let issues = WhatIfFixture.parseIssues("{\"changes\": [{\"set\": {\"weights\": {\"w_km\": 2, \"w_km\": 3}}}]}")
        XCTAssertEqual(issues.count, 1)
        XCTAssertEqual(issues.first?.line, 1)
        XCTAssertEqual(issues.first?.column, 46)
        XCTAssertTrue(issues.first?.expected.contains("duplicate key \"w_km\" (first at line 1, column 35)") == true,
                      issues.first?.description ?? "no issue")
    }
}
