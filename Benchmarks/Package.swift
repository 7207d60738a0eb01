// swift-tools-version:6.2
// Benchmarks live in their own package so the main build never compiles them.
import PackageDescription

let package = Package(
    name: "GatehouseBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Gatehouse", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PasswordHashingBenchmark",
            dependencies: [.product(name: "Gatehouse", package: "Gatehouse")]
        ),
        // The server the HTTP benchmark (scripts/bench/http.sh) drives with wrk.
        .executableTarget(
            name: "GatehouseBenchServer",
            dependencies: [
                .product(name: "Gatehouse", package: "Gatehouse"),
                .product(name: "GatehouseSQL", package: "Gatehouse"),
                .product(name: "GatehousePostgres", package: "Gatehouse"),
                .product(name: "GatehouseHummingbird", package: "Gatehouse"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Micro benchmarks: cd Benchmarks && swift package benchmark --target GatehouseMicro
        .executableTarget(
            name: "GatehouseMicro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Gatehouse", package: "Gatehouse"),
            ],
            path: "Benchmarks/GatehouseMicro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
