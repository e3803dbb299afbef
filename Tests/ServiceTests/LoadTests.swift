import Foundation
import TestSupport
import Testing

/// The service under load on loopback: 5 sites × 40 families enrolled by 20 concurrent clients. Checks
/// what must hold whatever the timing (exactly 200 allocations, no family twice, the block balance per
/// stratum, a chain that verifies) and reports throughput and latency as a benchmark (no assertion on
/// time): docs/performance.md quotes the figures, also written to .build/artifacts/load-test-BACKEND.json.
@Suite(.serialized) struct LoadTests {
    actor Queue {
        var items: [(site: Int, family: String)]
        var latencies: [Double] = []
        var statuses: [Int: Int] = [:]
        init(_ items: [(Int, String)]) { self.items = items }
        func next() -> (site: Int, family: String)? { items.isEmpty ? nil : items.removeFirst() }
        func record(_ status: Int, _ seconds: Double) {
            statuses[status, default: 0] += 1
            latencies.append(seconds)
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    }

    @Test("5 sites × 40 families by 20 concurrent clients: 200 allocations, each family once, balanced blocks, a chain that verifies",
          arguments: ServedTrial.Backend.available)
    func fiveSitesAtOnce(_ backend: ServedTrial.Backend) async throws {
        let folder = try Fixtures.temporaryDirectory("load")
        let design = folder.appendingPathComponent("load-5-sites.yaml").path
        try FileManager.default.copyItem(atPath: Fixtures.path("fixtures/service/load-5-sites.yaml"), toPath: design)
        let database = backend == .postgresql ? ["--database", try await PostgresTestDatabase.fresh("load")] : []
        var tokens: [String: String] = [:]
        for (name, role, site) in (1...5).map({ ("enroller\($0)", "enroller", "site\($0)") }) + [("stat", "statistician", ""), ("audit", "auditor", "")] {
            let add = try RCTBinary.run(["users", "add", name, "--role", role] + (site.isEmpty ? [] : ["--site", site]) + ["--design", design] + database)
            #expect(add.status == 0, "\(add.stderr)")
            tokens[name] = try RCTBinary.run(["users", "token", name, "--design", design] + database).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try ServerProcess([design] + database)
        defer { server.stop() }
        let enrollerTokens = tokens
        // The families interleaved across sites, as they would arrive.
        let queue = Queue((1...40).flatMap { k in (1...5).map { s in (s, String(format: "S%d-F%03d", s, k)) } })
        let deadline = Date().addingTimeInterval(600)
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    while Date() < deadline, let item = await queue.next() {
                        let body = TestHTTP.json(["family_id": item.family, "site": "site\(item.site)", "fields": ["consent": "yes"]])
                        let began = Date()
                        let answer = try await TestHTTP.send("POST", server.baseURL + "/api/v1/enrolments",
                                                             headers: ["Authorization": "Bearer \(enrollerTokens["enroller\(item.site)"]!)",
                                                                       "Content-Type": "application/json"], body: body)
                        await queue.record(answer.status, Date().timeIntervalSince(began))
                    }
                }
            }
            try await group.waitForAll()
        }
        let wall = Date().timeIntervalSince(start)
        let statuses = await queue.statuses
        #expect(statuses == [201: 200], "\(statuses)")

