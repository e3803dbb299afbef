import Assignment
import Basics
import Foundation
import Tabular
import TestSupport
import Testing
import TrialData
@testable import TrialDesign

/// Eligibility screening, cohort intake (identifiers, pseudonyms, line numbers) and the balance table.
@Suite struct ScreeningAndBalanceTests {
    let design = try! Design.load(path: Fixtures.path("fixtures/designs/assign-rolling.yaml"))
    let key = try! Pseudonymizer(keyFile: Fixtures.path("fixtures/assignment/pseudonym.key"))

    func rows(_ file: String) throws -> [CohortRow] {
        let table = try DelimitedReader().read(path: Fixtures.path(file))
        return zip(table.rows, table.lines).map { CohortRow(line: $1, fields: Dictionary(uniqueKeysWithValues: zip(table.header, $0))) }
    }

    @Test func exclusionsCarryTheReasonOfTheFirstFailedRule() throws {
        let units = try CohortIntake(design: design, pseudonymizer: key, source: "s").units(try rows("fixtures/assignment/cohort-screening.csv"))
        let screened = try TrialAssigner(plan: AssignmentPlan(design: design), source: "s").screen(units)
        let byID = Dictionary(uniqueKeysWithValues: screened.map { ($0.unit.id, $0.outcome) })
        #expect(screened.filter(\.outcome.isEligible).count == 8)
        #expect(byID["F208"] == .excluded(rule: "deprived", reason: "weak on fewer than 3 of the 6 deprivation-index domains"))
        #expect(byID["F211"] == .excluded(rule: "deprived", reason: "weak on fewer than 3 of the 6 deprivation-index domains"))
        #expect(byID["F209"] == .excluded(rule: "consent", reason: "no informed consent"))
        #expect(byID["F210"] == .excluded(rule: "birth_in_window", reason: "birth outside the enrolment window"))
    }

