import AsyncHTTPClient
import Foundation
import TrialStore

/// The client side of `rct pull`: fetches the assignment record from a service (`GET /api/v1/assignments`
/// with a statistician's token).
public enum PullClient {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public static func fetch(from base: String, token: String) async throws -> AssignmentExport {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme ?? "") else {
            throw Failure(description: "--from \(base): write the service's address, e.g. https://rct.example.org")
        }
        if url.scheme == "http", !["127.0.0.1", "localhost", "::1"].contains(url.host ?? "") {
            FileHandle.standardError.write(Data("warning: \(base) is plain HTTP: the token and the record cross the network unencrypted\n".utf8))
        }
        var request = HTTPClientRequest(url: trimmed + "/api/v1/assignments")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(request, timeout: .seconds(120))
            let body = try await response.body.collect(upTo: 512 * 1024 * 1024)
            try await client.shutdown()
            let data = Data(buffer: body)
            switch response.status.code {
            case 200: break
            case 401: throw Failure(description: "\(base) refused the token (401): ask for a statistician's token (rct users token NAME)")
            case 403: throw Failure(description: "\(base): this token's user may not export the assignment record (403); a statistician may")
            default: throw Failure(description: "\(base) answered \(response.status.code)")
            }
            do { return try JSONDecoder().decode(AssignmentExport.self, from: data) } catch {
                throw Failure(description: "\(base) sent an assignment record that cannot be read: \(error)")
            }
        } catch let error as Failure {
            try? await client.shutdown()
            throw error
        } catch {
            try? await client.shutdown()
            throw Failure(description: "\(base) cannot be reached: \(error)")
        }
    }
}