        let export = try await TestHTTP.send("GET", server.baseURL + "/api/v1/assignments", headers: ["Authorization": "Bearer \(tokens["stat"]!)"])
        let records = export.json["records"] as? [[String: Any]] ?? []
        #expect(records.count == 200)
        #expect(Set(records.compactMap { $0["unit_id"] as? String }).count == 200)
        #expect(records.compactMap { $0["seq"] as? Int } == Array(1...200))
        for (stratum, inStratum) in Dictionary(grouping: records, by: { $0["stratum"] as? String ?? "" }) {
            let control = inStratum.filter { $0["arm"] as? String == "control" }.count
            #expect(inStratum.count == 40, "stratum \(stratum)")
            #expect(abs(control - (inStratum.count - control)) <= 2, "stratum \(stratum): \(control) control of \(inStratum.count)")
            for (_, block) in Dictionary(grouping: inStratum, by: { $0["block"] as? String ?? "" }) {
                let size = block.first?["block_size"] as? Int ?? 0
                #expect(block.count <= size)
                if block.count == size { #expect(block.filter { $0["arm"] as? String == "control" }.count == size / 2) }
            }
        }
        let verify = try await TestHTTP.send("GET", server.baseURL + "/api/v1/verify", headers: ["Authorization": "Bearer \(tokens["audit"]!)"])
        #expect(verify.json["intact"] as? Bool == true, "\(verify.body)")
        server.stop()
        let cli = try RCTBinary.run(["verify", design] + database)
        #expect(cli.status == 0 && cli.stdout.contains("200 assignment records, the chain is intact"), "\(cli.stdout)\(cli.stderr)")

        let sorted = (await queue.latencies).sorted()
        let figures: [String: Any] = [
            "backend": backend.rawValue, "allocations": records.count, "clients": 20, "seconds": wall,
            "throughput_per_second": Double(sorted.count) / wall,
            "p50_ms": Self.percentile(sorted, 0.50) * 1000, "p99_ms": Self.percentile(sorted, 0.99) * 1000,
            "max_ms": (sorted.last ?? .nan) * 1000,
        ]
        let line = String(format: "load test (%@): %d allocations by 20 clients in %.1f s, %.1f per second, p50 %.0f ms, p99 %.0f ms",
                          backend.rawValue, records.count, wall, Double(sorted.count) / wall,
                          Self.percentile(sorted, 0.5) * 1000, Self.percentile(sorted, 0.99) * 1000)
        print(line)
        let artifacts = Fixtures.repositoryRoot.appendingPathComponent(".build/artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
            .write(to: artifacts.appendingPathComponent("load-test-\(backend.rawValue).json"))
    }

    /// Two server processes on one PostgreSQL database (item 1 of the issue): the row lock on the trial
    /// serialises enrolments across processes, not only within one.
    @Test("two rct serve processes on one PostgreSQL database: each family once, numbers without a gap, balanced blocks, a chain that verifies",
          .enabled(if: PostgresTestDatabase.isAvailable))
    func twoProcessesOneDatabase() async throws {
        let folder = try Fixtures.temporaryDirectory("load-two")
        let design = folder.appendingPathComponent("load-5-sites.yaml").path
        try FileManager.default.copyItem(atPath: Fixtures.path("fixtures/service/load-5-sites.yaml"), toPath: design)
        let database = ["--database", try await PostgresTestDatabase.fresh("two")]
        var tokens: [String: String] = [:]
        for (name, role, site) in (1...5).map({ ("enroller\($0)", "enroller", "site\($0)") }) + [("stat", "statistician", ""), ("audit", "auditor", "")] {
            let add = try RCTBinary.run(["users", "add", name, "--role", role] + (site.isEmpty ? [] : ["--site", site]) + ["--design", design] + database)
            #expect(add.status == 0, "\(add.stderr)")
            tokens[name] = try RCTBinary.run(["users", "token", name, "--design", design] + database).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let first = try ServerProcess([design] + database)
        defer { first.stop() }
        let second = try ServerProcess([design] + database)
        defer { second.stop() }
        let servers = [first.baseURL, second.baseURL]
        let enrollerTokens = tokens
        let queue = Queue((1...8).flatMap { k in (1...5).map { s in (s, String(format: "S%d-T%03d", s, k)) } })
        let deadline = Date().addingTimeInterval(300)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<10 {
                group.addTask {
                    while Date() < deadline, let item = await queue.next() {
                        let body = TestHTTP.json(["family_id": item.family, "site": "site\(item.site)", "fields": ["consent": "yes"]])
                        let began = Date()
                        let answer = try await TestHTTP.send("POST", servers[client % 2] + "/api/v1/enrolments",
                                                             headers: ["Authorization": "Bearer \(enrollerTokens["enroller\(item.site)"]!)",
                                                                       "Content-Type": "application/json"], body: body)
                        await queue.record(answer.status, Date().timeIntervalSince(began))
                    }
                }
            }
            try await group.waitForAll()
        }
        let statuses = await queue.statuses
        #expect(statuses == [201: 40], "\(statuses)")
        // Either process answers with the whole record.
        for server in servers {
            let export = try await TestHTTP.send("GET", server + "/api/v1/assignments", headers: ["Authorization": "Bearer \(tokens["stat"]!)"])
            let records = export.json["records"] as? [[String: Any]] ?? []
            #expect(Set(records.compactMap { $0["unit_id"] as? String }).count == 40)
            #expect(records.compactMap { $0["seq"] as? Int } == Array(1...40))
            for (_, block) in Dictionary(grouping: records, by: { "\($0["stratum"] as? String ?? "")/\($0["block"] as? String ?? "")" }) {
                let size = block.first?["block_size"] as? Int ?? 0
                #expect(block.count <= size)
                if block.count == size { #expect(block.filter { $0["arm"] as? String == "control" }.count == size / 2) }
            }
            let verify = try await TestHTTP.send("GET", server + "/api/v1/verify", headers: ["Authorization": "Bearer \(tokens["audit"]!)"])
            #expect(verify.json["intact"] as? Bool == true, "\(verify.body)")
        }
        first.stop()
        second.stop()
        let cli = try RCTBinary.run(["verify", design] + database)
        #expect(cli.status == 0 && cli.stdout.contains("40 assignment records, the chain is intact"), "\(cli.stdout)\(cli.stderr)")
    }
}
