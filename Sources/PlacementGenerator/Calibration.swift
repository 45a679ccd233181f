// The published figures the synthetic market is calibrated to, each with its source, and the
// modelling choices where nothing is published (said so). "Data README" is
// /work/shared/data/README.md (copied facts: fixtures/england/README.md); "issue 5" is the brief.
// Everything here is a constant: the generator reads it, `MarketDescription` prints it beside what a
// market actually holds, and the Generator tests check the two agree within stated tolerances.

import PlacementEngine

public enum Calibration {
    // MARK: Scale

    /// Children looked after in England at 31 March 2024 (DfE; data README): the `national` preset.
    public static let childrenLookedAfter = 83_630
    /// New placements in England in 2022-23, about 89,000 (DfE, via a parliamentary answer; data README).
    public static let newPlacementsPerYear = 89_000
    /// One night of new placements: 89,000 / 365 = 244 (the `nightly` preset, "about 250").
    public static let nightlyChildren = 244
    /// Children waiting for a placement in the `pool` preset (issue 5).
    public static let poolChildren = 1_000

    // MARK: Fostering (Ofsted, fostering in England 2023-24; data README)

    public static let fosterHouseholds = 42_615
    public static let fosterApprovedPlaces = 70_465
    /// 16% of approved places vacant: ~11,274 vacant places on a night.
    public static let fosterVacancyRate = 0.16
    /// Approved places per household, 1-3 (mean 1.653 = 70,465 / 42,615).
    public static let fosterApprovedPlacesMix: [(places: Int, share: Double)] = [(1, 0.497), (2, 0.353), (3, 0.150)]
    /// Modelling choice: a household is wholly vacant (between placements, newly approved) with this
    /// probability; otherwise each place is vacant with the probability that makes 16% overall.
    public static let fosterWholeHouseholdVacant = 0.06
    /// Modelling choice: London weighs 0.6 of its population in where foster households are (fewer
    /// spare bedrooms), so foster vacancies lean away from where many children come from.
    public static let fosterLondonWeight = 0.6
    /// In-house against independent fostering, from the placement mix (27.9% in-house, 24.8% IFA).
    public static let fosterInHouseShare = 27.9 / (27.9 + 24.8)

    // MARK: Children's homes (Ofsted, 31 March 2023; data README)

    public static let childrensHomes = 2_880
    public static let childrensHomePlaces = 10_818
    /// Registered places per home, 1-8, mean 3.76 (= 10,818 / 2,880).
    public static let homePlacesMix: [(places: Int, share: Double)] = [
        (1, 0.10), (2, 0.16), (3, 0.18), (4, 0.26), (5, 0.14), (6, 0.09), (7, 0.04), (8, 0.03),
    ]
    /// Modelling choice (nothing in the data README): 15% of homes' places vacant on a night, i.e.
    /// occupancy ~85%, about what providers report; ~1,620 vacant places in England.
    public static let homeVacancyRate = 0.15
    /// Share of homes by region: 25% North West, 6% London, 7% South East (Ofsted; data README); the
    /// other 62% spread over the remaining regions in proportion to population (LSOA count).
    public static let homeRegionShares: [String: Double] = ["North West": 0.25, "London": 0.06, "South East": 0.07]
    /// Provider kinds of homes: mostly private (modelling choice, in line with Ofsted's ~80% private).
    public static let homeProviderKinds: [(kind: ProviderKind, share: Double)] = [(.private, 0.80), (.la, 0.16), (.voluntary, 0.04)]
    /// Homes for disabled children (modelling choice): about one in ten.
    public static let homeDisabilityShare = 0.10

    // MARK: Supported accommodation (16-17)

    /// 9.8% of children looked after live in supported accommodation (FOI, 1 Sept 2024; data README):
    /// 8,196 children. Modelling choice: 12% of places vacant, so 9,313 places.
    public static let supportedOccupants = 8_196
    public static let supportedVacancyRate = 0.12
    public static var supportedPlaces: Int { Int((Double(supportedOccupants) / (1 - supportedVacancyRate)).rounded()) }
    /// Places per setting (single flats to shared houses), mean 2.8 (modelling choice).
    public static let supportedPlacesMix: [(places: Int, share: Double)] = [(1, 0.35), (2, 0.20), (3, 0.15), (4, 0.15), (6, 0.10), (8, 0.05)]

    // MARK: Placement-type mix (FOI to 150 LAs, 1 Sept 2024; data README)

    /// In-house foster 27.9%, IFA 24.8%, kinship 15.6%, children's homes 11.4%, supported 9.8%
    /// (parents 6.0% and other 4.4% have no type in the format): renormalised over the four types,
    /// the target share of children whose care plan prefers each type.
    public static let typeMixPublished: [(type: PlacementType, percent: Double)] = [
        (.kinship, 15.6), (.foster, 27.9 + 24.8), (.residential, 11.4), (.supported, 9.8),
    ]
    public static func typeShare(_ t: PlacementType) -> Double {
        let total = typeMixPublished.reduce(0) { $0 + $1.percent }
        return typeMixPublished.first { $0.type == t }!.percent / total
    }

    // MARK: Children

