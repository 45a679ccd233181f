// The hash of a run's inputs, for summary.json: SHA-256 over the market's files, name and bytes.

import Crypto
import Foundation

public enum InputHash {
    /// `sha256:<hex>` of every input file of the market folder that exists (and of the policy
    /// file given with `--policy`), each preceded by its name and length.
    public static func of(folder: URL, policyOverride: URL? = nil) -> String {
        var hasher = SHA256()
        let names = [MarketLoader.childrenFile, MarketLoader.placementsFile, MarketLoader.localAuthoritiesFile,
                     MarketLoader.exclusionsFile, MarketLoader.policyFile]
        var files = names.map { (name: $0, url: folder.appendingPathComponent($0)) }
        if let policyOverride { files.append((name: "policy-override", url: policyOverride)) }
        for f in files {
            guard let data = try? Data(contentsOf: f.url) else { continue }
            hasher.update(data: Data("\(f.name)\u{0}\(data.count)\u{0}".utf8))
            hasher.update(data: data)
        }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// For a market built in memory: SHA-256 of its canonical files as `MarketWriter` writes them.
    public static func of(market: Market) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("placement-hash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard (try? MarketWriter.write(market, to: folder)) != nil else { return "unavailable" }
        return of(folder: folder)
    }
}
