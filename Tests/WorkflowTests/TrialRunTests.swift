import Foundation
import Ingest
import Testing
import TestSupport
import TrialStore
import Workflow

/// The workflow's steps called as functions, without the command line: what they return and what they
/// leave in the store and the output folder.
@Suite(.serialized) struct TrialRunTests {
    /// The bundled trial with few randomization-inference draws (the test is about the steps, not RI).
    static func trial(_ label: String) throws -> (root: URL, file: DesignFile) {
        let root = try Fixtures.missionTrialCopy(label) { $0.replacingOccurrences(of: "permutations: 10000", with: "permutations: 200") }
        return (root, try DesignFile.load(root.appendingPathComponent("designs/mission-kortrijk.yaml").path))
    }

    final class Lines: @unchecked Sendable {
        var output: [String] = [], progress: [String] = [], warnings: [String] = []
        var messages: TrialRun.Messages {
            TrialRun.Messages(output: { self.output.append($0) }, progress: { self.progress.append($0) },
                              warning: { self.warnings.append($0) })
        }
    }

    @Test func aRunWritesEveryOutputAndASecondRunIsUpToDate() throws {
        let (root, file) = try Self.trial("wf-run")
        let out = root.appendingPathComponent("out").path
        let lines = Lines()
        let first = try TrialRun.run(file, options: .init(out: out, program: "rct test"), messages: lines.messages)
        guard case let .written(report, result) = first else { Issue.record("the first run wrote nothing"); return }
        #expect(report == out + "/publish/report.html")
        #expect(result.effects.outcomes.count > 0)
        #expect(lines.output.contains("assigned 112 families (57 control, 55 intervention) by permuted_blocks, seed 20170401, generator mt19937"))
        #expect(lines.progress.contains { $0.hasPrefix("import vdab: imported, 3775 rows read, 3774 accepted, 1 rejected") })
        // Every row accounted, with the first lines of each reason and the rejected rows in a file.
        #expect(lines.progress.contains("  vdab: rejected by reason: duplicate_row 1 (line 3600)"))
        #expect(lines.progress.contains("  leefloon: rejected by reason: invalid_national_number 1 (line 239); unknown_participant 1 (line 126)"))
        #expect(lines.progress.contains { $0.hasPrefix("  ocmw_aid: superseded by a correction: 25 (lines ") })
        let rejects = try String(contentsOfFile: out + "/internal/panel/rejected/vdab.csv", encoding: .utf8)
        #expect(rejects.hasPrefix("line,column,reason,message,excerpt\n3600,,duplicate_row,the row repeats line 3131 exactly"))
        for name in RunManifest.outputs {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
        }
        let manifest = try #require(RunManifest.read(path: out + "/manifest.json"))
        #expect(manifest.assignmentRecords == 112)
        #expect(Set(manifest.inputs.keys) == Set(file.design.sources.filter { $0.kind != .cohort }.map(\.id)))

        let again = Lines()
        let second = try TrialRun.run(file, options: .init(out: out, program: "rct test"), messages: again.messages)
        guard case .upToDate = second else { Issue.record("the second run was not up to date"); return }
        #expect(again.output.isEmpty)
    }

    @Test func importingTheSameFilesAgainChangesNothingAndAChangedFileNeedsReplace() throws {
        let (root, file) = try Self.trial("wf-import")
        let store = try TrialStore.create(path: file.defaultStorePath, design: file.design, designFile: file.path, designData: file.data)
        _ = try CohortAssignment.run(file, cohortPath: file.path(of: file.source(ofKind: .cohort)!), store: store)
        let first = try ImportStep.run(file, store: store, progress: { _ in })
        #expect(first.allSatisfy { $0.status == .imported })
        #expect(first.first { $0.source == "vdab" }?.stored.rowsAccepted == 3774)
        let second = try ImportStep.run(file, store: store, progress: { _ in })
        #expect(second.allSatisfy { $0.status == .unchanged })

        // A corrected extract: refused without `replace`, before anything is written; taken with it.
        let vdab = root.appendingPathComponent("fixtures/mission/vdab_status.csv")
        let handle = try FileHandle(forWritingTo: vdab)
        handle.seekToEndOfFile()
        handle.write(Data("\n".utf8))
        try handle.close()
        let before = try store.importHistory().count
        #expect(throws: ImportStoreError.self) { try ImportStep.run(file, store: store, options: .init(sources: ["vdab"]), progress: { _ in }) }
        #expect(try store.importHistory().count == before)
        let replaced = try ImportStep.run(file, store: store, options: .init(sources: ["vdab"], replace: true), progress: { _ in })
        #expect(replaced.map(\.status) == [.replaced])

        // One thread or two: the same rows.
        let serial = try ImportStep.run(file, store: store, options: .init(sources: ["leefloon"], pipelined: false), progress: { _ in })
        #expect(serial.map(\.status) == [.unchanged])
    }

