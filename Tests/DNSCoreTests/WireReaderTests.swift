import Testing
@testable import DNSCore

@Suite struct RFC1035_4_1_4_NameDecompressionTests {
    func readName(_ bytes: [UInt8], at offset: Int = 0, limit: Int? = nil) -> Result<(DomainName, Int), DNSWireError> {
        var reader = WireReader(bytes, offset: offset)
        if let limit { reader.limit = limit }
        do {
            let name = try reader.readName()
            return .success((name, reader.offset))
        } catch {
            return .failure(error)
        }
    }

    func code(_ bytes: [UInt8], at offset: Int = 0, limit: Int? = nil) -> DNSWireError.Code? {
        if case .failure(let error) = readName(bytes, at: offset, limit: limit) { return error.code }
        return nil
    }

    let exampleCom = nameWire("example.com.")   // 13 octets

    @Test func plainAndCompressedNames() throws {
        let bytes = exampleCom + [3] + Array("www".utf8) + [0xC0, 0x00] + [0xC0, 0x0D]
        let (plain, afterPlain) = try readName(bytes).get()
        #expect(plain == "example.com." && afterPlain == 13)
        let (www, afterWWW) = try readName(bytes, at: 13).get()
        #expect(www == "www.example.com.")
        #expect(afterWWW == 19)   // just past the pointer, not where it led
        let (again, afterAgain) = try readName(bytes, at: 19).get()
        #expect(again == "www.example.com." && afterAgain == 21)
        #expect(again.wire == nameWire("www.example.com."))
        let (root, afterRoot) = try readName([0]).get()
        #expect(root == .root && afterRoot == 1)
    }

    @Test func pointerToItselfIsALoop() {
        #expect(code([0xC0, 0x00]) == .pointerLoop)
        #expect(code([0, 0, 0xC0, 0x02], at: 2) == .pointerLoop)
    }

    @Test func forwardPointersAreRejected() {
        #expect(code([0xC0, 0x02, 0x00]) == .forwardPointer)
        #expect(code([1, 0x61, 0xC0, 0x00]) == .forwardPointer)   // back into its own first label
    }

    @Test func loopsThroughSeveralPointersAreRejected() {
        // 2 → 4 → 2: the second hop does not go further back.
        let error = code([0, 0, 0xC0, 0x04, 0xC0, 0x02], at: 4)
        #expect(error == .forwardPointer || error == .pointerLoop)
        // A long backward chain of pointers ends at the root and is fine.
        var chain: [UInt8] = [0]
        for hop in 0..<100 { chain += [0xC0, UInt8(hop == 0 ? 0 : 1 + 2 * (hop - 1))] }
        #expect(code(chain, at: chain.count - 2) == nil)
    }

    @Test func pointerOutOfRange() {
        #expect(code([0xC0, 0xFF]) == .badPointer)
        #expect(code(exampleCom + [0xFF, 0xFF], at: 13) == .badPointer)
    }

    @Test func truncatedNames() {
        #expect(code([0xC0]) == .truncated)
        #expect(code([5, 0x61, 0x62]) == .truncated)
        #expect(code([1, 0x61]) == .truncated)
        #expect(code([]) == .truncated)
        // The in-place part must lie within the reader's limit (the RDATA end).
        #expect(code(exampleCom, limit: 12) == .truncated)
        #expect(code(exampleCom + [0xC0, 0x00], at: 13, limit: 14) == .truncated)
    }

    @Test func reservedLabelTypes() {
        #expect(code([0x40, 0x61, 0x00]) == .badLabelType)
        #expect(code([0x80, 0x61, 0x00]) == .badLabelType)
        #expect(code([0x41, 0x00]) == .badLabelType)
        #expect(code(exampleCom + [0xBF, 0x00], at: 13) == .badLabelType)
    }

    @Test func overLongNames() {
        let label = [63] + [UInt8](repeating: 0x61, count: 63)
        // In place: four 63-octet labels and the root are 257 octets.
        #expect(code(label + label + label + label + [0]) == .nameTooLong)
        #expect(code(label + label + label + [61] + [UInt8](repeating: 0x62, count: 61) + [0]) == nil)
        // Through pointers: each name adds a 63-octet label to the previous one.
        var bytes = label + [0]                          // 65 octets at 0
        bytes += label + [0xC0, 0x00]                    // at 65: 129 octets expanded
        bytes += label + [0xC0, 65]                      // at 131: 193
        bytes += label + [0xC0, 131]                     // at 197: 257
        #expect(code(bytes, at: 131) == nil)
        #expect(code(bytes, at: 197) == .nameTooLong)
    }

    @Test func neverTrapsOnArbitraryBytes() {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<2000 {
            let count = Int(generator.next() % 40)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for offset in 0...count {
                _ = readName(bytes, at: offset)
            }
        }
    }
}

@Suite struct WireReaderIntegerTests {
    @Test func readsAreBigEndianAndBoundsChecked() throws {
        var reader = WireReader(hex("01 0203 04050607 08090a0b0c0d 03616263"))
        #expect(try reader.readUInt8() == 1)
        #expect(try reader.readUInt16() == 0x0203)
        #expect(try reader.readUInt32() == 0x04050607)
        #expect(try reader.readUInt48() == 0x08090a0b0c0d)
        #expect(try reader.readCharacterString() == Array("abc".utf8))
        #expect(reader.isAtEnd)
        do {
            _ = try reader.readUInt8()
            Issue.record("read past the end")
        } catch {
            #expect(error.code == .truncated)
            #expect(error.offset == 17)
        }
        var short = WireReader([2, 0x61])
        #expect(throws: DNSWireError.self) { try short.readCharacterString() }
        var limited = WireReader([1, 2, 3, 4])
        limited.limit = 2
        #expect(throws: DNSWireError.self) { try limited.readUInt32() }
        #expect(limited.readRemaining() == [1, 2])
    }
}

