// DNSResolver tests
