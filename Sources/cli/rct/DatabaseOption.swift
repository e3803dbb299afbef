import ArgumentParser

/// `--database URL`: the trial's enrolment side in PostgreSQL (`postgres://USER@HOST:PORT/DB`; the
/// password from PGPASSWORD or the URL), or a SQLite file (the same as `--store`).
struct DatabaseOption: ParsableArguments {
    @Option(help: ArgumentHelp("The trial's database: postgres://USER@HOST:PORT/DB, or a SQLite file (default: the store beside the design).",
                               valueName: "URL"))
    var database: String?
}