    @Test func aBrokenListIsRefusedWithEveryProblemAndNothingIsWritten() throws {
        let root = try Fixtures.temporaryDirectory("wf-list")
        let design = Fixtures.path("fixtures/external/design.yaml")
        let file = try DesignFile.load(design)
        let storePath = root.appendingPathComponent("t.sqlite").path
        let store = try TrialStore.create(path: storePath, design: file.design, designFile: file.path, designData: file.data)
        let broken = Fixtures.path("fixtures/external/broken/probabilities.csv")
        do {
            _ = try AssignmentListImport.run(file, store: store, options: .init(file: broken))
            Issue.record("a list with impossible probabilities was imported")
        } catch let refusal as AssignmentListImport.Refusal {
            #expect(refusal.problems.count == 3)
            #expect(refusal.problems.allSatisfy { $0.message.hasPrefix(broken + ":") })
            #expect(refusal.lines.last?.contains("nothing was imported (the store is unchanged)") == true)
        }
        #expect(try store.trial().headSeq == 0)
        #expect(try store.screenedUnits().isEmpty)
    }

    @Test func theCohortIsReadInItsDeclaredDialect() throws {
        let dir = try Fixtures.temporaryDirectory("wf-cohort")
        let path = dir.appendingPathComponent("cohort.txt").path
        // Windows-1252, semicolons, a quoted cell holding the separator.
        let text = "family_id;naam;enrolled_on\r\nF1;\"Peeters; An\";2018-01-02\r\nF2;Cr\u{E8}che;2018-02-03\r\n"
        try Data(text.unicodeScalars.map { UInt8($0.value) }).write(to: URL(fileURLWithPath: path))
        let cohort = try CohortReader.read(path: path, dialect: .init(separator: ";", encoding: .windows1252))
        #expect(cohort.header == ["family_id", "naam", "enrolled_on"])
        #expect(cohort.rows.map(\.line) == [2, 3])
        #expect(cohort.rows[0].fields["naam"] == "Peeters; An")
        #expect(cohort.rows[1].fields["naam"] == "Crèche")
        // A short row is named with its line, and nothing is returned.
        let short = dir.appendingPathComponent("short.txt").path
        try Data((text + "F3;2018-03-04\r\n").utf8).write(to: URL(fileURLWithPath: short))
        #expect(throws: CohortFileError.row(path: short, line: 4, column: nil,
                                            message: "2 fields where the header has 3; check the separator (;) and the quotes")) {
            try CohortReader.read(path: short, dialect: .init(separator: ";"))
        }
    }
}

