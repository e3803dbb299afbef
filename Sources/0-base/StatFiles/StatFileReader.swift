import Basics
import CReadStat
import Foundation

/// Reads an SPSS (`.sav`, `.zsav`) or Stata (`.dta`) file through ReadStat: its variables with their
/// labels, value labels and missing-value rules once (`variables`), then its cases one by one
/// (`nextCase()`), in chunks of `chunkSize` cases so that memory stays bounded whatever the file's size.
///
/// Values arrive converted (`StatValue`): dates, date-times, months and quarters from each format's epoch
/// (SPSS: seconds since 14 October 1582; Stata: days, milliseconds, months or quarters since 1 January
/// 1960), SPSS user-defined missing values and Stata's `.a`–`.z` as `.missing` with the value kept, text
/// in UTF-8 (ReadStat converts from the file's declared encoding).
///
/// Cost: one pass over the file's dictionary, then one pass per chunk. ReadStat skips to a chunk's first
/// case by seeking in uncompressed files and Stata files; in a compressed `.sav` it decodes the cases
/// before the chunk again, so a file of n cases costs about n²/(2·chunkSize) case decodings (for 50,000
/// cases per chunk: a million cases decode ten million times, a few seconds).
public final class StatFileReader {
    public let path: String
    public let format: StatFileFormat
    public let variables: [StatVariable]
    /// The number of cases the file declares; nil when it does not say (some SPSS writers).
    public let caseCount: Int?
    /// The file's label, empty when none.
    public let fileLabel: String
    /// The file's format version (SPSS: 2 or 3; Stata: its release, e.g. 118).
    public let formatVersion: Int
    /// The character encoding the file declares, when it does.
    public let fileEncoding: String?
    public let chunkSize: Int

    private var buffer: [[StatValue]] = []
    private var position = 0
    /// Cases read so far, chunks included.
    private var nextOffset = 0
    private var finished = false

    /// Opens `path` and reads its dictionary. With `format` nil, the format is detected from the file's
    /// first bytes.
    /// - Throws: `StatFileError.unreadable` (no such file), `.notStatFile` (the bytes are not the
    ///   format's), `.parse` (ReadStat's reason, e.g. a file cut short).
    public init(path: String, format: StatFileFormat? = nil, chunkSize: Int = 50_000) throws {
        guard FileManager.default.isReadableFile(atPath: path) else { throw StatFileError.unreadable(path: path) }
        let detected = StatFileFormat.detect(path: path)
        guard let format = format ?? detected ?? StatFileFormat.named(path) else {
            throw StatFileError.notStatFile(path: path, expected: .spss, found: Self.describeStart(path))
        }
        guard detected == format else {
            throw StatFileError.notStatFile(path: path, expected: format, found: detected.map { "it is \($0.withArticle) file" } ?? Self.describeStart(path))
        }
        self.path = path
        self.format = format
        self.chunkSize = max(1, chunkSize)
        let dictionary = ParseContext(format: format)
        try Self.parse(path: path, format: format, context: dictionary, values: false, offset: 0, limit: 0)
        variables = dictionary.finishedVariables()
        caseCount = dictionary.rowCount >= 0 ? dictionary.rowCount : nil
        fileLabel = dictionary.fileLabel
        formatVersion = dictionary.formatVersion
        fileEncoding = dictionary.fileEncoding
    }

