import Basics
import Ingest
import Testing
import TrialDesign

@Suite struct CellParserTests {
    @Test func decimals() {
        #expect(CellParser.decimal("1214,13", decimal: ",") == 1214.13)
        #expect(CellParser.decimal("1.214,13", decimal: ",", thousands: ".") == 1214.13)
        #expect(CellParser.decimal("1.234.567,5", decimal: ",", thousands: ".") == 1_234_567.5)
        #expect(CellParser.decimal("1,214.13", decimal: ".", thousands: ",") == 1214.13)
        #expect(CellParser.decimal("-14,60", decimal: ",") == -14.6)
        #expect(CellParser.decimal("+3", decimal: ",") == 3)
        #expect(CellParser.decimal(" 809.42 ") == 809.42)
        #expect(CellParser.decimal(",5", decimal: ",") == 0.5)
        #expect(CellParser.decimal("1214", decimal: ",", thousands: ".") == 1214)
        // Refused rather than guessed:
        #expect(CellParser.decimal("1.214,13", decimal: ",") == nil, "a point in a decimal-comma file without a declared thousands separator")
        #expect(CellParser.decimal("12.14,13", decimal: ",", thousands: ".") == nil, "groups of three only")
        #expect(CellParser.decimal("1,5", decimal: ".") == nil)
        #expect(CellParser.decimal("12a", decimal: ".") == nil)
        #expect(CellParser.decimal("", decimal: ".") == nil)
        #expect(CellParser.decimal("-", decimal: ".") == nil)
        #expect(CellParser.decimal("1,", decimal: ",") == nil)
        #expect(CellParser.decimal("€ 12", decimal: ",") == nil)
    }

    @Test func centsWithSign() {
        #expect(CellParser.cents("00001460", sign: "-") == -14.60)
        #expect(CellParser.cents("00121413", sign: "+") == 1214.13)
        #expect(CellParser.cents("00000000", sign: "+") == 0)
        #expect(CellParser.cents("00001460", sign: "") == nil)
        #expect(CellParser.cents("0000146O", sign: "+") == nil)
    }

    @Test func dates() {
        let d = CalendarDate(year: 2018, month: 3, day: 9)
        #expect(CellParser.date("09/03/2018", format: .dmy) == d)
        #expect(CellParser.date("2018-03-09", format: .iso) == d)
        #expect(CellParser.date("20180309", format: .compact) == d)
        #expect(CellParser.date("2018-03-09", format: .yearMonth) == d, "a month format reads days in its day form")
        #expect(CellParser.date("9/3/2018", format: .dmy) == nil)
        #expect(CellParser.date("2018-03-09", format: .dmy) == nil)
        #expect(CellParser.date("29/02/2019", format: .dmy) == nil)
        #expect(CellParser.date("29/02/2020", format: .dmy) == CalendarDate(year: 2020, month: 2, day: 29))
        #expect(CellParser.date("20181301", format: .compact) == nil)
    }

    @Test func months() {
        let m = CalendarDate(year: 2018, month: 3, day: 1)
        #expect(CellParser.month("2018-03", format: .yearMonth) == m)
        #expect(CellParser.month("201803", format: .compactYearMonth) == m)
        #expect(CellParser.month("201803", format: .compact) == m)
        #expect(CellParser.month("2018-03", format: .iso) == m)
        #expect(CellParser.month("03/2018", format: .dmy) == m)
        #expect(CellParser.month("2018-3", format: .yearMonth) == nil)
        #expect(CellParser.month("201813", format: .compactYearMonth) == nil)
        #expect(CellParser.month("2018-03-01", format: .yearMonth) == nil)
        #expect(CellParser.quarter("2018Q3") == CalendarDate(year: 2018, month: 7, day: 1))
        #expect(CellParser.quarter("2018-Q1") == CalendarDate(year: 2018, month: 1, day: 1))
        #expect(CellParser.quarter("2018Q0") == nil)
    }

    @Test func nationalNumberRulesUsedOnImport() throws {
        // Births from 2000: a 2 in front of the nine digits (synthetic number, sequence 999).
        let born2001 = "01020399942"
        let n = try NationalNumber(born2001)
        #expect(n.century == .twoThousands)
        #expect(try NationalNumber(Numbers.bis).kind == .bis(sexKnown: false))
        #expect(try NationalNumber("93.05.18-223.61").century == .nineteenHundreds)
        #expect(!NationalNumber.isValid(Numbers.invalid))
        // Unknown month and day (00) are allowed.
        #expect(NationalNumber.isValid("65000099975"))
    }
}

