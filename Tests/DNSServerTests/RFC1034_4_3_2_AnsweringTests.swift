import PeerTestSupport
import DNSCore
import DNSServer
import Testing

/// A small unsigned zone with every branch of the RFC 1034 §4.3.2 algorithm.
enum PlainZone {
    static let text = """
    @        SOA   ns1 hostmaster 1 3600 900 604800 300
    @        NS    ns1
    @        NS    ns2
    ns1      A     192.0.2.1
    ns2      AAAA  2001:db8::2
    www      A     192.0.2.80
    www      AAAA  2001:db8::80
    alias    CNAME www
    chain1   CNAME chain2
    chain2   CNAME www
    dangling CNAME missing
    out      CNAME www.elsewhere.test.
    loop1    CNAME loop2
    loop2    CNAME loop1
    @        MX    10 www
    srv      SRV   0 0 25 www
    *.wild   TXT   "wildcard"
    *.wild   MX    10 www
    *.cwild  CNAME www
    x.ent    A     192.0.2.9
    sub      NS    ns.sub
    sub      NS    ns.other.test.
    ns.sub   A     192.0.2.53
    d        DNAME target.example.net.
    """

    static func zone() throws -> Zone { try TestZones.zone(text, origin: "example.") }
    static func answerer(_ configuration: AuthoritativeAnswerer.Configuration = .init()) throws -> AuthoritativeAnswerer {
        try TestZones.answerer(zone(), configuration: configuration)
    }
}

@Suite struct RFC1034_4_3_2_AnsweringTests {
    @Test func exactMatchIsAuthoritativeWithAuthorityAndAdditional() throws {
        let response = try PlainZone.answerer().ask("www.example.", .a)
        #expect(response.header.rcode == .noError)
        #expect(response.header.isAuthoritative)
        #expect(!response.header.recursionAvailable)
        #expect(response.summary(\.answers) == ["www.example. A"])
        #expect(response.summary(\.authority) == ["example. NS", "example. NS"])
        #expect(Set(response.summary(\.additional)) == ["ns1.example. A", "ns2.example. AAAA"])
        #expect(response.questions == [Question(name: name("www.example."), type: .a)])
        #expect(response.header.id == 0x1234)
    }

    @Test func minimalResponsesLeaveOutAuthorityAndAdditional() throws {
        let response = try PlainZone.answerer(.init(minimalResponses: true)).ask("example.", .mx)
        #expect(response.summary(\.answers) == ["example. MX"])
        #expect(response.authority.isEmpty)
        #expect(response.additional.isEmpty)
    }

    @Test func additionalSectionHasAddressesOfMXAndSRVTargets() throws {
        let answerer = try PlainZone.answerer()
        let mx = try answerer.ask("example.", .mx)
        #expect(Set(mx.summary(\.additional)).isSuperset(of: ["www.example. A", "www.example. AAAA"]))
        let srv = try answerer.ask("srv.example.", .srv)
        #expect(Set(srv.summary(\.additional)).isSuperset(of: ["www.example. A", "www.example. AAAA"]))
    }

    @Test func apexNSQueryHasNoDuplicateAuthority() throws {
        let response = try PlainZone.answerer().ask("example.", .ns)
        #expect(response.answers.count == 2)
        #expect(response.authority.isEmpty)
    }

    @Test func recursionDesiredIsCopiedAndNeverAvailable() throws {
        var query = Message.query(id: 9, name: name("www.example."), type: .a, recursionDesired: true)
        query.header.checkingDisabled = true
        let response = try PlainZone.answerer().answer(query: query, over: .udp)
        #expect(response.header.recursionDesired)
        #expect(!response.header.recursionAvailable)
        #expect(response.header.checkingDisabled)
    }

    /// RFC 2308 §3: the SOA in a negative answer has TTL min(SOA TTL, MINIMUM).
    @Test func RFC2308_3_noDataHasSOAWithMinimumTTL() throws {
        let response = try PlainZone.answerer().ask("www.example.", .mx)
        #expect(response.header.rcode == .noError)
        #expect(response.header.isAuthoritative)
        #expect(response.answers.isEmpty)
        #expect(response.summary(\.authority) == ["example. SOA"])
        #expect(response.authority.first?.ttl == 300)
    }

