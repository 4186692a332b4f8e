import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Synchronization

/// What one hostile case came to: the outcome with its reasons, and what it cost.
struct Figure: Sendable {
    var status: SecurityStatus?
    var answer: Answer?
    var reasons: [ValidationReason] = []
    var error: ResolutionError?
    /// Queries the hostile peers received (UDP datagrams and TCP messages).
    var queries = 0
    /// Queries a second peer received (the silent or the evil one), where a case has one.
    var silentQueries = 0
    var work = ResolverWorkTotals()
    var elapsed: Duration = .zero

    var outcome: String {
        if let error { return "error: \(error.code)" }
        let ede = reasons.last(where: { $0.extendedError != nil })?.extendedError.map { ", EDE \($0.rawValue)" } ?? ""
        let code = reasons.last(where: { ![.signatureVerified, .denialProved, .keySetSigned, .dsMatchedKey, .trustAnchorMatched].contains($0.code) })?.code
        return "\(status?.rawValue ?? "?")\(code.map { " (\($0.rawValue)" + ede + ")" } ?? "")"
    }
}

/// The hostile cases, each a function that starts its peers, runs one lookup (or two) and
/// returns the figure; `AdversarialPeerTests` asserts on them, `HostileDNSFigures` prints them.
enum HostileCases {
    static let hints = ". NS ns.root.\nns.root. A 127.0.0.10"

    static func makeResolver(_ map: DNSAddressMap, anchors: TrustAnchorSet = TrustAnchorSet(records: []), stub: DNSServerAddress? = nil,
                         timeout: Duration = .milliseconds(500), tcpOnly: Bool = false, maxQueries: Int = 128,
                         lookupDuration: Duration = .seconds(30), now: Int64 = LabZones.now) throws -> Resolver {
        let mode: ResolverConfiguration.Mode = if let stub { .stub(stub) } else { .iterative(try RootHints(zoneFileText: hints)) }
        let configuration = ResolverConfiguration(mode: mode, trustAnchors: anchors,
                                                  exchange: DNSExchangeOptions(attemptTimeout: timeout, retries: 0, tcpOnly: tcpOnly),
                                                  maxQueriesPerLookup: maxQueries, maxLookupDuration: lookupDuration)
        return Resolver(configuration: configuration, exchange: NIODNSExchange(addressMap: map), clock: ManualResolverClock(now),
                        randomness: SeededQueryRandomness(seed: 11))
    }

    static func everything(to server: HostileDNSServer) -> DNSAddressMap { DNSAddressMap(fallback: server.address) }

    /// One lookup, timed, with the resolver's work.
    static func measure(_ resolver: Resolver, _ qname: String, _ type: RRType) async -> Figure {
        var figure = Figure()
        let start = ContinuousClock.now
        do {
            let result = try await resolver.resolve(name(qname), type)
            figure.status = result.status
            figure.answer = result.value
            figure.reasons = result.reasons
        } catch {
            figure.error = error
        }
        figure.elapsed = ContinuousClock.now - start
        figure.work = resolver.workTotals()
        return figure
    }

    /// Runs one lookup against one hostile server playing every zone.
    static func single(_ qname: String, _ type: RRType = .a, timeout: Duration = .milliseconds(500), tcpOnly: Bool = false,
                       maxQueries: Int = 128, stub: Bool = false, _ behaviour: @escaping HostileDNSServer.Behaviour) async throws -> Figure {
        try await HostileDNSServer.run(behaviour) { server in
            let resolver = try makeResolver(everything(to: server), stub: stub ? server.address : nil, timeout: timeout, tcpOnly: tcpOnly,
                                        maxQueries: maxQueries)
            var figure = await measure(resolver, qname, type)
            figure.queries = server.queryCount
            return figure
        }
    }

    // MARK: helpers for behaviours

