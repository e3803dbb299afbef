import Basics
import Foundation
import Ingest
import TrialData
import TrialDesign
import TrialStore

/// What importing one source did, with the report lines to print.
public struct ImportOutcome: Sendable {
    public enum Status: String, Sendable {
        /// First import of the source.
        case imported
        /// The same file, linked the same way, was already imported: nothing written.
        case unchanged
        /// A new file replaced the source's earlier import (`--replace`).
        case replaced
    }

    public var source: String
    /// The file as the design names it.
    public var file: String
    public var status: Status
    /// The source's active import after the step.
    public var stored: StoredImport
    /// The import this one replaced (status `.replaced`).
    public var replaced: StoredImport?
    /// The full import result; nil when unchanged (the file was not parsed again) or streamed (read the
    /// rows back from the store).
    public var result: ImportResult?
    /// The report for standard output: counts, corrections, rejections, merge report, quarantine.
    public var report: [String]
}

/// The import step shared by `rct import` and `rct run`: imports the design's registry and survey
/// sources into the trial store, linking rows to the store's assigned families.
///
/// For every selected source (all extracts by default: `SourceKind.isExtract`), before anything is
/// written: the file must exist, and if the source was imported before the file must be the same (same
/// SHA-256, same key, same participants → `unchanged`, not parsed again) or `replace` must be given. Only
/// then is each file parsed (`Ingest.importSource`, registry rows linked on `AssignedUnit.registryKey`,
/// survey rows on the study id; other rows are rejected as `unknown_participant`) and saved in one
/// transaction per source (`TrialStore.saveImport`); files of `streamingFile` bytes or more are streamed
/// row by row inside that transaction (`Ingest.stream` + `TrialStore.streamImport`). A failure in one
/// source leaves the sources before it imported and the store otherwise untouched. `progress` receives
/// lines for standard error (files of 4 MiB or more).
public enum ImportStep {
    /// Files from this size on get progress lines.
    public static let largeFile = 4 << 20

    /// Files from this size on are streamed into the store row by row (`Ingest.stream` +
    /// `TrialStore.streamImport`) instead of being held in memory as a whole `ImportResult`.
    public static let streamingFile = 4 << 20

    /// How the step imports.
    public struct Options: Sendable {
        /// The sources to import (their ids); nil imports every extract of the design.
        public var sources: [String]?
        /// Replace a stored import whose file changed (a corrected extract).
        public var replace: Bool
        /// Files of this many bytes or more are streamed into the store (0: every file).
        public var streamFrom: Int
        /// Read and prepare rows on a second thread (the default); false uses the calling thread only.
        public var pipelined: Bool
        /// SHA-256 of files already fingerprinted in this run (path → hex), so they are not read again.
        public var fingerprints: [String: String]
        /// The largest share of a file's rows that may name no family of the trial (`unknown_participant`)
        /// before the import is refused: above it the key, the extract or the link column is likely wrong.
        public var maxUnknownShare: Double = 0.5

        public init(sources: [String]? = nil, replace: Bool = false, streamFrom: Int = ImportStep.streamingFile,
                    pipelined: Bool = true, fingerprints: [String: String] = [:]) {
            self.sources = sources
            self.replace = replace
            self.streamFrom = streamFrom
            self.pipelined = pipelined
            self.fingerprints = fingerprints
        }
    }