    @Test func RFC2308_3_nameErrorHasSOA() throws {
        let response = try PlainZone.answerer().ask("nope.example.", .a)
        #expect(response.header.rcode == .nxDomain)
        #expect(response.header.isAuthoritative)
        #expect(response.summary(\.authority) == ["example. SOA"])
        #expect(response.authority.first?.ttl == 300)
    }

    @Test func emptyNonTerminalIsNoDataNotNameError() throws {
        let response = try PlainZone.answerer().ask("ent.example.", .a)
        #expect(response.header.rcode == .noError)
        #expect(response.answers.isEmpty)
        #expect(response.summary(\.authority) == ["example. SOA"])
    }

    @Test func nameOutsideTheCatalogIsRefused() throws {
        let response = try PlainZone.answerer().ask("www.example.net.", .a)
        #expect(response.header.rcode == .refused)
        #expect(!response.header.isAuthoritative)
        #expect(response.answers.isEmpty && response.authority.isEmpty)
        #expect(response.questions.count == 1)
    }

    @Test func longestMatchingZoneAnswers() throws {
        let parent = try PlainZone.zone()
        let child = try TestZones.zone("@ SOA ns hm 2 3600 900 604800 60\n@ NS ns\nns A 192.0.2.53\nwww A 192.0.2.99\n", origin: "sub.example.")
        let answerer = try TestZones.answerer(parent, child)
        let response = try answerer.ask("www.sub.example.", .a)
        #expect(response.header.isAuthoritative)
        #expect(response.answers.first?.rdata.as(A.self)?.address.description == "192.0.2.99")
        // The delegation's NS query goes to the child too (longest match), answered there.
        #expect(try answerer.ask("sub.example.", .ns).header.isAuthoritative)
    }

    @Test func duplicateZoneIsRefusedByTheCatalog() throws {
        #expect(throws: ZoneLoadError.self) { try ZoneCatalog(zones: [try PlainZone.zone(), try PlainZone.zone()]) }
    }

    @Test func zoneWithoutSOAOrWithOutOfZoneDataIsRefused() throws {
        do {
            _ = try TestZones.zone("www A 192.0.2.1\n", origin: "example.")
            Issue.record("no SOA accepted")
        } catch let error as ZoneLoadError {
            #expect(error.code == .missingSOA)
        }
        do {
            _ = try TestZones.zone("@ SOA ns hm 1 1 1 1 1\nwww.example.net. A 192.0.2.1\n", origin: "example.")
            Issue.record("out-of-zone data accepted")
        } catch let error as ZoneLoadError {
            #expect(error.code == .outOfZone)
        }
    }

    /// RFC 8482 §4.2: one RRset for ANY.
    @Test func RFC8482_4_2_anyGetsOneRRset() throws {
        let response = try PlainZone.answerer().ask("www.example.", .any)
        #expect(response.summary(\.answers) == ["www.example. A"])
        #expect(response.authority.isEmpty)
    }
}

/// CNAME handling: RFC 1034 §4.3.2 step 3.a, chains inside the zone, RFC 6604 RCODE/AA.
@Suite struct RFC1034_CNAMETests {
    @Test func cnameIsFollowedWithinTheZone() throws {
        let response = try PlainZone.answerer().ask("alias.example.", .a)
        #expect(response.summary(\.answers) == ["alias.example. CNAME", "www.example. A"])
        #expect(response.header.isAuthoritative)
    }

    @Test func chainsAreFollowed() throws {
        let response = try PlainZone.answerer().ask("chain1.example.", .aaaa)
        #expect(response.summary(\.answers) == ["chain1.example. CNAME", "chain2.example. CNAME", "www.example. AAAA"])
    }

