import DNSCore

/// Why records could not be made into a servable zone. The zone-file errors themselves (syntax,
/// RDATA) come from `DNSZoneFile` as `ZoneFileError`s and are carried in `.file`.
public struct ZoneLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// The file could not be read or did not parse.
        case file
        /// No SOA record at the origin (RFC 1035 §5.2).
        case missingSOA
        /// A record owned by a name outside the zone (RFC 1035 §5.2).
        case outOfZone
        /// Two zones in one catalog with the same origin.
        case duplicateZone
        /// The signing step failed.
        case signing
        /// The zone has no origin (none given and no `$ORIGIN`/SOA to take it from).
        case noOrigin
    }

    public var code: Code
    public var zone: DomainName?
    public var reason: String

    public init(_ code: Code, zone: DomainName?, _ reason: String) {
        self.code = code
        self.zone = zone
        self.reason = reason
    }

    public var description: String {
        if let zone { return "zone \(zone): \(reason)" }
        return reason
    }
}
