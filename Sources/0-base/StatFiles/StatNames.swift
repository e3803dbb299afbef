/// Variable names each format accepts, made from any column names: the same name where it is already
/// valid, so that most columns keep their names.
///
/// Stata (release 118): letters, digits and `_`, not starting with a digit, at most 32 characters, not a
/// reserved word (`_all`, `byte`, `double`, `if`, `in`, `str1`, …); names differ by case. SPSS: letters,
/// digits, `_` and `.`, starting with a letter, at most 64 bytes, not a reserved word (`ALL`, `AND`, `BY`,
/// `TO`, …); names that differ only by case are the same variable.
///
/// The rule, in order: characters outside the allowed set become `_`; a name that starts with neither a
/// letter (nor, in Stata, `_`) gets a `v` in front; a reserved word gets a `_` behind it; a name too long
/// ends `_st` instead of `_status` when that suffices, and is otherwise cut; a name already taken (in SPSS:
/// ignoring case) is cut to leave room for `_2`, `_3`, … until it is free.
public enum StatNames {
    static let stataReserved: Set<String> = ["_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
                                             "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"]
    static let spssReserved: Set<String> = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"]

    /// The names, in order, each valid in `format` and all distinct.
    public static func valid(_ names: [String], for format: StatFileFormat) -> [String] {
        var taken = Set<String>()
        return names.map { name in
            var n = cleaned(name, format)
            var k = 2
            let key = { (s: String) in format == .spss ? s.uppercased() : s }
            while taken.contains(key(n)) {
                let suffix = "_\(k)"
                var stem = cleaned(name, format).prefix(maxLength(format) - suffix.count)
                while stem.count > 1 && stem.last == "_" { stem = stem.dropLast() }
                n = stem + suffix
                k += 1
            }
            taken.insert(key(n))
            return n
        }
    }

    static func maxLength(_ format: StatFileFormat) -> Int { format == .stata ? 32 : 64 }

    static func cleaned(_ name: String, _ format: StatFileFormat) -> String {
        let allowed: (Character) -> Bool = { c in
            c.isASCII && (c.isLetter || c.isNumber || c == "_" || (format == .spss && c == "."))
        }
        var n = String(name.map { allowed($0) ? $0 : "_" })
        if n.isEmpty { n = "v" }
        let first = n.first!
        if !(first.isLetter || (format == .stata && first == "_")) { n = "v" + n }
        if format == .stata && (stataReserved.contains(n) || isStataStrType(n)) { n += "_" }
        if format == .spss && spssReserved.contains(n.uppercased()) { n += "_" }
        if format == .spss && n.hasSuffix(".") { n += "_" }
        if n.count > maxLength(format) {
            if n.hasSuffix("_status"), n.count - 4 <= maxLength(format) { n = String(n.dropLast(4)) }
            else { n = String(n.prefix(maxLength(format))) }
        }
        return n
    }

    /// `str1` … `str2045`: Stata's string types, which are no names.
    static func isStataStrType(_ n: String) -> Bool {
        n.hasPrefix("str") && n.count > 3 && n.dropFirst(3).allSatisfy(\.isNumber)
    }
}
