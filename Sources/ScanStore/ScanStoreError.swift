/// Why the results database could not be opened or written.
public struct ScanStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        case open
        case newerSchema
        case sql
        /// A worker joined a run with options that would give other results.
        case configuration
    }

    public var code: Code
    public var description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
