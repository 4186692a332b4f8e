import DNSCore
import DNSSEC
import DNSServer
import DNSZoneFile
import Foundation

/// Builds and signs one lab zone: SOA, NS and its name server's address, the spec's records,
/// the delegations below it; signed (or not) as the spec says, with the DS its parent should
/// publish — or, for a broken delegation, the DS that breaks it.
struct LabZoneBuilder: Sendable {
    var now: Date
    var seed: UInt64

    struct Built {
        var zone: Zone
        /// DS records for the parent (empty for an unsigned zone).
        var ds: [ResourceRecord]
    }

    var nowSeconds: Int64 { Int64(now.timeIntervalSince1970) }

    func build(_ spec: LabZoneSpec, server: String, extraLines: [String]) throws -> Built {
        let apex = try DomainName(parsing: spec.origin)
        var lines = ["@ SOA ns hostmaster 1 3600 600 86400 300", "@ NS ns", "ns A \(server)"]
        lines += spec.records + extraLines
        var records = try Self.parse(lines, origin: apex)
        guard case .signed(let algorithm, let denial) = spec.signing else {
            return Built(zone: try Zone(origin: apex, records: records), ds: [])
        }
        let key = try signingKey(algorithm, label: spec.origin)
        // An extra DNSKEY of an algorithm no validator here implements; only its DS is given
        // to the parent, so no usable trust path leads into the zone.
        let unsupported = DNSKEY(flags: DNSSECSigningKey.keySigningFlags, algorithm: .ed448,
                                 publicKey: Array(key.publicKeyField.prefix(32)) + [UInt8](repeating: 0x5A, count: 25))
        if spec.delegation == .unsupportedAlgorithm {
            records.append(ResourceRecord(owner: apex, ttl: 3600, unsupported))
        }
        let options = ZoneSigningOptions(denial: Self.denial(denial), inception: UInt32(nowSeconds - 86_400),
                                         expiration: UInt32(nowSeconds + 30 * 86_400))
        var signed = try ZoneSigner(apex: apex, keys: [key], options: options).sign(records)
        if !spec.expiredSignatures.isEmpty {
            var expiredOptions = options
            expiredOptions.inception = UInt32(nowSeconds - 20 * 86_400)
            expiredOptions.expiration = UInt32(nowSeconds - 10 * 86_400)
            let expired = try ZoneSigner(apex: apex, keys: [key], options: expiredOptions).sign(records)
            for ref in spec.expiredSignatures {
                let owner = try Self.absolute(ref.owner, origin: apex)
                func covers(_ record: ResourceRecord) -> Bool {
                    record.owner == owner && record.rdata.as(RRSIG.self)?.typeCovered == ref.type
                }
                let replacements = expired.records.filter(covers)
                guard !replacements.isEmpty else { throw LabHierarchy.BuildError("\(spec.origin): no \(ref.type) RRset at \(ref.owner) to expire") }
                signed.records.removeAll(where: covers)
                signed.records += replacements
            }
        }
        var ds = signed.ds
        switch spec.delegation {
        case .secure:
            break
        case .dsMatchingNoKey:
            let other = try signingKey(algorithm, label: "no such key for " + spec.origin)
            ds = DSDigest.ds(for: other.dnskey, owner: apex).map { [ResourceRecord(owner: apex, ttl: 3600, $0)] } ?? []
        case .unsupportedAlgorithm:
            ds = DSDigest.ds(for: unsupported, owner: apex).map { [ResourceRecord(owner: apex, ttl: 3600, $0)] } ?? []
        }
        return Built(zone: try Zone(origin: apex, records: signed.records), ds: ds)
    }

    static func denial(_ denial: LabZoneSpec.Denial) -> ZoneSigningOptions.Denial {
        switch denial {
        case .nsec: .nsec
        case .nsec3(let iterations): .nsec3(.init(iterations: iterations))
        }
    }

    /// The zone's key: P-256 and Ed25519 keys from the seeded generator (reproducible), RSA
    /// and P-384 fresh.
    func signingKey(_ algorithm: DNSSECAlgorithm, label: String) throws -> DNSSECSigningKey {
        var random = SplitMix64(seed: seed ^ LabPKI.fnv1a("dnssec " + label))
        let flags = DNSSECSigningKey.keySigningFlags
        switch algorithm {
        case .ecdsaP256SHA256, .ed25519:
            for _ in 0..<8 {
                let raw = (0..<4).flatMap { _ in withUnsafeBytes(of: random.next().bigEndian, Array.init) }
                if let key = try? DNSSECSigningKey(algorithm: algorithm, flags: flags, material: .raw(raw)) { return key }
            }
            throw LabHierarchy.BuildError("no \(algorithm) key from the seeded generator")
        default:
            return try DNSSECSigningKey.generate(algorithm: algorithm, flags: flags)
        }
    }

    static func parse(_ lines: [String], origin: DomainName) throws -> [ResourceRecord] {
        let result = ZoneFileParser(origin: origin, defaultTTL: 3600).parse(text: lines.joined(separator: "\n"))
        guard result.errors.isEmpty else { throw LabHierarchy.BuildError("zone \(origin): \(result.errors)") }
        return result.records
    }

    static func absolute(_ owner: String, origin: DomainName) throws -> DomainName {
        if owner == "@" { return origin }
        return try DomainName(parsing: origin == .root ? owner + "." : "\(owner).\(origin)")
    }
}