    /// Age on entering care, 2024 (DfE; data README): under 1 15%, 1-4 15%, 5-9 15%, 10-15 26%, 16+ 29%.
    public static let ageBands: [(label: String, ages: ClosedRange<Int>, share: Double)] = [
        ("under 1", 0...0, 0.15), ("1-4", 1...4, 0.15), ("5-9", 5...9, 0.15), ("10-15", 10...15, 0.26), ("16-17", 16...17, 0.29),
    ]
    /// Modelling choice: boys are 53% of children other than unaccompanied asylum seekers, who are
    /// mostly boys (93%), about 56% overall as DfE reports for children looked after.
    public static let maleShare = 0.53
    public static let uascMaleShare = 0.93
    /// Modelling choice: 30% of 16-17 year olds awaiting a placement are unaccompanied asylum-seeking
    /// children (about 9% of all children here; DfE counts ~7,000 UASC among 83,630).
    public static let uascShareOf16Plus = 0.30
    /// Sex "X" (not recorded as F or M): rare, among 12+ (modelling choice).
    public static let sexXShareOf12Plus = 0.004

    /// Modelling choice: 30% of children in a batch have a sibling in the same batch (groups of 2-5).
    /// (Children's Commissioner 2023: 37% of children in care with siblings in care are separated.)
    public static let siblingShare = 0.30
    public static let siblingGroupSizes: [(size: Int, share: Double)] = [(2, 0.60), (3, 0.25), (4, 0.10), (5, 0.05)]

    /// Issue 5: ~40-45% of children in care score in the SDQ clinical band (17+); measured on ages 5-16.
    public static let behaviourHighTarget = 0.42
    /// DfE 2024: 23% of children in care 2+ years had 3+ placements in the previous two years.
    public static let priorPlacements3PlusTarget = 0.23

    /// Modelling choice: urgency of referrals (emergencies are common).
    public static let urgencyMix: [(urgency: Urgency, share: Double)] = [(.today, 0.30), (.within_5_days, 0.45), (.after_5_days, 0.25)]

    // MARK: Fees, GBP per child per week (CMA 2021; NAO 2024; data README)

    /// LA foster about £650 (mean of this table: 650).
    static let feeLAFoster = QuantileTable([(0, 420), (0.05, 480), (0.25, 570), (0.5, 640), (0.75, 720), (0.95, 860), (1, 1_080)])
    /// IFA foster about £820 (mean 820).
    static let feeIFAFoster = QuantileTable([(0, 600), (0.05, 680), (0.25, 745), (0.5, 805), (0.75, 880), (0.95, 1_010), (1, 1_330)])
    /// Children's homes about £3,800-£6,100 (the middle half), with a long tail: 1,510 placements
    /// cost £10,000+ in 2022-23, a few % of residential placements (about 4% of places here).
    static let feeHome = QuantileTable([(0, 2_900), (0.05, 3_400), (0.25, 3_900), (0.5, 4_750), (0.75, 6_100),
                                        (0.90, 7_900), (0.965, 10_000), (0.99, 14_000), (1, 22_000)])
    /// Supported accommodation: lower than homes (modelling choice, median £1,200).
    static let feeSupported = QuantileTable([(0, 450), (0.1, 700), (0.5, 1_200), (0.9, 2_200), (1, 3_600)])
    /// Kinship: the fostering allowance a connected person is paid (modelling choice, median £260).
    static let feeKinship = QuantileTable([(0, 160), (0.5, 260), (1, 430)])
    public static let feeTargets: [(label: String, type: PlacementType, kind: ProviderKind?, target: String)] = [
        ("foster, LA", .foster, .la, "~650 (CMA/NAO)"),
        ("foster, IFA", .foster, .ifa, "~820 (CMA/NAO)"),
        ("residential", .residential, nil, "3,800-6,100 (CMA/NAO)"),
        ("supported", .supported, nil, "lower (model: ~1,300)"),
        ("kinship", .kinship, nil, "low (model: ~270)"),
    ]
    /// Share of residential places at £10,000+ a week: "a few %" (1,510 placements in 2022-23).
    public static let residential10kShareRange = 0.02...0.08

    // MARK: Ofsted ratings (modelling choice: mostly good/outstanding, some RI, 2-3% inadequate)

    public static let ratingsFostering: [(OfstedRating, Double)] = [(.outstanding, 0.15), (.good, 0.655), (.requires_improvement, 0.17), (.inadequate, 0.025)]
    public static let ratingsHomes: [(OfstedRating, Double)] = [(.outstanding, 0.20), (.good, 0.60), (.requires_improvement, 0.16), (.inadequate, 0.025), (.not_rated, 0.015)]
    public static let ratingsSupported: [(OfstedRating, Double)] = [(.not_rated, 0.70), (.outstanding, 0.04), (.good, 0.18), (.requires_improvement, 0.06), (.inadequate, 0.02)]

    // MARK: Distance (data README)

    /// 21% of new placements 2022-23 were more than 20 miles (32.19 km) from home (DfE).
    public static let newPlacementsOver20Miles = 0.21
    /// Children in homes live 36 miles from home on average; 49% more than 20 miles (NAO 2024).
    public static let homesOver20Miles = 0.49
    /// Kinship carers: 80% within 20 km of the child's home (modelling choice, issue 5).
    public static let kinshipNearShare = 0.80
    public static let kinshipNearKm = 20.0
}
