/// The OPT pseudo-RR's RDATA: a sequence of EDNS options (RFC 6891 §6.1.2). Messages expose
/// it through `Message.edns`; it has no zone-file form.
public struct OPT: RDataFormat {
    public static let primaryType = RRType.opt
    public var options: [EDNSOption]

    public init(options: [EDNSOption] = []) { self.options = options }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        var options: [EDNSOption] = []
        while !reader.isAtEnd {
            let code = EDNSOptionCode(try reader.readUInt16())
            let length = Int(try reader.readUInt16())
            options.append(EDNSOption(code: code, data: try reader.readBytes(length)))
        }
        self.options = options
    }

    public func encode(to writer: inout WireWriter) {
        for option in options {
            writer.write(option.code.rawValue)
            writer.write(UInt16(option.data.count))
            writer.write(bytes: option.data)
        }
    }

    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        throw scanner.error(.unknownType, "OPT is a pseudo-record with no presentation form; use \\# (RFC 3597)")
    }

    public func appendPresentation(to out: inout String) {
        out.append(options.map(\.description).joined(separator: " "))
    }
}

/// One EDNS option: a code and its opaque data (RFC 6891 §6.1.2).
public struct EDNSOption: Hashable, Sendable, CustomStringConvertible {
    public var code: EDNSOptionCode
    public var data: [UInt8]

    public init(code: EDNSOptionCode, data: [UInt8]) {
        self.code = code
        self.data = data
    }

    /// An Extended DNS Error option (RFC 8914 §2).
    public init(_ error: ExtendedDNSError) {
        var data = [UInt8(error.infoCode.rawValue >> 8), UInt8(error.infoCode.rawValue & 0xFF)]
        data.append(contentsOf: error.extraText.utf8)
        self.init(code: .extendedDNSError, data: data)
    }

    /// This option read as an Extended DNS Error, if it is one and is well-formed.
    public var extendedDNSError: ExtendedDNSError? {
        guard code == .extendedDNSError, data.count >= 2 else { return nil }
        var text = data[2...]
        // RFC 8914 §2: EXTRA-TEXT is not NUL-terminated, but tolerate one.
        if text.last == 0 { text = text.dropLast() }
        return ExtendedDNSError(
            infoCode: ExtendedDNSErrorCode(UInt16(data[0]) << 8 | UInt16(data[1])),
            extraText: String(decoding: text, as: UTF8.self)
        )
    }

    public var description: String {
        if let ede = extendedDNSError { return "EDE=\(ede)" }
        return "\(code)=\(Base16.encode(data))"
    }
}

/// An Extended DNS Error: an INFO-CODE and optional UTF-8 EXTRA-TEXT (RFC 8914 §2).
public struct ExtendedDNSError: Hashable, Sendable, CustomStringConvertible {
    public var infoCode: ExtendedDNSErrorCode
    public var extraText: String

    public init(infoCode: ExtendedDNSErrorCode, extraText: String = "") {
        self.infoCode = infoCode
        self.extraText = extraText
    }

    public var description: String { extraText.isEmpty ? infoCode.description : "\(infoCode): \(extraText)" }
}
