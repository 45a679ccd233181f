// The market's words as a commissioner says them: "a children's home", "fire-setting", "British Sign
// Language". Used wherever the engine explains itself in sentences (the report, `explain`); the
// machine outputs keep the spec's words.

import Foundation

public enum PlainWords {
    public static func type(_ t: PlacementType) -> String {
        switch t {
        case .kinship: "kinship carer"
        case .foster: "foster home"
        case .residential: "children's home"
        case .supported: "supported accommodation"
        }
    }

    public static func typePlural(_ t: PlacementType) -> String {
        switch t {
        case .kinship: "kinship carers"
        case .foster: "foster homes"
        case .residential: "children's homes"
        case .supported: "supported accommodation"
        }
    }

    public static func need(_ n: Need) -> String {
        switch n {
        case .adaptation: "an adapted home"
        case .bsl: "British Sign Language"
        case .makaton: "Makaton"
        case .esol: "English language support (ESOL)"
        case .therapeutic: "therapeutic care"
        case .disability: "disability care"
        case .dols: "care under a deprivation of liberty order"
        case .cultural: "a cultural or faith match"
        }
    }

    public static func risk(_ r: RiskFlag) -> String {
        switch r {
        case .self_harm: "self-harm"
        case .sexual_exploitation: "sexual exploitation"
        case .criminal_exploitation: "criminal exploitation"
        case .substance_use: "substance use"
        case .eating_disorder: "an eating disorder"
        case .going_missing: "going missing"
        case .physical_harm: "harm to others"
        case .sexual_harm: "harmful sexual behaviour"
        case .fire_setting: "fire-setting"
        case .harm_to_animals: "harm to animals"
        }
    }

    public static func sexNoun(_ s: Sex) -> String {
        switch s {
        case .F: "girl"
        case .M: "boy"
        case .X: "child"
        }
    }

    public static func sexesAccepted(_ s: SexesAccepted) -> String {
        switch s {
        case .any: "any sex"
        case .F: "girls only"
        case .M: "boys only"
        }
    }

    /// "a, b and c".
    public static func list(_ items: [String], conjunction: String = "and") -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
        }
    }

    /// "1 home", "3 homes".
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(n)) \(n == 1 ? singular : (plural ?? singular + "s"))"
    }

    /// "12,345": thousands separated by commas whatever the machine's locale.
    public static func grouped(_ n: Int) -> String { Fixed.grouped(n) }

    /// "a 15-year-old girl with fire-setting risk who needs British Sign Language, in a sibling group of 3".
    public static func child(_ c: Int, index: MarketIndex) -> String {
        let ch = index.market.children[c]
        let article = ch.age == 8 || ch.age == 11 || ch.age == 18 ? "an" : "a"
        var text = "\(article) \(ch.age)-year-old \(sexNoun(ch.sex))"
        let risks = ch.risks.map(risk)
        if !risks.isEmpty { text += " with a risk of \(list(risks))" }
        let needs = ch.needs.map(need)
        if !needs.isEmpty { text += " who needs \(list(needs))" }
        let g = index.groupOf[c]
        if g >= 0 { text += ", in a sibling group of \(index.groups[Int(g)].count)" }
        return text
    }

    /// Kilometres for a sentence: "4.2 km", "162 km".
    public static func km(_ d: Double) -> String {
        d < 10 ? String(format: "%.1f km", d) : String(format: "%.0f km", d.rounded())
    }

    /// Miles beside kilometres, for readers who think in miles: "33 km (20 miles)".
    public static func kmAndMiles(_ d: Double) -> String {
        let miles = d / 1.609344
        return km(d) + (miles < 10 ? String(format: " (%.1f miles)", miles) : String(format: " (%.0f miles)", miles.rounded()))
    }

    /// Objective points for a sentence: "62.6 points", "2,000 points".
    public static func points(_ v: Double) -> String {
        (abs(v) >= 100 ? grouped(Int(v.rounded())) : Fixed.format(v, decimals: 1)) + " points"
    }

    /// "£1,234" (whole pounds, grouped).
    public static func pounds(_ v: Double) -> String {
        "£" + grouped(Int(v.rounded()))
    }
}
