/// What an estimate did that its caller should know of (rows left out, a default chosen, an argument not
/// used), as data. `describe(_:)` words it in the caller's terms (see `SpecificationWording`);
/// `description` in neutral terms.
public enum EstimationNote: Sendable, Equatable, CustomStringConvertible {
    /// Listwise deletion: `dropped` of the outcome's `total` rows had a gap in one of `columns` (in order
    /// of the first gap found).
    case rowsDropped(outcome: String, dropped: Int, total: Int, columns: [String])
    /// A categorical treatment without a control level: the first of `levels` was taken.
    case controlLevelChosen(treatment: String, levels: [String], control: String)
    /// A variance was given to `dim`, which chooses its variance from the design.
    case varianceIgnoredByDim(VarianceType)
    /// Some blocks of `blocks` hold two units (or clusters) and others more: the matched-pairs variance is
    /// used for all blocks (as estimatr does).
    case matchedPairsVarianceForMixedBlocks(outcome: String, blocks: String)

    public var description: String { describe(.neutral) }

    public func describe(_ w: SpecificationWording) -> String {
        switch self {
        case let .rowsDropped(outcome, dropped, total, columns):
            return "outcome \"\(outcome)\": \(dropped) of \(total) rows dropped for missing values in \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) (listwise deletion); \(total - dropped) rows used"
        case let .controlLevelChosen(treatment, levels, control):
            return "treatment \"\(treatment)\" has levels \(levels.joined(separator: ", ")); \"\(control)\" was taken as the control (\(w.give) \(w.setting(.control, "LEVEL")) to choose another)"
        case .varianceIgnoredByDim:
            return "\(w.name(.variance)) is ignored by \(w.setting(.estimator, EstimationSpec.Estimator.dim.rawValue)), which chooses its variance from the design (Welch, blocked, clustered CR2 or matched pairs)"
        case let .matchedPairsVarianceForMixedBlocks(outcome, blocks):
            return "outcome \"\(outcome)\": some blocks of \"\(blocks)\" have two units (or clusters) and others more; as a variance cannot be estimated within a block of two, the matched-pairs variance is used for all blocks"
        }
    }
}
