import DNSCore
import DNSSEC
import DNSZoneFile
import Foundation
import Testing

/// Vector files under `Vectors/`, and the example responses of RFC 4035 / RFC 5155 Appendix B
/// split into one value per response.
enum DenialVectors {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func text(_ path: String) throws -> String {
        guard let base = Bundle.module.resourceURL else { throw Failure(description: "no resource bundle") }
        let url = base.appendingPathComponent("Vectors").appendingPathComponent(path)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// One example response: the `; ==== B.n. Title` block, its `;; question:` and
    /// `;; Header: ... RCODE=n` comments, and its records.
    struct Response: CustomStringConvertible, Sendable {
        var title: String
        var qname: DomainName
        var qtype: RRType
        var rcode: RCode
        var records: [ResourceRecord]

        var description: String { title }

        /// The RRSIG Labels value of the RRSIG over `type` at `owner`.
        func signatureLabels(owner: DomainName, covering type: RRType) -> UInt8? {
            for record in records where record.type == .rrsig && record.owner == owner {
                if let rrsig = record.rdata.as(RRSIG.self), rrsig.typeCovered == type { return rrsig.labels }
            }
            return nil
        }

        /// The NSEC records, each with its RRSIG's Labels field.
        var nsec: [NSECRecord] {
            records.compactMap { record in
                guard let nsec = record.rdata.as(NSEC.self),
                      let labels = signatureLabels(owner: record.owner, covering: .nsec) else { return nil }
                return NSECRecord(owner: record.owner, nsec: nsec, signatureLabels: labels)
            }
        }

        /// The NSEC3 records, each with its RRSIG's Labels field.
        var nsec3: [NSEC3Record] {
            records.compactMap { record in
                guard let nsec3 = record.rdata.as(NSEC3.self),
                      let labels = signatureLabels(owner: record.owner, covering: .nsec3) else { return nil }
                return NSEC3Record(owner: record.owner, nsec3: nsec3, signatureLabels: labels)
            }
        }
    }

    /// The responses of an Appendix B file, keyed by their number ("B.1", "B.2.1", ...).
    static func responses(_ path: String) throws -> [String: Response] {
        let text = try text(path)
        var blocks: [(title: String, lines: [String])] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("; ==== ") {
                blocks.append((String(line.dropFirst(7)), []))
            } else if !blocks.isEmpty {
                blocks[blocks.count - 1].lines.append(line)
            }
        }
        var responses: [String: Response] = [:]
        for block in blocks {
            guard let question = block.lines.first(where: { $0.hasPrefix(";; question:") }) else {
                throw Failure(description: "\(block.title): no question line")
            }
            let fields = question.dropFirst(";; question:".count).split(separator: " ")
            guard fields.count == 3, let qtype = RRType(mnemonic: String(fields[2])) else {
                throw Failure(description: "\(block.title): bad question line \(question)")
            }
            guard let header = block.lines.first(where: { $0.hasPrefix(";; Header:") }),
                  let rcodeText = header.split(separator: "=").last, let rcodeValue = UInt16(rcodeText) else {
                throw Failure(description: "\(block.title): no RCODE")
            }
            let parsed = ZoneFileParser(origin: "example.", defaultTTL: 3600)
                .parse(text: block.lines.joined(separator: "\n"), fileName: "\(path) \(block.title)")
            guard parsed.errors.isEmpty else {
                throw Failure(description: "\(block.title): \(parsed.errors)")
            }
            var number = String(block.title.prefix(while: { $0 != " " }))
            if number.hasSuffix(".") { number.removeLast() }
            responses[number] = Response(
                title: block.title, qname: try DomainName(parsing: String(fields[0])), qtype: qtype,
                rcode: RCode(rawValue: rcodeValue), records: parsed.records
            )
        }
        return responses
    }
}

// MARK: - Synthetic zones

/// An NSEC3 chain for a made-up zone: every name given, every empty non-terminal above them,
/// hashed with the given parameters and linked in hash order (RFC 5155 §7.1), so tests can
/// pick the records a proof needs.
struct NSEC3TestZone {
    struct Entry {
        var name: DomainName
        var hash: [UInt8]
        var types: TypeBitmap
    }

