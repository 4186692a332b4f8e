import DNSCore
import DNSTransport

/// The bytes-in, action-out face of the answerer that the UDP and TCP handlers call: parses
/// the query, answers it, runs the catalog's fault plan over the answer and encodes it.
///
/// - fewer than 12 octets (no header), or a message with QR set: dropped, never answered
///   (answering responses invites loops; RFC 1035 §4.1.1);
/// - a header followed by bytes that do not parse: FORMERR with the query's ID, opcode
///   and RD, no question (RFC 1035 §4.1.1; RFC 6891 §7 for a bad OPT).
public struct AuthoritativeResponder: DNSResponder {
    public var answerer: AuthoritativeAnswerer

    public init(answerer: AuthoritativeAnswerer) {
        self.answerer = answerer
    }

    public func respond(to bytes: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
        let query: Message
        switch DecodedQuery.decode(bytes) {
        case .query(let message): query = message
        case .handled(let action): return action
        }
        let output = answerer.respond(to: query, over: context.transport)
        let plan = answerer.catalog.faults
        guard !plan.isEmpty, let question = query.questions.first else { return .reply(output.wire) }
        let faults = plan.faults(for: question, zone: answerer.zone(for: question)?.origin)
        guard !faults.isEmpty else { return .reply(output.wire) }
        switch FaultPlan.apply(faults, to: output.message, over: context.transport) {
        case .drop: return .drop
        case .respond(let message): return .reply(message.wire)
        case .respondAfter(let delay, let message): return .replyAfter(delay, message.wire)
        }
    }
}
