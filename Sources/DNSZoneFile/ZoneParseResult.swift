import DNSCore

/// What reading a master file produced: every record that parsed, and every error (reading
/// goes on after an error, at the next entry, so one pass reports them all).
public struct ZoneParseResult: Sendable {
    public var records: [ResourceRecord]
    public var errors: [ZoneFileError]
    /// The origin in force at the end (from the parser's options or the last `$ORIGIN`).
    public var origin: DomainName?

    public init(records: [ResourceRecord] = [], errors: [ZoneFileError] = [], origin: DomainName? = nil) {
        self.records = records
        self.errors = errors
        self.origin = origin
    }

    public var isValid: Bool { errors.isEmpty }
}
