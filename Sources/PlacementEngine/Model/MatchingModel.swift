// The integer program of spec section 3 over a set of options (a component, or the whole market):
//
//   one binary per child x placement (the child on its own) and one per sibling group x placement
//   (the group placed together, group size as its capacity load), minimising
//   sum (option cost - unmatched cost of its children) + sum of every child's unmatched cost, s.t.
//   - child:    each child in at most one option;
//   - capacity: sum of loads <= capacity, where a `solo` child (or a group with one) loads the whole home;
//   - conflict: options at one placement that may not both be there tonight form cliques, at most one
//               option of each clique: their children may not live together (alongside, sexual_harm,
//               not_with, solo), or their loads together exceed the capacity;
//   - split:    a group's members may not all take their own options in one placement (that would be
//               the group placed together, priced as such), so the model is exactly the spec's;
//               lifted with the group's together options, which exclude every member's own option;
//   - siblings: members' own options at one placement that exclude one another, with the group's
//               together options, at most one.
// The last two kinds and the capacity cliques are implied for 0-1 solutions; they are there for
// the LP relaxation, whose bound decides how many options the optimality proof must look at
// (Tests/PlacementEngineTests/ModelStrengthTests.swift shows the fractional plans they cut off).

/// One way of placing a child on its own, or a sibling group together, in one placement.
public struct MatchOption: Hashable, Sendable {
    /// The group placed together, or -1 for a child's own option.
    public var group: Int32
    /// The child (own option), or -1.
    public var child: Int32
    public var placement: Int32
    public var cost: Double

    public static func own(child: Int, placement: Int, cost: Double) -> MatchOption {
        MatchOption(group: -1, child: Int32(child), placement: Int32(placement), cost: cost)
    }
    public static func together(group: Int, placement: Int, cost: Double) -> MatchOption {
        MatchOption(group: Int32(group), child: -1, placement: Int32(placement), cost: cost)
    }

    public var isTogether: Bool { group >= 0 }
    /// A stable identity, also the sort order: own options before together options, then by id, then placement.
    public var key: UInt64 {
        (isTogether ? 1 << 62 : 0) | (UInt64(isTogether ? group : child) << 31) | UInt64(placement)
    }

    public func members(_ index: MarketIndex) -> [Int] {
        isTogether ? index.groups[Int(group)] : [Int(child)]
    }
}

extension MarketIndex {
    /// Capacity load of an option: the group's size, or the whole capacity when a `solo` child is in it.
    @inline(__always)
    func load(of option: MatchOption) -> Int {
        let capacity = placementCapacity[Int(option.placement)]
        if option.isTogether {
            let size = groups[Int(option.group)].count
            return groupHasSolo[Int(option.group)] ? max(capacity, size) : size
        }
        return childIsSolo[Int(option.child)] ? capacity : 1
    }
}

/// What a row of the matching model stands for (to read duals back).
public enum MatchingRow: Hashable, Sendable {
    case child(Int)
    case capacity(Int)
    case conflict(placement: Int)
    /// A lifted split row: members' own options here, plus every together option of the group.
    case split(group: Int, placement: Int)
    /// Members' own options here that exclude one another, plus every together option of the group.
    case siblings(group: Int, placement: Int)
    /// A cut from the placement's own rules (PlacementCuts): options not in it have coefficient 0.
    case cut(placement: Int)
}

/// A clique row's identity: the conflict (edge) it was grown from, by option keys, and its members.
/// Kept from one model to the next over a growing option set, a cover keeps its rows, so the last
/// LP's basis stays a basis (new options start non-basic, new rows basic).
public struct Clique: Hashable, Sendable {
    public var seed: UInt64
    public var seed2: UInt64
    public var members: [UInt64]
}

/// A row's identity across models built over growing option sets (for warm starts).
public enum RowID: Hashable, Sendable {
    case child(Int)
    case capacity(Int)
    case conflict(placement: Int, seed: UInt64, seed2: UInt64)
    case split(group: Int, placement: Int)
    case siblings(group: Int, placement: Int, seed: UInt64, seed2: UInt64)
    case cut(serial: Int)
}

/// Clique covers to keep when building a model: per placement, and per (group, placement).
public struct CliqueMemory: Sendable {
    public var conflict: [Int: [Clique]] = [:]
    public var siblings: [Int: [Int: [Clique]]] = [:]   // group -> placement -> cliques
    public init() {}
}

