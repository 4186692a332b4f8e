import DNSCore
import DNSSEC
import Testing
@testable import DANE

/// RFC 7672 §2.2.2: the TLSA base domain of an MX host, every branch of
/// `TLSABaseDomain.candidates`.
@Suite struct RFC7672_2_2_2_TLSABaseTests {
    typealias Link = TLSABaseDomain.AliasLink

    @Test func noAliasUsesTheHostName() {
        #expect(TLSABaseDomain.candidates(host: "mx.example.", aliases: [], addressStatus: .secure) == ["mx.example."])
    }

    @Test func insecureOrBogusAddressesMeanNoTLSALookup() {
        for status in [SecurityStatus.insecure, .bogus, .indeterminate] {
            #expect(TLSABaseDomain.candidates(host: "mx.example.", aliases: [], addressStatus: status).isEmpty)
        }
    }

    @Test func secureChainTriesTheExpandedNameThenTheOriginal() {
        let chain = [Link(alias: "mx.example.", target: "a.hosting.", status: .secure),
                     Link(alias: "a.hosting.", target: "b.hosting.", status: .secure)]
        #expect(TLSABaseDomain.candidates(host: "mx.example.", aliases: chain, addressStatus: .secure) == ["b.hosting.", "mx.example."])
    }

    /// An insecure link anywhere: only the expanded name (if its addresses are secure).
    @Test func insecureAliasUsesOnlyTheExpandedName() {
        let chain = [Link(alias: "mx.example.", target: "a.hosting.", status: .insecure)]
        #expect(TLSABaseDomain.candidates(host: "mx.example.", aliases: chain, addressStatus: .secure) == ["a.hosting."])
        let mixed = [Link(alias: "mx.example.", target: "a.hosting.", status: .secure),
                     Link(alias: "a.hosting.", target: "b.hosting.", status: .insecure)]
        #expect(TLSABaseDomain.candidates(host: "mx.example.", aliases: mixed, addressStatus: .secure) == ["b.hosting."])
    }

    @Test func insecureTargetAddressesMeanNoTLSAEvenWithASecureAlias() {
        let chain = [Link(alias: "mx.example.", target: "a.hosting.", status: .secure)]
        #expect(TLSABaseDomain.candidates(host: "mx.example.", aliases: chain, addressStatus: .insecure).isEmpty)
    }
}
