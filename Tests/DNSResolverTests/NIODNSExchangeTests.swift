import DNSCore
import DNSResolver
import DNSServer
import DNSTransport
import NIOPosix
import Synchronization
import Testing

/// The NIO exchange on loopback: many queries in flight on one event loop group, the
/// address map, timeouts.
@Suite(.serialized) struct NIODNSExchangeTests {
    /// 2,000 queries in flight at once on a one-thread event loop group, each matched to its
    /// own answer.
    @Test func thousandsOfQueriesInFlight() async throws {
        try await Lab.run { lab in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            // The per-server cap lifted, so all 2,000 are outstanding on the shared sockets at once.
            let exchange = NIODNSExchange(group: group, randomness: SeededQueryRandomness(seed: 1), addressMap: lab.addressMap,
                                          maxInFlightPerServer: 2000)
            let server = DNSServerAddress(host: "127.0.0.12")
            // The server's one UDP socket may drop some of a burst of 2,000 (its receive buffer): retries recover them.
            let options = DNSExchangeOptions(attemptTimeout: .seconds(1), retries: 5)
            let answered = try await withThrowingTaskGroup(of: Bool.self) { tasks in
                for index in 0..<2000 {
                    tasks.addTask {
                        let qname = name("n\(index).secure.test.")
                        let answer = try await exchange.exchange(Message.query(id: 0, name: qname, type: .a, recursionDesired: false, dnssec: true),
                                                                 with: server, options: options)
                        return answer.questions.first?.name == qname && answer.header.rcode == .nxDomain
                    }
                }
                var count = 0
                for try await ok in tasks where ok { count += 1 }
                return count
            }
            #expect(answered == 2000)
            await exchange.close()
            try await group.shutdownGracefully()
        }
    }

    /// `warm(for:)` binds every socket of the pool for the server's family before any query,
    /// and the queries then go out on those sockets: no socket is bound for them.
    @Test func warmingBindsThePoolBeforeTheFirstQuery() async throws {
        try await Lab.run { lab in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let exchange = NIODNSExchange(group: group, addressMap: lab.addressMap, socketPoolSize: 4)
            let server = DNSServerAddress(host: "127.0.0.12")
            #expect(await exchange.localPorts(family: .inet).isEmpty)
            exchange.warm(for: server)
            let warmed = await exchange.localPorts(family: .inet)
            #expect(warmed.count == 4)
            #expect(Set(warmed).count == 4)
            for index in 0..<8 {
                let qname = name("w\(index).secure.test.")
                let answer = try await exchange.exchange(Message.query(id: 0, name: qname, type: .a, recursionDesired: false, dnssec: true),
                                                         with: server, options: DNSExchangeOptions(attemptTimeout: .seconds(2), retries: 2))
                #expect(answer.questions.first?.name == qname)
            }
            #expect(Set(await exchange.localPorts(family: .inet)) == Set(warmed))
            await exchange.close()
            try await group.shutdownGracefully()
        }
    }

    @Test func silentServerTimesOut() async throws {
        try await Lab.run { lab in
            let exchange = NIODNSExchange(addressMap: lab.addressMap)
            let error = await #expect(throws: DNSExchangeError.self) {
                _ = try await exchange.exchange(Message.query(id: 0, name: name("x.test."), type: .a), with: DNSServerAddress(host: LabZones.silentAddress),
                                                options: DNSExchangeOptions(attemptTimeout: .milliseconds(100), retries: 1))
            }
            #expect(error?.code == .timeout)
        }
    }

    /// TCP to a port nobody listens on: a network error, reported, not a hang.
    @Test func refusedTCPConnectionIsANetworkError() async throws {
        try await Lab.run { lab in
            let exchange = NIODNSExchange(addressMap: lab.addressMap)
            let error = await #expect(throws: DNSExchangeError.self) {
                _ = try await exchange.exchange(Message.query(id: 0, name: name("x.test."), type: .a), with: DNSServerAddress(host: LabZones.silentAddress),
                                                options: DNSExchangeOptions(attemptTimeout: .seconds(2), tcpOnly: true))
            }
            #expect(error?.code == .networkError)
        }
    }

    @Test func garbageIsRejected() async throws {
        try await Lab.run { lab in
            let exchange = NIODNSExchange(addressMap: lab.addressMap)
            let error = await #expect(throws: DNSExchangeError.self) {
                _ = try await exchange.exchange(Message.query(id: 0, name: name("x.test."), type: .a), with: DNSServerAddress(host: LabZones.garbageAddress),
                                                options: DNSExchangeOptions(attemptTimeout: .seconds(2), retries: 0))
            }
            #expect(error?.code == .malformedResponse)
        }
    }
}

