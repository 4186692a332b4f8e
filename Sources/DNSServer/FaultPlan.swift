import DNSCore
import DNSTransport

/// The faults to inject, per (QNAME, QTYPE) or per zone: data on the catalog, applied to a
/// finished response as one transformation stage (`apply`), so the answering code has no
/// `if` for them.
public struct FaultPlan: Sendable {
    private var byName: [DomainName: [(type: RRType?, faults: [Fault])]] = [:]
    private var byZone: [DomainName: [Fault]] = [:]

    public init() {}

    public init(_ rules: [(FaultSelector, [Fault])]) {
        for (selector, faults) in rules { add(faults, for: selector) }
    }

    public var isEmpty: Bool { byName.isEmpty && byZone.isEmpty }

    public mutating func add(_ faults: [Fault], for selector: FaultSelector) {
        switch selector {
        case .query(let name, let type): byName[name, default: []].append((type, faults))
        case .zone(let origin): byZone[origin, default: []].append(contentsOf: faults)
        }
    }

    /// The faults for a question answered from the zone at `zone` (zone faults first, then
    /// those for the name, in the order added).
    public func faults(for question: Question, zone: DomainName?) -> [Fault] {
        if isEmpty { return [] }
        var result: [Fault] = []
        if let zone, let faults = byZone[zone] { result += faults }
        for rule in byName[question.name] ?? [] where rule.type == nil || rule.type == question.type {
            result += rule.faults
        }
        return result
    }

    /// Applies `faults` in order to `response` (sent over `transport`).
    public static func apply(_ faults: [Fault], to response: Message, over transport: Transport) -> FaultOutcome {
        var message = response
        var delay: Duration = .zero
        for fault in faults {
            switch fault {
            case .drop:
                return .drop
            case .delay(let amount):
                delay += amount
            case .rcode(let rcode):
                message.header.rcode = rcode
                message.header.isAuthoritative = false
                message.answers = []
                message.authority = []
                message.additional = []
            case .truncate:
                guard transport == .udp else { continue }
                message.header.isTruncated = true
                message.answers = []
                message.authority = []
                message.additional = []
            case .corruptSignatures:
                message.answers = message.answers.map(corrupted)
                message.authority = message.authority.map(corrupted)
            case .stripSignatures:
                message.answers.removeAll { $0.type == .rrsig }
                message.authority.removeAll { $0.type == .rrsig }
                message.additional.removeAll { $0.type == .rrsig }
            case .replaceSignatures(let replacements):
                message.answers = replaced(message.answers, with: replacements)
                message.authority = replaced(message.authority, with: replacements)
                message.additional = replaced(message.additional, with: replacements)
            }
        }
        return delay == .zero ? .respond(message) : .respondAfter(delay, message)
    }

    /// The record with the last octet of its RRSIG signature bit-flipped.
    static func corrupted(_ record: ResourceRecord) -> ResourceRecord {
        guard var rrsig = record.rdata.as(RRSIG.self), !rrsig.signature.isEmpty else { return record }
        rrsig.signature[rrsig.signature.count - 1] ^= 0x01
        var copy = record
        copy.rdata = RData(rrsig)
        return copy
    }

    /// `records` with each RRSIG for which `replacements` has one of the same owner and covered
    /// type swapped for all such replacements (each set once, where the first original was).
    static func replaced(_ records: [ResourceRecord], with replacements: [ResourceRecord]) -> [ResourceRecord] {
        struct Key: Hashable { var owner: DomainName; var covered: RRType }
        func key(_ record: ResourceRecord) -> Key? {
            record.rdata.as(RRSIG.self).map { Key(owner: record.owner, covered: $0.typeCovered) }
        }
        var byKey: [Key: [ResourceRecord]] = [:]
        for replacement in replacements { if let k = key(replacement) { byKey[k, default: []].append(replacement) } }
        var done: Set<Key> = []
        var result: [ResourceRecord] = []
        for record in records {
            guard let k = key(record), let substitutes = byKey[k] else { result.append(record); continue }
            if done.insert(k).inserted {
                result += substitutes.map { var s = $0; s.ttl = record.ttl; return s }
            }
        }
        return result
    }
}