    let zone: DomainName
    let salt: [UInt8]
    let iterations: UInt16
    let flags: UInt8
    private(set) var entries: [Entry] = []

    /// `names` must include the apex; ancestors of each name up to the apex are added as empty
    /// non-terminals when missing.
    init(zone: DomainName, names: [DomainName: TypeBitmap], salt: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD],
         iterations: UInt16 = 1, optOut: Bool = false) {
        self.zone = zone
        self.salt = salt
        self.iterations = iterations
        self.flags = optOut ? NSEC3.optOutFlag : 0
        var all = names
        for name in names.keys {
            var ancestor = name.parent
            while let current = ancestor, current.isStrictSubdomain(of: zone) {
                if all[current] == nil { all[current] = TypeBitmap() }
                ancestor = current.parent
            }
        }
        entries = all.map { Entry(name: $0.key, hash: NSEC3Hash.hash(name: $0.key, salt: salt, iterations: iterations), types: $0.value) }
            .sorted { $0.hash.lexicographicallyPrecedes($1.hash) }
    }

    func hash(_ name: DomainName) -> [UInt8] { NSEC3Hash.hash(name: name, salt: salt, iterations: iterations) }

    private func record(at index: Int) -> NSEC3Record {
        let entry = entries[index]
        let next = entries[(index + 1) % entries.count]
        let owner = NSEC3Hash.hashedOwnerName(of: entry.name, zone: zone, salt: salt, iterations: iterations)!
        let nsec3 = NSEC3(flags: flags, iterations: iterations, salt: salt, nextHashedOwnerName: next.hash, types: entry.types)
        return NSEC3Record(owner: owner, nsec3: nsec3, signatureLabels: UInt8(owner.labelCount))
    }

    /// The NSEC3 matching `name`, which must exist.
    func matching(_ name: DomainName) -> NSEC3Record {
        let value = hash(name)
        return record(at: entries.firstIndex { $0.hash == value }!)
    }

    /// The NSEC3 covering `name`, which must not exist.
    func covering(_ name: DomainName) -> NSEC3Record {
        let value = hash(name)
        precondition(!entries.contains { $0.hash == value }, "\(name) exists")
        let index = entries.lastIndex { $0.hash.lexicographicallyPrecedes(value) } ?? (entries.count - 1)
        return record(at: index)
    }

    /// The NSEC3 whose next hashed owner is the hash of `name`, which must exist.
    func preceding(_ name: DomainName) -> NSEC3Record {
        let value = hash(name)
        let index = entries.firstIndex { $0.hash == value }!
        return record(at: (index + entries.count - 1) % entries.count)
    }

    /// Whether `record`'s interval covers the hash of `name` (an independent reading of RFC
    /// 5155 §1.3 for the tests: strict, with wrap-around).
    func covers(_ record: NSEC3Record, _ name: DomainName) -> Bool {
        let owner = Base32Hex.decode(record.owner.labels[0])!
        let next = record.nsec3.nextHashedOwnerName
        let value = hash(name)
        if owner.lexicographicallyPrecedes(next) {
            return owner.lexicographicallyPrecedes(value) && value.lexicographicallyPrecedes(next)
        }
        return owner.lexicographicallyPrecedes(value) || value.lexicographicallyPrecedes(next)
    }

    /// The first name `q0.parent`, `q1.parent`, ... that does not exist and whose hash none of
    /// `records` covers: hashes are fixed but unordered, so tests that need "no record covers
    /// this" pick their name this way.
    func nameNotCovered(below parent: DomainName, by records: [NSEC3Record]) -> DomainName {
        for index in 0... {
            let name = try! parent.prepending(label: Array("q\(index)".utf8))
            let value = hash(name)
            if !entries.contains(where: { $0.hash == value }) && !records.contains(where: { covers($0, name) }) { return name }
        }
        fatalError("unreachable")
    }

    var allRecords: [NSEC3Record] { entries.indices.map(record(at:)) }

    /// The three records of a name error proof (RFC 5155 §7.2.2): closest encloser, next closer,
    /// wildcard.
    func nameErrorProof(_ qname: DomainName, closestEncloser: DomainName) -> [NSEC3Record] {
        let nextCloser = qname.suffix(labelCount: closestEncloser.labelCount + 1)
        return [matching(closestEncloser), covering(nextCloser), covering(closestEncloser.wildcardName)]
    }
}

