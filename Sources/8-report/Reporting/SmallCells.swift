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
public struct SmallCellPolicy: Sendable, Equatable {
    public let threshold: Int

    public init(threshold: Int) {
        precondition(threshold >= 0, "the small-cell threshold cannot be negative")
        self.threshold = threshold
    }

    /// No suppression (threshold 0): for the unpublished, internal outputs.
    public static let none = SmallCellPolicy(threshold: 0)

    /// Whether a count may be published.
    public func allows(count: Int) -> Bool { count == 0 || count >= threshold }

    /// A count as published: the number, or `<threshold` when it is a small cell.
    public func show(count: Int) -> String { allows(count: count) ? String(count) : "<\(threshold)" }

    /// Whether the arm summaries of this comparison must be suppressed.
    public func suppressesSummaries(of effect: WaveEffect, kind: OutcomeKind) -> Bool {
        for arm in [effect.control, effect.intervention] {
            if !allows(count: arm.n) || (arm.n > 0 && arm.n < threshold) { return true }
            if kind == .binary, let positives = arm.positives {
                if !allows(count: positives) || !allows(count: arm.n - positives) { return true }
            }
        }
        return false
    }
}
