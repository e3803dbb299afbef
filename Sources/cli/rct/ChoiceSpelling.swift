import ArgumentParser
import Inference

/// One spelling of every choice, on the command line as in the design: words joined by `_`
/// (`sharpened_q`, `ipw_dim`). The older spellings with `-` are still read, with a note.
func underscoreChoice<T: RawRepresentable>(_ argument: String, as: T.Type) -> T? where T.RawValue == String {
    if let value = T(rawValue: argument) { return value }
    let underscored = argument.replacingOccurrences(of: "-", with: "_")
    guard underscored != argument, let value = T(rawValue: underscored) else { return nil }
    printError("note: \"\(argument)\" is now spelled \"\(underscored)\", as in the design file")
    return value
}

extension MultipleTesting.Method: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = underscoreChoice(argument, as: Self.self) else { return nil }
        self = value
    }
}

extension RandomizationStatistic: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = underscoreChoice(argument, as: Self.self) else { return nil }
        self = value
    }
}