    static func a(_ owner: String, _ d: UInt8, net: (UInt8, UInt8, UInt8) = (192, 0, 2)) -> ResourceRecord {
        ResourceRecord(owner: name(owner), ttl: 300, A(IPv4Address(net.0, net.1, net.2, d)))
    }

    static func ns(_ owner: String, _ target: String) -> ResourceRecord {
        ResourceRecord(owner: name(owner), ttl: 300, NS(name(target)))
    }

    /// The message over UDP when it fits the 1,232 octets we advertise, else TC=1 (the header
    /// and question only); framed over TCP.
    static func send(_ message: Message, for query: HostileQuery) -> HostileReply {
        let wire = message.wire
        switch query.transport {
        case .tcp: return .framed([wire])
        case .udp:
            guard wire.count > 1232 else { return .datagrams([wire]) }
            var truncated = Message(header: message.header, questions: message.questions)
            truncated.header.isTruncated = true
            return .datagrams([truncated.wire])
        }
    }

    static func referral(_ query: Message, _ authority: [ResourceRecord], glue: [ResourceRecord] = []) -> Message {
        Message.reply(to: query, authoritative: false, authority: authority, additional: glue)
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    // MARK: raw cases

    static func randomBytes(keepID: Bool) async throws -> Figure {
        try await single("www.example.") { query in
            var bytes = randomBytes(300, seed: UInt64(query.raw.count) &+ UInt64(query.raw.first ?? 0))
            if keepID {
                bytes[0] = query.raw[0]
                bytes[1] = query.raw[1]
                bytes[2] = 0x84
                bytes[3] = 0x00
                bytes[4] = 0xFF  // QDCOUNT 65,280 and more: cannot be in 300 octets
            } else {
                bytes[0] = query.raw[0] ^ 0x55
            }
            return query.transport == .udp ? .datagrams([bytes]) : .framed([bytes])
        }
    }

    enum CompressionLoop: CaseIterable { case selfPointer, forwardPointers, longPointerChain }

    static func compressionLoop(_ variant: CompressionLoop) async throws -> Figure {
        try await single("www.example.") { query in
            guard let message = query.message else { return .silence }
            let id = [query.raw[0], query.raw[1]]
            let question = Array(message.questions[0].name.wire) + [0, 1, 0, 1]
            var bytes: [UInt8]
            switch variant {
            case .selfPointer:
                // QNAME is a pointer to offset 12: itself.
                bytes = id + [0x84, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + [0xC0, 12, 0, 1, 0, 1]
            case .forwardPointers:
                // The answer's owner points to the next record's owner, which points back.
                bytes = id + [0x84, 0x00, 0, 1, 0, 2, 0, 0, 0, 0] + question
                let first = bytes.count
                let second = first + 16
                bytes += [0xC0 | UInt8(second >> 8), UInt8(second & 0xFF), 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1]
                bytes += [0xC0 | UInt8(first >> 8), UInt8(first & 0xFF), 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1]
            case .longPointerChain:
                // 200 answers, each owner a pointer to the previous owner: 200 hops.
                bytes = id + [0x84, 0x00, 0, 1, 0, 200, 0, 0, 0, 0] + question
                var previous = 12
                for _ in 0..<200 {
                    let here = bytes.count
                    bytes += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF), 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1]
                    previous = here
                }
            }
            if query.transport == .udp, bytes.count > 1232 {
                var truncated = Message.reply(to: message)
                truncated.header.isTruncated = true
                return .datagrams([truncated.wire])
            }
            return query.transport == .udp ? .datagrams([bytes]) : .framed([bytes])
        }
    }

    static func wrongAnswersFirst(thenRight: Bool) async throws -> Figure {
        try await single("www.example.", timeout: .seconds(1)) { query in
            guard let message = query.message, query.transport == .udp else { return .silence }
            var otherID = Message.reply(to: message, answers: [a("www.example.", 66)])
            otherID.header.id ^= 0x0101
            var otherQuestion = Message.reply(to: message, answers: [a("other.example.", 66)])
            otherQuestion.questions = [Question(name: name("other.example."), type: .a)]
            let right = Message.reply(to: message, answers: [a("www.example.", 1)])
            return .datagrams([otherID.wire, otherQuestion.wire] + (thenRight ? [right.wire] : []))
        }
    }

