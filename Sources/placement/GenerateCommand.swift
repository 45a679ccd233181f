import ArgumentParser
import Foundation
import PlacementEngine
import PlacementGenerator

/// `placement generate`: writes a synthetic England placement market calibrated to published statistics,
/// or (`--describe DIR`) prints how an existing market compares with those statistics.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic England placement market calibrated to published statistics.",
        discussion: """
            Presets: nightly (244 children, one night of England's new placements, a normal night's \
            vacancies), pool (1,000 children waiting, every vacancy in England), national (83,630 children, \
            every place in England). --children N gives any scale, vacancies scaled to match. The same seed \
            gives the same bytes on any machine. --describe DIR prints a market's figures beside the \
            published targets instead of generating. Geography is read from fixtures/england (--england DIR). \
            --stress --children N writes an adversarial market instead: a Regional Care Cooperative pooling \
            its vacancies (a few neighbouring LAs, 0.6-1.5 places per child, rule-dense children, varied \
            policy), the same bytes for the same (N, seed).
            """)

    @Option(help: "Folder to write the market into (required unless --describe).")
    var out: String?

    @Option(help: "Random seed: the same seed gives the same market, byte for byte (default: 1).")
    var seed: UInt64?

    @Option(help: "nightly, pool or national (default nightly when --children is not given).")
    var preset: String?

    @Option(help: "Number of children (in the region, with --region); vacancies are scaled to match.")
    var children: Int?

    @Option(name: [.customLong("region"), .customLong("rcc")],
            help: "Cut out one RCC: an ONS region name as in england_las.csv, e.g. \"North East\".")
    var region: String?

    @Option(name: .customLong("vacancies-scale"),
            help: "Fraction of England's homes to draw (1 = every vacancy in England); default: from the children.")
    var vacanciesScale: Double?

    @Option(help: "Folder with england_las_children.csv and england_lsoa_points.csv (default: fixtures/england).")
    var england: String?

    @Flag(help: "Write an adversarial stress market (a regional pool, scarce to loose supply, every rule dense); needs --children.")
    var stress = false

    @Option(help: "Print the description of an existing market folder beside the published targets, instead of generating.")
    var describe: String?

    func validate() throws {
        if let describe {
            guard out == nil, seed == nil, preset == nil, children == nil, region == nil, vacanciesScale == nil, england == nil,
                  !stress else {
                throw ValidationError("--describe \(describe) reads a market; it takes none of --out, --seed, --preset, --children, --region, --vacancies-scale, --england, --stress")
            }
            return
        }
        guard out != nil else { throw ValidationError("--out DIR is required (or --describe DIR)") }
        if stress {
            guard preset == nil, region == nil, vacanciesScale == nil, england == nil else {
                throw ValidationError("--stress draws its own region and supply; it takes none of --preset, --region, --vacancies-scale, --england")
            }
            guard let children else { throw ValidationError("--stress needs --children N") }
            guard (1...StressGenerator.maxChildren).contains(children) else {
                throw ValidationError("--children must be between 1 and \(StressGenerator.maxChildren) with --stress, got \(children)")
            }
            return
        }
        if let preset, MarketGenerator.Preset(rawValue: preset.lowercased()) == nil {
            throw ValidationError("--preset must be one of \(MarketGenerator.Preset.allCases.map(\.rawValue).joined(separator: ", ")), got '\(preset)'")
        }
        if let children, !(1...MarketGenerator.maxChildren).contains(children) {
            throw ValidationError("--children must be between 1 and \(MarketGenerator.maxChildren), got \(children)")
        }
        if let vacanciesScale, !(vacanciesScale > 0 && vacanciesScale <= 100) {
            throw ValidationError("--vacancies-scale must be > 0 and <= 100, got \(vacanciesScale)")
        }
        if let region {
            let known = Array(Set(EnglandLocalAuthorities.all.map(\.rcc))).sorted()
            let wanted = region.trimmingCharacters(in: .whitespaces).lowercased()
            guard known.contains(where: { $0.lowercased() == wanted }) else {
                throw ValidationError("--region '\(region)' is not an RCC: expected one of \(known.joined(separator: ", "))")
            }
        }
    }

    func run() throws { try CLI.run(execute) }

    func execute() throws(CLIFailure) {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> String {
            String(format: "%.2f s", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        if let describe {
            let market: Market
            do { market = try MarketLoader.load(from: URL(fileURLWithPath: describe)) } catch { throw .input(error) }
            print(MarketDescription(market).table(), terminator: "")
            Terminal.standardError("described \(describe): \(market.children.count) children, \(market.placements.count) placements in \(elapsed())")
            return
        }
        guard let out else { throw .usage("--out DIR is required") }
        if stress, let children {
            try writeStress(children: children, seed: seed ?? 1, out: out, elapsed: elapsed)
            return
        }
        let data: EnglandData
        do { data = try EnglandData.load(explicit: england) } catch { throw .usage(error.description) }
        let seed = self.seed ?? 1
        let config = MarketGenerator.Configuration(
            seed: seed, preset: preset.flatMap { MarketGenerator.Preset(rawValue: $0.lowercased()) },
            children: children, vacanciesScale: vacanciesScale, region: region)
        let generator: MarketGenerator
        do { generator = try MarketGenerator(config, england: data) } catch { throw .usage(error.description) }
        let market = generator.generate()
        do { try MarketWriter.write(market, to: URL(fileURLWithPath: out)) } catch {
            throw .output("cannot write the market to \(out): \(error)")
        }
        let groups = Set(market.children.compactMap(\.siblingGroup)).count
        let places = market.placements.reduce(0) { $0 + $1.capacity }
        let name = config.preset?.rawValue ?? (children == nil ? "nightly" : "custom")
        let scope = generator.scale.region ?? "England"
        Terminal.standardError("generated \(name) market (seed \(seed), \(scope)): \(market.children.count) children "
            + "(\(groups) sibling groups), \(market.placements.count) placements (\(places) places), "
            + "\(market.exclusions.count) exclusions -> \(out) in \(elapsed())")
    }

    /// `--stress`: a `StressGenerator` market, and what shape the seed drew.
    private func writeStress(children: Int, seed: UInt64, out: String, elapsed: () -> String) throws(CLIFailure) {
        let generator = StressGenerator(.init(children: children, seed: seed))
        let market = generator.generate()
        do { try MarketWriter.write(market, to: URL(fileURLWithPath: out)) } catch {
            throw .output("cannot write the market to \(out): \(error)")
        }
        let shape = generator.shape
        let groups = Set(market.children.compactMap(\.siblingGroup)).count
        let places = market.placements.reduce(0) { $0 + $1.capacity }
        let childLAs = Set(market.children.map(\.laCode))
        let rccs = Set(market.localAuthorities.filter { childLAs.contains($0.code) }.map(\.rcc))
        Terminal.standardError("generated stress market (seed \(seed)): \(market.children.count) children "
            + "(\(groups) sibling groups) in \(childLAs.count) LAs of \(rccs.count) RCC(s); \(market.placements.count) placements "
            + "(\(places) places, \(shape.supplyRatio) per child), \(market.exclusions.count) exclusions, "
            + "\(market.policy == Policy() ? "default" : "own") policy -> \(out) in \(elapsed())")
    }
}
