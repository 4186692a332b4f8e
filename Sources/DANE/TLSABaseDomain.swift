import DNSCore
import DNSSEC

/// Where to look for an MX host's TLSA records (RFC 7672 §2.2.2 and RFC 7671 §7).
public enum TLSABaseDomain {
    /// One link of the CNAME chain from the MX host name to the name that holds its
    /// addresses, with the status of the CNAME RRset that made it.
    public struct AliasLink: Hashable, Sendable {
        public var alias: DomainName
        public var target: DomainName
        public var status: SecurityStatus

        public init(alias: DomainName, target: DomainName, status: SecurityStatus) {
            self.alias = alias
            self.target = target
            self.status = status
        }
    }

    /// The TLSA base domains to try, in order; empty means "no TLSA lookup" (opportunistic).
    ///
    /// RFC 7672 §2.2.2:
    /// - The address records must be secure, else TLSA is not looked up at all (an insecure
    ///   address could lead anywhere, so no TLSA there can be trusted to belong to it).
    /// - No alias: the base is the MX host name itself.
    /// - An alias chain: the base is first the fully expanded name (where the addresses
    ///   are); then — only when every CNAME link of the chain is secure, so the original name
    ///   provably leads there — the original MX host name (RFC 7671 §7: the server operator
    ///   may publish TLSA at either; the expanded name wins). The original name is also what
    ///   SNI and the DANE-TA reference identifier use when it is the base.
    public static func candidates(host: DomainName, aliases: [AliasLink], addressStatus: SecurityStatus) -> [DomainName] {
        guard addressStatus == .secure else { return [] }
        guard let last = aliases.last else { return [host] }
        let expanded = last.target
        let wholeChainSecure = aliases.allSatisfy { $0.status == .secure }
        if wholeChainSecure, expanded != host { return [expanded, host] }
        return [expanded]
    }
}
