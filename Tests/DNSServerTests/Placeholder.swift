// DNSServer tests
