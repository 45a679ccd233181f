// Distance, breakdown risk and arc cost (spec sections 3 and 5), for one child in one placement.

import Foundation

public enum Geo {
    /// Earth radius of the spec, km.
    public static let earthRadiusKm = 6371.0088

    /// Great-circle (haversine) distance in km.
    public static func haversineKm(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let rad = Double.pi / 180
        return haversineKm(lat1: a.lat * rad, lon1: a.lon * rad, cosLat1: cos(a.lat * rad),
                           lat2: b.lat * rad, lon2: b.lon * rad, cosLat2: cos(b.lat * rad))
    }

    /// Haversine on pre-converted radians (the hot path precomputes cosines once per point).
    @inline(__always)
    public static func haversineKm(lat1: Double, lon1: Double, cosLat1: Double,
                                   lat2: Double, lon2: Double, cosLat2: Double) -> Double {
        let sdLat = sin((lat2 - lat1) * 0.5)
        let sdLon = sin((lon2 - lon1) * 0.5)
        let h = sdLat * sdLat + cosLat1 * cosLat2 * sdLon * sdLon
        return 2 * earthRadiusKm * asin(min(1, h.squareRoot()))
    }
}

/// What one child in one placement adds to the objective, term by term.
public struct CostBreakdown: Hashable, Sendable {
    public var distanceKm: Double
    public var risk: Double
    public var distanceCost: Double
    public var riskCost: Double
    public var feeCost: Double
    public var crossRccPenalty: Double
    public var notPreferredPenalty: Double
    /// `split_penalty` for a sibling placed apart from its group, else 0.
    public var splitPenalty: Double
    /// With a run database: `reproposal_threshold` when the child holds an outstanding proposal at
    /// another placement (`HistoryCosts`), else 0. Added last, and only when present, so that a
    /// market without history gives the v1 total bit for bit.
    public var historyAdjustment: Double = 0
    public var total: Double {
        let spec = distanceCost + riskCost + feeCost + crossRccPenalty + notPreferredPenalty + splitPenalty
        return historyAdjustment == 0 ? spec : spec + historyAdjustment
    }
}

public enum ArcCosting {
    /// Predicted probability of breakdown within a year (spec section 5).
    public static func risk(child: Child, placement: Placement, separated: Bool, model m: RiskModel) -> Double {
        var z = m.intercept
        if child.age >= 11 { z += m.age11Plus }
        if child.behaviour == .high { z += m.behaviourHigh }
        if child.priorPlacements >= 3 { z += m.priorPlacements3Plus }
        if placement.type != .kinship { z += m.nonKinship }
        if placement.type == .residential { z += m.residential }
        if separated { z += m.separatedFromSiblings }
        if child.suitability[placement.type] == .suitable { z += m.typeNotPreferred }
        if placement.ofsted == .requires_improvement { z += m.providerRequiresImprovement }
        return 1 / (1 + exp(-z))
    }

    /// The arc cost of spec section 3, broken down. `separated` is true for a member of a sibling
    /// group placed apart from it; `split_penalty` is then included.
    public static func breakdown(child: Child, childRcc: String, placement: Placement, placementRcc: String,
                                 distanceKm: Double, separated: Bool, policy: Policy) -> CostBreakdown {
        let w = policy.weights
        let r = risk(child: child, placement: placement, separated: separated, model: policy.riskModel)
        let cross = childRcc != placementRcc && placement.type != .kinship
        let notPreferred = child.suitability[placement.type] == .suitable
        return CostBreakdown(
            distanceKm: distanceKm, risk: r,
            distanceCost: w.wKm * distanceKm,
            riskCost: w.wRisk * 100 * r,
            feeCost: w.wCost * placement.weeklyCost / 100,
            crossRccPenalty: cross ? policy.crossRccPenalty : 0,
            notPreferredPenalty: notPreferred ? policy.notPreferredPenalty : 0,
            splitPenalty: separated ? policy.splitPenalty : 0)
    }
}

extension MarketIndex {
    public func distanceKm(child c: Int, placement p: Int) -> Double {
        Geo.haversineKm(market.children[c].location, market.placements[p].location)
    }

    /// The arc cost of child `c` in placement `p`, as the child's own option (`separated` for a
    /// group member placed apart, which includes `split_penalty`) or as part of its group placed together.
    public func costBreakdown(child c: Int, placement p: Int, separated: Bool) -> CostBreakdown {
        var cost = ArcCosting.breakdown(child: market.children[c], childRcc: rcc(ofChild: c),
                                        placement: market.placements[p], placementRcc: rcc(ofPlacement: p),
                                        distanceKm: distanceKm(child: c, placement: p), separated: separated, policy: policy)
        if let extra = historyCosts.arcCost(child: c, placement: p) { cost.historyAdjustment = extra }
        return cost
    }
}
