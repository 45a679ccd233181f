// Who may live together (spec section 3): the pairwise rules that keep two children out of one
// placement tonight. The arcs are the first stage to need them (a sibling group with a not_with or
// sexual_harm pair inside cannot be placed together, ArcTable.canBeTogether); the model's conflict
// rows, the placements' cuts, the home patterns and the plan's explanations read them from here.

/// Which children may not share a placement tonight (spec section 3), pair by pair.
public enum ChildConflicts {
    /// `a` has `sexual_harm` and `b` is younger.
    @inline(__always)
    public static func sexualHarm(_ a: Child, _ b: Child) -> Bool {
        a.risks.contains(.sexual_harm) && b.age < a.age
    }

    /// `a`'s alongside rule forbids sharing with `b` (solo is handled as taking the whole home).
    @inline(__always)
    public static func alongside(_ a: Child, _ b: Child) -> Bool {
        switch a.alongside {
        case .older_only: b.age <= a.age
        case .younger_only: b.age >= a.age
        case .solo: true
        case .with_others, .no_preference: false
        }
    }
}

extension MarketIndex {
    /// Whether two children may not share a placement tonight when not in one group placed together.
    func childrenConflict(_ a: Int, _ b: Int) -> Bool {
        let ca = market.children[a], cb = market.children[b]
        return ChildConflicts.alongside(ca, cb) || ChildConflicts.alongside(cb, ca)
            || ChildConflicts.sexualHarm(ca, cb) || ChildConflicts.sexualHarm(cb, ca)
            || (!notWith[a].isEmpty && notWith[a].contains(b))
    }

    /// Whether a child can conflict with anybody (the only children worth looking at for conflicts).
    func mayConflict(_ c: Int) -> Bool {
        let child = market.children[c]
        return child.alongside == .solo || child.alongside == .older_only || child.alongside == .younger_only
            || child.risks.contains(.sexual_harm) || !notWith[c].isEmpty
    }
}
