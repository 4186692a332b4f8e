import NIOCore
import NIOSSL
// TLSUserEvent; NIOTLS comes with NIOSSL (Package.swift should name it for SMTPTransport).
import NIOTLS
import SMTPCore

/// Carries out an `SMTPClientStateMachine`'s actions on a channel: frames replies, writes
/// commands, enforces each stage's timeout on the event loop's clock, and performs the STARTTLS
/// upgrade. Decisions are the state machine's; this only executes them.
///
/// Framing is done here with the pure `SMTPReplyParser` (not a separate decoder handler) so the
/// STARTTLS boundary is one synchronous step: RFC 3207 §5 — everything received after the 220
/// and before TLS is discarded (the STARTTLS command-injection lesson, CVE-2011-0411 and kin),
/// counted in `discardedAfterStartTLS`, and only then is the TLS handler put in front.
final class SMTPClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: SMTPClientStateMachine
    private var parser: SMTPReplyParser
    private let tlsContext: NIOSSLContext?
    private let sniHostname: String?
    private let address: String
    private let resultPromise: EventLoopPromise<SMTPSessionResult>
    private let tlsEstablished: (@Sendable (SMTPTLSFacts) -> Void)?
    private var timeoutTask: Scheduled<Void>?
    private var tlsHandler: NIOSSLClientHandler?
    private var observer: TLSHelloObserver?
    private var tlsFacts: SMTPTLSFacts?
    private var discarded = 0
    private var transportError: String?
    private var finished = false

    init(configuration: SMTPClientStateMachine.Configuration, limits: SMTPReplyParser.Limits, tlsContext: NIOSSLContext?, sniHostname: String?, address: String,
         resultPromise: EventLoopPromise<SMTPSessionResult>, tlsEstablished: (@Sendable (SMTPTLSFacts) -> Void)? = nil) {
        machine = SMTPClientStateMachine(configuration: configuration)
        parser = SMTPReplyParser(limits: limits)
        self.tlsContext = tlsContext
        self.sniHostname = sniHostname
        self.address = address
        self.resultPromise = resultPromise
        self.tlsEstablished = tlsEstablished
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(machine.start(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished { perform(machine.connectionClosed(), context: context) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !finished else { return }
        if machine.awaitedStage == .tlsHandshake {
            discarded += buffer.readableBytes
            return
        }
        parser.append(buffer.readableBytesView)
        while !finished, machine.awaitedStage != .tlsHandshake {
            do {
                guard let reply = try parser.nextReply() else { break }
                perform(machine.receive(reply), context: context)
            } catch {
                perform(machine.protocolError(error), context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent, !finished {
            var facts = SMTPTLSFacts(serverName: sniHostname)
            facts.version = SMTPTLSFacts.versionName(tlsHandler?.tlsVersion)
            facts.peerChain = SMTPTLSFacts.der(tlsHandler?.peerValidatedCertificateChain)
            facts.cipherSuite = observer?.inbound.cipherSuite
            tlsFacts = facts
            tlsEstablished?(facts)
            perform(machine.tlsEstablished(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !finished else { return }
        transportError = String(describing: error)
        if machine.awaitedStage == .tlsHandshake {
            perform(machine.tlsFailed(String(describing: error)), context: context)
        } else {
            perform(machine.connectionClosed(), context: context)
        }
    }

    private func perform(_ action: SMTPClientStateMachine.Action, context: ChannelHandlerContext) {
        timeoutTask?.cancel()
        timeoutTask = nil
        switch action {
        case .awaitReply(let timeout):
            schedule(timeout, context: context)
        case .send(let command, let timeout):
            guard let bytes = try? command.encoded() else { return }  // the machine checked it
            schedule(timeout, context: context)
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        case .sendMessage(let bytes, let timeout):
            schedule(timeout, context: context)
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        case .startTLS(let timeout):
            discarded += parser.reset()
            schedule(timeout, context: context)
            startTLS(context: context)
        case .done(let outcome), .fail(let outcome):
            finished = true
            var outcome = outcome
            outcome.discardedAfterStartTLS = discarded
            resultPromise.succeed(SMTPSessionResult(address: address, outcome: outcome, tls: tlsFacts, sniSent: tlsHandler == nil ? nil : sniHostname, transportError: transportError))
            context.close(promise: nil)
        }
    }

    private func startTLS(context: ChannelHandlerContext) {
        guard let tlsContext else {
            perform(machine.tlsFailed("no TLS configuration"), context: context)
            return
        }
        do {
            let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: sniHostname, customVerificationCallbackWithMetadata: acceptAnyChain)
            let observer = TLSHelloObserver()
            try context.pipeline.syncOperations.addHandler(handler, position: .first)
            try context.pipeline.syncOperations.addHandler(observer, position: .first)
            self.tlsHandler = handler
            self.observer = observer
        } catch {
            perform(machine.tlsFailed(String(describing: error)), context: context)
        }
    }

    private func schedule(_ timeout: Duration, context: ChannelHandlerContext) {
        let loop = context.eventLoop.assumeIsolated()
        timeoutTask = loop.scheduleTask(in: timeout.timeAmount) { [self] in
            guard !finished else { return }
            perform(machine.timedOut(), context: context)
        }
    }
}
