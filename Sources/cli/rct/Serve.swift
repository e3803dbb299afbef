import ArgumentParser
import Basics
import Foundation
import Service
import TrialStore
import Workflow

/// `rct serve DESIGN [--database URL] [--listen HOST:PORT]`: the central randomisation service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the trial's central randomisation: the web page and the JSON API (rolling designs).",
        discussion: """
            Enrollers enrol the families of their site from a web page or the JSON API (/openapi.json); the \
            allocation is drawn at once from the design's seed, as rct enrol does, and never listed in advance. \
            Without --database the trial's SQLite store beside the design is served (created if missing); with \
            --database postgres://USER@HOST:PORT/DB the enrolment side lives in PostgreSQL, shared by several \
            server processes. Add users first with rct users add. Serve behind a reverse proxy with TLS \
            (docs/service.md); the listening address is printed once bound (port 0 picks a free one).
            """)

    @OptionGroup var trial: TrialOptions
    @OptionGroup var database: DatabaseOption
    @Option(help: "The address to listen on, HOST:PORT.") var listen = "127.0.0.1:8080"
    @Flag(name: .customLong("insecure-cookies"),
          help: ArgumentHelp("Session cookies without Secure, for a browser on plain HTTP away from localhost (tests only).", visibility: .hidden))
    var insecureCookies = false

    func validate() throws {
        guard Self.address(listen) != nil else { throw ValidationError("--listen \(listen): write HOST:PORT, e.g. 127.0.0.1:8080.") }
    }

    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        try await reportingFailures {
            let file = try trial.loadDesign("serve")
            let store = try await TrialDatabase.openOrCreate(file, database: database.database, store: trial.store) { print($0) }
            defer { store.close() }
            let service = try TrialService(file: file, store: store, secureCookies: !insecureCookies)
            // Refuses a key other than the store's key in force (SQLite; PostgreSQL keeps no fingerprint).
            try service.checkKey()
            let (host, port) = Self.address(listen)!
            let users = try await store.users().filter { !$0.disabled }
            if users.isEmpty {
                printError("note: the service has no user yet; add one with `rct users add NAME --role manager --design \(file.path) --password-stdin`")
            }
            try await service.run(host: host, port: port) { address in
                // Written straight to the descriptor (no buffering), so that whoever started the server reads it at once.
                FileHandle.standardOutput.write(Data(NationalNumber.mask("rct serve: trial \(file.design.trial.id), database \(store.location); listening on http://\(address)\n").utf8))
            }
        }
    }
}
