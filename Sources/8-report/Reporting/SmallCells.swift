/// Small-cell suppression for published outputs.
///
/// Rule (documented in docs/reporting.md): a *cell* is a group of units that a published number
/// describes. A count `c` is published only when `c == 0` or `c ≥ threshold`; otherwise it is shown as
/// `< threshold` (*primary* suppression). For an outcome at a wave, the arm summaries are suppressed (mean,
/// SD and N of **both** arms, so that one cannot be recovered from the other) and so is the effect (with
/// its SE, interval and p-values) when either arm has fewer than `threshold` units with a value, or, for a
/// binary outcome, when either arm's number of units with the outcome, or without it, lies in
/// 1 ..< threshold.
///
/// *Secondary* suppression (`disclose`): the counts of every published table and of the CONSORT flow are
/// gathered in one `CountLedger` with the sums that tie them (totals, arm totals, the flow from
/// allocated to analysed); more cells are suppressed until no suppressed cell can be worked out from the
/// published ones by adding and subtracting (`DisclosureAudit`). Every writer prints counts from the one
/// `DisclosedCounts` value this returns. The unsuppressed numbers stay in the trial store and the
/// internal folder.
///
/// The threshold is a setting of each trial (`publication.small_cell_threshold`, default 5): no Belgian
/// rule with a fixed threshold was found.
///
/// This type is the only place that decides suppression: the writers (tables, CSV, figures, the HTML
/// report) ask it about every count, every pair of arm summaries and every N they print.
public struct SmallCellPolicy: Sendable, Equatable {
    public let threshold: Int

    public init(threshold: Int) {
        precondition(threshold >= 0, "the small-cell threshold cannot be negative")
        self.threshold = threshold
    }

    /// No suppression (threshold 0): for the unpublished, internal outputs.
    public static let none = SmallCellPolicy(threshold: 0)

    /// Whether anything can be suppressed (not `.none`): the published outputs then say which rule
    /// they follow.
    public var isActive: Bool { threshold > 0 }

    /// Whether a count may be published.
    public func allows(count: Int) -> Bool { count == 0 || count >= threshold }

    /// A count as published: the number, or `<threshold` when it is a small cell.
    public func show(count: Int) -> String { allows(count: count) ? String(count) : "<\(threshold)" }

    /// The N of a comparison as published: in full when its arm summaries are published; under the count
    /// rule (`show(count:)`) when they are suppressed, so that it does not give them away.
    public func show(count: Int, summariesSuppressed: Bool) -> String {
        summariesSuppressed ? show(count: count) : String(count)
    }

    /// Whether the summaries of two arms compared (means, SDs and counts of both) must be suppressed:
    /// either arm's count is a small cell, or, for a binary variable (`binary` and the positives known),
    /// either arm's number of units with it or without it is.
    public func suppressesSummaries(control: ArmSummary, intervention: ArmSummary, binary: Bool) -> Bool {
        [control, intervention].contains { arm in
            guard allows(count: arm.n) else { return true }
            guard binary, let positives = arm.positives else { return false }
            return !allows(count: positives) || !allows(count: arm.n - positives)
        }
    }

    /// Whether the arm summaries of this comparison must be suppressed.
    public func suppressesSummaries(of effect: WaveEffect, kind: OutcomeKind) -> Bool {
        suppressesSummaries(control: effect.control, intervention: effect.intervention, binary: kind == .binary)
    }

    /// Whether the arm summaries of a baseline balance row must be suppressed (a binary covariate carries
    /// its positives).
    public func suppressesSummaries(of row: BalanceRow) -> Bool {
        suppressesSummaries(control: row.control, intervention: row.intervention, binary: true)
    }

