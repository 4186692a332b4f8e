/// A DNS message (RFC 1035 §4.1): header, question, answer, authority and additional
/// sections. An OPT record in the additional section is lifted into `edns` (RFC 6891 §6.1.1:
/// at most one, owner root) and written back as the last additional record.
public struct Message: Hashable, Sendable {
    public var header: MessageHeader
    public var questions: [Question]
    public var answers: [ResourceRecord]
    public var authority: [ResourceRecord]
    public var additional: [ResourceRecord]
    public var edns: EDNS?

    public init(header: MessageHeader = MessageHeader(), questions: [Question] = [], answers: [ResourceRecord] = [],
                authority: [ResourceRecord] = [], additional: [ResourceRecord] = [], edns: EDNS? = nil) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
        self.edns = edns
    }

    /// A query for `name`/`type` with a given ID; EDNS with DO when `dnssec`.
    public static func query(id: UInt16, name: DomainName, type: RRType, recursionDesired: Bool = true,
                             dnssec: Bool = false, checkingDisabled: Bool = false, udpPayloadSize: UInt16 = 1232) -> Message {
        Message(
            header: MessageHeader(id: id, recursionDesired: recursionDesired, checkingDisabled: checkingDisabled),
            questions: [Question(name: name, type: type)],
            edns: EDNS(udpPayloadSize: udpPayloadSize, dnssecOK: dnssec)
        )
    }

    /// The smallest possible record is 11 octets (root owner, type, class, TTL, RDLENGTH), so
    /// counts beyond what the bytes can hold are rejected before allocating.
    public init(wire bytes: [UInt8]) throws(DNSWireError) {
        var reader = WireReader(bytes)
        let id = try reader.readUInt16()
        let flags = try reader.readUInt16()
        let qdCount = Int(try reader.readUInt16())
        let anCount = Int(try reader.readUInt16())
        let nsCount = Int(try reader.readUInt16())
        let arCount = Int(try reader.readUInt16())
        guard qdCount * 5 + (anCount + nsCount + arCount) * 11 <= reader.remaining else {
            throw DNSWireError(.tooManyRecords, at: 4, "counts \(qdCount)/\(anCount)/\(nsCount)/\(arCount) for \(reader.remaining) octets")
        }
        var header = MessageHeader(id: id, flagsWord: flags)
        questions = []
        questions.reserveCapacity(qdCount)
        for _ in 0..<qdCount { questions.append(try Question(from: &reader)) }
        answers = try Self.readSection(anCount, from: &reader)
        authority = try Self.readSection(nsCount, from: &reader)
        additional = []
        edns = nil
        for _ in 0..<arCount {
            let start = reader.offset
            let record = try ResourceRecord(from: &reader)
            if record.type == .opt {
                guard edns == nil else { throw DNSWireError(.duplicateOPT, at: start) }
                edns = try EDNS(record: record, at: start)
                header.rcode = RCode(headerBits: header.rcode.headerBits, extendedBits: UInt8(record.ttl >> 24))
            } else {
                additional.append(record)
            }
        }
        guard reader.isAtEnd else { throw DNSWireError(.trailingBytes, at: reader.offset, "\(reader.remaining) octets") }
        self.header = header
    }

    private static func readSection(_ count: Int, from reader: inout WireReader) throws(DNSWireError) -> [ResourceRecord] {
        var records: [ResourceRecord] = []
        records.reserveCapacity(count)
        for _ in 0..<count { records.append(try ResourceRecord(from: &reader)) }
        return records
    }

    /// Wire form with name compression.
    public var wire: [UInt8] { encoded(compress: true) }

    public func encoded(compress: Bool) -> [UInt8] {
        var writer = WireWriter(mode: compress ? .message : .uncompressed)
        writer.write(header.id)
        writer.write(header.flagsWord)
        writer.write(UInt16(questions.count))
        writer.write(UInt16(answers.count))
        writer.write(UInt16(authority.count))
        writer.write(UInt16(additional.count + (edns == nil ? 0 : 1)))
        for question in questions { question.encode(to: &writer) }
        for record in answers { record.encode(to: &writer) }
        for record in authority { record.encode(to: &writer) }
        for record in additional { record.encode(to: &writer) }
        if let edns { edns.record(rcode: header.rcode).encode(to: &writer) }
        return writer.bytes
    }
}
