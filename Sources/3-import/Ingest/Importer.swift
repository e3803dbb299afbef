import Crypto
import Foundation
import Basics
import TrialData
import Tabular
import TrialDesign

/// A problem that stops a whole file from being imported (a bad row is a `Rejection` instead).
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case notImportable(source: String, kind: SourceKind)
    case noPseudonymizer(source: String)
    case unreadable(file: String, reason: String)
    case emptyFile(file: String)
    case missingColumn(file: String, source: String, field: String, column: String, available: [String])
    case noWave(source: String)

    public var description: String {
        switch self {
        case let .notImportable(source, kind):
            return "source \(source): kind \(kind.rawValue) is read by the assignment or run step, not imported as an extract"
        case let .noPseudonymizer(source):
            return "source \(source) links on real national numbers, so it needs the pseudonymisation key (pseudonymisation: key_env or key_file in the design)"
        case let .unreadable(file, reason):
            return "\(file): \(reason)"
        case let .emptyFile(file):
            return "\(file): the file is empty; a delimited file with header: true needs a header line"
        case let .missingColumn(file, source, field, column, available):
            let hint = available.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(file): source \(source) needs the field \"\(field)\" in column \"\(column)\", which the file does not have; "
                + "the columns are: \(hint). Map it in the design with columns: { \(field): <column> }"
        case let .noWave(source):
            return "survey source \(source) has no wave; add wave: <wave id>"
        }
    }
}

/// Counts of a streamed import (see `Ingest.stream`).
public struct ImportTally: Sendable, Equatable {
    public var rowsRead = 0
    public var accepted = 0
    public var rejected = 0
    public var corrections = 0
    /// SHA-256 of the file's bytes (hex), set when the stream ends.
    public var fingerprint = ""
    /// The merge report, set when the stream ends.
    public var merge: MergeReport? = nil
}

/// Import of registry and survey extracts declared as sources in a design.
///
/// The dialect is read from the design, never guessed (`rct inspect` suggests one). Every row is either
/// accepted (mapped to canonical fields, its national number validated and replaced at once by the
/// keyed pseudonym) or rejected with a reason, line, column and a non-identifying excerpt.
public enum Ingest {
    /// Imports one source of a design. The file path is relative to `designDirectory` (the design file's
    /// folder). `knownParticipants`, when given, are the ids records must link to (pseudonyms of the link
    /// column for registry sources, study ids for surveys); other rows are rejected as
    /// `unknown_participant` and the merge report lists both directions.
    public static func importSource(_ source: Source, design: Design, designDirectory: String = ".",
                                    pseudonymizer: Pseudonymizer?, knownParticipants: Set<String>? = nil) throws -> ImportResult {
        if source.kind == .survey, let w = source.wave, !design.waves.contains(where: { $0.id == w }) {
            throw ImportError.noWave(source: source.id)
        }
        let path = source.file.hasPrefix("/") ? source.file : (designDirectory as NSString).appendingPathComponent(source.file)
        return try importFile(path: path, displayName: source.file, source: source, pseudonymizer: pseudonymizer,
                              knownParticipants: knownParticipants)
    }

    /// Imports a file as the given source (the path is used as is).
    public static func importFile(path: String, displayName: String? = nil, source: Source, pseudonymizer: Pseudonymizer?,
                                  knownParticipants: Set<String>? = nil) throws -> ImportResult {
        var registry: [RegistryRecord] = []
        var survey: [SurveyResponse] = []
        let importer = try SourceImporter(path: path, display: displayName ?? path, source: source,
                                          pseudonymizer: pseudonymizer, known: knownParticipants)
        try importer.run(registry: { registry.append($0) }, survey: { survey.append($0) })
        return importer.result(registry: registry, survey: survey)
    }

    /// Streams a file: accepted values go to the closures as they are read, so memory stays bounded
    /// (apart from duplicate detection, 30–40 bytes per accepted row in a hash table of 64-bit row
    /// hashes, and the pseudonym cache, one entry per distinct person). With `detectDuplicates: false`
    /// memory is flat in the number of rows; use it only when duplicates are caught downstream (e.g. by a
    /// unique index of the trial store). `ocmw_aid` decisions are held until the end, to apply
    /// corrections. Rejections go to `rejection`.
    public static func stream(path: String, source: Source, pseudonymizer: Pseudonymizer?,
                              knownParticipants: Set<String>? = nil, detectDuplicates: Bool = true,
                              registry: (RegistryRecord) -> Void, survey: (SurveyResponse) -> Void = { _ in },
                              rejection: @escaping (Rejection) -> Void = { _ in }) throws -> ImportTally {
        let importer = try SourceImporter(path: path, display: path, source: source, pseudonymizer: pseudonymizer,
                                          known: knownParticipants, keepRejections: false)
        importer.onRejection = rejection
        importer.detectDuplicates = detectDuplicates
        try importer.run(registry: registry, survey: survey)
        var tally = importer.tally
        tally.fingerprint = importer.hash.finalize()
        tally.merge = importer.mergeReport
        return tally
    }
}

/// A row that cannot be taken, thrown inside `SourceImporter.parse`.
struct RowFailure: Error {
    var reason: RejectionReason
    var column: String?
    var message: String
}

/// The SHA-256 of a file, computed on a serial queue of its own while the file is parsed (the chunks
/// arrive in order), so hashing runs on the second core.
final class HashBox: @unchecked Sendable {
    private var hasher = SHA256()
    private let queue = DispatchQueue(label: "rct.ingest.file-hash")

    func update(_ data: Data) { queue.async { self.hasher.update(data: data) } }

