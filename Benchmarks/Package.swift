// swift-tools-version:6.2
// Benchmarks live in their own package so the main build never compiles them.
import PackageDescription

let package = Package(
    name: "GatehouseBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Gatehouse", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "PasswordHashingBenchmark",
            dependencies: [.product(name: "Gatehouse", package: "Gatehouse")]
        )
    ]
)