public struct MatchingModel: Sendable {
    public internal(set) var model: MIPModel
    /// Each row's identity (see RowID), in row order.
    public internal(set) var rowIDs: [RowID]
    /// The clique covers this model used, to keep in the next one.
    public let cliques: CliqueMemory
    /// The option behind each column.
    public let options: [MatchOption]
    public internal(set) var rowKinds: [MatchingRow]
    /// The children in this model, sorted; their unmatched costs are the objective constant.
    public let children: [Int]

    /// Builds the model over `options` (any order: they are sorted by key); `children` lists every
    /// child whose unmatched cost belongs to this model (at least those the options name).
    /// `keep`: clique covers of an earlier model over fewer options, whose cliques are kept (those
    /// still present) before new conflicts are covered.
    public init(index: MarketIndex, options unsorted: [MatchOption], children: [Int], name: String,
                keep: CliqueMemory = CliqueMemory(), cuts: [PlacementCut] = []) {
        let options = unsorted.sorted { $0.key < $1.key }
        self.options = options
        self.children = children
        var model = MIPModel(name: name)
        var kinds: [MatchingRow] = []
        var ids: [RowID] = []
        var memory = CliqueMemory()
        let cs = index.market.children, ps = index.market.placements

        var constant = 0.0
        for c in children { constant += index.unmatchedCost(c) }
        model.objectiveConstant = constant

        var byChild: [Int: [Int]] = [:]
        var byPlacement: [Int: [Int]] = [:]
        var togetherByGroup: [Int32: [Int]] = [:]
        for (j, o) in options.enumerated() {
            if o.isTogether { togetherByGroup[o.group, default: []].append(j) }
            let members = o.members(index)
            var unmatched = 0.0
            for c in members { unmatched += index.unmatchedCost(c); byChild[c, default: []].append(j) }
            byPlacement[Int(o.placement), default: []].append(j)
            let pid = ps[Int(o.placement)].id
            let colName = o.isTogether
                ? "y_\(MatchingModel.groupName(index, Int(o.group)))_\(MatchingModel.lpName(pid))"
                : "x_\(MatchingModel.lpName(cs[Int(o.child)].id))_\(MatchingModel.lpName(pid))"
            model.columns.append(MIPColumn(name: colName, cost: o.cost - unmatched))
        }

        // child: at most one option each (also with a single option: the LP relaxation has no
        // column upper bounds, the child rows bound every column).
        for c in children {
            guard let cols = byChild[c] else { continue }
            model.rows.append(MIPRow(name: "child_\(MatchingModel.lpName(cs[c].id))", upper: 1,
                                     entries: cols.map { ($0, 1.0) }))
            kinds.append(.child(c))
            ids.append(.child(c))
        }

        for p in byPlacement.keys.sorted() {
            let cols = byPlacement[p]!
            let pid = MatchingModel.lpName(ps[p].id)
            // capacity: only where the options could overfill the home.
            let loads = cols.map { Double(index.load(of: options[$0])) }
            if loads.reduce(0, +) > Double(ps[p].capacity) {
                model.rows.append(MIPRow(name: "cap_\(pid)", upper: Double(ps[p].capacity),
                                         entries: zip(cols, loads).map { ($0, $1) }))
                kinds.append(.capacity(p))
                ids.append(.capacity(p))
            }
            // conflict cliques among options here.
            let cover = MatchingModel.conflictCliques(index: index, options: options, columns: cols, keep: keep.conflict[p] ?? [])
            for (k, (clique, columns)) in cover.enumerated() {
                model.rows.append(MIPRow(name: "clq_\(pid)_\(k + 1)", upper: 1, entries: columns.map { ($0, 1.0) }))
                kinds.append(.conflict(placement: p))
                ids.append(.conflict(placement: p, seed: clique.seed, seed2: clique.seed2))
            }
            if !cover.isEmpty { memory.conflict[p] = cover.map(\.0) }
            // Siblings on their own here: the split rule, and cliques with the group placed together.
            var ownByGroup: [Int32: [Int]] = [:]
            for j in cols where !options[j].isTogether {
                let g = index.groupOf[Int(options[j].child)]
                if g >= 0 { ownByGroup[g, default: []].append(j) }
            }
            for g in ownByGroup.keys.sorted() {
                let js = ownByGroup[g]!
                let size = index.groups[Int(g)].count
                let together = togetherByGroup[g] ?? []
                let gname = MatchingModel.groupName(index, Int(g))
                // split: not every member on its own here. Lifted: the group placed together anywhere
                // (Y = sum of its together options) rules out all of them, so
                // (size - 1) Y + sum x <= size - 1, which the LP relaxation otherwise ignores.
                if js.count == size {
                    let entries = (js.map { ($0, 1.0) } + together.map { ($0, Double(size - 1)) }).sorted { $0.0 < $1.0 }
                    model.rows.append(MIPRow(name: "split_\(gname)_\(pid)", upper: Double(size - 1), entries: entries))
                    kinds.append(.split(group: Int(g), placement: p))
                    ids.append(.split(group: Int(g), placement: p))
                }
                // Members here that may not live together (capacity or alongside rules) each exclude
                // the group placed together too: Y + sum over such a clique <= 1.
                guard !together.isEmpty, js.count >= 2 else { continue }
                let cover = MatchingModel.memberCliques(index: index, options: options, columns: js, placement: p,
                                                        keep: keep.siblings[Int(g)]?[p] ?? [])
                for (k, (clique, columns)) in cover.enumerated() {
                    if columns.count == size && size == 2 { continue }   // the split row above, exactly
                    let entries = (columns.map { ($0, 1.0) } + together.map { ($0, 1.0) }).sorted { $0.0 < $1.0 }
                    model.rows.append(MIPRow(name: "sib_\(gname)_\(pid)_\(k + 1)", upper: 1, entries: entries))
                    kinds.append(.siblings(group: Int(g), placement: p))
                    ids.append(.siblings(group: Int(g), placement: p, seed: clique.seed, seed2: clique.seed2))
                }
                if !cover.isEmpty { memory.siblings[Int(g), default: [:]][p] = cover.map(\.0) }
            }
        }
        // Cuts: their options present here; a cut that cannot be broken by them is left out.
        if !cuts.isEmpty {
            var column: [UInt64: Int] = [:]
            for (j, o) in options.enumerated() { column[o.key] = j }
            for cut in cuts where byPlacement[cut.placement] != nil {
                var entries: [(column: Int, coef: Double)] = []
                for (key, a) in zip(cut.keys, cut.coefficients) { if let j = column[key] { entries.append((j, a)) } }
                guard entries.count >= 2, entries.reduce(0.0, { $0 + $1.coef }) > 1 + 1e-9 else { continue }
                entries.sort { $0.column < $1.column }
                model.rows.append(MIPRow(name: "cut_\(MatchingModel.lpName(ps[cut.placement].id))_\(cut.serial + 1)", upper: 1,
                                         entries: entries))
                kinds.append(.cut(placement: cut.placement))
                ids.append(.cut(serial: cut.serial))
            }
        }
        self.model = model
        self.rowKinds = kinds
        self.rowIDs = ids
        self.cliques = memory
    }

