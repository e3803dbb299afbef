import Basics
import TrialDesign
import TrialData

/// The interview window of a wave for one unit: the target date is the assignment date plus the wave's
/// offset in months (clamped to the month's end, as `CalendarDate.adding(months:)`), and an interview
/// counts for the wave when it falls in `[target − days_before, target + days_after]`, inclusive — or,
/// when the wave says `days_after_assignment: [a, b]`, in `[assignment + a days, assignment + b days]`.
public struct WaveWindow: Sendable, Equatable {
    public var target: CalendarDate
    public var first: CalendarDate
    public var last: CalendarDate

    public init(wave: Wave, assignedOn: CalendarDate) {
        target = assignedOn.adding(months: wave.offsetMonths)
        if let days = wave.daysAfterAssignment {
            first = assignedOn.adding(days: days.lowerBound)
            last = assignedOn.adding(days: days.upperBound)
        } else {
            first = target.adding(days: -wave.daysBefore)
            last = target.adding(days: wave.daysAfter)
        }
    }

    public func contains(_ date: CalendarDate) -> Bool { first <= date && date <= last }
}

/// The interview used for one unit, wave and survey source, and what its status is.
struct SelectedInterview {
    var response: Int
    var status: InterviewStatus
    var date: CalendarDate?
}

struct SurveyKey: Hashable {
    var wave: Int
    var source: String
    var unit: Int
}

/// Chooses, for each unit, wave and survey source, the interview that counts.
///
/// When a unit has several responses for the same wave and source, the one used is the interview inside
/// the window closest to the target date (ties: the earlier line); failing that, the dated interview
/// closest to the window; failing that, an undated one. An interview outside the window, or without a
/// date, is flagged; its answers are kept or set missing as the wave's `outside_window` says.
enum InterviewSelection {
    static func select(design: Design, units: [AssignedUnit], unitIndex: [String: Int],
                       responses: [SurveyResponse], diagnostics: inout PanelDiagnostics) -> [SurveyKey: SelectedInterview] {
        var waveIndex: [String: Int] = [:]
        for (i, w) in design.waves.enumerated() { waveIndex[w.id] = i }
        // Rank: (class, distance in days, line); lower is better. Class 0 in window, 1 outside, 2 undated.
        var best: [SurveyKey: (rank: (Int, Int, Int), response: Int)] = [:]
        var seen: Set<SurveyKey> = []
        var duplicates: Set<SurveyKey> = []
        for (r, response) in responses.enumerated() {
            guard let w = waveIndex[response.wave] else { diagnostics.unknownWaveResponses += 1; continue }
            guard let u = unitIndex[response.participant] else { diagnostics.unlinkedResponses += 1; continue }
            let key = SurveyKey(wave: w, source: response.source, unit: u)
            if !seen.insert(key).inserted { duplicates.insert(key) }
            let window = WaveWindow(wave: design.waves[w], assignedOn: units[u].assignedOn)
            let rank: (Int, Int, Int)
            if let date = response.interviewDate {
                if window.contains(date) {
                    rank = (0, abs(date.dayNumber - window.target.dayNumber), response.line)
                } else {
                    let gap = date < window.first ? window.first.dayNumber - date.dayNumber : date.dayNumber - window.last.dayNumber
                    rank = (1, gap, response.line)
                }
            } else {
                rank = (2, 0, response.line)
            }
            if let current = best[key], current.rank <= rank { continue }
            best[key] = (rank, r)
        }
        diagnostics.duplicateInterviews = duplicates.count
        var out: [SurveyKey: SelectedInterview] = [:]
        out.reserveCapacity(best.count)
        for (key, choice) in best {
            let wave = design.waves[key.wave]
            let status: InterviewStatus = choice.rank.0 == 0
                ? .interviewed
                : (wave.outsideWindow == .keep ? .outsideWindowKept : .outsideWindowMissing)
            out[key] = SelectedInterview(response: choice.response, status: status,
                                         date: responses[choice.response].interviewDate)
        }
        return out
    }

    /// Of several statuses (one per survey source of the wave), the one that describes the unit best.
    static func combined(_ statuses: [InterviewStatus]) -> InterviewStatus {
        let order: [InterviewStatus] = [.interviewed, .outsideWindowKept, .outsideWindowMissing, .noResponse, .noSurvey]
        return order.first { statuses.contains($0) } ?? .noResponse
    }
}
