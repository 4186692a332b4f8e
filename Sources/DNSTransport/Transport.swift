/// The transport a DNS message came over (RFC 1035 §4.2): UDP datagrams, limited in size and
/// truncated when too large, or TCP streams with 2-octet length framing, unlimited up to
/// 65,535 octets per message.
public enum Transport: Sendable, Hashable, CustomStringConvertible {
    case udp
    case tcp

    public var description: String {
        switch self {
        case .udp: "udp"
        case .tcp: "tcp"
        }
    }
}
