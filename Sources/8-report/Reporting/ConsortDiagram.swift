/// The CONSORT flow of a trial and its diagram as SVG (CONSORT 2010 layout: enrolment, allocation,
/// follow-up per wave, analysis). Every count is printed from the report's one `DisclosedCounts`.
public struct CountedReason: Sendable, Equatable, Codable {
    public var reason: String
    public var count: Int
    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}

/// Follow-up through one data source at one wave: the units followed up and those not, by reason, so
/// that allocated = followed up + Σ not followed up.
public struct FollowUp: Sendable, Equatable, Codable {
    public var followedUp: Int
    public var lost: [CountedReason]
    public init(followedUp: Int, lost: [CountedReason]) {
        self.followedUp = followedUp
        self.lost = lost
    }
    public var lostTotal: Int { lost.reduce(0) { $0 + $1.count } }
}

/// The units analysed for one family of outcomes in one arm: each outcome's N in this arm, exactly as
/// the family's effect table has it (an outcome measured through the survey loses families that did not
/// answer its items, so the N can differ between the outcomes of a family).
public struct FamilyAnalysed: Sendable, Equatable, Codable {
    public struct Outcome: Sendable, Equatable, Codable {
        public var id: String
        public var n: Int
        public init(id: String, n: Int) {
            self.id = id
            self.n = n
        }
    }
    public var label: String
    public var outcomes: [Outcome]
    public init(label: String, outcomes: [Outcome]) {
        self.label = label
        self.outcomes = outcomes
    }
}

public struct WaveFlow: Sendable, Equatable, Codable {
    public var id: String
    public var label: String
    /// The wave's survey (interviewed; not interviewed by reason); nil when the wave has no survey outcome.
    public var survey: FollowUp?
    /// The registries (followed up; left their scope); nil when the wave has no registry outcome.
    public var registries: FollowUp?
    /// Analysed, per family of outcomes measured at the wave.
    public var analysed: [FamilyAnalysed]
    public init(id: String, label: String, survey: FollowUp?, registries: FollowUp?, analysed: [FamilyAnalysed]) {
        self.id = id
        self.label = label
        self.survey = survey
        self.registries = registries
        self.analysed = analysed
    }
}

public struct ArmFlow: Sendable, Equatable, Codable {
    public var id: String
    public var label: String
    /// The arm's side in the effect tables (`control` or `intervention`); nil for an arm not compared.
    public var comparedAs: String?
    public var allocated: Int
    /// Units that received the intervention (take-up); nil when the design declares none.
    public var received: Int?
    public var waves: [WaveFlow]
    /// Clusters allocated to the arm (cluster-randomised trials, CONSORT's extension for cluster
    /// trials); nil when units were randomised.
    public var clusters: Int?
    public init(id: String, label: String, comparedAs: String? = nil, allocated: Int, received: Int?, waves: [WaveFlow],
                clusters: Int? = nil) {
        self.id = id
        self.label = label
        self.comparedAs = comparedAs
        self.allocated = allocated
        self.received = received
        self.waves = waves
        self.clusters = clusters
    }
}

public struct ConsortFlow: Sendable, Equatable, Codable {
    public var screened: Int
    public var excluded: [CountedReason]
    public var randomised: Int
    public var arms: [ArmFlow]
    public init(screened: Int, excluded: [CountedReason], randomised: Int, arms: [ArmFlow]) {
        self.screened = screened
        self.excluded = excluded
        self.randomised = randomised
        self.arms = arms
    }

    public var excludedTotal: Int { excluded.reduce(0) { $0 + $1.count } }
}

/// Every text of the CONSORT diagram, in one place so that a language catalogue can supply them.
public struct ConsortLabels: Sendable {
    public var assessed = "Assessed for eligibility"
    public var excluded = "Excluded"
    public var randomised = "Randomised"
    public var allocatedTo: @Sendable (String) -> String = { "Allocated to \($0)" }
    /// "in 9 clusters (n = 97 units)": the clusters and the count as `count` shows it.
    public var clusters: @Sendable (Int, String) -> String = { "in \($0) cluster\($0 == 1 ? "" : "s") (\($1) units)" }
    public var received = "Received the intervention"
    public var interviewed = "Survey: interviewed"
    public var notInterviewed = "Not interviewed"
    public var registries = "Registries: followed up"
    public var notInRegistries = "Not followed up"
    public var analysed = "Analysed"
    public var ariaLabel = "CONSORT flow diagram"
    /// A reason for not being followed up or for exclusion as printed: the framework's own reasons
    /// (`no interview`, `interview outside the window`, `left the registries' scope`, `eligible, not
    /// randomised`) in the diagram's language; a reason from the design (an eligibility rule's) as written.
    /// The counts keep the English reason in their keys.
    public var reason: @Sendable (String) -> String = { $0 }
    /// "n = 57"; "n < 5" for a small cell; "n not shown" for a cell suppressed so that a small one cannot
    /// be worked out.
    public var count: @Sendable (DisclosedCounts.Shown) -> String = counted(notShown: "n not shown")

