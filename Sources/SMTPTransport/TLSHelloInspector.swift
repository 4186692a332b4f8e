/// Reads the cleartext TLS handshake records going by (RFC 8446 §4.1.2–4.1.3, §4.2.1;
/// RFC 6066 §3) for the facts NIOSSL does not expose: the server name in a ClientHello and the
/// cipher suite (and selected version) in a ServerHello. Pure: fed bytes, bounded, and gives up
/// quietly on anything it does not understand — it is an observer, never a gate.
struct TLSHelloInspector: Sendable {
    /// The first 16 KiB + a header are enough for any real hello; more is not kept.
    static let limit = 16_384 + 5 + 4

    private var buffer: [UInt8] = []
    private(set) var done = false
    private(set) var serverName: String?
    private(set) var cipherSuite: UInt16?
    /// From supported_versions in a ServerHello (0x0304 for TLS 1.3).
    private(set) var selectedVersion: UInt16?

    mutating func feed(_ bytes: some Sequence<UInt8>) {
        guard !done else { return }
        buffer.append(contentsOf: bytes)
        if buffer.count > Self.limit { done = true; buffer = []; return }
        parse()
    }

    private mutating func parse() {
        // Record header: type 22 (handshake), version, length.
        guard buffer.count >= 5 else { return }
        guard buffer[0] == 22 else { done = true; return }
        // Handshake header inside: type, 3-byte length. Hellos may span records; keep it simple
        // and read across concatenated record payloads.
        var payload: [UInt8] = []
        var offset = 0
        while offset + 5 <= buffer.count, buffer[offset] == 22 {
            let length = Int(buffer[offset + 3]) << 8 | Int(buffer[offset + 4])
            let end = min(buffer.count, offset + 5 + length)
            payload += buffer[(offset + 5)..<end]
            offset += 5 + length
        }
        guard payload.count >= 4 else { return }
        let messageType = payload[0]
        let messageLength = Int(payload[1]) << 16 | Int(payload[2]) << 8 | Int(payload[3])
        guard payload.count >= 4 + messageLength else { return }
        var reader = ByteReader(Array(payload[4..<(4 + messageLength)]))
        switch messageType {
        case 1: parseClientHello(&reader)
        case 2: parseServerHello(&reader)
        default: break
        }
        done = true
        buffer = []
    }

    private mutating func parseClientHello(_ reader: inout ByteReader) {
        guard reader.skip(2 + 32),
              let sessionLength = reader.u8(), reader.skip(Int(sessionLength)),
              let suitesLength = reader.u16(), reader.skip(Int(suitesLength)),
              let compressionLength = reader.u8(), reader.skip(Int(compressionLength)),
              let extensionsLength = reader.u16(), var extensions = reader.sub(Int(extensionsLength))
        else { return }
        while let type = extensions.u16(), let length = extensions.u16(), var body = extensions.sub(Int(length)) {
            guard type == 0 else { continue }
            // server_name: list length, then (type 0 = host_name, 2-byte length, name).
            guard body.u16() != nil, let nameType = body.u8(), nameType == 0, let nameLength = body.u16(), let name = body.bytes(Int(nameLength)) else { return }
            serverName = String(decoding: name, as: UTF8.self)
            return
        }
    }

    private mutating func parseServerHello(_ reader: inout ByteReader) {
        guard reader.skip(2 + 32), let sessionLength = reader.u8(), reader.skip(Int(sessionLength)), let suite = reader.u16() else { return }
        cipherSuite = suite
        guard reader.skip(1), let extensionsLength = reader.u16(), var extensions = reader.sub(Int(extensionsLength)) else { return }
        while let type = extensions.u16(), let length = extensions.u16(), var body = extensions.sub(Int(length)) {
            if type == 43, let version = body.u16() { selectedVersion = version }
        }
    }

    /// The suites BoringSSL can negotiate, with OpenSSL's names.
    static let cipherSuiteNames: [UInt16: String] = [
        0x1301: "TLS_AES_128_GCM_SHA256",
        0x1302: "TLS_AES_256_GCM_SHA384",
        0x1303: "TLS_CHACHA20_POLY1305_SHA256",
        0xC02B: "ECDHE-ECDSA-AES128-GCM-SHA256",
        0xC02C: "ECDHE-ECDSA-AES256-GCM-SHA384",
        0xC02F: "ECDHE-RSA-AES128-GCM-SHA256",
        0xC030: "ECDHE-RSA-AES256-GCM-SHA384",
        0xCCA8: "ECDHE-RSA-CHACHA20-POLY1305",
        0xCCA9: "ECDHE-ECDSA-CHACHA20-POLY1305",
        0xC009: "ECDHE-ECDSA-AES128-SHA",
        0xC00A: "ECDHE-ECDSA-AES256-SHA",
        0xC013: "ECDHE-RSA-AES128-SHA",
        0xC014: "ECDHE-RSA-AES256-SHA",
        0x009C: "AES128-GCM-SHA256",
        0x009D: "AES256-GCM-SHA384",
        0x002F: "AES128-SHA",
        0x0035: "AES256-SHA",
    ]
}

/// Bounds-checked big-endian reads over a byte array; every read returns nil past the end.
struct ByteReader: Sendable {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func u16() -> UInt16? {
        guard let high = u8(), let low = u8() else { return nil }
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, bytes.count - index >= count else { return false }
        index += count
        return true
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - index >= count else { return nil }
        defer { index += count }
        return Array(bytes[index..<(index + count)])
    }

    mutating func sub(_ count: Int) -> ByteReader? { bytes(count).map(ByteReader.init) }
}
