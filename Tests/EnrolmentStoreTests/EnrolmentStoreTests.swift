import Assignment
import Basics
import Foundation
import Ingest
import PostgresStore
import TestSupport
import Testing
import TrialData
import TrialStore
import Workflow

/// The enrolment store's contract on both back ends: the same chain, the same replay, the same refusals,
/// the same verification and balance, and serialised concurrent enrolments.
@Suite struct EnrolmentStoreTests {
    /// The bundled trial (a rolling permuted-blocks design), and its cohort's families in enrolment order.
    static func mission() throws -> (DesignFile, [[String: String]]) {
        let file = try DesignFile.load(Fixtures.path("designs/mission-kortrijk.yaml"))
        let cohort = try CohortReader.read(path: Fixtures.path("fixtures/mission/cohort.csv"), dialect: .standard,
                                           dateColumns: file.design.cohortDateColumns)
        let rows = cohort.rows.map(\.fields).sorted { ($0["enrolled_on"] ?? "", $0["family_id"] ?? "") < ($1["enrolled_on"] ?? "", $1["family_id"] ?? "") }
        return (file, rows)
    }

    /// The families of the bundled cohort that the design finds eligible.
    static func eligible(_ families: [[String: String]]) -> [[String: String]] {
        families.filter { f in
            let weak = ["weak_income", "weak_education", "weak_stimulation", "weak_employment", "weak_housing", "weak_health"]
                .filter { f[$0] == "1" }.count
            let birth = f["birth_date"] ?? ""
            return f["consent"] == "yes" && weak >= 3 && birth >= "2017-04-01" && birth <= "2019-04-30"
        }
    }

    static func enrol(_ file: DesignFile, _ fields: [String: String], into store: some EnrolmentStore) async throws -> Enrolment.Outcome {
        let prepared = try Enrolment.prepare(file, plan: try Enrolment.rollingPlan(file), family: .fields(fields), date: nil)
        return try await Enrolment.enrol(prepared, store: store)
    }

    /// What a record says, without the instant it was written (and so its hash).
    static func content(_ r: AssignmentRecord) -> String {
        let e = r.entry
        return [String(r.seq), e.unitID, e.linkKey ?? "-", e.arm, e.assignedOn.description, e.stratum ?? "-", e.block ?? "-",
                e.blockSize.map(String.init) ?? "-", String(e.probability), e.procedure, String(e.seed), e.generator,
                e.caseManager ?? "-", e.capacityStatus, String(r.runID)].joined(separator: "|")
    }

