import DNSCore

/// Prints records as a master file that reads back to the same records: one record per line,
/// `owner TTL CLASS TYPE RDATA` separated by tabs (the layout ldns-read-zone uses), absolute
/// names, unknown types as `TYPEnnn \# …` (RFC 3597 §5).
public enum ZoneFilePrinter {
    public static func print(_ records: [ResourceRecord]) -> String {
        var out = ""
        out.reserveCapacity(records.count * 64)
        for record in records { append(record, to: &out) }
        return out
    }

    /// Appends one record and a newline.
    public static func append(_ record: ResourceRecord, to out: inout String) {
        record.appendPresentation(to: &out)
        out.append("\n")
    }
}
