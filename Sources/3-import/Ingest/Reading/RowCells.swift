import Basics
import Tabular
import TrialDesign

/// The cells of a source's rows as its reader sees them: each canonical field at its column (the
/// design's `columns:` map, resolved against the file's header once), and each cell parsed in the
/// source's dialect — dates and months in its `date_format`, amounts with its decimal mark and thousands
/// separator, codes through its `codes:` map into a closed vocabulary. A cell that does not parse throws
/// a `RowFailure` naming the column and saying what the cell should look like.
///
/// Cells are parsed from their bytes; the text is decoded only to say what is wrong with it. One value
/// per file and thread: it remembers the last codes mapped (a few values repeat on every row).
public struct RowCells {
    /// What does not change from row to row, behind one reference: a reader's calls pass the cells
    /// inout, and a struct holding the source itself would be copied (and its references counted) at
    /// every call.
    final class Schema: @unchecked Sendable {
        let source: Source
        let names: [String]
        let slots: [(field: String, index: Int)]
        let decimalMark: UInt8
        let groupMark: UInt8?
        let declared: [String: Set<String>]
        let dayForm: DateFormat
        let monthForm: DateFormat

        init(source: Source, names: [String], slots: [(field: String, index: Int)], declared: [String: Set<String>]) {
            self.source = source
            self.names = names
            self.slots = slots
            decimalMark = source.dialect.decimal.first?.asciiValue ?? 0x2E
            groupMark = source.dialect.thousands?.first?.asciiValue
            self.declared = declared
            dayForm = source.dialect.dateFormat.dayForm
            monthForm = source.dialect.monthForm
        }
    }

    let schema: Schema
    public var source: Source { schema.source }
    /// The file's column names (the header, or `V1`, `V2`, … without one; the layout's field names for a
    /// fixed-width file).
    public var names: [String] { schema.names }
    /// The column of each canonical field the file has, searched by name (a few entries: faster than
    /// hashing the name for every cell).
    var slots: [(field: String, index: Int)] { schema.slots }
    var decimalMark: UInt8 { schema.decimalMark }
    var groupMark: UInt8? { schema.groupMark }
    /// The canonical values of the coded fields the design declares (`vocabulary:`, else the values of
    /// `codes:`), for the kinds without a built-in vocabulary.
    var declared: [String: Set<String>] { schema.declared }
    var codeMemo: [(field: String, raw: String, mapped: String)] = []
    /// The value labels of an SPSS or Stata file's columns (by index): a labelled value's text → its
    /// label. A code the design does not map (or a vocabulary does not hold) is looked up by its label.
    public var valueLabels: [Int: [String: String]] = [:]

    /// Resolves `fields` against `names` through the source's `columns:` map. A required field, or one the
    /// design maps explicitly, that the file lacks throws `ImportError.missingColumn` (naming `display`).
    public init(source: Source, names: [String], fields: [SourceField], display: String) throws {
        var declared: [String: Set<String>] = [:]
        for (field, map) in source.codes { declared[field] = Set(map.values) }
        for (field, values) in source.vocabularies { declared[field] = Set(values) }
        var slots: [(field: String, index: Int)] = []
        for f in fields {
            let c = source.columns[f.name] ?? f.name
            if let i = names.firstIndex(of: c) { slots.append((f.name, i)) }
            else if f.required || source.columns[f.name] != nil {
                throw ImportError.missingColumn(file: display, source: source.id, field: f.name, column: c, available: names)
            }
        }
        schema = Schema(source: source, names: names, slots: slots, declared: declared)
    }

    /// A national number in a cell the reader keeps, other than the identifier's: the row is set aside
    /// (`national_number_outside_identifier`) so the number is never stored. Only cells holding eleven
    /// digits or more are decoded and checked (the checksum, both centuries); the rest cost a byte scan.
    public func nationalNumberFailure(_ r: borrowing TextRow, identifier: Int) -> RowFailure? {
        for slot in slots where slot.index != identifier {
            let digits = r.withField(slot.index) { bytes in bytes.reduce(0) { $0 + ($1 >= 0x30 && $1 <= 0x39 ? 1 : 0) } }
            if digits >= 11, NationalNumber.occurs(in: r.string(slot.index)) {
                return RowFailure(reason: .nationalNumberOutsideIdentifier, column: names[slot.index],
                                  message: "column \"\(names[slot.index])\" holds a national number; it is not the identifier, so the row is "
                                    + "set aside and the number not stored")
            }
        }
        return nil
    }

