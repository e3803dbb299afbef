import Foundation
import Tabular
import TrialDesign

/// One column of the wide file: where it came from and how it was derived, from the design.
public struct DictionaryEntry: Sendable, Equatable, Codable {
    public var column: String
    public var label: String
    /// `identifier`, `assignment`, `wave`, `cohort`, `covariate`, `outcome`, `status`.
    public var kind: String
    /// `text`, `date`, `number`, `binary`, `count`, `continuous`, `status`.
    public var type: String
    public var source: String
    public var derivation: String
}

/// The data dictionary of the wide file, as values, Markdown and CSV.
public enum DataDictionary {
    public static func entries(design: Design, panel: PanelData) -> [DictionaryEntry] {
        let names = WideColumns(panel)
        var out: [DictionaryEntry] = []
        func add(_ column: String, _ label: String, _ kind: String, _ type: String, _ source: String, _ derivation: String) {
            out.append(DictionaryEntry(column: column, label: label, kind: kind, type: type, source: source, derivation: derivation))
        }
        add(panel.idColumn, "Unit identifier (\(design.trial.unit))", "identifier", "text", "assignment",
            design.trial.idType == .code ? "the study code of the unit" : "the keyed pseudonym of the unit's identifier")
        add("arm", "Arm", "assignment", "text", "assignment",
            "the arm the unit was assigned to: " + design.arms.map { "\($0.id) (\($0.label))" }.joined(separator: ", "))
        add("assigned_on", "Assignment date", "assignment", "date", "assignment",
            "the day of assignment; every window counts from here (month 1 starts on this day)")
        add("stratum", "Stratum", "assignment", "text", "assignment",
            design.strata.isEmpty ? "none (the design has no strata)" : "combination of " + design.strata.map(\.column).joined(separator: " | "))
        add("block", "Randomisation block", "assignment", "text", "assignment", "the block the unit was assigned in, if any")
        add("cluster", "Cluster", "assignment", "text", "assignment", design.randomisation.clusterColumn.map { "cohort column \($0)" } ?? "none")
        add("probability", "Assignment probability", "assignment", "number", "assignment",
            "probability with which the unit was assigned to its arm")
        add("wave", "Wave", "wave", "text", "design",
            design.waves.map { "\($0.id) (\($0.offsetMonths) months)" }.joined(separator: ", "))
        add("wave_target", "Wave target date", "wave", "date", "design",
            "assigned_on + the wave's offset in months, clamped to the month's last day")
        add("interview_status", "Interview status at the wave", "wave", "status", "survey",
            "interviewed (in [target − days_before, target + days_after]), outside_window_kept, outside_window_missing "
            + "(flagged; kept or set missing per the wave's outside_window), no_response; empty when the wave has no survey. "
            + design.waves.map { "\($0.id): −\($0.daysBefore)/+\($0.daysAfter) days, outside_window \($0.outsideWindow.rawValue)" }.joined(separator: "; "))
        add("interview_date", "Interview date", "wave", "date", "survey", "date of the interview used for the wave")
        if let t = design.analysis.takeUp {
            add("take_up", "Received the intervention", "cohort", "binary", "cohort",
                "cohort column \(t.column) read as 1/0 (1, yes, true, ja → 1; 0, no, false, nee → 0; empty when unknown)")
        }
        for (i, c) in panel.cohortColumns.enumerated() {
            let subgroups = design.subgroups.filter { $0.column == c }.map { "subgroup \($0.id) (\($0.label))" }
            let uses = (c == design.analysis.takeUp?.column ? ["take-up column"] : []) + subgroups
            add(names.cohort[i], c, "cohort", "text", "cohort", "cohort column \(c) as given: " + uses.joined(separator: ", "))
        }
        for c in design.covariates {
            if let column = c.column {
                add(c.id, c.label, "covariate", "number", "cohort",
                    "cohort column \(column) read as a number (yes/no, true/false, ja/nee → 1/0); missing when empty")
            } else if let source = c.source, let rule = c.rule, let window = c.window {
                add(c.id, c.label, "covariate", "number", source,
                    ruleText(rule, filter: c.filter, value: nil, source: source)
                        + " Window: " + windowText(OutcomeWindow(months: window, anchor: c.anchor)) + ".")
            }
            add(c.id + "_status", "Status of \(c.id)", "status", "status", "panel", statusText(design))
        }
        for o in design.outcomes {
            let windows = design.waves.compactMap { w in o.windows[w.id].map { (w, $0) } }
            var text = ruleText(o.rule, filter: o.filter, value: o.value, source: o.source, items: o.items, outcome: o)
            if o.rule.isSurveyRule {
                text += " Waves: " + windows.map(\.0.id).joined(separator: ", ") + "."
            } else {
                text += " Windows: " + windows.map { "\($0.0.id) \(windowText($0.1))" }.joined(separator: "; ") + "."
            }
            for ix in panel.indices where ix.outcome == o.id {
                let weights = zip(ix.items, ix.weights).map { "\($0) \(String(format: "%.4f", $1))" }.joined(separator: ", ")
                text += " At \(ix.wave): weights \(weights)"
                if let m = ix.rescaleMean, let s = ix.rescaleSD {
                    text += "; raw index re-standardised by control mean \(String(format: "%.4f", m)) and SD \(String(format: "%.4f", s))"
                }
                text += "."
            }
            if o.primary { text += " Primary outcome." }
            add(o.id, o.label, "outcome", o.type.rawValue, o.source, text)
            add(o.id + "_status", "Status of \(o.id)", "status", "status", "panel", statusText(design))
        }
        for o in design.outcomes where o.rule.hasCompanion {
            add(o.id + "_censored", "\(o.label): censored", "outcome", "binary", o.source,
                "1 when no passing record started in the window, so \(o.id) counts the days to the window's last day "
                + "(censored); 0 when it counts the days to the first start.")
            add(o.id + "_censored_status", "Status of \(o.id)_censored", "status", "status", "panel", statusText(design))
        }
        return out
    }

