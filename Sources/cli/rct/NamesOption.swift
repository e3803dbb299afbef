import ArgumentParser
import Reporting

extension CSVNames: ExpressibleByArgument {}

/// `--names rct | broom`: the column names of `effects.csv` (`rct report`, `rct run`).
struct NamesOption: ParsableArguments {
    @Option(help: ArgumentHelp("The column names of effects.csv: rct (std_error, p_value, conf_low, n_obs, …) or broom "
        + "(R's broom / estimatr: std.error, p.value, conf.low, nobs, …).", valueName: "rct|broom"))
    var names: CSVNames = .rct
}
