import Foundation
import Tabular
import TrialData
import TrialStore

/// What happened to every row of each source's active import, for the run's report: the rows rejected
/// by reason (with the first lines of each) and the rows set aside (voided by their status, superseded
/// by a correction), read back from the store, and the rejected rows written to a file per source.
public enum ImportAccounting {
    /// One source's account.
    public struct Account: Sendable {
        public var source: String
        public var stored: StoredImport
        /// Reason → the lines rejected for it, in file order.
        public var rejected: [(reason: String, lines: [Int])]
        public var voided: [Int]
        public var superseded: [Int]
        /// Where the rejected rows were written, when there were any.
        public var rejectsFile: String?

        /// Lines for the run's progress: nothing for a source that took every row.
        public func lines(firstLines shown: Int = 3) -> [String] {
            func list(_ lines: [Int]) -> String {
                let first = lines.prefix(shown).map(String.init).joined(separator: ", ")
                return (lines.count == 1 ? "line " : "lines ") + first + (lines.count > shown ? ", …" : "")
            }
            var out: [String] = []
            if !rejected.isEmpty {
                out.append("  \(source): rejected by reason: " + rejected.map { "\($0.reason) \($0.lines.count) (\(list($0.lines)))" }
                    .joined(separator: "; "))
            }
            if !voided.isEmpty { out.append("  \(source): voided by status: \(voided.count) (\(list(voided)))") }
            if !superseded.isEmpty { out.append("  \(source): superseded by a correction: \(superseded.count) (\(list(superseded)))") }
            if let rejectsFile { out.append("  \(source): rejected rows in \(rejectsFile)") }
            return out
        }
    }

    /// The account of every active import; the rejected rows of each source with any are written to
    /// `folder/SOURCE.csv` (line, column, reason, message, excerpt; no national number: excerpts are
    /// masked) when a folder is given.
    public static func accounts(store: TrialStore, writingRejectsTo folder: String?) throws -> [Account] {
        var accounts: [Account] = []
        for stored in try store.importSummaries() {
            let rows = try store.quarantine(importID: stored.id)
            var byReason: [String: [Int]] = [:], order: [String] = []
            for q in rows {
                if byReason[q.reason] == nil { order.append(q.reason) }
                byReason[q.reason, default: []].append(q.line)
            }
            let aside = try store.setAside(importID: stored.id)
            var file: String?
            if let folder, !rows.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let path = (folder as NSString).appendingPathComponent("\(stored.source).csv")
                let table = [["line", "column", "reason", "message", "excerpt"]]
                    + rows.map { [String($0.line), $0.column ?? "", $0.reason, $0.message, $0.excerpt] }
                try OutputFile.write(CSVWriter.comma.text(table), to: path)
                file = path
            }
            accounts.append(Account(source: stored.source, stored: stored,
                                    rejected: order.sorted { (byReason[$0]!.count, $1) > (byReason[$1]!.count, $0) }.map { ($0, byReason[$0]!) },
                                    voided: aside.filter { $0.reason == .void }.map(\.line),
                                    superseded: aside.filter { $0.reason == .superseded }.map(\.line), rejectsFile: file))
        }
        return accounts
    }
}
