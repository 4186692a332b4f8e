// libFuzzer entry point for the zone-file parser. Compiled by Fuzz/run.sh into one module
// with the DNSCore and DNSZoneFile sources (DNSZoneFile's `import DNSCore` is then only a
// warning).
//
// Property: parsing arbitrary bytes never traps or hangs; it returns records and errors.
// Whatever records it returns print, and the printed text parses again with no errors to the
// same records.

@_cdecl("LLVMFuzzerTestOneInput")
public func zoneFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = ZoneFileParser(origin: DomainName.root, defaultTTL: 3600)
    let result = parser.parse(bytes, fileName: "fuzz.zone")
    for error in result.errors { _ = error.description }
    guard !result.records.isEmpty else { return 0 }
    let printed = ZoneFilePrinter.print(result.records)
    let again = ZoneFileParser().parse(text: printed, fileName: "printed.zone")
    if !again.errors.isEmpty {
        fatalError("printed records do not parse again: \(again.errors[0])")
    }
    if again.records != result.records {
        fatalError("printed records parse to different records")
    }
    return 0
}
