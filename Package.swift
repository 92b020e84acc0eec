// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Perennial",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "perennial", targets: ["perennial"]),
        .library(name: "PerennialCore", targets: ["PerennialCore"]),
        .library(name: "PerennialIngestion", targets: ["PerennialIngestion"]),
        .library(name: "PerennialStorage", targets: ["PerennialStorage"]),
        .library(name: "PerennialGenerator", targets: ["PerennialGenerator"]),
        .library(name: "PerennialModels", targets: ["PerennialModels"]),
        .library(name: "PerennialReports", targets: ["PerennialReports"]),
        .library(name: "PerennialDashboard", targets: ["PerennialDashboard"]),
        .library(name: "PerennialCampaigns", targets: ["PerennialCampaigns"]),
        .library(name: "PerennialRecommendations", targets: ["PerennialRecommendations"]),
        .library(name: "PerennialServer", targets: ["PerennialServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "PerennialCore"),
        // The record reader's hot loop keeps its buffer state in locals, so it needs no unsafe flags
        // (BENCHMARKS.md has the figure with and without).
        .target(name: "PerennialIngestion", dependencies: ["PerennialCore", "CZlib"]),
        .target(name: "PerennialGenerator", dependencies: ["PerennialCore"]),
        .target(name: "PerennialModels", dependencies: ["PerennialCore"]),
        .target(
            name: "PerennialStorage",
            dependencies: [
                "PerennialCore", "PerennialModels", "PerennialRecommendations",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "PerennialReports", dependencies: ["PerennialCore", "PerennialModels"]),
        .target(name: "PerennialRecommendations"),
        .target(name: "PerennialCampaigns", dependencies: ["PerennialCore", "PerennialModels", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "PerennialDashboard",
            dependencies: ["PerennialCore", "PerennialModels", "PerennialReports"],
            resources: [.embedInCode("Resources/en.json"), .embedInCode("Resources/zh_Hans.json")]
        ),
        .target(
            name: "PerennialServer",
            dependencies: [
                "PerennialCore", "PerennialIngestion", "PerennialStorage", "PerennialModels", "PerennialReports", "PerennialDashboard",
                "PerennialCampaigns", "PerennialRecommendations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.embedInCode("Resources/openapi.json")]
        ),
        .executableTarget(
            name: "perennial",
            dependencies: [
                "PerennialCore", "PerennialIngestion", "PerennialStorage", "PerennialGenerator", "PerennialModels",
                "PerennialReports", "PerennialDashboard", "PerennialCampaigns", "PerennialRecommendations", "PerennialServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PerennialTestSupport",
            dependencies: ["PerennialCore", "PerennialIngestion", "PerennialStorage", "PerennialGenerator"]
        ),
        .testTarget(
            name: "PerennialTests",
            dependencies: ["PerennialCore", "PerennialIngestion", "PerennialStorage", "PerennialGenerator", "PerennialModels",
                           "PerennialReports", "PerennialDashboard", "PerennialCampaigns", "PerennialRecommendations", "PerennialServer",
                           "PerennialTestSupport",
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "HTTPTypes", package: "swift-http-types")],
            resources: [.copy("Fixtures")]
        ),
    ]
)
