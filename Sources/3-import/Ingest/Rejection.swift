import Basics
/// Why a row of an extract was not taken. Every row read is either accepted or rejected with one of
/// these reasons; none is dropped silently.
public enum RejectionReason: String, Sendable, Codable, CaseIterable, Equatable {
    /// The national number fails the INSZ rules (length, digits, month/day, mod-97 check digits).
    case invalidNationalNumber = "invalid_national_number"
    /// A date or month is not in the dialect's `date_format`, or the day does not exist.
    case unparseableDate = "unparseable_date"
    /// An amount or a numeric answer is not a number in the dialect's decimal form (or a cents amount
    /// without a `+`/`-` sign).
    case unparseableAmount = "unparseable_amount"
    /// A coded field holds a value outside the source's vocabulary (after the design's `codes` mapping).
    case unknownCode = "unknown_code"
    /// A required field (or the identifier) is empty.
    case missingField = "missing_field"
    /// A delimited row has more or fewer fields than the header, or a fixed-width line is too short or
    /// too long for the layout.
    case wrongFieldCount = "wrong_field_count"
    /// The row repeats an earlier row of the same file exactly (same participant and fields).
    case duplicateRow = "duplicate_row"
    /// A valid national number in a column that is not the identifier (a free-text answer, a kept
    /// column): the row is set aside so that the number is never stored.
    case nationalNumberOutsideIdentifier = "national_number_outside_identifier"
    /// The participant is not one of the trial's participants (only checked when they are given).
    case unknownParticipant = "unknown_participant"
    /// A value is readable but implausible: a year outside 1950–2100, an end before its start, a
    /// negative amount where only non-negative amounts exist, an amount beyond ±1,000,000 euro.
    case outOfRange = "out_of_range"
    /// The row's bytes are not valid in the declared encoding (e.g. Windows-1252 bytes in a file
    /// declared UTF-8).
    case invalidEncoding = "invalid_encoding"
    /// The row corrects a record (its status says so, or it names the record it replaces) that is not in
    /// the file.
    case orphanCorrection = "orphan_correction"
}

/// One rejected row: where it is, why, and a short excerpt that never holds a national number (the
/// identifier column is left out and any run of nine or more digits is masked).
public struct Rejection: Sendable, Codable, Equatable {
    public var file: String
    /// The 1-based line the row starts on.
    public var line: Int
    /// The file's column (or fixed-width field) at fault; nil for whole-row reasons.
    public var column: String?
    public var reason: RejectionReason
    /// What is wrong and what to do, in a sentence.
    public var message: String
    /// A short, non-identifying excerpt of the row (`column=value, …`).
    public var excerpt: String

    public init(file: String, line: Int, column: String?, reason: RejectionReason, message: String, excerpt: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.message = message
        self.excerpt = excerpt
    }

    /// `FILE:LINE: reason (column): message [excerpt]`.
    public var formatted: String {
        "\(file):\(line): \(reason.rawValue)\(column.map { " (\($0))" } ?? ""): \(message)\(excerpt.isEmpty ? "" : " [\(excerpt)]")"
    }
}

/// Builds rejection excerpts that cannot carry a national number.
enum Excerpt {
    /// `name=value` pairs of the fields other than the identifier, each value cut to 24 characters,
    /// the whole cut to 100; a value with a run of 9 or more digits (ignoring `.`, `-`, `/` and spaces
    /// between them) is replaced by `<masked>`.
    static func make(names: [String], fields: [String], skipping identifierIndex: Int?) -> String {
        var parts: [String] = []
        for (i, value) in fields.enumerated() where i != identifierIndex {
            let name = i < names.count ? names[i] : "field\(i + 1)"
            var v = value.trimmingSpaces
            if hasLongDigitRun(v) { v = "<masked>" }
            if v.count > 24 { v = String(v.prefix(23)) + "…" }
            parts.append("\(name)=\(v)")
        }
        var s = parts.joined(separator: ", ")
        if s.count > 100 { s = String(s.prefix(99)) + "…" }
        return s
    }

    static func hasLongDigitRun(_ text: String) -> Bool { Masking.hasDigitRun(text) }
}
