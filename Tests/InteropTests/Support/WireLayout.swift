import PeerTestSupport
import DNSCore

/// Where each field of a DNS message sits in its bytes, so a test can say exactly which name
/// or field of which record differs when a re-encoding is not byte-identical.
struct WireLayout {
    struct Field {
        var range: Range<Int>
        /// e.g. `answer[1] owner mail.example.test.` or `authority[0] RRSIG RDATA`.
        var label: String
    }

    var fields: [Field] = []

    /// Walks `bytes` as a message; stops quietly at the first field that does not decode
    /// (the fields before it are still useful).
    init(_ bytes: [UInt8]) {
        var reader = WireReader(bytes)
        fields.append(Field(range: 0..<min(12, bytes.count), label: "header"))
        guard bytes.count >= 12 else { return }
        reader.offset = 12
        let counts = (0..<4).map { Int(bytes[4 + 2 * $0]) << 8 | Int(bytes[5 + 2 * $0]) }
        do {
            for index in 0..<counts[0] {
                let start = reader.offset
                let name = try reader.readName()
                fields.append(Field(range: start..<reader.offset, label: "question[\(index)] name \(name)"))
                let fixed = reader.offset
                _ = try reader.readBytes(4)
                fields.append(Field(range: fixed..<reader.offset, label: "question[\(index)] type+class"))
            }
            for (section, count) in zip(["answer", "authority", "additional"], counts.dropFirst()) {
                for index in 0..<count {
                    let start = reader.offset
                    let owner = try reader.readName()
                    fields.append(Field(range: start..<reader.offset, label: "\(section)[\(index)] owner \(owner)"))
                    let fixed = reader.offset
                    let type = RRType(try reader.readUInt16())
                    _ = try reader.readBytes(6)
                    let length = Int(try reader.readUInt16())
                    fields.append(Field(range: fixed..<reader.offset, label: "\(section)[\(index)] \(type) type/class/TTL/RDLENGTH=\(length)"))
                    let rdata = reader.offset
                    _ = try reader.readBytes(length)
                    fields.append(Field(range: rdata..<reader.offset, label: "\(section)[\(index)] \(type) RDATA"))
                }
            }
        } catch {
            fields.append(Field(range: reader.offset..<bytes.count, label: "undecodable (\(error))"))
        }
    }

    func field(containing offset: Int) -> (index: Int, field: Field)? {
        for (index, field) in fields.enumerated() where field.range.contains(offset) { return (index, field) }
        return nil
    }

    /// A precise account of the first difference between a peer's message and our
    /// re-encoding of it, or nil when they are equal.
    static func describeDifference(peer: [UInt8], ours: [UInt8]) -> String? {
        guard peer != ours else { return nil }
        let common = min(peer.count, ours.count)
        let first = (0..<common).first { peer[$0] != ours[$0] } ?? common
        let peerLayout = WireLayout(peer)
        let ourLayout = WireLayout(ours)
        var text = "re-encoding differs from the peer's \(peer.count) octets (ours: \(ours.count)) first at offset \(first)"
        if let (index, field) = peerLayout.field(containing: first) {
            text += "\n  peer: \(field.label) at \(field.range): \(hex(peer[field.range]))"
            if index < ourLayout.fields.count {
                let mine = ourLayout.fields[index]
                text += "\n  ours: \(mine.label) at \(mine.range): \(hex(ours[mine.range]))"
            }
        } else {
            text += "\n  (past the end of the peer's message; ours continues with \(hex(ours[first...].prefix(32))))"
        }
        return text
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        bytes.prefix(64).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ") + (bytes.count > 64 ? " …" : "")
    }
}