    /// The next case (one value per variable, in `variables` order), nil after the last.
    /// - Throws: `StatFileError.parse` when the file turns out damaged or cut short part-way.
    public func nextCase() throws -> [StatValue]? {
        if position == buffer.count {
            guard !finished else { return nil }
            try readChunk()
            guard position < buffer.count else { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    private func readChunk() throws {
        let context = ParseContext(format: format)
        context.variables = variables.map { ParseContext.Info(variable: $0, labelSet: nil) }
        context.kinds = variables.map(\.kind)
        context.expectedCases = min(chunkSize, (caseCount ?? Int.max) - nextOffset)
        if let caseCount, nextOffset >= caseCount {
            finished = true
            buffer = []
            position = 0
            return
        }
        try Self.parse(path: path, format: format, context: context, values: true, offset: nextOffset, limit: chunkSize)
        if let pending = context.pending { context.rows.append(pending.map { $0 ?? .missing(.system) }) }
        buffer = context.rows
        position = 0
        nextOffset += buffer.count
        if buffer.count < chunkSize { finished = true }
        if let caseCount, finished, nextOffset < caseCount {
            throw StatFileError.parse(path: path, format: format,
                                      reason: "the file declares \(caseCount) cases but holds \(nextOffset); it is cut short")
        }
    }

    /// What the first bytes of a file that is not the expected format look like.
    public static func describeStart(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.read(upToCount: 64) else { return "it cannot be read" }
        try? handle.close()
        if data.isEmpty { return "it is empty" }
        if data.allSatisfy({ $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || ($0 >= 0x20 && $0 != 0x7F) }) {
            let line = String(decoding: data, as: UTF8.self).prefix { $0 != "\n" && $0 != "\r" }
            return "it starts with text: \"\(line.prefix(24))…\""
        }
        return "its first bytes are \(data.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " "))"
    }

    // MARK: - ReadStat

    /// One parse of the file: the dictionary (`values` false: no value handler, so ReadStat skips the
    /// data), or the cases `offset ..< offset + limit`.
    static func parse(path: String, format: StatFileFormat, context: ParseContext, values: Bool, offset: Int, limit: Int) throws {
        guard let parser = readstat_parser_init() else {
            throw StatFileError.parse(path: path, format: format, reason: "out of memory")
        }
        defer { readstat_parser_free(parser) }
        readstat_set_error_handler(parser) { message, ctx in
            let c = Unmanaged<ParseContext>.fromOpaque(ctx!).takeUnretainedValue()
            if let message { c.errors.append(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        if values {
            readstat_set_value_handler(parser) { obs, variable, value, ctx in
                Unmanaged<ParseContext>.fromOpaque(ctx!).takeUnretainedValue().take(obs: Int(obs), variable: variable, value: value)
            }
            // ReadStat 1.1.8 crashes reading values when no variable handler is set (seen on .sav and .dta):
            // one that takes every variable avoids it.
            readstat_set_variable_handler(parser) { _, _, _, _ in Int32(READSTAT_HANDLER_OK) }
            if offset > 0 { readstat_set_row_offset(parser, offset) }
            if limit > 0 { readstat_set_row_limit(parser, limit) }
        } else {
            readstat_set_metadata_handler(parser) { metadata, ctx in
                let c = Unmanaged<ParseContext>.fromOpaque(ctx!).takeUnretainedValue()
                c.rowCount = Int(readstat_get_row_count(metadata))
                c.formatVersion = Int(readstat_get_file_format_version(metadata))
                if let label = readstat_get_file_label(metadata) { c.fileLabel = String(cString: label) }
                if let encoding = readstat_get_file_encoding(metadata) { c.fileEncoding = String(cString: encoding) }
                return Int32(READSTAT_HANDLER_OK)
            }
            readstat_set_variable_handler(parser) { index, variable, labelSet, ctx in
                Unmanaged<ParseContext>.fromOpaque(ctx!).takeUnretainedValue().addVariable(Int(index), variable, labelSet)
                return Int32(READSTAT_HANDLER_OK)
            }
            readstat_set_value_label_handler(parser) { labelSet, value, label, ctx in
                let c = Unmanaged<ParseContext>.fromOpaque(ctx!).takeUnretainedValue()
                guard let labelSet, let label else { return Int32(READSTAT_HANDLER_OK) }
                let key: StatValueKey
                if readstat_value_is_tagged_missing(value) != 0 {
                    key = .tagged(Character(UnicodeScalar(UInt8(bitPattern: readstat_value_tag(value)))))
                } else if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
                    key = .text(readstat_string_value(value).map { String(cString: $0) } ?? "")
                } else {
                    key = .number(readstat_double_value(value))
                }
                c.labels[String(cString: labelSet), default: [:]][key] = String(cString: label)
                return Int32(READSTAT_HANDLER_OK)
            }
        }
        let ctx = Unmanaged.passUnretained(context).toOpaque()
        let status = withExtendedLifetime(context) {
            format == .spss ? readstat_parse_sav(parser, path, ctx) : readstat_parse_dta(parser, path, ctx)
        }
        if status != READSTAT_OK {
            let reason = ([String(cString: readstat_error_message(status))] + context.errors.prefix(2)).joined(separator: "; ")
            throw StatFileError.parse(path: path, format: format, reason: reason)
        }
    }
}

/// What one parse collects; ReadStat's callbacks reach it through their context pointer.
final class ParseContext {
    struct Info {
        var variable: StatVariable
        var labelSet: String?
    }

    let format: StatFileFormat
    var variables: [Info] = []
    var kinds: [StatVariable.Kind] = []
    var labels: [String: [StatValueKey: String]] = [:]
    var rowCount = -1
    var formatVersion = 0
    var fileLabel = ""
    var fileEncoding: String?
    var errors: [String] = []
    var expectedCases = 0
    /// The cases of the chunk read so far, and the one being filled.
    var rows: [[StatValue]] = []
    var pending: [StatValue?]?
    var pendingObs = -1

    init(format: StatFileFormat) { self.format = format }

    func addVariable(_ index: Int, _ v: UnsafeMutablePointer<readstat_variable_t>?, _ labelSet: UnsafePointer<CChar>?) {
        guard let v else { return }
        let name = readstat_variable_get_name(v).map { String(cString: $0) } ?? "V\(index + 1)"
        let label = readstat_variable_get_label(v).map { String(cString: $0) } ?? ""
        let formatText = readstat_variable_get_format(v).map { String(cString: $0) } ?? ""
        let isText = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_STRING
        let kind: StatVariable.Kind = isText ? .text : StatVariable.kind(numericFormat: formatText, in: format)
        var ranges: [ClosedRange<Double>] = []
        var texts: [String] = []
        for i in 0..<readstat_variable_get_missing_ranges_count(v) {
            let lo = readstat_variable_get_missing_range_lo(v, i), hi = readstat_variable_get_missing_range_hi(v, i)
            if readstat_value_type_class(lo) == READSTAT_TYPE_CLASS_STRING {
                if let s = readstat_string_value(lo) { texts.append(String(cString: s)) }
            } else {
                let a = readstat_double_value(lo), b = readstat_double_value(hi)
                if a <= b { ranges.append(a...b) }
            }
        }
        let set = labelSet.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let variable = StatVariable(index: index, name: name, label: label, kind: kind, format: formatText, labelSet: set,
                                    missingRanges: ranges, missingTexts: texts)
        if index >= variables.count {
            variables.append(Info(variable: variable, labelSet: set))
        } else {
            variables[index] = Info(variable: variable, labelSet: set)
        }
    }

    /// The variables with their value labels attached (Stata files give the labels after the data).
    func finishedVariables() -> [StatVariable] {
        variables.map { info in
            var v = info.variable
            if let set = info.labelSet { v.valueLabels = labels[set] ?? [:] }
            return v
        }
    }

    func take(obs: Int, variable: UnsafeMutablePointer<readstat_variable_t>?, value: readstat_value_t) -> Int32 {
        guard let variable else { return Int32(READSTAT_HANDLER_OK) }
        let index = Int(readstat_variable_get_index(variable))
        guard index < kinds.count else { return Int32(READSTAT_HANDLER_OK) }
        if obs != pendingObs {
            if let pending { rows.append(pending.map { $0 ?? .missing(.system) }) }
            pending = Array(repeating: nil, count: kinds.count)
            pendingObs = obs
        }
        pending![index] = convert(value, variable, kind: kinds[index])
        return Int32(READSTAT_HANDLER_OK)
    }

    private func convert(_ value: readstat_value_t, _ variable: UnsafeMutablePointer<readstat_variable_t>, kind: StatVariable.Kind) -> StatValue {
        if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
            let text = readstat_string_value(value).map { String(cString: $0) } ?? ""
            if readstat_value_is_defined_missing(value, variable) != 0 { return .missing(.declared(.text(text))) }
            return .text(text)
        }
        if readstat_value_is_system_missing(value) != 0 { return .missing(.system) }
        if readstat_value_is_tagged_missing(value) != 0 {
            return .missing(.tagged(Character(UnicodeScalar(UInt8(bitPattern: readstat_value_tag(value))))))
        }
        let v = readstat_double_value(value)
        guard v.isFinite else { return .missing(.system) }
        if readstat_value_is_defined_missing(value, variable) != 0 { return .missing(.declared(.number(v))) }
        return StatEpochs.value(v, kind: kind, format: format)
    }
}

/// Each format's calendar: where its dates count from, and in what unit.
enum StatEpochs {
    /// 14 October 1582 (SPSS's day 0) and 1 January 1960 (Stata's) as `CalendarDate.dayNumber`s.
    static let spssDay0 = CalendarDate(year: 1582, month: 10, day: 14)!.dayNumber
    static let stataDay0 = CalendarDate(year: 1960, month: 1, day: 1)!.dayNumber
    /// Values further than this many days from the epoch are not dates (a wrong format on a number).
    static let plausibleDays = 3_000_000.0

    static func value(_ v: Double, kind: StatVariable.Kind, format: StatFileFormat) -> StatValue {
        switch (kind, format) {
        case (.number, _), (.text, _):
            return .number(v)
        case (.date, .spss), (.dateTime, .spss), (.month, .spss), (.quarter, .spss):
            let days = (v / 86_400).rounded(.down)
            guard abs(days) < plausibleDays else { return .number(v) }
            let day = CalendarDate(dayNumber: spssDay0 + Int(days))
            return calendar(day, seconds: v - days * 86_400, kind: kind)
        case (.date, .stata):
            let days = v.rounded(.down)
            guard abs(days) < plausibleDays else { return .number(v) }
            return .date(CalendarDate(dayNumber: stataDay0 + Int(days)))
        case (.dateTime, .stata):
            let days = (v / 86_400_000).rounded(.down)
            guard abs(days) < plausibleDays else { return .number(v) }
            return .dateTime(CalendarDate(dayNumber: stataDay0 + Int(days)), seconds: (v - days * 86_400_000) / 1000)
        case (.month, .stata):
            guard abs(v) < plausibleDays else { return .number(v) }
            let m = Int(v.rounded(.down))
            let year = 1960 + Int((Double(m) / 12).rounded(.down))
            return .month(CalendarDate(year: year, month: m - (year - 1960) * 12 + 1, day: 1)!)
        case (.quarter, .stata):
            guard abs(v) < plausibleDays else { return .number(v) }
            let q = Int(v.rounded(.down))
            let year = 1960 + Int((Double(q) / 4).rounded(.down))
            return .quarter(CalendarDate(year: year, month: (q - (year - 1960) * 4) * 3 + 1, day: 1)!)
        }
    }

    private static func calendar(_ day: CalendarDate, seconds: Double, kind: StatVariable.Kind) -> StatValue {
        switch kind {
        case .dateTime: return .dateTime(day, seconds: seconds)
        case .month: return .month(CalendarDate(year: day.year, month: day.month, day: 1)!)
        case .quarter: return .quarter(CalendarDate(year: day.year, month: (day.month - 1) / 3 * 3 + 1, day: 1)!)
        default: return .date(day)
        }
    }

    /// The number a date is stored as: days since 1 January 1960 (Stata `%td`), seconds since
    /// 14 October 1582 (SPSS date formats).
    static func number(_ d: CalendarDate, format: StatFileFormat) -> Double {
        format == .spss ? Double(d.dayNumber - spssDay0) * 86_400 : Double(d.dayNumber - stataDay0)
    }
}
