// `placement explain` end to end: the child's options ranked, the nearest misses with the change
// that would lift each, and with --out (the folder a match wrote) tonight's proposal marked, or for
// an unplaced child tonight's reason and the extra place that would make room.

import Foundation
import XCTest

final class ExplainCLITests: XCTestCase {
    private var out: URL!

    override func setUpWithError() throws {
        out = FileManager.default.temporaryDirectory.appendingPathComponent("explain-cli-\(UUID().uuidString)")
        let r = try PlacementBinary.run(["match", "fixtures/demo", "--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: out) }

    func testAPlacedChildHasTonightsProposalMarked() throws {
        let r = try PlacementBinary.run(["explain", "fixtures/demo", "--child", "A01", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("proposed A-K1, rank 1"), r.out)
        XCTAssertTrue(r.out.contains("1*         A-K1"), r.out)
    }

    func testAnOutcompetedChildGetsItsReasonNearMissesAndTheExtraPlace() throws {
        let r = try PlacementBinary.run(["explain", "fixtures/demo", "--child", "D05", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("not placed, outcompeted"), r.out)
        XCTAssertTrue(r.out.contains("One more place at D-F1"), r.out)
        XCTAssertTrue(r.out.contains("Nearest misses"), r.out)
        XCTAssertTrue(r.out.contains("D-F2 (foster, Knowsley, arc cost 68.65 if eligible): pets: it has no pets, and the child must live with one; eligible if it had a pet"), r.out)
    }

    func testJSONCarriesTonightAndTheNearMisses() throws {
        let r = try PlacementBinary.run(["explain", "fixtures/demo", "--child", "D01", "--out", out.path, "--json"])
        XCTAssertEqual(r.status, 0, r.err)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let tonight = try XCTUnwrap(object["tonight"] as? [String: Any])
        XCTAssertEqual(tonight["reason"] as? String, "no_eligible_placement")
        let misses = try XCTUnwrap(object["nearest_misses"] as? [[String: Any]])
        XCTAssertEqual(misses.count, 3)
        XCTAssertEqual(misses.first?["rule"] as? String, "needs")
    }

    func testAFolderWithoutOutputsIsAnInputError() throws {
        let r = try PlacementBinary.run(["explain", "fixtures/demo", "--child", "D01", "--out", "fixtures"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("no matches.csv in fixtures"), r.err)
    }
}
