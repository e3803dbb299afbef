import Basics
import Panel
import TrialData
import TrialDesign
import TrialStore

/// `rct explain`: why one family's cell of the panel holds what it holds, from the store as it is (no
/// import): the panel is derived as `rct panel` derives it, and the family's records, set-aside rows and
/// answers are laid beside the cell (`Panel.explain`).
public enum CellExplain {
    /// Explains `outcome` for `family` (its study code, or its pseudonym) at `wave`, or at every wave the
    /// outcome is measured at when `wave` is nil.
    public static func run(_ file: DesignFile, store: TrialStore, family: String, outcome: String,
                           wave: String?) throws -> [CellExplanation] {
        let design = file.design
        let inputs = try PanelInputs.read(file, store: store)
        guard let unit = inputs.units.first(where: { $0.id == family || $0.linkKey == family }) else {
            throw WorkflowError.unknownFamily(family: family, store: store.path)
        }
        let panel: PanelData
        do {
            panel = try Panel.derive(design: design, units: inputs.units, records: inputs.records, responses: inputs.responses,
                                     exits: inputs.exits, options: PanelOptions(screening: inputs.screening))
        } catch let error as PanelError {
            throw WorkflowError.panel("\(error)")
        }
        guard let o = design.outcomes.first(where: { $0.id == outcome }) else {
            throw WorkflowError.panel("\(PanelError.unknownOutcome(outcome, known: design.outcomes.map(\.id)))")
        }
        let waves = wave.map { [$0] } ?? design.waves.map(\.id).filter { o.windows[$0] != nil }
        var aside: [SetAsideRow] = []
        if let stored = try store.importSummaries().first(where: { $0.source == o.source }) {
            aside = try store.setAside(importID: stored.id, participant: unit.registryKey)
        }
        let records = inputs.records.records(ofParticipant: unit.registryKey)
        let responses = inputs.responses.filter { $0.participant == unit.id }
        let exit = inputs.exits.first { $0.participant == unit.id }
        do {
            return try waves.map { w in
                try Panel.explain(design: design, panel: panel, unit: unit, outcome: outcome, wave: w, records: records,
                                  responses: responses, setAside: aside, exit: exit)
            }
        } catch let error as PanelError {
            throw WorkflowError.panel("\(error)")
        }
    }

    /// The explanation in lines for standard output: nothing that could be a national number (digit runs
    /// masked), pseudonyms shortened.
    public static func lines(_ e: CellExplanation) -> [String] {
        func cellText(_ c: PanelCell) -> String {
            (c.value.map { PanelCSV.formatNumber($0) } ?? "no value") + " (\(c.status.rawValue)" + (c.detail.map { ": \($0)" } ?? "") + ")"
        }
        let u = e.unit
        var out: [String] = []
        out.append("family \(u.id): \(u.arm), assigned \(u.assignedOn)" + (u.stratum.map { ", stratum \($0)" } ?? "")
            + (u.linkKey.map { ", registry link \($0.prefix(12))…" } ?? ""))
        out.append("outcome \(e.outcome.id) (\(e.outcome.label)) at \(e.wave): rule \(e.outcome.rule.rawValue)"
            + (e.outcome.filter.map { " with " + DataDictionary.filterText($0) } ?? "") + ", source \(e.outcome.source)")
        if let w = e.window {
            let one = e.outcome.rule.readsOneDay
            out.append("  window: " + (e.outcome.windows[e.wave].map(DataDictionary.windowText) ?? "") + " = \(w.first) to \(w.last)"
                + (one ? "; reference day \(w.reference)" : ""))
        }
        if let exit = e.exit { out.append("  scope exit: \(exit.reason) on \(exit.date)") }
        if e.outcome.rule.isSurveyRule {
            if let i = e.interview {
                out.append("  interview: \(i.status.rawValue)" + (i.date.map { " on \($0)" } ?? ""))
            }
            for (item, v) in e.answers.sorted(by: { $0.key < $1.key }) { out.append("  answer \(item) = \(PanelCSV.formatNumber(v))") }
        } else {
            out.append("  records of \(e.outcome.source) for this family: \(e.records.count)")
            for v in e.records {
                let r = v.record
                // Each value masked on its own (a kept column could hold anything; dates and lines are not masked).
                let fields = (r.attributes.map { "\($0.key)=\(Masking.maskDigitRuns($0.value))" }
                              + r.numbers.map { "\($0.key)=\(PanelCSV.formatNumber($0.value))" }).sorted().joined(separator: " ")
                let days = v.first.map { a in "\(a)" + (v.last.map { $0 == a ? "" : "…\($0)" } ?? "…open") } ?? "no day"
                let verdict = !v.passesFilter ? "dropped by the filter" : (v.counts ? "counts: \(v.relation)" : "does not count: \(v.relation)")
                out.append("    line \(r.line)  \(days)  \(fields)  → \(verdict)")
            }
            for a in e.setAside {
                out.append("    line \(a.line)  set aside at import (\(a.reason.rawValue)): " + Masking.maskDigitRuns(a.message))
            }
        }
        out.append("  value: " + cellText(e.cell))
        if let c = e.companion { out.append("  \(e.outcome.id)_censored: " + cellText(c)) }
        return out
    }
}
