/// A bounds-checked cursor over a DNS message (or any wire-format buffer). Every read either
/// returns a value or throws a `DNSWireError` naming the offset; it never traps on bad input.
public struct WireReader: Sendable {
    public let bytes: [UInt8]
    public var offset: Int
    /// Reads never go past this index (an RDATA's end while decoding it).
    public var limit: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.limit = bytes.count
    }

    public var remaining: Int { limit - offset }
    public var isAtEnd: Bool { offset >= limit }

    @inline(__always)
    mutating func need(_ count: Int) throws(DNSWireError) {
        if count > limit - offset { throw DNSWireError(.truncated, at: offset, "need \(count) octets, have \(limit - offset)") }
    }

    public mutating func readUInt8() throws(DNSWireError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    public mutating func readUInt48() throws(DNSWireError) -> UInt64 {
        let high = try readUInt16()
        let low = try readUInt32()
        return UInt64(high) << 32 | UInt64(low)
    }

    public mutating func readBytes(_ count: Int) throws(DNSWireError) -> [UInt8] {
        try need(count)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Everything up to `limit`.
    public mutating func readRemaining() -> [UInt8] {
        defer { offset = limit }
        return Array(bytes[offset..<limit])
    }

    /// A <character-string>: a length octet and that many octets (RFC 1035 §3.3).
    public mutating func readCharacterString() throws(DNSWireError) -> [UInt8] {
        let length = Int(try readUInt8())
        return try readBytes(length)
    }

    /// Reads a possibly compressed name (RFC 1035 §4.1.4). Pointers must point strictly before
    /// the label they replace, so loops and forward references are rejected; the expanded
    /// name must fit 255 octets. Pointers may reach anywhere earlier in `bytes`, past `limit`'s
    /// start, but the in-place part of the name must lie within `limit`.
    public mutating func readName() throws(DNSWireError) -> DomainName {
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var position = offset
        var end = limit
        var jumped = false
        var lowestTarget = offset
        var hops = 0
        while true {
            guard position < end else { throw DNSWireError(.truncated, at: position, "inside a name") }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    wire.append(0)
                    if !jumped { offset = position + 1 }
                    return DomainName(uncheckedWire: wire)
                }
                let labelEnd = position + 1 + Int(length)
                guard labelEnd <= end else { throw DNSWireError(.truncated, at: position, "label runs past the end") }
                guard wire.count + 1 + Int(length) + 1 <= DomainName.maxWireLength else {
                    throw DNSWireError(.nameTooLong, at: position)
                }
                wire.append(contentsOf: bytes[position..<labelEnd])
                position = labelEnd
            case 0xC0:
                guard position + 1 < end else { throw DNSWireError(.truncated, at: position, "inside a pointer") }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                if !jumped { offset = position + 2 }
                guard target < bytes.count else { throw DNSWireError(.badPointer, at: position, "to \(target)") }
                if target >= lowestTarget {
                    throw DNSWireError(target == position ? .pointerLoop : .forwardPointer, at: position, "to \(target)")
                }
                hops += 1
                if hops > 127 { throw DNSWireError(.pointerLoop, at: position) }
                lowestTarget = target
                jumped = true
                position = target
                end = bytes.count
            default:
                throw DNSWireError(.badLabelType, at: position, "label type 0x\(String(length >> 6, radix: 16))")
            }
        }
    }
}
