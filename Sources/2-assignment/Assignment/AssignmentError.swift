/// Why an assignment could not be made. Every case says what was found and what to do; identifiers in
/// messages are study codes or pseudonyms, never national numbers.
public enum AssignmentError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The arms or their weights cannot be used (fewer than two arms, a weight below 1, names and
    /// weights of different lengths).
    case invalidAllocation(String)
    /// A block size that cannot hold whole ratios.
    case invalidBlockSize(Int, ratioSum: Int)
    /// A cluster appears in more than one block (blocked-clustered designs need clusters nested in blocks).
    case clusterSpansBlocks(cluster: String, blocks: [String])
    /// The arm with limited places is full and the design says `when_full: pause`.
    case capacityFull(arm: String, places: Int)
    /// A batch would put more families into the capacity-limited arm than it has free places.
    case capacityExceeded(arm: String, needed: Int, free: Int)
    /// The cohort or an enrolment row is not usable (duplicate or missing identifier, unparsable cell…).
    case invalidCohort(String)
    /// The stored sequence of rolling assignments does not come out of the design's seed again.
    case replayMismatch(record: Int, unit: String, stored: String, replayed: String)
    /// An enumeration would exceed its limit of possible assignments.
    case spaceTooLarge(limit: Int)
    /// Another error, about one family (its identifier and cohort line; line 0 for the command line).
    indirect case forUnit(String, line: Int, AssignmentError)

    public var description: String {
        switch self {
        case let .invalidAllocation(message): return message
        case let .invalidBlockSize(size, sum):
            return "block size \(size) is not a positive multiple of the sum of the arm ratios (\(sum))"
        case let .clusterSpansBlocks(cluster, blocks):
            return "cluster \"\(cluster)\" appears in several blocks (\(blocks.joined(separator: ", "))); "
                + "blocked_clustered needs every cluster inside one block"
        case let .capacityFull(arm, places):
            return "the \(arm) arm is full (\(places) of \(places) places taken) and the design says when_full: pause; "
                + "no family is randomised until a place frees up (or set when_full: keep_randomising before the trial starts)"
        case let .capacityExceeded(arm, needed, free):
            return "this run would place \(needed) families in the \(arm) arm but only \(free) places are free and the "
                + "design says when_full: pause; nothing was assigned. Enrol fewer families or add case managers before randomising"
        case let .invalidCohort(message): return message
        case let .spaceTooLarge(limit):
            return "more than \(limit) possible assignments; enumerate a smaller design or raise the limit"
        case let .forUnit(unit, line, error):
            return "family \(unit)" + (line > 0 ? " (cohort line \(line))" : "") + ": \(error.description)"
        case let .replayMismatch(record, unit, stored, replayed):
            return "the stored rolling assignments do not come out of the design's seed again: record \(record) (family \(unit)) "
                + "holds \(stored) but the procedure gives \(replayed). The store or the design was changed; run `rct verify`"
        }
    }
}