    static func plantedAnswer() async throws -> Figure {
        try await HostileDNSServer.run({ query in
            guard let message = query.message, let question = query.question else { return .silence }
            if question.name == name("victim.example.") { return send(Message.reply(to: message, answers: [a("victim.example.", 2)]), for: query) }
            return send(Message.reply(to: message, answers: [a("www.example.", 1), a("victim.example.", 66)],
                                      additional: [a("victim.example.", 66)]), for: query)
        }) { server in
            let resolver = try makeResolver(everything(to: server))
            _ = await measure(resolver, "www.example.", .a)
            var figure = await measure(resolver, "victim.example.", .a)
            figure.queries = server.queryCount
            return figure
        }
    }

    enum TCPTruncation: CaseIterable { case promiseMoreThenClose, promiseMoreThenHang, prefixShorterThanMessage, truncatedAgain }

    static func tcpTruncation(_ variant: TCPTruncation) async throws -> Figure {
        try await single("www.example.") { query in
            guard let message = query.message else { return .silence }
            var truncated = Message.reply(to: message)
            truncated.header.isTruncated = true
            if query.transport == .udp { return .datagrams([truncated.wire]) }
            let answer = Message.reply(to: message, answers: (1...20).map { a("www.example.", $0) }).wire
            switch variant {
            case .promiseMoreThenClose: return HostileReply(chunks: [[0x02, 0x00] + answer.prefix(40)], closeAfter: true)
            case .promiseMoreThenHang: return HostileReply(chunks: [[0x02, 0x00] + answer.prefix(40)], closeAfter: false)
            case .prefixShorterThanMessage: return HostileReply(chunks: [[0x00, 20] + answer], closeAfter: false)
            case .truncatedAgain: return .framed([truncated.wire])
            }
        }
    }

    enum Huge: CaseIterable { case udpDatagram, tcpGarbage, tcpFullAnswer }

    /// 4,090 A records: 29 octets of header and question, 16 per record (compressed owner).
    static let fullFrameRecords = 4_090

    static func huge(_ variant: Huge) async throws -> Figure {
        try await single("www.example.", timeout: .seconds(2)) { query in
            guard let message = query.message else { return .silence }
            var truncated = Message.reply(to: message)
            truncated.header.isTruncated = true
            switch (variant, query.transport) {
            case (.udpDatagram, _):
                var bytes = Message.reply(to: message).wire
                bytes += randomBytes(65_000 - bytes.count, seed: 1)
                return .datagrams([bytes])
            case (_, .udp):
                return .datagrams([truncated.wire])
            case (.tcpGarbage, .tcp):
                var bytes = [query.raw[0], query.raw[1], 0x84, 0, 0, 1, 0xFF, 0xFF, 0, 0, 0, 0]
                bytes += randomBytes(65_535 - bytes.count, seed: 2)
                return .framed([bytes])
            case (.tcpFullAnswer, .tcp):
                let owner = name("www.example.")
                let records = (0..<fullFrameRecords).map { (index: Int) -> ResourceRecord in
                    let address = IPv4Address(rawValue: 0x0A00_0000 | UInt32(index))
                    return ResourceRecord(owner: owner, ttl: 300, A(address))
                }
                return .framed([Message.reply(to: message, answers: records).wire])
            }
        }
    }

    static func endlessCNAMEs() async throws -> Figure {
        try await single("c0.example.") { query in
            guard let message = query.message, let question = query.question, let label = question.name.labels.first else { return .silence }
            let number = Int(String(decoding: label.dropFirst(), as: UTF8.self)) ?? 0
            let target = name("c\(number + 1).example.")
            return send(Message.reply(to: message, answers: [ResourceRecord(owner: question.name, ttl: 300, CNAME(target))]), for: query)
        }
    }

