import Basics
import TrialData
import TrialDesign

/// The days of one outcome window for one family: its first and last day and, for a rule that reads one
/// day, that day. The same days the panel's registry stage uses (`RegistryStage`).
public struct WindowSpan: Sendable, Equatable {
    public var first: CalendarDate
    public var last: CalendarDate
    /// The day a one-day rule reads (`on:`, else the last day).
    public var reference: CalendarDate
}

extension OutcomeWindow {
    /// The window's days for a family assigned on `assignedOn`.
    public func days(assignedOn: CalendarDate) -> WindowSpan {
        let first: CalendarDate, last: CalendarDate
        switch anchor {
        case .assignmentDay:
            let range = FollowUpMonths(assignedOn: assignedOn).window(months)
            (first, last) = (range.lowerBound, range.upperBound)
        case .assignmentMonth:
            let start = CalendarDate(year: assignedOn.year, month: assignedOn.month, day: 1)!
            first = start.adding(months: months.fromMonth)
            last = start.adding(months: months.toMonth + 1).adding(days: -1)
        }
        let reference: CalendarDate
        switch on {
        case let .day(k)?: reference = assignedOn.adding(days: k)
        default: reference = last
        }
        return WindowSpan(first: first, last: last, reference: reference)
    }
}

/// Why one cell of the panel holds what it holds, for an auditor checking one family by hand: the
/// window's days, every record of the outcome's source for the family with what the filter, the dates
/// and the rule made of it, the rows set aside at import (voided, superseded), the interview for a survey
/// outcome, and the cell itself.
public struct CellExplanation: Sendable {
    /// One record of the family and what the outcome made of it.
    public struct RecordVerdict: Sendable {
        public var record: RegistryRecord
        /// Whether the record passes the outcome's filter.
        public var passesFilter: Bool
        /// The days the rule reads (its `date:`), nil when it has none (the end of an open record).
        public var first: CalendarDate?
        public var last: CalendarDate?
        /// How those days stand to the window (`starts in the window`, `overlaps the window`, `covers the
        /// reference day`, `outside the window`, …).
        public var relation: String
        /// Whether the record counts for the rule.
        public var counts: Bool
    }

    public var unit: AssignedUnit
    public var outcome: Outcome
    public var wave: String
    public var window: WindowSpan?
    public var records: [RecordVerdict]
    public var setAside: [SetAsideRow]
    public var interview: (status: InterviewStatus, date: CalendarDate?)?
    public var answers: [String: Double]
    public var exit: ScopeExit?
    public var cell: PanelCell
    public var companion: PanelCell?
}

extension Panel {
    /// Explains the cell of `outcome` at `wave` for `unit`: `panel` is the derived panel (the cell is read
    /// from it), `records`, `responses` and `setAside` are the family's own (of every source; those of the
    /// outcome's source are used), `exit` its scope exit if any.
    public static func explain(design: Design, panel: PanelData, unit: AssignedUnit, outcome id: String, wave: String,
                               records: [RegistryRecord], responses: [SurveyResponse], setAside: [SetAsideRow],
                               exit: ScopeExit?) throws -> CellExplanation {
        guard let outcome = design.outcomes.first(where: { $0.id == id }) else {
            throw PanelError.unknownOutcome(id, known: design.outcomes.map(\.id))
        }
        guard let window = outcome.windows[wave] else {
            throw PanelError.notMeasuredAtWave(outcome: id, wave: wave, waves: design.waves.map(\.id).filter { outcome.windows[$0] != nil })
        }
        let cell = panel.outcome(id, unit: unit.id, wave: wave) ?? .missing(.notMeasured)
        let companion = outcome.rule.hasCompanion ? panel.outcome(id + "_censored", unit: unit.id, wave: wave) : nil
        if outcome.rule.isSurveyRule {
            let row = panel.row(unit: unit.id, wave: wave)
            let answered = responses.filter { $0.source == outcome.source && $0.wave == wave && $0.participant == unit.id }
            let items = outcome.rule == .surveyItem ? [outcome.value ?? outcome.id] : outcome.items
            let chosen = answered.first { $0.interviewDate == row?.interviewDate } ?? answered.first
            let answers = (chosen?.answers ?? [:]).filter { items.contains($0.key) }
            return CellExplanation(unit: unit, outcome: outcome, wave: wave, window: nil, records: [], setAside: [],
                                   interview: row.map { ($0.interview, $0.interviewDate) }, answers: answers, exit: exit,
                                   cell: cell, companion: companion)
        }
        let span = window.days(assignedOn: unit.assignedOn)
        let (first, last, reference) = (span.first.dayNumber, span.last.dayNumber, span.reference.dayNumber)
        var verdicts: [CellExplanation.RecordVerdict] = []
        for r in records where r.source == outcome.source && r.participant == unit.registryKey {
            let passes = outcome.filter?.passes(attribute: { r.attributes[$0] }, number: { r.numbers[$0] }) ?? true
            let days = RegistryStage.days(attributes: r.attributes, read: outcome.date ?? .span, start: r.startDay, end: r.endDay ?? Int.max)
            var relation = "no day to read (\((outcome.date ?? .span).rawValue))", counts = false
            if let (a, b) = days {
                let startsIn = a >= first && a <= last, overlaps = a <= last && b >= first
                switch outcome.rule {
                case .activeOn, .statusAt:
                    counts = a <= reference && b >= reference
                    relation = counts ? "covers the reference day \(span.reference)" : "does not cover the reference day \(span.reference)"
                case .startsIn, .count, .countStarts, .firstStart:
                    counts = startsIn
                    relation = startsIn ? "starts in the window" : (overlaps ? "overlaps the window but starts outside it" : "outside the window")
                case .sum where !outcome.prorate:
                    counts = startsIn
                    relation = startsIn ? "starts in the window" : (overlaps ? "overlaps the window but starts outside it" : "outside the window")
                default:
                    counts = overlaps
                    relation = overlaps ? "overlaps the window" : "outside the window"
                }
            }
            verdicts.append(.init(record: r, passesFilter: passes, first: days.map { CalendarDate(dayNumber: $0.0) },
                                  last: days.flatMap { $0.1 == Int.max ? nil : CalendarDate(dayNumber: $0.1) },
                                  relation: relation, counts: counts && passes))
        }
        return CellExplanation(unit: unit, outcome: outcome, wave: wave, window: span, records: verdicts,
                               setAside: setAside, interview: nil, answers: [:], exit: exit, cell: cell, companion: companion)
    }
}
