#if os(Linux)
import CAuxiliaryVector
import Glibc

/// The executable's zero-filled data (`.bss`: `swift_once` tokens, lazy globals, metadata and
/// witness-table caches; ~1.2 MB in `daneprobe`) costs two page faults per page as it is first
/// used: a read maps the shared zero page, and the write that follows (the token set, the cache
/// filled) copies it. `populate()` makes those pages at once with `MADV_POPULATE_WRITE`
/// (Linux ≥ 5.14), one call instead of ~600 faults spread over the threads of a `check`:
/// `daneprobe` calls it on a pool thread while the main thread parses the arguments, and a
/// `check` takes ~1.7 ms less (Benchmarks/README.md). Where the kernel does not know the
/// advice, nothing happens and the pages fault as before; nothing else changes either way.
package enum ZeroFilledData {
    /// `MADV_POPULATE_WRITE` (linux/mman.h); the C library's headers may predate it.
    static let populateWrite: Int32 = 23

    /// The executable's zero-filled pages: for each writable PT_LOAD segment, from the first
    /// whole page past its file-backed bytes to its end, at the load bias (where the auxiliary
    /// vector says the program headers are, against PT_PHDR's address).
    package static func ranges() -> [Range<UInt>] {
        guard let headers = UnsafePointer<Elf64_Phdr>(bitPattern: UInt(getauxval(UInt(AT_PHDR)))) else { return [] }
        let table = UnsafeBufferPointer(start: headers, count: Int(getauxval(UInt(AT_PHNUM))))
        guard let phdr = table.first(where: { $0.p_type == UInt32(PT_PHDR) }) else { return [] }
        let bias = UInt(bitPattern: headers) &- UInt(phdr.p_vaddr)
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let roundUp = { (address: UInt) in (address + page - 1) & ~(page - 1) }
        return table.compactMap { header in
            guard header.p_type == UInt32(PT_LOAD), header.p_flags & UInt32(PF_W) != 0, header.p_memsz > header.p_filesz else { return nil }
            let start = roundUp(bias &+ UInt(header.p_vaddr) + UInt(header.p_filesz))
            let end = roundUp(bias &+ UInt(header.p_vaddr) + UInt(header.p_memsz))
            return start < end ? start..<end : nil
        }
    }

    package static func populate() {
        for range in ranges() {
            guard let address = UnsafeMutableRawPointer(bitPattern: range.lowerBound) else { continue }
            _ = madvise(address, Int(range.upperBound - range.lowerBound), populateWrite)
        }
    }
}
#endif