    static func cnameLoop(stub: Bool = false) async throws -> Figure {
        try await single("a.example.", stub: stub) { query in
            guard let message = query.message, let question = query.question else { return .silence }
            let target = question.name == name("a.example.") ? name("b.example.") : name("a.example.")
            return send(Message.reply(to: message, answers: [ResourceRecord(owner: question.name, ttl: 300, CNAME(target))]), for: query)
        }
    }

    static func mutualReferral() async throws -> Figure {
        try await single("www.a.") { query in
            guard let message = query.message, let question = query.question else { return .silence }
            if question.name.isSubdomain(of: name("a.")) { return send(referral(message, [ns("a.", "ns.b.")]), for: query) }
            if question.name.isSubdomain(of: name("b.")) { return send(referral(message, [ns("b.", "ns.a.")]), for: query) }
            return send(Message.reply(to: message, rcode: .nxDomain), for: query)
        }
    }

    /// 98 labels `a` under `example.`: room for far more referrals than the 24 followed.
    static let deepName = String(repeating: "a.", count: 98) + "example."

    static func endlessReferrals(maxQueries: Int = 128) async throws -> Figure {
        let asked = Mutex(0)
        return try await single(deepName, maxQueries: maxQueries) { query in
            guard let message = query.message, let question = query.question else { return .silence }
            let depth = asked.withLock { count in
                count += 1
                return count
            }
            let child = question.name.suffix(labelCount: min(question.name.labelCount, depth))
            let server = (try? child.prepending(label: Array("ns".utf8))) ?? child
            return send(referral(message, [ResourceRecord(owner: child, ttl: 300, NS(server))],
                                 glue: [ResourceRecord(owner: server, ttl: 300, A(IPv4Address(127, 0, 0, 10)))]), for: query)
        }
    }

    static func sidewaysReferral() async throws -> Figure {
        let asked = Mutex(0)
        return try await single("www.a.") { query in
            guard let message = query.message else { return .silence }
            let first = asked.withLock { count in
                count += 1
                return count == 1
            }
            if first { return send(referral(message, [ns("a.", "ns.a.")], glue: [a("ns.a.", 10, net: (127, 0, 0))]), for: query) }
            return send(referral(message, [ns("b.", "ns.b.")], glue: [a("ns.b.", 10, net: (127, 0, 0))]), for: query)
        }
    }

    static func nxnsReferral() async throws -> Figure {
        try await single("www.victim.") { query in
            guard let message = query.message, let question = query.question else { return .silence }
            if question.name.isSubdomain(of: name("victim.")) {
                return send(referral(message, (0..<500).map { ns("victim.", "ns\($0).nx\($0).") }), for: query)
            }
            return send(Message.reply(to: message, rcode: .nxDomain), for: query)
        }
    }

    static func manySilentServers(lookupDuration: Duration = .seconds(30)) async throws -> Figure {
        try await HostileDNSServer.run({ _ in .silence }) { silent in
            try await HostileDNSServer.run({ query in
                guard let message = query.message else { return .silence }
                let names = (1...200).map { "ns\($0).victim." }
                return send(referral(message, names.map { ns("victim.", $0) },
                                     glue: names.enumerated().map { a($1, UInt8($0 + 1), net: (127, 0, 1)) }), for: query)
            }) { root in
                let map = DNSAddressMap([DNSServerAddress(host: "127.0.0.10"): root.address], fallback: silent.address)
                let resolver = try makeResolver(map, timeout: .milliseconds(300), lookupDuration: lookupDuration)
                var figure = await measure(resolver, "www.victim.", .a)
                figure.queries = root.queryCount + silent.queryCount
                figure.silentQueries = silent.queryCount
                return figure
            }
        }
    }

