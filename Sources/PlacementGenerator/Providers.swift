// The providers behind the homes: each LA's in-house fostering service, independent fostering agencies
// (per region), children's home operators (a few large groups and many small ones) and supported
// accommodation providers. Fostering services and supported accommodation providers are rated by Ofsted
// as a whole, so their households share the provider's rating; children's homes are rated one by one.
// Drawn for all England from their own stream, whatever the cut, so a region cut keeps England's providers.

import PlacementEngine

struct Providers {
    private let laCodes: [String]
    private let laFosterRating: [OfstedRating]
    private let ifaIds: [[String]]
    private let ifaRatings: [[OfstedRating]]
    private let ifaTables: [CumulativeTable]
    private let privateHomes: CumulativeTable
    private let voluntaryHomes: Int
    private let supportedPrivate: CumulativeTable
    private let supportedPrivateRating: [OfstedRating]
    private let supportedVoluntaryRating: [OfstedRating]
    private let supportedLARating: [OfstedRating]

    init(england e: EnglandData, seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: "providers")
        func rating(_ table: [(OfstedRating, Double)]) -> OfstedRating { MarketBuild.draw(table, &rng) }
        laCodes = e.localAuthorities.map(\.code)
        laFosterRating = e.localAuthorities.map { _ in rating(Calibration.ratingsFostering) }
        // About 300 IFAs in England (model): 6 per region plus ~240 in proportion to population.
        var pointsInRegion = [Double](repeating: 0, count: e.regions.count)
        for la in e.pointLA { pointsInRegion[e.regionOfLA[Int(la)]] += 1 }
        var ids = [[String]](), ratings = [[OfstedRating]](), tables = [CumulativeTable]()
        var next = 1
        for r in e.regions.indices {
            let n = 6 + Int(240 * pointsInRegion[r] / Double(e.pointCount))
            ids.append((0..<n).map { paddedId("IFA", next + $0, width: 3) })
            next += n
            ratings.append((0..<n).map { _ in rating(Calibration.ratingsFostering) })
            // A few large agencies and many small ones: weights 1 / (rank + 3).
            tables.append(CumulativeTable(weights: (0..<n).map { 1 / Double($0 + 3) }))
        }
        ifaIds = ids; ifaRatings = ratings; ifaTables = tables
        privateHomes = CumulativeTable(weights: (0..<700).map { 1 / Double($0 + 10) })
        voluntaryHomes = 60
        supportedPrivate = CumulativeTable(weights: (0..<400).map { 1 / Double($0 + 5) })
        supportedPrivateRating = (0..<400).map { _ in rating(Calibration.ratingsSupported) }
        supportedVoluntaryRating = (0..<80).map { _ in rating(Calibration.ratingsSupported) }
        supportedLARating = e.localAuthorities.map { _ in rating(Calibration.ratingsSupported) }
    }

    func laFostering(_ la: Int) -> (String, OfstedRating) { ("LAF-" + laCodes[la], laFosterRating[la]) }

    func ifa(region r: Int, _ rng: inout SeededRandom) -> (String, OfstedRating) {
        let i = ifaTables[r].draw(&rng)!
        return (ifaIds[r][i], ifaRatings[r][i])
    }

    func homeProvider(kind: ProviderKind, la: Int, _ rng: inout SeededRandom) -> String {
        switch kind {
        case .la: "LACH-" + laCodes[la]
        case .voluntary: paddedId("VCH", rng.int(below: voluntaryHomes) + 1, width: 3)
        default: paddedId("CHP", privateHomes.draw(&rng)! + 1, width: 4)
        }
    }

    func supportedProvider(kind: ProviderKind, la: Int, _ rng: inout SeededRandom) -> (String, OfstedRating) {
        switch kind {
        case .la: return ("LASA-" + laCodes[la], supportedLARating[la])
        case .voluntary:
            let i = rng.int(below: supportedVoluntaryRating.count)
            return (paddedId("VSA", i + 1, width: 3), supportedVoluntaryRating[i])
        default:
            let i = supportedPrivate.draw(&rng)!
            return (paddedId("SAP", i + 1, width: 4), supportedPrivateRating[i])
        }
    }
}
