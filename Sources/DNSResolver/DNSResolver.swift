/// Stub and iterative validating resolution (DESIGN.md, "DNSResolver").
enum DNSResolverModule {}