    /// Primary and secondary suppression of a ledger's cells.
    ///
    /// Primary: every cell in 1 ..< threshold. Secondary, repeated until nothing changes:
    /// 1. a sum with exactly one suppressed cell gives it away (a total minus the other parts): one more
    ///    cell of the sum is suppressed;
    /// 2. a sum whose published total leaves its suppressed parts, all primary (each 1 ..< threshold),
    ///    only one possibility (all 1, or all threshold − 1) also gives them away: one more cell is
    ///    suppressed;
    /// 3. a group of cells shown together (`CountLedger.together`) with one suppressed cell: all of them;
    /// 4. the exact audit (`DisclosureAudit`) finds a suppressed cell determined by a combination of sums:
    ///    one more cell of a sum holding it is suppressed.
    /// The cell taken is a part before a total, not a `lastResort` cell when another is left, then the
    /// smallest count (the least information lost), then the first in ledger order, so the choice is
    /// deterministic. Each round suppresses one more cell, so it ends.
    public func disclose(_ ledger: CountLedger) -> DisclosedCounts {
        let primary = Set(ledger.keys.filter { !allows(count: ledger.values[$0]!) })
        var suppressed = primary
        guard isActive else { return DisclosedCounts(threshold: threshold, ledger: ledger, primary: [], suppressed: []) }
        let order = Dictionary(uniqueKeysWithValues: ledger.keys.enumerated().map { ($1, $0) })
        func cheapest(_ sums: [CountLedger.Sum]) -> String? {
            var candidates: [(key: String, total: Bool)] = []
            for s in sums {
                for (k, key) in s.keys.enumerated() where !suppressed.contains(key) { candidates.append((key, k == 0)) }
            }
            return candidates.min { a, b in
                let ra = ledger.lastResort.contains(a.key), rb = ledger.lastResort.contains(b.key)
                if ra != rb { return !ra }
                if a.total != b.total { return !a.total }
                let va = ledger.values[a.key]!, vb = ledger.values[b.key]!
                if va != vb { return va < vb }
                return order[a.key]! < order[b.key]!
            }?.key
        }
        func pinnedByBounds(_ s: CountLedger.Sum) -> Bool {
            let hidden = s.parts.filter { suppressed.contains($0) }
            guard !suppressed.contains(s.total), hidden.count >= 2, hidden.allSatisfy(primary.contains) else { return false }
            let left = ledger.values[s.total]! - s.parts.filter { !suppressed.contains($0) }.reduce(0) { $0 + ledger.values[$1]! }
            return left == hidden.count || left == hidden.count * (threshold - 1)
        }
        while true {
            if let s = ledger.sums.first(where: { sum in sum.keys.filter(suppressed.contains).count == 1 || pinnedByBounds(sum) }),
               let key = cheapest([s]) {
                suppressed.insert(key)
                continue
            }
            if let g = ledger.groups.first(where: { g in g.contains(where: suppressed.contains) && !g.allSatisfy(suppressed.contains) }) {
                suppressed.formUnion(g)
                continue
            }
            let determined: [String]
            do {
                determined = try DisclosureAudit.determined(ledger, suppressed: suppressed)
            } catch {
                // Too large to decide exactly: suppress every cell of every sum that holds a suppressed one.
                for s in ledger.sums where s.keys.contains(where: suppressed.contains) { suppressed.formUnion(s.keys) }
                break
            }
            guard let cell = determined.first else { break }
            let around = ledger.sums.filter { $0.keys.contains(cell) }
            let reach = ledger.sums.filter { $0.keys.contains(where: determined.contains) }
            // Structurally, every cell next to it may be suppressed already: then any published cell of any sum.
            guard let key = cheapest(around) ?? cheapest(reach) ?? cheapest(ledger.sums) else { break }
            suppressed.insert(key)
        }
        return DisclosedCounts(threshold: threshold, ledger: ledger, primary: primary, suppressed: suppressed)
    }

    /// The effect table as published: for a comparison whose arm summaries are suppressed, the effect of
    /// the small cells goes too (the ITT and treatment-received estimates, SEs, intervals, statistics and
    /// relative effect become NaN, printed "NA"; the adjusted and randomization p-values nil). The N stays:
    /// it is a count, under the count rule and in the disclosed counts.
    public func publishable(_ table: EffectTable) -> EffectTable {
        var out = table
        for (k, o) in table.outcomes.enumerated() {
            for (wave, e) in o.waves where suppressesSummaries(of: e, kind: o.kind) {
                var p = e
                p.itt = Self.withheld(e.itt)
                p.treatmentReceived = e.treatmentReceived.map(Self.withheld)
                p.adjustedP = nil
                p.randomizationP = nil
                out.outcomes[k].waves[wave] = p
            }
        }
        return out
    }

    static func withheld(_ t: TermEstimate) -> TermEstimate {
        TermEstimate(term: t.term, estimate: .nan, stdError: .nan, statistic: .nan, df: .nan, pValue: .nan, confLow: .nan,
                     confHigh: .nan, nObs: t.nObs, nClusters: t.nClusters)
    }
}