    @Test func anEmptyDateFailsTheRuleAndAMalformedDateIsAnError() throws {
        let eligibility = Eligibility(rules: design.eligibility)
        var unit = CohortUnit(id: "X", line: 7, attributes: ["birth_date": "", "consent": "yes", "weak_income": "1",
                                                              "weak_education": "1", "weak_health": "1"])
        #expect(try eligibility.screen(unit, source: "c.csv") == .excluded(rule: "birth_in_window", reason: "birth outside the enrolment window"))
        unit.attributes["birth_date"] = "2018-02-30"
        #expect(throws: AssignmentError.invalidCohort("c.csv:7: column birth_date: \"2018-02-30\" is not a date (YYYY-MM-DD); leave the cell empty when the date is unknown")) {
            try eligibility.screen(unit, source: "c.csv")
        }
        unit.attributes["birth_date"] = "2018-02-28"
        #expect(try eligibility.screen(unit, source: "c.csv") == .eligible)
    }

    @Test func intakePseudonymisesAndNeverKeepsTheNationalNumber() throws {
        let raw = try rows("fixtures/assignment/cohort-112.csv")
        let units = try CohortIntake(design: design, pseudonymizer: key, source: "c").units(raw)
        for (unit, row) in zip(units, raw) {
            let insz = row.fields["insz"]!
            #expect(unit.linkKey == key.pseudonym(for: try NationalNumber(insz)))
            #expect(unit.attributes["insz"] == nil)
            #expect(!unit.attributes.values.contains(insz))
            #expect(unit.id == row.fields["family_id"])
        }
    }

    @Test func duplicateAndMissingIdentifiersAndBadNumbersNameTheLine() throws {
        var raw = try rows("fixtures/assignment/cohort-screening.csv")
        let intake = CohortIntake(design: design, pseudonymizer: key, source: "c.csv")
        var duplicate = raw
        duplicate[4].fields["family_id"] = "F201"
        #expect(throws: AssignmentError.invalidCohort("c.csv:6: duplicate identifier: family_id \"F201\" already appears on line 3; every family is listed once")) {
            try intake.units(duplicate)
        }
        raw[2].fields["family_id"] = " "
        #expect(throws: AssignmentError.invalidCohort("c.csv:4: missing identifier: the family_id cell is empty; every family needs an identifier")) {
            try intake.units(raw)
        }
        var bad = try rows("fixtures/assignment/cohort-screening.csv")
        let number = bad[1].fields["insz"]!
        bad[1].fields["insz"] = String(number.dropLast()) + String((Int(String(number.last!))! + 1) % 10)
        do { _ = try intake.units(bad); Issue.record("expected an error") } catch let error as AssignmentError {
            #expect(error.description.hasPrefix("c.csv:3: column insz: not a valid national number"))
            #expect(!error.description.contains(bad[1].fields["insz"]!))
        }
    }

    /// `usableUnits` (rct assign, rct run, rct import-assignment): a row whose identifier cannot be used is
    /// left out with its line and reason, the rest goes on; a duplicate still stops the intake, and so
    /// does a cohort whose rows are mostly unusable (a wrong column, not a few bad records).
    @Test func unusableIdentifiersAreLeftOutWithTheirLine() throws {
        var raw = try rows("fixtures/assignment/cohort-screening.csv")
        let intake = CohortIntake(design: design, pseudonymizer: key, source: "c.csv")
        let all = try intake.usableUnits(raw)
        #expect(all.unusable.isEmpty && all.units.count == raw.count)
        raw[2].fields["family_id"] = " "
        let number = raw[1].fields["insz"]!
        raw[1].fields["insz"] = String(number.dropLast()) + String((Int(String(number.last!))! + 1) % 10)
        let r = try intake.usableUnits(raw)
        #expect(r.units.count == raw.count - 2)
        #expect(!r.units.contains { $0.line == 3 || $0.line == 4 })
        #expect(r.unusable == [UnusableIntakeRow(line: 3, column: "insz", problem: "not a valid national number"),
                               UnusableIntakeRow(line: 4, column: "family_id", problem: "missing identifier")])
        let report = UnusableIntakeRow.report(r.unusable, source: "c.csv")
        #expect(report == ["left out 2 rows of c.csv whose identifier or date cannot be used (unusable intake record, counted in the "
                           + "CONSORT flow): line 3 (column insz: not a valid national number); line 4 (column family_id: missing "
                           + "identifier); correct them at the source and screen again to include them"])
        #expect(!report[0].contains(raw[1].fields["insz"]!))
        // A duplicate is still refused.
        var duplicate = raw
        duplicate[4].fields["family_id"] = duplicate[0].fields["family_id"]
        #expect(throws: AssignmentError.self) { try intake.usableUnits(duplicate) }
        // Most rows unusable: refused, naming the first.
        var mostly = raw
        for i in mostly.indices { mostly[i].fields["family_id"] = "" }
        do { _ = try intake.usableUnits(mostly); Issue.record("expected an error") } catch let error as AssignmentError {
            #expect(error.description.hasPrefix("c.csv:2: missing identifier: the family_id cell is empty"))
            #expect(error.description.contains("more of the \(raw.count) rows: check the column and the file"))
        }
    }

    @Test func regressionFTestMatchesEstimatrClassicalTSquared() throws {
        // mtcars: mpg ~ hp, classical t = −6.74238854270679 on 30 df (estimatr 1.0.0), so F(1, 30) = t².
        let table = try DelimitedReader().read(path: Fixtures.path("fixtures/assignment/reference/mtcars.csv"))
        let mpg = try table.numericColumn("mpg").map { $0! }, hp = try table.numericColumn("hp").map { $0! }
        let test = try #require(try Balance.regressionFTest(y: mpg, X: hp.map { [1, $0] }))
        #expect(test.df1 == 1 && test.df2 == 30)
        #expect(isClose(test.F, 6.74238854270679 * 6.74238854270679, relative: 1e-10))
        #expect(isClose(test.p, 1.7878352541211e-07, relative: 1e-6))
    }

    @Test func balanceTableMeansSDsAndStandardizedDifferences() throws {
        let arms = ["control", "control", "control", "t", "t", "t"]
        let x: [Double?] = [1, 2, 3, 2, 4, nil]
        let table = try Balance.table(arms: ["control", "t"], control: "control", armOfUnit: arms, covariates: [("x", x)])
        let row = table.rows[0]
        #expect(row.count == [3, 2])
        #expect(row.mean == [2, 3])
        #expect(isClose(row.sd[0]!, 1, relative: 1e-12) && isClose(row.sd[1]!, 2.0.squareRoot(), relative: 1e-12))
        // d = (3 − 2) / √((2 + 1) / 2)
        #expect(isClose(row.standardizedDifference[1]!, 1 / 1.5.squareRoot(), relative: 1e-12))
        #expect(row.standardizedDifference[0] == nil)
        #expect(table.tests.count == 1 && table.tests[0].observations == 5)
    }
}
