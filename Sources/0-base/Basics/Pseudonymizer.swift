import Crypto
import Foundation

/// Replaces identifiers by keyed pseudonyms: `HMAC-SHA-256(key, "rct-pseudonym-v1:" + identifier)`,
/// written as the first 32 hexadecimal characters (128 bits) prefixed with `P`. The same key gives the
/// same pseudonym in every source, so sources link; without the key a pseudonym cannot be reversed or
/// recomputed from a guessed number. The key is read from a file or an environment variable named in
/// the design and is never stored in the trial store or any output.
///
/// A real national number is normalised to its eleven digits before hashing, so `93.05.18-223.61` and
/// `93051822361` give the same pseudonym.
public struct Pseudonymizer: Sendable {
    private let keyBytes: [UInt8]
    /// A short, non-secret fingerprint of the key (first 8 hex characters of SHA-256 of the key), stored
    /// with imports so that a store can tell when data were pseudonymised with a different key.
    public let keyFingerprint: String
    /// After a key rotation (`rct key rotate`): this key's pseudonym of each family the store held then →
    /// the family's canonical link key (its pseudonym under the trial's first key, which the store keeps).
    /// Empty for a key that was never rotated in.
    public private(set) var aliases: [String: String] = [:]

    public enum KeyError: Error, CustomStringConvertible {
        case tooShort(Int)
        case missingEnvironment(String)
        case unreadableFile(String)

        public var description: String {
            switch self {
            case let .tooShort(n):
                return "the pseudonymisation key has \(n) bytes; use at least 16 (e.g. `head -c 32 /dev/urandom | base64 > key`)"
            case let .missingEnvironment(name):
                return "the environment variable \(name) that should hold the pseudonymisation key is not set"
            case let .unreadableFile(path):
                return "cannot read the pseudonymisation key file \(path)"
            }
        }
    }

    public init(key: [UInt8]) throws {
        guard key.count >= 16 else { throw KeyError.tooShort(key.count) }
        keyBytes = key
        keyFingerprint = String(Fingerprint.sha256(key).prefix(8))
    }

    /// Reads the key from a file (trailing whitespace and newlines are ignored).
    public init(keyFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw KeyError.unreadableFile(path) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try self.init(key: Array(text.utf8))
    }

    /// Reads the key from an environment variable.
    public init(environmentVariable name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let value = environment[name], !value.isEmpty else { throw KeyError.missingEnvironment(name) }
        try self.init(key: Array(value.utf8))
    }

    /// The same key, whose pseudonyms of the families in `aliases` are their canonical link keys: what a
    /// store whose key was rotated links on. Any other number gets its pseudonym under this key.
    public func translating(_ aliases: [String: String]) -> Pseudonymizer {
        var copy = self
        copy.aliases = aliases
        return copy
    }

    /// The pseudonym under this key alone, never translated: what a key rotation maps from.
    public func plainPseudonym(for number: NationalNumber) -> String { hmac(number.digits) }

    /// The pseudonym of a validated national number.
    public func pseudonym(for number: NationalNumber) -> String { pseudonym(ofNormalized: number.digits) }

    /// The pseudonym of any other identifier (trimmed of surrounding whitespace).
    public func pseudonym(forIdentifier identifier: String) -> String {
        pseudonym(ofNormalized: identifier.trimmingCharacters(in: .whitespaces))
    }

    private func pseudonym(ofNormalized text: String) -> String {
        let own = hmac(text)
        return aliases.isEmpty ? own : aliases[own] ?? own
    }

    private func hmac(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(("rct-pseudonym-v1:" + text).utf8), using: SymmetricKey(data: keyBytes))
        // Hexadecimal by table rather than String(format:), which dominated the cost of large imports.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = [UInt8(ascii: "P")]
        hex.reserveCapacity(33)
        for byte in mac.prefix(16) { hex.append(digits[Int(byte >> 4)]); hex.append(digits[Int(byte & 0x0F)]) }
        return String(decoding: hex, as: UTF8.self)
    }
}
