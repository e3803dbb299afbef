/// The one place that hides what could be a national number in text meant for people (messages, excerpts,
/// reports of one family): every run of nine or more digits — dots, dashes, slashes and spaces between
/// them allowed, as in `93.05.18-223.61` — becomes `<masked>`. A national number has eleven digits, so
/// nine leaves a margin for numbers cut short.
public enum Masking {
    /// `text` with every run of nine or more digits replaced by `<masked>`.
    public static func maskDigitRuns(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard ("0"..."9").contains(scalars[i]) else { out.append(scalars[i]); i += 1; continue }
            // Extend over digits and separators; the run ends at its last digit.
            var j = i, digits = 0, lastDigit = i
            while j < scalars.count {
                let c = scalars[j]
                if ("0"..."9").contains(c) { digits += 1; lastDigit = j } else if !(c == "." || c == "-" || c == "/" || c == " ") { break }
                j += 1
            }
            if digits >= 9 {
                out.append(contentsOf: "<masked>".unicodeScalars)
            } else {
                out.append(contentsOf: scalars[i...lastDigit])
            }
            i = lastDigit + 1
        }
        return String(out)
    }

    /// Whether `text` holds a run of nine or more digits (separators as above).
    public static func hasDigitRun(_ text: String) -> Bool { maskDigitRuns(text) != text }
}
