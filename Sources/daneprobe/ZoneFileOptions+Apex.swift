import ArgumentParser
import DNSCore
import DNSZoneFile

extension ZoneFileOptions {
    /// The zone's apex: --origin when given, else the owner of the SOA record, else the
    /// file's last $ORIGIN.
    func apex(of parsed: ZoneParseResult) throws -> DomainName {
        if let origin = try parsedOrigin() { return origin }
        if let soa = parsed.records.first(where: { $0.type == .soa }) { return soa.owner }
        if let origin = parsed.origin { return origin }
        throw ValidationError("\(file): no SOA record and no --origin: cannot tell the zone's name")
    }
}
