import DNSCore

/// Which published TLSA records match which certificate a server presents, and what would
/// break at the next renewal (`daneprobe tlsa --check`). Pure: the chains are given, one per
/// certificate the server can present (e.g. its ECDSA and its RSA certificate).
public enum TLSAPublicationCheck {
    /// One chain the server presented, leaf first, and the key type of its leaf.
    public struct Presented: Hashable, Sendable {
        public var keyAlgorithm: CertificateFields.KeyAlgorithm
        public var chain: [[UInt8]]

        public init(keyAlgorithm: CertificateFields.KeyAlgorithm, chain: [[UInt8]]) {
            self.keyAlgorithm = keyAlgorithm
            self.chain = chain
        }
    }

    /// A record and the certificates it matches: (index of the presented chain, depth).
    public struct RecordMatch: Hashable, Sendable {
        public var record: TLSA
        public var problem: TLSAUsability.Problem?
        public var matches: [Position]
    }

    public struct Position: Hashable, Sendable {
        public var chain: Int
        public var depth: Int

        public init(chain: Int, depth: Int) {
            self.chain = chain
            self.depth = depth
        }
    }

    public struct Finding: Hashable, Sendable, CustomStringConvertible {
        public enum Severity: String, Hashable, Sendable { case error, warning }
        public var severity: Severity
        public var rule: String
        public var detail: String
        public var description: String { "\(severity.rawValue): \(detail) (\(rule))" }
    }

    /// The matches, then the findings:
    /// - a record unusable for SMTP (RFC 7672 §3.1.3) is a warning: senders ignore it;
    /// - DANE-EE(3) matches only the leaf (RFC 7672 §3.1.1); DANE-TA(2) only a CA certificate
    ///   the server sends, depth ≥ 1 (§3.1.2) — a `2 x x` matching no sent certificate is a
    ///   warning, since DANE-TA needs the server to send that CA (`2 0 0` aside, which carries
    ///   the whole certificate);
    /// - a presented chain that no usable record matches is an error: a sender that
    ///   negotiates that certificate (e.g. the RSA one of a dual RSA/ECDSA server) fails DANE;
    /// - when every usable record matches a presented leaf and none is a DANE-TA match or a
    ///   spare, a new key breaks DANE until its record is published: a warning to publish
    ///   "current + next" (RFC 7671 §8.1, §8.4).
    public static func evaluate(records: [TLSA], presented: [Presented]) -> (matches: [RecordMatch], findings: [Finding]) {
        var findings: [Finding] = []
        var matches: [RecordMatch] = []
        for record in records {
            let problem = TLSAUsability.problem(with: record)
            var positions: [Position] = []
            if problem == nil {
                for (index, chain) in presented.enumerated() {
                    for (depth, der) in chain.chain.enumerated() where TLSAMatcher.matches(record, certificate: der) {
                        if record.usage == .daneEE, depth != 0 { continue }
                        if record.usage == .daneTA, depth == 0 { continue }
                        positions.append(Position(chain: index, depth: depth))
                    }
                }
            }
            matches.append(RecordMatch(record: record, problem: problem, matches: positions))
            if let problem {
                findings.append(Finding(severity: .warning, rule: "RFC 7672 §3.1.3", detail: "\(record.presentation) is not usable for SMTP (\(problem)); senders ignore it"))
            } else if record.usage == .daneTA, positions.isEmpty {
                let full = record.selector == .cert && record.matchingType == .full
                findings.append(Finding(severity: .warning, rule: "RFC 7672 §3.1.2",
                                        detail: "\(record.presentation) names a CA the server does not send" + (full ? " (a full certificate in DNS can still anchor the chain)" : "; DANE-TA needs the server to send that CA in its chain")))
            }
        }
        for (index, chain) in presented.enumerated() where !matches.contains(where: { $0.matches.contains { $0.chain == index } }) {
            findings.append(Finding(severity: .error, rule: "RFC 7672 §3",
                                    detail: "no usable record matches the \(chain.keyAlgorithm.rawValue) certificate: a sender that negotiates it fails DANE"))
        }
        let usable = matches.filter { $0.problem == nil }
        let allCurrentLeaves = !usable.isEmpty && usable.allSatisfy { $0.record.usage == .daneEE && !$0.matches.isEmpty }
        if allCurrentLeaves {
            findings.append(Finding(severity: .warning, rule: "RFC 7671 §8.1",
                                    detail: "every record matches a current server key and none is for the next key or a CA: a new key breaks DANE until its record is published; publish the next key's `3 1 1` beside the current one (or a `2 1 1` for the issuing CA) before renewing"))
        }
        return (matches, findings)
    }
}
