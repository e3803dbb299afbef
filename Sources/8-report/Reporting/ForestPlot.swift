/// A forest plot of the effects with their confidence intervals, one line per outcome and wave, as SVG.
///
/// Outcomes are measured on different scales (shares, euro, months), so the plot shows **standardized**
/// effects: the ITT estimate and its interval divided by the control group's SD at that wave (Glass's Δ).
/// An outcome whose control SD is 0 or unknown, or whose summaries are suppressed as small cells, is
/// listed without a marker and noted. The tables carry the effects on their own scale.
///
/// The axis is always intervention − control (right: higher with the intervention). Which side favours
/// the intervention depends on the outcome (the design's `better:`), so a column at the right says it per
/// line (▶ when higher is better, ◀ when lower is, "not stated" otherwise). Labels are wrapped, never
/// cut; each line carries its full label and numbers in an SVG `<title>` (a tooltip in browsers).
public enum ForestPlot {
    /// Characters per line of a wrapped label (11 px Helvetica: about 6 px a character in the 300 px column).
    static let labelCharacters = 48

    public static func svg(_ table: EffectTable, policy: SmallCellPolicy, catalogue c: Catalogue = .english) -> String {
        let nf = c.numbers
        struct Line { var lines: [String]; var full: String; var wave: Int; var est: Double?; var low: Double?; var high: Double?
                      var header: Bool; var better: BetterDirection? }
        var rows: [Line] = []
        for family in table.families where !table.outcomes(in: family.id).isEmpty {
            rows.append(Line(lines: SVGText.wrap(family.label, width: labelCharacters + 4), full: family.label, wave: -1,
                             est: nil, low: nil, high: nil, header: true, better: nil))
            for outcome in table.outcomes(in: family.id) {
                for (w, wave) in table.waves.enumerated() {
                    guard let e = outcome.waves[wave.id] else { continue }
                    let sd = e.control.sd
                    let usable = sd > 0 && sd.isFinite && !policy.suppressesSummaries(of: e, kind: outcome.kind)
                    let label = "\(outcome.label) (\(wave.label))"
                    var full = label
                    if usable {
                        full += ": \(nf.fixed(e.itt.estimate / sd, 2)) \(nf.interval(e.itt.confLow / sd, e.itt.confHigh / sd, 2))"
                    }
                    rows.append(Line(lines: SVGText.wrap(label, width: labelCharacters), full: full, wave: w,
                                     est: usable ? e.itt.estimate / sd : nil, low: usable ? e.itt.confLow / sd : nil,
                                     high: usable ? e.itt.confHigh / sd : nil, header: false, better: outcome.better))
                }
            }
        }
        let values = rows.flatMap { [$0.low, $0.high].compactMap { $0 } }
        let bound = max(0.5, (values.map(abs).max() ?? 0.5) * 1.1)
        let labelW = 310.0, plotW = 330.0, favoursW = 130.0, lineH = 13.0, top = 58.0
        let heights = rows.map { max(18.0, Double($0.lines.count) * lineH + 5) }
        let bottom = top + heights.reduce(0, +)
        let width = labelW + 10 + plotW + 15 + favoursW, height = bottom + 52
        let plotLeft = labelW + 10
        func xPos(_ v: Double) -> Double { plotLeft + (v + bound) / (2 * bound) * plotW }
        let favoursX = plotLeft + plotW + 15 + favoursW / 2
        let colours = ["#1f4e79", "#c55a11", "#548235", "#7030a0"]
        let levelText = nf.fixed(table.level * 100, 0) + "%"
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" viewBox="0 0 \(fmt(width)) \(fmt(height))" role="img" aria-label="\(escapeHTML(c.forestAria))" font-family="Helvetica, Arial, sans-serif" font-size="11">
        <text x="\(fmt(plotLeft + plotW / 2))" y="16" text-anchor="middle" font-weight="bold">\(escapeHTML(c.forestTitle(levelText)))</text>
        <text x="\(fmt(favoursX))" y="\(fmt(top - 6))" text-anchor="middle" font-weight="bold">\(escapeHTML(c.favoursIntervention))</text>

        """
        for (w, wave) in table.waves.enumerated() {
            let x = 10 + Double(w) * 150
            svg += "<rect x=\"\(fmt(x))\" y=\"28\" width=\"10\" height=\"10\" fill=\"\(colours[w % colours.count])\"/><text x=\"\(fmt(x + 14))\" y=\"37\">\(escapeHTML(wave.label))</text>\n"
        }
        let zero = xPos(0)
        svg += "<line x1=\"\(fmt(zero))\" y1=\"\(fmt(top))\" x2=\"\(fmt(zero))\" y2=\"\(fmt(bottom))\" stroke=\"#888\" stroke-dasharray=\"3,3\"/>\n"
        var y0 = top
        for (i, row) in rows.enumerated() {
            let h = heights[i]
            let mid = y0 + h / 2
            let firstBaseline = mid - Double(row.lines.count - 1) * lineH / 2 + 4
            svg += "<g><title>\(escapeHTML(row.full))</title>"
            svg += SVGText.lines(row.lines, x: row.header ? 4 : 14, y: firstBaseline, lineHeight: lineH, bold: row.header)
            if !row.header {
                let colour = colours[max(0, row.wave) % colours.count]
                if let est = row.est, let low = row.low, let high = row.high {
                    svg += "<line x1=\"\(fmt(xPos(low)))\" y1=\"\(fmt(mid))\" x2=\"\(fmt(xPos(high)))\" y2=\"\(fmt(mid))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>"
                    svg += "<circle cx=\"\(fmt(xPos(est)))\" cy=\"\(fmt(mid))\" r=\"3.5\" fill=\"\(colour)\"/>"
                } else {
                    svg += "<text x=\"\(fmt(plotLeft + 4))\" y=\"\(fmt(mid + 4))\" fill=\"#888\">\(escapeHTML(c.notStandardizable))</text>"
                }
                switch row.better {
                case .higher?: svg += "<text x=\"\(fmt(favoursX))\" y=\"\(fmt(mid + 4))\" text-anchor=\"middle\" font-size=\"13\">▶</text>"
                case .lower?: svg += "<text x=\"\(fmt(favoursX))\" y=\"\(fmt(mid + 4))\" text-anchor=\"middle\" font-size=\"13\">◀</text>"
                case nil: svg += "<text x=\"\(fmt(favoursX))\" y=\"\(fmt(mid + 4))\" text-anchor=\"middle\" fill=\"#888\">\(escapeHTML(c.directionUnstated))</text>"
                }
            }
            svg += "</g>\n"
            y0 += h
        }
        // Axis with ticks at round values.
        svg += "<line x1=\"\(fmt(xPos(-bound)))\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(xPos(bound)))\" y2=\"\(fmt(bottom))\" stroke=\"#333\"/>\n"
        let step = bound > 2 ? 1.0 : (bound > 1 ? 0.5 : 0.25)
        var tick = -(bound / step).rounded(.down) * step
        while tick <= bound + 1e-9 {
            svg += "<line x1=\"\(fmt(xPos(tick)))\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(xPos(tick)))\" y2=\"\(fmt(bottom + 4))\" stroke=\"#333\"/>"
            svg += "<text x=\"\(fmt(xPos(tick)))\" y=\"\(fmt(bottom + 16))\" text-anchor=\"middle\">\(nf.fixed(tick, 2))</text>\n"
            tick += step
        }
        svg += "<text x=\"\(fmt(xPos(-bound)))\" y=\"\(fmt(bottom + 34))\">\(escapeHTML(c.lowerWithIntervention))</text>"
        svg += "<text x=\"\(fmt(xPos(bound)))\" y=\"\(fmt(bottom + 34))\" text-anchor=\"end\">\(escapeHTML(c.higherWithIntervention))</text>\n"
        return svg + "</svg>\n"
    }
}

/// Text in SVG figures: labels wrapped at word boundaries (never cut) and written as `<tspan>` lines.
enum SVGText {
    /// `text` in lines of at most `width` characters, broken between words; a word longer than a line gets
    /// a line of its own (it is never cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// A `<text>` with one `<tspan>` per line, the first baseline at `y`.
    static func lines(_ lines: [String], x: Double, y: Double, lineHeight: Double, bold: Bool = false,
                      anchor: String? = nil) -> String {
        var out = "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\"" + (bold ? " font-weight=\"bold\"" : "")
            + (anchor.map { " text-anchor=\"\($0)\"" } ?? "") + ">"
        for (i, line) in lines.enumerated() {
            out += "<tspan x=\"\(fmt(x))\" dy=\"\(i == 0 ? "0" : fmt(lineHeight))\">\(escapeHTML(line))</tspan>"
        }
        return out + "</text>"
    }
}