    /// "n = 57" and "n < 5" in every language; `notShown` is the language's words for a count suppressed
    /// so that a small one cannot be worked out.
    public static func counted(notShown: String) -> @Sendable (DisclosedCounts.Shown) -> String {
        { shown in
            switch shown {
            case let .value(n): return "n = \(n)"
            case let .small(t): return "n < \(t)"
            case .secondary: return notShown
            }
        }
    }
    /// "n = 42–46" over the outcomes of a family; "n not shown for 2 outcomes" appended when some are
    /// suppressed.
    public var range: @Sendable (_ low: Int, _ high: Int) -> String = { $0 == $1 ? "n = \($0)" : "n = \($0)–\($1)" }
    public var notShownFor: @Sendable (Int) -> String = { "n not shown for \($0) outcome\($0 == 1 ? "" : "s")" }

    public init() {}
    public static let english = ConsortLabels()

    /// The same in Dutch (Flemish usage).
    public static let dutch: ConsortLabels = {
        var l = ConsortLabels()
        l.assessed = "Beoordeeld op geschiktheid"
        l.excluded = "Uitgesloten"
        l.randomised = "Geloot"
        l.allocatedTo = { "Toegewezen aan \($0)" }
        l.clusters = { "in \($0) cluster\($0 == 1 ? "" : "s") (\($1) eenheden)" }
        l.received = "Kreeg de interventie"
        l.interviewed = "Bevraging: bevraagd"
        l.notInterviewed = "Niet bevraagd"
        l.registries = "Registers: opgevolgd"
        l.notInRegistries = "Niet opgevolgd"
        l.analysed = "Geanalyseerd"
        l.ariaLabel = "CONSORT-stroomdiagram"
        l.reason = { reason in
            switch reason {
            case "no interview": return "geen bevraging"
            case "interview outside the window": return "bevraagd buiten de periode"
            case "left the registries' scope": return "uit het bereik van de registers"
            case "eligible, not randomised": return "geschikt, niet geloot"
            default: return reason
            }
        }
        l.count = counted(notShown: "n niet getoond")
        l.notShownFor = { "n niet getoond voor \($0) uitkomst\($0 == 1 ? "" : "en")" }
        return l
    }()
}

