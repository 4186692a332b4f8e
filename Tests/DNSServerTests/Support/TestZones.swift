import PeerTestSupport
import DNSCore
import DNSServer
import DNSTransport
import DNSZoneFile
import Foundation
import Testing

/// Zones and queries for the answering tests.
enum TestZones {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors")

    static func vector(_ path: String) -> URL { vectors.appendingPathComponent(path) }

    /// A zone from zone-file text (origin and TTL 3600 given).
    static func zone(_ text: String, origin: String) throws -> Zone {
        let name = try DomainName(parsing: origin)
        let result = ZoneFileParser(origin: name, defaultTTL: 3600).parse(text: text)
        try #require(result.errors.isEmpty, "zone text: \(result.errors)")
        return try Zone(origin: name, records: result.records)
    }

    static func zone(file path: String, origin: String) throws -> Zone {
        try ZoneSource(path: vector(path).path, origin: try DomainName(parsing: origin)).load()
    }

    static func answerer(_ zones: Zone..., configuration: AuthoritativeAnswerer.Configuration = .init(),
                         faults: FaultPlan = FaultPlan()) throws -> AuthoritativeAnswerer {
        AuthoritativeAnswerer(catalog: try ZoneCatalog(zones: zones, faults: faults), configuration: configuration)
    }
}

extension AuthoritativeAnswerer {
    /// Asks `name`/`type` with EDNS (DO when `dnssec`), RD clear.
    func ask(_ name: String, _ type: RRType, dnssec: Bool = false, over transport: Transport = .tcp,
             payload: UInt16 = 4096, edns: Bool = true) throws -> Message {
        var query = Message.query(id: 0x1234, name: try DomainName(parsing: name), type: type, recursionDesired: false,
                                  dnssec: dnssec, udpPayloadSize: payload)
        if !edns { query.edns = nil }
        return answer(query: query, over: transport)
    }
}

/// Parses a name in tests.
func name(_ text: String) -> DomainName {
    (try? DomainName(parsing: text)) ?? .root
}

/// Records from zone-file text.
func records(_ text: String, origin: String = "example.") throws -> [ResourceRecord] {
    let result = ZoneFileParser(origin: name(origin), defaultTTL: 3600).parse(text: text)
    try #require(result.errors.isEmpty, "records text: \(result.errors)")
    return result.records
}

extension Message {
    /// The section's records as a set (owner case-insensitive, TTL and RDATA exact).
    func set(_ section: KeyPath<Message, [ResourceRecord]>) -> Set<ResourceRecord> { Set(self[keyPath: section]) }

    /// "owner TYPE" of each record, for readable expectations.
    func summary(_ section: KeyPath<Message, [ResourceRecord]>) -> [String] {
        self[keyPath: section].map { record in
            if let rrsig = record.rdata.as(RRSIG.self) { return "\(record.owner.lowercased) RRSIG \(rrsig.typeCovered)" }
            return "\(record.owner.lowercased) \(record.type)"
        }
    }
}
