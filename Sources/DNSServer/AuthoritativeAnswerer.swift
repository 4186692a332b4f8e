import DNSCore
import DNSTransport

/// Authoritative answering as a pure function of a zone catalog and a query (DESIGN.md,
/// "DNSServer"): no I/O, no clock, no recursion ever (RA is always clear, RFC 1035 §4.1.1).
///
/// The message-level rules live here; the lookup itself (RFC 1034 §4.3.2 with the DNSSEC
/// additions of RFC 4035 §3.1) is in `AuthoritativeAnswerer+Lookup.swift`, the proofs of
/// non-existence in `+Denial.swift`.
public struct AuthoritativeAnswerer: Sendable {
    public var catalog: ZoneCatalog
    public var configuration: Configuration

    public struct Configuration: Sendable, Hashable {
        /// The largest UDP response we send and the payload size we advertise in OPT
        /// (RFC 6891 §6.2.5); 1,232 octets after DNS Flag Day 2020, as NSD's default.
        public var maxUDPPayloadSize: UInt16
        /// Leave out the authority NS of positive answers and the addresses of their targets
        /// (what NSD's and BIND's `minimal-responses` do). Off by default: RFC 4035 App. B and
        /// RFC 5155 App. B show them.
        public var minimalResponses: Bool
        /// How many CNAME/DNAME links are followed inside a zone before stopping.
        public var maxChainLength: Int

        public init(maxUDPPayloadSize: UInt16 = 1232, minimalResponses: Bool = false, maxChainLength: Int = 8) {
            self.maxUDPPayloadSize = maxUDPPayloadSize
            self.minimalResponses = minimalResponses
            self.maxChainLength = maxChainLength
        }
    }

    public init(catalog: ZoneCatalog, configuration: Configuration = Configuration()) {
        self.catalog = catalog
        self.configuration = configuration
    }

    /// The response to `query` as it would be sent over `transport` (truncated to fit over UDP).
    public func answer(query: Message, over transport: Transport) -> Message {
        respond(to: query, over: transport).message
    }

    /// The response and its wire form (encoded once, within the size limit).
    func respond(to query: Message, over transport: Transport) -> ResponseEncoder.Output {
        var header = MessageHeader(
            id: query.header.id, isResponse: true, opcode: query.header.opcode,
            recursionDesired: query.header.recursionDesired, checkingDisabled: query.header.checkingDisabled
        )
        var draft = ResponseDraft()
        // EDNS (RFC 6891 §6.1.3): answer an unknown version with BADVERS and our version 0;
        // otherwise echo OPT with our payload size and the DO bit (RFC 3225 §3).
        let edns = query.edns.map { EDNS(udpPayloadSize: configuration.maxUDPPayloadSize, dnssecOK: $0.dnssecOK) }
        let limit = sizeLimit(for: query, over: transport)
        func reply(_ rcode: RCode, authoritative: Bool = false, questions: [Question] = query.questions) -> ResponseEncoder.Output {
            draft.rcode = rcode
            draft.authoritative = authoritative
            return ResponseEncoder.encode(header: header, questions: questions, draft: draft, edns: edns, limit: limit)
        }
        if let version = query.edns?.version, version != 0 { return reply(.badVers) }
        // RFC 1035 §4.1.1: opcodes other than QUERY are not implemented here (no NOTIFY,
        // UPDATE or IQUERY support).
        guard query.header.opcode == .query else { return reply(.notImp) }
        // One question, and nothing in the answer and authority sections of a query
        // (RFC 9619 §4: QDCOUNT must be 1).
        guard query.questions.count == 1, query.answers.isEmpty, query.authority.isEmpty else {
            return reply(.formErr, questions: [])
        }
        let question = query.questions[0]
        if question.type == .opt || question.type.rawValue == 0 { return reply(.formErr) }
        // No zone transfers; class IN only (every zone is IN).
        if question.type == .axfr || question.type == .ixfr { return reply(.refused) }
        guard question.rrClass == .internet || question.rrClass == .any, let zone = zone(for: question) else {
            return reply(.refused)
        }
        if question.type.isMetaType, question.type != .any { return reply(.notImp) }
        let dnssec = query.edns?.dnssecOK ?? false
        var lookup = Lookup(zone: zone, qtype: question.type, dnssec: dnssec, configuration: configuration)
        lookup.resolve(question.name)
        draft = lookup.draft
        header.isAuthoritative = draft.authoritative
        return ResponseEncoder.encode(header: header, questions: query.questions, draft: draft, edns: edns, limit: limit)
    }

    /// The zone that answers `question`: the longest match, except that a DS query for a
    /// zone's apex goes to the parent zone when the catalog holds it (RFC 4035 §3.1.4.1: DS
    /// lives on the parent side of the cut).
    func zone(for question: Question) -> Zone? {
        guard let zone = catalog.zone(for: question.name) else { return nil }
        if question.type == .ds, question.name == zone.origin, let parentName = zone.origin.parent,
           let parent = catalog.zone(for: parentName) {
            return parent
        }
        return zone
    }

    /// The largest response for this query: 65,535 over TCP; over UDP the requestor's EDNS
    /// payload size (RFC 6891 §6.2.5: values below 512 are treated as 512) capped by ours,
    /// or 512 without EDNS (RFC 1035 §4.2.1).
    func sizeLimit(for query: Message, over transport: Transport) -> Int {
        switch transport {
        case .tcp: return Int(UInt16.max)
        case .udp:
            guard let edns = query.edns else { return 512 }
            return max(512, Int(min(edns.udpPayloadSize, configuration.maxUDPPayloadSize)))
        }
    }
}
