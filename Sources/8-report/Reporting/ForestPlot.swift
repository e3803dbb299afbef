/// A forest plot of the effects with their confidence intervals, one line per outcome and wave, as SVG.
///
/// Outcomes are measured on different scales (shares, euro, months), so the plot shows **standardized**
/// effects: the ITT estimate and its interval divided by the control group's SD at that wave (Glass's Δ).
/// An outcome whose control SD is 0 or unknown, or whose summaries are suppressed as small cells, is
/// listed without a marker and noted. The tables carry the effects on their own scale.
public enum ForestPlot {
    public static func svg(_ table: EffectTable, policy: SmallCellPolicy) -> String {
        struct Line { var label: String; var wave: Int; var est: Double?; var low: Double?; var high: Double?; var header: Bool }
        var lines: [Line] = []
        for family in table.families where !table.outcomes(in: family.id).isEmpty {
            lines.append(Line(label: family.label, wave: -1, est: nil, low: nil, high: nil, header: true))
            for outcome in table.outcomes(in: family.id) {
                for (w, wave) in table.waves.enumerated() {
                    guard let e = outcome.waves[wave.id] else { continue }
                    let sd = e.control.sd
                    let usable = sd > 0 && sd.isFinite && !policy.suppressesSummaries(of: e, kind: outcome.kind)
                    // At most 64 characters: the outcome label is shortened (with an ellipsis), never the wave.
                    let room = max(12, 64 - wave.label.count - 3)
                    let name = outcome.label.count <= room ? outcome.label : String(outcome.label.prefix(room - 1)).trimmingTrailingSpaces() + "…"
                    lines.append(Line(label: "\(name) (\(wave.label))", wave: w,
                                      est: usable ? e.itt.estimate / sd : nil,
                                      low: usable ? e.itt.confLow / sd : nil,
                                      high: usable ? e.itt.confHigh / sd : nil, header: false))
                }
            }
        }
        let values = lines.flatMap { [$0.low, $0.high].compactMap { $0 } }
        let bound = max(0.5, (values.map(abs).max() ?? 0.5) * 1.1)
        let labelW = 380.0, plotW = 360.0, rowH = 18.0, top = 40.0
        let width = labelW + plotW + 40, height = top + Double(lines.count) * rowH + 50
        func xPos(_ v: Double) -> Double { labelW + 10 + (v + bound) / (2 * bound) * plotW }
        let colours = ["#1f4e79", "#c55a11", "#548235", "#7030a0"]
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" viewBox="0 0 \(fmt(width)) \(fmt(height))" role="img" aria-label="Forest plot of standardized effects" font-family="Helvetica, Arial, sans-serif" font-size="11">
        <text x="\(fmt(labelW + 10 + plotW / 2))" y="16" text-anchor="middle" font-weight="bold">Effect in SDs of the control group (\(NumberFormat.fixed(table.level * 100, 0))% CI)</text>

        """
        for (w, wave) in table.waves.enumerated() {
            let x = 10 + Double(w) * 120
            svg += "<rect x=\"\(fmt(x))\" y=\"24\" width=\"10\" height=\"10\" fill=\"\(colours[w % colours.count])\"/><text x=\"\(fmt(x + 14))\" y=\"33\">\(escapeHTML(wave.label))</text>\n"
        }
        let zero = xPos(0)
        let bottom = top + Double(lines.count) * rowH
        svg += "<line x1=\"\(fmt(zero))\" y1=\"\(fmt(top))\" x2=\"\(fmt(zero))\" y2=\"\(fmt(bottom))\" stroke=\"#888\" stroke-dasharray=\"3,3\"/>\n"
        for (i, line) in lines.enumerated() {
            let y = top + Double(i) * rowH + rowH / 2
            if line.header {
                svg += "<text x=\"4\" y=\"\(fmt(y + 4))\" font-weight=\"bold\">\(escapeHTML(line.label))</text>\n"
                continue
            }
            svg += "<text x=\"14\" y=\"\(fmt(y + 4))\">\(escapeHTML(line.label))</text>\n"
            let colour = colours[max(0, line.wave) % colours.count]
            if let est = line.est, let low = line.low, let high = line.high {
                svg += "<line x1=\"\(fmt(xPos(low)))\" y1=\"\(fmt(y))\" x2=\"\(fmt(xPos(high)))\" y2=\"\(fmt(y))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
                svg += "<circle cx=\"\(fmt(xPos(est)))\" cy=\"\(fmt(y))\" r=\"3.5\" fill=\"\(colour)\"/>\n"
            } else {
                svg += "<text x=\"\(fmt(labelW + 14))\" y=\"\(fmt(y + 4))\" fill=\"#888\">not standardizable</text>\n"
            }
        }
        // Axis with ticks at round values.
        svg += "<line x1=\"\(fmt(xPos(-bound)))\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(xPos(bound)))\" y2=\"\(fmt(bottom))\" stroke=\"#333\"/>\n"
        let step = bound > 2 ? 1.0 : (bound > 1 ? 0.5 : 0.25)
        var tick = -(bound / step).rounded(.down) * step
        while tick <= bound + 1e-9 {
            svg += "<line x1=\"\(fmt(xPos(tick)))\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(xPos(tick)))\" y2=\"\(fmt(bottom + 4))\" stroke=\"#333\"/>"
            svg += "<text x=\"\(fmt(xPos(tick)))\" y=\"\(fmt(bottom + 16))\" text-anchor=\"middle\">\(NumberFormat.fixed(tick, 2))</text>\n"
            tick += step
        }
        svg += "<text x=\"\(fmt(xPos(-bound)))\" y=\"\(fmt(bottom + 34))\">favours control</text>"
        svg += "<text x=\"\(fmt(xPos(bound)))\" y=\"\(fmt(bottom + 34))\" text-anchor=\"end\">favours intervention (higher)</text>\n"
        return svg + "</svg>\n"
    }
}
