extension ImportResult {
    /// A plain-text report of the import for the command line: counts (read = accepted + rejected),
    /// corrections, rejections per reason, the first `maxRejections` rejections with line, column and
    /// message, and the merge report. It holds no national number (rejections never do).
    public func summary(maxRejections: Int = 20) -> String {
        var lines: [String] = []
        lines.append("\(file) (source \(source)): \(rowsRead) rows read, \(accepted) accepted, \(rejected) rejected"
            + (corrections > 0 ? ", \(corrections) corrected decision\(corrections == 1 ? "" : "s") replaced" : ""))
        lines.append("  sha256 \(fingerprint)" + (keyFingerprint.map { ", pseudonymisation key \($0)" } ?? ""))
        let counts = rejectionCounts.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
        if !counts.isEmpty {
            lines.append("  rejected by reason: " + counts.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
            for r in rejections.prefix(maxRejections) { lines.append("  " + r.formatted) }
            if rejections.count > maxRejections { lines.append("  … and \(rejections.count - maxRejections) more rejections") }
        }
        if let missing = DeclaredMissing.summary(declaredMissing) { lines.append("  " + missing) }
        if merge.checked {
            lines.append("  participants: \(merge.participantsWithRecords) with records, \(merge.participantsWithoutRecords.count) without; "
                + "\(merge.rowsWithoutParticipant) row\(merge.rowsWithoutParticipant == 1 ? "" : "s") of \(merge.recordsWithoutParticipant.count) unknown participant\(merge.recordsWithoutParticipant.count == 1 ? "" : "s")")
        }
        return lines.joined(separator: "\n")
    }
}
