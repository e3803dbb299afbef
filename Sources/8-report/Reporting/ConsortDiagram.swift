/// The CONSORT flow of a trial and its diagram as SVG (CONSORT 2010 layout: enrolment, allocation,
/// follow-up per wave, analysis). Every count goes through the small-cell policy.
public struct CountedReason: Sendable, Equatable, Codable {
    public var reason: String
    public var count: Int
    public init(reason: String, count: Int) {
        self.reason = reason
        self.count = count
    }
}

public struct WaveFlow: Sendable, Equatable, Codable {
    public var label: String
    public var followedUp: Int
    /// Units not followed up at this wave, by reason (no response, interview outside the window, …).
    public var notFollowedUp: [CountedReason]
    public var analysed: Int
    public init(label: String, followedUp: Int, notFollowedUp: [CountedReason], analysed: Int) {
        self.label = label
        self.followedUp = followedUp
        self.notFollowedUp = notFollowedUp
        self.analysed = analysed
    }
}

public struct ArmFlow: Sendable, Equatable, Codable {
    public var label: String
    public var allocated: Int
    /// Units that received the intervention (take-up); nil when the design declares none.
    public var received: Int?
    public var waves: [WaveFlow]
    /// Clusters allocated to the arm (cluster-randomised trials, CONSORT's extension for cluster
    /// trials); nil when units were randomised.
    public var clusters: Int?
    public init(label: String, allocated: Int, received: Int?, waves: [WaveFlow], clusters: Int? = nil) {
        self.label = label
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

public enum ConsortDiagram {
    /// A standalone SVG document (no fonts or images from outside; system sans-serif).
    public static func svg(_ flow: ConsortFlow, policy: SmallCellPolicy) -> String {
        let n = { (count: Int) in "n = " + policy.show(count: count) }
        let width = 820.0
        var boxes: [(x: Double, y: Double, w: Double, lines: [String], bold: Bool)] = []
        var links: [(x1: Double, y1: Double, x2: Double, y2: Double)] = []
        let lineHeight = 15.0
        func height(_ lines: [String]) -> Double { Double(lines.count) * lineHeight + 12 }

        // Enrolment.
        let mainW = 300.0, mainX = (width - mainW) / 2 - 120
        var y = 20.0
        let screenedLines = wrap("Assessed for eligibility (\(n(flow.screened)))", 40)
        boxes.append((mainX, y, mainW, screenedLines, true))
        let screenedBottom = y + height(screenedLines)
        let excludedLines = wrap("Excluded (\(n(flow.excludedTotal)))", 40)
            + flow.excluded.flatMap { wrap("• \($0.reason) (\(n($0.count)))", 44) }
        let exX = mainX + mainW + 40, exW = width - exX - 10
        let exY = screenedBottom + 10
        boxes.append((exX, exY, exW, excludedLines, false))
        let midX = mainX + mainW / 2
        let exMid = exY + height(excludedLines) / 2
        links.append((midX, exMid, exX, exMid))
        y = exY + height(excludedLines) + 20
        links.append((midX, screenedBottom, midX, y))
        let randomisedLines = ["Randomised (\(n(flow.randomised)))"]
        boxes.append((mainX, y, mainW, randomisedLines, true))
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
            var lines = wrap("Allocated to \(arm.label) (\(n(arm.allocated)))", Int(w / 7))
            if let clusters = arm.clusters { lines += wrap("in \(clusters) cluster\(clusters == 1 ? "" : "s") (\(n(arm.allocated)) units)", Int(w / 7)) }
            if let received = arm.received { lines += wrap("Received the intervention (\(n(received)))", Int(w / 7)) }
            boxes.append((x, yy, w, lines, true))
            yy += height(lines)
            for wave in arm.waves {
                let top = yy + 20
                links.append((cx, yy, cx, top))
                var wl = wrap("\(wave.label): followed up (\(n(wave.followedUp)))", Int(w / 7))
                let lost = wave.notFollowedUp.reduce(0) { $0 + $1.count }
                if lost > 0 || !wave.notFollowedUp.isEmpty {
                    wl += wrap("Not followed up (\(n(lost)))", Int(w / 7))
                    wl += wave.notFollowedUp.flatMap { wrap("• \($0.reason) (\(n($0.count)))", Int(w / 7)) }
                }
                wl += wrap("Analysed (\(n(wave.analysed)))", Int(w / 7))
                boxes.append((x, top, w, wl, false))
                yy = top + height(wl)
            }
            columnBottoms.append(yy)
        }
        let totalHeight = (columnBottoms.max() ?? y) + 20

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(totalHeight))" viewBox="0 0 \(fmt(width)) \(fmt(totalHeight))" role="img" aria-label="CONSORT flow diagram" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>

        """
        for l in links {
            svg += "<line x1=\"\(fmt(l.x1))\" y1=\"\(fmt(l.y1))\" x2=\"\(fmt(l.x2))\" y2=\"\(fmt(l.y2))\" stroke=\"#333\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n"
        }
        for b in boxes {
            svg += "<rect x=\"\(fmt(b.x))\" y=\"\(fmt(b.y))\" width=\"\(fmt(b.w))\" height=\"\(fmt(height(b.lines)))\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"1.2\" rx=\"3\"/>\n"
            for (k, line) in b.lines.enumerated() {
                let weight = (b.bold && k == 0) ? " font-weight=\"bold\"" : ""
                svg += "<text x=\"\(fmt(b.x + 8))\" y=\"\(fmt(b.y + 18 + Double(k) * lineHeight))\"\(weight)>\(escapeHTML(line))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }
}

/// Splits text into lines of at most `width` characters at spaces (a longer word stands alone).
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