    /// The hex digest, once every chunk handed over is hashed.
    func finalize() -> String {
        queue.sync { Fingerprint.hex(hasher.finalize()) }
    }
}

/// Imports one file: opens the reader for the dialect, resolves the columns, and processes the rows.
final class SourceImporter {
    let source: Source
    let display: String
    let pseudonymizer: Pseudonymizer?
    let known: Set<String>?
    let reader: RecordSource
    let hash = HashBox()
    var names: [String] = []
    var pendingFirst: TextRow?
    /// The column of each canonical field the file has, searched by name (a few entries: faster than
    /// hashing the name for every cell).
    var slots: [(field: String, index: Int)] = []
    var identifierIndex = 0
    var answerItems: [(item: String, index: Int)] = []
    var layoutEnd = 0
    var layoutLastStart = 0
    let keepRejections: Bool
    var onRejection: ((Rejection) -> Void)?
    var detectDuplicates = true

    /// The dialect's decimal mark and thousands separator as bytes.
    let decimalMark: UInt8
    let groupMark: UInt8?

    var tally = ImportTally()
    var rejections: [Rejection] = []
    var seenRows = RowHashTable()
    /// Participants by number: the link value (pseudonym or code) of each distinct participant met, in
    /// order. `readerNames` is the preparing side's (the reading thread's), `committerNames` the caller's
    /// copy, extended batch by batch (`Batch.newNames`): a row carries its participant's number, so the
    /// two threads never share a string's reference count row by row.
    var readerNames: [String] = []
    var committerNames: [String] = []
    /// Participant numbers by trimmed raw identifier, and by link value (two spellings of one national
    /// number are one participant). Used by the preparing side only.
    var participantIDs: [String: Int32] = [:]
    var idOfName: [String: Int32] = [:]
    /// The participant of the previous accepted row (extracts come sorted by person: most rows repeat
    /// it, and need no set lookup).
    var lastAccepted: String?
    /// The file's size in bytes, if known (to size the duplicate table).
    var fileSize: Int?
    /// The context of rows prepared on the calling thread (`process`).
    var serialContext = PrepareContext()
    /// Rows per batch of the pipeline (`runPipelined`).
    static let batchSize = 2048
    var participantsSeen: Set<String> = []
    var unknownSeen: Set<String> = []
    var unknownRows = 0
    /// ocmw_aid: decisions held for corrections, by key participant|kind|start.
    var decisions: [RegistryRecord] = []
    var decisionIndex: [String: Int] = [:]

    init(path: String, display: String, source: Source, pseudonymizer: Pseudonymizer?, known: Set<String>?,
         keepRejections: Bool = true) throws {
        self.source = source
        decimalMark = source.dialect.decimal.first?.asciiValue ?? 0x2E
        groupMark = source.dialect.thousands?.first?.asciiValue
        self.display = display
        fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        self.pseudonymizer = pseudonymizer
        self.known = known
        self.keepRejections = keepRejections
        if source.kind == .cohort || source.kind == .assignment || source.kind == .takeUp {
            throw ImportError.notImportable(source: source.id, kind: source.kind)
        }
        if source.identifierType == .insz && pseudonymizer == nil { throw ImportError.noPseudonymizer(source: source.id) }
        let d = source.dialect
        let encoding = d.characterEncoding
        let box = hash
        let observer: (Data) -> Void = { box.update($0) }
        do {
            switch d.format {
            case .delimited:
                reader = try d.delimitedReader(path: path, observer: observer)
                if d.header {
                    guard let first = try reader.next() else { throw ImportError.emptyFile(file: display) }
                    names = first.fields.map { $0.trimmingSpaces }
                } else {
                    var first = TextRow()
                    if try reader.nextRow(&first) { pendingFirst = first }
                    names = (0..<(pendingFirst?.count ?? 0)).map { "V\($0 + 1)" }
                }
            case .fixedWidth:
                reader = try FixedWidthRecordReader(path: path, layout: d.fields.map { ($0.start, $0.length) },
                                                    encoding: encoding, observer: observer)
                names = d.fields.map(\.name)
                layoutEnd = d.fields.map { $0.start + $0.length - 1 }.max() ?? 0
                layoutLastStart = d.fields.map(\.start).max() ?? 0
                if d.header { _ = try reader.next() }
            }
        } catch let e as RecordReadError {
            throw ImportError.unreadable(file: display, reason: e.description)
        }
        try resolveColumns()
    }

    private func column(for field: String) -> String { source.columns[field] ?? field }

    private func resolveColumns() throws {
        func missing(_ field: String, _ column: String) -> ImportError {
            .missingColumn(file: display, source: source.id, field: field, column: column, available: names)
        }
        guard let id = names.firstIndex(of: source.identifierColumn) else {
            throw missing("identifier", source.identifierColumn)
        }
        identifierIndex = id
        for f in Vocabulary.fields(of: source.kind) {
            let c = column(for: f.name)
            if let i = names.firstIndex(of: c) { slots.append((f.name, i)) }
            else if f.required || source.columns[f.name] != nil { throw missing(f.name, c) }
        }
        if source.kind == .survey {
            let declared = source.columns.filter { $0.key != "interview_date" }
            if declared.isEmpty {
                let used = Set(slots.map(\.index)).union([identifierIndex])
                answerItems = names.enumerated().filter { !used.contains($0.offset) }.map { ($0.element, $0.offset) }
            } else {
                answerItems = try declared.sorted { $0.key < $1.key }.map { item, col in
                    guard let i = names.firstIndex(of: col) else { throw missing(item, col) }
                    return (item, i)
                }
            }
        }
    }

