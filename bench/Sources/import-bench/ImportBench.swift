import ArgumentParser
import Foundation
import Basics
import Ingest
import Tabular
import TrialDesign

/// `import-bench`: the importer's benchmark (the import task of `make bench`, bench/ingest/run.sh and
/// docs/performance.md). It generates a large VDAB month-status extract and streams it through the importer.
@main
struct ImportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-bench",
        abstract: "Benchmark of the importer (generate a large VDAB extract, then read, validate and pseudonymise it).",
        subcommands: [Generate.self, Run.self])

    /// The source the benchmark reads: a VDAB month-status extract, semicolon, decimal comma.
    static let designText = """
        trial: { id: bench, title: Import benchmark }
        arms: [{ id: control, control: true }, { id: treatment }]
        randomisation: { method: complete, seed: 1 }
        waves: [{ id: m6, offset_months: 6 }]
        pseudonymisation: { key_env: RCT_BENCH_KEY }
        sources:
          - id: vdab
            kind: vdab_status
            file: vdab.csv
            identifier: { column: insz, type: insz }
            dialect: { format: delimited, separator: ";", decimal: ",", thousands: ".", encoding: utf-8, date_format: YYYYMM }
            columns: { month: maand, category: categorie, placement: trajectstatus, benefit: uitkering }
            codes:
              placement: { geen: none, bemiddeling: placement, opleiding: training, traject: trajectory, "niet toeleidbaar": not_deployable }
        families: [{ id: main }]
        outcomes: [{ id: o, family: main, type: binary, source: vdab, rule: any, windows: { m6: [1, 6] } }]
        """

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a VDAB month-status extract with N rows.")
        @Option(help: "Number of data rows.") var rows: Int = 1_000_000
        @Option(help: "Output file.") var out: String
        @Option(help: "Seed (mt19937).") var seed: UInt64 = 1

        func run() throws {
            let start = Date()
            try BenchExtract.writeVDAB(rows: rows, seed: seed, path: out)
            print("wrote \(rows) rows to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read, validate and pseudonymise an extract written by generate.")
        @Argument(help: "The extract.") var file: String
        @Flag(help: "Skip duplicate detection (memory flat in the number of rows).") var noDuplicateCheck = false
        @Flag(help: "Only split the file into records (no validation), to separate reading from importing.") var readOnly = false

        func run() throws {
            let design = try Design.parse(yaml: ImportBench.designText)
            let source = design.sources[0]
            let pseudonymizer = try Pseudonymizer(key: Array("benchmark-key-not-a-secret-0001".utf8))
            let start = Date()
            var checksum = 0
            if readOnly {
                let reader = try DelimitedRecordReader(path: file, separator: ";")
                var n = 0
                var row = TextRow()
                while try reader.nextRow(&row) { n += 1; checksum &+= row.count }
                let seconds = Date().timeIntervalSince(start)
                print("records read \(n) (header included)")
                print(String(format: "%.2f s, %.0f records/s", seconds, Double(n) / seconds))
                return
            }
            let tally = try Ingest.stream(path: file, source: source, pseudonymizer: pseudonymizer,
                                          detectDuplicates: !noDuplicateCheck,
                                          registry: { checksum &+= $0.participant.utf8.count })
            let seconds = Date().timeIntervalSince(start)
            print("rows read \(tally.rowsRead), accepted \(tally.accepted), rejected \(tally.rejected), sha256 \(tally.fingerprint)")
            print(String(format: "%.2f s, %.0f rows/s", seconds, Double(tally.rowsRead) / seconds))
            _ = checksum
        }
    }
}
