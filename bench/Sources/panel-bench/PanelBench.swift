import ArgumentParser
import Basics
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Ingest
import Panel
import TrialData
import Tabular
import TrialDesign

/// `panel-bench`: the project's side of the panel task of `make bench` (bench/README.md). It reads the
/// three files the harness generates (families, a VDAB month-status panel, OCMW aid decisions) with the
/// streaming reader of `Tabular`, turns them into `AssignedUnit` and `RegistryRecord` values, derives the 6-
/// and 12-month outcomes with `Panel.derive` (months counted from each family's own assignment day,
/// docs/panel.md) and writes the same CSV as the peers (bench/peers/panel_polars.py), printing one JSON line
/// with the row count, the column sums and the seconds of its own work.
@main
struct PanelBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "panel-bench",
        abstract: "Benchmark of the panel derivation on the files of `make bench` (families, VDAB, OCMW).")

    @Argument(help: "Families: family_id,pseudonym,assignment_date (YYYY-MM-DD),z.") var families: String
    @Argument(help: "VDAB month statuses, '|'-separated: pseudonym|maand (YYYYMM)|categorie|trajectstatus.") var vdab: String
    @Argument(help: "OCMW aid decisions, ';'-separated: pseudonym;soort_steun;begindatum (DD/MM/YYYY);bedrag (decimal comma).")
    var ocmw: String
    @Option(help: "The output CSV (one line per family × wave).") var out: String

    /// The outcomes of the peers, in the project's terms: windows are months 1–6 and 7–12 counted from the
    /// assignment day; a VDAB status covers its calendar month; an OCMW decision is a one-day record on its
    /// start date (so `any` and `sum` both ask whether it starts in the window).
    static let designText = """
        trial: { id: panel-bench, title: Panel benchmark against peers }
        arms: [{ id: control, control: true }, { id: treatment }]
        randomisation: { method: complete, seed: 1 }
        waves: [{ id: m6, offset_months: 6 }, { id: m12, offset_months: 12 }]
        sources:
          - { id: vdab, kind: vdab_status, file: vdab.csv, identifier: { column: pseudonym, type: pseudonym }, dialect: { format: delimited } }
          - { id: ocmw, kind: ocmw_aid, file: ocmw.csv, identifier: { column: pseudonym, type: pseudonym }, dialect: { format: delimited } }
        families: [{ id: main }]
        outcomes:
          - { id: employment_programme, family: main, type: binary, source: vdab, rule: any, filter: { field: placement, in: [training, trajectory] }, windows: { m6: [1, 6], m12: [7, 12] } }
          - { id: job_seeker_months, family: main, type: continuous, source: vdab, rule: share_of_months, filter: { field: category, in: ["00", "02", "04", "05"] }, windows: { m6: [1, 6], m12: [7, 12] } }
          - { id: supplementary_aid, family: main, type: binary, source: ocmw, rule: any, filter: { field: kind, in: [supplementary_one_off, supplementary_structural, supplementary_price_reduction] }, windows: { m6: [1, 6], m12: [7, 12] } }
          - { id: supplementary_amount, family: main, type: continuous, source: ocmw, rule: sum, value: amount, filter: { field: kind, in: [supplementary_one_off, supplementary_structural, supplementary_price_reduction] }, windows: { m6: [1, 6], m12: [7, 12] } }
          - { id: medical_card, family: main, type: binary, source: ocmw, rule: any, filter: { field: kind, in: [medical_card] }, windows: { m6: [1, 6], m12: [7, 12] } }
          - { id: budget_guidance, family: main, type: binary, source: ocmw, rule: any, filter: { field: kind, in: [budget_guidance, budget_management, debt_mediation] }, windows: { m6: [1, 6], m12: [7, 12] } }
          - { id: art60_employment, family: main, type: binary, source: ocmw, rule: any, filter: { field: kind, in: [art60] }, windows: { m6: [1, 6], m12: [7, 12] } }
        """

    func run() throws {
        try CommandFailure.reporting {
            let started = DispatchTime.now()
            let design = try Design.parse(yaml: Self.designText, file: "bench/Sources/panel-bench/PanelBench.swift")
            // Two readers at once: the VDAB file (most of the lines) here, the families and OCMW files on a
            // second thread. Errors are reported in file order (families, VDAB, OCMW), as a sequential read would.
            let familiesPath = families, vdabPath = vdab, ocmwPath = ocmw
            let other = SideReads()
            let done = DispatchSemaphore(value: 0)
            Thread {
                other.families = Result { try Self.readFamilies(familiesPath) }
                if case .success = other.families { other.ocmw = Result { try Self.readOCMW(ocmwPath) } }
                done.signal()
            }.start()
            // Not through a `Result`: a second reference to the array would make the append below copy it.
            var records: [RegistryRecord] = []
            var vdabError: Error?
            do { records = try Self.readVDAB(vdabPath, alsoReserving: ocmwPath) } catch { vdabError = error }
            done.wait()
            let (units, arms) = try other.families!.get()
            if let vdabError { throw vdabError }
            records.append(contentsOf: try other.ocmw!.get())
            other.ocmw = nil
            let panel = try Panel.derive(design: design, units: units, records: records, responses: [], exits: [])
            // The records are not needed any more: release them (millions of reference counts) on the second
            // core while the CSV is built and written.
            let disposal = Disposal(records)
            records = []
            Thread { disposal.empty() }.start()
            let (bytes, sums, missing) = Self.csv(panel, arms: arms)
            do { try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw CommandFailure("\(out): cannot write the file (\(error.localizedDescription))")
            }
            if missing > 0 {
                FileHandle.standardError.write(Data("warning: \(missing) outcome cells have no value (written empty)\n".utf8))
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            let sumText = zip(panel.outcomeIDs, sums).map { "\"\($0)\": \(String(format: "%.4f", $1))" }.joined(separator: ", ")
            print("{\"rows\": \(panel.rows.count), \"sums\": {\(sumText)}, \"seconds_compute\": \(String(format: "%.4f", seconds))}")
        }
    }

    /// The families: their units (arm `treatment` for z = 1) and z by family id.
    static func readFamilies(_ path: String) throws -> ([AssignedUnit], [String: Int]) {
        var units: [AssignedUnit] = []
        var arms: [String: Int] = [:]
        try read(path, separator: ",", header: ["family_id", "pseudonym", "assignment_date", "z"]) { row, line, cell in
            let f = row.strings
            guard let date = CalendarDate(iso: f[2]) else { throw cell(2, "'\(f[2])' is not a date YYYY-MM-DD") }
            guard let z = Int(f[3]), z == 0 || z == 1 else { throw cell(3, "'\(f[3])' is not 0 or 1") }
            if arms[f[0]] != nil { throw cell(0, "family '\(f[0])' appears twice") }
            arms[f[0]] = z
            units.append(AssignedUnit(id: f[0], linkKey: f[1], arm: z == 1 ? "treatment" : "control",
                                      assignedOn: date, probability: 0.5))
        }
        return (units, arms)
    }

    /// The VDAB month statuses as records covering their calendar month, in an array with room for the
    /// records of `alsoReserving` too (appended after, without regrowing the array).
    static func readVDAB(_ path: String, alsoReserving other: String) throws -> [RegistryRecord] {
        // One record per data line: reserve them all at once (no regrowth copies of a large array).
        var records: [RegistryRecord] = []
        records.reserveCapacity(try lineCount(path) + lineCount(other))
        // The file lists a person's rows together, and the coded fields take few distinct values: equal
        // values share one string or one field map (copy-on-write storage) instead of one allocation per row.
        var participants = RepeatedText()
        var fields = FieldMapCache<VDABKey>()
        var months = MonthSpans()
        try read(path, separator: "|", header: ["pseudonym", "maand", "categorie", "trajectstatus"]) { row, line, cell in
            let month = row.string(1, trimmed: false)
            guard let (first, last) = months.days(month) else { throw cell(1, "'\(month)' is not a month YYYYMM") }
            let category = row.string(2, trimmed: false), placement = row.string(3, trimmed: false)
            let attributes = fields.map(for: VDABKey(category: category, placement: placement)) {
                ["category": category, "placement": placement]
            }
            records.append(RegistryRecord(source: "vdab", participant: participants.shared(row, field: 0), line: line,
                                          startDay: first, endDay: last, attributes: attributes))
        }
        return records
    }

    /// The OCMW aid decisions as one-day records on their start date, with the amount.
    static func readOCMW(_ path: String) throws -> [RegistryRecord] {
        var records: [RegistryRecord] = []
        records.reserveCapacity(try lineCount(path))
        var participants = RepeatedText()
        var fields = FieldMapCache<String>()
        try read(path, separator: ";", header: ["pseudonym", "soort_steun", "begindatum", "bedrag"]) { row, line, cell in
            let kind = row.string(1, trimmed: false), start = row.string(2, trimmed: false), amountText = row.string(3, trimmed: false)
            guard let date = CellParser.date(start, format: .dmy) else { throw cell(2, "'\(start)' is not a date DD/MM/YYYY") }
            guard let amount = CellParser.decimal(amountText, decimal: ",") else {
                throw cell(3, "'\(amountText)' is not an amount (decimal comma, e.g. 123,45)")
            }
            let attributes = fields.map(for: kind) { ["kind": kind] }
            records.append(RegistryRecord(source: "ocmw", participant: participants.shared(row, field: 0), line: line,
                                          start: date, end: date, attributes: attributes, numbers: ["amount": amount]))
        }
        return records
    }

    /// The peers' table: `family_id, z, wave`, then the outcomes, by family and wave (m6 before m12);
    /// returns the UTF-8 bytes, the column sums and the number of cells without a value. Integral values are
    /// written without a decimal point, others as Swift prints a `Double` (shortest round-trip form).
    static func csv(_ panel: PanelData, arms: [String: Int]) -> ([UInt8], [Double], Int) {
        let waveOrder = Dictionary(uniqueKeysWithValues: panel.waves.enumerated().map { ($1, $0) })
        let rows = panel.rows
        func before(_ a: PanelRow, _ b: PanelRow) -> Bool {
            a.unitID != b.unitID ? a.unitID < b.unitID : waveOrder[a.wave, default: 0] < waveOrder[b.wave, default: 0]
        }
        // The panel lists units in file order, usually already by family: sort (indices) only if needed.
        var order = Array(rows.indices)
        if rows.indices.dropFirst().contains(where: { before(rows[$0], rows[$0 - 1]) }) {
            order.sort { before(rows[$0], rows[$1]) }
        }
        var sums = [Double](repeating: 0, count: panel.outcomeIDs.count)
        var missing = 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * 48 + 256)
        bytes.append(contentsOf: (["family_id", "z", "wave"] + panel.outcomeIDs).joined(separator: ",").utf8)
        bytes.append(UInt8(ascii: "\n"))
        // The z of the last unit written (both waves of a unit come together).
        var lastUnit: String? = nil, lastZ = 0
        // Fields read through `rows[i]` (binding the row would copy it, retaining all its strings).
        for i in order {
            if lastUnit != rows[i].unitID {
                lastZ = arms[rows[i].unitID] ?? 0
                lastUnit = rows[i].unitID
            }
            bytes.append(contentsOf: rows[i].unitID.utf8)
            bytes.append(UInt8(ascii: ","))
            appendInteger(lastZ, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: rows[i].wave.utf8)
            for k in rows[i].outcomes.indices {
                bytes.append(UInt8(ascii: ","))
                let cell = rows[i].outcomes[k]
                if let v = cell.value, cell.status == .observed {
                    sums[k] += v
                    if v == v.rounded() && abs(v) < 1e15 {
                        appendInteger(Int(v), to: &bytes)
                    } else {
                        bytes.append(contentsOf: v.description.utf8)
                    }
                } else {
                    missing += 1
                }
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return (bytes, sums, missing)
    }

    /// Appends the decimal digits of `value` (with a leading '-' when negative), as `String(value)` reads.
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let first = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[first...].reverse()
    }

    /// Streams a delimited file with the expected header, calling `body` with the fields of every data
    /// line, its line number and a maker of errors naming the file, line and column.
    static func read(_ path: String, separator: Character, header: [String],
                     _ body: (borrowing TextRow, Int, (Int, String) -> CommandFailure) throws -> Void) throws {
        let reader: DelimitedRecordReader
        do { reader = try DelimitedRecordReader(path: path, separator: separator) } catch {
            throw CommandFailure("\(path): cannot be read (\(error))")
        }
        do {
            guard let first = try reader.next() else { throw CommandFailure("\(path): the file is empty; expected the header \(header.joined(separator: String(separator)))") }
            guard first.fields == header else {
                throw CommandFailure("\(path):\(first.line): the header is '\(first.fields.joined(separator: String(separator)))'; expected '\(header.joined(separator: String(separator)))' (separator '\(separator)')")
            }
            // Fields stay bytes in one reused row; the callers decode only what they keep.
            var row = TextRow()
            while try reader.nextRow(&row) {
                guard row.count == header.count else {
                    throw CommandFailure("\(path):\(row.line): \(row.count) fields, expected \(header.count) separated by '\(separator)'")
                }
                let line = row.line
                try body(row, line) { column, message in
                    CommandFailure("\(path):\(line): column \(column + 1) (\(header[column])): \(message)")
                }
            }
        } catch let error as RecordReadError {
            throw CommandFailure("\(path): \(error.description)")
        }
    }

    /// The number of line feeds in a file (an upper bound of its data lines, for reserving capacity). On
    /// Linux the file is mapped with its pages populated at once (no copy into a buffer, no fault per page)
    /// and scanned with `memchr`; if it cannot be mapped, it is read in chunks. Elsewhere Foundation maps it
    /// (`Data(contentsOf:options: .alwaysMapped)`, which reads it when it cannot be mapped).
    static func lineCount(_ path: String) throws -> Int {
        #if canImport(Glibc)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CommandFailure("\(path): cannot be read") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CommandFailure("\(path): cannot be read") }
        let size = Int(info.st_size)
        if size == 0 { return 0 }
        if let map = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), map != MAP_FAILED {
            defer { munmap(map, size) }
            return newlines(in: UnsafeRawPointer(map), count: size)
        }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            let n = Glibc.read(fd, buffer, chunk)
            if n < 0 { throw CommandFailure("\(path): cannot be read") }
            if n == 0 { return count }
            count += newlines(in: UnsafeRawPointer(buffer), count: n)
        }
        #else
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw CommandFailure("\(path): cannot be read")
        }
        return data.withUnsafeBytes { bytes in
            bytes.baseAddress.map { newlines(in: $0, count: bytes.count) } ?? 0
        }
        #endif
    }

    /// The line feeds among `count` bytes (memchr scans many bytes per step; lines are tens of bytes long).
    static func newlines(in start: UnsafeRawPointer, count: Int) -> Int {
        var found = 0
        var p = start
        let end = start + count
        while p < end, let hit = memchr(p, 0x0A, end - p) {
            found += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return found
    }

    /// "201904" → (2019, 4): six characters read as a positive integer (ASCII digits, an optional leading
    /// '+', as `Int(_:)` reads them), the month 1–12.
    static func yearMonth(_ s: String) -> (Int, Int)? {
        var value = 0, length = 0
        for b in s.utf8 {
            length += 1
            guard length <= 6 else { return nil }
            if length == 1 && b == UInt8(ascii: "+") { continue }
            let d = b &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        guard length == 6, value > 0 else { return nil }
        let month = value % 100
        return (1...12).contains(month) ? (value / 100, month) : nil
    }
}

/// A failure with a message for the user: `reporting` prints it as one line on standard error and exits
/// with status 1 (as `rct` does).
struct CommandFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }

    static func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// What the second reading thread hands back (written by it before it signals, read after the wait).
