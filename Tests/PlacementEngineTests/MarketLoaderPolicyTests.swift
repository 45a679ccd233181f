// MarketLoader: policy.json (spec section 4 and 7): merging with defaults, and its errors.

import Foundation
import XCTest
@testable import PlacementEngine

final class MarketLoaderPolicyTests: XCTestCase {
    func policyIssues(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> [InputIssue] {
        loadIssues(LoaderFixture.files(["policy.json": json]), file: file, line: line)
    }

    func testNestedObjectsMergeKeyByKeyWithDefaults() throws {
        let m = try loadMarket(LoaderFixture.files(["policy.json": """
            {
              "max_distance_km": 80.5,
              "weights": { "w_cost": 2 },
              "urgency_penalty": { "today": 1500 },
              "allow_cross_rcc": false,
              "risk_model": { "intercept": -3.1, "residential": 0 }
            }
            """]))
        var expected = Policy()
        expected.maxDistanceKm = 80.5
        expected.weights.wCost = 2
        expected.urgencyPenalty.today = 1500
        expected.allowCrossRcc = false
        expected.riskModel.intercept = -3.1
        expected.riskModel.residential = 0
        XCTAssertEqual(m.policy, expected)
        XCTAssertEqual(m.policy.weights.wKm, 1.0)
        XCTAssertEqual(m.policy.urgencyPenalty.within5Days, 500)
    }

    func testEmptyObjectIsTheDefaultPolicy() throws {
        XCTAssertEqual(try loadMarket(LoaderFixture.files(["policy.json": "{}"])).policy, Policy())
    }

    func testByteOrderMarkIsAccepted() throws {
        var expected = Policy()
        expected.unmatchedPenalty = 2500
        let m = try loadMarket(LoaderFixture.files(["policy.json": "\u{FEFF}{\"unmatched_penalty\": 2500}\r\n"]))
        XCTAssertEqual(m.policy, expected)
    }

    func testUnknownKeys() {
        let issues = policyIssues("""
            {
              "max_distance": 100,
              "weights": { "w_km": 1, "w_time": 2 },
              "weights.w_km": 3
            }
            """)
        XCTAssertEqual(issues.count, 3, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "policy.json", line: 2, column: 3, name: "max_distance", expected: "a policy key")
        assertIssue(issues, "policy.json", line: 3, column: 27, name: "weights.w_time", expected: "w_km, w_risk, w_cost")
        assertIssue(issues, "policy.json", line: 4, column: 3, name: "weights.w_km")
    }

    func testWrongTypes() {
        let issues = policyIssues("""
            {
              "max_distance_km": "150",
              "exclude_inadequate": 1,
              "allow_cross_rcc": "yes",
              "split_penalty": true,
              "unmatched_penalty": null,
              "weights": 4,
              "urgency_penalty": { "today": [1000] }
            }
            """)
        XCTAssertEqual(issues.count, 7, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "policy.json", line: 2, column: 3, name: "max_distance_km", value: "150", expected: "a number")
        assertIssue(issues, "policy.json", line: 3, column: 3, name: "exclude_inadequate", value: "1", expected: "true or false")
        assertIssue(issues, "policy.json", line: 4, column: 3, name: "allow_cross_rcc", value: "yes", expected: "true or false")
        assertIssue(issues, "policy.json", line: 5, column: 3, name: "split_penalty", value: "true", expected: "a number")
        assertIssue(issues, "policy.json", line: 6, column: 3, name: "unmatched_penalty", value: "null", expected: "a number")
        assertIssue(issues, "policy.json", line: 7, column: 3, name: "weights", value: "4", expected: "an object")
        assertIssue(issues, "policy.json", line: 8, column: 24, name: "urgency_penalty.today", expected: "a number")
    }

    func testNegativeValuesExceptTheIntercept() {
        let issues = policyIssues("""
            {"cross_rcc_penalty": -1, "risk_model": {"intercept": -5, "age_11_plus": -0.1},
             "urgency_penalty": {"after_5_days": -0.5}, "max_distance_km": 0}
            """)
        XCTAssertEqual(issues.count, 4, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "policy.json", line: 1, column: 2, name: "cross_rcc_penalty", value: "-1", expected: ">= 0")
        assertIssue(issues, "policy.json", line: 1, column: 59, name: "risk_model.age_11_plus", value: "-0.1")
        assertIssue(issues, "policy.json", line: 2, column: 22, name: "urgency_penalty.after_5_days", value: "-0.5")
        assertIssue(issues, "policy.json", line: 2, column: 45, name: "max_distance_km", value: "0", expected: "> 0")
    }

    /// A number so large that costs overflow (1e308 made a NaN objective, then a search that never
    /// ended) is an input error, located; 1e9 itself is accepted.
    func testNumbersTooLargeForExactCosts() {
        let issues = policyIssues("""
            {"unmatched_penalty": 1e308, "weights": {"w_km": -1e10},
             "risk_model": {"intercept": -2e9}, "split_penalty": 1e9}
            """)
        XCTAssertEqual(issues.count, 3, issues.map(\.description).joined(separator: "\n"))
        assertIssue(issues, "policy.json", line: 1, column: 2, name: "unmatched_penalty", value: "1e+308", expected: "magnitude at most 1000000000")
        assertIssue(issues, "policy.json", line: 1, column: 42, name: "weights.w_km", value: "-10000000000")
        assertIssue(issues, "policy.json", line: 2, column: 17, name: "risk_model.intercept", value: "-2000000000", expected: "magnitude at most")
    }

    func testInvalidJSONAndNonObject() {
        let issues = policyIssues("{\n  \"split_penalty\": 10,\n  oops\n}")
        assertOnlyIssue(issues, "policy.json", line: 3, column: 3, expected: "not valid JSON")
        assertOnlyIssue(policyIssues("[1, 2]"), "policy.json", line: 1, column: 1, expected: "a JSON object")
        XCTAssertEqual(policyIssues("").count, 1)
    }

    func testPolicyOverrideReplacesTheFolderPolicy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let override = dir.appendingPathComponent("tight.json")
        try Data(#"{"split_penalty": 10}"#.utf8).write(to: override)
        let m = try loadMarket(LoaderFixture.files(["policy.json": #"{"split_penalty": 99, "bad": 1}"#]),
                               policyOverride: override)
        var expected = Policy()
        expected.splitPenalty = 10
        XCTAssertEqual(m.policy, expected)

        let missing = dir.appendingPathComponent("nope.json")
        let issues = loadIssues(bytes: LoaderFixture.files().mapValues { Array($0.utf8) }, policyOverride: missing)
        assertOnlyIssue(issues, "nope.json", line: nil, column: nil, expected: "a policy file")
    }
}
