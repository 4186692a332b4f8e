/// The fixed 12-octet header's ID and flags (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2).
/// Counts are not stored: they follow from the sections. The RCODE here is the full 12-bit
/// value; its high 8 bits travel in the OPT record (RFC 6891 §6.1.3).
public struct MessageHeader: Hashable, Sendable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: Opcode
    public var isAuthoritative: Bool
    public var isTruncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    /// The reserved Z bit (must be zero on send, RFC 1035; kept as received).
    public var zBit: Bool
    public var authenticData: Bool
    public var checkingDisabled: Bool
    public var rcode: RCode

    public init(id: UInt16 = 0, isResponse: Bool = false, opcode: Opcode = .query, isAuthoritative: Bool = false,
                isTruncated: Bool = false, recursionDesired: Bool = false, recursionAvailable: Bool = false,
                zBit: Bool = false, authenticData: Bool = false, checkingDisabled: Bool = false, rcode: RCode = .noError) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.zBit = zBit
        self.authenticData = authenticData
        self.checkingDisabled = checkingDisabled
        self.rcode = rcode
    }

    /// The 16-bit flags word with the low 4 bits of the RCODE.
    public var flagsWord: UInt16 {
        var word: UInt16 = 0
        if isResponse { word |= 0x8000 }
        word |= UInt16(opcode.rawValue) << 11
        if isAuthoritative { word |= 0x0400 }
        if isTruncated { word |= 0x0200 }
        if recursionDesired { word |= 0x0100 }
        if recursionAvailable { word |= 0x0080 }
        if zBit { word |= 0x0040 }
        if authenticData { word |= 0x0020 }
        if checkingDisabled { word |= 0x0010 }
        word |= UInt16(rcode.headerBits)
        return word
    }

    public init(id: UInt16, flagsWord word: UInt16) {
        self.init(
            id: id, isResponse: word & 0x8000 != 0, opcode: Opcode(rawValue: UInt8((word >> 11) & 0x0F)),
            isAuthoritative: word & 0x0400 != 0, isTruncated: word & 0x0200 != 0,
            recursionDesired: word & 0x0100 != 0, recursionAvailable: word & 0x0080 != 0,
            zBit: word & 0x0040 != 0, authenticData: word & 0x0020 != 0, checkingDisabled: word & 0x0010 != 0,
            rcode: RCode(rawValue: word & 0x000F)
        )
    }
}

extension Message {
    /// The FORMERR a server sends for a query whose 12-octet header could be read but whose
    /// body could not (RFC 1035 §4.1.1: same ID, opcode and RD; no question echoed); nil when
    /// even the header is short.
    public static func formatErrorReply(toQuery bytes: [UInt8]) -> Message? {
        guard bytes.count >= 12 else { return nil }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let query = MessageHeader(id: id, flagsWord: UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
        return Message(header: MessageHeader(id: id, isResponse: true, opcode: query.opcode,
                                             recursionDesired: query.recursionDesired, rcode: .formErr))
    }
}