    func run(registry: (RegistryRecord) -> Void, survey: (SurveyResponse) -> Void) throws {
        do {
            if let first = pendingFirst { process(first, registry, survey) }
            if ProcessInfo.processInfo.environment["RCT_IMPORT_SERIAL"] != nil {
                var row = TextRow()
                while try reader.nextRow(&row) { process(row, registry, survey) }
            } else {
                try runPipelined(registry, survey)
            }
        } catch let e as RecordReadError {
            throw ImportError.unreadable(file: display, reason: e.description)
        }
        for d in decisions { registry(d) }
        decisions.removeAll()
    }

    func result(registry: [RegistryRecord], survey: [SurveyResponse]) -> ImportResult {
        let fingerprint = hash.finalize()
        let merge = mergeReport
        return ImportResult(source: source.id, file: display, fingerprint: fingerprint,
                            keyFingerprint: source.identifierType == .insz ? pseudonymizer?.keyFingerprint : nil,
                            registryRecords: registry.sorted { $0.line < $1.line }, surveyResponses: survey,
                            rejections: rejections, rowsRead: tally.rowsRead, accepted: tally.accepted,
                            rejected: tally.rejected, corrections: tally.corrections, merge: merge)
    }

    var mergeReport: MergeReport {
        MergeReport(
            participantsWithoutRecords: known.map { $0.subtracting(participantsSeen).sorted() } ?? [],
            recordsWithoutParticipant: unknownSeen.sorted(),
            rowsWithoutParticipant: unknownRows,
            participantsWithRecords: participantsSeen.count,
            checked: known != nil)
    }

    // MARK: - One row

    private func reject(line: Int, fields: () -> [String], _ f: RowFailure) {
        tally.rejected += 1
        let rejection = Rejection(file: display, line: line, column: f.column, reason: f.reason, message: f.message,
                                  excerpt: Excerpt.make(names: names, fields: fields(), skipping: identifierIndex))
        if keepRejections { rejections.append(rejection) }
        onRejection?(rejection)
    }

    /// A row after the work that needs no state shared across rows (`prepare`, run on the reading thread).
    enum Prepared {
        case accepted(Parsed, participant: Int32, hash: UInt64)
        case failed(RowFailure)

    }

    /// What `prepare` carries from one row to the next of a batch: the previous row's identifier bytes and
    /// participant (extracts come sorted by person, so most rows repeat the identifier of the row before)
    /// and the raw codes already mapped (field, raw, canonical; a few values repeat).
    struct PrepareContext {
        var lastIdentifier: [UInt8] = []
        var lastParticipant: Int32?
        var codeMemo: [(field: String, raw: String, mapped: String)] = []
        /// The participant whose hash starts the row hashes (`rowHash`), and that hash.
        var hashedParticipant: Int32?
        var participantHash: UInt64 = 0
    }

    private func process(_ r: TextRow, _ registry: (RegistryRecord) -> Void, _ survey: (SurveyResponse) -> Void) {
        let prepared = prepare(r, &serialContext)
        if committerNames.count < readerNames.count { committerNames.append(contentsOf: readerNames[committerNames.count...]) }
        commit(line: r.line, prepared, { r.strings }, registry, survey)
    }

    /// Shape, identifier, fields and the row's hash: the part of a row's import that needs no state of
    /// the committing side (only the participant tables of the preparing side), so it runs on the
    /// reading thread.
    func prepare(_ r: borrowing TextRow, _ context: inout PrepareContext) -> Prepared {
        do {
            try checkShape(r)
            let participant = try identify(r, &context)
            let parsed = try parse(r, participant: participant, &context)
            return .accepted(parsed, participant: participant, hash: detectDuplicates ? rowHash(r, participant: participant, &context) : 0)
        } catch let f as RowFailure {
            return .failed(f)
        } catch {
            return .failed(RowFailure(reason: .missingField, column: nil, message: "\(error)"))
        }
    }

    /// The rest, in file order: link check, duplicates, counts, and handing the value on.
    func commit(line: Int, _ prepared: consuming Prepared, _ fields: () -> [String], _ registry: (RegistryRecord) -> Void,
                _ survey: (SurveyResponse) -> Void) {
        tally.rowsRead += 1
        do {
            let parsed: Parsed, participant: String, key: UInt64
            switch consume prepared {
            case let .failed(f): throw f
            case let .accepted(p, id, hash): (parsed, participant, key) = (p, committerNames[Int(id)], hash)
            }
            let repeated = participant == lastAccepted
            if !repeated, let known, !known.contains(participant) {
                unknownRows += 1
                unknownSeen.insert(participant)
                throw RowFailure(reason: .unknownParticipant, column: source.identifierColumn,
                                 message: "the \(source.identifierType == .insz ? "national number" : "identifier") links to no participant of the trial (its pseudonym is \(participant))")
            }
            if detectDuplicates, let earlier = seenRows.insert(key, line: line) {
                throw RowFailure(reason: .duplicateRow, column: nil,
                                 message: "the row repeats line \(earlier) exactly; it is counted once")
            }
            tally.accepted += 1
            if !repeated {
                participantsSeen.insert(participant)
                lastAccepted = participant
            }
            switch consume parsed {
            case let .registry(pending):
                let rec = pending.record(source: source.id, participant: participant, line: line)
                if source.kind == .ocmwAid { hold(rec) } else { registry(rec) }
            case let .survey(resp):
                survey(resp)
            }
        } catch let f as RowFailure {
            reject(line: line, fields: fields, f)
        } catch {
            reject(line: line, fields: fields, RowFailure(reason: .missingField, column: nil, message: "\(error)"))
        }
    }

