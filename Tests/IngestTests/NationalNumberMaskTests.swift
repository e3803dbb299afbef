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
}