    /// The value label of the text `raw` in column `i`, when the file labels it.
    @inline(__always)
    public func label(_ i: Int, _ raw: String) -> String? {
        valueLabels.isEmpty ? nil : valueLabels[i]?[raw]
    }

    /// The file's column for a canonical field (as the design maps it, else the field's own name).
    public func column(for field: String) -> String { source.columns[field] ?? field }

    /// Where the field is in the file, nil when the file does not have it.
    @inline(__always)
    public func index(of field: String) -> Int? {
        for s in schema.slots where s.field == field { return s.index }
        return nil
    }

    /// The column of a field that must not be blank in this row.
    @inline(__always)
    public func requiredIndex(_ r: borrowing TextRow, _ field: String) throws -> Int {
        guard let i = index(of: field), !r.isBlank(i) else {
            throw RowFailure(reason: .missingField, column: column(for: field), message: "the required field \(field) is empty")
        }
        return i
    }

    /// The column of a field, nil when the file has no such column or the row leaves it blank.
    @inline(__always)
    public func optionalIndex(_ r: borrowing TextRow, _ field: String) -> Int? {
        guard let i = index(of: field), !r.isBlank(i) else { return nil }
        return i
    }

    /// The trimmed text of a field, nil when absent or blank.
    @inline(__always)
    public func cell(_ r: borrowing TextRow, _ field: String) -> String? {
        guard let i = index(of: field), !r.isBlank(i) else { return nil }
        return r.string(i)
    }

    /// The trimmed text of a field that must not be blank.
    @inline(__always)
    public func required(_ r: borrowing TextRow, _ field: String) throws -> String {
        guard let v = cell(r, field) else {
            throw RowFailure(reason: .missingField, column: column(for: field), message: "the required field \(field) is empty")
        }
        return v
    }

    // MARK: Dates, months, amounts

    /// The date in column `i`, in the dialect's date form, within the plausible years.
    @inline(__always)
    public func date(_ r: borrowing TextRow, _ i: Int, _ field: String) throws -> CalendarDate {
        let format = schema.dayForm
        guard let d = r.withField(i, { CellParser.date(bytes: $0, format: format) }) else { return try date(r.string(i), field) }
        return try plausible(d, field)
    }

    /// The month in column `i` (its first day), in the dialect's month form, within the plausible years.
    @inline(__always)
    public func month(_ r: borrowing TextRow, _ i: Int, _ field: String) throws -> CalendarDate {
        let format = schema.monthForm
        guard let d = r.withField(i, { CellParser.month(bytes: $0, format: format) }) else { return try month(r.string(i), field) }
        return try plausible(d, field)
    }

    /// The amount in euro in column `i`, in the dialect's decimal form, at most ±1,000,000.
    public func amount(_ r: borrowing TextRow, _ i: Int, _ field: String, nonNegative: Bool) throws -> Double {
        let (mark, group) = (schema.decimalMark, schema.groupMark)
        guard let v = r.withField(i, { CellParser.decimal(bytes: $0, mark: mark, group: group) }),
              abs(v) <= Vocabulary.largestAmount, !nonNegative || v >= 0 else {
            return try amount(r.string(i), field, nonNegative: nonNegative)
        }
        return v
    }

    public func plausible(_ d: CalendarDate, _ field: String) throws -> CalendarDate {
        guard Vocabulary.plausibleYears.contains(d.year) else {
            throw RowFailure(reason: .outOfRange, column: column(for: field),
                             message: "\(field) \(d) lies outside the plausible years \(Vocabulary.plausibleYears.lowerBound)–\(Vocabulary.plausibleYears.upperBound)")
        }
        return d
    }

    func date(_ text: String, _ field: String) throws -> CalendarDate {
        guard let d = CellParser.date(text, format: source.dialect.dateFormat) else {
            throw RowFailure(reason: .unparseableDate, column: column(for: field),
                             message: "\"\(text)\" is not a date in the form \(source.dialect.dateFormat.dayForm.rawValue) (or the day does not exist)")
        }
        return try plausible(d, field)
    }

    func month(_ text: String, _ field: String) throws -> CalendarDate {
        guard let d = CellParser.month(text, format: source.dialect.monthForm) else {
            throw RowFailure(reason: .unparseableDate, column: column(for: field),
                             message: "\"\(text)\" is not a month in the form \(source.dialect.monthForm.rawValue)")
        }
        return try plausible(d, field)
    }

