import Basics
import TestSupport
import Testing
@testable import TrialData

/// `RecordTable`, the registry records column by column: rows come back equal to the records put in (open
/// ends, shared and distinct field maps, repeated sources and participants), and removing a source's rows,
/// putting a run in line order and picking a participant's rows keep the rest as it was.
@Suite struct RecordTableTests {
    /// Seeded records over three sources and a handful of participants, some open, some sharing maps.
    static func records(count: Int, seed: UInt64) -> [RegistryRecord] {
        var rng = SplitMix(seed: seed)
        let shared: [FieldMap<String>] = [["kind": "a"], ["kind": "b", "category": "00"], [:]]
        var out: [RegistryRecord] = []
        for i in 0..<count {
            let start = CalendarDate(year: 2015 + Int(rng.next() % 8), month: 1 + Int(rng.next() % 12), day: 1)!
            let open = rng.next() % 5 == 0
            let attributes = rng.next() % 3 == 0 ? ["kind": "own\(i)"] : shared[Int(rng.next() % 3)]
            let numbers: FieldMap<Double> = rng.next() % 2 == 0 ? ["amount": Double(Int(rng.next() % 2000)) / 100 - 5] : [:]
            out.append(RegistryRecord(source: ["vdab", "ocmw_aid", "exits"][Int(rng.next() % 3)],
                                      participant: "P\(rng.next() % 7)", line: 2 + Int(rng.next() % 50),
                                      start: start, end: open ? nil : start.adding(months: 1).adding(days: -1),
                                      attributes: attributes, numbers: numbers))
        }
        return out
    }

    @Test(arguments: [0, 1, 2, 3]) func rowsComeBackAsTheRecordsPutIn(seed: Int) {
        let records = Self.records(count: 300, seed: UInt64(seed))
        let table = RecordTable(records)
        #expect(table.count == records.count)
        #expect(table.records == records)
        #expect(table.sourceIDs.count <= 3 && table.participantKeys.count <= 7)
        for r in records.indices {
            #expect(table[r] == records[r])
            #expect(table.end(r) == records[r].endDay)
            #expect(table.attributes(r) == records[r].attributes && table.numbers(r) == records[r].numbers)
        }
    }

    @Test func aRunOfRecordsSharingAMapSharesItsIndex() {
        let map: FieldMap<String> = ["kind": "a"]
        let day = CalendarDate(year: 2020, month: 1, day: 1)!
        let records = (0..<4).map { RegistryRecord(source: "s", participant: "P1", line: $0 + 2, start: day, end: nil, attributes: map) }
            + [RegistryRecord(source: "s", participant: "P2", line: 6, start: day, end: day, attributes: ["kind": "a"])]
        let table = RecordTable(records)
        #expect(table.attributes.prefix(4).allSatisfy { $0 == table.attributes[0] })
        #expect(table.attributes[4] != table.attributes[0])
        #expect(table.records == records)
    }

    @Test(arguments: [0, 1, 2]) func removingASourcesRowsKeepsTheOthersInOrder(seed: Int) {
        let records = Self.records(count: 200, seed: UInt64(seed))
        var table = RecordTable(records)
        table.removeRows(ofSources: { $0 == "exits" })
        #expect(table.records == records.filter { $0.source != "exits" })
        table.removeRows(ofSources: { _ in false })
        #expect(table.records == records.filter { $0.source != "exits" })
        table.removeRows(ofSources: { _ in true })
        #expect(table.isEmpty)
    }

    @Test(arguments: [0, 1, 2]) func aRunIsPutInLineOrderStably(seed: Int) {
        let records = Self.records(count: 120, seed: UInt64(seed))
        for from in [0, 1, 57, 119, 120] {
            var table = RecordTable(records)
            table.sortByLine(from: from)
            let run = records[from...].enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
            #expect(table.records == Array(records[..<from]) + run, "from \(from)")
        }
    }

    @Test func aParticipantsRowsInOrder() {
        let records = Self.records(count: 150, seed: 9)
        let table = RecordTable(records)
        for key in ["P0", "P3", "P6"] {
            #expect(table.records(ofParticipant: key) == records.filter { $0.participant == key })
        }
        #expect(table.records(ofParticipant: "P99").isEmpty)
    }
}
