import Foundation
import Basics
import Ingest
import TrialData
import Simulation
import Testing
import TestSupport
import TrialDesign

/// The simulator's files read back through the importer: row accounting holds, and exactly the planted
/// extract errors are rejected (no valid row is).
@Suite struct SimulatedImportTests {
    static let design = try! Design.load(path: Fixtures.path("designs/mission-kortrijk.yaml"))
    static let key = try! Pseudonymizer(key: Array("simulation-test-key-not-secret-01".utf8))

    struct Simulated {
        let dir: URL
        let truth: Truth
        /// Randomised family id → (arm, assigned on, parent INSZ).
        let families: [String: (arm: String, assigned: CalendarDate, insz: String)]
        var linkKeys: Set<String> { Set(families.values.map { SimulatedImportTests.key.pseudonym(for: try! NationalNumber($0.insz)) }) }
        func path(_ file: String) -> String { dir.appendingPathComponent((file as NSString).lastPathComponent).path }
    }

    static func simulate(seed: UInt64, families: Int = Simulator.defaultFamilies) throws -> Simulated {
        let dir = try Fixtures.temporaryDirectory("simulate")
        let truth = try Simulator.run(design: design, seed: seed, families: families, outputDirectory: dir.path)
        let cohort = try Tabular_read(dir.appendingPathComponent("cohort.csv").path)
        let assignment = try Tabular_read(dir.appendingPathComponent("assignment_planted.csv").path)
        let insz = Dictionary(uniqueKeysWithValues: cohort.map { ($0["family_id"]!, $0["insz"]!) })
        var fams: [String: (String, CalendarDate, String)] = [:]
        for row in assignment {
            fams[row["family_id"]!] = (row["arm"]!, CalendarDate(iso: row["assigned_on"]!)!, insz[row["family_id"]!]!)
        }
        return Simulated(dir: dir, truth: truth, families: fams)
    }

    func importAll(_ s: Simulated, known: Bool) throws -> [ImportResult] {
        try Self.design.sources.filter { $0.kind != .cohort && $0.kind != .takeUp }.map { source in
            let knownIDs: Set<String>? = known ? (source.kind == .survey ? Set(s.families.keys) : s.linkKeys) : nil
            return try Ingest.importFile(path: s.path(source.file), displayName: (source.file as NSString).lastPathComponent,
                                         source: source, pseudonymizer: Self.key, knownParticipants: knownIDs)
        }
    }

