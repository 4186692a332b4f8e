import DANE
import DNSCore
import DNSServer

/// One lab scenario as data (DESIGN.md "The lab"): a small set of zones under the lab TLD,
/// the mail hosts and the certificate each serves, the resolver and server misbehaviour, and
/// the verdict RFC 7672 expects under each `--insecure-mx-policy`.
public struct LabScenario: Sendable, Hashable, Identifiable {
    /// Expected domain verdicts (DESIGN.md's words, `DANEVerdict` raw values).
    public struct Expectation: Sendable, Hashable {
        /// Under `--insecure-mx-policy dane` (Postfix ≥ 3.6: secure TLSA is used even when
        /// the MX RRset is insecure).
        public var dane: DANEVerdict
        /// Under `--insecure-mx-policy may` (Postfix < 3.6: TLSA ignored below an insecure MX RRset).
        public var may: DANEVerdict

        public init(dane: DANEVerdict, may: DANEVerdict) {
            self.dane = dane
            self.may = may
        }

        /// The same verdict under both policies (the MX RRset is secure, or DANE never applies).
        public static func both(_ verdict: DANEVerdict) -> Expectation { Expectation(dane: verdict, may: verdict) }

        public func verdict(for policy: InsecureMXPolicy) -> DANEVerdict {
            switch policy {
            case .dane: dane
            case .may: may
            case .encrypt: may == .plaintext ? .tlsRequiredFailed : may
            }
        }
    }

    /// What Postfix logged for a `go6lab-*` scenario in 2015 (3.0, no DANE below an insecure
    /// MX RRset) and what a current Postfix logs.
    public struct PostfixText: Sendable, Hashable {
        public var in2015: String
        public var today: String

        public init(in2015: String, today: String) {
            self.in2015 = in2015
            self.today = today
        }
    }

    /// How the resolver in front of the sender validates.
    public enum ResolverMode: String, Sendable, Hashable {
        /// Local validation from the lab's root trust anchor (the built-in client always does this).
        case validating
        /// A resolver in Unbound's `val-permissive-mode`: bogus data returned without AD. Only
        /// an AD-trusting MTA behind `lab serve`'s permissive endpoint sees a difference; the
        /// built-in client validates locally.
        case permissive
    }

    /// A misbehaving name server answer (DNSServer's `Fault`), for one name and type.
    public struct ServerFault: Sendable, Hashable {
        public var name: String
        public var type: RRType?
        public var fault: Fault

        public init(name: String, type: RRType?, _ fault: Fault) {
            self.name = name
            self.type = type
            self.fault = fault
        }
    }

    public var id: String
    public var story: String
    /// The mail domain (absolute, under the lab TLD).
    public var domain: String
    public var zones: [LabZoneSpec]
    public var certificates: [LabCertificateSpec]
    public var hosts: [LabMailHost]
    public var faults: [ServerFault]
    public var resolver: ResolverMode
    public var expected: Expectation
    public var postfix: PostfixText?

    public init(id: String, story: String, domain: String, zones: [LabZoneSpec], certificates: [LabCertificateSpec] = [],
                hosts: [LabMailHost], faults: [ServerFault] = [], resolver: ResolverMode = .validating,
                expected: Expectation, postfix: PostfixText? = nil) {
        self.id = id
        self.story = story
        self.domain = domain
        self.zones = zones
        self.certificates = certificates
        self.hosts = hosts
        self.faults = faults
        self.resolver = resolver
        self.expected = expected
        self.postfix = postfix
    }
}