    @Test("families enrolled one by one give the same records on every back end, and the chain verifies",
          arguments: Backend.available)
    func sameRecords(_ backend: Backend) async throws {
        let (file, families) = try Self.mission()
        let folder = try Fixtures.temporaryDirectory("enrolment-store")
        let (store, _) = try await backend.makeStore(file, in: folder)
        defer { store.close() }
        let reference = try TrialStore.create(path: folder.appendingPathComponent("reference.sqlite").path, design: file.design,
                                              designFile: file.path, designData: file.data)
        for family in families.prefix(16) {
            let a = try await Self.enrol(file, family, into: store)
            let b = try await Self.enrol(file, family, into: reference)
            #expect(a.run.assignments.map(\.arm) == b.run.assignments.map(\.arm))
            #expect(a.receipt.headSeq == b.receipt.headSeq)
        }
        let records = try await store.assignmentRecords()
        #expect(records.map(Self.content) == (try reference.assignmentRecords()).map(Self.content))
        #expect(!records.isEmpty)
        // No national number anywhere: the link key is a pseudonym, not the cohort's insz.
        for (r, f) in zip(records, families) where r.entry.linkKey != nil { #expect(r.entry.linkKey != f["insz"]) }
        let report = try await store.verify(expectedHead: nil)
        #expect(report.isIntact, "\(report.problems)")
        #expect(report.headSeq == records.count)
        let check = try await Verification.run(store: store, design: file, expectedHead: report.headHash)
        #expect(check.problems.isEmpty, "\(check.problems)")
        #expect(check.redrawn)
        let counts = try await store.screeningCounts()
        #expect(counts == (try reference.screeningCounts()))
        #expect(try await store.screenedUnits().count == 16)
    }

    @Test("a family is drawn once: enrolling it again is refused, an exclusion is recorded once", arguments: Backend.available)
    func refusals(_ backend: Backend) async throws {
        let (file, families) = try Self.mission()
        let (store, _) = try await backend.makeStore(file, in: try Fixtures.temporaryDirectory("enrolment-refusals"))
        defer { store.close() }
        let eligible = try #require(Self.eligible(families).first)
        let first = try await Self.enrol(file, eligible, into: store)
        await #expect(throws: StoreError.self) { _ = try await Self.enrol(file, eligible, into: store) }
        #expect(try await store.trial().headSeq == first.receipt.headSeq)
        var excluded = eligible
        excluded["family_id"] = "NOCONSENT1"
        excluded["insz"] = families[1]["insz"]
        excluded["consent"] = "no"
        let outcome = try await Self.enrol(file, excluded, into: store)
        #expect(outcome.run.assignments.isEmpty)
        let screening = try #require(try await store.screening(of: "NOCONSENT1"))
        #expect(!screening.eligible)
        #expect(screening.reason == "no informed consent")
        do {
            _ = try await Self.enrol(file, excluded, into: store)
            Issue.record("a second screening of the same family was accepted")
        } catch let error as StoreError {
            guard case .alreadyScreened = error else { Issue.record("\(error)"); return }
        }
        #expect(try await Self.design(file, in: store) == nil)
    }

    /// A store refuses a design that is not the one it was created with.
    static func design(_ file: DesignFile, in store: some EnrolmentStore) async throws -> String? {
        // A changed seed: the SQLite store compares the design's locked part and names the key, the
        // PostgreSQL store compares the whole file.
        let seed = Data(String(decoding: file.data, as: UTF8.self).replacingOccurrences(of: "seed: 20170401", with: "seed: 1").utf8)
        #expect(seed != file.data)
        do {
            try await store.checkDesign(seed)
            return "accepted"
        } catch StoreError.designChanged {
            try await store.checkDesign(file.data)
            return nil
        } catch StoreError.unrecordedChange(_, let changes) {
            #expect(changes.map(\.path) == ["randomisation.seed"])
            try await store.checkDesign(file.data)
            return nil
        }
    }

    @Test("concurrent enrolments are serialised: every family once, blocks never overfilled, the sequence replays",
          arguments: Backend.available)
    func concurrent(_ backend: Backend) async throws {
        let (file, families) = try Self.mission()
        let (store, _) = try await backend.makeStore(file, in: try Fixtures.temporaryDirectory("enrolment-concurrent"))
        defer { store.close() }
        // Everyone enrolled on one day, so any order of arrival is a valid order.
        let day = "2018-06-01"
        let batch = Self.eligible(families).prefix(24).map { f -> [String: String] in
            var f = f
            f["enrolled_on"] = day
            f["birth_date"] = "2018-05-01"
            return f
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for f in batch { group.addTask { _ = try await Self.enrol(file, f, into: store) } }
            try await group.waitForAll()
        }
        let records = try await store.assignmentRecords()
        #expect(Set(records.map(\.entry.unitID)).count == records.count)
        #expect(try await store.screenedUnits().count == batch.count)
        #expect(records.map(\.seq) == Array(1...records.count))
        let check = try await Verification.run(store: store, design: file, expectedHead: nil)
        #expect(check.problems.isEmpty, "\(check.problems)")
        #expect(check.report.isIntact)
        // Complete blocks are balanced 1:1 in every stratum.
        for (_, inBlock) in Dictionary(grouping: records, by: { "\($0.entry.stratum ?? "")/\($0.entry.block ?? "")" }) {
            let size = try #require(inBlock.first?.entry.blockSize)
            #expect(inBlock.count <= size)
            if inBlock.count == size {
                #expect(inBlock.filter { $0.entry.arm == "control" }.count == size / 2)
            }
        }
    }

    @Test("verify and balance answer the same on both back ends")
    func sameAnswers() async throws {
        guard PostgresTestDatabase.isAvailable else { return }
        let (file, families) = try Self.mission()
        let folder = try Fixtures.temporaryDirectory("enrolment-same")
        let (sqlite, _) = try await Backend.sqlite.makeStore(file, in: folder)
        let (postgres, _) = try await Backend.postgresql.makeStore(file, in: folder)
        defer { postgres.close() }
        for f in families.prefix(30) {
            _ = try await Self.enrol(file, f, into: sqlite)
            _ = try await Self.enrol(file, f, into: postgres)
        }
        let a = try await Verification.run(store: sqlite, design: file, expectedHead: nil)
        let b = try await Verification.run(store: postgres, design: file, expectedHead: nil)
        #expect(a.problems == b.problems && a.report.records == b.report.records && a.redrawn == b.redrawn)
        let ba = try await BaselineBalance.run(file, store: sqlite, columns: nil)
        let bb = try await BaselineBalance.run(file, store: postgres, columns: nil)
        #expect(ba.csv == bb.csv)
        #expect(ba.lines == bb.lines)
    }

    @Test("PostgreSQL: the records are append-only, and a record changed behind the triggers' back is found")
    func postgresTamper() async throws {
        guard PostgresTestDatabase.isAvailable else { return }
        let (file, families) = try Self.mission()
        let (store, url) = try await Backend.postgresql.makeStore(file, in: try Fixtures.temporaryDirectory("pg-tamper"))
        defer { store.close() }
        for f in Self.eligible(families).prefix(8) { _ = try await Self.enrol(file, f, into: store) }
        try #require(try await store.assignmentRecords().count == 8)
        await #expect(throws: (any Error).self) {
            try await PostgresTestDatabase.execute(url, ["UPDATE assignments SET arm = 'intervention' WHERE seq = 2"])
        }
        await #expect(throws: (any Error).self) {
            try await PostgresTestDatabase.execute(url, ["DELETE FROM assignments WHERE seq = 2"])
        }
        #expect(try await store.verify(expectedHead: nil).isIntact)
        try await PostgresTestDatabase.execute(url, [
            "ALTER TABLE assignments DISABLE TRIGGER USER",
            "UPDATE assignments SET arm = CASE arm WHEN 'control' THEN 'intervention' ELSE 'control' END WHERE seq = 2",
        ])
        let report = try await store.verify(expectedHead: nil)
        #expect(report.problems.contains(.altered(seq: 2, unit: try await store.assignmentRecords()[1].entry.unitID)))
        try await PostgresTestDatabase.execute(url, ["DROP TRIGGER assignments_append_only_delete ON assignments"])
        #expect(try await store.verify(expectedHead: nil).problems.contains(.triggersMissing(["assignments_append_only_delete"])))
        // The screening inputs are in the chain too: a family's cohort attributes changed behind the triggers' back.
        let third = try await store.assignmentRecords()[2]
        #expect(third.entry.screeningSHA256 != nil && third.entry.runScreeningSHA256 != nil)
        try await PostgresTestDatabase.execute(url, [
            "ALTER TABLE cohort DISABLE TRIGGER USER",
            "UPDATE cohort SET attributes = '{}' WHERE unit_id = '\(third.entry.unitID)'",
        ])
        let problems = try await store.verify(expectedHead: nil).problems
        #expect(problems.contains(.screeningAltered(seq: 3, unit: third.entry.unitID)), "\(problems)")
        #expect(problems.contains(.runScreeningAltered(run: third.runID, seq: 3)))
    }

    @Test("PostgreSQL URLs: user, host, port, database, password from the URL or PGPASSWORD, never printed")
    func databaseURL() throws {
        let u = try DatabaseURL("postgres://rct:s3cret@127.0.0.1:55432/mission")
        #expect(u.user == "rct" && u.host == "127.0.0.1" && u.port == 55432 && u.database == "mission" && u.password == "s3cret")
        #expect(!u.redacted.contains("s3cret"))
        #expect(throws: StoreError.self) { try DatabaseURL("mysql://x@y/z") }
        #expect(throws: StoreError.self) { try DatabaseURL("postgres://127.0.0.1/z") }
        #expect(throws: StoreError.self) { try DatabaseURL("postgres://u@h:1/") }
        do { _ = try DatabaseURL("postgres://u:hunter2@h:1/") } catch { #expect(!"\(error)".contains("hunter2")) }
    }
}
