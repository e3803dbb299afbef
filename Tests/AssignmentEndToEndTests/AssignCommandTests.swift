import Foundation
import GRDB
import Testing
import TestSupport

/// End-to-end runs of the built `rct` binary: init, assign, enrol, verify, balance.
@Suite struct AssignCommandTests {
    let rolling = "fixtures/designs/assign-rolling.yaml"
    let cohort112 = "fixtures/assignment/cohort-112.csv"

    func freshStore(_ design: String? = nil) throws -> String {
        let path = try Fixtures.temporaryDirectory("assign-e2e").appendingPathComponent("trial.sqlite").path
        let r = try RCTBinary.run(["init", design ?? rolling, "--store", path])
        #expect(r.status == 0, "\(r.stderr)")
        return path
    }

    func csvRows(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    @Test func batchAssignmentOf112FamiliesIsRecordedVerifiedAndReproducible() throws {
        let store = try freshStore()
        let dir = URL(fileURLWithPath: store).deletingLastPathComponent()
        let out = dir.appendingPathComponent("a.csv").path
        let r = try RCTBinary.run(["assign", rolling, "--cohort", cohort112, "--store", store, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains("screened 112 families: 112 eligible, 0 excluded"))
        #expect(r.stdout.contains("assigned 112 families (57 control, 55 intervention) by permuted_blocks, seed 20170401, generator mt19937"))
        #expect(r.stdout.contains("capacity of intervention: 55 of 80 places taken, 0 waiting"))
        let rows = csvRows(try String(contentsOfFile: out, encoding: .utf8))
        #expect(rows.count == 112)
        #expect(rows.allSatisfy { $0["seed"] == "20170401" && $0["generator"] == "mt19937" && $0["probability"] == "0.5" })
        #expect(rows.filter { $0["arm"] == "intervention" }.allSatisfy { $0["capacity_status"] == "placed" && $0["case_manager"]!.hasPrefix("cm") })
        // Least-loaded allocation: 55 families over 5 case managers → 11 each.
        let loads = Dictionary(grouping: rows.compactMap { $0["case_manager"].flatMap { $0.isEmpty ? nil : $0 } }, by: { $0 }).mapValues(\.count)
        #expect(loads == ["cm1": 11, "cm2": 11, "cm3": 11, "cm4": 11, "cm5": 11])
        // Within every stratum, completed permuted blocks are balanced.
        let blocks = Dictionary(grouping: rows, by: { $0["block"]! })
        for (label, members) in blocks where members.count == Int(members[0]["block_size"]!)! {
            #expect(members.filter { $0["arm"] == "control" }.count * 2 == members.count, "block \(label)")
        }
        let v = try RCTBinary.run(["verify", "--store", store])
        #expect(v.status == 0)
        #expect(v.stdout.contains("112 assignment records, the chain is intact"))
        // Same design, cohort and seed: the same arms in a second store.
        let again = try freshStore()
        let out2 = URL(fileURLWithPath: again).deletingLastPathComponent().appendingPathComponent("b.csv").path
        #expect(try RCTBinary.run(["assign", rolling, "--cohort", cohort112, "--store", again, "--out", out2]).status == 0)
        #expect(csvRows(try String(contentsOfFile: out2, encoding: .utf8)).map { $0["arm"]! } == rows.map { $0["arm"]! })
        // The balance table reads the store.
        let b = try RCTBinary.run(["balance", rolling, "--store", store])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("Baseline balance, 112 assigned families (57 control, 55 intervention)"))
        #expect(b.stdout.contains("domains_weak: control:"))
        #expect(b.stdout.contains("omnibus F-test, intervention vs control on all covariates: F(2, 109) = "))
    }

    @Test func rollingEnrolmentOneAtATimeGivesTheBatchArms() throws {
        let batchStore = try freshStore()
        let out = URL(fileURLWithPath: batchStore).deletingLastPathComponent().appendingPathComponent("a.csv").path
        #expect(try RCTBinary.run(["assign", rolling, "--cohort", cohort112, "--store", batchStore, "--out", out]).status == 0)
        let batch = csvRows(try String(contentsOfFile: out, encoding: .utf8))
        let store = try freshStore()
        let lines = try Fixtures.contents(cohort112).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        for (i, line) in lines.dropFirst().prefix(12).enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let fields = zip(header, cells).filter { $0.0 != "enrolled_on" }.flatMap { ["--field", "\($0.0)=\($0.1)"] }
            let date = cells[header.firstIndex(of: "enrolled_on")!]
            let r = try RCTBinary.run(["enrol", rolling, "--store", store, "--date", date] + fields)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("family \(cells[0]): \(batch[i]["arm"]!) (probability 0.5; stratum \(batch[i]["stratum"]!); block \(batch[i]["block"]!)"),
                    "\(r.stdout)")
            #expect(r.stdout.contains("record \(i + 1) in \(store)"))
        }
        #expect(try RCTBinary.run(["verify", "--store", store]).stdout.contains("12 assignment records, the chain is intact"))
        // An ineligible family is recorded as excluded with its reason.
        let screening = try Fixtures.contents("fixtures/assignment/cohort-screening.csv").split(separator: "\n").map(String.init)
        let f209 = screening.first { $0.hasPrefix("F209,") }!.split(separator: ",").map(String.init)
        let fields = zip(screening[0].split(separator: ",").map(String.init), f209).flatMap { ["--field", "\($0.0)=\($0.1)"] }
        let ex = try RCTBinary.run(["enrol", rolling, "--store", store, "--date", "2019-06-01"] + fields)
        #expect(ex.status == 0, "\(ex.stderr)")
        #expect(ex.stdout.contains("family F209: not eligible: no informed consent (rule consent)"))
        // A family dated before the last record is drawn next in the store's order and keeps its own date.
        let cells13 = lines[13].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let fields13 = zip(header, cells13).filter { $0.0 != "enrolled_on" }.flatMap { ["--field", "\($0.0)=\($0.1)"] }
        let early = try RCTBinary.run(["enrol", rolling, "--store", store, "--date", "2017-01-01"] + fields13)
        #expect(early.status == 0, "\(early.stderr)")
        #expect(early.stdout.contains("family \(cells13[0]): \(batch[12]["arm"]!) "), "\(early.stdout)")
        #expect(early.stdout.contains("assigned 2017-01-01"))
        #expect(early.stdout.contains("note: enrolled on 2017-01-01, before the date of record "))
        #expect(early.stdout.contains("the store keeps enrolments in the order they arrive (record 13)"))
        #expect(try RCTBinary.run(["verify", rolling, "--store", store]).status == 0)
    }

    @Test func reassigningIsRefusedAndAFailedRunLeavesTheStoreUnchanged() throws {
        let store = try freshStore()
        let first = try RCTBinary.run(["assign", rolling, "--cohort", "fixtures/assignment/cohort-screening.csv", "--store", store])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("screened 12 families: 8 eligible, 4 excluded"))
        #expect(first.stdout.contains("excluded, weak on fewer than 3 of the 6 deprivation-index domains: 2"))
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        // The same cohort again: refused, naming the first family and its record.
        let again = try RCTBinary.run(["assign", rolling, "--cohort", "fixtures/assignment/cohort-screening.csv", "--store", store])
        #expect(again.status == 1)
        #expect(again.stderr.contains("error: family F200 (cohort line 2) already has an arm: "))
        #expect(again.stderr.contains("(record 1); an assignment is never repeated or changed"))
        // enrol of an assigned family: refused too.
        let enrol = try RCTBinary.run(["enrol", rolling, "--store", store, "--row", try oneRowFile("F200")])
        #expect(enrol.status == 1)
        #expect(enrol.stderr.contains("error: family F200 (cohort line 2) already has an arm"))
        // A cohort of new families with an already-excluded one in the middle fails inside the transaction.
        let dir = URL(fileURLWithPath: store).deletingLastPathComponent()
        let mixed = dir.appendingPathComponent("mixed.csv")
        let lines = try Fixtures.contents(cohort112).split(separator: "\n").map(String.init)
        let excluded = try Fixtures.contents("fixtures/assignment/cohort-screening.csv").split(separator: "\n").first { $0.hasPrefix("F211,") }!
        // Enrolled after everything in the store (column 4 is enrolled_on).
        let late = { (l: String) -> String in
            var cells = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[3] = "2019-07-01"
            return cells.joined(separator: ",")
        }
        try ([lines[0]] + lines[1...3].map(late) + [late(String(excluded))] + lines[4...5].map(late))
            .joined(separator: "\n").write(to: mixed, atomically: true, encoding: .utf8)
        let failed = try RCTBinary.run(["assign", rolling, "--cohort", mixed.path, "--store", store])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("error: family F211 (cohort line 5) was already screened and excluded"), "\(failed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        #expect(try RCTBinary.run(["verify", "--store", store]).stdout.contains("8 assignment records, the chain is intact"))
    }

    func oneRowFile(_ id: String) throws -> String {
        let lines = try Fixtures.contents("fixtures/assignment/cohort-screening.csv").split(separator: "\n").map(String.init)
        let url = try Fixtures.temporaryDirectory("row").appendingPathComponent("row.csv")
        try (lines[0] + "\n" + lines.first { $0.hasPrefix(id + ",") }! + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func aHandEditedStoreIsDetectedNamingTheRecord() throws {
        let store = try freshStore()
        #expect(try RCTBinary.run(["assign", rolling, "--cohort", cohort112, "--store", store]).status == 0)
        let queue = try DatabaseQueue(path: store)
        let arm = try queue.read { try String.fetchOne($0, sql: "SELECT arm FROM assignments WHERE seq = 17") }!
        try queue.writeWithoutTransaction {
            try $0.execute(sql: "DROP TRIGGER assignments_append_only_update")
            try $0.execute(sql: "UPDATE assignments SET arm = ? WHERE seq = 17", arguments: [arm == "control" ? "intervention" : "control"])
        }
        try queue.close()
        let v = try RCTBinary.run(["verify", "--store", store])
        #expect(v.status == 1)
        #expect(v.stdout.isEmpty)
        #expect(v.stderr.contains("error: \(store): record 17 (family F017) was altered: its content no longer matches its hash"), "\(v.stderr)")
        #expect(v.stderr.contains("the append-only triggers were removed"))
        // Rolling enrolment refuses to go on from a history that does not replay.
        let e = try RCTBinary.run(["enrol", rolling, "--store", store, "--row", try oneRowFile("F200"), "--date", "2019-12-01"])
        #expect(e.status == 1)
        #expect(e.stderr.contains("record 17 (family F017) holds"), "\(e.stderr)")
    }

    @Test func duplicateIdentifiersAreRejectedAndMissingOnesLeftOutNamingTheLine() throws {
        let store = try freshStore()
        let dir = URL(fileURLWithPath: store).deletingLastPathComponent()
        var lines = try Fixtures.contents(cohort112).split(separator: "\n").map(String.init)
        lines[9] = lines[9].replacingOccurrences(of: "F009,", with: "F004,")
        try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("dup.csv"), atomically: true, encoding: .utf8)
        let dup = try RCTBinary.run(["assign", rolling, "--cohort", dir.appendingPathComponent("dup.csv").path, "--store", store])
        #expect(dup.status == 1)
        #expect(dup.stderr.contains("dup.csv:10: duplicate identifier: family_id \"F004\" already appears on line 5"), "\(dup.stderr)")
        lines = try Fixtures.contents(cohort112).split(separator: "\n").map(String.init)
        lines[20] = lines[20].replacingOccurrences(of: "F020,", with: ",")
        try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("missing.csv"), atomically: true, encoding: .utf8)
        // Nothing was written by the duplicate.
        #expect(try RCTBinary.run(["verify", "--store", store]).stdout.contains("0 assignment records, the chain is intact"))
        // A missing identifier is an unusable intake record: left out and reported, the rest is assigned.
        let missing = try RCTBinary.run(["assign", rolling, "--cohort", dir.appendingPathComponent("missing.csv").path, "--store", store])
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stdout.contains("left out 1 row of \(dir.appendingPathComponent("missing.csv").path) whose identifier or date cannot be "
                                        + "used (unusable intake record, counted in the CONSORT flow): line 21 (column family_id: missing identifier)"),
                "\(missing.stdout)")
        #expect(try RCTBinary.run(["verify", "--store", store]).stdout.contains("assignment records, the chain is intact"))
    }

    @Test func theStoreHoldsNoNationalNumber() throws {
        let store = try freshStore()
        let out = URL(fileURLWithPath: store).deletingLastPathComponent().appendingPathComponent("a.csv").path
        #expect(try RCTBinary.run(["assign", rolling, "--cohort", cohort112, "--store", store, "--out", out]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store))
        let output = try Data(contentsOf: URL(fileURLWithPath: out))
        let lines = try Fixtures.contents(cohort112).split(separator: "\n").dropFirst()
        #expect(lines.count == 112)
        for line in lines {
            let insz = String(line.split(separator: ",")[1])
            #expect(insz.count == 11)
            #expect(bytes.range(of: Data(insz.utf8)) == nil, "a national number of the cohort is in the store")
            #expect(output.range(of: Data(insz.utf8)) == nil, "a national number of the cohort is in the output")
        }
        #expect(bytes.range(of: Data("P".utf8)) != nil)
    }

    @Test func capacityPauseRefusesAndTheStoreStaysEmpty() throws {
        let store = try freshStore("fixtures/designs/assign-full.yaml")
        let r = try RCTBinary.run(["assign", "fixtures/designs/assign-full.yaml", "--cohort", cohort112, "--store", store])
        #expect(r.status == 1)
        #expect(r.stderr.contains("the intervention arm is full (3 of 3 places taken) and the design says when_full: pause"), "\(r.stderr)")
        #expect(try RCTBinary.run(["verify", "--store", store]).stdout.contains("0 assignment records"))
        let wait = try freshStore("fixtures/designs/assign-waitlist.yaml")
        let w = try RCTBinary.run(["assign", "fixtures/designs/assign-waitlist.yaml", "--cohort", cohort112, "--store", wait])
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stdout.contains("capacity of intervention: 4 of 4 places taken, 51 waiting"))
    }

    @Test func quickDrawWithoutADesign() throws {
        let r = try RCTBinary.run(["assign", "--cohort", "fixtures/assignment/cohort-screening.csv", "--id-column", "family_id",
                                   "--strata", "deprivation_band", "--arms", "control,a,b", "--ratio", "1:1:1", "--seed", "7"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = csvRows(r.stdout)
        #expect(rows.count == 12)
        #expect(rows.allSatisfy { $0["procedure"] == "blocked" && $0["seed"] == "7" && $0["probability"] == "0.3333333333333333" })
        #expect(r.stderr.contains("assigned 12 units"))
        #expect(r.stderr.contains("nothing stored (no design)"))
        let same = try RCTBinary.run(["assign", "--cohort", "fixtures/assignment/cohort-screening.csv", "--id-column", "family_id",
                                      "--strata", "deprivation_band", "--arms", "control,a,b", "--ratio", "1:1:1", "--seed", "7"])
        #expect(same.stdout == r.stdout)
        let noSeed = try RCTBinary.run(["assign", "--cohort", "fixtures/assignment/cohort-screening.csv", "--id-column", "family_id"])
        #expect(noSeed.status == 64)
        #expect(noSeed.stderr.contains("Without a design, give the seed of the draw: --seed S"))
        let noStore = try RCTBinary.run(["assign", rolling, "--cohort", cohort112, "--store", "/nonexistent/none.sqlite"])
        #expect(noStore.status == 1)
        #expect(noStore.stderr.contains("no trial store at /nonexistent/none.sqlite; create it first with `rct init DESIGN`"))
    }
}

@Suite struct InitCommandTests {
    @Test func initIsIdempotentAndRefusesAChangedDesignOrAForeignFile() throws {
        let dir = try Fixtures.temporaryDirectory("init")
        let design = dir.appendingPathComponent("d.yaml")
        try Fixtures.contents("fixtures/designs/assign-rolling.yaml")
            .replacingOccurrences(of: "../assignment/pseudonym.key", with: Fixtures.path("fixtures/assignment/pseudonym.key"))
            .write(to: design, atomically: true, encoding: .utf8)
        let first = try RCTBinary.run(["init", design.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("d.sqlite: created the trial store of \"assign-rolling\""))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("d.sqlite").path))
        #expect(try RCTBinary.run(["init", design.path]).stdout.contains("already the trial store of \"assign-rolling\""))
        // Nothing is locked before the first assignment: the store takes the changed design.
        let original = try String(contentsOf: design, encoding: .utf8)
        try original.replacingOccurrences(of: "seed: 20170401", with: "seed: 1").write(to: design, atomically: true, encoding: .utf8)
        let changed = try RCTBinary.run(["init", design.path])
        #expect(changed.status == 0 && changed.stdout.contains("already the trial store of \"assign-rolling\""), "\(changed.stderr)")
        let assign = try RCTBinary.run(["assign", design.path, "--cohort", Fixtures.path("fixtures/assignment/cohort-112.csv")])
        #expect(assign.status == 0, "\(assign.stderr)")
        // After it, the seed cannot change, and `rct amend` does not record it either.
        try original.write(to: design, atomically: true, encoding: .utf8)
        let again = try RCTBinary.run(["init", design.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("differs from the one") && again.stderr.contains("randomisation.seed: 1 → 20170401")
            && again.stderr.contains("randomisation.seed cannot change after the first assignment (the seed fixes every draw already made)"),
            "\(again.stderr)")
        let foreign = dir.appendingPathComponent("foreign.sqlite")
        try "not a database".write(to: foreign, atomically: true, encoding: .utf8)
        let r = try RCTBinary.run(["init", design.path, "--store", foreign.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("foreign.sqlite is not a usable trial store"), "\(r.stderr)")
    }
}

@Suite struct EnrolCapacityTests {
    @Test func enrolmentPausesWhenTheInterventionArmIsFull() throws {
        let design = "fixtures/designs/assign-full.yaml"  // 1 case manager × 3 families, when_full: pause
        let store = try Fixtures.temporaryDirectory("pause").appendingPathComponent("t.sqlite").path
        #expect(try RCTBinary.run(["init", design, "--store", store]).status == 0)
        let lines = try Fixtures.contents("fixtures/assignment/cohort-112.csv").split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        var placed = 0
        var refusal: RunResult?
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let fields = zip(header, cells).flatMap { ["--field", "\($0.0)=\($0.1)"] }
            let r = try RCTBinary.run(["enrol", design, "--store", store] + fields)
            if r.status != 0 { refusal = r; break }
            if r.stdout.contains(": intervention (") {
                placed += 1
                #expect(r.stdout.contains("case manager cm1"))
            }
        }
        #expect(placed == 3)
        let r = try #require(refusal)
        #expect(r.status == 1)
        #expect(r.stderr.contains("the intervention arm is full (3 of 3 places taken) and the design says when_full: pause"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let again = try RCTBinary.run(["enrol", design, "--store", store, "--field", "family_id=F999", "--field", "insz=93051822361",
                                       "--field", "birth_date=2019-04-01", "--field", "enrolled_on=2019-12-31", "--field", "consent=yes",
                                       "--field", "weak_income=1", "--field", "weak_education=1", "--field", "weak_stimulation=1",
                                       "--field", "weak_employment=0", "--field", "weak_housing=0", "--field", "weak_health=0",
                                       "--field", "deprivation_band=3", "--field", "domains_weak=3", "--field", "single_parent=0"])
        #expect(again.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
    }
}
