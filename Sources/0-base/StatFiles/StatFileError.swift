/// Why an SPSS or Stata file cannot be read or written. Every case names the file and says what to do.
public enum StatFileError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case unreadable(path: String)
    /// The file's first bytes are not those of the format expected (`found` says what they look like).
    case notStatFile(path: String, expected: StatFileFormat, found: String)
    /// ReadStat could not parse the file: cut short, damaged, or a release it does not know.
    case parse(path: String, format: StatFileFormat, reason: String)
    /// ReadStat refused to write the file (a name, label or value the format cannot hold).
    case write(path: String, format: StatFileFormat, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path):
            return "\(path): the file does not exist or cannot be read"
        case let .notStatFile(path, expected, found):
            return "\(path): not an \(expected.name) file (\(found)); export the data again from \(expected.name) as a "
                + ".\(expected.fileExtension) file, or declare the format the file has (format: delimited for text)"
        case let .parse(path, format, reason):
            return "\(path): cannot be read as an \(format.name) file (ReadStat: \(reason)); the file may be cut short or "
                + "damaged: copy it again from its source, or export it again from \(format.name)"
        case let .write(path, format, reason):
            return "\(path): cannot be written as an \(format.name) file (ReadStat: \(reason))"
        }
    }
}
