// libFuzzer entry point for `Message(wire:)`. Compiled by Fuzz/run.sh into the same module as
// the DNSCore sources, so DNSCore's API is visible without an import.
//
// Property: decoding arbitrary bytes either throws a DNSWireError or yields a message whose
// compressed and uncompressed encodings both decode again to an equal message. Anything
// else (a trap, a hang, a re-decode failure, an inequality) is a bug and aborts.

@_cdecl("LLVMFuzzerTestOneInput")
public func messageFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let message: Message
    do {
        message = try Message(wire: bytes)
    } catch {
        _ = error.description
        return 0
    }
    for compress in [true, false] {
        let again = message.encoded(compress: compress)
        let decoded: Message
        do {
            decoded = try Message(wire: again)
        } catch {
            fatalError("re-encoded message (compress: \(compress)) does not decode: \(error)")
        }
        if decoded != message {
            fatalError("re-encoded message (compress: \(compress)) decodes to a different message")
        }
    }
    // Printing every record must not trap either.
    for record in message.answers + message.authority + message.additional {
        _ = record.presentation
    }
    return 0
}