    @Test(arguments: [1, 2, 3, 2786] as [UInt64])
    func rowAccountingAndOnlyPlantedErrorsRejected(seed: UInt64) throws {
        let s = try Self.simulate(seed: seed, families: 120)
        for known in [false, true] {
            for r in try importAll(s, known: known) {
                #expect(r.rowsRead == r.accepted + r.rejected, "\(r.file) seed \(seed)")
                #expect(r.rowsRead == s.truth.rows[r.file], "\(r.file): rows read vs written")
                #expect(r.rejections.count == r.rejected)
                let planted = s.truth.plantedErrors.filter { $0.file == r.file && (known || !$0.needsKnownParticipants) }
                let got = r.rejections.map { "\($0.line) \($0.reason.rawValue)" }.sorted()
                #expect(got == planted.map { "\($0.line) \($0.reason)" }.sorted(), "\(r.file) seed \(seed) known \(known)")
                #expect(r.registryRecords.count + r.surveyResponses.count == r.accepted - r.corrections)
                if r.file == "ocmw_steun.csv" { #expect(r.corrections == s.truth.corrections["ocmw_steun.csv"]) }
                if known && r.file != "federal_statements.txt" {
                    #expect(r.merge.participantsWithRecords > 0)
                }
            }
        }
    }

    /// No value of an import holds a national number of the input: the JSON of every result (records,
    /// responses, rejections with their messages and excerpts, merge report) is scanned for each one.
    @Test func noImportOutputHoldsANationalNumber() throws {
        let s = try Self.simulate(seed: 9, families: 80)
        var numbers = Set(s.families.values.map(\.insz))
        for file in ["ocmw_leefloon.csv", "vdab_status.csv", "federal_statements.txt"] {
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: s.path(file))), as: UTF8.self)
            var run = ""
            for c in text + " " { if c.isASCII && c.isNumber { run.append(c) } else { if run.count == 11 { numbers.insert(run) }; run = "" } }
        }
        #expect(numbers.count > s.families.count, "the planted stranger and invalid number are included")
        let encoder = JSONEncoder()
        for known in [false, true] {
            for r in try importAll(s, known: known) {
                let json = String(decoding: try encoder.encode(r), as: UTF8.self)
                for n in numbers { #expect(!json.contains(n), "\(r.file) holds a national number") }
                #expect(r.registryRecords.allSatisfy { $0.participant.hasPrefix("P") && $0.participant.count == 33 })
            }
        }
    }

    @Test func everyPlantedReasonIsPresent() throws {
        let s = try Self.simulate(seed: 5)
        #expect(Set(s.truth.plantedErrors.map(\.reason)) == ["invalid_national_number", "unknown_participant", "unparseable_date", "duplicate_row"])
        #expect((100...125).contains(s.truth.eligible), "about 112 eligible, found \(s.truth.eligible)")
        #expect(s.truth.randomised.values.reduce(0, +) == s.truth.eligible)
        let arms = s.truth.randomised.values.sorted()
        #expect(arms.count == 2 && arms[1] - arms[0] <= 4, "1:1 permuted blocks of 2 and 4 within 2 strata: \(arms)")
        #expect(s.truth.generator == "mt19937" && s.truth.seed == 5)
        // Enrolment is rolling between April 2017 and April 2019.
        let dates = s.families.values.map(\.assigned)
        #expect(dates.min()! >= CalendarDate(year: 2017, month: 4, day: 1)!)
        #expect(dates.max()! <= CalendarDate(year: 2019, month: 4, day: 30)!)
    }

    @Test func theSameSeedGivesTheSameBytes() throws {
        let a = try Self.simulate(seed: 11, families: 40), b = try Self.simulate(seed: 11, families: 40)
        let c = try Self.simulate(seed: 12, families: 40)
        for file in ["cohort.csv", "ocmw_steun.csv", "federal_statements.txt", "vdab_status.csv", "survey_m6.csv", "truth.json"] {
            let x = try Data(contentsOf: a.dir.appendingPathComponent(file)), y = try Data(contentsOf: b.dir.appendingPathComponent(file))
            #expect(x == y, "\(file)")
        }
        #expect(try Data(contentsOf: a.dir.appendingPathComponent("cohort.csv")) != Data(contentsOf: c.dir.appendingPathComponent("cohort.csv")))
    }

    @Test func filesAreInTheDeclaredDialects() throws {
        let s = try Self.simulate(seed: 3, families: 60)
        let aid = try Data(contentsOf: URL(fileURLWithPath: s.path("ocmw_steun.csv")))
        #expect(String(data: aid, encoding: .utf8) == nil, "Windows-1252 with Dutch text is not valid UTF-8")
        #expect(aid.contains(0x80), "€ is byte 0x80 in Windows-1252")
        let statements = try String(contentsOfFile: s.path("federal_statements.txt"), encoding: .utf8)
        #expect(statements.split(separator: "\n").allSatisfy { $0.count == 60 })
        let vdab = try String(contentsOfFile: s.path("vdab_status.csv"), encoding: .utf8)
        #expect(vdab.hasPrefix("insz|maand|categorie|trajectstatus"))
        let leefloon = try String(contentsOfFile: s.path("ocmw_leefloon.csv"), encoding: .utf8)
        #expect(leefloon.contains(";") && leefloon.split(whereSeparator: \.isNewline)[1].split(separator: ";")[2].contains(","))
        // Every INSZ written is synthetic: sequence 000 or 999.
        for row in try Tabular_read(s.path("cohort.csv")) {
            let n = row["insz"]!
            guard n.count == 11 else { Issue.record("insz cell \(n.count) characters: \(row)"); continue }
            #expect(NationalNumber.isValid(n))
            #expect(["000", "999"].contains(String(Array(n)[6..<9])))
        }
    }

    /// The planted MISSION effects show in the data (large simulated cohort, so the check is not noise).
    @Test func plantedEffectsAreInTheData() throws {
        let s = try Self.simulate(seed: 42, families: 1200)
        let results = try importAll(s, known: true)
        let byKey = Dictionary(uniqueKeysWithValues: s.families.map { (Self.key.pseudonym(for: try! NationalNumber($0.value.insz)), $0.value) })
        func share(_ file: String, months: ClosedRange<Int>, _ filter: (RegistryRecord) -> Bool) -> [String: Double] {
            let r = results.first { $0.file == file }!
            var any: [String: Set<String>] = [:]
            for rec in r.registryRecords where filter(rec) {
                guard let f = byKey[rec.participant] else { continue }
                let from = f.assigned.adding(months: months.lowerBound - 1).adding(days: 1), to = f.assigned.adding(months: months.upperBound)
                if rec.overlaps(from: from, to: to) { any[f.arm, default: []].insert(rec.participant) }
            }
            var n: [String: Int] = [:]
            for f in s.families.values { n[f.arm, default: 0] += 1 }
            return n.mapValues { _ in 0 }.merging(any.mapValues { Double($0.count) }) { $1 }
                .reduce(into: [:]) { $0[$1.key] = $1.value / Double(n[$1.key]!) }
        }
        let supplementary: Set<String> = ["supplementary_one_off", "supplementary_structural", "supplementary_price_reduction"]
        let aid = share("ocmw_steun.csv", months: 1...6) { supplementary.contains($0.attributes["kind"]!) }
        #expect(aid["intervention"]! > aid["control"]! + 0.2, "supplementary aid months 1–6: \(aid)")
        let programme = share("vdab_status.csv", months: 7...12) { ["training", "trajectory"].contains($0.attributes["placement"]!) }
        #expect(programme["intervention"]! > programme["control"]! + 0.1, "programme months 7–12: \(programme)")
        let leefloon = share("ocmw_leefloon.csv", months: 1...6) { _ in true }
        #expect(abs(leefloon["intervention"]! - leefloon["control"]!) < 0.08, "no leefloon effect: \(leefloon)")
        let m6 = results.first { $0.file == "survey_m6.csv" }!.surveyResponses
        func mean(_ arm: String) -> Double {
            let v = m6.filter { s.families[$0.participant]!.arm == arm }.compactMap { $0.answers["rights_leefloon"] }
            return v.reduce(0, +) / Double(v.count)
        }
        #expect(mean("intervention") > mean("control") + 0.3, "knowledge of rights at 6 months")
    }
}

