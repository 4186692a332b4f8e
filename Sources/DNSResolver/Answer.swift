import DNSCore
import DNSSEC

/// The outcome of one validated lookup (wrapped in `Validated<Answer>`): the RCODE, the final
/// RRset(s) or the denial, and the CNAME/DNAME links followed on the way, each with its own
/// status.
public struct Answer: Hashable, Sendable {
    /// A negative answer, first-class (RFC 2308 §1): the name does not exist, or it exists
    /// without the type.
    public enum Denial: String, Hashable, Sendable {
        case nxDomain
        case noData
    }

    /// One alias followed: `owner` CNAME `target`, or a DNAME at an ancestor of `owner`
    /// synthesising `target` (RFC 6672 §2.2).
    public struct Link: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable { case cname, dname }
        public var kind: Kind
        public var owner: DomainName
        public var target: DomainName
        /// The DNAME's owner when `kind` is `.dname`.
        public var dnameOwner: DomainName?
        public var status: SecurityStatus
        public var zone: DomainName
    }

    public var question: Question
    public var rcode: RCode
    public var rrsets: [RRSet]
    public var denial: Denial?
    public var chain: [Link]
    /// The zone that gave the final answer.
    public var zone: DomainName?
    /// For a negative answer, how long it may be cached (RFC 2308 §5: the SOA's TTL capped
    /// by its MINIMUM).
    public var negativeTTL: UInt32?

    public init(question: Question, rcode: RCode, rrsets: [RRSet] = [], denial: Denial? = nil, chain: [Link] = [], zone: DomainName? = nil,
                negativeTTL: UInt32? = nil) {
        self.negativeTTL = negativeTTL
        self.question = question
        self.rcode = rcode
        self.rrsets = rrsets
        self.denial = denial
        self.chain = chain
        self.zone = zone
    }
}
