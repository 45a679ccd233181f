// summary.json (spec sections 6 and 7) as typed values: every key a property, encoded by
// JSONEncoder with sorted keys. A value that cannot be written (a non-finite number) is an error
// of the write, never an empty object.

import Foundation

public struct BatchSummary: Encodable, Sendable {
    /// A number that may be absent, written as JSON null (a bound that is not finite).
    public enum Nullable: Encodable, Sendable, Equatable {
        case value(Double)
        case null
        init(_ v: Double) { self = v.isFinite ? .value(BatchOutputs.round6(v)) : .null }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .value(let v): try c.encode(v)
            case .null: try c.encodeNil()
            }
        }
    }

    /// A policy value: a number or a boolean, or a group of them (`weights`, `urgency_penalty`).
    public enum PolicyEntry: Encodable, Sendable, Equatable {
        case number(Double)
        case boolean(Bool)
        case group([String: PolicyEntry])
        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .number(let v): var c = encoder.singleValueContainer(); try c.encode(v)
            case .boolean(let b): var c = encoder.singleValueContainer(); try c.encode(b)
            case .group(let g): var c = encoder.singleValueContainer(); try c.encode(g)
            }
        }
    }

    public struct Counts: Encodable, Sendable, Equatable {
        public var children, placed, unmatched, placed_together_groups, placements: Int
    }

    public struct RCC: Encodable, Sendable, Equatable {
        public var placed, unmatched: Int
        public var mean_km, share_over_20_miles, mean_risk, total_weekly_cost: Double
    }

    public struct Solver: Encodable, Sendable, Equatable {
        public struct Seconds: Encodable, Sendable, Equatable {
            public var lp, pricing, first_plan, integer: Double
        }
        public var backend: String
        public var pricing_rounds, components, largest_component_children, columns, rows, nonzeros: Int
        public var proof_options: Int
        public var proof_skipped: Bool
        public var branch_nodes: Int
        public var seconds: Seconds
        public var lp_bound: Nullable
    }

    public var status: String
    public var stop_reason: String
    public var objective: Double
    public var best_bound: Nullable
    public var gap: Nullable
    public var counts: Counts
    public var per_rcc: [String: RCC]
    public var timings_s: [String: Double]
    public var policy: [String: PolicyEntry]
    public var input_hash: String
    public var engine_version: String
    public var solver: Solver
    public var warnings: [String]

    public init(_ run: BatchRun, inputHash: String, extraTimings: [(String, Double)] = []) {
        let s = run.solution, report = run.report, st = s.statistics
        let r6 = BatchOutputs.round6
        status = s.status.rawValue
        stop_reason = s.stopReason.rawValue
        objective = r6(s.objective)
        best_bound = Nullable(s.bestBound)
        gap = s.bestBound.isFinite ? .value(s.gap) : .null
        counts = Counts(children: run.market.children.count, placed: report.matches.count, unmatched: report.unmatched.count,
                        placed_together_groups: report.placedTogetherGroups, placements: run.market.placements.count)
        per_rcc = report.perRCC.mapValues { f in
            RCC(placed: f.placed, unmatched: f.unmatched, mean_km: r6(f.meanKm), share_over_20_miles: r6(f.shareOverTwentyMiles),
                mean_risk: r6(f.meanRisk), total_weekly_cost: r6(f.totalWeeklyCost))
        }
        var timings: [String: Double] = [:]
        for (name, secs) in run.clock.stages + extraTimings { timings[name] = r6(secs) }
        timings_s = timings
        var policy: [String: PolicyEntry] = [:]
        for (key, path) in Policy.keyPaths {
            let parts = key.split(separator: ".").map(String.init)
            let value: PolicyEntry = switch run.market.policy[keyPath: path] {
            case .number(let v): .number(v)
            case .boolean(let b): .boolean(b)
            }
            if parts.count == 1 { policy[parts[0]] = value } else {
                guard case .group(var group) = policy[parts[0]] ?? .group([:]) else { continue }
                group[parts[1]] = value
                policy[parts[0]] = .group(group)
            }
        }
        self.policy = policy
        input_hash = inputHash
        engine_version = EngineInfo.version
        solver = Solver(backend: st.backend, pricing_rounds: st.pricingRounds, components: st.components,
                        largest_component_children: st.largestComponentChildren, columns: st.columns, rows: st.rows,
                        nonzeros: st.nonZeros, proof_options: st.proofAdditions, proof_skipped: st.proofSkipped,
                        branch_nodes: st.branchNodes,
                        seconds: .init(lp: r6(st.lpSeconds), pricing: r6(st.pricingSeconds), first_plan: r6(st.firstPlanSeconds),
                                       integer: r6(st.mipSeconds)),
                        lp_bound: Nullable(st.lpBound))
        warnings = run.market.warnings
    }

    /// The JSON text (pretty, keys sorted, a final newline).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
