/// Authoritative DNS: answering as a pure function of a zone catalog, and the UDP/TCP
/// service around it (DESIGN.md, "DNSServer").
enum DNSServerModule {}
