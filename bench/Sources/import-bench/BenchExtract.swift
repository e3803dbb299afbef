import Basics
import Foundation
import NumericCore
import Simulation

/// Large synthetic extracts for the import benchmark (`import-bench generate`, bench/ingest/).
enum BenchExtract {
    /// A VDAB month-status extract: `insz;maand;categorie;trajectstatus;uitkering`, semicolon, decimal
    /// comma with `.` thousands, months `YYYYMM`, synthetic national numbers (sequence 000 or 999, see
    /// `SyntheticINSZ`). People are a pool of up to 100,000 numbers, each with a run of consecutive
    /// months, so (person, month) pairs never repeat. Written in 1 MiB chunks: memory stays flat.
    static func writeVDAB(rows: Int, seed: UInt64, path: String) throws {
        let rng = RandomGenerator(seed: seed)
        let people = max(1, min(100_000, rows / 12))
        var numbers: [String] = []
        numbers.reserveCapacity(people)
        var day = CalendarDate(year: 1950, month: 1, day: 1)!
        var variant = 0
        while numbers.count < people {
            numbers.append(SyntheticINSZ.make(birth: day, sequence: variant % 2 == 0 ? 0 : 999, bisOffset: [0, 20, 40][variant / 2]))
            variant += 1
            if variant == 6 { variant = 0; day = day.adding(days: 1) }
        }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var buffer = "insz;maand;categorie;trajectstatus;uitkering\n"
        let categories = ["00", "00", "00", "02", "04", "05", "80", "82", "30", "10"]
        let placements = ["geen", "geen", "geen", "geen", "opleiding", "traject", "bemiddeling", "niet toeleidbaar"]
        let monthsPerPerson = (rows + people - 1) / people
        var written = 0
        for p in 0..<people where written < rows {
            for m in 0..<monthsPerPerson where written < rows {
                let total = 2000 * 12 + m
                let month = "\(total / 12)\(pad(total % 12 + 1, 2))"
                let cents = 30_000 + rng.integer(below: 150_000)
                let euros = cents / 100
                let amount = (euros >= 1000 ? "\(euros / 1000).\(pad(euros % 1000, 3))" : "\(euros)") + "," + pad(cents % 100, 2)
                buffer += "\(numbers[p]);\(month);\(categories[rng.integer(below: categories.count)]);\(placements[rng.integer(below: placements.count)]);\(amount)\n"
                written += 1
                if buffer.utf8.count > 1 << 20 { handle.write(Data(buffer.utf8)); buffer = "" }
            }
        }
        handle.write(Data(buffer.utf8))
    }

    /// `v` in decimal, with leading zeros to `width` digits.
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
