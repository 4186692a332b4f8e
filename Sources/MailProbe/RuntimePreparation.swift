import Crypto
import DNSTransport
import NIOCore
import NIOEmbedded
import SMTPTransport
import X509

extension MailProbe {
    /// Makes the executable's zero-filled data pages at once (`ZeroFilledData`, Linux), for
    /// a caller with a spare core: `daneprobe` calls it first thing on a pool thread, while the
    /// main thread parses the arguments. Elsewhere it does nothing.
    public static func prepareMemory() {
        #if os(Linux)
        ZeroFilledData.populate()
        #endif
    }

    /// Pays ahead, on the calling thread, the Swift runtime's first-use costs that a check
    /// would otherwise meet on its way, for a caller with a spare core: `daneprobe` calls it
    /// on a thread of the pool while the main thread parses the arguments.
    ///
    /// The first time a type is cast to a protocol, the runtime walks every conformance record
    /// of the binary (about 9,400 in `daneprobe`; 30–150 µs) and caches the answer for the
    /// process. A check meets about twenty such first casts after argument parsing, measured
    /// with uprobes on the runtime's lookup:
    /// - NIO casts every handler to its inbound and outbound protocols when it joins a
    ///   pipeline: the head and tail of the first pipeline, the DNS socket's handler, and the
    ///   SMTP session's three (`SMTPProbe.channelHandlerTypes`), the last on the way from the
    ///   greeting to the ClientHello;
    /// - `DistinguishedName`'s description, for the chain summary of the DANE verdict;
    /// - swift-crypto's ECDSA signature from bytes, for the first RRSIG checked.
    /// Each is done here once as the check would do it, and nothing is kept; calling it again,
    /// or never, changes no result.
    public static func prepareRuntime() {
        let channel = EmbeddedChannel()
        castLikeAPipeline(NIODNSExchange.channelHandlerTypes + SMTPProbe.channelHandlerTypes)
        _ = try? channel.finish()
        if let name = try? DistinguishedName(builder: { CommonName("daneprobe.invalid") }) { _ = "\(name)" }
        _ = try? P256.Signing.ECDSASignature(rawRepresentation: [UInt8](repeating: 1, count: 64))
    }

    /// Each of `types` cast to the two protocols NIO casts a handler to as it joins a pipeline.
    /// Compiled without optimisation and never inlined: optimised, the compiler saw which types
    /// the lists hold, decided the casts itself and dropped them, and the runtime was never
    /// asked (a uprobe on its lookup showed the scans still on the event loop, after parsing).
    @inline(never) @_optimize(none)
    static func castLikeAPipeline(_ types: [any ChannelHandler.Type]) {
        for type in types {
            _ = type as? any _ChannelInboundHandler.Type
            _ = type as? any _ChannelOutboundHandler.Type
        }
    }
}