    private func checkShape(_ r: TextRow) throws {
        switch source.dialect.format {
        case .delimited:
            if r.count != names.count {
                throw RowFailure(reason: .wrongFieldCount, column: nil,
                                 message: "\(r.count) fields where the header has \(names.count); check the separator (\(source.dialect.separator == "\t" ? "tab" : source.dialect.separator)) and the quotes")
            }
        case .fixedWidth:
            if let w = r.width, w > layoutEnd {
                throw RowFailure(reason: .wrongFieldCount, column: nil,
                                 message: "the line has \(w) characters but the layout ends at character \(layoutEnd); check the fields' start and length")
            }
            if let w = r.width, w < layoutLastStart {
                throw RowFailure(reason: .wrongFieldCount, column: nil,
                                 message: "the line has \(w) characters but the layout's last field starts at character \(layoutLastStart); the line is cut short")
            }
        }
        if !r.nonASCIIFields.isEmpty || r.width != nil, let bad = r.badlyEncodedFields().first {
            throw RowFailure(reason: .invalidEncoding, column: bad < names.count ? names[bad] : nil,
                             message: "the bytes are not valid \(source.dialect.encoding.rawValue); if the file comes from Windows, declare encoding: windows-1252")
        }
    }

    private func identify(_ r: TextRow, _ context: inout PrepareContext) throws -> Int32 {
        if let p = context.lastParticipant,
           r.withField(identifierIndex, { $0.count == context.lastIdentifier.count && $0.elementsEqual(context.lastIdentifier) }) {
            return p
        }
        context.lastParticipant = nil
        let p = try identifyAnew(r)
        context.lastIdentifier.removeAll(keepingCapacity: true)
        r.withField(identifierIndex) { context.lastIdentifier.append(contentsOf: $0) }
        context.lastParticipant = p
        return p
    }

    /// The participant's number in `readerNames` (added there when new).
    private func identifyAnew(_ r: TextRow) throws -> Int32 {
        let raw = r.string(identifierIndex)
        if let id = participantIDs[raw] { return id }
        let name = try participantName(raw)
        let id: Int32
        if let known = idOfName[name] {
            id = known
        } else {
            id = Int32(readerNames.count)
            readerNames.append(name)
            idOfName[name] = id
        }
        participantIDs[raw] = id
        return id
    }

    private func participantName(_ raw: String) throws -> String {
        guard !raw.isEmpty else {
            throw RowFailure(reason: .missingField, column: source.identifierColumn, message: "the identifier is empty")
        }
        switch source.identifierType {
        case .insz:
            do {
                return pseudonymizer!.pseudonym(for: try NationalNumber(raw))
            } catch let e as NationalNumber.ValidationError {
                throw RowFailure(reason: .invalidNationalNumber, column: source.identifierColumn,
                                 message: "the national number is not valid (\(e.description)); it is not shown. Ask the data provider to correct the row")
            }
        case .pseudonym, .code:
            return raw
        }
    }

    /// A 64-bit hash of the row's content: the participant and the other fields, trimmed, each with its
    /// length, read 8 bytes at a time and mixed by a 128-bit multiply (as in wyhash). Two different rows
    /// share a hash with probability about 2⁻⁶⁴ per pair.
    private func rowHash(_ r: TextRow, participant: Int32, _ context: inout PrepareContext) -> UInt64 {
        if context.hashedParticipant != participant {
            var copy = readerNames[Int(participant)]
            context.participantHash = copy.withUTF8 { RowHasher.hash(UnsafeRawBufferPointer($0), seed: 0x243F_6A88_85A3_08D3) }
            context.hashedParticipant = participant
        }
        var h = context.participantHash
        r.bytes.withUnsafeBytes { all in
            for i in 0..<r.count where i != identifierIndex {
                let t = r.trimmedRange(i)
                h = RowHasher.hash(UnsafeRawBufferPointer(rebasing: all[t]), seed: h)
            }
        }
        return h
    }

    /// ocmw_aid corrections: a later decision (by decision date, then line) with the same participant,
    /// kind and start date replaces the earlier one.
    private func hold(_ rec: RegistryRecord) {
        let key = "\(rec.participant)|\(rec.attributes["kind"] ?? "")|\(rec.start)"
        if let i = decisionIndex[key] {
            tally.corrections += 1
            let old = decisions[i]
            if (rec.attributes["decision_date"] ?? "") >= (old.attributes["decision_date"] ?? "") { decisions[i] = rec }
        } else {
            decisionIndex[key] = decisions.count
            decisions.append(rec)
        }
    }

    // MARK: - Cells

    enum Parsed {
        case registry(PendingRecord)
        case survey(SurveyResponse)
    }

    /// The names of the coded fields a registry record can carry, by number (`PendingRecord` keeps the
    /// number, one byte, instead of the name).
    enum AttributeName: UInt8 {
        case category, placement, kind, decisionDate, amountType, statementMonth, legislation, municipality, position, reason
        case amount, benefit

        var name: String {
            switch self {
            case .category: return "category"
            case .placement: return "placement"
            case .kind: return "kind"
            case .decisionDate: return "decision_date"
            case .amountType: return "amount_type"
            case .statementMonth: return "statement_month"
            case .legislation: return "legislation"
            case .municipality: return "municipality"
            case .position: return "position"
            case .reason: return "reason"
            case .amount: return "amount"
            case .benefit: return "benefit"
            }
        }
    }

