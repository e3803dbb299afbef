/// Small-cell suppression for published outputs.
///
/// Rule (documented in docs/reporting.md): a *cell* is a group of units that a published number
/// describes. A count `c` is published only when `c == 0` or `c ≥ threshold`; otherwise it is shown as
/// `<threshold`. For an outcome at a wave, the arm summaries are suppressed (mean, SD and N of **both**
/// arms, so that one cannot be recovered from the other and the effect) when either arm has fewer than
/// `threshold` units with a value, or, for a binary outcome, when either arm's number of units with the
/// outcome, or without it, lies in 1 ..< threshold. Model estimates (effect, SE, CI, p) are not cell
/// statistics and stay published. The unsuppressed numbers stay in the trial store.
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
}
