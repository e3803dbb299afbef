import Basics
import Ingest
import Testing
import TrialData
import TrialDesign

/// The registry kinds that a protocol written elsewhere needs (spells, payments, events), a source's
/// status column and its corrections, each on a handful of rows worked out by hand.
@Suite struct RegistryKindTests {
    static let spells = """
        id: vdab_spells
        kind: spells
        file: spells.csv
        identifier: { column: code, type: code }
        dialect: { format: delimited, separator: ";", date_format: DD.MM.YYYY }
        columns: { type: soort, start: van, end: tot }
        codes: { type: { WERK: work, OPL: training, WZ: job_seeking } }
        extract_date: 2020-06-30
        """

    @Test func spellsRunToTheExtractDateWhenTheyHaveNoEnd() throws {
        let r = try importText(Self.spells, """
            code;soort;van;tot
            F1;OPL;01.02.2019;29.02.2020
            F1;OPL;15.02.2020;
            F2;WERK;31.12.2019;30.06.2020
            F2;WZ;01.03.2020;28.02.2020
            F3;STAGE;01.03.2020;
            F4;WERK;01.08.2020;
            """)
        #expect(r.rowsRead == 6 && r.accepted == 3 && r.rejected == 3)
        let open = try #require(r.registryRecords.first { $0.line == 3 })
        #expect(open.attributes["type"] == "training")
        #expect(open.start == CalendarDate(year: 2020, month: 2, day: 15))
        #expect(open.end == CalendarDate(year: 2020, month: 6, day: 30))
        // 29.02.2020 exists (a leap year).
        #expect(r.registryRecords.first { $0.line == 2 }?.end == CalendarDate(year: 2020, month: 2, day: 29))
        #expect(r.rejections.map(\.reason) == [.outOfRange, .unknownCode, .outOfRange])
        #expect(r.rejections[0].message == "the spell ends (2020-02-28) before it starts (2020-03-01)")
        #expect(r.rejections[1].message.contains("\"STAGE\" is not a known type; allowed: job_seeking, training, work"))
        #expect(r.rejections[2].message.contains("after the extract date (2020-06-30)"))
    }

    static let payments = """
        id: steun_betalingen
        kind: payments
        file: pay.txt
        identifier: { column: insz, type: insz }
        dialect: { format: delimited, separator: "|", cents: true, date_format: DD/MM/YYYY, month_format: YYYYMM }
        columns: { payment_month: maand, amount: bedrag, sign: teken, period_start: periode_van, period_end: periode_tot, category: cat }
        vocabulary: { category: [rent, energy, other] }
        """

    @Test func paymentsAreSignedAndKeepThePeriodTheyRelateTo() throws {
        let r = try importText(Self.payments, """
            insz|maand|bedrag|teken|periode_van|periode_tot|cat
            \(Numbers.a)|201803|00012550|+|01/02/2018|28/02/2018|rent
            \(Numbers.a)|201804|00002000|-|01/02/2018|28/02/2018|rent
            \(Numbers.b)|201804|00003000||||energy
            \(Numbers.b)|201805|12,50|+|||other
            \(Numbers.b)|201805|00000100|+|||water
            """)
        #expect(r.rowsRead == 5 && r.accepted == 3 && r.rejected == 2)
        let paid = try #require(r.registryRecords.first { $0.line == 2 })
        #expect(paid.numbers["amount"] == 125.5)
        #expect(paid.start == CalendarDate(year: 2018, month: 3, day: 1) && paid.end == CalendarDate(year: 2018, month: 3, day: 31))
        #expect(paid.attributes["payment_month"] == "2018-03")
        #expect(paid.attributes["period_start"] == "2018-02-01" && paid.attributes["period_end"] == "2018-02-28")
        // A recovery subtracts.
        #expect(r.registryRecords.first { $0.line == 3 }?.numbers["amount"] == -20.0)
        #expect(r.registryRecords.first { $0.line == 4 }?.attributes["period_start"] == nil)
        #expect(r.rejections.map(\.reason) == [.unparseableAmount, .unknownCode])
        #expect(r.rejections[0].message.contains("is not an amount in euro cents"))
    }

    @Test func eventsAreOneDayWithADeclaredType() throws {
        let r = try importText("""
            id: bezoeken
            kind: events
            file: ev.csv
            identifier: { column: code, type: code }
            dialect: { format: delimited, date_format: DD-MM-YYYY }
            vocabulary: { type: [home_visit, phone_call] }
            """, "code,date,type\nF1,29-02-2020,home_visit\nF1,30-02-2020,home_visit\nF2,01-03-2020,letter\n")
        #expect(r.accepted == 1 && r.rejected == 2)
        let e = try #require(r.registryRecords.first)
        #expect(e.start == CalendarDate(year: 2020, month: 2, day: 29) && e.end == e.start && e.attributes["type"] == "home_visit")
        #expect(r.rejections.map(\.reason) == [.unparseableDate, .unknownCode])
    }