/// Servers on IPv6 loopback: the exchange's IPv6 socket pool, glue given as AAAA, the
/// address map's `[V6]:PORT` form.
@Suite(.serialized) struct IPv6TargetTests {
    @Test func addressMapParsesIPv6() throws {
        let map = try DNSAddressMap(parsing: "[::1]:53=[::1]:40053,127.0.0.10=127.0.0.1:5300,*=127.0.0.1:1")
        #expect(map.map(DNSServerAddress(host: "::1")) == DNSServerAddress(host: "::1", port: 40053))
        #expect(map.map(DNSServerAddress(host: "127.0.0.10")) == DNSServerAddress(host: "127.0.0.1", port: 5300))
        #expect(map.map(DNSServerAddress(host: "192.0.2.1")) == DNSServerAddress(host: "127.0.0.1", port: 1))
        for bad in ["", "::1=", "127.0.0.1", "a=b", "127.0.0.1=127.0.0.1:99999"] {
            #expect(throws: DNSExchangeError.self, "\(bad)") { try DNSAddressMap(parsing: bad) }
        }
    }

    /// Root hints with only an AAAA (::1), every lab server reached at [::1]:PORT: the
    /// whole iterative, validated resolution over IPv6.
    @Test func iterativeResolutionOverIPv6() async throws {
        try await Lab.runAllInOne(built: try LabZones.built.get(), host: "::1") { lab, port in
            let hints = try RootHints(zoneFileText: ". NS ns.root.\nns.root. AAAA ::1")
            #expect(hints.isLoopbackLab)
            let configuration = ResolverConfiguration(mode: .iterative(hints), trustAnchors: lab.anchors,
                                                      exchange: DNSExchangeOptions(attemptTimeout: .seconds(1), retries: 0))
            let exchange = NIODNSExchange(addressMap: DNSAddressMap(fallback: DNSServerAddress(host: "::1", port: port)))
            let resolver = Resolver(configuration: configuration, exchange: exchange, clock: ManualResolverClock(LabZones.now))
            let secure = try await resolver.resolve(name("www.secure.test."), .a)
            #expect(secure.status == .secure, "\(secure.reasons)")
            #expect(try await resolver.resolve(name("www.unsigned.test."), .a).status == .insecure)
            #expect(try await resolver.resolve(name("nope.nsec3.test."), .a).value.denial == .nxDomain)
        }
    }

    /// Stub mode through an upstream at [::1]:PORT.
    @Test func stubUpstreamOnIPv6() async throws {
        try await Lab.runAllInOne(built: try LabZones.built.get(), host: "::1") { lab, port in
            let upstream = try DNSServerAddress(parsing: "[::1]:\(port)")
            let configuration = ResolverConfiguration(mode: .stub(upstream), trustAnchors: lab.anchors,
                                                      exchange: DNSExchangeOptions(attemptTimeout: .seconds(1), retries: 0))
            let resolver = Resolver(configuration: configuration, exchange: NIODNSExchange(), clock: ManualResolverClock(LabZones.now))
            #expect(try await resolver.resolve(name("www.secure.test."), .a).status == .secure)
            #expect(try await resolver.resolve(name("www.badds.test."), .a).status == .bogus)
        }
    }
}

