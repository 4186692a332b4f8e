// swift-tools-version: 6.1
import Foundation
import PackageDescription

let package = Package(
    name: "daneprobe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "daneprobe", targets: ["daneprobe"]),
        .library(name: "DNSCore", targets: ["DNSCore"]),
        .library(name: "DNSZoneFile", targets: ["DNSZoneFile"]),
        .library(name: "DNSSEC", targets: ["DNSSEC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // ScanStore's SQLite: bundles its own SQLite amalgamation, so no system library to install.
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        // The scan database shared by many workers (issue 9).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(name: "DNSCore"),
        .target(name: "DNSZoneFile", dependencies: ["DNSCore"]),
        .target(name: "SMTPCore"),
        .target(
            name: "DANE",
            dependencies: [
                "DNSCore", "DNSSEC",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .target(
            name: "SMTPTransport",
            dependencies: [
                "SMTPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DNSSEC",
            dependencies: [
                "DNSCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "DNSTransport",
            dependencies: [
                "DNSCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "DNSServer",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DNSSEC", "DNSTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DNSResolver",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DNSSEC", "DNSTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A recursive DNS endpoint over `Resolver`: answers with AD / SERVFAIL from validation
        // (or permissively), records from an iterative fetch. Served by DNSServerService.
        .target(
            name: "DNSRecursiveServer",
            dependencies: [
                "DNSCore", "DNSSEC", "DNSTransport", "DNSResolver",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "MailProbe",
            dependencies: [
                "DNSCore", "DNSSEC", "DNSTransport", "DNSResolver", "DANE", "SMTPCore", "SMTPTransport",
                .target(name: "CAuxiliaryVector", condition: .when(platforms: [.linux])),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "DANELab",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DNSSEC", "DNSTransport", "DNSServer", "DNSResolver", "DNSRecursiveServer", "DANE", "SMTPTransport",
                "MailProbe",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Aggregation of many `DomainReport`s and its renderings (text, JSON, HTML with inline SVG):
        // pure, the batch layer's reporting half.
        .target(name: "Reports", dependencies: ["MailProbe", "DANE", "DNSSEC", "DNSCore"]),
        .systemLibrary(name: "CAuxiliaryVector"),
        // The batch layer: the results database of `daneprobe scan`.
        .target(
            name: "ScanStore",
            dependencies: [
                "DANE", "DNSSEC", "MailProbe",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The batch layer: the scan database shared by many workers, on PostgreSQL.
        .target(
            name: "ScanStorePostgres",
            dependencies: [
                "ScanStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The batch layer: many domains through one shared resolver, bounded, rate-limited, polite.
        .target(
            name: "Scanner",
            dependencies: [
                "DNSCore", "DNSSEC", "DNSResolver", "DANE", "MailProbe", "ScanStore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "daneprobe",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DNSSEC", "DNSServer", "DNSResolver", "DANE", "MailProbe", "DANELab", "Reports", "Scanner", "ScanStore", "ScanStorePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "dnssec-verify-bench",
            dependencies: ["DNSCore", "DNSSEC", .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/DNSSECVerifyBench"
        ),
        // Test-only helpers shared by the test targets: external tools, NSD and Unbound on
        // loopback, loopback sockets, the ldns signer.
        .target(name: "PeerTestSupport", dependencies: ["DNSCore", "DANE", "DNSTransport"], path: "Tests/PeerTestSupport"),
        .testTarget(name: "DNSCoreTests", dependencies: ["DNSCore"], resources: [.copy("Vectors")]),
        .testTarget(name: "DNSZoneFileTests", dependencies: ["DNSCore", "DNSZoneFile"], resources: [.copy("Vectors")]),
        .testTarget(name: "DNSSECTests", dependencies: ["DNSCore", "DNSZoneFile", "DNSSEC"], resources: [.copy("Vectors")]),
        .testTarget(
            name: "DNSServerTests",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DNSSEC", "DNSTransport", "DNSServer", "PeerTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            exclude: ["Vectors"]
        ),
        .testTarget(name: "SMTPCoreTests", dependencies: ["SMTPCore", "DNSCore"]),
        .testTarget(
            name: "DANETests",
            dependencies: [
                "DNSCore", "DNSSEC", "DANE",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "SMTPTransportTests",
            dependencies: [
                "SMTPCore", "SMTPTransport", "PeerTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "DNSResolverTests",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DNSSEC", "DNSTransport", "DNSServer", "DNSResolver", "PeerTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DANELabTests",
            dependencies: [
                "DANELab", "DANE", "MailProbe", "DNSCore", "DNSSEC", "DNSResolver", "DNSTransport", "PeerTestSupport",
                "SMTPCore", "SMTPTransport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "MailProbe", "DANE", "DANELab", "PeerTestSupport"]),
        .testTarget(
            name: "DaneprobeCLITests",
            dependencies: ["daneprobe", "PeerTestSupport", "SMTPTransport", "SMTPCore", "ScanStore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "ScannerTests",
            dependencies: ["Scanner", "ScanStore", "ScanStorePostgres", "DANELab", "MailProbe", "DANE", "DNSCore", "DNSResolver", "DNSTransport", "PeerTestSupport"]
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DANE", "PeerTestSupport", "SMTPCore", "SMTPTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            exclude: ["Vectors"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Release builds of our modules with cross-module optimisation: a module's generic code is
// specialised and inlined where another module calls it (the resolver's, the probe's and
// the scanner's hot paths cross six modules).
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
}

// libFuzzer drivers for code that needs package dependencies (swift-certificates, swift-crypto,
// sqlite-nio), which Fuzz/run.sh cannot compile with swiftc from module sources: declared only
// when DANEPROBE_FUZZ is set, so ordinary builds never see them. Fuzz/run.sh builds them in
// release with coverage and address-sanitizer flags and libFuzzer's no-main runtime.
if ProcessInfo.processInfo.environment["DANEPROBE_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/driver"),
        .executableTarget(
            name: "fuzz-dane",
            dependencies: ["FuzzDriver", "DANE", "DNSCore", .product(name: "X509", package: "swift-certificates")],
            path: "Fuzz/dane"
        ),
        .executableTarget(name: "fuzz-store", dependencies: ["FuzzDriver", "MailProbe", "ScanStore"], path: "Fuzz/store",
                          exclude: ["store.dict", "lsan.supp"]),
    ]
}