    func amount(_ text: String, _ field: String, nonNegative: Bool) throws -> Double {
        let d = source.dialect
        guard let v = CellParser.decimal(text, decimal: d.decimal.first ?? ".", thousands: d.thousands?.first) else {
            throw RowFailure(reason: .unparseableAmount, column: column(for: field),
                             message: "\"\(text)\" is not a number with decimal mark \"\(d.decimal)\"\(d.thousands.map { " and thousands separator \"\($0)\"" } ?? " (no thousands separator declared)")")
        }
        if abs(v) > Vocabulary.largestAmount {
            throw RowFailure(reason: .outOfRange, column: column(for: field), message: "\(field) \(v) is beyond ±1,000,000 euro")
        }
        if nonNegative && v < 0 {
            throw RowFailure(reason: .outOfRange, column: column(for: field),
                             message: "\(field) is negative (\(v)); this source holds no negative amounts (recoveries belong in the federal statements)")
        }
        return v
    }

    // MARK: Codes

    /// A raw code of a kind whose vocabulary the design declares: mapped through `codes:`, then checked
    /// against `vocabulary:` (or the values of `codes:`); any value passes when the design declares
    /// neither.
    public mutating func declaredCode(_ text: String, _ field: String) throws -> String {
        guard let vocabulary = declared[field] else {
            if let mapped = source.codes[field]?[text] { return mapped }
            if let l = index(of: field).flatMap({ label($0, text) }), let mapped = source.codes[field]?[l] { return mapped }
            return text
        }
        return try code(text, field, vocabulary: vocabulary)
    }

    /// A signed amount in euro in column `i`: in euro cents (digits only) when the dialect says `cents`,
    /// else in the dialect's decimal form; a leading or trailing `-`, or a `sign` field holding `-`, makes
    /// it negative. At most ±1,000,000.
    public func signedAmount(_ r: borrowing TextRow, _ i: Int, _ field: String) throws -> Double {
        var text = r.string(i)
        var negative = false
        if text.hasSuffix("-") { negative = true; text.removeLast() }
        if text.hasPrefix("-") { negative.toggle(); text.removeFirst() } else if text.hasPrefix("+") { text.removeFirst() }
        if let s = cell(r, "sign") {
            switch s {
            case "-": negative.toggle()
            case "+": break
            default:
                throw RowFailure(reason: .unparseableAmount, column: column(for: "sign"), message: "the sign \"\(s)\" is not + or -")
            }
        }
        let value: Double
        if source.dialect.cents {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let c = Int(text) else {
                throw RowFailure(reason: .unparseableAmount, column: column(for: field),
                                 message: "\"\(r.string(i))\" is not an amount in euro cents (digits only, e.g. 00001460 for 14.60)")
            }
            value = Double(c) / 100
        } else {
            value = try amount(text, field, nonNegative: true)
        }
        if value > Vocabulary.largestAmount {
            throw RowFailure(reason: .outOfRange, column: column(for: field), message: "\(field) \(value) is beyond ±1,000,000 euro")
        }
        return negative ? -value : value
    }

    /// A raw code mapped through the source's `codes:` for `field` (then `defaults`) and checked against
    /// the closed `vocabulary`.
    public mutating func code(_ text: String, _ field: String, vocabulary: Set<String>,
                              defaults: [String: String] = [:]) throws -> String {
        for m in codeMemo where m.raw == text && m.field == field { return m.mapped }
        var mapped = source.codes[field]?[text] ?? defaults[text] ?? text
        // An SPSS or Stata code by its value label: mapped through codes:, or a label that is itself canonical.
        if !vocabulary.contains(mapped), let l = index(of: field).flatMap({ label($0, text) }) {
            if let m = source.codes[field]?[l] ?? defaults[l] { mapped = m } else if vocabulary.contains(l) { mapped = l }
        }
        guard vocabulary.contains(mapped) else {
            let mapping = source.codes[field].map { " or a raw code mapped under codes: { \(field): … } (\($0.count) mapped)" } ?? "; map raw codes with codes: { \(field): { \"raw\": canonical } } in the design"
            throw RowFailure(reason: .unknownCode, column: column(for: field),
                             message: "\"\(text)\" is not a known \(field); allowed: \(vocabulary.sorted().joined(separator: ", "))\(mapping)")
        }
        if codeMemo.count < 32 { codeMemo.append((field, text, mapped)) }
        return mapped
    }
}