/// A cohort delivered in another dialect (pipes, dates as YYYYMMDD, the way a registry exports it) gives
/// the same screening and the same arms as the same families in the bundled CSV.
@Suite struct CohortDialectTests {
    @Test func aPipeSeparatedCohortWithCompactDatesIsAssignedAlike() throws {
        let (_, plain) = try TrialRunTests.trial("wf-cohort-plain")
        let (root, _) = try TrialRunTests.trial("wf-cohort-pipes")
        // The same cohort, rewritten: `|` between cells, YYYYMMDD dates.
        let csv = try String(contentsOfFile: plain.path(of: plain.source(ofKind: .cohort)!), encoding: .utf8)
        let piped = csv.split(whereSeparator: \.isNewline).map { line -> String in
            line.split(separator: ",", omittingEmptySubsequences: false).map { cell -> String in
                let c = String(cell)
                return c.count == 10 && c.dropFirst(4).first == "-" ? c.replacingOccurrences(of: "-", with: "") : c
            }.joined(separator: "|")
        }.joined(separator: "\n") + "\n"
        try piped.write(to: root.appendingPathComponent("fixtures/mission/cohort_pipes.txt"), atomically: true, encoding: .utf8)
        let designPath = root.appendingPathComponent("designs/mission-kortrijk.yaml")
        var text = try String(contentsOf: designPath, encoding: .utf8)
        text = text.replacingOccurrences(of: """
                file: ../fixtures/mission/cohort.csv
                identifier: { column: family_id, type: code }
                dialect: { format: delimited, separator: ",", encoding: utf-8, date_format: YYYY-MM-DD }
            """, with: """
                file: ../fixtures/mission/cohort_pipes.txt
                identifier: { column: family_id, type: code }
                dialect: { format: delimited, separator: "|", encoding: utf-8, date_format: YYYYMMDD }
            """)
        try text.write(to: designPath, atomically: true, encoding: .utf8)
        let pipes = try DesignFile.load(designPath.path)
        #expect(pipes.source(ofKind: .cohort)?.dialect.dateFormat == .compact)

        func arms(_ file: DesignFile) throws -> [String: String] {
            let store = try TrialStore.create(path: file.defaultStorePath, design: file.design, designFile: file.path, designData: file.data)
            let outcome = try CohortAssignment.run(file, cohortPath: file.path(of: file.source(ofKind: .cohort)!), store: store)
            #expect(outcome.run.screened.count == 160)
            return Dictionary(uniqueKeysWithValues: outcome.run.assignments.map { ($0.unitID, "\($0.arm) \($0.assignedOn!)") })
        }
        let a = try arms(plain), b = try arms(pipes)
        #expect(a.count == 112)
        #expect(a == b)
    }

    @Test func datesNotInTheDeclaredFormAreRefusedNotGuessed() throws {
        let (root, _) = try TrialRunTests.trial("wf-cohort-wrong-form")
        let designPath = root.appendingPathComponent("designs/mission-kortrijk.yaml")
        let text = try String(contentsOf: designPath, encoding: .utf8).replacingOccurrences(
            of: "dialect: { format: delimited, separator: \",\", encoding: utf-8, date_format: YYYY-MM-DD }",
            with: "dialect: { format: delimited, separator: \",\", encoding: utf-8, date_format: DD/MM/YYYY }")
        try text.write(to: designPath, atomically: true, encoding: .utf8)
        let file = try DesignFile.load(designPath.path)
        let store = try TrialStore.create(path: file.defaultStorePath, design: file.design, designFile: file.path, designData: file.data)
        #expect(throws: CohortFileError.self) {
            try CohortAssignment.run(file, cohortPath: file.path(of: file.source(ofKind: .cohort)!), store: store)
        }
        do { _ = try CohortAssignment.run(file, cohortPath: file.path(of: file.source(ofKind: .cohort)!), store: store) } catch {
            #expect("\(error)".contains("cohort.csv:2: column birth_date: \"2019-02-25\" is not a date in the form DD/MM/YYYY"), "\(error)")
        }
        #expect(try store.trial().headSeq == 0)
    }
}

/// A trial randomised elsewhere: the list carries every family's date of assignment, so the cohort
/// needs no enrolment date column.
@Suite struct ImportedListCohortTests {
    @Test func aCohortWithoutAnEnrolmentDateColumnIsEnough() throws {
        let dir = try Fixtures.temporaryDirectory("wf-list-cohort")
        let cohort = try String(contentsOfFile: Fixtures.path("fixtures/mission/cohort.csv"), encoding: .utf8)
        let rows = cohort.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let drop = try #require(rows[0].firstIndex(of: "enrolled_on"))
        let without = rows.map { row -> String in
            var cells = row
            cells.remove(at: drop)
            return cells.joined(separator: ",")
        }
        let path = dir.appendingPathComponent("cohort-without-dates.csv").path
        try (without.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let file = try DesignFile.load(Fixtures.path("fixtures/external/design.yaml"))
        let store = try TrialStore.create(path: dir.appendingPathComponent("t.sqlite").path, design: file.design,
                                          designFile: file.path, designData: file.data)
        let outcome = try AssignmentListImport.run(file, store: store, options: .init(cohort: path))
        #expect(outcome.receipt.assigned == 112)
        #expect(try store.assignedUnits().allSatisfy { $0.assignedOn.year >= 2017 })
    }
}