    public static func run(_ file: DesignFile, store: TrialStore, options: Options = Options(),
                           progress: (String) -> Void) throws -> [ImportOutcome] {
        let replace = options.replace
        let selected = try select(file, options.sources)
        // Linked on study ids and registry keys only: the cohort columns are not read.
        let units = try store.assignedUnits(cohortAttributes: false)
        if units.isEmpty { throw WorkflowError.nothingToLink(store: store.path, howToAssign: file.howToAssign(storePath: store.path)) }
        let key = try TrialStoreAccess.linkingKey(
            try selected.contains { $0.identifierType == .insz } ? file.pseudonymizerForSources() : nil, store)

        // Check every source before writing anything: a refusal leaves the store untouched.
        struct Plan { var source: Source; var path: String; var known: Set<String>; var fingerprint: String; var unchanged: StoredImport? }
        var plans: [Plan] = []
        for source in selected {
            let path = file.path(of: source)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw WorkflowError.unreadableSource(path: path, source: source.id, design: file.path)
            }
            try SourceProbe.check(path: path, display: path, source: source)
            let known = Ingest.participants(units, for: source)
            let fingerprint = try options.fingerprints[path] ?? Fingerprint.sha256(file: path)
            let unchanged = try store.checkImport(
                source: source.id, file: source.file, fingerprint: fingerprint,
                keyFingerprint: source.identifierType == .insz ? key?.keyFingerprint : nil,
                participantsFingerprint: TrialStore.participantsFingerprint(known), replace: replace)
            plans.append(Plan(source: source, path: path, known: known, fingerprint: fingerprint, unchanged: unchanged))
        }

