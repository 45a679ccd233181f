// Fuzzing the whole night (issue 10): seeded mutations of rule-dense stress markets' files go
// through the loader and, when they load, through the solve and the independent check. Never a
// crash; a rejected file is located within it; a market that loads is answered, and the check
// (NightlyBatch's verifier) accepts the answer; one and two threads give the same plan.

import Foundation
import XCTest
@testable import PlacementEngine
@testable import PlacementGenerator

final class MarketFuzzTests: XCTestCase {
    func testMutatedMarketsLoadOrFailLocatedAndEveryLoadedOneIsAnsweredAndVerified() throws {
        let bases = try (1...4).map { seed in
            try MarketWriter.encode(StressCorpus.Entry(children: 20, seed: UInt64(seed)).generate()).compactMap { name, bytes in bytes.map { (name, $0) } }
        }
        let alphabet: [UInt8] = Array(",;\"\r\n \t0123456789.-+eE_aZ{}[]:truefalsn".utf8) + [0x00, 0x80, 0xC3, 0xEF, 0xBB, 0xBF, 0xFF]
        var random = LoaderTestRandom(seed: 20261130)
        var loaded = 0, rejected = 0, compared = 0
        let cases = 2_000
        for k in 0..<cases {
            let originals = bases[random.below(bases.count)]
            var files = Dictionary(uniqueKeysWithValues: originals)
            let (name, original) = originals[random.below(originals.count)]
            var bytes = original
            mutate(&bytes, most: 3, kinds: 5, alphabet: alphabet, random: &random) { kind, bytes, random in
                guard kind == 3 else { return cutShort(&bytes, &random) }
                // A whole line written twice (a duplicated id, a repeated key).
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                let i = random.below(lines.count)
                lines.insert(lines[i], at: i)
                bytes = Array(lines.joined(separator: [0x0A]))
            }
            files[name] = bytes
            let folder = try LoaderFixture.folder(bytes: files)
            defer { try? FileManager.default.removeItem(at: folder) }
            let market: Market
            do { market = try MarketLoader.load(from: folder) } catch {
                rejected += 1
                let lineCount = bytes.filter { $0 == 0x0A || $0 == 0x0D }.count + 1   // (a lone CR ends a line too)
                for issue in error.issues {
                    XCTAssertTrue(files.keys.contains(issue.file), "case \(k): \(issue)")
                    if let line = issue.line, issue.file == name { XCTAssertLessThanOrEqual(line, lineCount, "case \(k): \(issue)") }
                    if let column = issue.column { XCTAssertGreaterThanOrEqual(column, 1, "case \(k): \(issue)") }
                    XCTAssertFalse(issue.expected.isEmpty, "case \(k): \(issue)")
                }
                continue
            }
            loaded += 1
            var options = MatchOptions()
            options.threads = 1
            let one: BatchRun
            do { one = try NightlyBatch.run(market, options: options) } catch {
                XCTFail("case \(k) (\(name)): a market that loads was not answered: \(error)"); continue
            }
            XCTAssertEqual(one.solution.status, .optimal, "case \(k)")
            XCTAssertTrue(one.verification.isValid, "case \(k)")
            if k % 10 == 0 {
                options.threads = 2
                let two = try NightlyBatch.run(market, options: options)
                XCTAssertEqual(one.solution.plan, two.solution.plan, "case \(k): 1 and 2 threads")
                compared += 1
            }
        }
        XCTAssertEqual(loaded + rejected, cases)
        XCTAssertGreaterThan(rejected, cases / 4, "most mutations break a rule of the format")
        XCTAssertGreaterThan(loaded, cases / 20, "some mutations still load and are solved")
        XCTAssertGreaterThan(compared, 0)
    }
}
