// Interop tests with real peers (ldns, BIND tools, NSD, Unbound) live in this target.
