import Basics
import TrialDesign

/// Synthetic national numbers that can never be a real person's: the sequence number is 000 or 999,
/// which the National Register never issues (men get odd numbers 001–997, women even 002–998), while
/// the check digits are valid (`97 − (YYMMDDSSS mod 97)`, with a `2` in front for births from 2000), so
/// the numbers pass every validator exactly as real ones do.
public enum SyntheticINSZ {
    /// The eleven digits for a birth date, sequence 0 or 999, and a bis offset of 0, 20 or 40 on the
    /// month.
    public static func make(birth: CalendarDate, sequence: Int, bisOffset: Int = 0) -> String {
        precondition(sequence == 0 || sequence == 999, "only the never-issued sequence numbers 000 and 999 are synthetic")
        let yy = birth.year % 100, mm = birth.month + bisOffset, dd = birth.day
        var base = ((yy * 100 + mm) * 100 + dd) * 1000 + sequence
        let nine = base
        if birth.year >= 2000 { base += 2_000_000_000 }
        let check = 97 - base % 97
        return pad(nine, 9) + pad(check, 2)
    }

    /// The same number with wrong check digits (for planting an invalid national number).
    public static func corrupt(_ digits: String) -> String {
        let check = Int(digits.suffix(2))!
        return String(digits.prefix(9)) + pad(check == 96 ? 1 : (check % 96) + 1, 2)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
