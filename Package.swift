// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "placement-market",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PlacementEngine", targets: ["PlacementEngine"]),
        .library(name: "PlacementGenerator", targets: ["PlacementGenerator"]),
        .library(name: "PlacementWhatIf", targets: ["PlacementWhatIf"]),
        .library(name: "PlacementReport", targets: ["PlacementReport"]),
        .library(name: "PlacementHistory", targets: ["PlacementHistory"]),
        .library(name: "PlacementSimulation", targets: ["PlacementSimulation"]),
        .executable(name: "placement", targets: ["placement"]),
        .executable(name: "placement-bench", targets: ["PlacementBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // GLPK, the C library, through the system's libglpk-dev (no pkg-config file on Debian).
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // A few lines of C that keep setjmp/longjmp inside C frames (Swift cannot call setjmp).
        .target(name: "GLPKShim", dependencies: ["CGLPK"], path: "Sources/GLPKShim",
                linkerSettings: [.linkedLibrary("glpk")]),
        // Linux's renameat2 (not in Swift's Glibc module): outputs swapped in with no moment
        // without an output folder (Outputs/AtomicOutput.swift).
        .target(name: "FileSystemShim", path: "Sources/FileSystemShim"),
        // The engine core, the nightly batch's pipeline: market -> eligibility -> arcs -> model ->
        // solve -> plan -> outputs. GLPK and the C shims are internal imports: no client sees them.
        .target(
            name: "PlacementEngine",
            dependencies: ["CGLPK", "GLPKShim", "FileSystemShim", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Sources/PlacementEngine"
        ),
        // Markets drawn from England's public data, and the stress markets (`placement generate`).
        .target(name: "PlacementGenerator", dependencies: ["PlacementEngine"], path: "Sources/PlacementGenerator"),
        // Capacity scenarios solved against the baseline (`placement whatif`); new homes are placed
        // with the generator's geography.
        .target(name: "PlacementWhatIf", dependencies: ["PlacementEngine", "PlacementGenerator"], path: "Sources/PlacementWhatIf"),
        // A year of nights (`placement simulate`): a seeded stream of referrals, placements that end,
        // providers' declines, children who wait; the baseline against capacity scenarios from a given
        // night, over several seeds at once.
        .target(name: "PlacementSimulation", dependencies: ["PlacementEngine", "PlacementGenerator", "PlacementWhatIf"],
                path: "Sources/PlacementSimulation"),
        // report.html, the commissioner's page (map, charts, reasons in words) for a night or a what-if,
        // laid out with Plot.
        .target(name: "PlacementReport", dependencies: ["PlacementEngine", "PlacementWhatIf", "PlacementSimulation", .product(name: "Plot", package: "Plot")],
                path: "Sources/PlacementReport"),
        // The run history (`--db FILE`): nights, proposals, decisions in SQLite (GRDB), read back as
        // the next night's history (declines, outstanding proposals, nights waited).
        .target(name: "PlacementHistory", dependencies: ["PlacementEngine", .product(name: "GRDB", package: "GRDB.swift")],
                path: "Sources/PlacementHistory"),
        .executableTarget(
            name: "placement",
            dependencies: [
                "PlacementEngine", "PlacementGenerator", "PlacementWhatIf", "PlacementReport", "PlacementHistory",
                "PlacementSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/placement"
        ),
        .executableTarget(
            name: "PlacementBench",
            dependencies: [
                "PlacementEngine", "PlacementGenerator", "PlacementWhatIf", "PlacementSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "benchmarks/PlacementBench"
        ),
        .testTarget(
            name: "PlacementEngineTests",
            dependencies: ["PlacementEngine", "PlacementGenerator", "PlacementWhatIf", "PlacementReport",
                           .product(name: "Logging", package: "swift-log")],
            path: "Tests/PlacementEngineTests"
        ),
        .testTarget(
            name: "PlacementCLITests",
            dependencies: ["PlacementEngine", "PlacementHistory", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/PlacementCLITests"
        ),
        .testTarget(
            name: "PlacementSimulationTests",
            dependencies: ["PlacementSimulation", "PlacementEngine", "PlacementGenerator", "PlacementWhatIf", "PlacementReport"],
            path: "Tests/PlacementSimulationTests"
        ),
        .testTarget(
            name: "PlacementHistoryTests",
            dependencies: ["PlacementHistory", "PlacementEngine", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/PlacementHistoryTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
