import Tabular

/// The effect of assignment of every outcome × wave under each of the design's specifications, the
/// primary first: a compact table to see whether a conclusion rests on one choice of estimator,
/// variance or covariates. Randomization inference and adjusted p-values belong to the primary
/// analysis and are not repeated here; neither are numbers of observations (differences between
/// specifications' N could reveal a small cell).
public struct SensitivityTable: Sendable, Equatable, Codable {
    /// The specifications, primary first (id and label).
    public var specifications: [Labelled]
    public var rows: [SensitivityRow]

    public init(specifications: [Labelled], rows: [SensitivityRow]) {
        self.specifications = specifications
        self.rows = rows
    }
}

/// One outcome at one wave: the treatment term under each specification (nil where it could not be
/// estimated).
public struct SensitivityRow: Sendable, Equatable, Codable {
    public var outcome: Labelled
    public var kind: OutcomeKind
    public var wave: Labelled
    public var estimates: [TermEstimate?]

    public init(outcome: Labelled, kind: OutcomeKind, wave: Labelled, estimates: [TermEstimate?]) {
        self.outcome = outcome
        self.kind = kind
        self.wave = wave
        self.estimates = estimates
    }
}

/// The sensitivity table in Markdown, HTML and tidy CSV.
public enum SensitivityTableWriter {
    /// "estimate (SE), p" with the outcome's decimals, or "not estimable", in the catalogue's style.
    static func cell(_ e: TermEstimate?, kind: OutcomeKind, catalogue c: Catalogue) -> String {
        guard let e else { return c.notEstimable }
        let d = NumberFormat.digits(for: kind, magnitude: e.estimate)
        let nf = c.numbers
        return "\(nf.fixed(e.estimate, d)) (\(nf.fixed(e.stdError, d))), p \(nf.pValue(e.pValue))"
    }

    static func header(_ t: SensitivityTable, _ c: Catalogue) -> [String] { [c.outcome, c.wave] + t.specifications.map(\.label) }

    static func body(_ t: SensitivityTable, _ c: Catalogue) -> [[String]] {
        t.rows.map { r in [r.outcome.label, r.wave.label] + r.estimates.map { cell($0, kind: r.kind, catalogue: c) } }
    }

    public static func markdown(_ t: SensitivityTable, catalogue c: Catalogue = .english) -> String {
        var out = "### \(c.sensitivity)\n\n"
        out += "| " + header(t, c).map(escapeMarkdown).joined(separator: " | ") + " |\n"
        out += "|" + header(t, c).indices.map { $0 < 2 ? ":---" : "---:" }.joined(separator: "|") + "|\n"
        for row in body(t, c) { out += "| " + row.map(escapeMarkdown).joined(separator: " | ") + " |\n" }
        return out + "\n- " + c.sensitivityNote + "\n"
    }

    public static func html(_ t: SensitivityTable, catalogue c: Catalogue = .english) -> String {
        var out = "<table class=\"sensitivity\"><thead><tr>" + header(t, c).map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in body(t, c) {
            out += "<tr><th scope=\"row\">\(escapeHTML(row[0]))</th>" + row.dropFirst().map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n<p class=\"notes\">\(escapeHTML(c.sensitivityNote))</p>\n"
    }

    /// One row per outcome × wave × specification, full precision: `outcome, label, wave, specification,
    /// specification_label, term, estimate, std_error, statistic, df, p_value, conf_low, conf_high` (the
    /// numbers empty where not estimable).
    public static func csv(_ t: SensitivityTable) -> String {
        var lines = [["outcome", "label", "wave", "specification", "specification_label", "term", "estimate", "std_error",
                      "statistic", "df", "p_value", "conf_low", "conf_high"]]
        for r in t.rows {
            for (spec, e) in zip(t.specifications, r.estimates) {
                var cells = [r.outcome.id, r.outcome.label, r.wave.id, spec.id, spec.label, e?.term ?? ""]
                cells += [e?.estimate, e?.stdError, e?.statistic, e?.df, e?.pValue, e?.confLow, e?.confHigh].map(NumberFormat.csv)
                lines.append(cells)
            }
        }
        return CSVWriter.comma.text(lines)
    }
}
