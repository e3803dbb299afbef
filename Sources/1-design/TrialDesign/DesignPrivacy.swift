import Basics

/// A design file never holds a national number: it is kept in version control, registered before the
/// data are seen, published with the report and kept in the trial's store (its text, whose SHA-256 anchors
/// the assignment chain, so it cannot be masked there). A national number typed into a title, a label, a
/// note or a comment would reach every output and the store; so a design holding one is refused, naming the
/// line, before anything is read from it.
enum DesignPrivacy {
    /// One issue per line that holds something `NationalNumber.mask` would mask (either century's check
    /// digits, bare or printed as `85.07.30-033.28`); the number itself is never quoted.
    static func nationalNumberIssues(_ text: String) -> [DesignIssue] {
        // Cheap first: a national number needs eleven digits.
        guard text.utf8.lazy.filter({ $0 >= 48 && $0 <= 57 }).count >= 11 else { return [] }
        var issues: [DesignIssue] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            guard NationalNumber.occurs(in: line) else { continue }
            let masked = NationalNumber.mask(line)
            let column = masked.range(of: NationalNumber.maskText).map { masked.distance(from: masked.startIndex, to: $0.lowerBound) + 1 }
            issues.append(DesignIssue(path: "", line: index + 1, column: column, message:
                "this line holds a national number (\(NationalNumber.maskText)): a design is published, registered and kept in the "
                + "trial's store, so it must never hold one. Remove it (a title, label, note or comment needs no national number)"))
        }
        return issues
    }
}