    /// RFC 6604 §2.1: the RCODE is that of the last name in the chain.
    @Test func RFC6604_2_1_danglingCNAMEIsNameError() throws {
        let response = try PlainZone.answerer().ask("dangling.example.", .a)
        #expect(response.header.rcode == .nxDomain)
        #expect(response.header.isAuthoritative)
        #expect(response.summary(\.answers) == ["dangling.example. CNAME"])
        #expect(response.summary(\.authority) == ["example. SOA"])
    }

    @Test func cnameOutOfTheZoneStopsThere() throws {
        let response = try PlainZone.answerer().ask("out.example.", .a)
        #expect(response.header.rcode == .noError)
        #expect(response.summary(\.answers) == ["out.example. CNAME"])
        #expect(response.authority.isEmpty)
    }

    @Test func loopsEnd() throws {
        let response = try PlainZone.answerer().ask("loop1.example.", .a)
        #expect(response.summary(\.answers) == ["loop1.example. CNAME", "loop2.example. CNAME"])
    }

    @Test func cnameQueryGetsTheCNAMEOnly() throws {
        let response = try PlainZone.answerer().ask("alias.example.", .cname)
        #expect(response.summary(\.answers) == ["alias.example. CNAME"])
    }
}

/// Referrals: RFC 1034 §4.3.2 step 3.b; glue (RFC 9471).
@Suite struct RFC1034_ReferralTests {
    @Test func nameBelowACutGetsAReferral() throws {
        let response = try PlainZone.answerer().ask("host.sub.example.", .a)
        #expect(response.header.rcode == .noError)
        #expect(!response.header.isAuthoritative)
        #expect(response.answers.isEmpty)
        #expect(response.summary(\.authority) == ["sub.example. NS", "sub.example. NS"])
        // In-domain glue only; ns.other.test. is not ours.
        #expect(response.summary(\.additional) == ["ns.sub.example. A"])
    }

    @Test func theCutItselfIsAReferral() throws {
        let response = try PlainZone.answerer().ask("sub.example.", .ns)
        #expect(!response.header.isAuthoritative)
        #expect(response.answers.isEmpty)
        #expect(response.authority.count == 2)
    }

    @Test func glueIsNotAnsweredAuthoritatively() throws {
        let response = try PlainZone.answerer().ask("ns.sub.example.", .a)
        #expect(!response.header.isAuthoritative)
        #expect(response.answers.isEmpty)
    }

    /// RFC 4035 §3.1.4.1: DS is the parent's; at the cut the parent answers it (here NODATA,
    /// authoritative, unsigned zone).
    @Test func RFC4035_3_1_4_1_dsAtTheCutIsAnsweredByTheParent() throws {
        let response = try PlainZone.answerer().ask("sub.example.", .ds)
        #expect(response.header.isAuthoritative)
        #expect(response.header.rcode == .noError)
        #expect(response.summary(\.authority) == ["example. SOA"])
    }

    @Test func RFC4035_3_1_4_1_dsForAChildApexGoesToTheParentZone() throws {
        let parent = try TestZones.zone(PlainZone.text + "\nsub DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n", origin: "example.")
        let child = try TestZones.zone("@ SOA ns hm 2 3600 900 604800 60\n@ NS ns\nns A 192.0.2.53\n", origin: "sub.example.")
        let response = try TestZones.answerer(parent, child).ask("sub.example.", .ds)
        #expect(response.summary(\.answers) == ["sub.example. DS"])
        #expect(response.header.isAuthoritative)
    }
}

/// DNAME: RFC 6672 §3.2.
@Suite struct RFC6672_DNAMETests {
    @Test func RFC6672_3_2_synthesizesACNAME() throws {
        let response = try PlainZone.answerer().ask("a.b.d.example.", .a)
        #expect(response.header.rcode == .noError)
        #expect(response.summary(\.answers) == ["d.example. DNAME", "a.b.d.example. CNAME"])
        let cname = response.answers[1]
        #expect(cname.rdata.as(CNAME.self)?.target == name("a.b.target.example.net."))
        #expect(cname.ttl == response.answers[0].ttl)
    }