    /// Greedy clique cover of the conflict graph among `columns` (all at one placement).
    ///
    /// Two options conflict when their children may not live together tonight (alongside,
    /// sexual_harm, not_with, solo), and also when their loads together exceed the home's capacity
    /// (a sibling group of two and another child in a home for two). The second kind is implied by
    /// the capacity row for integer solutions but not for the LP relaxation, which would otherwise
    /// place half a group and a whole child in such a home: these clique rows close most of the
    /// relaxation's gap, which is what keeps the reduced-cost optimality proof small.
    /// Options sharing a child are already exclusive through the child row: such pairs never start
    /// a clique, but they may join one (which only makes it stronger).
    static func conflictCliques(index: MarketIndex, options: [MatchOption], columns: [Int],
                                keep: [Clique] = []) -> [(Clique, [Int])] {
        let n = columns.count
        guard n > 1 else { return [] }
        let p = Int(options[columns[0]].placement)
        let capacity = index.placementCapacity[p]
        let members = columns.map { options[$0].members(index) }
        let loads = columns.map { index.load(of: options[$0]) }
        let active = members.map { $0.contains(where: index.mayConflict) }
        // Any pair over capacity? Then the two largest loads exceed it. (With capacity 1 the
        // capacity row is that clique already.)
        let sortedLoads = loads.sorted(by: >)
        let overCapacity = capacity > 1 && sortedLoads[0] + sortedLoads[1] > capacity
        guard active.contains(true) || overCapacity else { return [] }
        var mustCover = [Set<Int>](repeating: [], count: n)   // conflicts to cover
        var adjacent = [Set<Int>](repeating: [], count: n)    // also pairs sharing a child
        for a in 0..<n {
            for b in (a + 1)..<n {
                let share = members[a].contains(where: members[b].contains)
                var clash = false
                if !share {
                    if capacity > 1 && loads[a] + loads[b] > capacity {
                        clash = true
                    } else if active[a] || active[b] {
                        outer: for x in members[a] { for y in members[b] where index.childrenConflict(x, y) { clash = true; break outer } }
                    }
                }
                if clash { mustCover[a].insert(b); mustCover[b].insert(a) }
                if clash || share { adjacent[a].insert(b); adjacent[b].insert(a) }
            }
        }
        return greedyCover(keys: columns.map { options[$0].key }, mustCover: mustCover, adjacent: adjacent, keep: keep)
            .map { ($0.0, $0.1.map { columns[$0] }) }
    }

