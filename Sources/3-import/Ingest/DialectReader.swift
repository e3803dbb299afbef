import Foundation
import Tabular
import TrialDesign

extension Dialect {
    /// The text encoding of the dialect as the readers take it.
    public var characterEncoding: CharacterEncoding { encoding == .windows1252 ? .windows1252 : .utf8 }

    /// A streaming reader of a delimited file in this dialect: its separator (the loader has already
    /// turned `tab` into a tab character), quote and encoding. `observer` sees every chunk read.
    public func delimitedReader(path: String, observer: ((Data) -> Void)? = nil) throws -> DelimitedRecordReader {
        try DelimitedRecordReader(path: path, separator: separator.first ?? ",", quote: quote.first ?? "\"",
                                  encoding: characterEncoding, observer: observer)
    }
}
