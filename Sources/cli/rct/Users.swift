import ArgumentParser
import Foundation
import Service
import TrialStore
import Workflow

/// `rct users add|password|token|disable|list`: the users of the central service (`rct serve`).
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the users of the randomisation service: enrollers (one site), managers, statisticians, auditors.",
        discussion: """
            Users live in the trial's store: the SQLite store beside the design, or the PostgreSQL database given \
            with --database. There is no default account: add the first manager here. Passwords are read from \
            standard input (--password-stdin) and kept as bcrypt hashes; API tokens are printed once and kept as \
            SHA-256 hashes. Every change is written to the audit log.
            """,
        subcommands: [Add.self, Password.self, Token.self, Disable.self, List.self])

    /// Where the users are: the design (required, for its sites and its store) and the database.
    struct Location: ParsableArguments {
        @Option(help: "The design file, e.g. designs/mission-kortrijk.yaml.") var design: String
        @Option(help: "The trial store (default: beside the design).") var store: String?
        @OptionGroup var database: DatabaseOption

        func open() async throws -> (DesignFile, any ServiceStore) {
            let file = try DesignFile.load(design)
            return (file, try await TrialDatabase.open(file, database: database.database, store: store))
        }

        /// Runs `body` on the opened store, closing it afterwards.
        func withStore<T>(_ body: (any ServiceStore) async throws -> T) async throws -> T {
            let (_, store) = try await open()
            defer { store.close() }
            return try await body(store)
        }

        /// The same, creating the trial's store first when it does not exist yet (the first user of a new trial).
        func openOrCreate() async throws -> (DesignFile, any ServiceStore) {
            let file = try DesignFile.load(design)
            return (file, try await TrialDatabase.openOrCreate(file, database: database.database, store: store) { print($0) })
        }
    }

    static var actor: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "admin") }

    static func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("--password-stdin: standard input holds no password (one line).")
        }
        return line
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a role (an enroller with the site they enrol for).")
        @Argument(help: "The user's name (letters, digits, . _ - @).") var name: String
        @Option(help: "enroller, manager, statistician or auditor.") var role: Role
        @Option(help: "The site an enroller enrols for (a site id of the design).") var site: String?
        @Flag(help: "Read the user's password (for the web page) from the first line of standard input.") var passwordStdin = false
        @OptionGroup var location: Location

        func run() async throws {
            try await reportingFailures {
                let password = passwordStdin ? try readPassword() : nil
                let (file, store) = try await location.openOrCreate()
                defer { store.close() }
                let user = try await Accounts.add(store, design: file.design, name: name, role: role, site: site, password: password, actor: actor)
                print("added \(user.name): \(user.role.rawValue)" + (user.site.map { " at \($0)" } ?? "")
                    + (password == nil ? " (no password: API tokens only; set one with `rct users password`)" : ""))
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (read from standard input).")
        @Argument(help: "The user's name.") var name: String
        @OptionGroup var location: Location

        func run() async throws {
            try await reportingFailures {
                let password = try readPassword()
                try await location.withStore { store in
                    try await Accounts.setPassword(store, name: name, password: password, actor: actor)
                    print("set the password of \(name)")
                }
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new API token for a user (shown once; keep it secret).")
        @Argument(help: "The user's name.") var name: String
        @OptionGroup var location: Location

        func run() async throws {
            try await reportingFailures {
                try await location.withStore { store in
                    print(try await Accounts.issueToken(store, name: name, actor: actor))
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: their tokens and sessions stop working at once.")
        @Argument(help: "The user's name.") var name: String
        @OptionGroup var location: Location

        func run() async throws {
            try await reportingFailures {
                try await location.withStore { store in
                    try await Accounts.disable(store, name: name, actor: actor)
                    print("disabled \(name)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users, their roles and sites.")
        @OptionGroup var location: Location

        func run() async throws {
            try await reportingFailures {
                try await location.withStore { store in
                    for u in try await store.users() {
                        print("\(u.name)\t\(u.role.rawValue)\t\(u.site ?? "-")\t\(u.disabled ? "disabled" : "enabled")")
                    }
                }
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
