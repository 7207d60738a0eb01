// swift-tools-version:6.2
// libFuzzer targets, in their own package so the main build and `swift test` never compile them.
// Build and run through scripts/fuzz.sh (docs/security.md, "Fuzzing"): the executable only links
// with `-sanitize=fuzzer`, which provides `main`.
import PackageDescription

let package = Package(
    name: "GatehouseFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Gatehouse", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // One executable, one file per target; GATEHOUSE_FUZZ_TARGET picks the target.
        .executableTarget(
            name: "GatehouseFuzz",
            dependencies: [
                .product(name: "Gatehouse", package: "Gatehouse"),
                .product(name: "GatehouseHummingbird", package: "Gatehouse"),
                .product(name: "GatehouseGateway", package: "Gatehouse"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ]
)