/// Reads a small comma-separated UTF-8 file into dictionaries (test helper).
func Tabular_read(_ path: String) throws -> [[String: String]] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    return lines.dropFirst().map { l in
        Dictionary(uniqueKeysWithValues: zip(header, l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
    }
}

/// The committed fixtures/mission set is exactly what the simulator writes for its seed, and it imports
/// through the design's own relative paths.
@Suite struct CommittedFixtureTests {
    @Test func fixturesAreReproducible() throws {
        let truthData = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/mission/truth.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let truth = try decoder.decode(Truth.self, from: truthData)
        #expect(truth.eligible == 112 && truth.randomised == ["control": 57, "intervention": 55])
        let dir = try Fixtures.temporaryDirectory("fixture")
        try Simulator.run(design: SimulatedImportTests.design, seed: truth.seed, families: truth.familiesScreened, outputDirectory: dir.path)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.count == 13)
        for file in files {
            let fresh = try Data(contentsOf: dir.appendingPathComponent(file))
            let committed = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/mission/\(file)")))
            #expect(fresh == committed, "fixtures/mission/\(file) differs from a fresh simulation; regenerate it (see its README)")
        }
    }

    /// The cluster-randomised example (fixtures/caseworkers): the same simulator with caseworkers within
    /// sites; every family in one caseworker of its own site, 18 caseworkers in all.
    @Test func clusterFixturesAreReproducible() throws {
        let design = try Design.load(path: Fixtures.path("designs/caseworkers-cluster.yaml"))
        let dir = try Fixtures.temporaryDirectory("fixture-clustered")
        try Simulator.run(design: design, seed: 19, families: 320, outputDirectory: dir.path)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files == ["assignment_planted.csv", "cohort.csv", "ocmw_leefloon.csv", "ocmw_steun.csv", "pseudonym.key",
                          "survey_m6.csv", "truth.json", "vdab_status.csv"])
        for file in files {
            let fresh = try Data(contentsOf: dir.appendingPathComponent(file))
            let committed = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fixtures/caseworkers/\(file)")))
            #expect(fresh == committed, "fixtures/caseworkers/\(file) differs from a fresh simulation; regenerate it (see its README)")
        }
        let cohort = try String(contentsOf: dir.appendingPathComponent("cohort.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // Column positions only: a failure must not print the cohort's (synthetic) national numbers.
        let site = cohort[0].firstIndex(of: "site") ?? -1, caseworker = cohort[0].firstIndex(of: "caseworker") ?? -1
        #expect(site >= 0 && caseworker >= 0)
        guard site >= 0, caseworker >= 0 else { return }
        let rows = cohort.dropFirst()
        #expect(rows.count == 320)
        #expect(rows.allSatisfy { $0[caseworker].hasPrefix($0[site] + "-cw") })
        #expect(Set(rows.map { $0[caseworker] }).count == 18)
    }

    @Test func fixturesImportThroughTheDesign() throws {
        let design = SimulatedImportTests.design
        let key = try Pseudonymizer(keyFile: Fixtures.path("fixtures/mission/pseudonym.key"))
        var total = 0
        for source in design.sources where source.kind != .cohort && source.kind != .takeUp {
            let r = try Ingest.importSource(source, design: design, path: Fixtures.path("designs") + "/" + source.file, pseudonymizer: key)
            #expect(r.rowsRead == r.accepted + r.rejected)
            #expect(r.file == source.file)
            total += r.rejected
        }
        // Without the list of participants, the stranger's record is accepted: three planted errors remain.
        #expect(total == 3)
    }
}

/// A design with the optional KSZ source gets a KSZ file too, in its declared dialect, and it imports.
@Suite struct OptionalSourceTests {
    @Test func kszPositionsAreWrittenWhenDeclared() throws {
        var yaml = try Fixtures.contents("designs/mission-kortrijk.yaml")
        let ksz = """
              - id: ksz
                kind: ksz_position
                file: ksz_positie.csv
                identifier: { column: insz, type: insz }
                dialect: { format: delimited, separator: "\\t" }
                columns: { quarter: kwartaal, position: positie }
                codes: { position: { werkend: working, werkzoekend: job_seeker, "niet actief": not_active, onbekend: unknown } }

            """
        yaml = yaml.replacingOccurrences(of: "# Families of hypotheses", with: ksz + "# Families of hypotheses")
        let design = try Design.parse(yaml: yaml)
        let dir = try Fixtures.temporaryDirectory("ksz")
        let truth = try Simulator.run(design: design, seed: 4, families: 40, outputDirectory: dir.path)
        let source = try #require(design.sources.first { $0.id == "ksz" })
        let text = try String(contentsOfFile: dir.appendingPathComponent("ksz_positie.csv").path, encoding: .utf8)
        #expect(text.hasPrefix("insz\tkwartaal\tpositie\r\n"))
        #expect(text.contains("\twerkzoekend\r\n"))
        let r = try Ingest.importFile(path: dir.appendingPathComponent("ksz_positie.csv").path, source: source,
                                      pseudonymizer: SimulatedImportTests.key)
        #expect(r.rowsRead == truth.rows["ksz_positie.csv"] && r.rejected == 0 && r.accepted == r.rowsRead)
        #expect(r.rowsRead == 13 * truth.randomised.values.reduce(0, +))
    }
}
