import TrialDesign

/// A scale scored as validated instruments are: items reversed where the protocol says (x becomes
/// low + high − x on the scale's range), answers outside the range not valid, and the score — the mean or
/// the sum of the valid items — only when at least `min_valid` items are valid (default: all); otherwise
/// the scale is missing (`too_few_items`), never imputed.
enum SurveyScale {
    struct Scored {
        /// Per unit: the score, nil when too few items were valid.
        var scores: [Double?]
        /// Per unit: how many items were valid.
        var valid: [Int]
        /// How many valid items a score needs.
        var needed: Int
    }

    /// `values[i][k]`: unit i's answer to item k (nil when not answered).
    static func score(values: [[Double?]], items: [String], scale: ScaleScoring) -> Scored {
        let needed = scale.minValid ?? items.count
        let reversed = items.map { scale.reverse.contains($0) }
        var scores: [Double?] = [], valid: [Int] = []
        scores.reserveCapacity(values.count)
        for row in values {
            var total = 0.0, n = 0
            for (k, answer) in row.enumerated() {
                guard var x = answer else { continue }
                if let range = scale.range {
                    guard range.contains(x) else { continue }
                    if reversed[k] { x = range.lowerBound + range.upperBound - x }
                }
                total += x
                n += 1
            }
            valid.append(n)
            guard n >= needed, n > 0 else { scores.append(nil); continue }
            scores.append(scale.score == .sum ? total : total / Double(n))
        }
        return Scored(scores: scores, valid: valid, needed: needed)
    }
}