    @Test func theDNAMEOwnerItselfIsNotRedirected() throws {
        let answerer = try PlainZone.answerer()
        #expect(try answerer.ask("d.example.", .dname).summary(\.answers) == ["d.example. DNAME"])
        let a = try answerer.ask("d.example.", .a)
        #expect(a.answers.isEmpty)
        #expect(a.header.rcode == .noError)
    }

    /// RFC 6672 §2.2: a substituted name over 255 octets is YXDOMAIN.
    @Test func RFC6672_2_2_tooLongIsYXDOMAIN() throws {
        let long = (0..<4).map { _ in String(repeating: "t", count: 55) }.joined(separator: ".") + ".example.net."
        let zone = try TestZones.zone("@ SOA ns hm 1 3600 900 604800 300\n@ NS ns\nns A 192.0.2.1\nd DNAME \(long)\n", origin: "example.")
        let response = try TestZones.answerer(zone).ask(String(repeating: "q", count: 40) + ".d.example.", .a)
        #expect(response.header.rcode == .yxDomain)
        #expect(response.summary(\.answers) == ["d.example. DNAME"])
    }

    @Test func dnameTargetInsideTheZoneIsFollowed() throws {
        let zone = try TestZones.zone("@ SOA ns hm 1 3600 900 604800 300\n@ NS ns\nns A 192.0.2.1\nold DNAME new\nwww.new A 192.0.2.7\n", origin: "example.")
        let response = try TestZones.answerer(zone).ask("www.old.example.", .a)
        #expect(response.summary(\.answers) == ["old.example. DNAME", "www.old.example. CNAME", "www.new.example. A"])
    }
}

/// Wildcards: RFC 4592 §3.3.1 (synthesis), §2.2.2 (empty non-terminals block).
@Suite struct RFC4592_WildcardTests {
    @Test func RFC4592_3_3_1_synthesizesWithTheQueryName() throws {
        let response = try PlainZone.answerer().ask("a.wild.example.", .txt)
        #expect(response.header.rcode == .noError)
        #expect(response.header.isAuthoritative)
        #expect(response.summary(\.answers) == ["a.wild.example. TXT"])
    }

    @Test func matchesMoreThanOneLabel() throws {
        let response = try PlainZone.answerer().ask("a.b.c.wild.example.", .mx)
        #expect(response.summary(\.answers) == ["a.b.c.wild.example. MX"])
        #expect(Set(response.summary(\.additional)).isSuperset(of: ["www.example. A"]))
    }

    @Test func wildcardNoData() throws {
        let response = try PlainZone.answerer().ask("a.wild.example.", .aaaa)
        #expect(response.header.rcode == .noError)
        #expect(response.answers.isEmpty)
        #expect(response.summary(\.authority) == ["example. SOA"])
    }

    @Test func theWildcardParentIsAnEmptyNonTerminal() throws {
        let response = try PlainZone.answerer().ask("wild.example.", .txt)
        #expect(response.header.rcode == .noError)
        #expect(response.answers.isEmpty)
    }

    @Test func wildcardCNAMEIsSynthesizedAndFollowed() throws {
        let response = try PlainZone.answerer().ask("x.cwild.example.", .a)
        #expect(response.summary(\.answers) == ["x.cwild.example. CNAME", "www.example. A"])
    }

    /// RFC 4592 §2.2.2: an existing name (here an empty non-terminal) is never matched by the
    /// wildcard above it, nor are names below it.
    @Test func RFC4592_2_2_2_existingNamesBlockTheWildcard() throws {
        let zone = try TestZones.zone("@ SOA ns hm 1 3600 900 604800 300\n@ NS ns\nns A 192.0.2.1\n* TXT \"w\"\nx.ent A 192.0.2.9\n", origin: "example.")
        let answerer = try TestZones.answerer(zone)
        #expect(try answerer.ask("ent.example.", .txt).answers.isEmpty)
        #expect(try answerer.ask("y.ent.example.", .txt).header.rcode == .nxDomain)
        #expect(try answerer.ask("other.example.", .txt).summary(\.answers) == ["other.example. TXT"])
    }
}
