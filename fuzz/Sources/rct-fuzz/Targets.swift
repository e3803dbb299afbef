import Assignment
import Basics
import Foundation
import Ingest
import Tabular
import TrialData
import TrialDesign
import TrialStore

/// The fuzz targets. Each takes the fuzzer's bytes; an error thrown by the code under test is an expected
/// outcome (bad input gets an error), a crash, a hang, a leak or a broken invariant (`require`) is a finding.
enum Targets {
    // MARK: design

    static func design(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let d = try Design.parse(yaml: text, file: "fuzz.yaml", checks: [SourceSchema.check])
            _ = d.sources.count
        } catch let e as DesignError {
            // Every issue is printable and placed: a line and column are 1-based when given.
            for issue in e.issues {
                require((issue.line ?? 1) >= 1 && (issue.column ?? 1) >= 1, "issue placed at \(issue.line ?? 0):\(issue.column ?? 0)")
            }
            _ = e.description
        } catch {
            _ = "\(error)"
        }
    }

    // MARK: extracts through Ingest

    /// The design whose sources the extract targets are read as: one source per dialect, declared as the
    /// bundled MISSION design and the statfiles fixtures declare them (fixtures/, designs/).
    static let designText = """
        trial: { id: fuzz, title: The sources of the fuzz targets, id_column: family_id, id_type: code, link_column: insz }
        arms: [{ id: control, control: true }, { id: intervention }]
        randomisation: { method: complete, seed: 1 }
        waves: [{ id: baseline, offset_months: 0 }, { id: m6, offset_months: 6 }]
        pseudonymisation: { key_env: RCT_FUZZ_KEY }
        sources:
          - id: leefloon
            kind: ocmw_leefloon
            file: ocmw_leefloon.csv
            identifier: { column: insz, type: insz }
            dialect: { format: delimited, separator: ";", decimal: ",", encoding: utf-8, date_format: YYYY-MM }
            columns: { month: maand, amount: bedrag, category: categorie }
          - id: ocmw_aid
            kind: ocmw_aid
            file: ocmw_steun.csv
            identifier: { column: rijksregisternummer, type: insz }
            dialect: { format: delimited, separator: ";", decimal: ",", thousands: ".", encoding: windows-1252, date_format: DD/MM/YYYY }
            columns: { kind: soort_steun, decision_date: beslissingsdatum, start: begindatum, end: einddatum, amount: bedrag }
            codes:
              kind: { "AFS eenmalig": supplementary_one_off, "AFS structureel": supplementary_structural, "Huurwaarborg": rental_deposit, "Dringende hulp": emergency_aid }
          - id: statements
            kind: federal_statements
            file: federal_statements.txt
            identifier: { column: insz, type: insz }
            dialect:
              format: fixed_width
              header: false
              date_format: YYYYMMDD
              fields:
                - { name: legislation, start: 1, length: 1 }
                - { name: municipality, start: 2, length: 5 }
                - { name: statement_month, start: 7, length: 6 }
                - { name: file_number, start: 13, length: 10 }
                - { name: insz, start: 23, length: 11 }
                - { name: amount_type, start: 34, length: 1 }
                - { name: period_start, start: 35, length: 8 }
                - { name: period_end, start: 43, length: 8 }
                - { name: sign, start: 51, length: 1 }
                - { name: amount_cents, start: 52, length: 8 }
                - { name: category, start: 60, length: 1 }
          - id: survey_m6
            kind: survey
            wave: m6
            file: survey_m6.csv
            identifier: { column: family_id, type: code }
            dialect: { format: delimited, separator: ",", encoding: utf-8, date_format: YYYY-MM-DD }
            columns: { interview_date: interview_date }
            missing_codes: ["-9", "weet niet"]
          - id: survey_sav
            kind: survey
            wave: m6
            file: survey_m6.sav
            identifier: { column: family_id, type: code }
            dialect: { format: spss }
            missing_codes: ["-9", "weet niet"]
          - id: survey_dta
            kind: survey
            wave: m6
            file: labelled.dta
            identifier: { column: id, type: code }
            dialect: { format: stata }
            columns: { interview_date: interview, item: item, income: income }
          - id: assignment
            kind: assignment
            file: toewijzing.csv
            identifier: { column: gezin_id, type: code }
            dialect: { format: delimited, separator: ";", encoding: windows-1252, date_format: DD/MM/YYYY }
            columns: { arm: groep, assigned_on: datum_toewijzing, stratum: stratum }
            codes:
              arm: { Controle: control, Interventie: intervention }
              stratum: { "3 domeinen": "3", "4–6 domeinen": "4-6" }
        families: [{ id: main }]
        outcomes: [{ id: o, family: main, type: binary, source: leefloon, rule: any, windows: { m6: [1, 6] } }]
        """

    static let fuzzDesign: Design = {
        do { return try Design.parse(yaml: designText, file: "fuzz design", checks: [SourceSchema.check]) } catch {
            fatalError("the fuzz targets' design does not parse: \(error)")
        }
    }()

    static let pseudonymizer: Pseudonymizer = {
        do { return try Pseudonymizer(key: Array("a-fuzzing-key-that-is-not-secret".utf8)) } catch { fatalError("\(error)") }
    }()

    /// A file of this process for the input (the readers of extracts read files: they stream and hash them,
    /// and ReadStat reads SPSS and Stata files by path). In /dev/shm when there is one, written with plain
    /// `write` (Foundation's `Data.write` syncs the file to disk: 10 ms an input).
    static let inputFolder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = (base as NSString).appendingPathComponent("rct-fuzz-\(getpid())")
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            fatalError("cannot make \(folder): \(error)")
        }
        atexit { try? FileManager.default.removeItem(atPath: Targets.inputFolder) }
        return folder
    }()

    static func inputFile(_ name: String, _ bytes: [UInt8]) -> String {
        let path = (inputFolder as NSString).appendingPathComponent(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("cannot write the fuzz input to \(path)") }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { fatalError("cannot write the fuzz input to \(path)") }
            done += n
        }
        return path
    }

    static func registry(_ sourceID: String, _ bytes: [UInt8]) {
        guard let source = fuzzDesign.sources.first(where: { $0.id == sourceID }) else { fatalError("no source \(sourceID)") }
        let path = inputFile(source.file, bytes)
        do {
            let r = try Ingest.importSource(source, design: fuzzDesign, path: path, pseudonymizer: pseudonymizer, pipelined: false)
            // The row accounting of ImportResult.
            require(r.rowsRead == r.accepted + r.rejected, "rows read \(r.rowsRead) ≠ accepted \(r.accepted) + rejected \(r.rejected)")
            require(r.rejections.count == r.rejected, "\(r.rejections.count) rejections listed, \(r.rejected) counted")
            require(r.registryRecords.count + r.surveyResponses.count == r.accepted - r.corrections - r.voided,
                    "\(r.registryRecords.count + r.surveyResponses.count) values for \(r.accepted) accepted, \(r.corrections) corrections, \(r.voided) voided")
            // No national number in what is shown or stored in clear.
            for j in r.rejections {
                require(!NationalNumber.occurs(in: j.formatted), "a national number in a rejection: \(j.formatted)")
            }
            for s in r.surveyResponses {
                require(!NationalNumber.occurs(in: s.participant), "a national number as a survey participant")
            }
            for rec in r.registryRecords {
                for (k, v) in rec.attributes { require(!NationalNumber.occurs(in: v), "a national number in attribute \(k)") }
            }
        } catch {
            let message = "\(error)"
            require(!NationalNumber.occurs(in: message), "a national number in an error: \(message)")
        }
    }

    // MARK: assignment list

    /// A cohort of 200 families (F0001–F0200), every tenth excluded, F0003 already assigned.
    static let screening: [String: String?] = {
        var s: [String: String?] = [:]
        for i in 1...200 { s[String(format: "F%04d", i)] = i % 10 == 0 ? "no informed consent" : nil }
        return s
    }()

    static func assignmentList(_ bytes: [UInt8]) {
        let d = fuzzDesign
        guard let source = d.sources.first(where: { $0.kind == .assignment }) else { fatalError("no assignment source") }
        let path = inputFile(source.file, bytes)
        do {
            let list = try AssignmentListReader.read(path: path, source: source, arms: d.arms.map(\.id), designName: "fuzz.yaml",
                                                     pseudonymizer: { pseudonymizer })
            let plan = AssignmentPlan(design: d)
            let context = ExternalAssignmentContext(
                file: path, cohortName: "cohort.csv", allocation: plan.allocation, method: plan.method,
                idColumn: list.idColumn, armColumn: list.armColumn, dateColumn: list.dateColumn,
                probabilityColumn: list.probabilityColumn, armProbabilityColumns: list.armProbabilityColumns,
                screening: screening,
                alreadyAssigned: ["F0003": (record: 1, arm: "control", assignedOn: CalendarDate(year: 2017, month: 5, day: 2)!)],
                window: (from: CalendarDate(year: 2017, month: 4, day: 1)!, to: CalendarDate(year: 2019, month: 4, day: 30)!,
                         origin: "fuzz"))
            let review = ExternalAssignmentReview.review(list.rows, context: context)
            // A list without problems is imported as it is: its probabilities and arms must be usable.
            for a in review.assignments where list.problems.isEmpty && review.isImportable {
                require(a.probability > 0 && a.probability <= 1, "probability \(a.probability) of \(a.unitID) at line \(a.line)")
                require(d.arms.contains { $0.id == a.arm }, "unknown arm \(a.arm) accepted at line \(a.line)")
            }
            for p in list.problems + review.problems {
                require(!NationalNumber.occurs(in: p.message), "a national number in a problem: \(p.message)")
            }
        } catch {
            let message = "\(error)"
            require(!NationalNumber.occurs(in: message), "a national number in an error: \(message)")
        }
    }

    // MARK: Tabular

    /// The first byte chooses the separator, the quote and the encoding; the rest is the text. What is read,
    /// written with CSVWriter and read again, gives the same fields.
    static func csv(_ bytes: [UInt8]) {
        guard let control = bytes.first else { return }
        let separators: [Character] = [",", ";", "|", "\t"]
        let separator = separators[Int(control & 3)]
        let quote: Character = control & 4 == 0 ? "\"" : "'"
        let encoding: CharacterEncoding = control & 8 == 0 ? .utf8 : .windows1252
        let reader = DelimitedRecordReader(bytes: Array(bytes.dropFirst()), separator: separator, quote: quote, encoding: encoding)
        var rows: [[String]] = []
        do {
            while let r = try reader.next() {
                require(r.line >= 1, "line \(r.line)")
                if r.badlyEncodedFields.isEmpty { rows.append(r.fields) }
            }
        } catch {
            _ = "\(error)"
            return
        }
        guard quote == "\"" else { return }
        // A row of one empty field is a blank line once written, and blank lines are skipped.
        rows.removeAll { $0 == [""] }
        let writer = CSVWriter(separator: separator)
        let again = DelimitedRecordReader(bytes: Array(writer.text(rows).utf8), separator: separator)
        var reread: [[String]] = []
        do {
            while let r = try again.next() { reread.append(r.fields) }
        } catch {
            fatalError("CSVWriter's text does not read back: \(error)")
        }
        require(reread == rows, "read \(rows), written and read again \(reread)")
    }

    // MARK: the store's record text

    /// A stored record's field maps and dates: FieldJSON's fast reader agrees with JSONDecoder whenever
    /// both read the text, and what FieldJSON writes reads back the same.
    static func storeFields(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let decoder = JSONDecoder()
        let strings = try? FieldJSON.strings(text, decoder: decoder)
        let numbers = try? FieldJSON.numbers(text, decoder: decoder)
        if let strings, let reference = try? decoder.decode([String: String].self, from: Data(text.utf8)) {
            require(strings.dictionary == reference, "FieldJSON.strings \(strings.dictionary) ≠ JSONDecoder \(reference)")
        }
        if let numbers, let reference = try? decoder.decode([String: Double].self, from: Data(text.utf8)) {
            require(numbers.dictionary == reference, "FieldJSON.numbers \(numbers.dictionary) ≠ JSONDecoder \(reference)")
        }
        if let strings, let written = FieldJSON.object(strings) {
            require((try? FieldJSON.strings(written, decoder: decoder))?.dictionary == strings.dictionary, "strings do not read back: \(written)")
        }
        if let numbers, let written = FieldJSON.object(numbers) {
            require((try? FieldJSON.numbers(written, decoder: decoder))?.dictionary == numbers.dictionary, "numbers do not read back: \(written)")
        }
        if let date = CalendarDate(iso: text) {
            require(CalendarDate(iso: date.description) == date, "the date \(text) read as \(date), which does not read back")
        }
    }
}
