import Foundation
import Basics
import Testing

/// Examples from shared/domain.md (valid: 93051822361, 73011136173, 88022999990, bis 88222999936;
/// invalid: 72011136173).
@Suite struct NationalNumberTests {
    @Test(arguments: ["93051822361", "73011136173", "88022999990", "88222999936", "93.05.18-223.61"])
    func validNumbersAreAccepted(_ text: String) throws {
        _ = try NationalNumber(text)
    }

    @Test func centuryAndKindAreRecognised() throws {
        #expect(try NationalNumber("93051822361").century == .nineteenHundreds)
        #expect(try NationalNumber("88222999936").kind == .bis(sexKnown: false))
        // Born 2001-02-03, sequence 123: check = 97 − (2 001020312 3... mod 97) computed with the 2-prefix.
        let nine = Int("10203123")!
        let check = 97 - (2_000_000_000 + nine) % 97
        let text = "010203123" + (check < 10 ? "0" : "") + String(check)
        let n = try NationalNumber(text)
        #expect(n.century == .twoThousands)
    }

    @Test func invalidNumbersAreRejectedWithAReason() {
        #expect(throws: NationalNumber.ValidationError.checkDigitsMismatch) { try NationalNumber("72011136173") }
        #expect(throws: NationalNumber.ValidationError.wrongLength(10)) { try NationalNumber("7301113617") }
        #expect(throws: NationalNumber.ValidationError.notDigits) { try NationalNumber("7301113617x") }
        #expect(throws: NationalNumber.ValidationError.invalidMonth(13)) { try NationalNumber("73131136173") }
        #expect(!NationalNumber.isValid(""))
    }

    @Test func descriptionNeverShowsTheNumber() throws {
        let n = try NationalNumber("93051822361")
        #expect(!"\(n)".contains("93051822361"))
        #expect(!String(reflecting: n).contains("930518"))
    }

    @Test func remainderZeroGivesCheckDigits97NotZeroZero() throws {
        // A 1900s prefix (born 1993-05-18) whose nine digits are divisible by 97.
        let prefix = try #require((930_518_001..<930_518_999).first { $0 % 97 == 0 })
        #expect(NationalNumber.isValid(String(prefix) + "97"))
        #expect(!NationalNumber.isValid(String(prefix) + "00"))
    }
}

@Suite struct PseudonymizerTests {
    let key = Array("a-demo-key-of-sufficient-length".utf8)

    @Test func sameKeySameNumberSamePseudonymAcrossFormats() throws {
        let p = try Pseudonymizer(key: key)
        let a = p.pseudonym(for: try NationalNumber("93051822361"))
        let b = p.pseudonym(for: try NationalNumber("93.05.18-223.61"))
        #expect(a == b)
        #expect(a.count == 33 && a.hasPrefix("P"))
        #expect(!a.contains("93051822361"))
    }

    @Test func differentKeyOrNumberGivesDifferentPseudonym() throws {
        let p = try Pseudonymizer(key: key)
        let q = try Pseudonymizer(key: Array("another-key-of-sufficient-len".utf8))
        let n = try NationalNumber("93051822361")
        #expect(p.pseudonym(for: n) != q.pseudonym(for: n))
        #expect(p.pseudonym(for: n) != p.pseudonym(for: try NationalNumber("73011136173")))
        #expect(p.keyFingerprint != q.keyFingerprint)
        #expect(p.keyFingerprint.count == 8)
    }

    @Test func knownAnswerPinsTheScheme() throws {
        // HMAC-SHA-256(key "0123456789abcdef", "rct-pseudonym-v1:93051822361"), first 16 bytes in hex,
        // computed with Python's hmac module on 2026-11-23 (provenance; not called from this test).
        let p = try Pseudonymizer(key: Array("0123456789abcdef".utf8))
        #expect(p.pseudonym(for: try NationalNumber("93051822361")) == Self.knownAnswer)
    }
    static let knownAnswer = "P69637ecb0c120584edc3bbf32911502b"

    @Test func keysAreCheckedAndReadFromEnvironmentOrFile() throws {
        #expect(throws: Pseudonymizer.KeyError.self) { try Pseudonymizer(key: Array("short".utf8)) }
        #expect(throws: Pseudonymizer.KeyError.self) { try Pseudonymizer(environmentVariable: "RCT_NO_SUCH_VAR", environment: [:]) }
        let fromEnv = try Pseudonymizer(environmentVariable: "K", environment: ["K": "a-demo-key-of-sufficient-length"])
        #expect(fromEnv.keyFingerprint == (try Pseudonymizer(key: key)).keyFingerprint)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rct-key-\(UUID().uuidString)")
        try "a-demo-key-of-sufficient-length\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try Pseudonymizer(keyFile: url.path).keyFingerprint == fromEnv.keyFingerprint)
        #expect(throws: Pseudonymizer.KeyError.self) { try Pseudonymizer(keyFile: "/nonexistent/key") }
    }
}
