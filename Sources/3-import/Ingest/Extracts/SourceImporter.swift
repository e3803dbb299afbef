import Basics
import Crypto
import Foundation
import StatFiles
import TrialData
import Tabular
import TrialDesign

/// Imports one extract (a registry kind or a survey wave): opens the file in its dialect, resolves the
/// columns of its kind's reader, and takes every row through `prepare` (shape, identifier and pseudonym,
/// the kind's reader, the row's hash) and `commit` (link to the trial's participants, duplicates,
/// corrections, counts) — on two threads for a large file (`runPipelined`), or on the caller's.
final class SourceImporter {
    let source: Source
    let display: String
    let pseudonymizer: Pseudonymizer?
    let known: Set<String>?
    /// The file in its dialect; a `let`, so reading it row by row copies nothing.
    let file: SourceFile
    /// A header-less file's first row, read to count its columns and not yet imported.
    var pendingFirst: TextRow?
    let hash = HashBox()
    /// The file's column names.
    let names: [String]
    var identifierIndex = 0
    /// The kind's reader: a registry kind's, or the survey's.
    let registryReader: (any RegistryReader)?
    let surveyReader: SurveyReader?
    /// How corrections are matched, when the source has any (`Corrections`).
    var corrections: Corrections?
    /// The source's status column and what its values mean.
    let statusColumn: (index: Int, values: [String: RecordStatus.Meaning])?
    /// The columns of `corrects_by: { id:, replaces: }`.
    let idColumns: (id: Int, replaces: Int)?
    /// Further columns kept as attributes (`attributes:`): name and index.
    let keptColumns: [(name: String, index: Int)]
    /// Rows that do not count: voided by status, superseded by a correction.
    var setAside: [SetAsideRow] = []
    /// The cells of the kind's fields, copied into each thread's `PrepareContext`.
    let cells: RowCells
    let keepRejections: Bool
    var onRejection: ((Rejection) -> Void)?
    var detectDuplicates = true
    /// Whether rows are read and prepared on a thread of their own (`runPipelined`); false prepares them
    /// on the caller's thread, one by one.
    var pipelined = true

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
    lazy var serialContext = PrepareContext(cells: cells)
    /// Rows per batch of the pipeline (`runPipelined`).
    static let batchSize = 2048
    var participantsSeen: Set<String> = []
    var unknownSeen: Set<String> = []
    var unknownRows = 0

    init(path: String, display: String, source: Source, pseudonymizer: Pseudonymizer?, known: Set<String>?,
         keepRejections: Bool = true) throws {
        self.source = source
        self.display = display
        fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        self.pseudonymizer = pseudonymizer
        self.known = known
        self.keepRejections = keepRejections
        guard source.kind.isExtract else { throw ImportError.notImportable(source: source.id, kind: source.kind) }
        if source.identifierType == .insz && pseudonymizer == nil { throw ImportError.noPseudonymizer(source: source.id) }
        let box = hash
        file = try SourceFile(path: path, display: display, dialect: source.dialect, source: source.id,
                              designLine: source.dialectLine, observer: { box.update($0) })
        let names = file.names
        self.names = names
        pendingFirst = file.pendingFirst
        guard let id = names.firstIndex(of: source.identifierColumn) else {
            throw ImportError.missingColumn(file: display, source: source.id, field: "identifier", column: source.identifierColumn,
                                            available: names)
        }
        identifierIndex = id
        registryReader = source.kind.registryReader
        func index(_ column: String, _ field: String) throws -> Int {
            guard let i = names.firstIndex(of: column) else {
                throw ImportError.missingColumn(file: display, source: source.id, field: field, column: column, available: names)
            }
            return i
        }
        statusColumn = try source.status.map { (try index($0.column, "status"), $0.values) }
        keptColumns = try source.keptColumns.map { ($0, try index($0, "attributes")) }
        switch source.correctsBy {
        case let .byIdentifier(id, replaces)?:
            idColumns = (try index(id, "corrects_by.id"), try index(replaces, "corrects_by.replaces"))
            corrections = Corrections(rule: .byIdentifier, source: source.id)
        case let .byFields(fields)?:
            idColumns = nil
            corrections = Corrections(rule: .byFields(fields), source: source.id)
        case nil:
            idColumns = nil
            corrections = registryReader?.correction.map { Corrections(rule: .builtIn($0), source: source.id) }
        }
        var cells = try RowCells(source: source, names: names, fields: source.kind.extractFields, display: display)
        cells.valueLabels = file.valueLabels
        self.cells = cells
        surveyReader = source.kind == .survey
            ? try SurveyReader(source: source, cells: cells, identifierIndex: id, display: display) : nil
    }