    /// A registry record's values before the record is built. `prepare` (on the reading thread) fills
    /// it with plain values; `commit` (on the caller's thread) builds the `RegistryRecord`, so the record's
    /// memory is allocated on the thread that releases it (allocations moving between threads cost more
    /// than the building does). Up to five coded fields and one number, as the source kinds have; kept
    /// small (about 110 bytes), since every row's is copied into and out of its batch.
    struct PendingRecord {
        static let none: UInt8 = .max
        static let open = Int32.min
        var startDay: Int32
        var endDay: Int32
        var keys: (UInt8, UInt8, UInt8, UInt8, UInt8) = (none, none, none, none, none)
        var v0 = "", v1 = "", v2 = "", v3 = "", v4 = ""
        var numberKey: UInt8 = none
        var number = 0.0

        init(start: CalendarDate, end: CalendarDate?, _ a0: (AttributeName, String)? = nil, _ a1: (AttributeName, String)? = nil,
             _ a2: (AttributeName, String)? = nil, _ a3: (AttributeName, String)? = nil, _ a4: (AttributeName, String)? = nil,
             number: (AttributeName, Double)? = nil) {
            startDay = Int32(truncatingIfNeeded: start.dayNumber)
            endDay = end.map { Int32(truncatingIfNeeded: $0.dayNumber) } ?? Self.open
            if let (k, v) = a0 { keys.0 = k.rawValue; v0 = v }
            if let (k, v) = a1 { keys.1 = k.rawValue; v1 = v }
            if let (k, v) = a2 { keys.2 = k.rawValue; v2 = v }
            if let (k, v) = a3 { keys.3 = k.rawValue; v3 = v }
            if let (k, v) = a4 { keys.4 = k.rawValue; v4 = v }
            if let (k, v) = number { numberKey = k.rawValue; self.number = v }
        }

        func record(source: String, participant: String, line: Int) -> RegistryRecord {
            let n = (keys.0 == Self.none ? 0 : 1) + (keys.1 == Self.none ? 0 : 1) + (keys.2 == Self.none ? 0 : 1)
                + (keys.3 == Self.none ? 0 : 1) + (keys.4 == Self.none ? 0 : 1)
            var attributes = FieldMap<String>(capacity: n)
            func add(_ key: UInt8, _ value: String) {
                if key != Self.none, let name = AttributeName(rawValue: key) { attributes.appendUnique(name.name, value) }
            }
            add(keys.0, v0)
            add(keys.1, v1)
            add(keys.2, v2)
            add(keys.3, v3)
            add(keys.4, v4)
            var numbers = FieldMap<Double>(capacity: numberKey == Self.none ? 0 : 1)
            if numberKey != Self.none, let name = AttributeName(rawValue: numberKey) { numbers.appendUnique(name.name, number) }
            return RegistryRecord(source: source, participant: participant, line: line, startDay: Int(startDay),
                                  endDay: endDay == Self.open ? nil : Int(endDay), attributes: attributes, numbers: numbers)
        }
    }

    @inline(__always)
    private func slot(_ field: String) -> Int? {
        for s in slots where s.field == field { return s.index }
        return nil
    }

    /// The column of a field that must not be blank in this row.
    private func requiredIndex(_ r: TextRow, _ field: String) throws -> Int {
        guard let i = slot(field), !r.isBlank(i) else {
            throw RowFailure(reason: .missingField, column: column(for: field), message: "the required field \(field) is empty")
        }
        return i
    }

    /// The column of a field, nil when the file has no such column or the row leaves it blank.
    private func optionalIndex(_ r: TextRow, _ field: String) -> Int? {
        guard let i = slot(field), !r.isBlank(i) else { return nil }
        return i
    }

    // Cells parsed from their bytes; the text is decoded only to say what is wrong with it.

    private func date(_ r: TextRow, _ i: Int, _ field: String) throws -> CalendarDate {
        let format = source.dialect.dateFormat
        guard let d = r.withField(i, { CellParser.date(bytes: $0, format: format) }) else { return try date(r.string(i), field) }
        return try plausible(d, field)
    }

    private func month(_ r: TextRow, _ i: Int, _ field: String) throws -> CalendarDate {
        let format = source.dialect.dateFormat
        guard let d = r.withField(i, { CellParser.month(bytes: $0, format: format) }) else { return try month(r.string(i), field) }
        return try plausible(d, field)
    }

    private func amount(_ r: TextRow, _ i: Int, _ field: String, nonNegative: Bool) throws -> Double {
        guard let v = r.withField(i, { CellParser.decimal(bytes: $0, mark: decimalMark, group: groupMark) }),
              abs(v) <= Vocabulary.largestAmount, !nonNegative || v >= 0 else {
            return try amount(r.string(i), field, nonNegative: nonNegative)
        }
        return v
    }

    private func cell(_ r: TextRow, _ field: String) -> String? {
        guard let i = slot(field), !r.isBlank(i) else { return nil }
        return r.string(i)
    }

    private func required(_ r: TextRow, _ field: String) throws -> String {
        guard let v = cell(r, field) else {
            throw RowFailure(reason: .missingField, column: column(for: field), message: "the required field \(field) is empty")
        }
        return v
    }

    private func plausible(_ d: CalendarDate, _ field: String) throws -> CalendarDate {
        guard Vocabulary.plausibleYears.contains(d.year) else {
            throw RowFailure(reason: .outOfRange, column: column(for: field),
                             message: "\(field) \(d) lies outside the plausible years \(Vocabulary.plausibleYears.lowerBound)–\(Vocabulary.plausibleYears.upperBound)")
        }
        return d
    }

