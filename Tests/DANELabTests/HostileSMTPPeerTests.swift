import Crypto
import DANE
import DNSCore
import DNSTransport
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SMTPCore
import SMTPTransport
import SwiftASN1
import Testing
import X509
@testable import DANELab
@testable import MailProbe

/// Hostile SMTP servers on loopback, judged the way `check` judges a connection: the session
/// (SMTPProbe), what MailProbe makes of it (`HostProbe.observed`), and the verdict
/// (`DANEConnectionCheck`) with its reason — each bounded in time. Certificates are minted at
/// the lab's reference time (2026-01-01T00:00:00Z).
@Suite struct HostileSMTPPeerTests {
    static let now = LabRunner.referenceTime
    static let host: DomainName = "mx.hostile.lab."

    struct Minted {
        var chain: [[UInt8]]
        var key: P256.Signing.PrivateKey
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// root → `length - 2` intermediates → leaf for mx.hostile.lab, sent leaf first (root last);
    /// each CA certificate padded with a private non-critical extension of `padding` octets.
    static func chain(length: Int, padding: Int = 0) throws -> Minted {
        var issuerName = try DistinguishedName { CommonName("Hostile Root") }
        var issuerKey = P256.Signing.PrivateKey()
        var cas: [[UInt8]] = []
        for level in 0..<(length - 1) {
            let key = level == 0 ? issuerKey : P256.Signing.PrivateKey()
            let subject = level == 0 ? issuerName : try DistinguishedName { CommonName("Hostile CA \(level)") }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now - LabPKI.year, notValidAfter: now + LabPKI.year,
                issuer: issuerName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true))
                    if padding > 0 {
                        // An OCTET STRING of zeros under a private-arc OID (1.3.6.1.4.1.32473: RFC 5612's example PEN).
                        Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 32473, 1], critical: false,
                                              value: ArraySlice([0x04, 0x82, UInt8(padding >> 8), UInt8(padding & 0xFF)] + [UInt8](repeating: 0, count: padding)))
                    }
                },
                issuerPrivateKey: .init(issuerKey))
            cas.append(try der(certificate))
            issuerName = subject
            issuerKey = key
        }
        let leafKey = P256.Signing.PrivateKey()
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(leafKey.publicKey),
            notValidBefore: now - LabPKI.year, notValidAfter: now + LabPKI.year,
            issuer: issuerName, subject: try DistinguishedName { CommonName("mx.hostile.lab") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { SubjectAlternativeNames([.dnsName("mx.hostile.lab")]) },
            issuerPrivateKey: .init(issuerKey))
        return Minted(chain: [try der(leaf)] + cas.reversed(), key: leafKey)
    }

    static func serverTLS(_ minted: Minted) throws -> TLSConfiguration {
        let certificates = try minted.chain.map { NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: $0, format: .der)) }
        let key = try NIOSSLPrivateKey(bytes: Array(minted.key.pemRepresentation.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: certificates, privateKey: .privateKey(key))
        tls.certificateVerification = .none
        return tls
    }

    /// Our SMTP server on 127.0.0.1 port 0 with `tls`, for the duration of `body`.
    static func withServer<T: Sendable>(tls: TLSConfiguration, _ body: @Sendable (SocketAddress) async throws -> T) async throws -> T {
        let service = SMTPServerService(configuration: .init(
            addresses: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)],
            session: .init(hostname: "mx.hostile.lab", startTLSAvailable: true), tlsConfiguration: tls, idleTimeout: .seconds(10)),
            logger: LabNetwork.quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            let address = try #require(try await service.boundAddresses.first)
            return try await body(address)
        }
    }

    struct Judged {
        var result: SMTPSessionResult
        var verdict: ConnectionVerdict
        var elapsed: Duration
    }

    /// One session as MailProbe runs it under a DANE requirement with `usable` records.
    static func judge(_ address: SocketAddress, usable: [TLSA], timeout: Duration = .seconds(3)) async throws -> Judged {
        let clock = ContinuousClock()
        let started = clock.now
        let configuration = SMTPProbe.Configuration(
            session: .init(clientName: "daneprobe.invalid", tls: .required, timeouts: .init(all: timeout)),
            sniHostname: "mx.hostile.lab", connectTimeout: timeout)
        let result = try await SMTPProbe.run(to: address, configuration: configuration)
        let verdict = await DANEConnectionCheck.verdict(requirement: .dane(usable: usable), mxSecure: true, session: HostProbe.observed(result),
                                                        referenceNames: [host], at: now)
        return Judged(result: result, verdict: verdict, elapsed: clock.now - started)
    }

    /// A 200-certificate chain of about 190 KB: over BoringSSL's 100 KiB limit on the peer's
    /// certificate list (SSL_MAX_CERT_LIST_DEFAULT), so the client aborts the handshake at
    /// once — `tls-required-failed` under DANE, the handshake error as the reason.
    /// `EarlyVerdict`: the judgement started at the handshake is used only for a session
    /// that ended with the same TLS facts; any other ending is judged afresh.
    @Test func anEarlyVerdictCountsOnlyForTheSameFacts() async throws {
        let minted = try Self.chain(length: 2)
        let facts = TLSFacts(version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", chain: minted.chain)
        let early = EarlyVerdict()
        #expect(early.judgement(for: facts) == nil)
        early.start(facts) { facts in
            let verdict = await DANEConnectionCheck.verdict(requirement: .opportunistic, mxSecure: false, session: .tls(facts),
                                                            referenceNames: [Self.host], at: Self.now)
            return EarlyVerdict.Judgement(verdict: verdict, chain: facts.chain.map(CertificateSummary.init(der:)))
        }
        var other = facts
        other.chain = Array(facts.chain.prefix(1))
        #expect(early.judgement(for: other) == nil)
        let judgement = try #require(early.judgement(for: facts))
        let value = await judgement.value
        #expect(value.chain.count == 2)
        #expect(value.verdict.verdict == .untrusted)
    }

    /// `MailProbe.prepareRuntime()` (run by `daneprobe` beside argument parsing) only pays
    /// first-use costs: run on several threads at once while chains are summarised and judged,
    /// it changes no summary and no verdict, and every type it names is a handler NIO casts.
    @Test func preparingTheRuntimeChangesNoResult() async throws {
        let minted = try Self.chain(length: 2)
        let facts = TLSFacts(version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", chain: minted.chain)
        let before = minted.chain.map(CertificateSummary.init(der:))
        async let preparations: Void = withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { MailProbe.prepareRuntime() } }
        }
        let during = minted.chain.map(CertificateSummary.init(der:))
        let verdict = await DANEConnectionCheck.verdict(requirement: .opportunistic, mxSecure: false, session: .tls(facts),
                                                        referenceNames: [Self.host], at: Self.now)
        await preparations
        #expect(during == before)
        #expect(before.allSatisfy { $0.error == nil && !$0.subject.isEmpty })
        #expect(verdict.verdict == .untrusted)
        for type in NIODNSExchange.channelHandlerTypes + SMTPProbe.channelHandlerTypes {
            #expect(type is any _ChannelInboundHandler.Type || type is any _ChannelOutboundHandler.Type)
        }
        #expect(SMTPProbe.channelHandlerTypes.contains { $0 == NIOSSLClientHandler.self })
    }

    #if os(Linux)
    /// `ZeroFilledData` (`MailProbe.prepareMemory()`): the executable's zero-filled ranges are
    /// found, page-aligned, and after `populate()` every page of them is resident (mincore(2));
    /// without it, pages this test process never used would not be.
    @Test func theZeroFilledDataIsMadeAtOnce() throws {
        let ranges = ZeroFilledData.ranges()
        #expect(!ranges.isEmpty)
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        ZeroFilledData.populate()
        for range in ranges {
            #expect(range.lowerBound % page == 0 && range.upperBound % page == 0)
            var resident = [UInt8](repeating: 0, count: Int((range.upperBound - range.lowerBound) / page))
            #expect(mincore(UnsafeMutableRawPointer(bitPattern: range.lowerBound), Int(range.upperBound - range.lowerBound), &resident) == 0)
            #expect(resident.allSatisfy { $0 & 1 == 1 }, "\(resident.filter { $0 & 1 == 0 }.count) of \(resident.count) pages not resident")
        }
    }
    #endif

    @Test func twoHundredCertificateChainOverTheCertificateListLimit() async throws {
        let minted = try Self.chain(length: 200, padding: 500)
        #expect(minted.chain.reduce(0) { $0 + $1.count } > 150_000)
        let leaf = try #require(try TLSAMatcher.record(for: minted.chain[0], usage: .daneEE, selector: .spki, matchingType: .sha256))
        try await Self.withServer(tls: try Self.serverTLS(minted)) { address in
            let judged = try await Self.judge(address, usable: [leaf])
            guard case .failed(let why) = judged.result.outcome.startTLS else {
                Issue.record("STARTTLS \(judged.result.outcome.startTLS)")
                return
            }
            #expect(why.contains("EXCESSIVE_MESSAGE_SIZE"), "\(why)")
            #expect(judged.verdict.verdict == .tlsRequiredFailed)
            #expect(judged.verdict.reasons.first?.step == "tls")
            #expect(judged.verdict.reasons.first?.detail.contains("EXCESSIVE_MESSAGE_SIZE") == true, "\(judged.verdict.reasons.map(\.detail))")
            #expect(judged.elapsed < .seconds(90), "\(judged.elapsed)")
        }
    }

    /// A 200-certificate chain (about 80 KB, under BoringSSL's 100 KiB certificate-list
    /// limit, so the handshake completes and all 200 are captured). A DANE-TA record for the
    /// root at depth 199 is beyond DANETrustAnchorValidation.maxChainLength: `dane-failed`,
    /// saying why, in well under the stage timeouts; a DANE-EE record for the leaf still
    /// verifies (depth 0 only).
    @Test func twoHundredCertificateChain() async throws {
        let minted = try Self.chain(length: 200)
        let root = try #require(try TLSAMatcher.record(for: minted.chain[199], usage: .daneTA, selector: .spki, matchingType: .sha256))
        let leaf = try #require(try TLSAMatcher.record(for: minted.chain[0], usage: .daneEE, selector: .spki, matchingType: .sha256))
        try await Self.withServer(tls: try Self.serverTLS(minted)) { address in
            let ta = try await Self.judge(address, usable: [root])
            #expect(ta.result.outcome.startTLS == .established)
            #expect(ta.result.tls?.peerChain.count == 200)
            #expect(ta.verdict.verdict == .daneFailed)
            #expect(ta.verdict.reasons.contains { $0.detail.contains("sent 200 certificates") },
                    "\(ta.verdict.reasons.map(\.detail))")
            #expect(ta.elapsed < .seconds(90), "\(ta.elapsed)")

            let ee = try await Self.judge(address, usable: [leaf])
            #expect(ee.verdict.verdict == .verified, "\(ee.verdict.reasons.map(\.detail))")
        }
    }

    /// A server that sends its greeting one byte every 20 ms (10,000 of them: 200 s): the
    /// greeting deadline (1 s) ends the session although bytes keep coming; `check` reports it `unreachable`, naming
    /// the timeout.
    @Test func oneByteEvery20msGreeting() async throws {
        let server = try await TricklingServer.start(text: "220 " + String(repeating: "x", count: 10_000) + "\r\n", every: .milliseconds(20))
        let judged = try await Self.judge(server.address, usable: [], timeout: .seconds(1))
        try await server.stop()
        #expect(judged.result.outcome.stopReason == .timeout(.greeting))
        #expect(judged.verdict.verdict == .unreachable)
        #expect(judged.verdict.reasons.first?.step == "connect")
        #expect(judged.verdict.reasons.first?.detail.contains("timeout") == true, "\(judged.verdict.reasons.map(\.detail))")
        #expect(judged.elapsed >= .seconds(1) && judged.elapsed < .seconds(120), "\(judged.elapsed)")
    }

    /// End to end through MailProbe (what `daneprobe check` runs): a signed lab domain whose
    /// MX has a secure `3 1 1` TLSA (so DANE is required), its published address sent to a
    /// hostile server instead — one trickling its greeting a byte every 20 ms, one presenting
    /// the 190 KB 200-certificate chain. The domain verdicts and reasons are `unreachable`
    /// (the greeting's 1 s deadline) and `tls-required-failed` (the handshake aborted).
    @Test func hostileServersEndToEndThroughMailProbe() async throws {
        let scenario = LabCatalogue.simple("hostile-smtp", 241, story: "a DANE host whose address reaches a hostile server",
                                           tlsa: [LabCatalogue.ee311()], expected: .both(.verified))
        let hierarchy = try LabHierarchy(scenarios: [scenario], now: Self.now)
        let trickler = try await TricklingServer.start(text: "220 " + String(repeating: "x", count: 10_000) + "\r\n", every: .milliseconds(20))
        let minted = try Self.chain(length: 200, padding: 500)
        let (trickled, chained) = try await Self.withServer(tls: try Self.serverTLS(minted)) { chainServer in
            try await LabNetwork.run(hierarchy, scenarios: [scenario]) { endpoints in
                func check(through server: SocketAddress) async -> (DomainReport, Duration) {
                    var options = MailProbeOptions()
                    options.addressMap = endpoints.smtpAddressMap.merging(
                        DNSAddressMap([DNSServerAddress(host: LabCatalogue.v4(241), port: 25): DNSServerAddress(server)]))
                    options.now = Self.now
                    options.timeout = .seconds(1)
                    let clock = ContinuousClock()
                    let started = clock.now
                    let report = await MailProbe(resolver: endpoints.resolver(now: Self.now), options: options).check("hostile-smtp.lab.")
                    return (report, clock.now - started)
                }
                return (await check(through: trickler.address), await check(through: chainServer))
            }
        }
        try await trickler.stop()

        #expect(trickled.0.verdict == .unreachable, "\(trickled.0.text())")
        let slow = try #require(trickled.0.hosts.first?.connections.first)
        #expect(slow.reasons.last?.step == "connect")
        #expect(slow.reasons.last?.detail.contains("timeout") == true, "\(slow.reasons.map(\.detail))")
        #expect(trickled.1 < .seconds(120), "\(trickled.1)")

        #expect(chained.0.verdict == .tlsRequiredFailed, "\(chained.0.text())")
        let long = try #require(chained.0.hosts.first?.connections.first)
        #expect(long.starttls == "failed")
        #expect(long.reasons.last?.step == "tls")
        #expect(long.reasons.last?.detail.contains("EXCESSIVE_MESSAGE_SIZE") == true, "\(long.reasons.map(\.detail))")
        #expect(chained.1 < .seconds(120), "\(chained.1)")
    }

    /// A leaf with 5,000 subjectAltName dNSNames (about 50 KB: BoringSSL loads no certificate
    /// over 100 KiB, so a server cannot send a bigger one), end to end through the lab: DNS,
    /// a TLSA 3 1 1 for that very certificate, MailProbe under both policies. DANE-EE checks
    /// no names (RFC 7672 §3.1.1), so the verdict is `verified`, in bounded time; the report
    /// lists the first `CertificateSummary.maxDNSNames` names and counts the rest.
    @Test func giantSubjectAltNameListEndToEnd() async throws {
        let id = "giant-san"
        let domain = "\(id).\(LabCatalogue.tld)"
        let names = ["mx.\(domain)"] + (1..<5000).map { "n\($0).gs" }
        let scenario = LabCatalogue.simple(
            id, 240, story: "a leaf with 5,000 subjectAltName dNSNames",
            tlsa: [LabCatalogue.ee311()], certificates: [LabCertificateSpec("mx", dnsNames: names)],
            expected: .both(.verified))
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try #require(try await LabRunner(scenarios: [scenario]).run().first)
        let elapsed = clock.now - started
        #expect(outcome.agree, "\(outcome.observedText)")
        let report = try #require(outcome.reports[.dane])
        #expect(report.verdict == .verified, "\(report.text())")
        let connection = try #require(report.hosts.first?.connections.first)
        #expect(connection.starttls == "established")
        #expect(connection.reasons.last?.detail.contains("DANE-EE") == true, "\(connection.reasons.map(\.detail))")
        let leaf = try #require(connection.chain.first)
        #expect(leaf.dnsNames.count == CertificateSummary.maxDNSNames)
        #expect(leaf.dnsNamesOmitted == 5000 - CertificateSummary.maxDNSNames)
        #expect(report.jsonLine().utf8.count < 40_000, "report of \(report.jsonLine().utf8.count) octets")
        // A hang guard only: this includes minting the 5,000-name certificate and running the
        // lab, and `swift test` runs every suite at once on two cores (0.2 s alone, 50 s seen
        // under the full suite).
        #expect(elapsed < .seconds(300), "\(elapsed)")
    }
}

/// A TCP server that, on each connection, writes `text` one byte per `every` and reads
/// nothing: the peer that keeps a connection alive without ever finishing a reply.
final class TricklingServer: Sendable {
    let channel: any Channel
    var address: SocketAddress { channel.localAddress! }

    private init(channel: any Channel) { self.channel = channel }

    static func start(text: String, every interval: TimeAmount) async throws -> TricklingServer {
        let bytes = Array(text.utf8)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Trickler(bytes: bytes, interval: interval))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TricklingServer(channel: channel)
    }

    func stop() async throws { try await channel.close() }

    final class Trickler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let bytes: [UInt8]
        let interval: TimeAmount
        var next = 0
        var task: Scheduled<Void>?

        init(bytes: [UInt8], interval: TimeAmount) {
            self.bytes = bytes
            self.interval = interval
        }

        func channelActive(context: ChannelHandlerContext) {
            writeNext(context: context)
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            task?.cancel()
            context.fireChannelInactive()
        }

        private func writeNext(context: ChannelHandlerContext) {
            guard next < bytes.count, context.channel.isActive else { return }
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes[next..<next + 1])), promise: nil)
            next += 1
            task = context.eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in writeNext(context: context) }
        }
    }
}
