import PeerTestSupport
import Testing

/// The readers of Postfix's output on lines captured from Debian's Postfix 3.7.11 (posttls-finger
/// and an MTA's `maillog_file`) against a lab like `PostfixJudgeLab` (hosts under
/// pfjudge.test, 127.0.3.x; fingerprints shortened where nothing reads them). These run
/// without Postfix, so a change in the readers is caught even where it is not installed.
@Suite struct PostfixOutputParsingTests {
    static let spki = "713E3814892EF10AF152EBCA3F63344112D52F46B3877D006DD48491C6310C62"

    @Test func fingerVerified() {
        let report = PostTLSFingerReport(output: """
            posttls-finger: DNSSEC-signed TLSA record: _25._tcp.mx-good.pfjudge.test: 3 1 1 \(Self.spki)
            posttls-finger: Connected to mx-good.pfjudge.test[127.0.3.11]:25
            posttls-finger: < 220 mx Python SMTP 1.4.3
            posttls-finger: > EHLO vm.localdomain
            posttls-finger: < 250-mx
            posttls-finger: < 250-STARTTLS
            posttls-finger: < 250 HELP
            posttls-finger: > STARTTLS
            posttls-finger: < 220 Ready to start TLS
            posttls-finger: mx-good.pfjudge.test[127.0.3.11]:25: Matched DANE EE certificate at depth 0: 3 1 1 \(Self.spki)
            posttls-finger: mx-good.pfjudge.test[127.0.3.11]:25: subject_CN=mx-good.pfjudge.test, issuer_CN=mx-good.pfjudge.test, fingerprint=B1:00, pkey_fingerprint=71:3E
            posttls-finger: Verified TLS connection established to mx-good.pfjudge.test[127.0.3.11]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256
            posttls-finger: > EHLO vm.localdomain
            posttls-finger: > QUIT
            posttls-finger: < 221 Bye

            """)
        #expect(report.verdict == .verified)
        #expect(report.host == "mx-good.pfjudge.test[127.0.3.11]:25")
        #expect(report.tlsaRecords == ["_25._tcp.mx-good.pfjudge.test: 3 1 1 \(Self.spki)"])
        #expect(report.matches.count == 1)
        #expect(report.daneFailure == nil)
        #expect(report.summary?.hasPrefix("Verified TLS connection established to ") == true)
    }

    @Test func fingerDANEFailureSaysUntrustedButFailed() {
        let report = PostTLSFingerReport(output: """
            posttls-finger: DNSSEC-signed TLSA record: _25._tcp.mx-bad.pfjudge.test: 3 1 1 0000000000000000000000000000000000000000000000000000000000000000
            posttls-finger: Connected to mx-bad.pfjudge.test[127.0.3.12]:25
            posttls-finger: > STARTTLS
            posttls-finger: server certificate verification failed for mx-bad.pfjudge.test[127.0.3.12]:25: num=65:no matching DANE TLSA records
            posttls-finger: Untrusted TLS connection established to mx-bad.pfjudge.test[127.0.3.12]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)

            """)
        #expect(report.verdict == .daneFailed)
        #expect(report.host == "mx-bad.pfjudge.test[127.0.3.12]:25")
        #expect(report.daneFailure?.hasSuffix("no matching DANE TLSA records") == true)
    }

    @Test func fingerWithoutTLSA() {
        // No TLSA: posttls-finger falls back to the secure level; a self-signed server is
        // Untrusted, which is no DANE failure.
        let report = PostTLSFingerReport(output: """
            posttls-finger: certificate verification failed for 127.0.3.11[127.0.3.11]:25: self-signed certificate
            posttls-finger: Untrusted TLS connection established to 127.0.3.11[127.0.3.11]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)

            """)
        #expect(report.verdict == .untrusted)
        #expect(report.daneFailure == nil)
        #expect(report.host == "127.0.3.11[127.0.3.11]:25")
    }

    @Test func fingerNoSTARTTLS() {
        let chat = """
            posttls-finger: Connected to mx-plain.pfjudge.test[127.0.3.13]:25
            posttls-finger: < 220 mx Python SMTP 1.4.3
            posttls-finger: > EHLO vm.localdomain
            posttls-finger: < 250-mx
            posttls-finger: < 250 HELP
            posttls-finger: > QUIT
            posttls-finger: < 221 Bye

            """
        let required = PostTLSFingerReport(output: "posttls-finger: DNSSEC-signed TLSA record: _25._tcp.mx-plain.pfjudge.test: 3 1 1 \(Self.spki)\n" + chat)
        #expect(required.verdict == .tlsRequiredFailed)
        #expect(required.host == "mx-plain.pfjudge.test[127.0.3.13]:25")
        #expect(PostTLSFingerReport(output: chat).verdict == .plaintext)
    }

