// summary.json from typed values (BatchSummary): every key of spec section 7 plus the engine's,
// with a bound that is not finite written as null, never the key dropped or an empty object.

import Foundation
import XCTest
@testable import PlacementEngine

final class BatchSummaryTests: XCTestCase {
    func testTheDemosSummaryHasEverySpecKeyAndReadsBack() throws {
        var options = MatchOptions()
        options.threads = 1
        let run = try NightlyBatch.run(try MarketLoader.load(from: DemoFixture.folder), options: options)
        let data = try BatchSummary(run, inputHash: "abc", extraTimings: [("write", 0.001)]).json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["status", "stop_reason", "objective", "best_bound", "gap", "counts", "per_rcc", "timings_s",
                                          "policy", "input_hash", "engine_version", "solver", "warnings"])
        XCTAssertEqual(object["status"] as? String, "optimal")
        XCTAssertEqual(object["stop_reason"] as? String, "optimal")
        XCTAssertEqual(try XCTUnwrap(object["objective"] as? Double), run.solution.objective, accuracy: 1e-6)
        let counts = try XCTUnwrap(object["counts"] as? [String: Int])
        XCTAssertEqual(counts["children"], run.market.children.count)
        XCTAssertEqual(counts["placed"], run.report.matches.count)
        let policy = try XCTUnwrap(object["policy"] as? [String: Any])
        XCTAssertEqual(policy.count, Set(Policy.keyPaths.map { String($0.key.split(separator: ".")[0]) }).count)
        let weights = try XCTUnwrap(policy["weights"] as? [String: Any], "nested policy groups stay groups")
        XCTAssertNotNil(weights["w_km"])
        XCTAssertEqual(policy["allow_cross_rcc"] as? Bool, run.market.policy.allowCrossRcc)
        let solver = try XCTUnwrap(object["solver"] as? [String: Any])
        XCTAssertEqual(solver["backend"] as? String, GLPKBackend().name)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).hasSuffix("}\n"))
    }

    func testABoundThatIsNotFiniteIsWrittenAsNull() throws {
        struct Holder: Encodable { var bound: BatchSummary.Nullable; var gap: BatchSummary.Nullable }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(Holder(bound: .init(-.infinity), gap: .init(0.1234567891))), as: UTF8.self)
        XCTAssertEqual(text, "{\"bound\":null,\"gap\":0.123457}")
    }
}