@Suite struct DecimalPropertyTests {
    /// The byte-level parser agrees exactly with Swift's own `Double(String)` (strtod, correctly rounded)
    /// on every decimal-comma form of a grid of amounts.
    @Test func agreesWithDoubleParsing() {
        var values: [(Int, Int)] = []
        for whole in [0, 1, 9, 12, 999, 1000, 1214, 99_999, 123_456, 1_234_567, 987_654_321] {
            for cents in [0, 1, 5, 10, 13, 42, 99] { values.append((whole, cents)) }
        }
        for (whole, cents) in values {
            let c = cents < 10 ? "0\(cents)" : "\(cents)"
            let plain = "\(whole),\(c)"
            var grouped = String(whole)
            var groups: [String] = []
            while grouped.count > 3 { groups.insert(String(grouped.suffix(3)), at: 0); grouped.removeLast(3) }
            groups.insert(grouped, at: 0)
            let thousands = groups.joined(separator: ".") + ",\(c)"
            let expected = Double("\(whole).\(c)")!
            #expect(CellParser.decimal(plain, decimal: ",") == expected, "\(plain)")
            #expect(CellParser.decimal(thousands, decimal: ",", thousands: ".") == expected, "\(thousands)")
            #expect(CellParser.decimal("-" + thousands, decimal: ",", thousands: ".") == -expected)
        }
        #expect(CellParser.decimal("12345678901234567890,5", decimal: ",") == 12345678901234567890.5)
    }
}

/// Every written form of a day or month that extracts use reads back to the day it was written from, for
/// every day of a leap year and a common year; anything else in the wrong form is refused.
@Suite struct DateFormTests {
    static let days: [CalendarDate] = {
        var out: [CalendarDate] = []
        var d = CalendarDate(year: 2019, month: 12, day: 25)!
        while d.year < 2021 || d.month < 3 { out.append(d); d = d.adding(days: 1) }
        return out
    }()

    @Test(arguments: DateFormat.allCases)
    func everyFormReadsBackWhatItWrites(_ f: DateFormat) {
        for d in Self.days {
            if !f.isMonthForm { #expect(CellParser.date(f.format(day: d), format: f) == d, "\(f.rawValue) \(d)") }
            let first = CalendarDate(year: d.year, month: d.month, day: 1)!
            #expect(CellParser.month(f.format(month: d), format: f) == first, "\(f.rawValue) month of \(d)")
        }
    }

    @Test func theFormsAreExactAndRefuseDaysThatDoNotExist() {
        #expect(CellParser.date("29.02.2020", format: .dmyDots) == CalendarDate(year: 2020, month: 2, day: 29))
        #expect(CellParser.date("29.02.2019", format: .dmyDots) == nil)
        #expect(CellParser.date("29/02/2020", format: .dmyDots) == nil)
        #expect(CellParser.date(" 31-12-2018 ", format: .dmyDashes) == CalendarDate(year: 2018, month: 12, day: 31))
        #expect(CellParser.date("2018-12-31", format: .dmyDashes) == nil)
        #expect(CellParser.month("03/2018", format: .monthYear) == CalendarDate(year: 2018, month: 3, day: 1))
        #expect(CellParser.month("03/2018", format: .dmy) == CalendarDate(year: 2018, month: 3, day: 1))
        #expect(CellParser.month("13/2018", format: .monthYear) == nil)
        #expect(CellParser.month("201803", format: .compact) == CalendarDate(year: 2018, month: 3, day: 1))
        #expect(CellParser.month("2018-3", format: .iso) == nil)
        #expect(CellParser.date("20180229", format: .compact) == nil)
    }

    @Test func aDialectReadsMonthsInItsOwnMonthFormWhenItDeclaresOne() {
        let d = Dialect(dateFormat: .dmyDots, monthFormat: .compactYearMonth)
        #expect(d.monthForm == .compactYearMonth)
        #expect(Dialect(dateFormat: .dmyDots).monthForm == .monthYearDots)
    }

    @Test func theSnifferSuggestsDayAndMonthForms() throws {
        let s = try DialectSniffer.sniff(path: try writeFile("d.csv", "id;datum;maand\nA;01.03.2018;201803\nB;15.04.2018;201804\n"))
        #expect(s.dateFormat == .dmyDots && s.monthFormat == .compactYearMonth)
        #expect(s.yaml.contains("date_format: DD.MM.YYYY, month_format: YYYYMM"))
    }
}
