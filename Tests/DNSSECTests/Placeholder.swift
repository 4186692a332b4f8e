// DNSSEC tests