    static let decisions = """
        id: besluiten
        kind: ocmw_aid
        file: aid.csv
        identifier: { column: code, type: code }
        dialect: { format: delimited, date_format: YYYY-MM-DD }
        status: { column: status, values: { toegekend: counts, geweigerd: void, ingetrokken: void, correctie: corrects } }
        corrects_by: { id: nr, replaces: vervangt }
        attributes: [dienst]
        """

    @Test func aStatusColumnVoidsAndCorrectsByTheRecordItNames() throws {
        let r = try importText(Self.decisions, """
            code,nr,vervangt,status,kind,decision_date,start,end,amount,dienst
            F1,101,,toegekend,supplementary_one_off,2018-01-10,2018-01-15,2018-01-15,100,sociaal
            F1,102,,geweigerd,rental_deposit,2018-01-11,2018-01-20,,,sociaal
            F1,103,101,correctie,supplementary_one_off,2018-02-01,2018-01-16,2018-01-16,150,sociaal
            F2,201,,ingetrokken,medical_card,2018-03-01,2018-03-01,2018-12-31,,gezondheid
            F2,202,,toegekend,medical_card,2018-03-02,2018-03-01,2018-12-31,,gezondheid
            F2,203,999,correctie,medical_card,2018-04-02,2018-03-01,2018-12-31,,gezondheid
            F3,301,,onbekend,medical_card,2018-04-02,2018-03-01,2018-12-31,,gezondheid
            """)
        // 7 rows: 5 accepted then, of which 2 voided and 1 superseded; the correction of 999 names no
        // record in the file and the status "onbekend" is not declared: 2 rejected.
        #expect(r.rowsRead == 7)
        #expect(r.accepted == 5 && r.rejected == 2)
        #expect(r.voided == 2 && r.corrections == 1)
        #expect(r.registryRecords.map(\.line) == [4, 6])
        let corrected = try #require(r.registryRecords.first { $0.line == 4 })
        #expect(corrected.start == CalendarDate(year: 2018, month: 1, day: 16))
        #expect(corrected.numbers["amount"] == 150)
        #expect(corrected.attributes["dienst"] == "sociaal")
        #expect(r.setAside.map(\.line) == [2, 3, 5])
        #expect(r.setAside.map(\.reason) == [.superseded, .void, .void])
        #expect(r.setAside[0].message.contains("replaced by line 4"))
        #expect(r.rejections.map(\.reason) == [.orphanCorrection, .unknownCode])
        #expect(r.rejections.map(\.line) == [7, 8])
        #expect(r.registryRecords.count == r.accepted - r.corrections - r.voided)
    }

    @Test func correctionsByMatchingFieldsReplaceTheEarlierRow() throws {
        let r = try importText("""
            id: besluiten
            kind: ocmw_aid
            file: aid.csv
            identifier: { column: code, type: code }
            dialect: { format: delimited }
            corrects_by: { match: [kind] }
            """, """
            code,kind,decision_date,start,end,amount
            F1,rental_deposit,2018-01-10,2018-01-15,,900
            F1,rental_deposit,2018-01-05,2018-02-01,,950
            F1,medical_card,2018-01-10,2018-01-15,,
            """)
        // Matched on participant and kind only: line 3 replaces line 2 although its start date differs
        // (the built-in rule of ocmw_aid would have kept both).
        #expect(r.corrections == 1)
        #expect(r.registryRecords.map(\.line) == [3, 4])
        #expect(r.registryRecords[0].numbers["amount"] == 950)
    }

    @Test func theSchemaRefusesDeclarationsAKindWouldNotUse() throws {
        let yaml = """
            trial: { id: t, title: Test }
            arms: [{ id: control, control: true }, { id: treatment }]
            randomisation: { method: complete, seed: 1 }
            waves: [{ id: m6, offset_months: 6 }]
            sources:
              - id: spells
                kind: spells
                file: s.csv
                identifier: { column: code, type: code }
                dialect: { format: delimited, cents: true }
                columns: { type: soort, amount: bedrag }
                missing_codes: ["-9"]
              - id: vdab
                kind: vdab_status
                file: v.csv
                identifier: { column: code, type: code }
                dialect: { format: delimited }
                codes: { kind: { a: b } }
                vocabulary: { category: ["00"] }
                status: { column: s, values: { c: corrects } }
            families: [{ id: main }]
            outcomes: [{ id: o, family: main, type: binary, source: vdab, rule: any, windows: { m6: [1, 6] } }]
            """
        #expect(throws: DesignError.self) { try Design.parse(yaml: yaml, checks: [SourceSchema.check]) }
        do { _ = try Design.parse(yaml: yaml, checks: [SourceSchema.check]) } catch let e as DesignError {
            let paths = Set(e.issues.map(\.path))
            #expect(paths.isSuperset(of: ["sources[0].columns.amount", "sources[0].missing_codes", "sources[0].extract_date",
                                          "sources[0].dialect.cents", "sources[1].codes.kind", "sources[1].vocabulary.category",
                                          "sources[1].status.values.c"]), "\(e.issues)")
            #expect(e.issues.allSatisfy { $0.line != nil })
        }
        // Without the sources' checks the design itself is valid.
        #expect(throws: Never.self) { try Design.parse(yaml: yaml) }
    }
}
