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

    /// The file the error is about.
    public var path: String {
        switch self {
        case let .unreadable(path), let .notStatFile(path, _, _), let .parse(path, _, _), let .write(path, _, _): return path
        }
    }

    /// What is wrong and what to do, without the file's name.
    public var reason: String {
        switch self {
        case .unreadable:
            return "the file does not exist or cannot be read"
        case let .notStatFile(_, expected, found):
            return "not \(expected.withArticle) file (\(found)); export the data again from \(expected.name) as a "
                + ".\(expected.fileExtension) file, or declare the format the file has (format: delimited for text)"
        case let .parse(_, format, reason):
            return "cannot be read as \(format.withArticle) file (ReadStat: \(reason)); the file may be cut short or "
                + "damaged: copy it again from its source, or export it again from \(format.name)"
        case let .write(_, format, reason):
            return "cannot be written as \(format.withArticle) file (ReadStat: \(reason))"
        }
    }

    public var description: String { "\(path): \(reason)" }
}
