import Foundation
import TrialData
import Testing
import TestSupport
import TrialStore

/// End-to-end runs of the built `rct` binary on the simulated MISSION trial (fixtures/mission):
/// `rct init` + `rct assign` + `rct import`, in a temporary copy of the design and its files.
@Suite struct ImportCommandTests {
    /// The environment of every run: an empty RCT_PSEUDONYM_KEY, so the design's key_file (the test key of
    /// fixtures/mission) is used whatever the machine has set.
    static let environment = ["RCT_PSEUDONYM_KEY": ""]
    static let design = "designs/mission-kortrijk.yaml"
    static let store = "trial.sqlite"

    /// A temporary folder laid out as the repository: designs/mission-kortrijk.yaml and fixtures/mission/.
    static func workspace() throws -> URL {
        let root = try Fixtures.temporaryDirectory("import-e2e")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("designs"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("fixtures"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: Fixtures.path(design), toPath: root.appendingPathComponent(design).path)
        try fm.copyItem(atPath: Fixtures.path("fixtures/mission"), toPath: root.appendingPathComponent("fixtures/mission").path)
        // A key is readable by its owner only (rct warns otherwise).
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root.appendingPathComponent("fixtures/mission/pseudonym.key").path)
        return root
    }

    /// Runs the binary in `root`, collecting what it printed for the national-number scan.
    final class Session {
        let root: URL
        var outputs: [String] = []
        init(root: URL) { self.root = root }
        @discardableResult
        func run(_ arguments: [String]) throws -> RunResult {
            let r = try RCTBinary.run(arguments, currentDirectory: root, environment: ImportCommandTests.environment)
            outputs += [r.stdout, r.stderr]
            return r
        }
        var storePath: String { root.appendingPathComponent(ImportCommandTests.store).path }
        func storeBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: storePath)) }
        func file(_ name: String) -> String { root.appendingPathComponent("fixtures/mission/\(name)").path }
    }

    /// A workspace with an initialised store in which the cohort was assigned.
    static func assigned() throws -> Session {
        let s = Session(root: try workspace())
        let i = try s.run(["init", design, "--store", store])
        #expect(i.status == 0, "\(i.stderr)")
        let a = try s.run(["assign", design, "--cohort", "fixtures/mission/cohort.csv", "--store", store])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("assigned 112 families"))
        return s
    }

    struct Truth {
        var rows: [String: Int]
        var corrections: [String: Int]
        /// file → ["line reason", …]
        var planted: [String: [String]]
    }

    static func truth() throws -> Truth {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/mission/truth.json")))
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var planted: [String: [String]] = [:]
        for e in json["planted_errors"] as! [[String: Any]] {
            planted[e["file"] as! String, default: []].append("\(e["line"] as! Int) \(e["reason"] as! String)")
        }
        return Truth(rows: json["rows"] as! [String: Int], corrections: json["corrections"] as! [String: Int], planted: planted)
    }

    /// source id → file name, for the eight importable sources of the reference design (the exit
    /// register is imported like a registry extract).
    static let sources: [(id: String, file: String, survey: Bool)] = [
        ("leefloon", "ocmw_leefloon.csv", false), ("ocmw_aid", "ocmw_steun.csv", false), ("statements", "federal_statements.txt", false),
        ("vdab", "vdab_status.csv", false), ("survey_baseline", "survey_baseline.csv", true), ("survey_m6", "survey_m6.csv", true),
        ("survey_m12", "survey_m12.csv", true), ("exits", "scope_exits.csv", false),
    ]

    @Test func importingTheMissionTrialMatchesTheSimulatorsTruth() throws {
        let s = try Self.assigned()
        let truth = try Self.truth()
        let r = try s.run(["import", Self.design, "--store", Self.store])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "no progress lines for small files: \(r.stderr)")
        #expect(r.stdout.contains("store \(Self.store): 8 sources imported, 0 unchanged"))
        let store = try TrialStore.open(path: s.storePath)
        let units = try store.assignedUnits()
        #expect(units.count == 112)
        let summaries = try store.importSummaries()
        #expect(summaries.map(\.source) == Self.sources.map(\.id))
        for (id, file, survey) in Self.sources {
            guard let stored = summaries.first(where: { $0.source == id }) else { Issue.record("\(id) not imported"); continue }
            let read = truth.rows[file]!
            let planted = (truth.planted[file] ?? []).sorted()
            let corrections = truth.corrections[file] ?? 0
            #expect(stored.rowsRead == read, "\(id): rows read vs rows the simulator wrote")
            #expect(stored.rowsRead == stored.rowsAccepted + stored.rowsRejected)
            #expect(stored.rowsRejected == planted.count, "\(id): only the planted errors are rejected")
            #expect(stored.superseded == corrections, "\(id): corrections")
            #expect(stored.file == "../fixtures/mission/\(file)")
            #expect(r.stdout.contains("\(id): ../fixtures/mission/\(file) imported as import \(stored.id)"))
            #expect(r.stdout.contains("\(read) rows read = \(read - planted.count) accepted + \(planted.count) rejected; "
                + "\(corrections) superseded correction\(corrections == 1 ? "" : "s")"))
            let quarantine = try store.quarantine(importID: stored.id)
            #expect(quarantine.map { "\($0.line) \($0.reason)" }.sorted() == planted, "\(id): the quarantine holds the planted errors")
            if survey {
                let responses = try store.surveyResponses(source: id)
                #expect(responses.count == stored.rowsAccepted)
                #expect(Set(responses.map(\.participant)).isSubset(of: Set(units.map(\.id))))
            } else {
                let records = try store.registryRecords(source: id)
                #expect(records.count == stored.rowsAccepted - stored.superseded)
                #expect(Set(records.map(\.participant)).isSubset(of: Set(units.map(\.registryKey))), "\(id): every record links to a family")
                #expect(stored.keyFingerprint != nil)
            }
        }
        // The merge report: the planted stranger in the leefloon file, families without records.
        #expect(r.stdout.contains("merge: 1 row of 1 person not in the trial (rejected as unknown_participant)"))
        #expect(r.stdout.contains("quarantine: 2 rows in \(Self.store) (table quarantine, import 1)"))
        let leefloonFamilies = Set(try store.registryRecords(source: "leefloon").map(\.participant)).count
        #expect(r.stdout.contains("merge: \(leefloonFamilies) of 112 families with records; \(112 - leefloonFamilies) with none (F"))
        // The quarantine can be listed.
        let q = try s.run(["import", Self.design, "--store", Self.store, "--quarantine", "ocmw_aid"])
        #expect(q.status == 0)
        #expect(q.stdout.contains("../fixtures/mission/ocmw_steun.csv:40: unparseable_date (beslissingsdatum)"))
    }

    /// `--stream` (automatic for files of 4 MiB or more) writes row by row: the same stored rows, counts,
    /// quarantine and report as holding each source in memory.
    @Test func streamingStoresTheSameAsHolding() throws {
        let held = try Self.assigned(), streamed = try Self.assigned()
        let a = try held.run(["import", Self.design, "--store", Self.store])
        let b = try streamed.run(["import", Self.design, "--store", Self.store, "--stream"])
        #expect(a.status == 0 && b.status == 0, "\(b.stderr)")
        #expect(a.stdout == b.stdout)
        try Self.expectSameImports(held, streamed)
        let y = try TrialStore.open(path: streamed.storePath)
        #expect(try y.registryRecords(source: "ocmw_aid").count == 641)
        // A streamed import is idempotent too.
        #expect(try streamed.run(["import", Self.design, "--store", Self.store, "--stream"]).stdout.contains("0 sources imported, 8 unchanged"))
    }

    /// The importer reads and prepares rows on a thread of its own; `RCT_IMPORT_SERIAL=1` does all of it on
    /// the calling thread. Both must store the same rows, rejections (with their lines and reasons),
    /// corrections and merge reports on the simulated extracts, planted errors included.
    @Test func oneThreadStoresTheSameAsTwo() throws {
        let two = try Self.assigned(), one = try Self.assigned()
        let a = try two.run(["import", Self.design, "--store", Self.store])
        let b = try RCTBinary.run(["import", Self.design, "--store", Self.store], currentDirectory: one.root,
                                  environment: Self.environment.merging(["RCT_IMPORT_SERIAL": "1"]) { $1 })
        #expect(a.status == 0 && b.status == 0, "\(b.stderr)")
        #expect(a.stdout == b.stdout)
        try Self.expectSameImports(two, one)
        let sx = try TrialStore.open(path: two.storePath).importSummaries()
        #expect(sx.reduce(0) { $0 + $1.rowsRejected } > 0 && sx.reduce(0) { $0 + $1.superseded } > 0, "planted errors and corrections")
    }

    /// Two stores hold the same imports: records, responses, counts, fingerprints, merge reports and
    /// quarantined rows.
    static func expectSameImports(_ first: Session, _ second: Session,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let x = try TrialStore.open(path: first.storePath), y = try TrialStore.open(path: second.storePath)
        #expect(try x.registryRecords() == y.registryRecords(), sourceLocation: sourceLocation)
        #expect(try x.surveyResponses() == y.surveyResponses(), sourceLocation: sourceLocation)
        let sx = try x.importSummaries(), sy = try y.importSummaries()
        #expect(sx.map(\.rowsRead) == sy.map(\.rowsRead) && sx.map(\.rowsRejected) == sy.map(\.rowsRejected),
                sourceLocation: sourceLocation)
        #expect(sx.map(\.superseded) == sy.map(\.superseded) && sx.map(\.fingerprint) == sy.map(\.fingerprint),
                sourceLocation: sourceLocation)
        #expect(sx.map(\.mergeReport) == sy.map(\.mergeReport), sourceLocation: sourceLocation)
        for (i, j) in zip(sx, sy) {
            #expect(try x.quarantine(importID: i.id) == y.quarantine(importID: j.id), sourceLocation: sourceLocation)
        }
    }

    @Test func importingTwiceChangesNothing() throws {
        let s = try Self.assigned()
        #expect(try s.run(["import", Self.design, "--store", Self.store]).status == 0)
        let before = try s.storeBytes()
        let again = try s.run(["import", Self.design, "--store", Self.store])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.components(separatedBy: " unchanged: already imported as import ").count == 9)
        #expect(again.stdout.contains("store \(Self.store): 0 sources imported, 8 unchanged"))
        #expect(try s.storeBytes() == before)
        // --replace with the same files is also a no-op.
        #expect(try s.run(["import", Self.design, "--store", Self.store, "--replace"]).status == 0)
        #expect(try s.storeBytes() == before)
    }

    @Test func aChangedFileIsRefusedUnlessReplaced() throws {
        let s = try Self.assigned()
        #expect(try s.run(["import", Self.design, "--store", Self.store]).status == 0)
        // The survey tool re-exported wave m6 without its last interview.
        // (The file ends in CRLF: cut the bytes after the line end before the last one.)
        let m6 = [UInt8](try Data(contentsOf: URL(fileURLWithPath: s.file("survey_m6.csv"))))
        let ends = m6.indices.filter { m6[$0] == UInt8(ascii: "\n") }
        #expect(ends.count == 99 && ends.last == m6.count - 1)
        try Data(m6[...ends[ends.count - 2]]).write(to: URL(fileURLWithPath: s.file("survey_m6.csv")))
        let before = try s.storeBytes()
        let refused = try s.run(["import", Self.design, "--store", Self.store])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("survey_m6.csv: source survey_m6 already holds import 6"))
        #expect(refused.stderr.contains("--replace"))
        #expect(refused.stdout.isEmpty)
        #expect(try s.storeBytes() == before, "a refusal writes nothing, not even the other (unchanged) sources")
        let replaced = try s.run(["import", Self.design, "--store", Self.store, "--replace"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("survey_m6: ../fixtures/mission/survey_m6.csv imported as import 9"))
        #expect(replaced.stdout.contains("replaces import 6 (../fixtures/mission/survey_m6.csv"))
        #expect(replaced.stdout.contains("store \(Self.store): 1 source imported, 7 unchanged"))
        let store = try TrialStore.open(path: s.storePath)
        #expect(try store.surveyResponses(source: "survey_m6").count == 97)
        #expect(try store.importSummaries().count == 8)
        #expect(try store.importSummaries().first { $0.source == "survey_m6" }?.id == 9)
    }

    @Test func aFailingImportLeavesTheStoreAsItWas() throws {
        let s = try Self.assigned()
        let before = try s.storeBytes()
        // A quote that is never closed: the file cannot be read to its end.
        let handle = FileHandle(forWritingAtPath: s.file("ocmw_steun.csv"))!
        handle.seekToEndOfFile()
        handle.write(Data("75042399911;\"21/07/2018;Voorschot;kapot;09/08/2018;09/08/2018;350,18\n".utf8))
        try handle.close()
        let broken = try s.run(["import", Self.design, "--store", Self.store, "--source", "ocmw_aid"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("ocmw_steun.csv"), "\(broken.stderr)")
        #expect(try s.storeBytes() == before)
        // A missing file is found before anything is written, whichever source it belongs to.
        try FileManager.default.removeItem(atPath: s.file("vdab_status.csv"))
        let missing = try s.run(["import", Self.design, "--store", Self.store])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("fixtures/mission/vdab_status.csv: cannot read the file of source vdab"))
        #expect(missing.stderr.contains("check `file:`"))
        #expect(try s.storeBytes() == before)
    }

    @Test func errorsSayWhatToDo() throws {
        let s = Session(root: try Self.workspace())
        #expect(try s.run(["init", Self.design, "--store", Self.store]).status == 0)
        let noCohort = try s.run(["import", Self.design, "--store", Self.store])
        #expect(noCohort.status == 1)
        #expect(noCohort.stderr.contains("the store has no assigned families yet"))
        #expect(noCohort.stderr.contains("rct assign \(Self.design)"))
        #expect(try s.run(["assign", Self.design, "--cohort", "fixtures/mission/cohort.csv", "--store", Self.store]).status == 0)
        let unknown = try s.run(["import", Self.design, "--store", Self.store, "--source", "kbo"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no source \"kbo\"") && unknown.stderr.contains("leefloon, ocmw_aid"))
        let cohort = try s.run(["import", Self.design, "--store", Self.store, "--source", "cohort"])
        #expect(cohort.status == 1 && cohort.stderr.contains("is a cohort source"))
        // Surveys link on study codes and need no key; registry files do.
        try FileManager.default.removeItem(atPath: s.file("pseudonym.key"))
        let survey = try s.run(["import", Self.design, "--store", Self.store, "--source", "survey_m6"])
        #expect(survey.status == 0, "\(survey.stderr)")
        let noKey = try s.run(["import", Self.design, "--store", Self.store, "--source", "vdab"])
        #expect(noKey.status == 1)
        #expect(noKey.stderr.contains("cannot read the pseudonymisation key file"))
        #expect(noKey.stderr.contains("set RCT_PSEUDONYM_KEY or point `key_file`"))
        let noStore = try s.run(["import", Self.design, "--store", "elsewhere.sqlite"])
        #expect(noStore.status == 1 && noStore.stderr.contains("rct init"))
    }

    /// No national number of the input — the cohort's `insz` column and every registry file's
    /// national-number column, in plain 11-digit and formatted `YY.MM.DD-XXX.CC` form — appears in the
    /// store file or in anything the commands printed.
    @Test func noNationalNumberInTheStoreOrAnyOutput() throws {
        let s = try Self.assigned()
        #expect(try s.run(["import", Self.design, "--store", Self.store]).status == 0)
        #expect(try s.run(["import", Self.design, "--store", Self.store]).status == 0)
        for (id, _, _) in Self.sources { #expect(try s.run(["import", Self.design, "--store", Self.store, "--quarantine", id]).status == 0) }
        func column(_ file: String, _ name: String, separator: Character) throws -> [String] {
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: s.file(file))), as: UTF8.self)
            let lines = text.split(whereSeparator: \.isNewline)
            let header = lines[0].split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            let i = header.firstIndex(of: name)!
            return lines.dropFirst().compactMap { line in
                let cells = line.split(separator: separator, omittingEmptySubsequences: false)
                return i < cells.count ? String(cells[i]) : nil
            }
        }
        var numbers = Set(try column("cohort.csv", "insz", separator: ","))
        numbers.formUnion(try column("ocmw_leefloon.csv", "insz", separator: ";"))
        numbers.formUnion(try column("ocmw_steun.csv", "rijksregisternummer", separator: ";").filter { $0.count == 11 && $0.allSatisfy(\.isNumber) })
        numbers.formUnion(try column("vdab_status.csv", "insz", separator: "|"))
        numbers.formUnion(try column("scope_exits.csv", "rijksregisternummer", separator: ";"))
        let statements = try String(contentsOfFile: s.file("federal_statements.txt"), encoding: .utf8)
        numbers.formUnion(statements.split(whereSeparator: \.isNewline).map { String(Array($0)[22..<33]) })
        #expect(numbers.count > 160, "the cohort's numbers and the registry files' strangers: \(numbers.count)")
        #expect(numbers.allSatisfy { $0.count == 11 && $0.allSatisfy(\.isNumber) })
        let formatted = numbers.map { n -> String in
            let d = Array(n)
            return "\(String(d[0..<2])).\(String(d[2..<4])).\(String(d[4..<6]))-\(String(d[6..<9])).\(String(d[9..<11]))"
        }
        // Positive control: the scan finds the numbers where they are (the input files).
        let cohortText = try String(contentsOfFile: s.file("cohort.csv"), encoding: .utf8)
        #expect(numbers.filter { cohortText.contains($0) }.count == 160)
        let store = try s.storeBytes()
        let texts = s.outputs + [String(decoding: store, as: UTF8.self)]
        #expect(s.outputs.count == 2 * (2 + 2 + Self.sources.count))
        for n in numbers.sorted() + formatted.sorted() {
            #expect(store.range(of: Data(n.utf8)) == nil, "the store holds a national number")
            for (i, text) in texts.enumerated() where text.contains(n) { Issue.record("output \(i) holds a national number") }
        }
    }
}

