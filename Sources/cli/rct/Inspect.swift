import ArgumentParser
import Foundation
import Ingest
import Tabular

/// `rct inspect FILE`: suggests a dialect for a raw extract and shows its first rows as read with it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Suggest a dialect (encoding, separator, decimal mark, date form, header) for a raw extract, or describe an SPSS or Stata file.",
        discussion: """
            Prints a YAML `dialect:` snippet to copy into the design's source, then the first rows as read \
            with that dialect. Check the snippet: an import never guesses, it reads what the design \
            declares. Cells with a run of nine or more digits (national numbers, file numbers) are shown as \
            <masked>; fixed-width lines are shown as a layout sketch (9 = digit, A = letter, · = space). An \
            SPSS (.sav) or Stata (.dta) file is recognised by its first bytes: its variables, labels, value \
            labels and missing-value rules are listed, then the first cases as an import reads them.
            """)

    @Argument(help: "The file to inspect.")
    var file: String

    @Option(help: "How many rows to show.")
    var rows: Int = 5

    func validate() throws {
        guard rows >= 0 && rows <= 1000 else { throw ValidationError("Please give --rows between 0 and 1000 (found \(rows)).") }
    }

    func run() throws {
        // An SPSS or Stata file is recognised by its first bytes and described from its own dictionary.
        do {
            if let lines = try StatFileInspection.report(path: file, rows: rows) {
                lines.forEach { print($0) }
                return
            }
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let sniffed: SniffedDialect
        do { sniffed = try DialectSniffer.sniff(path: file) } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        print("# \(file): dialect suggested from the first \(sniffed.sampledLines) lines; check it before use")
        print(sniffed.yaml, terminator: "")
        print("")
        if sniffed.format == .fixedWidth {
            print("first \(rows) lines as a layout sketch:")
            let width = sniffed.lineLength ?? 0
            print("    " + String((1...max(1, width)).map { $0 % 10 == 0 ? Character(String(($0 / 10) % 10)) : " " }))
            print("    " + String((1...max(1, width)).map { Character(String($0 % 10)) }))
            let reader = try FixedWidthRecordReader(path: file, layout: [(1, 100_000)], encoding: sniffed.encoding)
            var n = 0
            while n < rows, let r = try reader.next() {
                print("    " + DialectSniffer.sketch(r.fields[0]))
                n += 1
            }
            return
        }
        let reader = try DelimitedRecordReader(path: file, separator: Character(sniffed.separator ?? ","), encoding: sniffed.encoding)
        var header: [String]?
        if sniffed.header { header = try reader.next()?.fields }
        print("first \(rows) rows as read:")
        var sample: [[String]] = []
        while sample.count < 200, let r = try reader.next() {
            sample.append(r.fields)
            guard sample.count <= rows else { continue }
            let cells = r.fields.enumerated().map { i, v in
                let name = header.flatMap { i < $0.count ? $0[i] : nil } ?? "V\(i + 1)"
                return "\(name)=\(DialectSniffer.printable(v))"
            }
            print("  line \(r.line): " + cells.joined(separator: " | "))
        }
        let names = header ?? (0..<(sample.first?.count ?? 0)).map { "V\($0 + 1)" }
        print("")
        print("columns (from the first \(sample.count) rows):")
        let summaries = DialectSniffer.describe(header: names, rows: sample, dialect: sniffed)
        for c in summaries { print("  " + c.line) }
        print("")
        print("a source for the design (under sources:; choose the kind and name its fields):")
        for line in DialectSniffer.sourceSkeleton(file: file, dialect: sniffed, columns: summaries) { print(line) }
    }
}
