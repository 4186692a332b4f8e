extension PresentationScanner {
    /// An RRSIG time field (RFC 4034 §3.2): `YYYYMMDDHHmmSS` or decimal seconds.
    public mutating func signatureTime(_ what: String) throws(PresentationError) -> UInt32 {
        let token = try next(what)
        guard !token.isQuoted, let value = DNSSECTime.parse(token.text) else {
            throw error(
                .badValue, at: token,
                "\(what) \"\(token.string)\" is neither YYYYMMDDHHmmSS (UTC, 1970 to 2106-02-07T06:28:15) nor seconds up to \(UInt32.max)"
            )
        }
        return value
    }

    /// A DNSSEC algorithm field: a number or a mnemonic such as `RSASHA256` (RFC 4034 §2.2,
    /// §3.2 and §5.3 allow either; BIND and ldns print the number).
    public mutating func dnssecAlgorithm(_ what: String) throws(PresentationError) -> DNSSECAlgorithm {
        let token = try next(what)
        if !token.isQuoted {
            if let number = Self.decimal(token.text, as: UInt8.self) { return DNSSECAlgorithm(number) }
            if let known = DNSSECAlgorithm.byMnemonic[token.string.uppercased()] { return known }
        }
        throw error(.badValue, at: token, "\(what) \"\(token.string)\" is neither a number from 0 to 255 nor a known mnemonic")
    }
}
