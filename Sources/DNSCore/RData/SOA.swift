/// Start of authority (RFC 1035 §3.3.13); `minimum` is the negative-caching TTL (RFC 2308 §4).
public struct SOA: RDataFormat {
    public static let primaryType = RRType.soa
    public var mname: DomainName
    public var rname: DomainName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(mname: DomainName, rname: DomainName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32) {
        self.mname = mname
        self.rname = rname
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        mname = try reader.readName()
        rname = try reader.readName()
        serial = try reader.readUInt32()
        refresh = try reader.readUInt32()
        retry = try reader.readUInt32()
        expire = try reader.readUInt32()
        minimum = try reader.readUInt32()
    }

    public func encode(to writer: inout WireWriter) {
        writer.writeRDataName(mname)
        writer.writeRDataName(rname)
        for value in [serial, refresh, retry, expire, minimum] { writer.write(value) }
    }

    /// The timer fields accept TTL-style units (`1h`, `2w`) as BIND and ldns do.
    public init(presentation scanner: inout PresentationScanner) throws(PresentationError) {
        mname = try scanner.name("primary name server (MNAME)")
        rname = try scanner.name("responsible mailbox (RNAME)")
        serial = try scanner.integer("serial")
        refresh = try scanner.duration("refresh")
        retry = try scanner.duration("retry")
        expire = try scanner.duration("expire")
        minimum = try scanner.duration("minimum")
    }

    public func appendPresentation(to out: inout String) {
        mname.appendPresentation(to: &out)
        out.append(" ")
        rname.appendPresentation(to: &out)
        for value in [serial, refresh, retry, expire, minimum] {
            out.append(" ")
            out.append(String(value))
        }
    }
}
