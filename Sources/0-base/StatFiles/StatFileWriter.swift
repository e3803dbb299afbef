import Basics
import CReadStat
import Foundation

/// A table to write as an SPSS or Stata file: typed columns with their labels, and rows of cells —
/// held in memory, or produced one at a time by a closure (so that a large table is never held whole:
/// the writer goes over the rows twice, once for the widths of the text columns, once to write them).
public struct StatTable: Sendable {
    public var columns: [StatColumn]
    public var rowCount: Int
    /// The file's label (Stata: at most 80 characters; longer labels are cut).
    public var label: String
    /// Lines stored in the file's notes (Stata `notes`, SPSS document records; at most 80 characters each).
    public var notes: [String]
    let visit: @Sendable (_ body: ([StatCell]) throws -> Void) throws -> Void

    /// A table held in memory: one cell per column in each row.
    public init(columns: [StatColumn], rows: [[StatCell]], label: String = "", notes: [String] = []) {
        self.init(columns: columns, rowCount: rows.count, label: label, notes: notes) { body in
            for row in rows { try body(row) }
        }
    }

    /// A table whose `rowCount` rows `rows` hands to its argument one by one, in order, each time it is
    /// called (one cell per column in each row).
    public init(columns: [StatColumn], rowCount: Int, label: String = "", notes: [String] = [],
                rows: @escaping @Sendable (_ body: ([StatCell]) throws -> Void) throws -> Void) {
        self.columns = columns
        self.rowCount = rowCount
        self.label = label
        self.notes = notes
        visit = rows
    }

    /// Calls `body` with every row, in order.
    public func forEachRow(_ body: ([StatCell]) throws -> Void) throws { try visit(body) }

    /// Every row (for small tables and tests).
    public func allRows() throws -> [[StatCell]] {
        var out: [[StatCell]] = []
        out.reserveCapacity(rowCount)
        try visit { out.append($0) }
        return out
    }
}

/// One column of a `StatTable`.
public struct StatColumn: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A double (Stata `double` with format `%10.0g`, SPSS `F` with up to 16 decimals shown as needed).
        case number
        /// A day: Stata `%tdCCYY-NN-DD` (days since 1 January 1960), SPSS `SDATE10` (seconds since
        /// 14 October 1582).
        case date
        /// Text (UTF-8), as wide as its longest value.
        case text
    }

    public var name: String
    public var label: String
    public var kind: Kind
    /// Labels of numeric values (for `.number` columns), in the order given.
    public var valueLabels: [(value: Double, label: String)]
    /// SPSS measurement level: nominal for labelled codes and text, scale for other numbers.
    public var nominal: Bool
    /// A text column's width in bytes, when the caller knows it (else the writer measures it with a
    /// pass over the rows).
    public var width: Int?

    public init(name: String, label: String = "", kind: Kind, valueLabels: [(value: Double, label: String)] = [], nominal: Bool = false) {
        self.name = name
        self.label = label
        self.kind = kind
        self.valueLabels = valueLabels
        self.nominal = nominal
    }

    public static func == (a: StatColumn, b: StatColumn) -> Bool {
        a.name == b.name && a.label == b.label && a.kind == b.kind && a.nominal == b.nominal && a.width == b.width
            && a.valueLabels.map(\.value) == b.valueLabels.map(\.value) && a.valueLabels.map(\.label) == b.valueLabels.map(\.label)
    }
}

/// A cell of a `StatTable`: missing is Stata's `.`, SPSS's system-missing, or an empty text.
public enum StatCell: Sendable, Equatable {
    case number(Double)
    case date(CalendarDate)
    case text(String)
    case missing
}

/// Writes a `StatTable` as an SPSS system file (`.sav`, uncompressed, UTF-8) or a Stata 14 file (`.dta`,
/// release 118, UTF-8) through ReadStat. The bytes go to a temporary file beside `path` that then
/// replaces it, so a failure leaves no half-written file; memory does not grow with the table.
public enum StatFileWriter {
    /// Stata's limits (release 118): 32-character names, 80-character labels, strings up to 2,045 bytes.
    public static let stataNameLength = 32
    public static let stataLabelLength = 80
    public static let stataStringBytes = 2045