    /// The statuses a cell of this design can have, in words (`too_few_items` only with a scale that can
    /// lack items).
    static func statusText(_ design: Design) -> String {
        let scales = design.outcomes.contains { $0.rule == .scale || ($0.rule == .indexMean && $0.impute == Imputation.none) }
        return "why the value is (or is not) there: observed, censored (left the registry's scope on or before "
            + "the window's last day), beyond_data, no_event, value_missing, no_interview, outside_window, item_missing, "
            + (scales ? "too_few_items, " : "") + "cohort_missing; empty when not measured at the wave"
    }

    /// "months 1–6 after assignment" / "months 12–1 before assignment"; in calendar months "calendar
    /// months 1–6 after the month of assignment"; a reference day "the last day of month 12 after
    /// assignment" / "day 365 after assignment".
    public static func windowText(_ w: OutcomeWindow) -> String {
        switch w.on {
        case let .endOfMonth(k)?:
            return w.anchor == .assignmentMonth ? "the last day of calendar month \(k) after the month of assignment"
                : "the last day of month \(k) after assignment"
        case let .day(k)?:
            return "day \(k) after the assignment day"
        case nil:
            break
        }
        if w.anchor == .assignmentMonth {
            let (a, b) = (w.months.fromMonth, w.months.toMonth)
            if b < 0 { return a == b ? "calendar month \(-a) before the month of assignment" : "calendar months \(-a)–\(-b) before the month of assignment" }
            if a == 0 && b == 0 { return "the calendar month of assignment" }
            if a == 0 { return "the calendar month of assignment and the \(b) after it" }
            return a == b ? "calendar month \(a) after the month of assignment" : "calendar months \(a)–\(b) after the month of assignment"
        }
        let (a, b) = FollowUpMonths.normalised(from: w.months.fromMonth, to: w.months.toMonth)
        if b < 0 { return a == b ? "month \(-a) before assignment" : "months \(-a)–\(-b) before assignment" }
        return a == b ? "month \(a) after assignment" : "months \(a)–\(b) after assignment"
    }

    /// A filter in words: "kind in {a, b}", "status = x", "amount between 0 and 500", combined with and,
    /// or, not.
    public static func filterText(_ f: RecordFilter) -> String {
        switch f {
        case let .isIn(field, values): return "\(field) in {\(values.joined(separator: ", "))}"
        case let .equals(field, value): return "\(field) = \(value)"
        case let .between(field, low, high):
            switch (low, high) {
            case let (l?, h?): return "\(field) between \(l) and \(h)"
            case let (l?, nil): return "\(field) ≥ \(l)"
            case let (nil, h?): return "\(field) ≤ \(h)"
            default: return field
            }
        case let .allOf(parts): return "(" + parts.map(filterText).joined(separator: " and ") + ")"
        case let .anyOf(parts): return "(" + parts.map(filterText).joined(separator: " or ") + ")"
        case let .not(part): return "not " + filterText(part)
        }
    }

