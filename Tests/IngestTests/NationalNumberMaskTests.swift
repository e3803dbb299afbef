import Basics
import Testing

/// The one masking function for messages that may quote a cell (issue 20, item 4).
@Suite struct NationalNumberMaskTests {
    // Valid numbers: 85073003328 (born 1985), 04031545604 (born 2004: the check digits use 2 in front),
    // 88022999990 (sequence 999).
    @Test(arguments: ["85073003328", "85.07.30-033.28", "85 07 30 033 28", "04031545604", "88022999990"])
    func aValidNumberIsMaskedInAnyPrintedForm(_ n: String) {
        #expect(NationalNumber.mask("the columns are: \"\(n)\", \"201803\"") == "the columns are: \"[national number]\", \"201803\"")
        #expect(NationalNumber.mask(n) == "[national number]")
        #expect(NationalNumber.occurs(in: "x\(n)y"))
    }

    @Test func digitsThatAreNotANationalNumberStay() {
        // Check digits off by one; eleven digits inside a longer number; a ten-digit amount; a date.
        for text in ["85073003329", "1850730033281", "1234567890", "2019-03-07", "IBAN BE71 0961 2345 6769"] {
            #expect(NationalNumber.mask(text) == text, "\(text)")
        }
        #expect(NationalNumber.mask("a 85073003328 and 90010112395.") == "a [national number] and [national number].")
    }

    @Test func aHashThatHoldsElevenValidDigitsStaysWhole() {
        // A chain head users publish must print as it is, even where eleven of its digits pass the check.
        let head = "1deb5d74c6217636fa9ce274" + "85073003328" + "ab1cc8b486297d8b2a01b89b09da20c"
        #expect(NationalNumber.mask("chain head \(head)") == "chain head \(head)")
        // A short token is no hash: the number in it is masked.
        #expect(NationalNumber.mask("ref-ab85073003328") == "ref-ab[national number]")
    }

    @Test func theFractionOfADecimalNumberStays() {
        // An estimate written with eleven decimals is a value, not a national number.
        for text in ["0.85073003328", "estimate,-1.85073003328,0.5", "{\"p\": 0.90010112395}"] {
            #expect(NationalNumber.mask(text) == text, "\(text)")
        }
        #expect(NationalNumber.mask("note.85073003328") == "note.[national number]")
    }

    /// The scan runs over UTF-8 bytes: text around a number in any script is kept byte for byte, and a
    /// number next to a combining mark (which a character scan saw as part of a non-ASCII character) is
    /// still masked.
    @Test func textAroundANumberIsKeptInAnyScript() {
        #expect(NationalNumber.mask("Één gezin: 85073003328 — café") == "Één gezin: [national number] — café")
        #expect(NationalNumber.mask("nr 85073003328\u{301} ok") == "nr [national number]\u{301} ok")
        #expect(NationalNumber.mask("日本85.07.30-033.28日本") == "日本[national number]日本")
        let long = String(repeating: "äb 12,5 ", count: 2_000)
        #expect(NationalNumber.mask(long + "85073003328" + long) == long + "[national number]" + long)
        #expect(NationalNumber.mask(long + "0.85073003328") == long + "0.85073003328")
    }

    /// The byte pre-scan that spares large outputs (a panel file of pseudonyms) the character scan: false
    /// for pseudonyms, hashes, amounts and dates; never false where `mask` changes the text, over a seeded
    /// grid of texts assembled from numbers in every printed form, hex runs, separators and letters.
    @Test func thePreScanNeverMissesWhatMaskMasks() {
        let panel = (0..<200).map { i in
            "P\(String(repeating: "0123456789abcdef", count: 2).shuffledDeterministically(i)),m6,2019-03-\(10 + i % 18),1284.14,\(i)"
        }.joined(separator: "\n")
        #expect(!NationalNumber.mayHold("family,wave,date,amount\n1deb5d74c6217636fa9ce27485073003328ab1cc8b486297d8b2a01b89b09da20c"))
        #expect(NationalNumber.mask(panel) == panel)
        let pieces = ["85073003328", "85.07.30-033.28", "85 07 30 033 28", "04031545604", "90010112395", "85073003329",
                      "0123456789abcdef0123456789abcdef", "ab", "P", ",", ".", "-", " ", "x", "7", "12", "\n", "é"]
        var state: UInt64 = 20_190_301
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<3000 {
            let text = (0..<(1 + next(8))).map { _ in pieces[next(pieces.count)] }.joined()
            if NationalNumber.mask(text) != text { #expect(NationalNumber.mayHold(text), "\(text)") }
        }
    }
}

private extension String {
    /// The characters in an order fixed by `seed` (a pseudonym-like hex string without a generator).
    func shuffledDeterministically(_ seed: Int) -> String {
        var chars = Array(self)
        var s = UInt64(seed &+ 1)
        for i in stride(from: chars.count - 1, to: 0, by: -1) {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            chars.swapAt(i, Int((s >> 33) % UInt64(i + 1)))
        }
        return String(chars)
    }
}