/// `rct import` killed (SIGKILL) while it writes a large extract: the next open rolls the half-written
/// import back and the store is byte for byte what it was.
@Suite struct KilledImportTests {
    /// The extract (7.8 MiB) is streamed row by row, as every file of 4 MiB or more is; the held path of
    /// smaller files writes inside the same kind of transaction.
    @Test func aKilledImportLeavesTheStoreAsItWas() throws {
        let s = ImportCommandTests.Session(root: try ImportCommandTests.workspace())
        let design = ImportCommandTests.design, store = ImportCommandTests.store
        // 12,000 screened families give a VDAB extract of about 8 MiB (280,000 rows): large enough for
        // progress lines. The capacity would pause randomisation; for this test every family is randomised.
        let designPath = s.root.appendingPathComponent(design).path
        let text = try String(contentsOfFile: designPath, encoding: .utf8)
        try text.replacingOccurrences(of: "when_full: pause", with: "when_full: keep_randomising")
            .write(toFile: designPath, atomically: true, encoding: .utf8)
        #expect(try s.run(["simulate", design, "--seed", "3", "--out", "fixtures/mission", "--families", "12000"]).status == 0)
        #expect(try s.run(["init", design, "--store", store]).status == 0)
        #expect(try s.run(["assign", design, "--cohort", "fixtures/mission/cohort.csv", "--store", store]).status == 0)
        let before = try s.storeBytes()

        let process = Process()
        process.executableURL = RCTBinary.url
        process.arguments = ["import", design, "--store", store, "--source", "vdab"]
        process.currentDirectoryURL = s.root
        process.environment = ProcessInfo.processInfo.environment.merging(ImportCommandTests.environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait for the first "rows written" line: the import's transaction is open and half-way.
        var seen = ""
        while !seen.contains("rows written") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // The extract's size depends on the simulated cohort: read its row count from the file.
        let extract = try Data(contentsOf: URL(fileURLWithPath: s.file("vdab_status.csv")))
        let rows = extract.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } - 1
        #expect(rows > 200_000, "the simulated extract should be large enough for progress lines")
        #expect(seen.contains("vdab: reading ../fixtures/mission/vdab_status.csv (") && seen.contains(" MiB), streaming it into the store…"),
                "\(seen)")
        #expect(seen.contains("vdab: 20000 rows written"), "\(seen)")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(FileManager.default.fileExists(atPath: s.storePath + "-journal"), "killed inside the transaction: a hot journal is left")

        let reopened = try TrialStore.open(path: s.storePath)
        #expect(try reopened.importSummaries().isEmpty)
        #expect(try reopened.registryRecords().isEmpty)
        #expect(try reopened.verify().isIntact)
        #expect(!FileManager.default.fileExists(atPath: s.storePath + "-journal"))
        #expect(try s.storeBytes() == before)
        // And the import then runs to its end.
        let r = try s.run(["import", design, "--store", store, "--source", "vdab"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\(rows) rows read = \(rows - 1) accepted + 1 rejected"), "\(r.stdout)")
        #expect(r.stderr.contains("vdab: 20000 rows written"), "\(r.stderr)")
    }
}
