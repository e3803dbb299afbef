// Benchmark of Panel.derive: 100,000 families, rolling assignment over two years, a VDAB-like status
// per family and calendar month (12 months before to 24 after assignment: 3.6 million records) and
// OCMW aid decisions (about 3 per family), made in memory. Not a test: run bench/panel/run.sh (release
// build) and copy the numbers into docs/performance.md.
//
// Usage: panel-derive [FAMILIES] [SEED]   (defaults 100000 and 20170401)
import Basics
import Foundation
import Panel
import TrialData
import TrialDesign

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, enough for synthetic data.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// VmHWM (peak) or VmRSS (current) of this process, in MB (Linux; NaN where /proc is missing).
func residentMegabytes(_ field: String = "VmHWM:") -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in text.split(separator: "\n") where line.hasPrefix(field) {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kb / 1024
    }
    return .nan
}

/// CPU time of this process in seconds (single-threaded work: close to the wall time on an idle machine,
/// and much less sensitive to other processes on a shared one).
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func seconds(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

let arguments = CommandLine.arguments
let families = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let seed = arguments.count > 2 ? UInt64(arguments[2]) ?? 20170401 : 20170401

let yaml = """
trial: { id: panel-bench, title: Panel benchmark }
arms:
  - { id: control, control: true }
  - { id: intervention }
randomisation: { method: complete, seed: 1 }
waves:
  - { id: m6, offset_months: 6 }
  - { id: m12, offset_months: 12 }
  - { id: m24, offset_months: 24 }
sources:
  - { id: vdab, kind: vdab_status, file: v.csv, identifier: { column: insz, type: pseudonym }, dialect: { format: delimited } }
  - { id: aid, kind: ocmw_aid, file: a.csv, identifier: { column: insz, type: pseudonym }, dialect: { format: delimited } }
families:
  - { id: main }
outcomes:
  - { id: programme, family: main, type: binary, source: vdab, rule: any, filter: { field: placement, in: [training, trajectory] }, windows: { m6: [1, 6], m12: [7, 12], m24: [13, 24] } }
  - { id: job_seeker_months, family: main, type: continuous, source: vdab, rule: share_of_months, filter: { field: category, in: ["00", "02"] }, windows: { m6: [1, 6], m12: [7, 12], m24: [13, 24] } }
  - { id: job_seeker_end, family: main, type: binary, source: vdab, rule: status_at, filter: { field: category, in: ["00", "02"] }, windows: { m6: [1, 6], m12: [7, 12], m24: [13, 24] } }
  - { id: aid_any, family: main, type: binary, source: aid, rule: any, filter: { field: kind, in: [supplementary_one_off, supplementary_structural] }, windows: { m6: [1, 6], m12: [7, 12], m24: [13, 24] } }
  - { id: aid_amount, family: main, type: continuous, source: aid, rule: sum, value: amount, windows: { m6: [1, 6], m12: [7, 12], m24: [13, 24] } }
  - { id: aid_count, family: main, type: count, source: aid, rule: count, windows: { m6: [1, 6], m12: [7, 12], m24: [13, 24] } }
  - { id: aid_first, family: main, type: continuous, source: aid, rule: first_date, windows: { m24: [1, 24] } }
covariates:
  - { id: job_seeker_before, source: vdab, rule: share_of_months, filter: { field: category, in: ["00", "02"] }, window: [-12, -1] }
"""
let design = try Design.parse(yaml: yaml, file: "bench/Sources/panel-derive/main.swift")

var rng = SplitMix64(state: seed)
let generationStart = DispatchTime.now()
let first = CalendarDate(iso: "2017-04-01")!.dayNumber, last = CalendarDate(iso: "2019-04-30")!.dayNumber
let categories = ["00", "02", "10", "11", "80", "30"]
let placements = ["none", "none", "none", "training", "trajectory", "not_deployable"]
let kinds = ["supplementary_one_off", "supplementary_structural", "medical_card", "budget_guidance"]
var units: [AssignedUnit] = []
units.reserveCapacity(families)
var records: [RegistryRecord] = []
records.reserveCapacity(families * 39)
for f in 0..<families {
    let assigned = CalendarDate(dayNumber: first + rng.below(last - first + 1))
    let id = "F\(f)"
    let key = "P\(String(f, radix: 16))"
    units.append(AssignedUnit(id: id, linkKey: key, arm: rng.below(2) == 0 ? "control" : "intervention",
                              assignedOn: assigned, probability: 0.5))
    // A status per calendar month, from 12 months before to 23 months after the assignment month.
    var category = categories[rng.below(categories.count)]
    var placement = placements[rng.below(placements.count)]
    for offset in -12..<24 {
        let monthStart = CalendarDate(year: assigned.year, month: assigned.month, day: 1)!.adding(months: offset)
        let monthEnd = CalendarDate(year: monthStart.year, month: monthStart.month,
                                    day: CalendarDate.daysIn(year: monthStart.year, month: monthStart.month))!
        if rng.uniform() < 0.15 { category = categories[rng.below(categories.count)] }
        if rng.uniform() < 0.10 { placement = placements[rng.below(placements.count)] }
        records.append(RegistryRecord(source: "vdab", participant: key, line: records.count + 1, start: monthStart,
                                      end: monthEnd, attributes: ["category": category, "placement": placement]))
    }
    // About three aid decisions over the 36 months.
    for _ in 0..<(1 + rng.below(5)) {
        let start = assigned.adding(days: -365 + rng.below(365 * 3))
        let end: CalendarDate? = rng.uniform() < 0.2 ? nil : start.adding(days: 30 + rng.below(300))
        records.append(RegistryRecord(source: "aid", participant: key, line: records.count + 1, start: start, end: end,
                                      attributes: ["kind": kinds[rng.below(kinds.count)]],
                                      numbers: ["amount": Double(50 + rng.below(2000))]))
    }
}
let generated = seconds(generationStart)
let memoryBefore = residentMegabytes(), currentBefore = residentMegabytes("VmRSS:")

let deriveStart = DispatchTime.now(), deriveCPU = cpuSeconds()
let panel = try Panel.derive(design: design, units: units, records: records, responses: [], exits: [])
let derived = seconds(deriveStart), derivedCPU = cpuSeconds() - deriveCPU
let memoryAfter = residentMegabytes(), currentAfter = residentMegabytes("VmRSS:")

let writeStart = DispatchTime.now(), writeCPU = cpuSeconds()
let wide = PanelCSV.wide(panel)
let long = PanelCSV.long(panel)
let written = seconds(writeStart), writtenCPU = cpuSeconds() - writeCPU

// A checksum so the work cannot be optimised away, and a sanity check of the result.
var observed = 0
for row in panel.rows { for cell in row.outcomes where cell.status == .observed { observed += 1 } }
print("families: \(families), seed: \(seed) (generator splitmix64)")
print("records: \(records.count) (vdab \(families * 36), aid \(records.count - families * 36))")
print("rows: \(panel.rows.count), observed outcome cells: \(observed), wide CSV: \(wide.utf8.count) bytes, long CSV: \(long.utf8.count) bytes")
print(String(format: "generate: %.2f s; derive: %.2f s wall, %.2f s CPU; CSV (wide + long): %.2f s wall, %.2f s CPU",
             generated, derived, derivedCPU, written, writtenCPU))
print(String(format: "resident memory: peak %.0f MB / current %.0f MB after generating the input; peak %.0f MB / current %.0f MB after deriving",
             memoryBefore, currentBefore, memoryAfter, currentAfter))