    static func ruleText(_ rule: DerivationRule, filter: RecordFilter?, value: String?, source: String,
                         items: [String] = [], outcome: Outcome? = nil) -> String {
        var records = "records of \(source)" + (filter.map { " with " + filterText($0) } ?? "")
        if let date = outcome?.date, date != .span { records += " (read by \(date.rawValue))" }
        let censor = " Missing (censored) when the unit left the registry's scope on or before the window's last day."
        switch rule {
        case .any, .overlaps:
            return "1 when at least one of the \(records) covers a day of the window, else 0." + censor
        case .startsIn:
            return "1 when at least one of the \(records) starts in the window, else 0." + censor
        case .count, .countStarts:
            return "Number of \(records) that start in the window." + censor
        case .sum:
            if outcome?.prorate == true {
                return "Sum of \(value ?? "value") over the \(records) that overlap the window, each in proportion to its "
                    + "days inside the window (signed: recoveries subtract; 0 when none)." + censor
            }
            return "Sum of \(value ?? "value") over the \(records) that start in the window (a record's whole amount counts "
                + "in the window where it starts; 0 when none)." + censor
        case .shareOfMonths:
            return "Share of the window's months that at least one of the \(records) overlaps." + censor
        case .monthsWithAny:
            return "Number of the window's months that at least one of the \(records) overlaps." + censor
        case .daysCovered:
            return "Days of the window covered by the \(records), both ends included, each day counted once." + censor
        case .statusAt:
            return "1 when one of the \(records) covers the window's last day, else 0." + censor
        case .activeOn:
            return "1 when one of the \(records) covers the reference day, else 0." + censor
        case .firstStart:
            return "Days from assignment to the first start of one of the \(records) in the window; when none starts, "
                + "the days to the window's last day, censored (see the _censored column)." + censor
        case .firstDate:
            return "Days from assignment to the first day in the window covered by one of the \(records); missing "
                + "(no_event) when there is none." + censor
        case .surveyItem:
            return "Answer to item \(value ?? "?") in survey \(source); missing when not interviewed, interviewed outside "
                + "the window with outside_window: missing, or not answered."
        case .scale:
            let sc = outcome?.scale ?? ScaleScoring(score: .mean)
            let reversed = sc.reverse.isEmpty ? "" : "; \(sc.reverse.joined(separator: ", ")) reversed on \(sc.range.map { "[\($0.lowerBound), \($0.upperBound)]" } ?? "its range")"
            let minimum = sc.minValid.map { "at least \($0) of \(items.count)" } ?? "all \(items.count)"
            let score: String
            switch sc.score {
            case .mean: score = "Mean"
            case .sum: score = "Sum"
            case .standardised: score = "Mean, standardised by the control group's mean and SD at the wave,"
            }
            return "\(score) of the valid items \(items.joined(separator: ", ")) of survey \(source)\(reversed); \(minimum) items "
                + "must be valid, else missing (too_few_items); missing items are not imputed."
        case .indexMean:
            if outcome?.impute == Imputation.none {
                return "Mean of items \(items.joined(separator: ", ")) of survey \(source), each standardised by the control "
                    + "group's mean and SD at the wave; missing items are not imputed (the mean of the items answered)."
            }
            return "Mean of items \(items.joined(separator: ", ")) of survey \(source), each standardised by the control "
                + "group's mean and SD at the wave (Kling, Liebman & Katz 2007); a missing item is imputed at the arm's "
                + "mean z when at least one item was answered; not re-standardised."
        case .indexInverseCovariance:
            return "Inverse-covariance weighted mean (Anderson 2008) of items \(items.joined(separator: ", ")) of survey "
                + "\(source), standardised by the control group; weights are the row sums of the inverse covariance of "
                + "the z-scores (both arms, complete cases); missing items drop out with their weights; the index is "
                + "re-standardised to control mean 0 and SD 1."
        }
    }

    public static func markdown(design: Design, panel: PanelData) -> String {
        var out = "# Data dictionary: \(design.trial.title)\n\n"
        out += "Trial `\(design.trial.id)`. One row per unit × wave in `panel_wide.csv`; `panel_long.csv` has one row "
            + "per unit × wave × outcome measured at that wave (columns `\(panel.idColumn), wave, outcome, value, status, "
            + "detail`). Follow-up months count from each unit's own assignment date (see docs/panel.md).\n\n"
        out += "| column | label | kind | type | source | derivation |\n|---|---|---|---|---|---|\n"
        for e in entries(design: design, panel: panel) {
            out += "| `\(e.column)` | \(md(e.label)) | \(e.kind) | \(e.type) | \(md(e.source)) | \(md(e.derivation)) |\n"
        }
        return out
    }

    public static func csv(design: Design, panel: PanelData) -> String {
        var out = "column,label,kind,type,source,derivation\n"
        for e in entries(design: design, panel: panel) {
            out += CSVWriter.comma.line([e.column, e.label, e.kind, e.type, e.source, e.derivation]) + "\n"
        }
        return out
    }

    static func md(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