    /// - Throws: `StatFileError.write` with ReadStat's reason (a name the format refuses, a text too
    ///   long); the names must already suit the format (`StatNames`).
    public static func write(_ table: StatTable, as format: StatFileFormat, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw StatFileError.write(path: path, format: format, reason: "the folder cannot be written to")
        }
        let sink = Sink(handle: handle)
        var finished = false
        defer {
            try? handle.close()
            if !finished { try? FileManager.default.removeItem(at: temporary) }
        }
        guard let writer = readstat_writer_init() else { throw StatFileError.write(path: path, format: format, reason: "out of memory") }
        defer { readstat_writer_free(writer) }
        func check(_ status: readstat_error_t) throws {
            guard status == READSTAT_OK else {
                // A failed write to the disk is reported by ReadStat as a bare "unable to write": say why.
                throw StatFileError.write(path: path, format: format, reason: sink.failure ?? String(cString: readstat_error_message(status)))
            }
        }
        try check(readstat_set_data_writer(writer) { data, length, ctx in
            let sink = Unmanaged<Sink>.fromOpaque(ctx!).takeUnretainedValue()
            guard let data, length > 0 else { return length }
            return sink.write(UnsafeRawBufferPointer(start: data, count: length)) ? length : -1
        })
        if format == .stata { try check(readstat_writer_set_file_format_version(writer, 118)) }
        try check(readstat_writer_set_file_label(writer, format == .stata ? clip(table.label, characters: stataLabelLength) : clip(table.label, bytes: 64)))
        for note in table.notes { readstat_add_note(writer, clip(note, bytes: 80)) }

        // The widths of the text columns: a first pass over the rows.
        var widths = [Int](repeating: 1, count: table.columns.count)
        let textColumns = table.columns.indices.filter { table.columns[$0].kind == .text && table.columns[$0].width == nil }
        for (i, c) in table.columns.enumerated() { if let w = c.width { widths[i] = max(1, w) } }
        if !textColumns.isEmpty {
            try table.forEachRow { row in
                for i in textColumns { if case let .text(s) = row[i], s.utf8.count > widths[i] { widths[i] = s.utf8.count } }
            }
        }
        var variables: [UnsafeMutablePointer<readstat_variable_t>] = []
        var labelSets: [String: UnsafeMutablePointer<readstat_label_set_t>] = [:]
        for (i, column) in table.columns.enumerated() {
            let variable: UnsafeMutablePointer<readstat_variable_t>?
            switch column.kind {
            case .text:
                let width = widths[i]
                if format == .stata && width > stataStringBytes {
                    throw StatFileError.write(path: path, format: format,
                                              reason: "column \(column.name) holds a text of \(width) bytes; Stata's limit is \(stataStringBytes)")
                }
                variable = readstat_add_variable(writer, column.name, READSTAT_TYPE_STRING, width)
                if let variable { readstat_variable_set_display_width(variable, Int32(min(max(width, 9), 40))) }
            case .number, .date:
                variable = readstat_add_variable(writer, column.name, READSTAT_TYPE_DOUBLE, 0)
            }
            guard let variable else { throw StatFileError.write(path: path, format: format, reason: "out of memory") }
            if !column.label.isEmpty {
                readstat_variable_set_label(variable, format == .stata ? clip(column.label, characters: stataLabelLength) : clip(column.label, bytes: 255))
            }
            if column.kind == .date { readstat_variable_set_format(variable, format == .stata ? "%tdCCYY-NN-DD" : "SDATE10") }
            if column.kind == .number && format == .stata { readstat_variable_set_format(variable, "%10.0g") }
            if format == .spss {
                readstat_variable_set_measure(variable, column.kind == .text || column.nominal ? READSTAT_MEASURE_NOMINAL : READSTAT_MEASURE_SCALE)
            }
            if !column.valueLabels.isEmpty {
                // Columns with the same labels share one set, named after the first of them.
                let key = column.valueLabels.map { "\($0.value)=\($0.label)" }.joined(separator: "\u{1}")
                if labelSets[key] == nil {
                    guard let set = readstat_add_label_set(writer, READSTAT_TYPE_DOUBLE, column.name) else {
                        throw StatFileError.write(path: path, format: format, reason: "out of memory")
                    }
                    for (value, label) in column.valueLabels { readstat_label_double_value(set, value, clip(label, bytes: 120)) }
                    labelSets[key] = set
                }
                readstat_variable_set_label_set(variable, labelSets[key])
            }
            variables.append(variable)
        }

