import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport

/// A recursive resolver's answer to one client query, as an async function: the verdict from
/// a validating `Resolver`, the records (with their RRSIGs and denial proofs, for clients that
/// validate themselves) from an `IterativeFetcher`.
///
/// - secure: the answer with AD (RFC 4035 §3.2.3; to a client that set DO or AD, RFC 6840 §5.7);
/// - insecure: the answer without AD;
/// - bogus or indeterminate: SERVFAIL (RFC 4035 §4.3, §5.5) with the Extended DNS Error the
///   validation named (RFC 8914 §4); `.permissive` returns the answer without AD instead, like
///   Unbound's `val-permissive-mode: yes`;
/// - CD set (RFC 4035 §3.2.2): no validation, the records as fetched, no AD;
/// - DO clear: RRSIG, NSEC and NSEC3 records left out unless asked for (RFC 4035 §3.2.1).
public struct RecursiveAnswerer: Sendable {
    public enum Validation: String, Sendable, Hashable {
        /// Bogus answers are SERVFAIL.
        case validating
        /// Bogus answers are returned, without AD.
        case permissive
    }

    public var resolver: Resolver
    public var fetcher: IterativeFetcher
    public var validation: Validation

    public init(resolver: Resolver, fetcher: IterativeFetcher, validation: Validation) {
        self.resolver = resolver
        self.fetcher = fetcher
        self.validation = validation
    }

    public func answer(_ query: Message, over transport: Transport) async -> Message {
        var response = Message(header: MessageHeader(id: query.header.id, isResponse: true, opcode: query.header.opcode,
                                                     recursionDesired: query.header.recursionDesired, recursionAvailable: true,
                                                     checkingDisabled: query.header.checkingDisabled),
                               questions: query.questions)
        let dnssecOK = query.edns?.dnssecOK ?? false
        if query.edns != nil { response.edns = EDNS(udpPayloadSize: 1232, dnssecOK: dnssecOK) }
        guard query.header.opcode == .query else { return Self.failed(response, .notImp) }
        guard query.questions.count == 1, let question = query.questions.first else { return Self.failed(response, .formErr) }
        guard question.rrClass == .internet else { return Self.failed(response, .refused) }
        if let edns = query.edns, edns.version != 0 { return Self.failed(response, .badVers) }

        var status = SecurityStatus.insecure
        if !query.header.checkingDisabled {
            let validated: Validated<Answer>
            do {
                validated = try await resolver.resolve(question.name, question.type)
            } catch {
                return Self.failed(response, .servFail, ExtendedDNSError(infoCode: .other, extraText: error.reason))
            }
            status = validated.status
            if (status == .bogus || status == .indeterminate) && validation == .validating {
                let ede = validated.extendedError.map {
                    ExtendedDNSError(infoCode: $0, extraText: validated.reasons.last(where: { $0.extendedError != nil })?.detail ?? "")
                }
                return Self.failed(response, .servFail, ede)
            }
        }
        guard let fetched = await fetcher.fetch(question.name, question.type) else {
            return Self.failed(response, .servFail, ExtendedDNSError(infoCode: .noReachableAuthority))
        }
        let keep: (ResourceRecord) -> Bool = { record in
            dnssecOK || record.type == question.type || ![RRType.rrsig, .nsec, .nsec3].contains(record.type)
        }
        response.header.rcode = fetched.rcode
        response.answers = fetched.answers.filter(keep)
        response.authority = fetched.authority.filter(keep)
        response.header.authenticData = status == .secure && !query.header.checkingDisabled
            && (dnssecOK || query.header.authenticData)
        if case .udp = transport {
            let limit = query.edns.map { Int(max(512, $0.udpPayloadSize)) } ?? 512
            if response.wire.count > limit {
                response.answers = []
                response.authority = []
                response.header.isTruncated = true
            }
        }
        return response
    }

    static func failed(_ response: Message, _ rcode: RCode, _ ede: ExtendedDNSError? = nil) -> Message {
        var response = response
        response.header.rcode = rcode
        response.header.authenticData = false
        if let ede, response.edns != nil { response.edns?.options.append(EDNSOption(ede)) }
        return response
    }
}
