import ArgumentParser
import PanelExport

/// The formats `rct panel` and `rct run` write the panel in.
struct PanelFormatsOption: ParsableArguments {
    @Option(help: ArgumentHelp("The panel's formats, comma-separated: csv (panel_wide.csv, panel_long.csv), dta (panel.dta, Stata 14+), "
        + "sav (panel.sav, SPSS).", valueName: "csv,dta,sav"))
    var formats: String = "csv,dta,sav"

    func validate() throws { _ = try chosen() }

    /// The formats named, in the order csv, dta, sav.
    func chosen() throws -> [PanelFileFormat] {
        let names = formats.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var out: Set<PanelFileFormat> = []
        for n in names {
            guard let f = PanelFileFormat(rawValue: n) else {
                throw ValidationError("Please give --formats as a comma-separated list of csv, dta and sav (found \"\(n)\").")
            }
            out.insert(f)
        }
        guard !out.isEmpty else { throw ValidationError("Please give at least one of csv, dta and sav to --formats.") }
        return PanelFileFormat.allCases.filter(out.contains)
    }
}
