// swift-tools-version:6.2
// A small blog on Gatehouse: its own pages and API, Gatehouse's login pages, permission-guarded
// editing and "authors edit their own posts" as an object permission. Copy it to start an app.
import PackageDescription

let package = Package(
    name: "blog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "blog", targets: ["BlogServer"])
    ],
    dependencies: [
        // In your own app: .package(path: "../gatehouse") to your clone (no release is published yet).
        // and `package: "gatehouse"` below. Here the checkout this example lives in:
        .package(name: "Gatehouse", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    ],
    targets: [
        // The application: routes, pages, posts. A library so that the tests can build it.
        .target(
            name: "Blog",
            dependencies: [
                .product(name: "Gatehouse", package: "Gatehouse"),
                .product(name: "GatehouseSQL", package: "Gatehouse"),
                .product(name: "GatehouseHummingbird", package: "Gatehouse"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            resources: [.copy("Templates")]
        ),
        // `swift run`: opens ./blog.sqlite3, migrates it and serves http://127.0.0.1:8080.
        .executableTarget(name: "BlogServer", dependencies: ["Blog"]),
        .testTarget(
            name: "BlogTests",
            dependencies: [
                "Blog",
                .product(name: "Gatehouse", package: "Gatehouse"),
                .product(name: "GatehouseSQL", package: "Gatehouse"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
