import Foundation

/// Two independent pieces of work run at once, on two threads (the machines this runs on have two
/// cores or more), for steps whose parts share nothing but their inputs: the panel's text files and its
/// statistical files.
public enum SideBySide {
    /// Runs `first` and `second` at the same time and returns both results; if either throws, the error
    /// of `first` (else of `second`) is thrown after both have ended.
    public static func run<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
        var a: Result<A, Error>?, b: Result<B, Error>?
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let slots = Slots(first: { a = Result(catching: first) }, second: { b = Result(catching: second) })
                DispatchQueue.concurrentPerform(iterations: 2) { i in i == 0 ? slots.first() : slots.second() }
            }
        }
        return (try a!.get(), try b!.get())
    }

    /// The two closures, each run by exactly one of the two iterations (each writes only its own result).
    private struct Slots: @unchecked Sendable {
        let first: () -> Void
        let second: () -> Void
    }
}
