import Basics
import Foundation
import GRDB
import Testing
import TestSupport
import TrialStore

/// End-to-end runs of `rct import-assignment` on fixtures/external (MISSION randomised elsewhere).
@Suite struct ImportAssignmentTests {
    let design = "fixtures/external/design.yaml"

    func freshStore() throws -> String {
        let path = try Fixtures.temporaryDirectory("import-assignment").appendingPathComponent("trial.sqlite").path
        let r = try RCTBinary.run(["init", design, "--store", path])
        #expect(r.status == 0, "\(r.stderr)")
        return path
    }

    func importList(_ store: String, _ extra: [String] = []) throws -> RunResult {
        try RCTBinary.run(["import-assignment", design, "--store", store] + extra)
    }

    /// The planted assignment the simulator wrote: family → (arm, date).
    func planted() throws -> [String: (arm: String, date: String)] {
        var out: [String: (String, String)] = [:]
        for line in try Fixtures.contents("fixtures/mission/assignment_planted.csv").split(whereSeparator: \.isNewline).dropFirst() {
            let c = line.split(separator: ",").map(String.init)
            out[c[0]] = (c[1], c[2])
        }
        return out
    }

    @Test func theCityListImportsIntactAndEqualsThePlantedAssignment() throws {
        let store = try freshStore()
        let r = try importList(store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains("fixtures/external/toewijzing.csv (SHA-256 "))
        #expect(r.stdout.contains("112 families, windows-1252, separator ;, dates DD/MM/YYYY"))
        #expect(r.stdout.contains("cohort: fixtures/mission/cohort.csv, 160 families screened: 112 eligible, 48 excluded (stored with the import)"))
        #expect(r.stdout.contains("imported 112 families (57 control, 55 intervention) as procedure imported: records 1–112"))
        #expect(r.stdout.contains("enrolment window 2017-04-01 to 2019-04-30 (the design's eligibility rule birth_in_window, on birth_date): every assignment date lies inside"))
        #expect(r.stdout.contains("  3: 17 control, 16 intervention, p = 1.0000"))
        #expect(r.stdout.contains("  4-6: 40 control, 39 intervention, p = 1.0000"))
        // Derived, and the report says so.
        #expect(r.stdout.contains("probabilities: not in the file; derived from the declared procedure (blocked) and the counts per "
            + "stratum, as complete assignment within stratum: p = n_arm / n_stratum (3: control 17/33, intervention 16/33; "
            + "4-6: control 40/79, intervention 39/79)"))

        // assignedUnits() — what the panel reads — equals the list (hence the planted assignment).
        let trialStore = try TrialStore.open(path: store)
        let units = try trialStore.assignedUnits()
        let truth = try planted()
        #expect(units.count == 112)
        #expect(Set(units.map(\.id)) == Set(truth.keys))
        for u in units {
            #expect(u.arm == truth[u.id]?.arm, "\(u.id)")
            #expect(u.assignedOn.description == truth[u.id]?.date, "\(u.id)")
            let expected = u.stratum == "3" ? (u.arm == "control" ? 17.0 / 33 : 16.0 / 33) : (u.arm == "control" ? 40.0 / 79 : 39.0 / 79)
            #expect(u.probability == expected, "\(u.id)")
            #expect(u.linkKey != nil && u.attributes["deprivation_band"] == u.stratum, "\(u.id)")
        }
        // In the file's order (sorted by date), each record marked imported with the file's fingerprint.
        let records = try trialStore.assignmentRecords()
        let fingerprint = Fingerprint.sha256(try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/external/toewijzing.csv"))))
        #expect(records.allSatisfy { $0.entry.procedure == "imported" && $0.entry.sourceSHA256 == fingerprint && $0.entry.seed == 0 })
        #expect(records.map(\.entry.assignedOn) == records.map(\.entry.assignedOn).sorted())
        #expect(try trialStore.importedFiles() == [.init(runID: 1, file: "toewijzing.csv", sha256: fingerprint, assigned: 112,
                                                         probabilitiesDerived: true)])
        let counts = try trialStore.screeningCounts()
        #expect(counts.screened == 160 && counts.eligible == 112 && counts.assignedByArm == ["control": 57, "intervention": 55])

        // verify: intact; with the design it says plainly that imported records are not re-drawn.
        let v = try RCTBinary.run(["verify", "--store", store])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.contains("112 assignment records, the chain is intact; head \(records.last!.hash)"))
        let vd = try RCTBinary.run(["verify", design, "--store", store])
        #expect(vd.status == 0, "\(vd.stderr)")
        #expect(vd.stdout.contains("112 of 112 records were imported from an assignment made elsewhere (toewijzing.csv (SHA-256 "
            + "\(fingerprint.prefix(12))…, 112 families)): they cannot be re-drawn from a seed, so the re-draw check does not apply to them"))
        #expect(!vd.stdout.contains("comes out of the design's seed"))
        // balance works as for a trial randomised here.
        let b = try RCTBinary.run(["balance", design, "--store", store])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("Baseline balance, 112 assigned families (57 control, 55 intervention)"))

        // Nothing is drawn here after an imported assignment.
        let assign = try RCTBinary.run(["assign", design, "--store", store, "--cohort", "fixtures/mission/cohort.csv"])
        #expect(assign.status == 1)
        #expect(assign.stderr.contains("error: the store holds an assignment made elsewhere (112 imported records, the first is "
            + "record 1); families are not drawn here after an imported assignment"))

        // The same bytes again: refused, nothing changes.
        let again = try importList(store)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already has an arm in the store") || again.stderr.contains("were already imported"))
        #expect(try TrialStore.open(path: store).trial().headSeq == 112)
    }

    @Test func tamperingWithAnImportedRecordIsDetected() throws {
        let store = try freshStore()
        #expect(try importList(store).status == 0)
        let queue = try DatabaseQueue(path: store)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER assignments_append_only_update")
            try db.execute(sql: "UPDATE assignments SET arm = CASE arm WHEN 'control' THEN 'intervention' ELSE 'control' END WHERE seq = 30")
            try db.execute(sql: "UPDATE assignments SET source_sha256 = 'forged' WHERE seq = 31")
        }
        try queue.close()
        let v = try RCTBinary.run(["verify", "--store", store])
        #expect(v.status == 1)
        #expect(v.stderr.contains("record 30 (family "))
        #expect(v.stderr.contains("was altered: its content no longer matches its hash"))
        // The file's fingerprint is part of the hash, too.
        #expect(v.stderr.contains("also: record 31 (family "))
        #expect(v.stderr.contains("the append-only triggers were removed"))
        #expect(v.stderr.contains("do not analyse this store"))
    }

    /// Each broken list: exit 1, the message names the file and line and says what to do, and the store
    /// is unchanged (no record, no screening).
    @Test(arguments: [
        ("unknown_arm", "fixtures/external/broken/unknown_arm.csv:5: groep \"Interventie groep\" is not an arm of the design "
            + "(control, intervention); map the file's label to an arm id under the source's codes, e.g. codes: { arm: "
            + "{ \"Interventie groep\": intervention } }, or correct the cell"),
        ("not_in_cohort", "fixtures/external/broken/not_in_cohort.csv:4: family F0999 is not in the cohort (fixtures/mission/cohort.csv); "
            + "add the family to the cohort and screen it, or remove the row if it does not belong to this trial"),
        ("twice", "fixtures/external/broken/twice.csv:6: family F0066 is listed twice (lines 3 and 6); a family is assigned once: "
            + "keep the row that was drawn and remove the other"),
        ("excluded", "fixtures/external/broken/excluded.csv:4: family F0006 was screened out of the trial (birth outside the "
            + "enrolment window); an excluded family cannot be assigned: correct the cohort, or remove the row"),
        ("outside_window", "fixtures/external/broken/outside_window.csv:5: datum_toewijzing 2019-05-15 is outside the enrolment "
            + "window 2017-04-01 to 2019-04-30 (the design's eligibility rule birth_in_window, on birth_date); correct the date, "
            + "or give the window the trial really used with --window FROM,TO"),
        ("bad_date", "fixtures/external/broken/bad_date.csv:3: family F0066: datum_toewijzing \"31/02/2018\" is not a date in the "
            + "form DD/MM/YYYY; correct the cell, or declare the file's date form under the source's dialect (date_format)"),
        ("probabilities", "fixtures/external/broken/probabilities.csv:3: the arm probabilities add up to 0.9 (probability_control "
            + "0.4 + probability_intervention 0.5), not 1; each row's probabilities over the arms must sum to one: correct them"),
    ])
    func aBrokenListIsRefusedNamingTheRowAndLeavesTheStoreUnchanged(name: String, message: String) throws {
        let store = try freshStore()
        let file = "fixtures/external/broken/\(name).csv"
        let r = try importList(store, ["--file", file])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error: " + message), "\(r.stderr)")
        #expect(r.stderr.contains("\(file): \(name == "probabilities" ? 3 : 1) problem"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was imported (the store is unchanged)"))
        let trialStore = try TrialStore.open(path: store)
        #expect(try trialStore.assignmentRecords().isEmpty)
        #expect(try trialStore.screenedUnits().isEmpty)
        #expect(try trialStore.verify().isIntact)
    }

    @Test func probabilitiesOutsideTheOpenIntervalAreNamed() throws {
        let store = try freshStore()
        let r = try importList(store, ["--file", "fixtures/external/broken/probabilities.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: fixtures/external/broken/probabilities.csv:5: probability_control 1.0 is outside (0, 1); "
            + "every arm's probability is strictly between 0 and 1: correct the cell"))
        #expect(r.stderr.contains("error: fixtures/external/broken/probabilities.csv:5: probability_intervention 0.0 is outside (0, 1)"))
    }

    @Test func givenProbabilitiesAreStoredAndReportedAsGiven() throws {
        let store = try freshStore()
        let r = try importList(store, ["--file", "fixtures/external/probabilities_given.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("probabilities: given in the file (probability_control, probability_intervention)"))
        let units = try TrialStore.open(path: store).assignedUnits()
        #expect(units.count == 6 && units.allSatisfy { $0.probability == 0.5 })
        #expect(try TrialStore.open(path: store).importedFiles().first?.probabilitiesDerived == false)

        // The store now holds the cohort and six families: the whole list repeats them, and is refused
        // naming the first repeated row; --cohort is refused too.
        let whole = try importList(store)
        #expect(whole.status == 1)
        #expect(whole.stderr.contains("error: fixtures/external/toewijzing.csv:2: family F0005 already has an arm in the store "
            + "(intervention, assigned 2017-04-27, record 1); a family is assigned once: remove the row, or import into a new store"))
        #expect(whole.stderr.contains("6 problems found; nothing was imported"))
        let cohort = try importList(store, ["--cohort", "fixtures/mission/cohort.csv"])
        #expect(cohort.status == 1)
        #expect(cohort.stderr.contains("already holds the cohort (160 families screened); remove --cohort"))
        #expect(try TrialStore.open(path: store).trial().headSeq == 6)
    }

    @Test func anImplausibleStratumSplitIsAWarningAndTheListIsImported() throws {
        let store = try freshStore()
        let r = try importList(store, ["--file", "fixtures/external/implausible.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: stratum 3: 5 control, 28 intervention (n = 33); under the declared ratio 1:1 a split "
            + "at least this uneven has probability 6.619e-05 (exact binomial test)"))
        #expect(r.stdout.contains("  3: 5 control, 28 intervention, p = 0.0001 (implausible, see the warning)"))
        #expect(try TrialStore.open(path: store).assignedUnits().count == 33)
    }

    /// Rows that cannot be read are named too; a stratum that disagrees with the cohort's is a warning.
    @Test func unreadableRowsAreNamedAndADisagreeingStratumIsWarnedAbout() throws {
        let dir = try Fixtures.temporaryDirectory("import-assignment-rows")
        func write(_ name: String, _ lines: [String]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let header = "gezin_id;groep;datum_toewijzing;stratum"
        let broken = try write("rows.csv", [header, "F0005;Interventie;27/04/2017", "F0066;;11/05/2017;3 domeinen",
                                            ";Controle;10/07/2017;3 domeinen"])
        let store = try freshStore()
        let r = try importList(store, ["--file", broken])
        #expect(r.status == 1)
        #expect(r.stderr.contains("rows.csv:2: the row has 3 fields, the header 4; check the separator (;) and the quotes of this row"))
        #expect(r.stderr.contains("rows.csv:3: family F0066: the groep cell is empty; every row gives the family's arm"))
        #expect(r.stderr.contains("rows.csv:4: the gezin_id cell is empty; every row names the family it assigns"))
        #expect(r.stderr.contains("3 problems found; nothing was imported"))

        // F0005 is in band 4-6, the list says 3.
        let disagreeing = try write("strata.csv", [header, "F0005;Interventie;27/04/2017;3 domeinen", "F0066;Controle;11/05/2017;4-6"])
        let w = try importList(store, ["--file", disagreeing])
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stderr.contains("warning: 1 row of \(disagreeing) gives a stratum different from the cohort's (first: line 2, "
            + "family F0005: 3 in the list, 4-6 by the design's strata columns); the list's strata are stored"))
        #expect(try TrialStore.open(path: store).assignedUnits().map(\.stratum) == ["3", "4-6"])
    }

    @Test func aDeclaredWindowReplacesTheDesignsAndIsChecked() throws {
        let store = try freshStore()
        let r = try importList(store, ["--window", "2018-01-01,2019-12-31"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: fixtures/external/toewijzing.csv:2: datum_toewijzing 2017-04-27 is outside the enrolment "
            + "window 2018-01-01 to 2019-12-31 (--window)"))
        let bad = try importList(store, ["--window", "2018-01-01"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--window 2018-01-01: write two dates FROM,TO as YYYY-MM-DD"))
    }
}

/// A list that names families by the reference parent's national number (the city's register does),
/// matched to the study codes through the pseudonym of trial.link_column. Never printed.
@Suite struct ImportAssignmentByNationalNumberTests {
    @Test func rowsAreMatchedThroughTheLinkColumnAndNumbersAreNeverShown() throws {
        let dir = try Fixtures.temporaryDirectory("import-assignment-insz")
        var cohort: [String: String] = [:]
        for line in try Fixtures.contents("fixtures/mission/cohort.csv").split(whereSeparator: \.isNewline).dropFirst() {
            let c = line.split(separator: ",").map(String.init)
            cohort[c[0]] = c[1]
        }
        // F0005 intervention 27/04/2017, F0066 control 11/05/2017 (as in the planted assignment).
        let list = ["rijksregisternummer;groep;datum_toewijzing", "\(cohort["F0005"]!);Interventie;27/04/2017",
                    "\(cohort["F0066"]!);Controle;11/05/2017"]
        let listPath = dir.appendingPathComponent("lijst.csv").path
        try (list.joined(separator: "\r\n") + "\r\n").write(toFile: listPath, atomically: true, encoding: .utf8)
        let mission = Fixtures.path("fixtures/mission") + "/"
        var text = try Fixtures.contents("fixtures/external/design.yaml").replacingOccurrences(of: "../mission/", with: mission)
        text = text.replacingOccurrences(of: "file: toewijzing.csv\n    identifier: { column: gezin_id, type: code }",
                                         with: "file: \(listPath)\n    identifier: { column: rijksregisternummer, type: insz }")
        text = text.replacingOccurrences(of: "columns: { arm: groep, assigned_on: datum_toewijzing, stratum: stratum }",
                                         with: "columns: { arm: groep, assigned_on: datum_toewijzing }")
        let designPath = dir.appendingPathComponent("design.yaml").path
        try text.write(toFile: designPath, atomically: true, encoding: .utf8)
        let store = dir.appendingPathComponent("t.sqlite").path
        #expect(try RCTBinary.run(["init", designPath, "--store", store]).status == 0)
        let r = try RCTBinary.run(["import-assignment", designPath, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        let units = try TrialStore.open(path: store).assignedUnits()
        #expect(units.map(\.id) == ["F0005", "F0066"])
        #expect(units.map(\.arm) == ["intervention", "control"])
        // Strata come from the cohort when the list has none.
        #expect(units.map(\.stratum) == ["4-6", "4-6"])

        // A number with wrong check digits and one that is no parent of the cohort: named by line, never shown.
        let wrong = "12345678901"
        let stranger = "85073003328"
        let bad = ["rijksregisternummer;groep;datum_toewijzing", "\(wrong);Controle;11/05/2017", "\(stranger);Controle;11/05/2017"]
        let badPath = dir.appendingPathComponent("fout.csv").path
        try (bad.joined(separator: "\n") + "\n").write(toFile: badPath, atomically: true, encoding: .utf8)
        let f = try RCTBinary.run(["import-assignment", designPath, "--store", store, "--file", badPath])
        #expect(f.status == 1)
        #expect(f.stderr.contains("fout.csv:2: column rijksregisternummer: not a valid national number; correct it at the source "
            + "(the number itself is not shown)"))
        #expect(f.stderr.contains("fout.csv:3: family with pseudonym "))
        #expect(f.stderr.contains("is not in the cohort"))
        #expect(!f.stderr.contains(wrong) && !f.stderr.contains(stranger) && !f.stdout.contains(stranger))
    }
}
