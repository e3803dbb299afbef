import Foundation

/// The picture beside each effect table: for every outcome of a family, the two groups' means with their
/// confidence intervals before assignment (when the design names the outcome's `baseline:` covariate) and
/// at each wave, one small panel per outcome (outcomes have their own scales), as SVG. A reader sees the
/// change over time and the gap between the groups without reading a coefficient.
///
/// Interval: mean ± z · SD / √n with z the normal quantile of the table's level (1.96 at 95%), for shares
/// as for amounts (the Wald interval); shares are drawn as percentages. Means of suppressed cells
/// (`SmallCellPolicy.suppressesSummaries`) are not drawn. Panel titles wrap, never cut, and carry the full label
/// in a `<title>`.
public enum MeansPlot {
    public static func svg(_ table: EffectTable, family: String, policy: SmallCellPolicy, catalogue c: Catalogue = .english) -> String? {
        let nf = c.numbers
        let z = NormalQuantile.upper((1 - table.level) / 2)
        struct Point { var x: Int; var mean: Double; var low: Double; var high: Double }
        struct Panel { var label: String; var ticks: [String]; var control: [Point]; var intervention: [Point]; var percent: Bool }
        var panels: [Panel] = []
        for outcome in table.outcomes(in: family) {
            let percent = outcome.kind == .binary
            let scale = percent ? 100.0 : 1.0
            var ticks: [String] = [], control: [Point] = [], intervention: [Point] = []
            func add(_ a: ArmSummary, _ x: Int, to points: inout [Point]) {
                guard a.n > 0, a.mean.isFinite, a.sd.isFinite else { return }
                let half = z * a.sd / Double(a.n).squareRoot()
                points.append(Point(x: x, mean: a.mean * scale, low: (a.mean - half) * scale, high: (a.mean + half) * scale))
            }
            if let b = outcome.baseline {
                ticks.append(c.baselinePoint)
                if !policy.suppressesSummaries(control: b.control, intervention: b.intervention, binary: percent) {
                    add(b.control, 0, to: &control)
                    add(b.intervention, 0, to: &intervention)
                }
            }
            for wave in table.waves {
                guard let e = outcome.waves[wave.id] else { continue }
                let x = ticks.count
                ticks.append(wave.label)
                if !policy.suppressesSummaries(of: e, kind: outcome.kind) {
                    add(e.control, x, to: &control)
                    add(e.intervention, x, to: &intervention)
                }
            }
            guard !control.isEmpty || !intervention.isEmpty else { continue }
            panels.append(Panel(label: outcome.label, ticks: ticks, control: control, intervention: intervention, percent: percent))
        }
        guard !panels.isEmpty else { return nil }

        // Titles wrap, never cut: every panel keeps room for the longest.
        let titleLines = panels.map { SVGText.wrap($0.label, width: 34).count }.max() ?? 1
        let columns = min(4, panels.count), panelW = 200.0, lineH = 12.0
        let plotTop = Double(titleLines) * lineH + 10, plotH = 100.0, panelH = plotTop + plotH + 50, plotLeft = 44.0, plotW = panelW - plotLeft - 14
        let rowsCount = (panels.count + columns - 1) / columns
        let width = Double(columns) * panelW + 10, height = 44 + Double(rowsCount) * panelH
        let levelText = nf.fixed(table.level * 100, 0) + "%"
        let colours = (control: "#7f7f7f", intervention: "#1f4e79")
        let familyLabel = table.families.first { $0.id == family }?.label ?? family
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" viewBox="0 0 \(fmt(width)) \(fmt(height))" role="img" aria-label="\(escapeHTML(c.meansAria(familyLabel)))" font-family="Helvetica, Arial, sans-serif" font-size="10">
        <text x="6" y="14" font-weight="bold" font-size="11">\(escapeHTML(c.meansTitle(levelText)))</text>
        <circle cx="12" cy="28" r="3.5" fill="\(colours.control)"/><text x="20" y="31">\(escapeHTML(c.controlGroup))</text>
        <rect x="138" y="24.5" width="7" height="7" fill="\(colours.intervention)"/><text x="150" y="31">\(escapeHTML(c.interventionGroup))</text>

        """
        for (k, panel) in panels.enumerated() {
            let ox = 5 + Double(k % columns) * panelW, oy = 44 + Double(k / columns) * panelH
            let all = (panel.control + panel.intervention).flatMap { [$0.low, $0.high] }
            var lo = all.min() ?? 0, hi = all.max() ?? 1
            if panel.percent { lo = max(0, lo); hi = min(100, hi) }
            if hi - lo < 1e-9 { lo -= 1; hi += 1 }
            let pad = (hi - lo) * 0.08
            lo -= pad; hi += pad
            func y(_ v: Double) -> Double { oy + plotTop + (hi - v) / (hi - lo) * plotH }
            let slots = max(1, panel.ticks.count)
            func x(_ i: Int, _ shift: Double) -> Double { ox + plotLeft + (Double(i) + 0.5) / Double(slots) * plotW + shift }
            let title = SVGText.wrap(panel.label, width: 34)
            svg += "<g><title>\(escapeHTML(panel.label))</title>"
                + SVGText.lines(title, x: ox + 4, y: oy + 11, lineHeight: lineH, bold: true) + "</g>\n"
            // Axes and three ticks.
            svg += "<line x1=\"\(fmt(ox + plotLeft))\" y1=\"\(fmt(oy + plotTop))\" x2=\"\(fmt(ox + plotLeft))\" y2=\"\(fmt(oy + plotTop + plotH))\" stroke=\"#333\"/>"
            svg += "<line x1=\"\(fmt(ox + plotLeft))\" y1=\"\(fmt(oy + plotTop + plotH))\" x2=\"\(fmt(ox + plotLeft + plotW))\" y2=\"\(fmt(oy + plotTop + plotH))\" stroke=\"#333\"/>\n"
            let digits = hi - lo >= 10 ? 0 : (hi - lo >= 1 ? 1 : 2)
            for t in 0...2 {
                let v = lo + pad + Double(t) / 2 * (hi - lo - 2 * pad)
                svg += "<line x1=\"\(fmt(ox + plotLeft - 3))\" y1=\"\(fmt(y(v)))\" x2=\"\(fmt(ox + plotLeft))\" y2=\"\(fmt(y(v)))\" stroke=\"#333\"/>"
                svg += "<text x=\"\(fmt(ox + plotLeft - 5))\" y=\"\(fmt(y(v) + 3))\" text-anchor=\"end\">\(nf.fixed(v, digits))\(panel.percent ? "%" : "")</text>\n"
            }
            for (i, tick) in panel.ticks.enumerated() {
                svg += SVGText.lines(SVGText.wrap(tick, width: max(6, Int(plotW / Double(slots) / 5.5))), x: x(i, 0),
                                     y: oy + plotTop + plotH + 13, lineHeight: 11, anchor: "middle") + "\n"
            }
            for (points, colour, shift, square) in [(panel.control, colours.control, -5.0, false), (panel.intervention, colours.intervention, 5.0, true)] {
                if points.count > 1 {
                    svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.2\" points=\""
                        + points.map { "\(fmt(x($0.x, shift))),\(fmt(y($0.mean)))" }.joined(separator: " ") + "\"/>\n"
                }
                for p in points {
                    let px = x(p.x, shift)
                    let tip = "\(nf.fixed(p.mean, digits + 1)) \(nf.interval(p.low, p.high, digits + 1))"
                    svg += "<g><title>\(escapeHTML(tip))</title>"
                    svg += "<line x1=\"\(fmt(px))\" y1=\"\(fmt(y(p.low)))\" x2=\"\(fmt(px))\" y2=\"\(fmt(y(p.high)))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>"
                    svg += square ? "<rect x=\"\(fmt(px - 3.5))\" y=\"\(fmt(y(p.mean) - 3.5))\" width=\"7\" height=\"7\" fill=\"\(colour)\"/>"
                                  : "<circle cx=\"\(fmt(px))\" cy=\"\(fmt(y(p.mean)))\" r=\"3.5\" fill=\"\(colour)\"/>"
                    svg += "</g>\n"
                }
            }
        }
        return svg + "</svg>\n"
    }
}

/// The standard normal distribution's upper quantile, for the intervals of the pictures (Reporting takes
/// no numerics library).
enum NormalQuantile {
    /// z with P(Z > z) = `tail`, 0 < tail < 0.5, by Acklam's rational approximation (relative error below
    /// 1.2e-9 — far below what a picture shows); 1.959964 for 0.025.
    static func upper(_ tail: Double) -> Double {
        let p = min(max(tail, 1e-12), 0.5)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            let num = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
            let den = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
            return -num / den
        }
        let q = 0.5 - p, r = q * q
        let num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        let den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
        return num / den
    }
}