    func run(registry: (RegistryRecord) -> Void, survey: (SurveyResponse) -> Void) throws {
        do {
            if let first = pendingFirst {
                pendingFirst = nil
                process(first, registry, survey)
            }
            if pipelined {
                try runPipelined(registry, survey)
            } else {
                var row = TextRow()
                while try file.reader.nextRow(&row) { process(row, registry, survey) }
            }
        } catch let e as RecordReadError {
            throw ImportError.unreadable(file: display, reason: e.description)
        } catch let e as StatFileError {
            throw ImportError.unreadable(file: display, reason: e.reason)
        }
        if var held = corrections {
            let orphans = held.finish { registry($0) }
            tally.corrections = held.corrections
            setAside += held.setAside
            for o in orphans {
                // Accepted when read; rejected now that the file holds no record for it to correct.
                tally.accepted -= 1
                let what = idColumns.map { "no record with \(names[$0.id]) \(o.replaces) precedes it" } ?? "no earlier record is the same decision"
                reject(line: o.line, fields: { [] }, RowFailure(reason: .orphanCorrection, column: idColumns.map { names[$0.replaces] },
                                                                      message: "the row corrects a record that is not in the file (\(what)); it is not counted"),
                       excerpt: o.excerpt)
            }
            corrections = nil
        }
    }

    func result(registry: [RegistryRecord], survey: [SurveyResponse]) -> ImportResult {
        let fingerprint = hash.finalize()
        let merge = mergeReport
        return ImportResult(source: source.id, file: display, fingerprint: fingerprint,
                            keyFingerprint: source.identifierType == .insz ? pseudonymizer?.keyFingerprint : nil,
                            registryRecords: registry.sorted { $0.line < $1.line }, surveyResponses: survey,
                            rejections: rejections.sorted { $0.line < $1.line }, rowsRead: tally.rowsRead, accepted: tally.accepted,
                            rejected: tally.rejected, corrections: tally.corrections, voided: tally.voided,
                            setAside: setAside.sorted { $0.line < $1.line }, merge: merge,
                            declaredMissing: file.statReader?.declaredMissing ?? [])
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

    private func reject(line: Int, fields: () -> [String], _ f: RowFailure, excerpt: String? = nil) {
        tally.rejected += 1
        // A rejected row's message and excerpt quote its cells: a national number in any of them is masked.
        let rejection = Rejection(file: display, line: line, column: f.column, reason: f.reason, message: NationalNumber.mask(f.message),
                                  excerpt: NationalNumber.mask(excerpt ?? Excerpt.make(names: names, fields: fields(), skipping: identifierIndex)))
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
    /// and the cells with the raw codes already mapped (a few values repeat).
    struct PrepareContext {
        /// The cells of the kind's fields, with the codes already mapped.
        var cells: RowCells
        var lastIdentifier: [UInt8] = []
        var lastParticipant: Int32?
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
            if let failure = file.shapeFailure(r) { throw failure }
            if let failure = context.cells.nationalNumberFailure(r, identifier: identifierIndex) { throw failure }
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
                if pending.meaning == .void {
                    tally.voided += 1
                    let raw = pending.statusText
                    setAside.append(SetAsideRow(line: line, participant: participant, reason: .void,
                                                message: "its status \"\(raw)\" means the record does not count"))
                } else if corrections != nil {
                    let maybeOrphan = pending.meaning == .corrects || !pending.replacesID.isEmpty
                    corrections!.add(pending, record: rec, corrects: pending.meaning == .corrects,
                                     excerpt: maybeOrphan ? Excerpt.make(names: names, fields: fields(), skipping: identifierIndex) : "")
                } else {
                    registry(rec)
                }
            case let .survey(resp):
                survey(resp)
            }
        } catch let f as RowFailure {
            reject(line: line, fields: fields, f)
        } catch {
            reject(line: line, fields: fields, RowFailure(reason: .missingField, column: nil, message: "\(error)"))
        }
    }

    private func identify(_ r: borrowing TextRow, _ context: inout PrepareContext) throws -> Int32 {
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
    private func identifyAnew(_ r: borrowing TextRow) throws -> Int32 {
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
    private func rowHash(_ r: borrowing TextRow, participant: Int32, _ context: inout PrepareContext) -> UInt64 {
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
}

extension SourceImporter {
    /// What a row becomes: a registry record's values or a survey response.
    enum Parsed {
        case registry(PendingRecord)
        case survey(SurveyResponse)
    }

    /// The kind's reader on the row's cells.
    @inline(__always)
    func parse(_ r: borrowing TextRow, participant id: Int32, _ context: inout PrepareContext) throws -> Parsed {
        if let registryReader {
            var pending = try registryReader.read(r, &context.cells)
            for (name, i) in keptColumns where !r.isBlank(i) { pending.extras().extra.append((name, r.string(i))) }
            if let (i, values) = statusColumn {
                let raw = r.string(i)
                guard let meaning = values[raw] else {
                    throw RowFailure(reason: .unknownCode, column: names[i],
                                     message: "the status \"\(raw)\" is not one the design declares (\(values.keys.sorted().joined(separator: ", "))); add it under status: { values: … }")
                }
                pending.meaning = meaning
                if meaning == .void { pending.extras().statusText = raw }
            }
            if let (id, replaces) = idColumns {
                let more = pending.extras()
                more.recordID = r.string(id)
                more.replacesID = r.string(replaces)
            }
            return .registry(pending)
        }
        let a = try surveyReader!.read(r, &context.cells)
        return .survey(SurveyResponse(source: source.id, wave: source.wave ?? "", participant: readerNames[Int(id)], line: r.line,
                                      interviewDate: a.interviewDate, answers: a.answers))
    }
}
