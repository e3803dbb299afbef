import ArgumentParser

/// The `rct` command. Each subcommand lives in its own file. Asynchronous at the root, so that the
/// commands that talk to PostgreSQL or serve HTTP (`serve`, `users`, `pull`, `verify`/`balance` with
/// `--database`) can be; the others stay synchronous.
@main
struct RCT: AsyncParsableCommand {
    static let version = "0.1.0"
    /// The program and its version, as the report's provenance and the run manifest name it.
    static var program: String { "rct \(version)" }

    static let configuration = CommandConfiguration(
        commandName: "rct",
        abstract: "Randomised controlled trials of social policy: design, assignment, import, panel, estimation, report.",
        version: version,
        subcommands: [
            // The design and its data.
            Validate.self,
            Simulate.self,
            Inspect.self,
            // Assignment and the trial store.
            Init.self,
            Assign.self,
            Enrol.self,
            ImportAssignment.self,
            Verify.self,
            Amend.self,
            Key.self,
            BalanceCommand.self,
            // The central randomisation service.
            Users.self,
            Serve.self,
            Pull.self,
            // Import and the follow-up panel.
            Import.self,
            PanelCommand.self,
            Explain.self,
            // Estimation and inference.
            Estimate.self,
            RandomizationInferenceCommand.self,
            Adjust.self,
            AttritionCommand.self,
            BoundsCommand.self,
            SubgroupsCommand.self,
            DoseResponseCommand.self,
            PowerCommand.self,
            MDECommand.self,
            // The report, and the whole pipeline in one command.
            Report.self,
            Run.self,
            DisclosureCheckCommand.self,
        ]
    )
}