    /// Greedy clique cover of the `mustCover` edges, cliques grown (conflicts first, then other
    /// `adjacent` pairs) from the lowest uncovered edge. The cliques of `keep` still present (both
    /// seeds, and the members present) come first, unchanged, so a cover over a growing set of
    /// options keeps its rows. Returns each clique with its members' local indices.
    static func greedyCover(keys: [UInt64], mustCover: [Set<Int>], adjacent: [Set<Int>], keep: [Clique]) -> [(Clique, [Int])] {
        let n = keys.count
        var position: [UInt64: Int] = [:]
        if !keep.isEmpty { for (a, k) in keys.enumerated() { position[k] = a } }
        var covered = Set<Int>()  // edges as a * n + b, a < b
        var cliques: [(Clique, [Int])] = []
        func cover(_ clique: [Int]) {
            for i in clique.indices { for k in clique.indices where k > i { covered.insert(min(clique[i], clique[k]) * n + max(clique[i], clique[k])) } }
        }
        for old in keep {
            guard position[old.seed] != nil, position[old.seed2] != nil else { continue }
            let present = old.members.compactMap { position[$0] }.sorted()
            guard present.count >= 2, present.allSatisfy({ x in present.allSatisfy { $0 == x || adjacent[x].contains($0) } }) else { continue }
            cover(present)
            cliques.append((Clique(seed: old.seed, seed2: old.seed2, members: present.map { keys[$0] }), present))
        }
        for a in 0..<n {
            for b in mustCover[a].sorted() where b > a && !covered.contains(a * n + b) {
                var clique = [a, b]
                // Grow with conflicts first (they are what must be covered), then shared children.
                for c in mustCover[a].sorted() + adjacent[a].subtracting(mustCover[a]).sorted()
                where c != b && !clique.contains(c) && clique.allSatisfy({ adjacent[c].contains($0) }) {
                    clique.append(c)
                }
                clique.sort()
                cover(clique)
                cliques.append((Clique(seed: keys[a], seed2: keys[b], members: clique.map { keys[$0] }), clique))
            }
        }
        return cliques
    }

    /// Greedy clique cover of the conflicts among one group's members' own options at one placement
    /// (their loads together exceed its capacity, or an alongside, sexual_harm or not_with rule).
    static func memberCliques(index: MarketIndex, options: [MatchOption], columns: [Int], placement p: Int,
                              keep: [Clique] = []) -> [(Clique, [Int])] {
        let n = columns.count
        let capacity = index.placementCapacity[p]
        let child = columns.map { Int(options[$0].child) }
        let loads = columns.map { index.load(of: options[$0]) }
        var adjacent = [Set<Int>](repeating: [], count: n)
        var any = false
        for a in 0..<n {
            for b in (a + 1)..<n where loads[a] + loads[b] > capacity || index.childrenConflict(child[a], child[b]) {
                adjacent[a].insert(b); adjacent[b].insert(a); any = true
            }
        }
        guard any else { return [] }
        return greedyCover(keys: columns.map { options[$0].key }, mustCover: adjacent, adjacent: adjacent, keep: keep)
            .map { ($0.0, $0.1.map { columns[$0] }) }
    }

    /// Per column, its child's row (where the child's other options are), for `PrimalHeuristics.ejectionChains`;
    /// -1 for a group's together options.
    public var ownerRows: [Int] {
        var childRow: [Int: Int] = [:]
        for (i, kind) in rowKinds.enumerated() { if case .child(let c) = kind { childRow[c] = i } }
        return options.map { $0.isTogether ? -1 : (childRow[Int($0.child)] ?? -1) }
    }

    /// A name GLPK and the CPLEX LP format accept: ids are `A-Z a-z 0-9 . _ -`, and `-` is an LP
    /// operator, so it becomes `~` (which no id contains, so names stay distinct).
    static func lpName(_ id: String) -> String {
        String(id.map { $0 == "-" ? "~" : $0 })
    }

    /// Sibling-group ids are free text: the group's number plus a cleaned prefix of its id.
    static func groupName(_ index: MarketIndex, _ g: Int) -> String {
        let raw = index.market.children[index.groups[g][0]].siblingGroup ?? ""
        let clean = raw.prefix(40).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") ? $0 : "~" }
        return "g\(g + 1)_" + String(clean)
    }
}
