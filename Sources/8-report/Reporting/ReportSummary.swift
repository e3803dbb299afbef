/// The report's summary for readers who will not read a coefficient: one sentence group per primary
/// outcome × wave, saying the two groups' means, the adjusted effect with its interval and p, whether the
/// estimate favours the intervention or the control group (from the design's `better:`; said not to be
/// stated otherwise), and whether the interval includes 0. Means of suppressed cells are not given.
public enum ReportSummary {
    public static func sentences(_ table: EffectTable, policy: SmallCellPolicy, catalogue c: Catalogue = .english) -> [String] {
        let nf = c.numbers
        let levelText = nf.fixed(table.level * 100, 0) + "%"
        var out: [String] = []
        for outcome in table.outcomes where outcome.primary {
            let magnitude = outcome.waves.values.map { max(abs($0.control.mean), abs($0.itt.estimate)) }.filter(\.isFinite).max() ?? 0
            let d = NumberFormat.digits(for: outcome.kind, magnitude: magnitude)
            for wave in table.waves {
                guard let e = outcome.waves[wave.id] else { continue }
                var text: [String] = []
                if policy.suppressesSummaries(of: e, kind: outcome.kind) {
                    text.append("\(outcome.label) (\(wave.label)):")
                    text.append(c.summarySuppressed)
                } else {
                    func mean(_ a: ArmSummary) -> String {
                        outcome.kind == .binary ? nf.fixed(100 * a.mean, 1) + "%" : nf.fixed(a.mean, d)
                    }
                    text.append(c.summaryMeans(outcome.label, wave.label, mean(e.intervention), mean(e.control)))
                }
                let t = e.itt
                text.append(c.summaryEffect(nf.signed(t.estimate, d), levelText, nf.fixed(t.confLow, d), nf.fixed(t.confHigh, d),
                                            nf.pStatement(t.pValue)) + ".")
                switch outcome.better.flatMap({ $0.favoursIntervention(t.estimate) }) {
                case true?: text.append(c.summaryFavoursIntervention)
                case false?: text.append(c.summaryFavoursControl)
                case nil: if outcome.better == nil { text.append(c.summaryNoDirection) }
                }
                text.append(t.confLow <= 0 && t.confHigh >= 0 ? c.summaryIncludesZero : c.summaryExcludesZero)
                out.append(text.joined(separator: " "))
            }
        }
        return out
    }
}
