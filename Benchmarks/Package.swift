// swift-tools-version:6.1
// Benchmarks live in their own package (as swift-nio's do) so their code never reaches users.
import PackageDescription

let package = Package(
    name: "PerennialBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Perennial", path: "../"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "perennial-bench",
            dependencies: [.product(name: "PerennialModels", package: "Perennial")],
            path: "Sources/perennial-bench"
        ),
        .executableTarget(
            name: "perennial-bench-ingest",
            dependencies: [
                .product(name: "PerennialCore", package: "Perennial"),
                .product(name: "PerennialStorage", package: "Perennial"),
            ],
            path: "Sources/perennial-bench-ingest"
        ),
        .executableTarget(
            name: "perennial-bench-server",
            dependencies: [
                .product(name: "PerennialServer", package: "Perennial"),
                .product(name: "PerennialStorage", package: "Perennial"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/perennial-bench-server"
        ),
    ]
)
