// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Gatehouse", targets: ["Gatehouse"]),
        .library(name: "GatehouseSQL", targets: ["GatehouseSQL"]),
        .library(name: "GatehousePostgres", targets: ["GatehousePostgres"]),
        .library(name: "GatehouseHummingbird", targets: ["GatehouseHummingbird"]),
        .library(name: "GatehouseGateway", targets: ["GatehouseGateway"]),
        // Email delivery over SMTP (SwiftNIO and swift-nio-ssl), kept apart so the domain carries no TLS.
        .library(name: "GatehouseSMTP", targets: ["GatehouseSMTP"]),
        // For users' tests: a clock that moves when told to, and the store conformance suite.
        .library(name: "GatehouseTesting", targets: ["GatehouseTesting"]),
        .library(name: "GatehouseConformance", targets: ["GatehouseConformance"]),
        .executable(name: "gatehouse", targets: ["gatehouse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        // serve's settings from the environment and a YAML file; Hummingbird already depends on it.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.2", traits: ["YAML"]),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Metrics: the libraries emit through swift-metrics only; the binary exports them for Prometheus.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // The system zlib (Debian's zlib1g-dev): Django compresses signed session data with it.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The domain: users, passwords, permissions, sessions. No HTTP, no SQL.
        .target(
            name: "Gatehouse",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            // Django's common-password list, gzip-compressed as Django ships it
            // (scripts/django/gen_common_passwords.py); loaded through Bundle.module.
            resources: [.copy("Resources/common-passwords.txt.gz")],
            swiftSettings: swiftSettings
        ),
        // Stores and migrations on SQLKit; the embedded SQLite default.
        .target(
            name: "GatehouseSQL",
            dependencies: [
                "Gatehouse",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // PostgreSQL through postgres-nio's PostgresClient, kept apart so SQLite-only users do not build it.
        .target(
            name: "GatehousePostgres",
            dependencies: [
                "Gatehouse",
                "GatehouseSQL",
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Middleware, guards, views and templates for Hummingbird 2. Knows the store protocols, not SQL.
        .target(
            name: "GatehouseHummingbird",
            dependencies: [
                "Gatehouse",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBasicAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Gatehouse in front of another application: the policy file, forward auth, the proxy.
        .target(
            name: "GatehouseGateway",
            dependencies: [
                "Gatehouse",
                "GatehouseHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // An SMTP client on SwiftNIO: the EmailSender for production, and --email-url parsing.
        .target(
            name: "GatehouseSMTP",
            dependencies: [
                "Gatehouse",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GatehouseCLI",
            dependencies: [
                "GatehouseGateway",
                "GatehouseSMTP",
                "Gatehouse",
                "GatehouseSQL",
                "GatehousePostgres",
                "GatehouseHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The --tls-cert listener: HTTP/1.1 and HTTP/2 (ALPN) on swift-nio-ssl.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The event loops as Swift concurrency's executor (EventLoopExecutor).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gatehouse",
            dependencies: ["GatehouseCLI"],
            swiftSettings: swiftSettings
        ),
        // Helpers for tests of apps built on Gatehouse (a manual clock).
        .target(
            name: "GatehouseTesting",
            dependencies: ["Gatehouse", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // The conformance suite every store implementation runs, ours and users' own.
        .target(
            name: "GatehouseConformance",
            dependencies: ["Gatehouse", "GatehouseTesting"],
            swiftSettings: swiftSettings
        ),
        // Scratch databases and query counting for the test targets (not a product).
        .target(
            name: "GatehouseTestSupport",
            dependencies: [
                "Gatehouse",
                "GatehouseTesting",
                "GatehouseSQL",
                "GatehousePostgres",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatehouseTests",
            dependencies: ["Gatehouse", "GatehouseConformance", "GatehouseTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatehouseSQLTests",
            dependencies: [
                "Gatehouse", "GatehouseSQL", "GatehousePostgres", "GatehouseConformance", "GatehouseTestSupport", "GatehouseTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatehouseHummingbirdTests",
            dependencies: [
                "Gatehouse",
                "GatehouseHummingbird",
                "GatehouseSQL",
                "GatehousePostgres",
                "GatehouseTestSupport",
                "GatehouseTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBasicAuth", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatehouseGatewayTests",
            dependencies: [
                "Gatehouse", "GatehouseGateway", "GatehouseHummingbird", "GatehouseTestSupport", "GatehouseTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBasicAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatehouseSMTPTests",
            dependencies: [
                "Gatehouse", "GatehouseSMTP", "GatehouseTesting", "GatehouseTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatehouseCLITests",
            dependencies: [
                "GatehouseCLI", "gatehouse", "GatehouseSQL", "GatehousePostgres", "GatehouseTestSupport", "GatehouseTesting", "GatehouseHummingbird",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
