import Tabular

/// The column names of the tidy CSV files: the project's own (`std_error`, `p_value`, …) or those of
/// R's broom and estimatr (`std.error`, `p.value`, `conf.low`, `nobs`, …; `rct report --names broom`), so
/// that `effects.csv` reads into R as `tidy(lm_robust(…))` would give it.
public enum CSVNames: String, Sendable, CaseIterable, Codable {
    case rct, broom

    /// The name of a column in this vocabulary: broom's are the project's with a dot for the underscore,
    /// `n_obs` as glance()'s `nobs`, `n_clusters` as `nclusters` and the adjusted p as broom's `adj.p.value`.
    public func name(_ column: String) -> String {
        guard self == .broom else { return column }
        switch column {
        case "n_obs": return "nobs"
        case "n_clusters": return "nclusters"
        case "adjusted_p": return "adj.p.value"
        case "ri_p_value": return "ri.p.value"
        default: return column.replacingAll("_", with: ".")
        }
    }
}

/// Effect tables in Markdown, LaTeX and HTML (one table per family of outcomes, in the catalogue's
/// language and number style; the N printed from `counts`, the report's disclosed counts, when given),
/// and the tidy CSV.
public enum EffectTableWriter {
    /// A Markdown section per family: a `###` heading, a pipe table, and its notes.
    public static func markdown(_ table: EffectTable, policy: SmallCellPolicy, counts: DisclosedCounts? = nil,
                                catalogue: Catalogue = .english) -> String {
        var out = ""
        for family in table.families where !table.outcomes(in: family.id).isEmpty {
            let grid = EffectGrid(table: table, family: family.id, policy: policy, counts: counts, catalogue: catalogue)
            out += "### \(family.label)\n\n"
            out += "| " + grid.columnHeaders.map(escapeMarkdown).joined(separator: " | ") + " |\n"
            out += "|" + grid.columnHeaders.indices.map { $0 < 2 ? ":---" : "---:" }.joined(separator: "|") + "|\n"
            for row in grid.rows {
                var cells = row.cells.map(escapeMarkdown)
                if row.secondary { cells[0] = "*" + cells[0].trimmingLeadingSpaces() + "*" }
                out += "| " + cells.joined(separator: " | ") + " |\n"
            }
            out += "\n" + grid.notes.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        }
        return out
    }

    /// A LaTeX `table` per family (booktabs), in a `landscape`-friendly `tabular`.
    public static func latex(_ table: EffectTable, policy: SmallCellPolicy, counts: DisclosedCounts? = nil,
                             catalogue: Catalogue = .english) -> String {
        var out = "% Requires \\usepackage{booktabs}\n"
        for family in table.families where !table.outcomes(in: family.id).isEmpty {
            let grid = EffectGrid(table: table, family: family.id, policy: policy, counts: counts, catalogue: catalogue)
            let columns = "ll" + String(repeating: "r", count: grid.columnHeaders.count - 2)
            out += "\\begin{table}[htbp]\n\\centering\\scriptsize\n\\caption{\(escapeLatex(family.label))}\n"
            out += "\\begin{tabular}{\(columns)}\n\\toprule\n"
            out += grid.columnHeaders.map(escapeLatex).joined(separator: " & ") + " \\\\\n\\midrule\n"
            for row in grid.rows {
                var cells = row.cells.map(escapeLatex)
                if row.secondary { cells[0] = "\\quad\\textit{" + escapeLatex(row.cells[0].trimmingLeadingSpaces()) + "}" }
                out += cells.joined(separator: " & ") + " \\\\\n"
            }
            out += "\\bottomrule\n\\end{tabular}\n"
            out += "\\par\\smallskip\\parbox{\\linewidth}{\\footnotesize " + grid.notes.map(escapeLatex).joined(separator: " ") + "}\n"
            out += "\\end{table}\n\n"
        }
        return out
    }

    /// An HTML fragment: a `<section>` per family with a `<table>`, its notes, and (when given) the family's
    /// picture beside it (`figure(familyID)`, inline SVG). No scripts, no links out.
    public static func html(_ table: EffectTable, policy: SmallCellPolicy, counts: DisclosedCounts? = nil, catalogue: Catalogue = .english,
                            figure: (String) -> String? = { _ in nil }) -> String {
        var out = ""
        for family in table.families where !table.outcomes(in: family.id).isEmpty {
            let grid = EffectGrid(table: table, family: family.id, policy: policy, counts: counts, catalogue: catalogue)
            out += "<section class=\"family\">\n<h3>\(escapeHTML(family.label))</h3>\n"
            if let svg = figure(family.id) { out += "<figure class=\"means\">\n" + svg + "</figure>\n" }
            out += "<table class=\"effects\">\n<thead>\n<tr>"
            out += grid.columnHeaders.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
            for row in grid.rows {
                let starts = !row.secondary && !row.cells[0].isEmpty
                out += row.secondary ? "<tr class=\"received\">" : (starts ? "<tr class=\"first\">" : "<tr>")
                for (i, cell) in row.cells.enumerated() {
                    let text = escapeHTML(i == 0 ? cell.trimmingLeadingSpaces() : cell)
                    out += i == 0 ? "<th scope=\"row\">\(text)</th>"
                        : (cell == grid.suppressedText ? "<td class=\"suppressed\">\(text)</td>" : "<td>\(text)</td>")
                }
                out += "</tr>\n"
            }
            out += "</tbody>\n</table>\n<ul class=\"notes\">" + grid.notes.map { "<li>\(escapeHTML($0))</li>" }.joined() + "</ul>\n</section>\n"
        }
        return out
    }

