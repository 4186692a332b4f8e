// swift-tools-version: 6.1
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
    ],
    targets: [
        .target(name: "DNSCore"),
        .target(name: "DNSZoneFile", dependencies: ["DNSCore"]),
        .target(
            name: "DNSSEC",
            dependencies: [
                "DNSCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "daneprobe",
            dependencies: [
                "DNSCore", "DNSZoneFile", "DNSSEC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DNSCoreTests", dependencies: ["DNSCore"], resources: [.copy("Vectors")]),
        .testTarget(name: "DNSZoneFileTests", dependencies: ["DNSCore", "DNSZoneFile"], resources: [.copy("Vectors")]),
        .testTarget(name: "DNSSECTests", dependencies: ["DNSCore", "DNSZoneFile", "DNSSEC"], resources: [.copy("Vectors")]),
        .testTarget(name: "DaneprobeCLITests", dependencies: ["daneprobe"]),
        .testTarget(name: "InteropTests", dependencies: ["DNSCore", "DNSZoneFile"]),
    ],
    swiftLanguageModes: [.v6]
)