    static func outOfBailiwickGlue() async throws -> Figure {
        let rootBehaviour: HostileDNSServer.Behaviour = { query in
            guard let message = query.message, let question = query.question else { return .silence }
            if question.name.isSubdomain(of: name("evil.")) {
                return send(referral(message, [ns("evil.", "ns.evil.")], glue: [a("ns.evil.", 66, net: (127, 0, 0))]), for: query)
            }
            if question.name.isSubdomain(of: name("good.")) { return send(referral(message, [ns("good.", "ns.host.net.")]), for: query) }
            if question.name.isSubdomain(of: name("net.")) {
                return send(referral(message, [ns("net.", "ns.net.")], glue: [a("ns.net.", 11, net: (127, 0, 0))]), for: query)
            }
            return send(Message.reply(to: message, rcode: .nxDomain), for: query)
        }
        let goodBehaviour: HostileDNSServer.Behaviour = { query in
            guard let message = query.message, let question = query.question else { return .silence }
            if question.name == name("ns.host.net."), question.type == .a {
                return send(Message.reply(to: message, answers: [a("ns.host.net.", 12, net: (127, 0, 0))]), for: query)
            }
            if question.name == name("www.good."), question.type == .a { return send(Message.reply(to: message, answers: [a("www.good.", 1)]), for: query) }
            if question.name == name("ns.host.net.") || question.name == name("www.good.") { return send(Message.reply(to: message), for: query) }
            return send(Message.reply(to: message, rcode: .nxDomain), for: query)
        }
        let evilBehaviour: HostileDNSServer.Behaviour = { query in
            guard let message = query.message else { return .silence }
            // A referral down to sub.evil. whose glue names a host outside evil., plus a
            // sideways NS set for good. with the same planted address.
            return send(referral(message, [ns("sub.evil.", "ns.host.net."), ns("good.", "ns.host.net.")],
                                 glue: [a("ns.host.net.", 66, net: (127, 0, 0))]), for: query)
        }
        return try await HostileDNSServer.run(rootBehaviour) { root in
            try await HostileDNSServer.run(goodBehaviour) { good in
                try await HostileDNSServer.run(evilBehaviour) { evil in
                    let map = DNSAddressMap([DNSServerAddress(host: "127.0.0.10"): root.address, DNSServerAddress(host: "127.0.0.11"): good.address,
                                             DNSServerAddress(host: "127.0.0.12"): good.address, DNSServerAddress(host: "127.0.0.66"): evil.address])
                    let resolver = try makeResolver(map)
                    let first = await measure(resolver, "www.sub.evil.", .a)
                    let evilAskedFirst = evil.queryCount
                    evil.resetCount()
                    var figure = await measure(resolver, "www.good.", .a)
                    figure.silentQueries = evil.queryCount
                    figure.queries = root.queryCount + good.queryCount + evilAskedFirst + evil.queryCount
                    figure.reasons = first.reasons + figure.reasons
                    return figure
                }
            }
        }
    }

    static func silent(tcpOnly: Bool) async throws -> Figure {
        try await single("www.example.", tcpOnly: tcpOnly) { _ in .silence }
    }

    enum Stub: CaseIterable { case garbage, silent, cnameLoop }

    static func stub(_ variant: Stub) async throws -> Figure {
        switch variant {
        case .garbage:
            return try await single("www.example.", stub: true) { query in
                var bytes = randomBytes(300, seed: 4)
                bytes[0] = query.raw[0]
                bytes[1] = query.raw[1]
                bytes[2] = 0x80
                bytes[4] = 0xFF
                return query.transport == .udp ? .datagrams([bytes]) : .framed([bytes])
            }
        case .silent:
            return try await single("www.example.", stub: true) { _ in .silence }
        case .cnameLoop:
            return try await cnameLoop(stub: true)
        }
    }

    // MARK: signed cases

    /// 120 labels under `n3-150.` (249 octets).
    static let longNSEC3Name = String(repeating: "a.", count: 120) + "n3-150."