public enum ConsortDiagram {
    /// A standalone SVG document (no fonts or images from outside; system sans-serif), with the counts as
    /// `counts` shows them (`SmallCellPolicy.disclose` of the report or of the flow's own ledger).
    public static func svg(_ flow: ConsortFlow, counts: DisclosedCounts, labels l: ConsortLabels = .english) -> String {
        // Inside a count the spaces do not break ("(n = 57)" stays on one line).
        func n(_ key: String) -> String {
            "(" + l.count(counts.shown(key) ?? .secondary).replacingAll(" ", with: "\u{00A0}") + ")"
        }
        func family(_ f: FamilyAnalysed, arm: ArmFlow, wave: WaveFlow) -> String {
            let keys = f.outcomes.map { ReportLedger.analysed(flow: flow, arm: arm, wave: wave, outcome: $0) }
            let shown = keys.compactMap { counts.value($0) }
            var parts: [String] = []
            if let lo = shown.min(), let hi = shown.max() { parts.append(l.range(lo, hi)) }
            let hidden = keys.count - shown.count
            if hidden > 0 {
                parts.append(shown.isEmpty && hidden == 1 ? l.count(counts.shown(keys[0]) ?? .secondary) : l.notShownFor(hidden))
            }
            return "• \(f.label) (" + parts.map { $0.replacingAll(" ", with: "\u{00A0}") }.joined(separator: "; ") + ")"
        }
        let width = 820.0
        var boxes: [(x: Double, y: Double, w: Double, lines: [String], bold: Set<Int>)] = []
        var links: [(x1: Double, y1: Double, x2: Double, y2: Double)] = []
        let lineHeight = 15.0
        func height(_ lines: [String]) -> Double { Double(lines.count) * lineHeight + 12 }
        // Characters per line for a box `w` wide: 6.8 px per character at 12 px leaves a margin for wide letters.
        func chars(_ w: Double) -> Int { Int((w - 16) / 6.8) }

        // Enrolment.
        let mainW = 300.0, mainX = (width - mainW) / 2 - 120
        var y = 20.0
        let screenedLines = wrap("\(l.assessed) \(n(ReportLedger.screened))", chars(mainW))
        boxes.append((mainX, y, mainW, screenedLines, [0]))
        let screenedBottom = y + height(screenedLines)
        let exX = mainX + mainW + 40, exW = width - exX - 10
        let excludedLines = wrap("\(l.excluded) \(n(ReportLedger.excluded))", chars(exW))
            + flow.excluded.flatMap { wrap("• \(l.reason($0.reason)) \(n(ReportLedger.excluded($0.reason)))", chars(exW)) }
        let exY = screenedBottom + 10
        boxes.append((exX, exY, exW, excludedLines, []))
        let midX = mainX + mainW / 2
        let exMid = exY + height(excludedLines) / 2
        links.append((midX, exMid, exX, exMid))
        y = exY + height(excludedLines) + 20
        links.append((midX, screenedBottom, midX, y))
        let randomisedLines = wrap("\(l.randomised) \(n(ReportLedger.randomised))", chars(mainW))
        boxes.append((mainX, y, mainW, randomisedLines, [0]))
        let randomisedBottom = y + height(randomisedLines)
        y = randomisedBottom + 30

        // One column per arm.
        let columns = max(1, flow.arms.count)
        let colW = (width - 20) / Double(columns)
        var columnBottoms: [Double] = []
        for (i, arm) in flow.arms.enumerated() {
            let x = 10 + Double(i) * colW + 10, w = colW - 20, cx = x + w / 2
            links.append((midX, randomisedBottom, cx, y))
            var yy = y
            var lines = wrap("\(l.allocatedTo(arm.label)) \(n(ReportLedger.allocated(arm)))", chars(w))
            if let clusters = arm.clusters {
                let units = l.count(counts.shown(ReportLedger.allocated(arm)) ?? .secondary).replacingAll(" ", with: "\u{00A0}")
                lines += wrap(l.clusters(clusters, units), chars(w))
            }
            if arm.received != nil { lines += wrap("\(l.received) \(n(ReportLedger.received(arm)))", chars(w)) }
            boxes.append((x, yy, w, lines, [0]))
            yy += height(lines)
            for wave in arm.waves {
                let top = yy + 20
                links.append((cx, yy, cx, top))
                var wl = [wave.label]
                var bold: Set<Int> = [0]
                // One reason is a bullet under the followed-up line; more get their total first.
                func source(_ f: FollowUp?, _ kind: String, _ followed: String, _ notFollowed: String) {
                    guard let f else { return }
                    wl += wrap("\(followed) \(n(ReportLedger.followedUp(arm, wave, kind)))", chars(w))
                    guard !f.lost.isEmpty else { return }
                    if f.lost.count == 1 {
                        wl += wrap("• \(l.reason(f.lost[0].reason)) \(n(ReportLedger.lost(arm, wave, kind, f.lost[0].reason)))", chars(w))
                    } else {
                        wl += wrap("\(notFollowed) \(n(ReportLedger.lost(arm, wave, kind)))", chars(w))
                        wl += f.lost.flatMap { wrap("• \(l.reason($0.reason)) \(n(ReportLedger.lost(arm, wave, kind, $0.reason)))", chars(w)) }
                    }
                }
                source(wave.survey, ReportLedger.survey, l.interviewed, l.notInterviewed)
                source(wave.registries, ReportLedger.registries, l.registries, l.notInRegistries)
                if !wave.analysed.isEmpty {
                    bold.insert(wl.count)
                    wl.append(l.analysed)
                    wl += wave.analysed.flatMap { wrap(family($0, arm: arm, wave: wave), chars(w)) }
                }
                boxes.append((x, top, w, wl, bold))
                yy = top + height(wl)
            }
            columnBottoms.append(yy)
        }
        let totalHeight = (columnBottoms.max() ?? y) + 20

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(totalHeight))" viewBox="0 0 \(fmt(width)) \(fmt(totalHeight))" role="img" aria-label="\(escapeHTML(l.ariaLabel))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>

        """
        for link in links {
            svg += "<line x1=\"\(fmt(link.x1))\" y1=\"\(fmt(link.y1))\" x2=\"\(fmt(link.x2))\" y2=\"\(fmt(link.y2))\" stroke=\"#333\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n"
        }
        for b in boxes {
            svg += "<g class=\"box\"><rect x=\"\(fmt(b.x))\" y=\"\(fmt(b.y))\" width=\"\(fmt(b.w))\" height=\"\(fmt(height(b.lines)))\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"1.2\" rx=\"3\"/>\n"
            for (k, line) in b.lines.enumerated() {
                let weight = b.bold.contains(k) ? " font-weight=\"bold\"" : ""
                svg += "<text x=\"\(fmt(b.x + 8))\" y=\"\(fmt(b.y + 18 + Double(k) * lineHeight))\"\(weight)>\(escapeHTML(line))</text>\n"
            }
            svg += "</g>\n"
        }
        return svg + "</svg>\n"
    }

    /// The diagram of a flow on its own, its counts disclosed by `policy` over the flow's own sums.
    public static func svg(_ flow: ConsortFlow, policy: SmallCellPolicy, labels: ConsortLabels = .english) -> String {
        var ledger = CountLedger()
        ReportLedger.add(flow, to: &ledger)
        return svg(flow, counts: policy.disclose(ledger), labels: labels)
    }
}

/// Splits text into lines of at most `width` characters at spaces (a longer word stands alone; a
/// non-breaking space does not split).
func wrap(_ text: String, _ width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        if current.isEmpty { current = String(word) }
        else if current.count + 1 + word.count <= max(8, width) { current += " " + word }
        else { lines.append(current); current = "  " + word }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// A coordinate with at most one decimal.
func fmt(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(r)
}
