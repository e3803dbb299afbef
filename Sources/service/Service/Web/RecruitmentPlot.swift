import Foundation
import TrialStore

/// The manager's recruitment plot: one small panel per site, a line per arm of the cumulative number of
/// families allocated, month by month (SVG, no script).
enum RecruitmentPlot {
    static let colours = ["#1d3557", "#e76f51", "#2a9d8f", "#8d5a97", "#f4a261"]

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `sites`: (id, label); `site`: the site of a record (nil when the design declares none).
    static func svg(records: [AssignmentRecord], sites: [(String, String)], arms: [String], site: (AssignmentRecord) -> String?,
                    caption: String) -> String {
        let months = Array(Set(records.map { String($0.entry.assignedOn.description.prefix(7)) })).sorted()
        let panelWidth = 220.0, panelHeight = 150.0, margin = 30.0
        let columns = min(3, max(1, sites.count))
        let rows = (sites.count + columns - 1) / columns
        let width = Double(columns) * panelWidth, height = Double(rows) * panelHeight + 30
        var series: [String: [String: [Int]]] = [:]
        var top = 1
        for (id, _) in sites {
            for arm in arms {
                var running = 0
                let counts = months.map { month -> Int in
                    running += records.filter { (site($0) ?? "all") == id && $0.entry.arm == arm
                        && $0.entry.assignedOn.description.hasPrefix(month) }.count
                    return running
                }
                series[id, default: [:]][arm] = counts
                top = max(top, counts.last ?? 0)
            }
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"recruitment-plot\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" aria-label=\"\(escape(caption))\"><title>\(escape(caption))</title>"
        for (k, (id, label)) in sites.enumerated() {
            let x0 = Double(k % columns) * panelWidth, y0 = Double(k / columns) * panelHeight
            let plotW = panelWidth - margin - 10, plotH = panelHeight - margin - 20
            svg += "<g transform=\"translate(\(x0),\(y0))\"><text x=\"\(margin)\" y=\"14\" font-size=\"12\">\(escape(label))</text>"
            svg += "<rect x=\"\(margin)\" y=\"20\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#bbb\"/>"
            svg += "<text x=\"\(margin - 4)\" y=\"26\" font-size=\"10\" text-anchor=\"end\">\(top)</text>"
            svg += "<text x=\"\(margin - 4)\" y=\"\(20 + plotH)\" font-size=\"10\" text-anchor=\"end\">0</text>"
            if let first = months.first, let last = months.last {
                svg += "<text x=\"\(margin)\" y=\"\(20 + plotH + 12)\" font-size=\"10\">\(first)</text>"
                svg += "<text x=\"\(margin + plotW)\" y=\"\(20 + plotH + 12)\" font-size=\"10\" text-anchor=\"end\">\(last)</text>"
            }
            for (a, arm) in arms.enumerated() {
                let counts = series[id]?[arm] ?? []
                guard !counts.isEmpty else { continue }
                let points = counts.enumerated().map { i, c -> String in
                    let x = margin + (counts.count == 1 ? plotW / 2 : plotW * Double(i) / Double(counts.count - 1))
                    let y = 20 + plotH - plotH * Double(c) / Double(top)
                    return String(format: "%.1f,%.1f", x, y)
                }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(colours[a % colours.count])\" stroke-width=\"2\" points=\"\(points)\"/>"
                if counts.count == 1 {
                    let p = points.split(separator: ",")
                    svg += "<circle cx=\"\(p[0])\" cy=\"\(p[1])\" r=\"3\" fill=\"\(colours[a % colours.count])\"/>"
                }
            }
            svg += "</g>"
        }
        for (a, arm) in arms.enumerated() {
            let x = 10.0 + Double(a) * 140
            svg += "<rect x=\"\(x)\" y=\"\(height - 16)\" width=\"12\" height=\"4\" fill=\"\(colours[a % colours.count])\"/>"
            svg += "<text x=\"\(x + 16)\" y=\"\(height - 11)\" font-size=\"11\">\(escape(arm))</text>"
        }
        return svg + "</svg>"
    }
}