    static func signed(_ qname: String, _ type: RRType, stub: Bool = false) async throws -> Figure {
        let built = try HostileZones.built.get()
        return try await HostileZoneServer.run { responder, port in
            let address = DNSServerAddress(host: "127.0.0.1", port: port)
            let resolver = try makeResolver(DNSAddressMap(fallback: address), anchors: TrustAnchorSet(records: built.rootDS),
                                        stub: stub ? address : nil, timeout: .seconds(2), now: HostileZones.now)
            var figure = await measure(resolver, qname, type)
            figure.queries = responder.queries
            return figure
        }
    }

    /// Every case once, labelled, for the figures.
    static let all: [(String, @Sendable () async throws -> Figure)] = [
        ("random bytes, our ID", { try await randomBytes(keepID: true) }),
        ("random bytes, other ID (ignored until timeout)", { try await randomBytes(keepID: false) }),
        ("compression pointer to itself", { try await compressionLoop(.selfPointer) }),
        ("compression pointers to each other", { try await compressionLoop(.forwardPointers) }),
        ("200 chained compression pointers", { try await compressionLoop(.longPointerChain) }),
        ("other ID, other question, then the answer", { try await wrongAnswersFirst(thenRight: true) }),
        ("other ID, other question, no answer", { try await wrongAnswersFirst(thenRight: false) }),
        ("planted record for another name", { try await plantedAnswer() }),
        ("TC, then TCP length lies, server closes", { try await tcpTruncation(.promiseMoreThenClose) }),
        ("TC, then TCP length lies, server hangs", { try await tcpTruncation(.promiseMoreThenHang) }),
        ("TC, then TCP length shorter than message", { try await tcpTruncation(.prefixShorterThanMessage) }),
        ("TC, then TC again over TCP", { try await tcpTruncation(.truncatedAgain) }),
        ("65,000-octet UDP datagram", { try await huge(.udpDatagram) }),
        ("65,535-octet TCP frame of garbage", { try await huge(.tcpGarbage) }),
        ("65,535-octet TCP answer, 4,090 A records", { try await huge(.tcpFullAnswer) }),
        ("endless CNAME chain", { try await endlessCNAMEs() }),
        ("CNAME loop", { try await cnameLoop() }),
        ("referral loop (NS names need each other)", { try await mutualReferral() }),
        ("endless referrals (98-label QNAME)", { try await endlessReferrals() }),
        ("sideways referral", { try await sidewaysReferral() }),
        ("NXNS: 500 NS names, no glue", { try await nxnsReferral() }),
        ("200 glue addresses, all silent", { try await manySilentServers() }),
        ("out-of-bailiwick glue, then the victim zone", { try await outOfBailiwickGlue() }),
        ("server never answers (UDP)", { try await silent(tcpOnly: false) }),
        ("server never answers (TCP)", { try await silent(tcpOnly: true) }),
        ("stub: upstream sends garbage", { try await stub(.garbage) }),
        ("stub: upstream silent", { try await stub(.silent) }),
        ("stub: CNAME loop", { try await stub(.cnameLoop) }),
        ("KeyTrap: 150 RRSIGs x 151 keys, one tag", { try await signed("www.trap.", .txt) }),
        ("KeyTrap: 150 bogus RRSIGs on the DNSKEY RRset", { try await signed("www.keytrap.", .a) }),
        ("KeyTrap at the DS: 601 DS x 601 keys, one tag", { try await signed("www.dstrap.", .a) }),
        ("KeyTrap, stub mode", { try await signed("www.trap.", .txt, stub: true) }),
        ("NSEC3 150 iterations (limit)", { try await signed("nope.n3-150.", .a) }),
        ("NSEC3 151 iterations", { try await signed("nope.n3-151.", .a) }),
        ("NSEC3 2,500 iterations", { try await signed("nope.n3-2500.", .a) }),
        ("NSEC3 150 iterations, 120-label QNAME", { try await signed(longNSEC3Name, .a) }),
    ]
}
