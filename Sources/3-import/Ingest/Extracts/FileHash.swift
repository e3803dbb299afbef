import Basics
import Crypto
import Foundation

/// The SHA-256 of a file, computed on a serial queue of its own while the file is parsed (the chunks
/// arrive in order), so hashing runs on the second core.
final class HashBox: @unchecked Sendable {
    private var hasher = SHA256()
    private let queue = DispatchQueue(label: "rct.ingest.file-hash")

    func update(_ data: Data) { queue.async { self.hasher.update(data: data) } }

    /// The hex digest, once every chunk handed over is hashed.
    func finalize() -> String {
        queue.sync { Fingerprint.hex(hasher.finalize()) }
    }
}
