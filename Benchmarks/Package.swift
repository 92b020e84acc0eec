// swift-tools-version:6.1
// Benchmarks live in their own package (as swift-nio's do) so their code never reaches users.
import PackageDescription

let package = Package(
    name: "PerennialBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Perennial", path: "../")],
    targets: [
        .executableTarget(
            name: "perennial-bench",
            dependencies: [.product(name: "PerennialModels", package: "Perennial")],
            path: "Sources/perennial-bench"
        ),
    ]
)
