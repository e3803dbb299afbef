import ArgumentParser
import Assignment
import Basics
import Foundation
import Ingest
import TrialDesign
import TrialStore
import Service
import Workflow

/// Runs a command body, turning the errors of the steps into one clear message on standard error
/// (`error: …`, each naming the file, line or key and saying what to do) and exit status 1.
func reportingFailures(_ body: () throws -> Void) throws {
    do { try body() } catch let error as DesignError {
        printError(error.description)
        printError("\(error.file): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") found; the design is not valid")
        throw ExitCode(1)
    } catch let refusal as AssignmentListImport.Refusal {
        refusal.lines.forEach(printError)
        throw ExitCode(1)
    } catch {
        guard let text = stepErrorDescription(error) else { throw error }
        printError("error: \(text)")
        throw ExitCode(1)
    }
}

/// The same for an asynchronous command body.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do { try await body() } catch let error as DesignError {
        printError(error.description)
        printError("\(error.file): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s") found; the design is not valid")
        throw ExitCode(1)
    } catch {
        guard let text = stepErrorDescription(error) else { throw error }
        printError("error: \(text)")
        throw ExitCode(1)
    }
}

/// The wording of a typed error of the steps below the command line (its own `description`); nil for
/// anything else.
private func stepErrorDescription(_ error: Error) -> String? {
    switch error {
    case let e as WorkflowError: return e.description
    case let e as AssignmentError: return e.description
    case let e as StoreError: return e.description
    case let e as ImportStoreError: return e.description
    case let e as Pseudonymizer.KeyError: return e.description
    case let e as CohortFileError: return e.description
    case let e as AssignmentListError: return e.description
    case let e as TakeUpError: return e.description
    case let e as FingerprintError: return e.description
    case let e as ImportError: return e.description
    case let e as Accounts.AccountError: return e.description
    case let e as PullClient.Failure: return e.description
    case let e as KeyRefusal: return e.description
    case let e as AssignmentPull.Refusal: return e.description
    default: return nil
    }
}

/// Writes a line to standard error, every national number in it masked (`NationalNumber.mask`): an
/// error may quote a cell of a file.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((NationalNumber.mask(text) + "\n").utf8))
}

/// Standard output, for every command of this module: the same masking as `printError`, so that
/// nothing that validates as a national number is ever printed, whatever line carries it. (It shadows
/// the standard library's `print` inside the command line module; nothing else writes to standard output.)
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(NationalNumber.mask(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