        let ctx = Unmanaged.passUnretained(sink).toOpaque()
        try withExtendedLifetime(sink) {
            try check(format == .spss ? readstat_begin_writing_sav(writer, ctx, table.rowCount)
                                      : readstat_begin_writing_dta(writer, ctx, table.rowCount))
            try check(readstat_validate_metadata(writer))
            for v in variables { try check(readstat_validate_variable(writer, v)) }
            var written = 0
            try table.forEachRow { row in
                guard written < table.rowCount, row.count == variables.count else {
                    throw StatFileError.write(path: path, format: format, reason: "the table gives a row of \(row.count) cells for "
                        + "\(variables.count) columns, or more than its \(table.rowCount) rows")
                }
                written += 1
                try check(readstat_begin_row(writer))
                for (i, cell) in row.enumerated() {
                    let v = variables[i]
                    switch (cell, table.columns[i].kind) {
                    case let (.number(x), _) where x.isFinite:
                        try check(readstat_insert_double_value(writer, v, x))
                    case let (.date(d), _):
                        try check(readstat_insert_double_value(writer, v, StatEpochs.number(d, format: format)))
                    case let (.text(s), .text):
                        guard s.utf8.count <= widths[i] else {
                            throw StatFileError.write(path: path, format: format, reason: "row \(written) of column \(table.columns[i].name) "
                                + "holds a text of \(s.utf8.count) bytes, longer than the column's declared width of \(widths[i])")
                        }
                        try check(readstat_insert_string_value(writer, v, s))
                    case (_, .text):
                        try check(readstat_insert_string_value(writer, v, ""))
                    default:
                        try check(readstat_insert_missing_value(writer, v))
                    }
                }
                try check(readstat_end_row(writer))
            }
            try check(readstat_end_writing(writer))
        }
        if let failure = sink.failure { throw StatFileError.write(path: path, format: format, reason: failure) }
        do {
            try sink.flush()
            try handle.close()
            // rename(2) replaces an existing file in one step.
            guard rename(temporary.path, path) == 0 else {
                throw StatFileError.write(path: path, format: format, reason: String(cString: strerror(errno)))
            }
            finished = true
        } catch let e as StatFileError {
            throw e
        } catch {
            throw StatFileError.write(path: path, format: format, reason: "\(error.localizedDescription)")
        }
    }

    /// At most `n` characters; a longer text ends in "…".
    static func clip(_ s: String, characters n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    /// At most `n` bytes of UTF-8, cut between characters; a longer text ends in "…".
    static func clip(_ s: String, bytes n: Int) -> String {
        guard s.utf8.count > n else { return s }
        var out = ""
        var used = 3
        for c in s {
            let size = String(c).utf8.count
            guard used + size <= n else { break }
            out.append(c)
            used += size
        }
        return out + "…"
    }

    /// ReadStat's output, buffered in 1 MiB pieces on its way to the file.
    final class Sink {
        let handle: FileHandle
        var buffer = Data()
        var failure: String?

        init(handle: FileHandle) { self.handle = handle }

        func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 20 {
                do { try flush() } catch {
                    failure = "\(error.localizedDescription)"
                    return false
                }
            }
            return true
        }

        func flush() throws {
            guard !buffer.isEmpty else { return }
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
