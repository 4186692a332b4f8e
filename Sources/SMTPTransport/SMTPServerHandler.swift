import Logging
import NIOCore
import NIOSSL
import NIOTLS
import SMTPCore

/// Carries out an `SMTPServerStateMachine`'s actions on one connection: frames command lines
/// (CRLF only, with a limit), writes replies, upgrades to TLS after a 220 to STARTTLS, and
/// stores each accepted message with the session's TLS facts.
///
/// Two deadlines bound a session against slow clients (slowloris): `idleTimeout` for each
/// complete line — re-armed when a line is framed, not when bytes arrive, so a client sending
/// a byte at a time is cut off like one sending nothing — and `sessionTimeout` for the whole
/// session, however busy. Either ends it with 421 (RFC 5321 §3.8).
///
/// RFC 3207 §4.2/§5: bytes the client pipelined after STARTTLS are discarded before the TLS
/// handler goes in, so they can never be read as if they came over TLS.
final class SMTPServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: SMTPServerStateMachine
    private var splitter: SMTPLineSplitter
    private let tlsContext: NIOSSLContext?
    private let store: SMTPMessageStore
    private let idleTimeout: Duration
    private let sessionTimeout: Duration
    private var idleTask: Scheduled<Void>?
    private var sessionTask: Scheduled<Void>?
    private var tlsHandler: NIOSSLServerHandler?
    private var observer: TLSHelloObserver?
    private var tlsFacts: SMTPTLSFacts?
    private var closing = false
    /// Octets the client sent after STARTTLS and before TLS, discarded.
    private(set) var discardedAfterStartTLS = 0

    private let logger: Logger

    init(configuration: SMTPServerStateMachine.Configuration, maxLineLength: Int, tlsContext: NIOSSLContext?, store: SMTPMessageStore, idleTimeout: Duration,
         sessionTimeout: Duration = .seconds(600), logger: Logger = Logger(label: "daneprobe.smtp.session")) {
        self.logger = logger
        var configuration = configuration
        configuration.startTLSAvailable = configuration.startTLSAvailable && tlsContext != nil
        machine = SMTPServerStateMachine(configuration: configuration)
        splitter = SMTPLineSplitter(maxLineLength: maxLineLength, requireCRLF: true)
        self.tlsContext = tlsContext
        self.store = store
        self.idleTimeout = idleTimeout
        self.sessionTimeout = sessionTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        resetIdle(context: context)
        let loop = context.eventLoop.assumeIsolated()
        sessionTask = loop.scheduleTask(in: sessionTimeout.timeAmount) { [self] in
            timedOut("4.4.2 Error: session too long", context: context)
        }
        perform(machine.start(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTask?.cancel()
        sessionTask?.cancel()
        machine.closed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        splitter.append(unwrapInboundIn(data).readableBytesView)
        var wrote = false
        while !closing, let event = splitter.next() {
            resetIdle(context: context)
            let action: SMTPServerStateMachine.Action
            switch event {
            case .line(let line): action = machine.receive(line: line)
            case .lineTooLong: action = machine.lineTooLong()
            }
            wrote = perform(action, context: context, flush: false) || wrote
            if case .sendAndStartTLS = action { break }
        }
        if wrote { context.flush() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            tlsFacts = SMTPTLSFacts(
                version: SMTPTLSFacts.versionName(tlsHandler?.tlsVersion),
                cipherSuite: observer?.outbound.cipherSuite,
                serverName: observer?.inbound.serverName,
                peerChain: SMTPTLSFacts.der(tlsHandler?.peerValidatedCertificateChain)
            )
            logger.debug("TLS established", metadata: ["version": "\(tlsFacts?.version ?? "?")", "sni": "\(tlsFacts?.serverName ?? "-")", "discarded": "\(discardedAfterStartTLS)"])
            perform(machine.tlsEstablished(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Backpressure: a client that pipelines commands and never reads the replies stops
    /// being read once the replies back up (the channel's write buffer high-water mark), so
    /// they cannot pile up in memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("SMTP session error", metadata: ["error": "\(error)"])
        closing = true
        context.close(promise: nil)
    }

    @discardableResult
    private func perform(_ action: SMTPServerStateMachine.Action, context: ChannelHandlerContext, flush: Bool = true) -> Bool {
        switch action {
        case .none:
            return false
        case .send(let reply):
            write(reply, context: context, flush: flush)
            return true
        case .deliver(let message, let reply):
            logger.info("message accepted", metadata: ["from": "\(message.reversePath)", "rcpt": "\(message.recipients.count)", "octets": "\(message.data.count)", "tls": "\(message.overTLS)"])
            store.append(SMTPStoredMessage(message: message, tls: message.overTLS ? tlsFacts : nil, peer: context.channel.remoteAddress.map(SMTPProbe.describe) ?? "?"))
            write(reply, context: context, flush: flush)
            return true
        case .sendAndClose(let reply):
            closing = true
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.wire))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return false
        case .sendAndStartTLS(let reply):
            write(reply, context: context, flush: true)
            discardedAfterStartTLS += splitter.reset()
            guard let tlsContext else { return false }
            let handler = NIOSSLServerHandler(context: tlsContext, customVerificationCallbackWithMetadata: acceptAnyChain)
            let observer = TLSHelloObserver()
            do {
                try context.pipeline.syncOperations.addHandler(handler, position: .first)
                try context.pipeline.syncOperations.addHandler(observer, position: .first)
                tlsHandler = handler
                self.observer = observer
            } catch {
                closing = true
                context.close(promise: nil)
            }
            return false
        }
    }

    private func write(_ reply: SMTPReply, context: ChannelHandlerContext, flush: Bool) {
        let buffer = context.channel.allocator.buffer(bytes: reply.wire)
        if flush { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) } else { context.write(wrapOutboundOut(buffer), promise: nil) }
    }

    /// RFC 5321 §4.5.3.2.7: a server should wait at least 5 minutes for the next command;
    /// the lab and tests use less. Re-armed per complete line (a partial line does not count
    /// as activity). On expiry: 421 and close (RFC 5321 §3.8).
    private func resetIdle(context: ChannelHandlerContext) {
        idleTask?.cancel()
        let loop = context.eventLoop.assumeIsolated()
        idleTask = loop.scheduleTask(in: idleTimeout.timeAmount) { [self] in
            timedOut("4.4.2 Error: timeout exceeded", context: context)
        }
    }

    private func timedOut(_ text: String, context: ChannelHandlerContext) {
        guard !closing else { return }
        machine.closed()
        perform(.sendAndClose(SMTPReply(code: .serviceNotAvailable, text)), context: context)
        // A client that reads nothing can leave the 421 unflushed forever: close regardless.
        let loop = context.eventLoop.assumeIsolated()
        loop.scheduleTask(in: .seconds(5)) { context.close(promise: nil) }
    }
}
