import TrialData

/// Counts of a streamed import (see `Ingest.stream`).
public struct ImportTally: Sendable, Equatable {
    public var rowsRead = 0
    public var accepted = 0
    public var rejected = 0
    public var corrections = 0
    /// Accepted rows whose status says they do not count (set aside, not stored as records).
    public var voided = 0
    /// The rows set aside: voided by status, superseded by a correction.
    public var setAside: [SetAsideRow] = []
    /// SHA-256 of the file's bytes (hex), set when the stream ends.
    public var fingerprint = ""
    /// The merge report, set when the stream ends.
    public var merge: MergeReport? = nil
    /// SPSS and Stata files: the values declared missing in the file (see `ImportResult.declaredMissing`).
    public var declaredMissing: [DeclaredMissing] = []
}