    private func date(_ text: String, _ field: String) throws -> CalendarDate {
        guard let d = CellParser.date(text, format: source.dialect.dateFormat) else {
            throw RowFailure(reason: .unparseableDate, column: column(for: field),
                             message: "\"\(text)\" is not a date in the form \(source.dialect.dateFormat.dayFormat.rawValue) (or the day does not exist)")
        }
        return try plausible(d, field)
    }

    private func month(_ text: String, _ field: String) throws -> CalendarDate {
        guard let d = CellParser.month(text, format: source.dialect.dateFormat) else {
            let form = source.dialect.dateFormat.monthFormat == .dmy ? "MM/YYYY" : source.dialect.dateFormat.monthFormat.rawValue
            throw RowFailure(reason: .unparseableDate, column: column(for: field),
                             message: "\"\(text)\" is not a month in the form \(form)")
        }
        return try plausible(d, field)
    }

    private func amount(_ text: String, _ field: String, nonNegative: Bool) throws -> Double {
        let d = source.dialect
        guard let v = CellParser.decimal(text, decimal: d.decimal.first ?? ".", thousands: d.thousands?.first) else {
            throw RowFailure(reason: .unparseableAmount, column: column(for: field),
                             message: "\"\(text)\" is not a number with decimal mark \"\(d.decimal)\"\(d.thousands.map { " and thousands separator \"\($0)\"" } ?? " (no thousands separator declared)")")
        }
        if abs(v) > Vocabulary.largestAmount {
            throw RowFailure(reason: .outOfRange, column: column(for: field), message: "\(field) \(v) is beyond ±1,000,000 euro")
        }
        if nonNegative && v < 0 {
            throw RowFailure(reason: .outOfRange, column: column(for: field),
                             message: "\(field) is negative (\(v)); this source holds no negative amounts (recoveries belong in the federal statements)")
        }
        return v
    }

    private func code(_ context: inout PrepareContext, _ text: String, _ field: String, vocabulary: Set<String>,
                      defaults: [String: String] = [:]) throws -> String {
        for m in context.codeMemo where m.raw == text && m.field == field { return m.mapped }
        let mapped = try mapCode(text, field, vocabulary: vocabulary, defaults: defaults)
        if context.codeMemo.count < 32 { context.codeMemo.append((field, text, mapped)) }
        return mapped
    }

    private func mapCode(_ text: String, _ field: String, vocabulary: Set<String>, defaults: [String: String]) throws -> String {
        let mapped = source.codes[field]?[text] ?? defaults[text] ?? text
        guard vocabulary.contains(mapped) else {
            let mapping = source.codes[field].map { " or a raw code mapped under codes: { \(field): … } (\($0.count) mapped)" } ?? "; map raw codes with codes: { \(field): { \"raw\": canonical } } in the design"
            throw RowFailure(reason: .unknownCode, column: column(for: field),
                             message: "\"\(text)\" is not a known \(field); allowed: \(vocabulary.sorted().joined(separator: ", "))\(mapping)")
        }
        return mapped
    }

    private func parse(_ r: TextRow, participant id: Int32, _ context: inout PrepareContext) throws -> Parsed {
        switch source.kind {
        case .ocmwLeefloon:
            let m = try month(r, try requiredIndex(r, "month"), "month")
            let a = try amount(r, try requiredIndex(r, "amount"), "amount", nonNegative: true)
            let c = try code(&context, try required(r, "category"), "category", vocabulary: Vocabulary.leefloonCategories)
            return .registry(PendingRecord(start: m, end: m.endOfMonth, (.category, c), number: (.amount, a)))
        case .ocmwAid:
            let k = try code(&context, try required(r, "kind"), "kind", vocabulary: Vocabulary.aidKinds)
            let decided = try date(r, try requiredIndex(r, "decision_date"), "decision_date")
            let start = try date(r, try requiredIndex(r, "start"), "start")
            let end = try optionalIndex(r, "end").map { try date(r, $0, "end") }
            if let end, end < start {
                throw RowFailure(reason: .outOfRange, column: column(for: "end"), message: "the decision ends (\(end)) before it starts (\(start))")
            }
            let a = try optionalIndex(r, "amount").map { try amount(r, $0, "amount", nonNegative: true) }
            return .registry(PendingRecord(start: start, end: end, (.kind, k), (.decisionDate, decided.description),
                                           number: a.map { (.amount, $0) }))
        case .federalStatements:
            let statement = try month(r, try requiredIndex(r, "statement_month"), "statement_month")
            let type = try code(&context, try required(r, "amount_type"), "amount_type", vocabulary: Vocabulary.amountTypes,
                                defaults: Vocabulary.defaultAmountTypeCodes)
            let start = try date(r, try requiredIndex(r, "period_start"), "period_start")
            let end = try date(r, try requiredIndex(r, "period_end"), "period_end")
            if end < start {
                throw RowFailure(reason: .outOfRange, column: column(for: "period_end"), message: "the payment period ends (\(end)) before it starts (\(start))")
            }
            let sign = try required(r, "sign")
            let cents = try required(r, "amount_cents")
            guard cents.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw RowFailure(reason: .unparseableAmount, column: column(for: "amount_cents"),
                                 message: "\"\(cents)\" is not an amount in euro cents (digits only, e.g. 00001460 for 14.60)")
            }
            guard let value = CellParser.cents(cents, sign: sign) else {
                throw RowFailure(reason: .unparseableAmount, column: column(for: "sign"), message: "the sign \"\(sign)\" is not + or -")
            }
            if abs(value) > Vocabulary.largestAmount {
                throw RowFailure(reason: .outOfRange, column: column(for: "amount_cents"), message: "amount \(value) is beyond ±1,000,000 euro")
            }
            let category = try code(&context, try required(r, "category"), "category", vocabulary: Vocabulary.leefloonCategories)
            return .registry(PendingRecord(start: start, end: end, (.amountType, type), (.category, category),
                                           (.statementMonth, String(statement.description.prefix(7))),
                                           cell(r, "legislation").map { (.legislation, $0) },
                                           cell(r, "municipality").map { (.municipality, $0) }, number: (.amount, value)))
        case .vdabStatus:
            let m = try month(r, try requiredIndex(r, "month"), "month")
            let c = try required(r, "category")
            let category = source.codes.isEmpty ? c : (source.codes["category"]?[c] ?? c)
            guard category.utf8.count == 2, category.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw RowFailure(reason: .unknownCode, column: column(for: "category"),
                                 message: "\"\(c)\" is not a VDAB category (two digits, e.g. 00, 02, 10, 80)")
            }
            let placement = try code(&context, cell(r, "placement") ?? "none", "placement", vocabulary: Vocabulary.placements)
            let benefit = try optionalIndex(r, "benefit").map { try amount(r, $0, "benefit", nonNegative: true) }
            return .registry(PendingRecord(start: m, end: m.endOfMonth, (.category, category), (.placement, placement),
                                           number: benefit.map { (.benefit, $0) }))
        case .kszPosition:
            let q = try required(r, "quarter")
            guard let start = CellParser.quarter(q) else {
                throw RowFailure(reason: .unparseableDate, column: column(for: "quarter"), message: "\"\(q)\" is not a quarter (YYYYQn, e.g. 2018Q3)")
            }
            _ = try plausible(start, "quarter")
            let position = try code(&context, try required(r, "position"), "position", vocabulary: Vocabulary.kszPositions)
            return .registry(PendingRecord(start: start, end: start.adding(months: 3).adding(days: -1), (.position, position)))
        case .scopeExit:
            let day = try date(r, try requiredIndex(r, "date"), "date")
            let reason = try code(&context, try required(r, "reason"), "reason", vocabulary: Vocabulary.exitReasons)
            return .registry(PendingRecord(start: day, end: day, (.reason, reason)))
        case .survey:
            let interview = try date(r, try requiredIndex(r, "interview_date"), "interview_date")
            var answers: [String: Double] = [:]
            let d = source.dialect
            for (item, i) in answerItems {
                let v = r.string(i)
                if v.isEmpty || source.missingCodes.contains(v) { continue }
                guard let x = CellParser.decimal(v, decimal: d.decimal.first ?? ".", thousands: d.thousands?.first) else {
                    throw RowFailure(reason: .unparseableAmount, column: names[i],
                                     message: "the answer \"\(v)\" is not a number and not one of the missing codes (\(source.missingCodes.joined(separator: ", ")))")
                }
                answers[item] = x
            }
            return .survey(SurveyResponse(source: source.id, wave: source.wave ?? "", participant: readerNames[Int(id)], line: r.line,
                                          interviewDate: interview, answers: answers))
        case .cohort, .assignment, .takeUp:
            throw ImportError.notImportable(source: source.id, kind: source.kind)
        }
    }
}