final class SideReads: @unchecked Sendable {
    var families: Result<([AssignedUnit], [String: Int]), Error>?
    var ocmw: Result<[RegistryRecord], Error>?
}

/// Values released on another thread (`empty()` drops the last reference there).
final class Disposal<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: Value) { self.value = value }

    func empty() { value = nil }
}

/// The text of a field, decoded only when it differs from the previous row's (the files list a person's
/// rows together): equal runs share one string and cost no decoding.
struct RepeatedText {
    private var bytes: [UInt8] = []
    private var last: String?

    mutating func shared(_ row: borrowing TextRow, field: Int) -> String {
        let same = row.withField(field, trimmed: false) { $0.count == bytes.count && $0.elementsEqual(bytes) }
        if same, let last { return last }
        bytes.removeAll(keepingCapacity: true)
        row.withField(field, trimmed: false) { bytes.append(contentsOf: $0) }
        let text = row.string(field, trimmed: false)
        last = text
        return text
    }
}

/// The VDAB coded fields of a row.
struct VDABKey: Hashable {
    var category: String
    var placement: String
}

/// One `FieldMap` per distinct key (coded fields take few values), so records with equal fields share one
/// map's storage. The last key is checked before the table, as runs of equal rows are common.
struct FieldMapCache<Key: Hashable> {
    private var last: (key: Key, map: FieldMap<String>)?
    private var table: [Key: FieldMap<String>] = [:]

