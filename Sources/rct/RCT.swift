import ArgumentParser

/// The `rct` command. Each subcommand lives in its own file.
@main
struct RCT: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "rct",
        abstract: "Randomised controlled trials of social policy: design, assignment, import, panel, estimation, report.",
        version: version,
        subcommands: [
            Validate.self,
            Estimate.self,
            Init.self,
            Assign.self,
            Enrol.self,
            Verify.self,
            ImportAssignment.self,
            BalanceCommand.self,
            RandomizationInferenceCommand.self,
            Adjust.self,
            PowerCommand.self,
            MDECommand.self,
            Inspect.self,
            Simulate.self,
            ImportBench.self,
            AttritionCommand.self,
            SubgroupsCommand.self,
            BoundsCommand.self,
            DoseResponseCommand.self,
            PanelCommand.self,
            Report.self,
            Run.self,
            Import.self,
        ]
    )
}
