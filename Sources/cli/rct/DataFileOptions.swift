import ArgumentParser
import Foundation
import Tabular
import Workflow

/// How the analysis commands read `--data`: its separator, decimal commas, and the rows to keep
/// (`--where wave=m6`). Shared by `rct estimate`, `ri`, `subgroups`, `attrition`, `bounds` and
/// `dose-response`.
struct DataFileOptions: ParsableArguments {
    @Option(help: "The separator of --data: , ; | or tab.")
    var separator: String = ","

    @Flag(name: .customLong("decimal-comma"), help: "Numbers in --data are written with a decimal comma (1234,5); needs --separator \";\" or another that is not a comma.")
    var decimalComma = false

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep only the rows where COLUMN has VALUE, e.g. --where wave=m6 on the panel's files; repeat for several columns.", valueName: "COLUMN=VALUE"))
    var filters: [String] = []

    func validate() throws {
        _ = try options()
    }

    /// The reading options, or a usage error naming the option.
    func options() throws -> AnalysisTable.Options {
        let sep: Character
        switch separator {
        case ",": sep = ","
        case ";": sep = ";"
        case "|": sep = "|"
        case "tab", "\\t", "\t": sep = "\t"
        default: throw ValidationError("--separator \"\(separator)\" is not one of , ; | tab")
        }
        let parsed = try filters.map { text -> AnalysisTable.RowFilter in
            guard let f = AnalysisTable.RowFilter(parsing: text) else {
                throw ValidationError("--where \"\(text)\": write COLUMN=VALUE, e.g. --where wave=m6")
            }
            return f
        }
        return AnalysisTable.Options(separator: sep, decimalComma: decimalComma, filters: parsed)
    }

    /// Reads `path` with these options; errors go to standard error naming the file, exit status 1.
    func read(_ path: String, command: String) throws -> Table {
        do {
            return try AnalysisTable.read(path: path, options: try options())
        } catch let error as AnalysisTableError {
            if case .missing = error { printError("rct \(command): error: \(error.description)") }
            else { printError("rct \(command): error: \(path): \(error.description)") }
        } catch let error as TableError {
            printError("rct \(command): error: \(path): \(error.description)")
        }
        throw ExitCode(1)
    }
}