extension SourceImporter {
    /// A batch of rows between the reading thread and the committing caller.
    final class Batch: @unchecked Sendable {
        var rows: [TextRow] = []
        var count = 0
        /// Filled by the reading thread after the rows: each row prepared (taken by the caller) and its line.
        var prepared: [Prepared?] = []
        var lines: [Int] = []
        /// The participants met for the first time in this batch (see `readerNames`).
        var newNames: [String] = []
    }

    /// Reads, splits and prepares the file (`prepare`: shape, identifier and pseudonym, fields, row hash)
    /// on a thread of its own, in batches of `batchSize` rows, while the calling thread commits the
    /// batches prepared before (`commit`: links, duplicates, counts, the closures), in file order and on
    /// the caller's thread. At most 8 batches are in flight, so memory stays bounded whatever the size of
    /// the file. Measured alternatives (docs/performance.md): reading only on the thread and preparing on
    /// the caller is slower by a fifth; preparing batches on worker threads as well is slower still (values
    /// built on one thread and released on another make reference counts and the allocator contend).
    func runPipelined(_ registry: (RegistryRecord) -> Void, _ survey: (SurveyResponse) -> Void) throws {
        let channel = BatchChannel(batches: 8)
        let source = Unchecked(reader)
        // Not retained by the thread: the importer holds the caller's closures (`onRejection`), which
        // must not outlive this call (the caller may have made them escaping only for its duration). The
        // thread stops using it before it sends the last batch, and this call returns only after that.
        let importer = Unchecked(Unmanaged.passUnretained(self))
        let done = DispatchSemaphore(value: 0)
        // Participants met before the thread starts (a header-less file's first row) are on both sides.
        let namesBefore = readerNames.count
        let thread = Thread {
            defer { done.signal() }
            var failure: Error?
            var finished = false
            var context = PrepareContext()
            var sentNames = namesBefore
            while !finished {
                let batch = channel.takeEmpty()
                batch.count = 0
                do {
                    while batch.count < SourceImporter.batchSize {
                        if batch.rows.count == batch.count { batch.rows.append(TextRow()) }
                        guard try source.value.nextRow(&batch.rows[batch.count]) else { finished = true; break }
                        batch.count += 1
                    }
                } catch {
                    failure = error
                    finished = true
                }
                batch.prepared.removeAll(keepingCapacity: true)
                batch.lines.removeAll(keepingCapacity: true)
                batch.rows.withUnsafeBufferPointer { rows in
                    for i in 0..<batch.count {
                        batch.lines.append(rows[i].line)
                        batch.prepared.append(importer.value.takeUnretainedValue().prepare(rows[i], &context))
                    }
                }
                let im = importer.value.takeUnretainedValue()
                batch.newNames = Array(im.readerNames[sentNames...])
                sentNames = im.readerNames.count
                channel.send(batch, failure: finished ? (failure ?? EndOfRows()) : nil)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
        var sized = !detectDuplicates
        while let (batch, failure) = channel.receive() {
            if !sized {
                // Size the duplicate table once from the first batch's bytes per row and the file's size
                // (at most 64 M rows, 2 GiB, at once: an estimate from short first rows can be far too
                // high; beyond that the table grows by doubling as rows arrive).
                sized = true
                let bytes = batch.rows.prefix(batch.count).reduce(0) { $0 + $1.bytes.count + $1.count }
                if batch.count > 0, bytes > 0, let size = fileSize {
                    seenRows.reserve(rows: min(Int(Double(size) / Double(bytes) * Double(batch.count) * 1.05), 1 << 26))
                }
            }
            committerNames.append(contentsOf: batch.newNames)
            for i in 0..<batch.count {
                // Moved out of the batch (no copy); the row itself is read only for a rejection's excerpt.
                guard let prepared = batch.prepared[i].take() else { continue }
                commit(line: batch.lines[i], prepared, { batch.rows[i].strings }, registry, survey)
            }
            channel.giveBack(batch)
            if let failure {
                done.wait()
                if failure is EndOfRows { break }
                throw failure
            }
        }
    }
}

/// The reading thread's mark for the last batch of a file.
struct EndOfRows: Error {}

/// A value handed to another thread whose use is ordered by the pipeline's semaphores.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The queue of full batches (in file order) and the pool of empty ones.
final class BatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [(SourceImporter.Batch, Error?)] = []
    private var empty: [SourceImporter.Batch]

    init(batches: Int) { empty = (0..<batches).map { _ in SourceImporter.Batch() } }

    func takeEmpty() -> SourceImporter.Batch {
        condition.lock()
        defer { condition.unlock() }
        while empty.isEmpty { condition.wait() }
        return empty.removeLast()
    }

    func send(_ batch: SourceImporter.Batch, failure: Error?) {
        condition.lock()
        full.append((batch, failure))
        condition.broadcast()
        condition.unlock()
    }

    /// The next full batch in order (waits for it); the error, if any, comes with the last batch.
    func receive() -> (SourceImporter.Batch, Error?)? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty { condition.wait() }
        return full.removeFirst()
    }

