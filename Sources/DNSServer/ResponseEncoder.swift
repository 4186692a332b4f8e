import DNSCore

/// Writes a response within a size limit (RFC 1035 §4.2.1: 512 octets over UDP without EDNS;
/// RFC 6891 §6.2.5: the requestor's payload size with EDNS; 65,535 over TCP).
///
/// Whole units only (RFC 2181 §9). When a required unit does not fit, the message ends there
/// with TC=1 (RFC 2181 §9; RFC 4035 §3.1.1 for RRSIGs); at the first optional unit that does
/// not fit the message ends without TC (as NSD does: the rest is optional too, or would
/// have been placed before it). The OPT record is always written last and its size reserved first, so an EDNS
/// client always learns our payload size and the DO echo (RFC 6891 §7).
struct ResponseEncoder {
    struct Output {
        var wire: [UInt8]
        var message: Message
    }

    static func encode(header: MessageHeader, questions: [Question], draft: ResponseDraft,
                       edns: EDNS?, limit: Int) -> Output {
        var header = header
        header.rcode = draft.rcode
        header.isAuthoritative = draft.authoritative
        var opt: ResourceRecord?
        var optSize = 0
        if let edns {
            let record = Self.optRecord(edns, rcode: draft.rcode)
            opt = record
            optSize = 11 + record.rdata.wire.count
        }
        let optRecord = opt
        let sections = [draft.answer, draft.authority, draft.additional]

        // Fast path: everything fits.
        var writer = start(header: header, questions: questions)
        for section in sections { for unit in section { for record in unit.records { record.encode(to: &writer) } } }
        if writer.count + optSize <= limit {
            let counts = sections.map { $0.reduce(0) { $0 + $1.records.count } }
            return finish(writer: &writer, header: header, questions: questions, sections: sections,
                          counts: counts, opt: optRecord, edns: edns)
        }

        // Slow path: unit by unit, keeping what fits.
        writer = start(header: header, questions: questions)
        if writer.count + optSize > limit {
            // Not even the question fits (a 255-octet QNAME under a 512-octet limit cannot
            // happen, but a tiny limit could): send the header alone, truncated.
            header.isTruncated = true
            writer = start(header: header, questions: [])
            return finish(writer: &writer, header: header, questions: [], sections: [[], [], []], counts: [0, 0, 0], opt: optRecord, edns: edns)
        }
        var kept: [[ResponseUnit]] = [[], [], []]
        var truncated = false
        outer: for (index, section) in sections.enumerated() {
            for unit in section {
                let saved = writer
                for record in unit.records { record.encode(to: &writer) }
                if writer.count + optSize <= limit {
                    kept[index].append(unit)
                    continue
                }
                writer = saved
                truncated = unit.required
                break outer
            }
        }
        header.isTruncated = truncated
        let counts = kept.map { $0.reduce(0) { $0 + $1.records.count } }
        return finish(writer: &writer, header: header, questions: questions, sections: kept, counts: counts, opt: optRecord, edns: edns)
    }

    private static func start(header: MessageHeader, questions: [Question]) -> WireWriter {
        var writer = WireWriter(mode: .message, capacity: 512)
        writer.write(header.id)
        writer.write(header.flagsWord)
        writer.write(UInt16(questions.count))
        writer.write(UInt16(0))
        writer.write(UInt16(0))
        writer.write(UInt16(0))
        for question in questions { question.encode(to: &writer) }
        return writer
    }

    private static func finish(writer: inout WireWriter, header: MessageHeader, questions: [Question], sections: [[ResponseUnit]],
                               counts: [Int], opt: ResourceRecord?, edns: EDNS?) -> Output {
        if let opt { opt.encode(to: &writer) }
        writer.patch(header.flagsWord, at: 2)
        writer.patch(UInt16(counts[0]), at: 6)
        writer.patch(UInt16(counts[1]), at: 8)
        writer.patch(UInt16(counts[2] + (opt == nil ? 0 : 1)), at: 10)
        let message = Message(
            header: header, questions: questions,
            answers: sections[0].flatMap(\.records), authority: sections[1].flatMap(\.records),
            additional: sections[2].flatMap(\.records), edns: edns
        )
        return Output(wire: writer.bytes, message: message)
    }

    /// The OPT pseudo-record (RFC 6891 §6.1.2–6.1.3): owner root, CLASS = our UDP payload size,
    /// TTL = extended RCODE, version, DO and the other flags.
    static func optRecord(_ edns: EDNS, rcode: RCode) -> ResourceRecord {
        var ttl = UInt32(rcode.extendedBits) << 24 | UInt32(edns.version) << 16
        ttl |= UInt32(edns.otherFlags & 0x7FFF)
        if edns.dnssecOK { ttl |= 0x8000 }
        return ResourceRecord(owner: .root, rrClass: RRClass(edns.udpPayloadSize), ttl: ttl, rdata: RData(OPT(options: edns.options)))
    }
}