    /// The tidy CSV: one row per outcome × wave × term, full precision, for R / Stata / Python users.
    /// Columns (`names: .rct`): `family, outcome, label, wave, estimand (itt | treatment_received), term, estimate, std_error,
    /// statistic, df, p_value, conf_low, conf_high, n_obs, n_clusters (empty when unclustered), adjusted_p, ri_p_value, control_n,
    /// control_mean, control_sd, intervention_n, intervention_mean, intervention_sd, relative_effect, suppressed,
    /// difference_of_means, better (higher | lower | empty)` (the last two added after the others, so that readers by position
    /// keep working); with `names: .broom` the same columns under broom's names
    /// (`CSVNames`). Suppressed cells are empty and `suppressed` is `true` on their rows, with the effect of the small cells.
    /// The counts (`n_obs`, the arms' N) are printed from `counts`, the report's disclosed counts, when given. Numbers are
    /// the shortest text that reads back to the same double; a sharpened q-value is exact on Anderson's 0.001 grid.
    public static func csv(_ table: EffectTable, policy: SmallCellPolicy, counts: DisclosedCounts? = nil, names: CSVNames = .rct) -> String {
        let header = ["family", "outcome", "label", "wave", "estimand", "term", "estimate", "std_error", "statistic", "df", "p_value",
                      "conf_low", "conf_high", "n_obs", "n_clusters", "adjusted_p", "ri_p_value", "control_n", "control_mean",
                      "control_sd", "intervention_n", "intervention_mean", "intervention_sd", "relative_effect", "suppressed",
                      "difference_of_means", "better"]
        var lines = [CSVWriter.comma.line(header.map(names.name))]
        for family in table.families {
            for outcome in table.outcomes(in: family.id) {
                for wave in table.waves {
                    guard let e = outcome.waves[wave.id] else { continue }
                    let hide = policy.suppressesSummaries(of: e, kind: outcome.kind)
                    let terms: [(TermEstimate, Bool)] = [(e.itt, true)] + (e.treatmentReceived.map { [($0, false)] } ?? [])
                    for (t, isITT) in terms {
                        var cells = [family.id, outcome.id, outcome.label, wave.id, isITT ? "itt" : "treatment_received", t.term]
                        cells += [t.estimate, t.stdError, t.statistic, t.df, t.pValue, t.confLow, t.confHigh].map { hide ? "" : NumberFormat.csv($0) }
                        let nKey = ReportLedger.effectN(outcome.id, wave.id)
                        cells.append(counts?.shown(nKey).map(csvCount) ?? policy.show(count: t.nObs, summariesSuppressed: hide))
                        cells.append(t.nClusters.map(String.init) ?? "")
                        cells.append(isITT && !hide ? NumberFormat.csv(e.adjustedP) : "")
                        cells.append(isITT && !hide ? NumberFormat.csv(e.randomizationP) : "")
                        for (side, arm) in [("control", e.control), ("intervention", e.intervention)] {
                            let n = counts?.value(ReportLedger.effect(outcome.id, wave.id, side)) ?? (counts == nil ? arm.n : nil)
                            cells += [hide ? "" : n.map(String.init) ?? ""]
                            cells += hide ? ["", ""] : [NumberFormat.csv(arm.mean), NumberFormat.csv(arm.sd)]
                        }
                        cells.append(!hide && isITT ? NumberFormat.csv(e.relativeEffect) : "")
                        cells.append(hide ? "true" : "false")
                        cells.append(hide ? "" : NumberFormat.csv(e.differenceOfMeans))
                        cells.append(outcome.better?.rawValue ?? "")
                        lines.append(CSVWriter.comma.line(cells))
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A disclosed count in CSV: the number, `<5` for a small cell, empty for a secondary one.
func csvCount(_ shown: DisclosedCounts.Shown) -> String {
    switch shown {
    case let .value(n): return String(n)
    case let .small(t): return "<\(t)"
    case .secondary: return ""
    }
}

// MARK: - Escaping

func escapeMarkdown(_ s: String) -> String { s.replacingAll("|", with: "\\|") }

func escapeHTML(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}

func escapeLatex(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "\\": out += "\\textbackslash{}"
        case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(c)
        case "~": out += "\\textasciitilde{}"
        case "^": out += "\\textasciicircum{}"
        case "<": out += "\\textless{}"
        case ">": out += "\\textgreater{}"
        case "†": out += "\\textdagger{}"
        case "–": out += "--"
        case "↑": out += "$\\uparrow$"
        case "↓": out += "$\\downarrow$"
        case "€": out += "EUR"
        default: out.append(c)
        }
    }
    return out
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }

    func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }
    func trimmingTrailingSpaces() -> String { String(reversed().drop { $0 == " " || $0 == "," }.reversed()) }
}
