// A placement market (spec section 1): tonight's referrals and vacancies, already validated.
// Markets come from `MarketLoader` (files, with every input error located) or are built in code
// (the generator, what-if); either way `MarketIndex` resolves ids to indices for the pipeline.

/// A point on the Earth, in degrees.
public struct GeoPoint: Hashable, Sendable {
    public var lat: Double
    public var lon: Double
    public init(lat: Double, lon: Double) { self.lat = lat; self.lon = lon }
}

public struct LocalAuthority: Hashable, Sendable {
    public var code: String
    public var name: String
    /// The Regional Care Cooperative (by default, the ONS region).
    public var rcc: String
    public var centroid: GeoPoint
    public init(code: String, name: String, rcc: String, centroid: GeoPoint) {
        self.code = code; self.name = name; self.rcc = rcc; self.centroid = centroid
    }
}

/// The care plan's view of each placement type, with the spec's defaults already applied (rule T).
public struct TypeSuitability: Hashable, Sendable {
    public var kinship: Suitability
    public var foster: Suitability
    public var residential: Suitability
    public var supported: Suitability

    public init(kinship: Suitability, foster: Suitability, residential: Suitability, supported: Suitability) {
        self.kinship = kinship; self.foster = foster; self.residential = residential; self.supported = supported
    }

    /// Rule T's defaults for a child of `age`, where the cell is empty.
    public static func defaults(age: Int) -> TypeSuitability {
        TypeSuitability(kinship: .preferred, foster: .preferred,
                        residential: age >= 12 ? .suitable : .unsuitable,
                        supported: age >= 16 ? .suitable : .unsuitable)
    }

    public subscript(type: PlacementType) -> Suitability {
        get {
            switch type {
            case .kinship: kinship
            case .foster: foster
            case .residential: residential
            case .supported: supported
            }
        }
        set {
            switch type {
            case .kinship: kinship = newValue
            case .foster: foster = newValue
            case .residential: residential = newValue
            case .supported: supported = newValue
            }
        }
    }
}

/// A child awaiting a placement tonight (a row of children.csv).
public struct Child: Hashable, Sendable {
    public var id: String
    public var laCode: String
    /// Where distance is measured from: the given point, else the LA centroid.
    public var location: GeoPoint
    /// Whether `location` came from the file (false: the LA centroid).
    public var locationGiven: Bool
    public var age: Int
    public var sex: Sex
    public var neededBy: Urgency
    public var siblingGroup: String?
    public var suitability: TypeSuitability
    public var alongside: Alongside
    public var pets: PetsPreference
    public var needs: NeedSet
    public var risks: RiskSet
    public var behaviour: Behaviour
    public var priorPlacements: Int
    /// The care plan's own limit; `nil` means the policy's `max_distance_km`.
    public var maxDistanceKm: Double?
    /// Ids of children this child must not share a placement with (as listed on this row).
    public var notWith: [String]

    public init(id: String, laCode: String, location: GeoPoint, locationGiven: Bool = true, age: Int, sex: Sex,
                neededBy: Urgency = .within_5_days, siblingGroup: String? = nil,
                suitability: TypeSuitability? = nil, alongside: Alongside = .no_preference,
                pets: PetsPreference = .can, needs: NeedSet = NeedSet(), risks: RiskSet = RiskSet(),
                behaviour: Behaviour = .typical, priorPlacements: Int = 0, maxDistanceKm: Double? = nil,
                notWith: [String] = []) {
        self.id = id; self.laCode = laCode; self.location = location; self.locationGiven = locationGiven
        self.age = age; self.sex = sex; self.neededBy = neededBy; self.siblingGroup = siblingGroup
        self.suitability = suitability ?? .defaults(age: age)
        self.alongside = alongside; self.pets = pets; self.needs = needs; self.risks = risks
        self.behaviour = behaviour; self.priorPlacements = priorPlacements
        self.maxDistanceKm = maxDistanceKm; self.notWith = notWith
    }
}

/// A home with at least one free place tonight (a row of placements.csv).
public struct Placement: Hashable, Sendable {
    public var id: String
    public var type: PlacementType
    public var providerId: String
    public var providerKind: ProviderKind
    public var laCode: String
    public var location: GeoPoint
    public var locationGiven: Bool
    public var capacity: Int
    public var occupied: Int
    /// Ages of the children already living there; `nil` when not given.
    public var residentAges: [Int]?
    public var ageMin: Int
    public var ageMax: Int
    public var sexes: SexesAccepted
    public var needsMet: NeedSet
    public var risksManaged: RiskSet
    public var hasPets: Bool
    public var weeklyCost: Double
    public var ofsted: OfstedRating
    /// Kinship only: the child ids or sibling-group ids the connected person is approved for.
    public var forChildren: [String]

    public init(id: String, type: PlacementType, providerId: String? = nil, providerKind: ProviderKind = .la,
                laCode: String, location: GeoPoint, locationGiven: Bool = true, capacity: Int, occupied: Int = 0,
                residentAges: [Int]? = nil, ageMin: Int = 0, ageMax: Int = 17, sexes: SexesAccepted = .any,
                needsMet: NeedSet = NeedSet(), risksManaged: RiskSet = RiskSet(), hasPets: Bool = false,
                weeklyCost: Double, ofsted: OfstedRating = .not_rated, forChildren: [String] = []) {
        self.id = id; self.type = type; self.providerId = providerId ?? id; self.providerKind = providerKind
        self.laCode = laCode; self.location = location; self.locationGiven = locationGiven
        self.capacity = capacity; self.occupied = occupied; self.residentAges = residentAges
        self.ageMin = ageMin; self.ageMax = ageMax; self.sexes = sexes; self.needsMet = needsMet
        self.risksManaged = risksManaged; self.hasPets = hasPets; self.weeklyCost = weeklyCost
        self.ofsted = ofsted; self.forChildren = forChildren
    }
}

/// A pairing that must not be proposed (a row of exclusions.csv).
public struct Exclusion: Hashable, Sendable {
    public var childId: String
    public var placementId: String
    public var reason: String
    public init(childId: String, placementId: String, reason: String = "") {
        self.childId = childId; self.placementId = placementId; self.reason = reason
    }
}

/// Everything the engine is handed for one night.
public struct Market: Sendable {
    public var localAuthorities: [LocalAuthority]
    public var children: [Child]
    public var placements: [Placement]
    public var exclusions: [Exclusion]
    public var policy: Policy
    /// Non-fatal remarks from loading (unknown columns, a file delimited by semicolons), each
    /// located like an input error, so that `--strict` can report them as errors.
    public var inputWarnings: [InputIssue]
    /// The warnings, one line each (`children.csv:1:7 (G): unknown column …`).
    public var warnings: [String] { inputWarnings.map(\.description) }
    /// What earlier nights of a run database leave for tonight (`NightHistory.apply(to:)` sets it);
    /// `nil` without a database: the v1 answer.
    public var history: NightHistory? = nil

    public init(localAuthorities: [LocalAuthority], children: [Child], placements: [Placement],
                exclusions: [Exclusion] = [], policy: Policy = Policy(), inputWarnings: [InputIssue] = []) {
        self.localAuthorities = localAuthorities; self.children = children; self.placements = placements
        self.exclusions = exclusions; self.policy = policy; self.inputWarnings = inputWarnings
    }
}

extension Market {
    /// The LA names by code, for people reading the outputs (the first row of a repeated code).
    public var laNamesByCode: [String: String] {
        Dictionary(localAuthorities.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
