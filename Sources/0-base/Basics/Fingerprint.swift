import Crypto
import Foundation

/// SHA-256 fingerprints as lowercase hexadecimal text: of bytes in memory, and of a file read in chunks
/// (memory stays flat whatever the file's size). The one hex encoder of the project: the design's
/// fingerprint, every source file's, the hash chain's records and the pseudonymisation key's all come
/// from here.
public enum Fingerprint {
    /// `SHA256(bytes)` as 64 hexadecimal digits.
    public static func sha256(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The SHA-256 of a file, read 1 MiB at a time.
    ///
    /// - Throws: `FingerprintError.unreadable` naming the file when it cannot be opened or read.
    public static func sha256(file path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FingerprintError.unreadable(path: path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            throw FingerprintError.unreadable(path: path)
        }
        return hex(hasher.finalize())
    }

    /// Bytes as lowercase hexadecimal digits, two per byte.
    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public enum FingerprintError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path): return "\(path): cannot read the file to fingerprint it; check that it exists and can be read"
        }
    }
}