    func giveBack(_ batch: SourceImporter.Batch) {
        condition.lock()
        empty.append(batch)
        condition.broadcast()
        condition.unlock()
    }
}

/// The mixing of `rowHash`.
enum RowHasher {
    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let m = a.multipliedFullWidth(by: b)
        return m.high ^ m.low
    }

    /// Hashes `bytes` (and their count) into `seed`.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = mix(seed ^ 0xA076_1D64_78BD_642F, UInt64(bytes.count) ^ 0xE703_7ED1_A0B4_28DB)
        var i = 0
        while i + 8 <= bytes.count {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0x8EBC_6AF0_9C88_C6E3)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            for j in i..<bytes.count { tail |= UInt64(bytes[j]) << (8 * UInt64(j - i)) }
            h = mix(h ^ tail, 0x5899_65CC_7537_4CC3)
        }
        return h
    }
}

/// The rows already accepted, by a 64-bit hash of their content (already well mixed, see `RowHasher`),
/// with the line of each: an open-addressing table (linear probing, at most 3/4 full) whose slots hold the
/// hash and the line side by side, so a look-up touches one cache line. `insert` returns the line of an
/// earlier row with the same hash, or nil after adding the row.
struct RowHashTable {
    /// Slot i is `slots[2i]` (the hash; 0 = empty) and `slots[2i + 1]` (the line).
    private var slots: [UInt64] = Array(repeating: 0, count: 2 << 12)
    private var filled = 0
    private var shift: UInt64 = 64 - 12

    private var capacity: Int { slots.count / 2 }

    /// Makes room for `rows` rows at once (instead of doubling, and rehashing, on the way there).
    mutating func reserve(rows: Int) {
        var bits = 64 - Int(shift)
        while rows * 4 > (1 << bits) * 3 { bits += 1 }
        if bits > 64 - Int(shift) { rehash(bits: bits) }
    }

    mutating func insert(_ hash: UInt64, line: Int) -> Int? {
        let key = hash == 0 ? 1 : hash
        if (filled + 1) * 4 > capacity * 3 { grow() }
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: key >> shift)
        return slots.withUnsafeMutableBufferPointer { s in
            while true {
                let k = s[2 * i]
                if k == 0 {
                    s[2 * i] = key
                    s[2 * i + 1] = UInt64(line)
                    filled += 1
                    return nil
                }
                if k == key { return Int(s[2 * i + 1]) }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func grow() { rehash(bits: 64 - Int(shift) + 1) }

    /// Moves the entries into a table of 2^bits slots.
    private mutating func rehash(bits: Int) {
        let old = slots
        slots = []
        slots = Array(repeating: 0, count: 2 << bits)
        shift = UInt64(64 - bits)
        let mask = capacity - 1
        let shift = self.shift
        slots.withUnsafeMutableBufferPointer { s in
            for j in stride(from: 0, to: old.count, by: 2) where old[j] != 0 {
                var i = Int(truncatingIfNeeded: old[j] >> shift)
                while s[2 * i] != 0 { i = (i + 1) & mask }
                s[2 * i] = old[j]
                s[2 * i + 1] = old[j + 1]
            }
        }
    }
}
