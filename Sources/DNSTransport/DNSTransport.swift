/// DNS over UDP and TCP on SwiftNIO: framing, EDNS sizes, truncation and the exchange seam
/// (DESIGN.md, "DNSTransport"). The pieces arrive with the server and resolver issues.
enum DNSTransportModule {}
