import DNSCore

/// Decides whether a datagram or TCP frame is the answer to a query (RFC 5452 §4.3: ID,
/// source and question must all match). Pure.
public enum ResponseMatcher {
    public enum Verdict: Hashable, Sendable {
        case accepted(Message)
        /// Not ours (other ID): keep waiting, it may be a spoofing attempt or a late answer.
        case ignored(DNSExchangeError)
        /// Ours, but unusable.
        case rejected(DNSExchangeError)
    }

    /// - the message must parse (else `malformedResponse`), with QR set;
    /// - the ID must equal the query's (else the datagram is ignored);
    /// - the question must be the query's, compared case-insensitively so a server that
    ///   does not echo 0x20 case randomisation still matches (draft-vixie-dnsext-dns0x20 §4);
    ///   a FORMERR/NOTIMP without a question section is accepted (RFC 6891 §7);
    /// - over UDP, more octets than `maxSize` is `oversizeResponse`.
    public static func match(_ bytes: [UInt8], to query: Message, maxSize: Int?) -> Verdict {
        guard bytes.count >= 12 else {
            return .rejected(DNSExchangeError(.malformedResponse, "answer of \(bytes.count) octets is shorter than a DNS header"))
        }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        guard id == query.header.id else {
            return .ignored(DNSExchangeError(.mismatchedResponse, "answer ID \(id) is not the query's \(query.header.id)"))
        }
        if let maxSize, bytes.count > maxSize {
            return .rejected(DNSExchangeError(.oversizeResponse, "UDP answer of \(bytes.count) octets exceeds the \(maxSize) advertised"))
        }
        let message: Message
        do { message = try Message(wire: bytes) } catch {
            return .rejected(DNSExchangeError(.malformedResponse, "answer does not parse: \(error)"))
        }
        guard message.header.isResponse, message.header.opcode == query.header.opcode else {
            return .rejected(DNSExchangeError(.mismatchedResponse, "answer has QR clear or another opcode"))
        }
        if message.questions.isEmpty, message.header.rcode == .formErr || message.header.rcode == .notImp {
            return .accepted(message)
        }
        guard message.questions.count == query.questions.count,
              zip(message.questions, query.questions).allSatisfy({ $0.name == $1.name && $0.type == $1.type && $0.rrClass == $1.rrClass }) else {
            return .rejected(DNSExchangeError(.mismatchedResponse, "answer's question \(message.questions) is not \(query.questions)"))
        }
        return .accepted(message)
    }
}