    @Test func fingerFailures() {
        #expect(PostTLSFingerReport(output: "posttls-finger: Failed to establish session to mx-good.pfjudge.test:2525 via mx-good.pfjudge.test: connect to mx-good.pfjudge.test[127.0.3.11]:2525: Connection refused\n").verdict == .unreachable)
        #expect(PostTLSFingerReport(output: "posttls-finger: Failed to establish session to mx-good.pfjudge.test:2525 via mx-good.pfjudge.test: connect to mx-good.pfjudge.test[127.0.3.11]:2525: Connection refused\n").host == "mx-good.pfjudge.test[127.0.3.11]:2525")
        #expect(PostTLSFingerReport(output: "posttls-finger: Destination address lookup failed: Host or domain name not found. Name service error for name=nx.pfjudge.test type=AAAA: Host not found\n").verdict == .noMail)
        #expect(PostTLSFingerReport(output: "posttls-finger: Destination address lookup failed: Host or domain name not found. Name service error for name=nonexistent.test type=MX: Host not found, try again\n").verdict == .dnsFailed)
        #expect(PostTLSFingerReport(output: "posttls-finger: Destination address lookup failed: Domain nullmx.pfjudge.test does not accept mail (nullMX)\n").verdict == .noMail)
        #expect(PostTLSFingerReport(output: "").verdict == nil)
    }

    static let maillog = """
        Dec 01 10:28:16 judge postfix/master[27069]: daemon started -- version 3.7.11, configuration /tmp/pfx/mta
        Dec 01 10:28:20 judge postfix/pickup[27070]: 80A51F7C403: uid=0 from=<judge@judge.pfjudge.test>
        Dec 01 10:28:20 judge postfix/cleanup[27149]: 80A51F7C403: message-id=<good-1@judge.pfjudge.test>
        Dec 01 10:28:20 judge postfix/qmgr[27071]: 80A51F7C403: from=<judge@judge.pfjudge.test>, size=280, nrcpt=1 (queue active)
        Dec 01 10:28:20 judge postfix/cleanup[27149]: 84467F7C3FA: message-id=<bad-1@judge.pfjudge.test>
        Dec 01 10:28:20 judge postfix/cleanup[27149]: 8481CF7C417: message-id=<plain-1@judge.pfjudge.test>
        Dec 01 10:28:20 judge postfix/cleanup[27149]: 8790FF7C425: message-id=<nx-1@judge.pfjudge.test>
        Dec 01 10:28:20 judge postfix/smtp[27156]: Verified TLS connection established to mx-good.pfjudge.test[127.0.3.11]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256
        Dec 01 10:28:20 judge postfix/smtp[27156]: 80A51F7C403: to=<user@good.pfjudge.test>, relay=mx-good.pfjudge.test[127.0.3.11]:25, delay=0.05, delays=0.03/0.02/0.01/0, dsn=2.0.0, status=sent (250 OK)
        Dec 01 10:28:20 judge postfix/qmgr[27071]: 80A51F7C403: removed
        Dec 01 10:28:20 judge postfix/smtp[27163]: 8790FF7C425: to=<user@nx.pfjudge.test>, relay=none, delay=0.02, delays=0/0.02/0/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=nx.pfjudge.test type=A: Host not found)
        Dec 01 10:28:20 judge postfix/smtp[27156]: server certificate verification failed for mx-bad.pfjudge.test[127.0.3.12]:25: num=65:no matching DANE TLSA records
        Dec 01 10:28:20 judge postfix/smtp[27156]: Untrusted TLS connection established to mx-bad.pfjudge.test[127.0.3.12]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256
        Dec 01 10:28:20 judge postfix/smtp[27162]: 8481CF7C417: to=<user@plain.pfjudge.test>, relay=mx-plain.pfjudge.test[127.0.3.13]:25, delay=0.04, delays=0/0.03/0.01/0, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx-plain.pfjudge.test[127.0.3.13])
        Dec 01 10:28:20 judge postfix/smtp[27156]: 84467F7C3FA: to=<user@bad.pfjudge.test>, relay=mx-bad.pfjudge.test[127.0.3.12]:25, delay=0.06, delays=0.01/0.02/0.02/0, dsn=4.7.5, status=deferred (Server certificate not verified)

        """

    @Test func maillogDeliveries() throws {
        let (deliveries, queueIDs) = PostfixDelivery.parse(log: Self.maillog)
        #expect(queueIDs["good-1@judge.pfjudge.test"] == "80A51F7C403")
        #expect(deliveries.map(\.recipient) == ["user@good.pfjudge.test", "user@nx.pfjudge.test", "user@plain.pfjudge.test", "user@bad.pfjudge.test"])
        let good = try #require(deliveries.first)
        #expect(good.status == .sent && good.verdict == .verified && good.tlsLevel == "Verified")
        #expect(good.relay == "mx-good.pfjudge.test[127.0.3.11]:25" && good.dsn == "2.0.0" && good.statusText == "250 OK")
        let nx = deliveries[1]
        #expect(nx.status == .bounced && nx.verdict == .noMail && nx.tlsLevel == nil)
        let plain = deliveries[2]
        #expect(plain.status == .deferred && plain.verdict == .tlsRequiredFailed)
        // The same smtp process delivered good and bad: only the lines after good's status
        // line belong to bad.
        let bad = deliveries[3]
        #expect(bad.status == .deferred && bad.verdict == .daneFailed && bad.tlsLevel == "Untrusted")
        #expect(bad.daneFailure?.hasSuffix("num=65:no matching DANE TLSA records") == true)
        #expect(bad.sessionLines.count == 2)
    }
}
