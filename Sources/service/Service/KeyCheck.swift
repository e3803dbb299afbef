import Basics
import Foundation
import TrialStore
import Workflow

/// The service's pseudonymisation key against the store's key in force (the first key kept, or the last
/// rotation's new key; `TrialStore.currentLinkKey`). A service left running with an old key after
/// `rct key rotate`, or started with a colleague's key, would enrol families under pseudonyms that no
/// later import links to; so the key is compared when the service starts (`TrialService.checkKey`) and
/// again inside the write lock of every enrolment (`Enrolment.enrol`), where a refusal writes nothing.
///
/// What is compared: on the SQLite store, both. The PostgreSQL store keeps no key fingerprint (it has no
/// `link_key` table and no rotation): nothing is compared there; the key is checked when the families are
/// pulled into the analyst's SQLite store and the extracts imported (`rct pull`, `rct import`).
public struct KeyRefusal: Error, CustomStringConvertible, Sendable {
    /// Where the service's key came from (`DesignFile.keySource`): a key file or an environment variable.
    public var keySource: String
    public var store: String
    /// The fingerprints of the service's key and of the key in force.
    public var given: String
    public var inForce: String
    /// The rotation that took the service's key out of force, when it was one of the store's keys.
    public var rotation: Int?
    public var rotatedOn: String?
    /// The environment variable the design names for the key, if any.
    public var environment: String?

    init?(_ error: StoreError, keySource: String?, environment: String?) {
        switch error {
        case let .wrongKey(path, kept, given):
            (store, self.given, inForce, rotation, rotatedOn) = (path, given, kept, nil, nil)
        case let .rotatedKey(path, given, rotation, day, inForce):
            (store, self.given, self.inForce, self.rotation, rotatedOn) = (path, given, inForce, rotation, day)
        default: return nil
        }
        self.keySource = keySource ?? "the design's key"
        self.environment = environment
    }

    /// Why the key is not the one in force.
    var cause: String {
        if let rotation, let rotatedOn { return "it was rotated out on \(rotatedOn) (key rotation \(rotation))" }
        return "it is not the key the store's families were pseudonymised with (a colleague's key, or another trial's)"
    }

    /// Where to put the key in force.
    var remedy: String {
        "put the key in force where the design's pseudonymisation.key_file points"
            + (environment.map { ", or its text in \($0)" } ?? "")
    }

    /// At start, on the server's standard error.
    public var description: String {
        "the pseudonymisation key of \(keySource) (fingerprint \(given.prefix(12))…) is not the key in force in \(store) "
            + "(fingerprint \(inForce.prefix(12))…): \(cause); families enrolled with it would link to no registry row. "
            + "Start the service with the key in force: \(remedy). The service did not start"
    }

    /// At an enrolment, on the server's standard error: the same with the key file named.
    var logLine: String {
        "rct serve: enrolment refused: the pseudonymisation key of \(keySource) (fingerprint \(given.prefix(12))…) is no longer the key "
            + "in force in \(store) (fingerprint \(inForce.prefix(12))…): \(cause). Nothing was written; restart the service with the "
            + "key in force (\(remedy))"
    }

    /// At an enrolment, to the enroller (JSON and web): no path of the server's files.
    var answer: String {
        "the service's pseudonymisation key (fingerprint \(given.prefix(12))…) is not the key in force in the trial's store "
            + "(fingerprint \(inForce.prefix(12))…): \(cause). Nothing was written: a family enrolled now would link to no "
            + "registry row. A manager must restart rct serve with the key in force; then enrol the family again"
    }
}

extension TrialService {
    /// Compares the design's key with the SQLite store's key in force, when the store keeps one and the
    /// design pseudonymises national numbers; throws `KeyRefusal`, or `Pseudonymizer.KeyError` when the
    /// key cannot be read. The PostgreSQL store keeps no key fingerprint: nothing is compared.
    public func checkKey() throws {
        guard let sqlite = store as? TrialStore, file.design.pseudonymisation != nil,
              try sqlite.currentLinkKey() != nil else { return }
        let key = try file.pseudonymizer()
        do { try sqlite.checkLinkKey(key.keyFingerprint) } catch let error as StoreError {
            throw KeyRefusal(error, keySource: file.keySource, environment: file.design.pseudonymisation?.keyEnvironment) ?? error
        }
    }

    /// The refusal of an enrolment whose key is not the one in force, from the store's error.
    func keyRefusal(_ error: StoreError) -> KeyRefusal? {
        KeyRefusal(error, keySource: file.keySource, environment: file.design.pseudonymisation?.keyEnvironment)
    }
}
