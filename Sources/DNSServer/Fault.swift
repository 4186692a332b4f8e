import DNSCore

/// One misbehaviour the lab asks of the server (DESIGN.md, "The lab": broken scenarios are
/// data). Faults transform the correct answer after it is made; the answering code never
/// looks at them.
public enum Fault: Sendable, Hashable {
    /// Send nothing: the query times out at the client.
    case drop
    /// Answer, but only after this long (on the channel's event loop clock).
    case delay(Duration)
    /// Answer with this RCODE (SERVFAIL, NOTIMP, REFUSED, …) and empty sections.
    case rcode(RCode)
    /// Over UDP, answer with TC=1 and empty sections, so the client retries over TCP, where
    /// the answer is whole (RFC 7766 §5: TC means "ask again over TCP").
    case truncate
    /// Flip one bit of every RRSIG signature in the answer and authority sections: the
    /// signatures stay well-formed and fail to verify (bogus, RFC 4035 §5.5).
    case corruptSignatures
    /// Remove every RRSIG from the response (data a validator must treat as bogus when the
    /// zone is signed, RFC 4035 §5.2).
    case stripSignatures
    /// Serve these RRSIG records instead of the zone's for the same owner and covered type
    /// (pre-made, e.g. expired or not yet valid signatures, RFC 4035 §5.3.1).
    case replaceSignatures([ResourceRecord])
}

/// Which queries a fault applies to.
public enum FaultSelector: Sendable, Hashable {
    /// Queries for this QNAME, of this QTYPE (any QTYPE when nil).
    case query(name: DomainName, type: RRType?)
    /// Every query answered from the zone with this origin.
    case zone(DomainName)
}

/// What to do with a response after the fault plan has been applied.
public enum FaultOutcome: Sendable, Hashable {
    case respond(Message)
    case respondAfter(Duration, Message)
    case drop
}
