import Basics
import Foundation
import GRDB
import TrialData
import Testing
import TestSupport
@testable import TrialDesign
@testable import TrialStore

/// Imports in the store: round trip, idempotence, replacement, refusal, and all-or-nothing writes.
@Suite struct ImportStoreTests {
    let designPath = Fixtures.path("fixtures/designs/assign-rolling.yaml")

    func makeStore() throws -> TrialStore {
        let dir = try Fixtures.temporaryDirectory("importstore")
        let design = try Design.load(path: designPath)
        return try TrialStore.create(path: dir.appendingPathComponent("t.sqlite").path, design: design,
                                     designFile: designPath, designData: try Data(contentsOf: URL(fileURLWithPath: designPath)))
    }

    static func date(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    /// A registry batch of `n` records over a few participants, with awkward values: open ends, negative
    /// and non-terminating amounts, Unicode, empty dictionaries; two rejections and one superseded row.
    static func registryBatch(_ n: Int, source: String = "aid", fingerprint: String = "aa11") -> ImportBatch {
        let records = (0..<n).map { i in
            RegistryRecord(source: source, participant: "P" + String(format: "%032x", i % 7), line: i + 2,
                           start: date("2017-04-01").adding(days: i % 900),
                           end: i % 5 == 0 ? nil : date("2017-04-01").adding(days: i % 900 + 30),
                           attributes: i % 11 == 0 ? [:] : ["kind": "medical_card", "note": "Art. 60§7 – €\(i)"],
                           numbers: i % 13 == 0 ? [:] : ["amount": Double(i) / 3 - 100, "tiny": 1e-300, "big": 123_456.789])
        }
        let quarantine = [
            QuarantinedRow(line: n + 2, column: "begindatum", reason: "unparseable_date", message: "\"31/02/2018\" is not a date",
                           excerpt: "begindatum=31/02/2018"),
            QuarantinedRow(line: n + 3, column: nil, reason: "duplicate_row", message: "repeats line 2", excerpt: ""),
        ]
        return ImportBatch(source: source, file: "../fixtures/aid.csv", fingerprint: fingerprint, keyFingerprint: "af53efd3",
                           participantsFingerprint: "pp", rowsRead: n + 3, rowsAccepted: n + 1, rowsRejected: 2, superseded: 1,
                           registryRecords: records, quarantine: quarantine, mergeReport: "{\"checked\":true}")
    }

    static func surveyBatch(source: String = "m6", fingerprint: String = "bb22") -> ImportBatch {
        let responses = (0..<40).map { i in
            SurveyResponse(source: source, wave: "m6", participant: "F\(1000 + i)", line: i + 2,
                           interviewDate: i % 9 == 0 ? nil : date("2018-01-01").adding(days: i),
                           answers: i % 10 == 0 ? [:] : ["rights_leefloon": Double(i % 5 + 1), "household_income": 1234.5 + Double(i) / 7])
        }
        return ImportBatch(source: source, file: "m6.csv", fingerprint: fingerprint, participantsFingerprint: "pp",
                           rowsRead: 40, rowsAccepted: 40, rowsRejected: 0, surveyResponses: responses)
    }

    func bytes(_ store: TrialStore) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: store.path)) }

    /// Records are read back in import order and file-line order, whatever order they were written in (a
    /// source with corrections writes the decisions it kept at the end): the store reads them in the order
    /// written and sorts an import's run by line only when it is out of order; rows of one line keep the
    /// order written.
    @Test func recordsComeBackInLineOrderWhateverTheOrderWritten() throws {
        let store = try makeStore()
        var aid = Self.registryBatch(60)
        // Lines 2…61 written as 32…61, then 2…31, and a second record on line 52 written after the first.
        aid.registryRecords = Array(aid.registryRecords[30...]) + Array(aid.registryRecords[..<30])
        let original = aid.registryRecords[20]
        var twin = original
        twin.participant = "P" + String(repeating: "f", count: 32)
        aid.registryRecords.insert(twin, at: 40)
        aid.rowsRead += 1
        aid.rowsAccepted += 1
        try store.saveImport(aid)
        var vdab = Self.registryBatch(25, source: "vdab", fingerprint: "cc33")
        vdab.registryRecords.reverse()
        try store.saveImport(vdab)
        let back = try store.registryRecords()
        #expect(back.map(\.source) == Array(repeating: "aid", count: 61) + Array(repeating: "vdab", count: 25))
        let aidBack = back.filter { $0.source == "aid" }
        #expect(aidBack.map(\.line) == (2...61).flatMap { $0 == twin.line ? [$0, $0] : [$0] })
        let atTwin = aidBack.filter { $0.line == twin.line }
        #expect(atTwin.map(\.participant) == [original.participant, twin.participant], "rows of one line keep the order written")
        #expect(back.filter { $0.source == "vdab" }.map(\.line) == Array(2...26))
        #expect(try store.registryRecords(source: "vdab").map(\.line) == Array(2...26))
    }

    /// A store from before `v10_registry_without_participant_index` loses the unused index of registry
    /// records by participant when opened; its records read back as they were and its chains verify.
    @Test func anOlderStoreDropsTheParticipantIndexOnOpen() throws {
        let store = try makeStore()
        let registry = Self.registryBatch(120)
        try store.saveImport(registry)
        let indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'registry_records' ORDER BY name"
        #expect(try DatabaseQueue(path: store.path).read { try String.fetchAll($0, sql: indexes) } == ["registry_records_import"])
        // Put the store back as v9 left it: the index, and no record of the migration.
        try DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: """
                CREATE INDEX registry_records_participant ON registry_records(participant);
                DELETE FROM grdb_migrations WHERE identifier = 'v10_registry_without_participant_index';
                """)
        }
        let reopened = try TrialStore.open(path: store.path)
        #expect(try DatabaseQueue(path: store.path).read { try String.fetchAll($0, sql: indexes) } == ["registry_records_import"])
        #expect(try reopened.registryRecords() == registry.registryRecords)
        #expect(try reopened.verify().isIntact)
    }

    /// The writer reuses the text of the record before when its fields repeat; every row still holds its
    /// own fields' text: repeated, changed, reordered, emptied, and numbers equal as values but not as
    /// text (0 and −0).
    @Test func repeatedFieldsAreStoredAsTheirOwnText() throws {
        let store = try makeStore()
        let fields: [([(String, String)], [(String, Double)])] = [
            ([("kind", "a"), ("note", "x")], [("amount", 0)]),
            ([("kind", "a"), ("note", "x")], [("amount", 0)]),
            ([("note", "x"), ("kind", "a")], [("amount", -0.0)]),
            ([("kind", "a"), ("note", "y")], [("amount", -0.0)]),
            ([], []),
            ([], [("amount", 1e-300)]),
            ([("kind", "a")], [("amount", 1e-300), ("big", 1e20)]),
            ([("kind", "a")], [("big", 1e20), ("amount", 1e-300)]),
        ]
        var batch = Self.registryBatch(0)
        batch.registryRecords = fields.enumerated().map { i, f in
            RegistryRecord(source: "aid", participant: "P1", line: i + 2, start: Self.date("2018-01-01"), end: nil,
                           attributes: FieldMap(uniqueKeysWithValues: f.0), numbers: FieldMap(uniqueKeysWithValues: f.1))
        }
        // Besides the records: two rows rejected and one superseded (`registryBatch`).
        batch.rowsRead = fields.count + 3
        batch.rowsAccepted = fields.count + 1
        try store.saveImport(batch)
        let stored = try DatabaseQueue(path: store.path).read {
            try Row.fetchAll($0, sql: "SELECT attributes, numbers FROM registry_records ORDER BY rowid").map { ($0[0] as String, $0[1] as String) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let expected = try batch.registryRecords.map { r in
            (String(decoding: try encoder.encode(r.attributes), as: UTF8.self), String(decoding: try encoder.encode(r.numbers), as: UTF8.self))
        }
        #expect(stored.map(\.0) == expected.map(\.0))
        #expect(stored.map(\.1) == expected.map(\.1))
        #expect(stored[1].1 == "{\"amount\":0}" && stored[2].1 == "{\"amount\":-0}")
        #expect(try store.registryRecords() == batch.registryRecords)
    }

    @Test func recordsAndResponsesReadBackEqualWhatWasSaved() throws {
        let store = try makeStore()
        let registry = Self.registryBatch(300), survey = Self.surveyBatch()
        guard case let .saved(first, replaced: nil) = try store.saveImport(registry) else { Issue.record("not saved"); return }
        try store.saveImport(survey)
        #expect(try store.registryRecords(source: "aid") == registry.registryRecords)
        #expect(try store.registryRecords() == registry.registryRecords)
        #expect(try store.registryRecords(source: "m6").isEmpty)
        #expect(try store.surveyResponses(source: "m6") == survey.surveyResponses)
        #expect(try store.surveyResponses() == survey.surveyResponses)
        #expect(try store.quarantine(importID: first.id) == registry.quarantine)
        let summaries = try store.importSummaries()
        #expect(summaries.map(\.source) == ["aid", "m6"])
        #expect(summaries[0].rowsRead == 303 && summaries[0].rowsAccepted == 301 && summaries[0].rowsRejected == 2)
        #expect(summaries[0].superseded == 1 && summaries[0].keyFingerprint == "af53efd3" && summaries[0].fingerprint == "aa11")
        #expect(summaries[0].file == "../fixtures/aid.csv" && summaries[0].mergeReport == "{\"checked\":true}")
        #expect(summaries.allSatisfy { $0.isActive })
        // The other module's reading API is unaffected.
        #expect(try store.verify().isIntact)
    }

    @Test func theSameFileTwiceChangesNothing() throws {
        let store = try makeStore()
        guard case let .saved(stored, _) = try store.saveImport(Self.registryBatch(50)) else { Issue.record("not saved"); return }
        let before = try bytes(store)
        #expect(try store.checkImport(source: "aid", file: "x", fingerprint: "aa11", keyFingerprint: "af53efd3",
                                      participantsFingerprint: "pp", replace: false) == stored)
        #expect(try store.saveImport(Self.registryBatch(50)) == .unchanged(stored))
        // Even with --replace, the same file linked the same way is not imported again.
        #expect(try store.saveImport(Self.registryBatch(50), replace: true) == .unchanged(stored))
        #expect(try bytes(store) == before)
        #expect(try store.importHistory().count == 1)
    }

    @Test func aDifferentFileIsRefusedWithoutReplace() throws {
        let store = try makeStore()
        try store.saveImport(Self.registryBatch(50))
        let before = try bytes(store)
        var changed = Self.registryBatch(60, fingerprint: "cc33")
        #expect(throws: ImportStoreError.self) { try store.saveImport(changed) }
        #expect(throws: ImportStoreError.self) {
            try store.checkImport(source: "aid", file: "x", fingerprint: "cc33", keyFingerprint: "af53efd3",
                                  participantsFingerprint: "pp", replace: false)
        }
        // The same bytes pseudonymised with another key, or linked against other participants, are not "the same import".
        changed = Self.registryBatch(50)
        changed.keyFingerprint = "00000000"
        do { try store.saveImport(changed); Issue.record("not refused") } catch let error as ImportStoreError {
            #expect(error.description.contains("another key") && error.description.contains("--replace"))
        }
        changed = Self.registryBatch(50)
        changed.participantsFingerprint = "other"
        do { try store.saveImport(changed); Issue.record("not refused") } catch let error as ImportStoreError {
            #expect(error.description.contains("participants changed"))
        }
        #expect(try bytes(store) == before)
    }

    @Test func replaceMarksTheEarlierImportAndReadsOnlyTheNewRows() throws {
        let store = try makeStore()
        guard case let .saved(old, _) = try store.saveImport(Self.registryBatch(50)) else { Issue.record("not saved"); return }
        try store.saveImport(Self.surveyBatch())
        let newer = Self.registryBatch(80, fingerprint: "cc33")
        guard case let .saved(new, replaced: replaced?) = try store.saveImport(newer, replace: true) else {
            Issue.record("not replaced"); return
        }
        #expect(replaced.id == old.id && replaced.replacedBy == new.id)
        #expect(try store.registryRecords(source: "aid") == newer.registryRecords)
        #expect(try store.surveyResponses() == Self.surveyBatch().surveyResponses, "other sources are untouched")
        #expect(try store.importSummaries().map(\.id).sorted() == [2, new.id])
        let history = try store.importHistory()
        #expect(history.count == 3 && history.first { $0.id == old.id }!.replacedBy == new.id)
        // The replaced import's rows are kept (the history stays complete), but not read.
        let kept = try DatabaseQueue(path: store.path).read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM registry_records WHERE import_id = ?", arguments: [old.id])
        }
        #expect(kept == 50)
        // Going back to the first file is another replacement.
        guard case .saved(_, replaced: let back?) = try store.saveImport(Self.registryBatch(50), replace: true) else {
            Issue.record("not replaced"); return
        }
        #expect(back.id == new.id)
        #expect(try store.registryRecords(source: "aid") == Self.registryBatch(50).registryRecords)
    }

    /// An import that fails half-way (here: after 20,000 of 25,003 rows were written) leaves the store
    /// byte for byte as it was, also when it was replacing an earlier import.
    /// An insert SQLite refuses (here a trigger; a full disk alike) fails the import however far its row
    /// is from the row being encoded when the insert thread meets it: in a full batch in the middle, in
    /// the last partial batch, in the first row. The store is left byte for byte as it was.
    @Test(arguments: [5_000, 9_999, 2])
    func aRefusedInsertFailsTheImportAndLeavesTheStoreAsItWas(refusedLine: Int) throws {
        let store = try makeStore()
        try store.saveImport(Self.surveyBatch())
        try DatabaseQueue(path: store.path).write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_one BEFORE INSERT ON registry_records WHEN NEW.line = \(refusedLine)
                    BEGIN SELECT RAISE(ABORT, 'line refused by the test'); END;
                """)
        }
        let before = try bytes(store)
        #expect { try store.saveImport(Self.registryBatch(10_000)) } throws: { error in
            "\(error)".contains("line refused by the test")
        }
        #expect(try bytes(store) == before)
        #expect(try store.importSummaries().map(\.source) == ["m6"])
        // The same store takes the import once the trigger is gone.
        try DatabaseQueue(path: store.path).write { try $0.execute(sql: "DROP TRIGGER refuse_one") }
        try store.saveImport(Self.registryBatch(10_000))
        #expect(try store.registryRecords().count == 10_000)
        #expect(try store.verify().isIntact)
    }

    @Test func aFailureHalfWayLeavesTheStoreByteIdentical() throws {
        struct Injected: Error {}
        let store = try makeStore()
        try store.saveImport(Self.surveyBatch())
        let before = try bytes(store)
        var calls: [Int] = []
        #expect(throws: Injected.self) {
            try store.saveImport(Self.registryBatch(25_000)) { written in
                calls.append(written)
                if written >= 20_000 { throw Injected() }
            }
        }
        #expect(calls == [20_000])
        #expect(try bytes(store) == before)
        #expect(try store.importSummaries().map(\.source) == ["m6"])
        // A failed replacement keeps the earlier import active.
        try store.saveImport(Self.registryBatch(30))
        let withAid = try bytes(store)
        #expect(throws: Injected.self) {
            try store.saveImport(Self.registryBatch(25_000, fingerprint: "dd44"), replace: true) { if $0 >= 20_000 { throw Injected() } }
        }
        #expect(try bytes(store) == withAid)
        #expect(try store.registryRecords(source: "aid") == Self.registryBatch(30).registryRecords)
        #expect(try store.importSummaries().allSatisfy { $0.isActive })
    }

    @Test func inconsistentCountsAreRefusedBeforeWriting() throws {
        let store = try makeStore()
        let before = try bytes(store)
        var b = Self.registryBatch(10)
        b.rowsRead += 1
        #expect(throws: ImportStoreError.self) { try store.saveImport(b) }
        b = Self.registryBatch(10)
        b.quarantine.removeLast()
        #expect(throws: ImportStoreError.self) { try store.saveImport(b) }
        b = Self.registryBatch(10)
        b.superseded = 0
        #expect(throws: ImportStoreError.self) { try store.saveImport(b) }
        b = Self.registryBatch(10)
        b.registryRecords[3].source = "vdab"
        #expect(throws: ImportStoreError.self) { try store.saveImport(b) }
        #expect(try bytes(store) == before)
    }

    /// The quarantine never holds a run of nine or more digits, whatever the caller passes.
    @Test func quarantineMasksDigitRuns() throws {
        #expect(TrialStore.maskDigitRuns("insz=93051822361, x") == "insz=<masked>, x")
        #expect(TrialStore.maskDigitRuns("nr 93.05.18-223.61.") == "nr <masked>.")
        #expect(TrialStore.maskDigitRuns("bedrag=1.214,13 on 31/02/2018") == "bedrag=1.214,13 on 31/02/2018")
        #expect(TrialStore.maskDigitRuns("12345678") == "12345678")
        #expect(TrialStore.maskDigitRuns("123456789") == "<masked>")
        let store = try makeStore()
        var b = Self.registryBatch(5)
        b.quarantine[0].excerpt = "nummer=93.05.18-223.61, maand=2018-01"
        b.quarantine[0].message = "93051822361 is not valid"
        guard case let .saved(s, _) = try store.saveImport(b) else { Issue.record("not saved"); return }
        let q = try store.quarantine(importID: s.id)[0]
        #expect(q.excerpt == "nummer=<masked>, maand=2018-01" && q.message == "<masked> is not valid")
        let raw = String(decoding: try bytes(store), as: UTF8.self)
        #expect(!raw.contains("93051822361") && !raw.contains("93.05.18-223.61"))
    }
}