    mutating func map(for key: Key, make: () -> FieldMap<String>) -> FieldMap<String> {
        if let last, last.key == key { return last.map }
        let map: FieldMap<String>
        if let known = table[key] {
            map = known
        } else {
            map = make()
            // Bounded: a column with many distinct values gets no sharing beyond the last row.
            if table.count < 4096 { table[key] = map }
        }
        last = (key, map)
        return map
    }
}

/// The day numbers (`CalendarDate.dayNumber`) of the first and last day of a month given as YYYYMM,
/// remembered per month (a panel covers few months): a flat table by month for the years 1900–2199, a
/// dictionary beyond.
struct MonthSpans {
    private static let firstYear = 1900, years = 300
    private var table = [(Int, Int)?](repeating: nil, count: MonthSpans.years * 12)
    private var others: [Int: (Int, Int)] = [:]

    mutating func days(_ text: String) -> (Int, Int)? {
        guard let (year, month) = PanelBench.yearMonth(text) else { return nil }
        let slot = (year - Self.firstYear) * 12 + month - 1
        let inTable = slot >= 0 && slot < table.count
        if inTable, let known = table[slot] { return known }
        if !inTable, let known = others[slot] { return known }
        let span = (CalendarDate(year: year, month: month, day: 1)!.dayNumber,
                    CalendarDate(year: year, month: month, day: CalendarDate.daysIn(year: year, month: month))!.dayNumber)
        if inTable { table[slot] = span } else { others[slot] = span }
        return span
    }
}
