import Basics
import Foundation
import Testing
import TestSupport
import TrialDesign

/// `rct run` with the design's `scope_exit` register: a family that moved out before month 12 has its
/// registry outcomes at m12 censored (missing, status `censored`, the reason and date as detail) rather
/// than 0, and the panel's CONSORT and attrition counts say so (docs/panel.md, "Scope exits").
@Suite(.serialized) struct ScopeExitRunTests {
    /// The registry outcomes of the MISSION design (those whose source is not a survey).
    static let registryOutcomes = ["leefloon", "supplementary_aid", "supplementary_one_off", "supplementary_structural",
                                   "supplementary_price_reduction", "supplementary_amount", "medical_card", "budget_guidance",
                                   "employment_programme", "art60_employment", "job_seeker_months"]

    /// A simulated comma file (CRLF line ends, no quotes) as rows of named cells.
    static func rows(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init))) }
    }

    /// The exits of the committed fixture: family id → (date, reason), through the cohort's national numbers.
    static func exits() throws -> [String: (date: CalendarDate, reason: String)] {
        let cohort = try rows(Fixtures.path("fixtures/mission/cohort.csv"))
        let family = Dictionary(uniqueKeysWithValues: cohort.map { ($0["insz"]!, $0["family_id"]!) })
        let text = try String(contentsOfFile: Fixtures.path("fixtures/mission/scope_exits.csv"), encoding: .utf8)
        var out: [String: (CalendarDate, String)] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ";").map(String.init)
            let p = f[1].split(separator: "/").compactMap { Int($0) }
            let id = try #require(family[f[0]], "exit of \(f[0].prefix(2))… links to the cohort")
            let date = try #require(CalendarDate(year: p[2], month: p[1], day: p[0]))
            out[id] = (date, try #require(["verhuisd": "moved", "overleden": "died"][f[2]], "reason \(f[2])"))
        }
        return out
    }

    static func consort(_ root: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("out/internal/panel/consort.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// (wave, arm) → the CONSORT arm entry.
    static func consortArms(_ json: [String: Any]) -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for wave in (json["consort"] as! [String: Any])["waves"] as! [[String: Any]] {
            for arm in wave["arms"] as! [[String: Any]] { out["\(wave["wave"]!) \(arm["arm"]!)"] = arm }
        }
        return out
    }

    @Test func aFamilyThatMovedBeforeMonth12IsCensoredNotZero() throws {
        let withExits = try RunCommandTests.trialCopy("rct-run-exits")
        let r = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: withExits)
        #expect(r.status == 0, "\(r.stderr)")
        let exits = try Self.exits()
        #expect(r.stderr.contains("import exits: imported, \(exits.count) rows read, \(exits.count) accepted, 0 rejected"), "\(r.stderr)")
        #expect(r.stderr.contains("scope exits: \(exits.count) ("))

        // The same trial without the register.
        let withoutExits = try RunCommandTests.trialCopy("rct-run-no-exits") { design in
            let start = design.range(of: "  # Families that left Kortrijk")!.lowerBound
            let end = design.range(of: "  # The case managers' register")!.lowerBound
            return design.replacingCharacters(in: start..<end, with: "")
        }
        let r0 = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: withoutExits)
        #expect(r0.status == 0, "\(r0.stderr)")
        #expect(!r0.stderr.contains("scope exits"))

        let assignment = try Self.rows(withExits.appendingPathComponent("fixtures/mission/assignment_planted.csv").path)
        let assigned = Dictionary(uniqueKeysWithValues: assignment.map { ($0["family_id"]!, (CalendarDate(iso: $0["assigned_on"]!)!, $0["arm"]!)) })
        // m12's registry window is months 7–12: censored when the family left on or before its last day.
        let m12LastDay = { (id: String) in assigned[id]!.0.adding(months: 12).adding(days: -1) }
        let censoredAtM12 = exits.filter { $0.value.date <= m12LastDay($0.key) }
        let moved = censoredAtM12.filter { $0.value.reason == "moved" }
        #expect(!moved.isEmpty, "the fixture has a family that moved before month 12")

        let long = try RunCommandTests.csv(withExits.appendingPathComponent("out/internal/panel/panel_long.csv"))
        let long0 = try RunCommandTests.csv(withoutExits.appendingPathComponent("out/internal/panel/panel_long.csv"))
        func cell(_ rows: [[String: String]], _ id: String, _ wave: String, _ outcome: String) -> [String: String]? {
            rows.first { $0["family_id"] == id && $0["wave"] == wave && $0["outcome"] == outcome }
        }
        for (id, exit) in moved {
            for outcome in Self.registryOutcomes {
                let c = try #require(cell(long, id, "m12", outcome))
                #expect(c["value"] == "" && c["status"] == "censored" && c["detail"] == "moved \(exit.date)", "\(id) \(outcome): \(c)")
                // Without the register the same cell is a value (0 or more), which the exit now censors.
                let c0 = try #require(cell(long0, id, "m12", outcome))
                #expect(c0["status"] == "observed" && Double(c0["value"]!) != nil, "\(id) \(outcome) without exits: \(c0)")
            }
            // Survey outcomes are not censored by a registry exit.
            #expect(cell(long, id, "m12", "household_income")?["status"] != "censored")
        }
        // Every censored cell belongs to an exit on or before its window's last day; no other family changes.
        for row in long where row["status"] == "censored" {
            let exit = try #require(exits[row["family_id"]!])
            #expect(row["detail"] == "\(exit.reason) \(exit.date)")
            #expect(Self.registryOutcomes.contains(row["outcome"]!))
        }
        let unaffected = long.filter { exits[$0["family_id"]!] == nil }
        #expect(unaffected == long0.filter { exits[$0["family_id"]!] == nil })
        #expect(long.filter { $0["wave"] == "m12" && $0["status"] == "censored" }.count == censoredAtM12.count * Self.registryOutcomes.count)

        // CONSORT and attrition counts.
        let arms = Self.consortArms(try Self.consort(withExits)), arms0 = Self.consortArms(try Self.consort(withoutExits))
        let attrition = (try Self.consort(withExits))["attrition"] as! [[String: Any]]
        for arm in ["control", "intervention"] {
            let here = censoredAtM12.filter { assigned[$0.key]!.1 == arm }
            let entry = try #require(arms["m12 \(arm)"]), entry0 = try #require(arms0["m12 \(arm)"])
            #expect(entry["registryCensored"] as? Int == here.count, "m12 \(arm)")
            #expect(entry0["registryCensored"] as? Int == 0)
            let analysed = entry["analysedByOutcome"] as! [String: Int], analysed0 = entry0["analysedByOutcome"] as! [String: Int]
            #expect(analysed["leefloon"]! == analysed0["leefloon"]! - here.count, "m12 \(arm): censored families are not analysed")
            let a = try #require(attrition.first { $0["wave"] as? String == "m12" && $0["arm"] as? String == arm })
            var byReason: [String: Int] = [:]
            for e in here { byReason[e.value.reason, default: 0] += 1 }
            #expect((a["censoredByReason"] as? [String: Int]) == byReason, "m12 \(arm)")
        }
    }

    @Test func aBadExitRowIsQuarantinedWithItsReason() throws {
        let root = try RunCommandTests.trialCopy("rct-run-exits-bad")
        let file = root.appendingPathComponent("fixtures/mission/scope_exits.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        let firstNumber = String(text.split(whereSeparator: \.isNewline)[1].prefix(11))
        text += "\(firstNumber);31/02/2018;verhuisd\r\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).count - 1
        let r = try RCTBinary.run(["run", "designs/mission-kortrijk.yaml", "--out", "out"], currentDirectory: root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("import exits: imported, \(rows) rows read, \(rows - 1) accepted, 1 rejected"), "\(r.stderr)")
        #expect(!r.stderr.contains(firstNumber) && !r.stdout.contains(firstNumber), "no national number is printed")
    }
}
