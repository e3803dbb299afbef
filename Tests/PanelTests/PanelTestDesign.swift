import Basics
import TrialDesign
import TrialData

/// A small design that uses every derivation rule, and helpers to build records by hand.
enum PanelTestDesign {
    static let yaml = """
    trial: { id: panel-test, title: Panel test trial, id_column: family_id }
    arms:
      - { id: control, control: true }
      - { id: treat }
    eligibility:
      - { id: birth_in_window, reason: birth outside the window, date_window: { column: birth_date, from: 2017-04-01, to: 2019-04-30 } }
      - { id: consent, reason: no informed consent, one_of: { column: consent, values: ["yes"] } }
    randomisation: { method: complete, seed: 1 }
    waves:
      - { id: baseline, offset_months: 0, days_before: 30, days_after: 30 }
      - { id: m6, offset_months: 6, days_before: 30, days_after: 60, outside_window: missing }
      - { id: m12, offset_months: 12, days_before: 30, days_after: 60, outside_window: keep }
    sources:
      - { id: aid, kind: ocmw_aid, file: aid.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
      - { id: vdab, kind: vdab_status, file: vdab.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
      - { id: s6, kind: survey, wave: m6, file: s6.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
      - { id: s12, kind: survey, wave: m12, file: s12.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
    families:
      - { id: main }
    outcomes:
      - { id: aid_any, family: main, type: binary, source: aid, rule: any, filter: { field: kind, in: [supp] }, windows: { m6: [1, 6], m12: [7, 12] } }
      - { id: aid_count, family: main, type: count, source: aid, rule: count, filter: { field: kind, in: [supp] }, windows: { m6: [1, 6], m12: [7, 12] } }
      - { id: aid_amount, family: main, type: continuous, source: aid, rule: sum, value: amount, filter: { field: kind, in: [supp] }, windows: { m6: [1, 6], m12: [7, 12] } }
      - { id: aid_first, family: main, type: continuous, source: aid, rule: first_date, filter: { field: kind, in: [supp] }, windows: { m6: [1, 6], m12: [7, 12] } }
      - { id: js_share, family: main, type: continuous, source: vdab, rule: share_of_months, filter: { field: category, in: ["00"] }, windows: { m6: [1, 6], m12: [7, 12] } }
      - { id: js_end, family: main, type: binary, source: vdab, rule: status_at, filter: { field: category, in: ["00"] }, windows: { m6: [1, 6], m12: [7, 12] } }
      - { id: fit, family: main, type: continuous, source: s6, rule: survey_item, value: fit, windows: { m6: [6, 6] } }
      - { id: income, family: main, type: continuous, source: s12, rule: survey_item, value: income, windows: { m12: [12, 12] } }
    covariates:
      - { id: age, column: age }
      - { id: single, column: single_parent }
      - { id: aid_before, source: aid, rule: any, filter: { field: kind, in: [supp] }, window: [-12, -1] }
    subgroups:
      - { id: single_parent, column: single_parent }
    analysis:
      take_up: { column: mandate }
    """

    static func design() throws -> Design { try Design.parse(yaml: yaml, file: "PanelTestDesign") }

    static func date(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    static func unit(_ id: String, _ arm: String, _ assigned: String, _ attributes: [String: String] = [:]) -> AssignedUnit {
        AssignedUnit(id: id, arm: arm, assignedOn: date(assigned), probability: 0.5, attributes: attributes)
    }

    static func aid(_ who: String, _ start: String, _ end: String?, kind: String = "supp", amount: Double? = nil,
                    line: Int = 1) -> RegistryRecord {
        RegistryRecord(source: "aid", participant: who, line: line, start: date(start), end: end.map(date),
                              attributes: ["kind": kind], numbers: amount.map { ["amount": $0] } ?? [:])
    }

    /// A VDAB status for the calendar month `yyyy-mm` (1st to last day).
    static func vdab(_ who: String, _ month: String, _ category: String) -> RegistryRecord {
        let start = date(month + "-01")
        let end = CalendarDate(year: start.year, month: start.month, day: CalendarDate.daysIn(year: start.year, month: start.month))!
        return RegistryRecord(source: "vdab", participant: who, line: 1, start: start, end: end, attributes: ["category": category])
    }

    /// Statuses for every calendar month from `from` to `to` (`yyyy-mm`), inclusive.
    static func vdabMonths(_ who: String, _ from: String, _ to: String, _ category: String) -> [RegistryRecord] {
        var out: [RegistryRecord] = []
        var d = date(from + "-01")
        let stop = date(to + "-01")
        while d <= stop {
            out.append(vdab(who, String(d.description.prefix(7)), category))
            d = d.adding(months: 1)
        }
        return out
    }

    static func response(_ who: String, _ wave: String, _ source: String, _ date: String?, _ answers: [String: Double], line: Int = 1) -> SurveyResponse {
        SurveyResponse(source: source, wave: wave, participant: who, line: line, interviewDate: date.map { CalendarDate(iso: $0)! },
                       answers: answers)
    }
}
