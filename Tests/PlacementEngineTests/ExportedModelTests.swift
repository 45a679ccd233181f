// The exported model (`placement export-model`, `GLPKBackend.write`) is exact: the demo market's
// whole integer program, written as CPLEX LP and as free MPS, solved by other solvers, gives the
// engine's optimum (7545.531343) within 1e-6, objective constant included (it is the column
// `objective_constant`, fixed at 1). glpsol (scripts/setup.sh installs it) always; HiGHS when
// `python3 -c 'import highspy'` works and CBC when `cbc` is on PATH, both through the benchmark's
// peer runner benchmarks/peers/solve_mps.py.

import Foundation
import XCTest
@testable import PlacementEngine

final class ExportedModelTests: XCTestCase {
    static let demoOptimum = 7545.531343

    struct Exported {
        var engineObjective: Double
        var lp: URL
        var mps: URL
        var folder: URL
    }

    func exportDemo() throws -> Exported {
        let market = try MarketLoader.load(from: DemoFixture.folder)
        let run = try NightlyBatch.run(market, options: MatchOptions())
        XCTAssertEqual(run.solution.status, .optimal)
        XCTAssertEqual(run.solution.objective, Self.demoOptimum, accuracy: 1e-6 * Self.demoOptimum)
        let full = FullModel.build(arcs: ArcTable(index: try MarketIndex(market)))
        XCTAssertGreaterThan(full.model.objectiveConstant, 0, "the demo's model has an objective constant")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exported-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lp = folder.appendingPathComponent("demo.lp"), mps = folder.appendingPathComponent("demo.mps")
        XCTAssertNil(GLPKBackend().write(full.model, to: lp.path, lp: true))
        XCTAssertNil(GLPKBackend().write(full.model, to: mps.path, lp: false))
        return Exported(engineObjective: run.solution.objective, lp: lp, mps: mps, folder: folder)
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { String($0) + "/" + name }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// glpsol's objective from its printed solution ("Objective:  total_cost = 7545.531343 (MINimum)").
    func glpsolObjective(_ arguments: [String], folder: URL) throws -> Double? {
        guard let glpsol = Self.which("glpsol") else {
            XCTFail("glpsol is not installed: run scripts/setup.sh")
            return nil
        }
        let solution = folder.appendingPathComponent("glpsol-\(UUID().uuidString).txt")
        let r = try Self.run(glpsol, arguments + ["-o", solution.path])
        XCTAssertEqual(r.status, 0, r.out)
        XCTAssertTrue(r.out.contains("INTEGER OPTIMAL SOLUTION FOUND"), r.out)
        let text = try String(contentsOf: solution, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Objective:") }),
              let eq = line.firstIndex(of: "=") else {
            XCTFail("no objective in glpsol's solution: \(text.prefix(500))")
            return nil
        }
        return Double(line[line.index(after: eq)...].split(separator: " ").first ?? "")
    }

    func testGlpsolReadsTheEngineOptimumFromLPAndMPS() throws {
        let e = try exportDemo()
        defer { try? FileManager.default.removeItem(at: e.folder) }
        let lpText = try String(contentsOf: e.lp, encoding: .utf8)
        XCTAssertTrue(lpText.contains("objective_constant"), "the constant is a column of the LP file")
        for (format, file) in [("--lp", e.lp), ("--freemps", e.mps)] {
            let objective = try XCTUnwrap(try glpsolObjective([format, file.path], folder: e.folder), format)
            XCTAssertEqual(objective, e.engineObjective, accuracy: 1e-6 * e.engineObjective, "glpsol \(format)")
        }
    }

    /// benchmarks/peers/solve_mps.py with `solver` on the MPS file: its JSON line.
    func peer(_ solver: String, _ model: URL) throws -> [String: Any] {
        let script = DemoFixture.packageRoot.appendingPathComponent("benchmarks/peers/solve_mps.py")
        let python = try XCTUnwrap(Self.which("python3"))
        let r = try Self.run(python, [script.path, "--solver", solver, "--time-limit", "60", "--threads", "1", model.path])
        XCTAssertEqual(r.status, 0, r.out)
        let line = try XCTUnwrap(r.out.split(separator: "\n").last(where: { $0.hasPrefix("{") }), r.out)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], r.out)
    }

    func testHiGHSReadsTheEngineOptimumFromMPS() throws {
        guard let python = Self.which("python3"), (try? Self.run(python, ["-c", "import highspy"]))?.status == 0 else {
            throw XCTSkip("highspy is not installed (scripts/setup.sh installs it)")
        }
        let e = try exportDemo()
        defer { try? FileManager.default.removeItem(at: e.folder) }
        let answer = try peer("highs", e.mps)
        XCTAssertEqual(answer["status"] as? String, "optimal", "\(answer)")
        let objective = try XCTUnwrap(answer["objective"] as? Double, "\(answer)")
        XCTAssertEqual(objective, e.engineObjective, accuracy: 1e-6 * e.engineObjective, "HiGHS")
    }

    func testCBCReadsTheEngineOptimumFromMPS() throws {
        guard Self.which("cbc") != nil else { throw XCTSkip("cbc is not installed (scripts/setup.sh installs coinor-cbc)") }
        let e = try exportDemo()
        defer { try? FileManager.default.removeItem(at: e.folder) }
        let answer = try peer("cbc", e.mps)
        XCTAssertEqual(answer["status"] as? String, "optimal", "\(answer)")
        let objective = try XCTUnwrap(answer["objective"] as? Double, "\(answer)")
        XCTAssertEqual(objective, e.engineObjective, accuracy: 1e-6 * e.engineObjective, "CBC")
    }
}
