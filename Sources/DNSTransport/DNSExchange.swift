import DNSCore

/// The one seam between resolution and the network: send `query` to `server`, get the
/// answer that matches it. Implementations handle framing, EDNS, TC → TCP, timeouts and
/// retries; callers see a matched, parsed `Message` or a `DNSExchangeError`.
public protocol DNSExchange: Sendable {
    func exchange(_ query: Message, with server: DNSServerAddress, options: DNSExchangeOptions) async throws(DNSExchangeError) -> Message
}

/// Per-exchange knobs.
public struct DNSExchangeOptions: Hashable, Sendable {
    /// How long one attempt (one UDP datagram, or one TCP connection) may take.
    public var attemptTimeout: Duration
    /// UDP attempts after the first when one times out.
    public var retries: Int
    /// Ask over TCP straight away.
    public var tcpOnly: Bool
    /// The EDNS UDP payload size we advertise (RFC 6891 §6.2.5; 1232 per DNS Flag Day 2020).
    public var udpPayloadSize: UInt16

    public init(attemptTimeout: Duration = .seconds(2), retries: Int = 1, tcpOnly: Bool = false, udpPayloadSize: UInt16 = 1232) {
        self.attemptTimeout = attemptTimeout
        self.retries = max(0, retries)
        self.tcpOnly = tcpOnly
        self.udpPayloadSize = udpPayloadSize
    }
}

/// Why an exchange gave no usable answer (the query could not be asked: a thrown error).
public struct DNSExchangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// No answer within the timeout, after every retry.
        case timeout
        /// The answer's bytes are not a DNS message.
        case malformedResponse
        /// A UDP answer larger than the payload size we advertised.
        case oversizeResponse
        /// The answer does not belong to the query (ID, QR, opcode or question differ).
        case mismatchedResponse
        /// Connecting, binding or writing failed.
        case networkError
        /// The server address is not usable.
        case badAddress
        /// Truncated over TCP too.
        case truncated
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
