import Basics
import Testing
import TrialDesign
import TrialData
import TestSupport
@testable import Panel

/// Properties that follow from the months tiling and from attributing counts and amounts to the month
/// where a record starts: over the windows [1, 6] and [7, 12], sums and counts add up to the window
/// [1, 12]; `any` over [1, 12] is the maximum of the two halves; `share_of_months` over [1, 12] is the
/// mean of the halves (6 months each). Checked on a grid of assignment dates (month ends, leap days, a
/// year end) with records starting every 5 days from 40 days before to 400 days after assignment,
/// lasting 0, 1, 17 or 45 days.
@Suite struct TilingPropertyTests {
    static let yaml = """
    trial: { id: tiling, title: Tiling }
    arms:
      - { id: control, control: true }
      - { id: treat }
    randomisation: { method: complete, seed: 1 }
    waves:
      - { id: h1, offset_months: 6 }
      - { id: h2, offset_months: 12 }
      - { id: y1, offset_months: 12 }
    sources:
      - { id: aid, kind: ocmw_aid, file: aid.csv, identifier: { column: code, type: code }, dialect: { format: delimited } }
    families:
      - { id: main }
    outcomes:
      - { id: total, family: main, type: continuous, source: aid, rule: sum, value: amount, windows: { h1: [1, 6], h2: [7, 12], y1: [1, 12] } }
      - { id: n, family: main, type: count, source: aid, rule: count, windows: { h1: [1, 6], h2: [7, 12], y1: [1, 12] } }
      - { id: some, family: main, type: binary, source: aid, rule: any, windows: { h1: [1, 6], h2: [7, 12], y1: [1, 12] } }
      - { id: share, family: main, type: continuous, source: aid, rule: share_of_months, windows: { h1: [1, 6], h2: [7, 12], y1: [1, 12] } }
    """

    @Test func windowsThatTileAddUp() throws {
        let design = try Design.parse(yaml: Self.yaml)
        let dates = ["2019-01-31", "2019-02-28", "2020-02-29", "2020-01-31", "2018-08-31", "2018-12-31", "2019-03-30", "2019-07-15"]
        var units: [AssignedUnit] = []
        var records: [RegistryRecord] = []
        var u = 0
        for d in dates {
            let assigned = CalendarDate(iso: d)!
            for length in [0, 1, 17, 45] {
                for phase in 0..<5 {
                    // Each unit gets the records of one (length, phase) so windows differ between units.
                    let id = "U\(u)"
                    u += 1
                    units.append(AssignedUnit(id: id, arm: u % 2 == 0 ? "control" : "treat", assignedOn: assigned, probability: 0.5))
                    for offset in stride(from: -40 + phase, through: 400, by: 5 * (1 + phase)) {
                        let start = assigned.adding(days: offset)
                        records.append(RegistryRecord(source: "aid", participant: id, line: records.count + 1, start: start,
                                                      end: start.adding(days: length), numbers: ["amount": Double(offset + 100)]))
                    }
                }
            }
        }
        let p = try Panel.derive(design: design, units: units, records: records, responses: [], exits: [])
        for unit in units {
            func v(_ o: String, _ w: String) -> Double { p.outcome(o, unit: unit.id, wave: w)!.value! }
            #expect(v("total", "h1") + v("total", "h2") == v("total", "y1"), "sum, \(unit.id) assigned \(unit.assignedOn)")
            #expect(v("n", "h1") + v("n", "h2") == v("n", "y1"), "count, \(unit.id)")
            #expect(max(v("some", "h1"), v("some", "h2")) == v("some", "y1"), "any, \(unit.id)")
            #expect(isClose((v("share", "h1") + v("share", "h2")) / 2, v("share", "y1"), relative: 1e-12), "share, \(unit.id)")
            // Every record starting in days [0, B(12) − 1] is counted exactly once.
            let last = unit.assignedOn.adding(months: 12).dayNumber - 1
            let expected = records.filter { $0.participant == unit.id && $0.start.dayNumber >= unit.assignedOn.dayNumber && $0.start.dayNumber <= last }.count
            #expect(v("n", "y1") == Double(expected), "count against a direct filter, \(unit.id)")
        }
    }
}
