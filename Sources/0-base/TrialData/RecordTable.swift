import Basics

/// Registry records held column by column: what the panel reads from a large store.
///
/// A `RegistryRecord` takes 72 bytes plus its strings; millions of them were most of `rct panel`'s memory.
/// Here a record is a row of small columns (about 30 bytes): its source, participant and field maps are
/// indices into tables of the distinct values (an extract repeats its source on every row, a person's key
/// on every month, and its coded fields take few distinct values), its days are 32-bit day numbers.
///
/// `records` and `subscript` give the rows back as `RegistryRecord` values, equal to the ones appended.
public struct RecordTable: Sendable {
    /// The distinct source ids, in the order first met; `source[r]` indexes here.
    public private(set) var sourceIDs: [String] = []
    /// The distinct participant keys, in the order first met; `participant[r]` indexes here.
    public private(set) var participantKeys: [String] = []
    /// The field maps; `attributes[r]` and `numbers[r]` index here. Rows may share a map.
    public private(set) var attributeMaps: [FieldMap<String>] = []
    public private(set) var numberMaps: [FieldMap<Double>] = []

    public private(set) var source: [UInt16] = []
    public private(set) var participant: [Int32] = []
    public private(set) var line: [Int] = []
    /// Day numbers (`CalendarDate.dayNumber`: years 0–9999 fit in 32 bits).
    public private(set) var startDay: [Int32] = []
    /// Day numbers; `RecordTable.openEnd` for a record still open.
    public private(set) var endDay: [Int32] = []
    public private(set) var attributes: [Int32] = []
    public private(set) var numbers: [Int32] = []

    /// `endDay` of a record without an end (no date has this day number).
    public static let openEnd = Int32.min

    private var sourceIndex: [String: UInt16] = [:]
    private var participantIndex: [String: Int32] = [:]

    public init() {}

    /// The records as a table; rows with the same field-map storage in a run share one map.
    public init(_ records: [RegistryRecord]) {
        reserveCapacity(records.count)
        var lastAttributes: (UnsafeRawPointer?, Int32) = (nil, -1), lastNumbers: (UnsafeRawPointer?, Int32) = (nil, -1)
        for r in records.indices {
            let a = records[r].attributes.storageIdentity, n = records[r].numbers.storageIdentity
            if a == nil || a != lastAttributes.0 { lastAttributes = (a, add(attributes: records[r].attributes)) }
            if n == nil || n != lastNumbers.0 { lastNumbers = (n, add(numbers: records[r].numbers)) }
            append(source: index(ofSource: records[r].source), participant: index(ofParticipant: records[r].participant),
                   line: records[r].line, startDay: records[r].startDay, endDay: records[r].endDay,
                   attributes: lastAttributes.1, numbers: lastNumbers.1)
        }
    }

    public var count: Int { line.count }
    public var isEmpty: Bool { line.isEmpty }

    public mutating func reserveCapacity(_ n: Int) {
        source.reserveCapacity(n)
        participant.reserveCapacity(n)
        line.reserveCapacity(n)
        startDay.reserveCapacity(n)
        endDay.reserveCapacity(n)
        attributes.reserveCapacity(n)
        numbers.reserveCapacity(n)
    }

    /// The index of source `id`, added when new.
    public mutating func index(ofSource id: String) -> UInt16 {
        Self.intern(id, in: &sourceIDs, index: &sourceIndex)
    }

    /// The index of participant `key`, added when new.
    public mutating func index(ofParticipant key: String) -> Int32 {
        Self.intern(key, in: &participantKeys, index: &participantIndex)
    }

    /// The index of `value` among `values` (found through `index`), appended when new.
    private static func intern<I: FixedWidthInteger>(_ value: String, in values: inout [String], index: inout [String: I]) -> I {
        if let i = index[value] { return i }
        precondition(values.count < Int(I.max), "RecordTable: more than \(I.max) distinct values")
        values.append(value)
        index[value] = I(values.count - 1)
        return I(values.count - 1)
    }

    /// Adds a field map and returns its index (maps are not compared: the caller shares them).
    public mutating func add(attributes map: FieldMap<String>) -> Int32 {
        attributeMaps.append(map)
        return Int32(attributeMaps.count - 1)
    }

    public mutating func add(numbers map: FieldMap<Double>) -> Int32 {
        numberMaps.append(map)
        return Int32(numberMaps.count - 1)
    }

    /// Appends a row whose source, participant and maps are indices returned by this table.
    public mutating func append(source s: UInt16, participant p: Int32, line l: Int, startDay start: Int, endDay end: Int?,
                                attributes a: Int32, numbers n: Int32) {
        source.append(s)
        participant.append(p)
        line.append(l)
        startDay.append(Int32(start))
        endDay.append(end.map { Int32($0) } ?? Self.openEnd)
        attributes.append(a)
        numbers.append(n)
    }

    /// Row r's end day, nil when open.
    @inline(__always) public func end(_ r: Int) -> Int? { endDay[r] == Self.openEnd ? nil : Int(endDay[r]) }

    /// Row r's coded fields and numeric fields.
    @inline(__always) public func attributes(_ r: Int) -> FieldMap<String> { attributeMaps[Int(attributes[r])] }
    @inline(__always) public func numbers(_ r: Int) -> FieldMap<Double> { numberMaps[Int(numbers[r])] }

    /// Row r as a record.
    public subscript(r: Int) -> RegistryRecord {
        RegistryRecord(source: sourceIDs[Int(source[r])], participant: participantKeys[Int(participant[r])], line: line[r],
                       startDay: Int(startDay[r]), endDay: end(r), attributes: attributes(r), numbers: numbers(r))
    }

    /// Every row as a record, in order.
    public var records: [RegistryRecord] { (0..<count).map { self[$0] } }

    /// The rows of participant `key`, as records in order.
    public func records(ofParticipant key: String) -> [RegistryRecord] {
        guard let p = participantIndex[key] else { return [] }
        return participant.indices.filter { participant[$0] == p }.map { self[$0] }
    }

    /// Removes the rows of the sources for which `remove(sourceID)` is true, keeping the others in order,
    /// in place. The tables of distinct values are kept as they are.
    public mutating func removeRows(ofSources remove: (String) -> Bool) {
        let removing = sourceIDs.map(remove)
        guard removing.contains(true) else { return }
        var kept = 0
        for r in 0..<count where !removing[Int(source[r])] {
            if kept != r {
                source[kept] = source[r]
                participant[kept] = participant[r]
                line[kept] = line[r]
                startDay[kept] = startDay[r]
                endDay[kept] = endDay[r]
                attributes[kept] = attributes[r]
                numbers[kept] = numbers[r]
            }
            kept += 1
        }
        let removed = count - kept
        guard removed > 0 else { return }
        source.removeLast(removed)
        participant.removeLast(removed)
        line.removeLast(removed)
        startDay.removeLast(removed)
        endDay.removeLast(removed)
        attributes.removeLast(removed)
        numbers.removeLast(removed)
    }

    /// Puts rows `from..<count` in order of line (stable: equal lines keep their order), in place.
    public mutating func sortByLine(from start: Int) {
        let order = (start..<count).sorted { (line[$0], $0) < (line[$1], $1) }
        func permute<T>(_ column: inout [T]) {
            let moved = order.map { column[$0] }
            column.replaceSubrange(start..., with: moved)
        }
        permute(&source)
        permute(&participant)
        permute(&line)
        permute(&startDay)
        permute(&endDay)
        permute(&attributes)
        permute(&numbers)
    }
}