/// An NSEC chain for a made-up zone, in canonical order, the last pointing back to the apex
/// (RFC 4034 §4.1.1). Empty non-terminals have no NSEC.
struct NSECTestZone {
    let zone: DomainName
    let names: [DomainName]
    let types: [DomainName: TypeBitmap]

    init(zone: DomainName, names: [DomainName: TypeBitmap]) {
        self.zone = zone
        self.names = names.keys.sorted()
        self.types = names
    }

    private func record(at index: Int) -> NSECRecord {
        let owner = names[index]
        let next = index + 1 < names.count ? names[index + 1] : zone
        return NSECRecord(owner: owner, nsec: NSEC(nextDomainName: next, types: types[owner]!.withSignatureTypes),
                          signatureLabels: UInt8(owner.rrsigLabelCount))
    }

    /// The NSEC owned by `name`, which must exist.
    func at(_ name: DomainName) -> NSECRecord { record(at: names.firstIndex(of: name)!) }

    /// The NSEC covering `name`, which must have no NSEC of its own.
    func covering(_ name: DomainName) -> NSECRecord {
        precondition(!names.contains(name), "\(name) has an NSEC")
        return record(at: names.lastIndex { $0 < name } ?? (names.count - 1))
    }
}

extension DomainName {
    var wildcardName: DomainName { try! prepending(label: [UInt8(ascii: "*")]) }

    func isStrictSubdomain(of other: DomainName) -> Bool { self != other && isSubdomain(of: other) }
}

extension TypeBitmap {
    /// With RRSIG and NSEC, as a signer writes them.
    var withSignatureTypes: TypeBitmap {
        var copy = self
        copy.insert(.rrsig)
        copy.insert(.nsec)
        return copy
    }
}

extension NSEC3Record {
    func with(flags: UInt8? = nil, algorithm: NSEC3HashAlgorithm? = nil, iterations: UInt16? = nil, salt: [UInt8]? = nil,
              types: TypeBitmap? = nil, owner: DomainName? = nil, signatureLabels: UInt8? = nil, next: [UInt8]? = nil) -> NSEC3Record {
        var copy = self
        if let next { copy.nsec3.nextHashedOwnerName = next }
        if let salt { copy.nsec3.salt = salt }
        if let owner { copy.owner = owner }
        if let signatureLabels { copy.signatureLabels = signatureLabels }
        if let flags { copy.nsec3.flags = flags }
        if let algorithm { copy.nsec3.hashAlgorithm = algorithm }
        if let iterations { copy.nsec3.iterations = iterations }
        if let types { copy.nsec3.types = types }
        return copy
    }
}

extension NSECRecord {
    func with(types: TypeBitmap? = nil, next: DomainName? = nil, signatureLabels: UInt8? = nil) -> NSECRecord {
        var copy = self
        if let types { copy.nsec.types = types }
        if let next { copy.nsec.nextDomainName = next }
        if let signatureLabels { copy.signatureLabels = signatureLabels }
        return copy
    }
}

/// Asserts a proof's kind, status and, when given, the code of its deciding step and its EDE.
func expectProof(
    _ proof: DenialProof, _ kind: DenialProof.Kind?, _ status: SecurityStatus,
    code: ValidationReason.Code? = nil, ede: ExtendedDNSErrorCode? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(proof.kind == kind, "kind; reasons: \(proof.reasons)", sourceLocation: sourceLocation)
    #expect(proof.status == status, "status; reasons: \(proof.reasons)", sourceLocation: sourceLocation)
    if let code {
        #expect(proof.code == code, "deciding code; reasons: \(proof.reasons)", sourceLocation: sourceLocation)
    }
    if let ede {
        #expect(proof.extendedError == ede, "EDE; reasons: \(proof.reasons)", sourceLocation: sourceLocation)
    }
}
