import DNSCore
import DNSZoneFile
import Foundation
import Testing

/// Every published vector zone parses with no error, and each record survives
/// text → record → wire → record and record → text → record unchanged.
@Suite struct VectorRoundTripTests {
    static let files = [
        "rfc4035-appendix-A.zone", "rfc5155-appendix-A.zone", "rfc4034-examples.zone", "rfc6605-ecdsa.zone",
        "rfc8080-eddsa.zone", "rfc5702-rsasha2.zone", "root-anchors.zone",
    ]

    static func load(_ name: String) throws -> ZoneParseResult {
        let url = try #require(Bundle.module.url(forResource: "Vectors/rfc/\(name)", withExtension: nil))
        return ZoneFileLoader.parse(file: url.path, origin: nil)
    }

    @Test(arguments: files)
    func parsesWithoutErrors(_ name: String) throws {
        let result = try Self.load(name)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(!result.records.isEmpty)
    }

    @Test(arguments: files)
    func wireRoundTrip(_ name: String) throws {
        for record in try Self.load(name).records {
            var writer = WireWriter()
            record.encode(to: &writer)
            var reader = WireReader(writer.bytes)
            let decoded = try ResourceRecord(from: &reader)
            #expect(decoded == record)
            #expect(reader.isAtEnd)
        }
    }

    @Test(arguments: files)
    func textRoundTrip(_ name: String) throws {
        let records = try Self.load(name).records
        let again = ZoneFileParser().parse(text: ZoneFilePrinter.print(records))
        #expect(again.errors.isEmpty, "\(again.errors)")
        #expect(again.records == records)
    }

    /// All records of a vector zone in one message (compressed), decoded back.
    @Test(arguments: files)
    func messageRoundTrip(_ name: String) throws {
        let records = try Self.load(name).records
        let first = try #require(records.first)
        var message = Message(header: MessageHeader(id: 7, isResponse: true), questions: [Question(name: first.owner, type: .any)])
        message.answers = records
        let decoded = try Message(wire: message.wire)
        #expect(decoded == message)
        #expect(decoded.wire == message.wire)
    }
}
