import DNSCore

// The JSON of `check --json` and of every scan row, written member by member in key order:
// byte for byte what `JSONEncoder` with `.sortedKeys` makes of the `Codable` conformance
// (JSONWriterTests holds both to that, and to every property being written), without
// its cost. A property added to one of these types is added here too.

extension DomainReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("advice", advice)
        w.member("broken", broken)
        w.member("deliveringHost", deliveringHost)
        w.member("domain", domain)
        w.member("hosts", hosts)
        w.member("insecureMXPolicy", insecureMXPolicy)
        w.member("mx", mx)
        w.member("reasons", reasons)
        w.member("verdict", verdict.rawValue)
        w.endObject()
    }
}

extension MXReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("hosts", hosts)
        w.member("implicit", implicit)
        w.member("nullMX", nullMX)
        w.member("rcode", rcode)
        w.member("reasons", reasons)
        w.member("status", status.rawValue)
        w.endObject()
    }
}

extension MXHost: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("name", name)
        w.member("preference", preference)
        w.endObject()
    }
}

extension HostReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("addresses", addresses)
        w.member("aliases", aliases)
        w.member("connections", connections)
        w.member("name", name)
        w.member("preference", preference)
        w.member("reasons", reasons)
        w.member("requirement", requirement)
        w.member("skipped", skipped)
        w.member("tlsa", tlsa)
        w.member("tlsaBase", tlsaBase)
        w.member("verdict", verdict.rawValue)
        w.endObject()
    }
}

extension AddressLookupReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("addresses", addresses)
        w.member("family", family)
        w.member("rcode", rcode)
        w.member("reasons", reasons)
        w.member("status", status.rawValue)
        w.endObject()
    }
}

extension AliasReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("alias", alias)
        w.member("status", status.rawValue)
        w.member("target", target)
        w.endObject()
    }
}

extension TLSAReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("queried", queried)
        w.member("reasons", reasons)
        w.member("records", records)
        w.member("status", status)
        w.member("usable", usable)
        w.endObject()
    }
}

extension ConnectionReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("address", address)
        w.member("chain", chain)
        w.member("connectedTo", connectedTo)
        w.member("match", match)
        w.member("reasons", reasons)
        w.member("starttls", starttls)
        w.member("summary", summary)
        w.member("tls", tls)
        w.member("verdict", verdict.rawValue)
        w.endObject()
    }
}

extension TLSReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("cipher", cipher)
        w.member("sni", sni)
        w.member("version", version)
        w.endObject()
    }
}

extension MatchReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("depth", depth)
        w.member("record", record)
        w.endObject()
    }
}

extension ReasonReport: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("algorithm", algorithm)
        w.member("detail", detail)
        w.member("rule", rule)
        w.member("status", status)
        w.member("step", step)
        w.endObject()
    }
}

extension CertificateSummary: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("dnsNames", dnsNames)
        w.member("dnsNamesOmitted", dnsNamesOmitted)
        w.member("error", error)
        w.member("issuer", issuer)
        w.member("notAfter", notAfter)
        w.member("notBefore", notBefore)
        w.member("spkiSHA256", spkiSHA256)
        w.member("subject", subject)
        w.endObject()
    }
}