/// RFC 6890 special-purpose addresses are refused as targets unless the hints are a lab.
@Suite(.serialized) struct TargetAddressPolicyTests {
    @Test func privateAndReservedAddressesAreRefused() {
        let policy = TargetAddressPolicy(allowPrivate: false)
        for host in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1", "100.64.0.1", "0.1.2.3", "224.0.0.1",
                     "192.0.2.1", "::1", "fd00::1", "fe80::1"] {
            #expect(!policy.permits(host), "\(host)")
        }
        for host in ["8.8.8.8", "193.0.14.129", "2001:500:2f::f"] { #expect(policy.permits(host), "\(host)") }
        #expect(TargetAddressPolicy(allowPrivate: true).permits("10.1.2.3"))
    }

    /// Hints on a public address (mapped to the lab's root here) whose referrals lead to
    /// loopback glue: refused, so the answer cannot be had.
    @Test func loopbackGlueIsRefusedWithPublicHints() async throws {
        try await Lab.run { lab in
            var map = lab.addressMap
            map.entries[DNSServerAddress(host: "198.41.0.4")] = map.map(DNSServerAddress(host: "127.0.0.10"))
            let hints = try RootHints(zoneFileText: ". NS a.root-servers.net.\na.root-servers.net. A 198.41.0.4")
            #expect(!hints.isLoopbackLab)
            let configuration = ResolverConfiguration(mode: .iterative(hints), trustAnchors: lab.anchors,
                                                      exchange: DNSExchangeOptions(attemptTimeout: .seconds(1), retries: 0))
            let resolver = Resolver(configuration: configuration, exchange: NIODNSExchange(addressMap: map), clock: ManualResolverClock(LabZones.now))
            let refused = try await resolver.resolve(name("www.secure.test."), .a)
            #expect(refused.status == .indeterminate)
            #expect(refused.reasons.contains { $0.code == .noReachableAuthority })

            let allowed = Resolver(configuration: ResolverConfiguration(mode: .iterative(hints), trustAnchors: lab.anchors, allowPrivateTargets: true,
                                                                        exchange: configuration.exchange),
                                   exchange: NIODNSExchange(addressMap: map), clock: ManualResolverClock(LabZones.now))
            #expect(try await allowed.resolve(name("www.secure.test."), .a).status == .secure)
        }
    }
}

/// RFC 5452 §9.2 with the shared socket pool: queries leave from many random source ports
/// (sockets are retired after their quota and replaced on fresh random ports) under random
/// IDs, and each answer reaches the query it belongs to.
@Suite(.serialized) struct SocketPoolRandomnessTests {
    final class Recorder: DNSResponder, Sendable {
        let seen = Mutex<[(port: Int, id: UInt16)]>([])

        func respond(to query: [UInt8], context: DNSRequestContext) -> DNSResponderAction {
            guard let message = try? Message(wire: query) else { return .drop }
            seen.withLock { $0.append((context.remoteAddress?.port ?? 0, message.header.id)) }
            let response = Message(header: MessageHeader(id: message.header.id, isResponse: true, rcode: .nxDomain), questions: message.questions)
            return .reply(response.wire)
        }
    }

    @Test func sourcePortsAndIDsVary() async throws {
        let recorder = Recorder()
        try await Lab.run(responders: ["127.0.0.12": recorder]) { lab in
            let exchange = NIODNSExchange(addressMap: lab.addressMap, socketPoolSize: 4, queriesPerSocket: 5)
            for index in 0..<60 {
                let qname = name("q\(index).secure.test.")
                let answer = try await exchange.exchange(Message.query(id: 0, name: qname, type: .a), with: DNSServerAddress(host: "127.0.0.12"),
                                                         options: DNSExchangeOptions(attemptTimeout: .seconds(1)))
                #expect(answer.questions.first?.name == qname)
            }
        }
        let seen = recorder.seen.withLock { $0 }
        #expect(seen.count >= 60)  // more when a datagram was retransmitted under load
        // 60 queries, 5 per socket: at least 12 sockets, each on its own random port.
        #expect(Set(seen.map(\.port)).count >= 12)
        #expect(Set(seen.map(\.id)).count >= 58)
    }
}
