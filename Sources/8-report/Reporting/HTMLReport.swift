/// The report as one self-contained HTML file: inline CSS and inline SVG, no scripts, nothing fetched
/// from the network, and a print style so it reads on paper too.
public enum HTMLReport {
    public static func render(_ r: ReportContent) -> String {
        let p = r.policy
        let c = r.language.catalogue
        let nf = c.numbers
        let counts = p.disclose(r)
        var body = "<header>\n<h1>\(escapeHTML(r.title))</h1>\n"
        if let reg = r.registration { body += "<p class=\"sub\">\(escapeHTML(reg))</p>\n" }
        let waves = r.effects.waves.map(\.label)
        let waveList = waves.count <= 1 ? waves.joined() : waves.dropLast().joined(separator: ", ") + " \(c.and) " + waves.last!
        body += "<p class=\"sub\">\(escapeHTML(c.effectsAfter(waveList)))</p>\n</header>\n"
        let summary = ReportSummary.sentences(r.effects, policy: p, catalogue: c)
        if !summary.isEmpty {
            body += "<section class=\"summary\">\n<h2>\(escapeHTML(c.summary))</h2>\n<p>\(escapeHTML(c.summaryIntro))</p>\n<ul>"
                + summary.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n</section>\n"
        }

        body += "<section>\n<h2>1. \(escapeHTML(c.prespecified))</h2>\n<ul>" + r.prespecified.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n"
        body += "<h3>\(escapeHTML(c.planChanges))</h3>\n"
        body += r.amendments.isEmpty
            ? "<p>\(escapeHTML(c.noAmendments))</p>\n"
            : "<p>\(escapeHTML(c.amendmentsIntro))</p><ul>"
                + r.amendments.map { "<li>\(escapeHTML($0.sentence(c.methods)))</li>" }.joined() + "</ul>\n"
        body += r.deviations.isEmpty
            ? "<p>\(escapeHTML(c.noDeviations))</p>\n"
            : "<p><strong>\(escapeHTML(c.deviationsIntro))</strong></p><ul>" + r.deviations.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n"
        body += "</section>\n"

        if let consort = r.consort {
            body += "<section class=\"figure\">\n<h2>2. \(escapeHTML(c.participantFlow))</h2>\n" + ConsortDiagram.svg(consort, counts: counts, labels: c.consort) + "</section>\n"
        }
        if let balance = r.balance {
            body += "<section>\n<h2>3. \(escapeHTML(c.baselineBalance))</h2>\n"
            if let clusters = r.clusterBalance {
                body += "<h3>\(escapeHTML(c.familiesHeading))</h3>\n" + balanceTable(balance, policy: p, counts: counts, catalogue: c)
                let k = clusters.table.rows.first
                let counts = k.map { c.clusterCounts(p.show(count: $0.control.n), p.show(count: $0.intervention.n)) } ?? ""
                body += "<h3>\(escapeHTML(c.clustersHeading(clusters.cluster)))</h3>\n<p>\(escapeHTML(c.clusterBalanceNote(clusters.cluster, counts)))</p>\n"
                    + balanceTable(clusters.table, policy: p, catalogue: c)
            } else {
                body += balanceTable(balance, policy: p, counts: counts, catalogue: c)
            }
            body += "</section>\n"
        }
        if !r.attrition.isEmpty {
            body += "<section>\n<h2>4. \(escapeHTML(c.followUp))</h2>\n<table><thead><tr>"
                + [c.wave, c.controlResponded, c.interventionResponded, c.differentialAttrition, c.leeBounds].map { "<th>\(escapeHTML($0))</th>" }.joined()
                + "</tr></thead><tbody>\n"
            for a in r.attrition {
                let bounds = a.leeBounds.map { "\(escapeHTML($0.outcome)): \(nf.interval($0.lower, $0.upper, 3))" }.joined(separator: "<br>")
                let control = escapeHTML(attrition(counts, a, "control", c))
                let intervention = escapeHTML(attrition(counts, a, "intervention", c))
                body += "<tr><th scope=\"row\">\(escapeHTML(a.wave))</th><td>\(control)</td><td>\(intervention)</td><td>\(a.differential.map { escapeHTML(testText($0, nf)) }.joined(separator: "<br>"))</td><td>\(bounds)</td></tr>\n"
            }
            body += "</tbody></table>\n</section>\n"
        }
        body += "<section>\n<h2>5. \(escapeHTML(c.effects))</h2>\n"
            + EffectTableWriter.html(r.effects, policy: p, counts: counts, catalogue: c, figure: { MeansPlot.svg(r.effects, family: $0, policy: p, catalogue: c) })
            + "</section>\n"
        body += "<section class=\"figure\">\n<h2>6. \(escapeHTML(c.forestPlot))</h2>\n" + ForestPlot.svg(r.effects, policy: p, catalogue: c) + "</section>\n"
        if !r.subgroups.isEmpty {
            body += "<section>\n<h2>7. \(escapeHTML(c.subgroups))</h2>\n" + SubgroupTable.html(r.subgroups, policy: p, counts: counts, catalogue: c) + "</section>\n"
        }
        if let sensitivity = r.sensitivity {
            body += "<section>\n<h2>\(r.subgroups.isEmpty ? 7 : 8). \(escapeHTML(c.sensitivity))</h2>\n" + SensitivityTableWriter.html(sensitivity, catalogue: c) + "</section>\n"
        }
        let prov = r.provenance
        body += "<section class=\"provenance\">\n<h2>\(escapeHTML(c.reproducibility))</h2>\n<ul>"
        body += "<li>\(escapeHTML(c.software)): \(escapeHTML(prov.software))</li>"
        body += "<li>\(escapeHTML(c.design)): \(escapeHTML(prov.designFile)) (SHA-256 \(escapeHTML(prov.designFingerprint)))</li>"
        for s in prov.seeds { body += "<li>\(escapeHTML(s))</li>" }
        for d in prov.dataFingerprints { body += "<li>\(escapeHTML(c.data)) \(escapeHTML(d.id)): SHA-256 \(escapeHTML(d.label))</li>" }
        body += "<li>\(escapeHTML(c.generatedOn)) \(escapeHTML(prov.generatedOn))</li>"
        if p.isActive {
            body += "<li>\(escapeHTML(c.suppressionRule(p.threshold) + " " + c.secondarySuppression))</li>"
        }
        body += "</ul>\n</section>\n"

        return """
        <!DOCTYPE html>
        <html lang="\(c.htmlLanguage)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeHTML(r.title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    /// "46 of 57": an arm's responded and allocated at a wave, from the report's disclosed counts.
    static func attrition(_ counts: DisclosedCounts, _ a: AttritionRow, _ side: String, _ c: Catalogue) -> String {
        c.countOf(counts.text(ReportLedger.attrition(a.wave, side, "responded"), catalogue: c),
                  counts.text(ReportLedger.attrition(a.wave, side, "allocated"), catalogue: c))
    }

    /// A baseline balance table with its omnibus test. A row's means are suppressed when the count rule
    /// suppresses them, or when `counts` (the report's disclosed counts) suppresses a count behind them (a
    /// binary covariate's share gives the count with it).
    static func balanceTable(_ balance: BalanceTable, policy p: SmallCellPolicy, counts: DisclosedCounts? = nil,
                             catalogue c: Catalogue = .english) -> String {
        let nf = c.numbers
        var body = "<table><thead><tr>" + [c.covariate, c.controlMean, c.interventionMean, c.standardizedDifference]
            .map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in balance.rows {
            let hide = p.suppressesSummaries(of: row) || ["control", "intervention"].contains { side in
                ["with", "without"].contains { counts?.isSuppressed(ReportLedger.balance(row, side, $0)) == true }
            }
            func cell(_ a: ArmSummary) -> String { hide ? escapeHTML(c.suppressed) : "\(nf.fixed(a.mean, 3)) (\(nf.fixed(a.sd, 3)))" }
            body += "<tr><th scope=\"row\">\(escapeHTML(row.label))</th><td>\(cell(row.control))</td><td>\(cell(row.intervention))</td><td>\(nf.fixed(row.standardizedDifference, 3))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        if let t = balance.omnibus { body += "<p>\(escapeHTML(testText(t, nf))).</p>\n" }
        return body
    }

    static func testText(_ t: TestResult, _ nf: NumberStyle = .point) -> String {
        "\(t.name): \(nf.fixed(t.statistic, 2)) (df \(t.df)), \(nf.pStatement(t.pValue))"
    }

    static let style = """
    body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 1400px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
    h1 { font-size: 1.6em; margin-bottom: 0.2em; }
    h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.8em; }
    h3 { font-size: 1.05em; margin-bottom: 0.3em; }
    .sub { color: #555; margin: 0.2em 0; }
    table { border-collapse: collapse; font-size: 0.82em; margin: 0.5em 0; }
    th, td { padding: 3px 7px; border-bottom: 1px solid #e3e3e3; text-align: right; vertical-align: top; }
    th[scope=row] { text-align: left; font-weight: normal; max-width: 22em; }
    thead th { border-bottom: 2px solid #555; background: #f4f6f8; }
    th.wave { text-align: center; }
    tr.received th, tr.received td { font-style: italic; color: #444; }
    td.suppressed { color: #999; }
    table.effects td { white-space: nowrap; }
    table.effects { font-size: 0.72em; }
    table.effects th, table.effects td { padding: 3px 4px; }
    table.effects thead th { white-space: normal; vertical-align: bottom; }
    table.effects th[scope=row] { min-width: 12em; white-space: normal; }
    section.family { overflow-x: auto; }
    table.effects tr.first th, table.effects tr.first td { border-top: 1px solid #bbb; }
    table.effects td:nth-child(2), table.effects td:nth-child(3), table.subgroups td:nth-child(-n+4) { text-align: left; }
    figure.means { margin: 0.3em 0 0.6em 0; }
    figure.means svg { max-width: 100%; height: auto; }
    section.summary li { margin-bottom: 0.3em; }
    ul.notes { font-size: 0.8em; color: #555; margin-top: 0.2em; }
    .figure svg { max-width: 100%; height: auto; }
    .provenance { font-size: 0.85em; color: #444; }
    @media screen and (max-width: 1100px) { table.effects { font-size: 0.66em; } table.effects td { white-space: normal; } table.effects th, table.effects td { padding: 2px 2px; } table.effects th[scope=row] { min-width: 7em; } }
    @page { size: A4; margin: 16mm 12mm 18mm 12mm; }
    @media print { body { margin: 0; max-width: none; } table.effects { font-size: 0.65em; } section.family { overflow: visible; } section { page-break-inside: avoid; } h2 { page-break-after: avoid; } table, .figure svg { break-inside: avoid; } }
    """
}
