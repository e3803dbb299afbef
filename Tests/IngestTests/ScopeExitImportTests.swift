import Basics
import Ingest
import TrialData
import Testing
import TrialDesign

/// `scope_exit` rows: the day a family left the registry's scope and why (docs/import.md).
@Suite struct ScopeExitImportTests {
    static let exits = """
        id: exits
        kind: scope_exit
        file: exits.csv
        identifier: { column: rijksregisternummer, type: insz }
        dialect: { format: delimited, separator: ";", date_format: DD/MM/YYYY }
        columns: { date: datum_uitschrijving, reason: reden }
        codes:
          reason: { verhuisd: moved, overleden: died }
        """

    @Test func exitRowsBecomeOneDayRecordsWithTheReason() throws {
        let text = """
            rijksregisternummer;datum_uitschrijving;reden
            \(Numbers.a);20/04/2018;verhuisd
            \(Numbers.b);30/04/2018;overleden
            \(Numbers.c);30/02/2019;verhuisd
            \(Numbers.c);15/03/2019;geëmigreerd
            \(Numbers.c);;verhuisd
            \(Numbers.c);01/06/2019;other
            """
        let r = try importText(Self.exits, text)
        #expect(r.rowsRead == 6)
        #expect(r.rowsRead == r.accepted + r.rejected)
        #expect(r.accepted == 3 && r.rejected == 3)
        #expect(r.rejections.map { "\($0.line) \($0.reason.rawValue) \($0.column ?? "-")" } == [
            "4 unparseable_date datum_uitschrijving", "5 unknown_code reden", "6 missing_field datum_uitschrijving",
        ])
        #expect(r.rejections[0].message.contains("\"30/02/2019\" is not a date"))
        #expect(r.rejections[1].message.contains("allowed: died, moved, other"))
        #expect(r.registryRecords.count == 3)
        let moved = r.registryRecords[0]
        #expect(moved.source == "exits")
        #expect(moved.participant == testKey.pseudonym(for: try NationalNumber(Numbers.a)))
        #expect(moved.start == CalendarDate(year: 2018, month: 4, day: 20))
        #expect(moved.end == moved.start)
        #expect(moved.attributes == ["reason": "moved"])
        #expect(moved.line == 2)
        #expect(r.registryRecords.map { $0.attributes["reason"]! } == ["moved", "died", "other"])
        // No national number survives the import.
        for n in [Numbers.a, Numbers.b, Numbers.c] {
            #expect(!r.registryRecords.contains { $0.participant.contains(n) })
            #expect(!r.rejections.contains { $0.message.contains(n) || $0.excerpt.contains(n) })
        }
    }

    @Test func aRegisterKeptByStudyCodeLinksOnTheStudyID() throws {
        let (_, source) = try makeSource(Self.exits.replacingOccurrences(of: "column: rijksregisternummer, type: insz", with: "column: code, type: code"))
        #expect(Ingest.linksOnStudyID(source))
        let units = [AssignedUnit(id: "F0001", linkKey: "P0123", arm: "control", assignedOn: CalendarDate(year: 2018, month: 1, day: 1)!, probability: 0.5)]
        #expect(Ingest.participants(units, for: source) == ["F0001"])
        let r = try importText(Self.exits.replacingOccurrences(of: "column: rijksregisternummer, type: insz", with: "column: code, type: code"),
                               "code;datum_uitschrijving;reden\nF0001;01/02/2018;verhuisd\nF0002;01/02/2018;verhuisd\n",
                               known: Ingest.participants(units, for: source))
        #expect(r.accepted == 1 && r.rejected == 1)
        #expect(r.rejections.first?.reason == .unknownParticipant)
        #expect(r.registryRecords.first?.participant == "F0001")
    }
}
