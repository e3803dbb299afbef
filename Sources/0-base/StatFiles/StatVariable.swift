import Basics

/// What a labelled value is: a number, a text, or one of Stata's extended missing values `.a`–`.z`.
public enum StatValueKey: Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case text(String)
    case tagged(Character)

    /// `-9`, `1.5`, `"ja"` as given, `.a`.
    public var description: String {
        switch self {
        case let .number(v): return StatNumber.text(v)
        case let .text(s): return s
        case let .tagged(c): return ".\(c)"
        }
    }
}

/// One variable (column) of an SPSS or Stata file, as the file declares it.
public struct StatVariable: Sendable, Equatable {
    /// How the values of a variable are read: by its storage type and, for numbers, its display format
    /// (a date is a number shown as a date).
    public enum Kind: String, Sendable, Equatable {
        case number
        case text
        /// SPSS `DATE`, `ADATE`, `EDATE`, `JDATE`, `SDATE` (seconds since 14 October 1582); Stata `%td`, `%d`
        /// (days since 1 January 1960).
        case date
        /// SPSS `DATETIME`, `YMDHMS` (seconds since 14 October 1582); Stata `%tc`, `%tC` (milliseconds since
        /// 1 January 1960 00:00).
        case dateTime
        /// SPSS `MOYR` (seconds since 14 October 1582); Stata `%tm` (months since January 1960).
        case month
        /// SPSS `QYR` (seconds since 14 October 1582); Stata `%tq` (quarters since 1960q1).
        case quarter
    }

    /// The 0-based position in the file.
    public var index: Int
    public var name: String
    /// The variable label, empty when there is none.
    public var label: String
    public var kind: Kind
    /// The display format as the file stores it (`F8.2`, `SDATE10`, `A20`; `%9.0g`, `%td`, `%-20s`).
    public var format: String
    /// The variable's value labels (its label set's), empty when it has none.
    public var valueLabels: [StatValueKey: String]
    /// The label set's name (Stata's value label name; ReadStat's name for an SPSS label set), nil when none.
    public var labelSet: String?
    /// SPSS user-defined missing values of a numeric variable: discrete values (`lo == hi`) and ranges.
    public var missingRanges: [ClosedRange<Double>]
    /// SPSS user-defined missing values of a text variable.
    public var missingTexts: [String]

    public init(index: Int, name: String, label: String = "", kind: Kind, format: String = "",
                valueLabels: [StatValueKey: String] = [:], labelSet: String? = nil, missingRanges: [ClosedRange<Double>] = [],
                missingTexts: [String] = []) {
        self.index = index
        self.name = name
        self.label = label
        self.kind = kind
        self.format = format
        self.valueLabels = valueLabels
        self.labelSet = labelSet
        self.missingRanges = missingRanges
        self.missingTexts = missingTexts
    }

    /// The missing-value rule of the variable in words (`-9, -8 thru -7` for SPSS; empty when none).
    public var missingRule: String {
        let numbers = missingRanges.map { $0.lowerBound == $0.upperBound ? StatNumber.text($0.lowerBound)
            : "\(StatNumber.text($0.lowerBound)) thru \(StatNumber.text($0.upperBound))" }
        return (numbers + missingTexts.map { "\"\($0)\"" }).joined(separator: ", ")
    }

    /// The kind a numeric variable's display format gives (`SDATE10` → date, `%tc` → date-time), number
    /// for any other format.
    public static func kind(numericFormat format: String, in fileFormat: StatFileFormat) -> Kind {
        switch fileFormat {
        case .spss:
            let name = String(format.prefix { $0.isLetter }).uppercased()
            switch name {
            case "DATE", "ADATE", "EDATE", "JDATE", "SDATE": return .date
            case "DATETIME", "YMDHMS": return .dateTime
            case "MOYR": return .month
            case "QYR": return .quarter
            default: return .number
            }
        case .stata:
            var f = Substring(format)
            guard f.first == "%" else { return .number }
            f = f.dropFirst()
            if f.first == "-" { f = f.dropFirst() }
            if f.hasPrefix("td") || f.hasPrefix("d") { return .date }
            if f.hasPrefix("tc") || f.hasPrefix("tC") { return .dateTime }
            if f.hasPrefix("tm") { return .month }
            if f.hasPrefix("tq") { return .quarter }
            return .number
        }
    }
}

/// A value as read: a number, a text, a date (or the day of a date-time), a month, a quarter, or missing.
public enum StatValue: Sendable, Equatable {
    case number(Double)
    case text(String)
    case date(CalendarDate)
    /// The day and the seconds since its midnight.
    case dateTime(CalendarDate, seconds: Double)
    /// The month's first day.
    case month(CalendarDate)
    /// The quarter's first day.
    case quarter(CalendarDate)
    case missing(StatMissing)
}

/// Why a value is missing.
public enum StatMissing: Sendable, Hashable {
    /// No value: SPSS's system-missing value, Stata's `.` (and an empty SPSS date).
    case system
    /// One of Stata's extended missing values `.a`–`.z` (its letter).
    case tagged(Character)
    /// A value the SPSS file declares missing for the variable (a user-defined missing value or range);
    /// the value itself is kept.
    case declared(StatValueKey)

    /// The value a label would be attached to (nil for system-missing).
    public var key: StatValueKey? {
        switch self {
        case .system: return nil
        case let .tagged(c): return .tagged(c)
        case let .declared(k): return k
        }
    }
}

/// The one way numbers are written as text by this module: whole numbers without a decimal part (`-9`,
/// `1150`), others in Swift's shortest form that reads back to the same double (`0.1`, `1214.13`).
public enum StatNumber {
    public static func text(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