        var outcomes: [ImportOutcome] = []
        for plan in plans {
            let source = plan.source
            if let stored = plan.unchanged {
                outcomes.append(ImportOutcome(source: source.id, file: source.file, status: .unchanged, stored: stored, replaced: nil,
                                              result: nil, report: unchangedReport(stored)))
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: plan.path)[.size] as? Int) ?? 0
            let large = size >= largeFile
            let streaming = size >= options.streamFrom
            if large {
                progress("\(source.id): reading \(source.file) (\(String(format: "%.1f", Double(size) / 1_048_576)) MiB)"
                    + (streaming ? ", streaming it into the store…" : "…"))
            }
            var result: ImportResult?
            let saved: ImportSaveOutcome
            var digest: Digest?
            do {
                if streaming {
                    (saved, digest) = try streamed(plan.source, path: plan.path, known: plan.known, fingerprint: plan.fingerprint,
                                                   key: key, store: store, replace: replace, pipelined: options.pipelined,
                                                   maxUnknownShare: options.maxUnknownShare,
                                                   progress: { if large { progress("\(source.id): \($0) rows written") } })
                } else {
                    let r = try Ingest.importSource(source, design: file.design, path: plan.path, pseudonymizer: key,
                                                    knownParticipants: plan.known, pipelined: options.pipelined)
                    guard r.fingerprint == plan.fingerprint else {
                        throw WorkflowError.fileChangedWhileImported(path: plan.path, source: source.id)
                    }
                    result = r
                    digest = Digest(r)
                    try refuseMostlyUnknown(digest!, source: source, limit: options.maxUnknownShare, key: key)
                    if large { progress("\(source.id): \(r.rowsRead) rows read; writing them to the store…") }
                    let batch = self.batch(r, source: source, participants: plan.known)
                    let total = batch.registryRecords.count + batch.surveyResponses.count + batch.quarantine.count
                    saved = try store.saveImport(batch, replace: replace) { written in
                        if large && written < total { progress("\(source.id): \(written) of \(total) rows written") }
                    }
                }
            } catch let error as ImportError {
                throw WorkflowError.importFailed(reason: error.description, source: source.id, design: file.path)
            }
            switch saved {
            case let .unchanged(stored):
                // Another process imported the same file in the meantime.
                outcomes.append(ImportOutcome(source: source.id, file: source.file, status: .unchanged, stored: stored, replaced: nil,
                                              result: result, report: unchangedReport(stored)))
            case let .saved(stored, replaced):
                outcomes.append(ImportOutcome(source: source.id, file: source.file, status: replaced == nil ? .imported : .replaced,
                                              stored: stored, replaced: replaced, result: result,
                                              report: report(digest!, stored: stored, replaced: replaced, units: units, source: source,
                                                             storePath: store.path, key: key,
                                                             span: readSpan(file.design, source: source.id, units: units))))
            }
        }
        return outcomes
    }

    /// Refuses an import in which more than `limit` of the rows name no family of the trial.
    static func refuseMostlyUnknown(_ d: Digest, source: Source, limit: Double, key: Pseudonymizer?) throws {
        let unknown = d.byReason[.unknownParticipant] ?? 0
        guard d.rowsRead > 0, Double(unknown) > limit * Double(d.rowsRead) else { return }
        throw WorkflowError.mostlyUnknown(source: source.id, unknown: unknown, rows: d.rowsRead, limit: limit,
                                          byKey: source.identifierType == .insz && key != nil)
    }

    /// Streams one file into the store inside the import's transaction. The importer's closures cannot
    /// throw: the first store error is kept, later rows are skipped, and it is thrown when the file has
    /// been read (rolling the import back).
    static func streamed(_ source: Source, path: String, known: Set<String>, fingerprint: String, key: Pseudonymizer?,
                         store: TrialStore, replace: Bool, pipelined: Bool, maxUnknownShare: Double,
                         progress: (Int) -> Void) throws -> (ImportSaveOutcome, Digest?) {
        let header = ImportHeader(source: source.id, file: source.file, fingerprint: fingerprint,
                                  keyFingerprint: source.identifierType == .insz ? key?.keyFingerprint : nil,
                                  participantsFingerprint: TrialStore.participantsFingerprint(known))
        var digest: Digest?
        let saved = try store.streamImport(header, replace: replace, progress: progress) { writer in
            var failure: Error?
            var byReason: [RejectionReason: Int] = [:]
            var first: [Rejection] = []
            var kept = 0
            var dates: ClosedRange<CalendarDate>?
            let tally = try Ingest.stream(
                path: path, source: source, pseudonymizer: key, knownParticipants: known, pipelined: pipelined,
                registry: { r in
                    guard failure == nil else { return }
                    widen(&dates, r)
                    do { try writer.add(r); kept += 1 } catch { failure = error }
                },
                survey: { r in
                    guard failure == nil else { return }
                    do { try writer.add(r); kept += 1 } catch { failure = error }
                },
                rejection: { r in
                    var r = r
                    r.file = source.file
                    byReason[r.reason, default: 0] += 1
                    if first.count < 10 { first.append(r) }
                    guard failure == nil else { return }
                    do {
                        try writer.add(QuarantinedRow(line: r.line, column: r.column, reason: r.reason.rawValue, message: r.message,
                                                      excerpt: r.excerpt))
                    } catch { failure = error }
                })
            if let failure { throw failure }
            guard tally.fingerprint == fingerprint else { throw WorkflowError.fileChangedWhileImported(path: path, source: source.id) }
            // Ingest.stream always sets the merge report when the stream ends.
            guard let merge = tally.merge else { throw WorkflowError.noMergeReport(path: path) }
            for a in tally.setAside { try writer.add(a) }
            digest = Digest(rowsRead: tally.rowsRead, accepted: tally.accepted, rejected: tally.rejected, corrections: tally.corrections,
                            voided: tally.voided, stored: kept, byReason: byReason, first: first, merge: merge,
                            fingerprint: tally.fingerprint, keyFingerprint: header.keyFingerprint,
                            declaredMissing: tally.declaredMissing, recordDates: dates)
            try refuseMostlyUnknown(digest!, source: source, limit: maxUnknownShare, key: key)
            return ImportTotals(rowsRead: tally.rowsRead, rowsAccepted: tally.accepted, rowsRejected: tally.rejected,
                                superseded: tally.corrections, voided: tally.voided, mergeReport: json(merge))
        }
        return (saved, digest)
    }

    /// What the report needs from an import, whether held or streamed.
    struct Digest {
        var rowsRead, accepted, rejected, corrections, voided, stored: Int
        var byReason: [RejectionReason: Int]
        /// The first rejections, in file order.
        var first: [Rejection]
        var merge: MergeReport
        var fingerprint: String
        var keyFingerprint: String?
        /// SPSS and Stata files: values the file declares missing, read as missing.
        var declaredMissing: [DeclaredMissing] = []
        /// The earliest and latest date of the records kept (registry sources).
        var recordDates: ClosedRange<CalendarDate>?
    }

    /// Widens `range` to hold a record's dates.
    static func widen(_ range: inout ClosedRange<CalendarDate>?, _ r: RegistryRecord) {
        let last = max(r.start, r.end ?? r.start)
        range = range.map { min($0.lowerBound, r.start)...max($0.upperBound, last) } ?? (r.start...last)
    }

    /// The days the design reads from a source: from the first family's assignment plus the earliest
    /// window month (a month's margin) to the last family's plus the latest. Nil when no outcome or
    /// covariate reads the source, or no family is assigned.
    static func readSpan(_ design: Design, source: String, units: [AssignedUnit]) -> ClosedRange<CalendarDate>? {
        let outcomeMonths: [MonthWindow] = design.outcomes.filter { $0.source == source }.flatMap { $0.windows.values.map(\.months) }
        let covariateMonths: [MonthWindow] = design.covariates.filter { $0.source == source }.compactMap(\.window)
        let months = outcomeMonths + covariateMonths
        guard let first = units.map(\.assignedOn).min(), let last = units.map(\.assignedOn).max(),
              let from = months.map(\.fromMonth).min(), let to = months.map(\.toMonth).max() else { return nil }
        return first.adding(months: from - 1)...last.adding(months: to + 1)
    }

    static func json(_ merge: MergeReport) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(merge)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The sources to import: every extract of the design, or the ones named.
    static func select(_ file: DesignFile, _ ids: [String]?) throws -> [Source] {
        let importable = file.design.sources.filter(\.kind.isExtract)
        guard let ids, !ids.isEmpty else {
            if importable.isEmpty { throw WorkflowError.noImportableSources(design: file.path) }
            return importable
        }
        return try ids.map { id in
            if let s = importable.first(where: { $0.id == id }) { return s }
            if let s = file.design.sources.first(where: { $0.id == id }) {
                throw WorkflowError.notImportable(design: file.path, source: id, kind: s.kind, importable: importable.map(\.id))
            }
            throw WorkflowError.unknownSource(design: file.path, source: id, importable: importable.map(\.id))
        }
    }

    /// The store's plain values from an import result.
    static func batch(_ r: ImportResult, source: Source, participants: Set<String>) -> ImportBatch {
        let merge = json(r.merge)
        return ImportBatch(source: source.id, file: source.file, fingerprint: r.fingerprint, keyFingerprint: r.keyFingerprint,
                           participantsFingerprint: TrialStore.participantsFingerprint(participants), rowsRead: r.rowsRead,
                           rowsAccepted: r.accepted, rowsRejected: r.rejected, superseded: r.corrections, voided: r.voided,
                           registryRecords: r.registryRecords, surveyResponses: r.surveyResponses,
                           quarantine: r.rejections.map {
                               QuarantinedRow(line: $0.line, column: $0.column, reason: $0.reason.rawValue, message: $0.message,
                                              excerpt: $0.excerpt)
                           }, setAside: r.setAside, mergeReport: merge)
    }

    static func unchangedReport(_ s: StoredImport) -> [String] {
        ["\(s.source): \(s.file) unchanged: already imported as import \(s.id) on \(s.importedAt) (sha256 \(s.fingerprint.prefix(12))…); nothing to do",
         "  \(s.rowsRead) rows read = \(s.rowsAccepted) accepted + \(s.rowsRejected) rejected"]
    }

    static func report(_ r: Digest, stored: StoredImport, replaced: StoredImport?, units: [AssignedUnit], source: Source,
                       storePath: String, key: Pseudonymizer?, span: ClosedRange<CalendarDate>?) -> [String] {
        let maxRejections = 10
        var lines: [String] = []
        lines.append("\(source.id): \(source.file) imported as import \(stored.id) (sha256 \(r.fingerprint.prefix(12))…"
            + (r.keyFingerprint.map { ", pseudonymisation key \($0)" } ?? "") + ")")
        if let replaced {
            lines.append("  replaces import \(replaced.id) (\(replaced.file), sha256 \(replaced.fingerprint.prefix(12))…, imported "
                + "\(replaced.importedAt)); its rows are kept but no longer read")
        }
        lines.append("  \(r.rowsRead) rows read = \(r.accepted) accepted + \(r.rejected) rejected; "
            + "\(r.corrections) superseded correction\(r.corrections == 1 ? "" : "s"); "
            + (r.voided > 0 ? "\(r.voided) voided by status; " : "")
            + "\(r.stored) \(source.kind == .survey ? "responses" : "records") stored")
        if let missing = DeclaredMissing.summary(r.declaredMissing) { lines.append("  " + missing) }
        if r.rowsRead == 0 {
            lines.append("  warning: \(source.file) has a header and no rows; check that the extract is complete (an empty "
                + "extract imports nothing, and every family's outcome from it will be 0 or missing)")
        }
        if let dates = r.recordDates, let span, !dates.overlaps(span) {
            lines.append("  warning: every record of \(source.file) is dated \(dates.lowerBound) to \(dates.upperBound), outside the days "
                + "the design reads from \(source.id) (\(span.lowerBound) to \(span.upperBound), from the families' assignment dates "
                + "and the windows); check that this is the extract of the right period and region")
        }
        let counts = r.byReason.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
        if !counts.isEmpty {
            lines.append("  rejected by reason: " + counts.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
            for rejection in r.first.prefix(maxRejections) { lines.append("    " + rejection.formatted) }
            if r.rejected > maxRejections { lines.append("    … and \(r.rejected - maxRejections) more") }
        }
        // The merge report, with study codes rather than pseudonyms where the trial knows them.
        let codes = Dictionary(units.map { (Ingest.linksOnStudyID(source) ? $0.id : $0.registryKey, $0.id) }, uniquingKeysWith: { a, _ in a })
        let without = r.merge.participantsWithoutRecords.map { codes[$0] ?? $0 }.sorted()
        let shown = without.prefix(8).joined(separator: ", ") + (without.count > 8 ? ", …" : "")
        lines.append("  merge: \(r.merge.participantsWithRecords) of \(units.count) families with \(source.kind == .survey ? "a response" : "records"); "
            + "\(without.count) with none" + (without.isEmpty ? "" : " (\(shown))"))
        lines.append("  merge: \(r.merge.rowsWithoutParticipant) row\(r.merge.rowsWithoutParticipant == 1 ? "" : "s") of "
            + "\(r.merge.recordsWithoutParticipant.count) \(r.merge.recordsWithoutParticipant.count == 1 ? "person" : "people") "
            + "not in the trial (rejected as unknown_participant)")
        if r.merge.participantsWithRecords == 0 && r.merge.rowsWithoutParticipant > 0 {
            lines.append("  warning: no row links to a family of the trial. "
                + (source.identifierType == .insz
                    ? "Was this file pseudonymised with the key used at assignment (key \(key?.keyFingerprint ?? "?") now)?"
                    : "Does the identifier column `\(source.identifierColumn)` hold the trial's study codes?"))
        }
        if r.rejected > 0 {
            lines.append("  quarantine: \(r.rejected) row\(r.rejected == 1 ? "" : "s") in \(storePath) (table quarantine, import \(stored.id)); "
                + "list them with `rct import DESIGN --store \(storePath) --quarantine \(source.id)`")
        }
        return lines
    }
}

extension ImportStep.Digest {
    init(_ r: ImportResult) {
        self.init(rowsRead: r.rowsRead, accepted: r.accepted, rejected: r.rejected, corrections: r.corrections, voided: r.voided,
                  stored: r.registryRecords.count + r.surveyResponses.count, byReason: r.rejectionCounts,
                  first: Array(r.rejections.prefix(10)), merge: r.merge, fingerprint: r.fingerprint, keyFingerprint: r.keyFingerprint,
                  declaredMissing: r.declaredMissing)
        for record in r.registryRecords { ImportStep.widen(&recordDates, record) }
    }
}
