#if canImport(Glibc)
import Glibc
#endif

// The libFuzzer entry for the SwiftPM-built fuzz executables (Fuzz/dane, Fuzz/store).
//
// `-sanitize=fuzzer` links libFuzzer's own `main` with --whole-archive, which collides with an
// executable's `main`, and SwiftPM always gives an executable one. So these targets are built
// with coverage instrumentation only (`-sanitize=address -sanitize-coverage=…`) and linked
// against libFuzzer's `fuzzer_no_main` runtime, and the executable's `main` hands control to
// `LLVMFuzzerRunDriver` (libFuzzer's documented entry for a program with its own main), which
// parses libFuzzer's usual command line and calls back for each input.

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

public enum FuzzDriver {
    /// The property under test; it traps (`fatalError`) on a violation.
    nonisolated(unsafe) private static var body: ([UInt8]) -> Void = { _ in }

    /// Runs libFuzzer with the process's arguments and `body` as the test of one input; returns
    /// libFuzzer's exit status.
    public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
        Self.body = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
            FuzzDriver.body(bytes)
            return 0
        }
        exit(status)
    }
}
