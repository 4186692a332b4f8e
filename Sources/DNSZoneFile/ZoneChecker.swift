import DNSCore

/// `daneprobe zone check`: reads a master file and reports every syntax error plus the zone
/// rules a loader (NSD, BIND) would refuse, each located as `FILE:LINE:COL: reason`.
public struct ZoneChecker: Sendable {
    public struct Report: Sendable {
        public var recordCount: Int
        public var origin: DomainName?
        public var errors: [ZoneFileError]
        public var isValid: Bool { errors.isEmpty }
    }

    public var origin: DomainName?
    public var allowInclude: Bool

    public init(origin: DomainName?, allowInclude: Bool = false) {
        self.origin = origin
        self.allowInclude = allowInclude
    }

    public func check(file path: String) -> Report {
        let bytes: [UInt8]
        do {
            bytes = try ZoneFileLoader.read(path)
        } catch {
            return Report(recordCount: 0, origin: origin, errors: [error])
        }
        return check(bytes, fileName: path)
    }

    /// The rules checked after parsing, when the origin is known:
    /// - exactly one SOA, owned by the origin (RFC 1035 §5.2);
    /// - every owner at or below the origin (RFC 1035 §5.2: data outside the zone);
    /// - a CNAME owner holds no other data but RRSIG and NSEC (RFC 1034 §3.6.2, RFC 2181
    ///   §10.1, RFC 4035 §2.5), and at most one CNAME.
    public func check(_ bytes: [UInt8], fileName: String) -> Report {
        var located: [(ResourceRecord, ZoneFileLocation)] = []
        let parser = ZoneFileLoader.parser(origin: origin, allowInclude: allowInclude)
        var errors = parser.parse(bytes, fileName: fileName) { located.append(($0, $1)) }
        // The origin is the one given, else the first $ORIGIN-relative SOA owner.
        let apex = origin ?? located.first(where: { $0.0.type == .soa })?.0.owner
        if let apex {
            errors += zoneRules(located, apex: apex, fileName: fileName)
        }
        errors.sort { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        return Report(recordCount: located.count, origin: apex, errors: errors)
    }

    private func zoneRules(_ located: [(ResourceRecord, ZoneFileLocation)], apex: DomainName, fileName: String) -> [ZoneFileError] {
        var errors: [ZoneFileError] = []
        func error(_ code: ZoneFileError.Code, _ at: ZoneFileLocation, _ reason: String) {
            errors.append(ZoneFileError(code, file: at.file, line: at.line, column: at.column, reason))
        }
        var soaSeen = false
        var typesByOwner: [DomainName: [(RRType, ZoneFileLocation)]] = [:]
        for (record, at) in located {
            if !record.owner.isSubdomain(of: apex) {
                error(.badOwner, at, "\(record.owner) is outside the zone \(apex)")
                continue
            }
            if record.type == .soa {
                if record.owner != apex {
                    error(.badRDATA, at, "SOA at \(record.owner), not at the zone apex \(apex)")
                } else if soaSeen {
                    error(.badRDATA, at, "second SOA record at \(apex)")
                }
                soaSeen = true
            }
            typesByOwner[record.owner, default: []].append((record.type, at))
        }
        if !soaSeen, !located.isEmpty {
            errors.append(ZoneFileError(.badRDATA, file: fileName, line: 1, column: 1, "no SOA record at the zone apex \(apex)"))
        }
        for (owner, entries) in typesByOwner {
            let cnames = entries.filter { $0.0 == .cname }
            guard let first = cnames.first else { continue }
            for extra in cnames.dropFirst() { error(.badRDATA, extra.1, "second CNAME at \(owner)") }
            for other in entries where other.0 != .cname && other.0 != .rrsig && other.0 != .nsec {
                error(.badRDATA, other.1, "\(other.0) at \(owner), which has a CNAME (line \(first.1.line)); a CNAME owner has no other data")
            }
        }
        return errors
    }
}
