// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "hmco-operator",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hmco-operator", targets: ["hmco-operator"]),
        .executable(name: "hmco-dev", targets: ["hmco-dev"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Kubernetes object model, selectors, patches, schema validation. Pure; Foundation only.
        .target(name: "KubeAPI", swiftSettings: strict),
        // kubeconfig, HTTPS transport, REST verbs, watch streams, typed errors.
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Informers, work queue, controllers, helpers, leader election, metrics and health.
        .target(
            name: "ControllerRuntime",
            dependencies: [
                "KubeAPI", "KubeClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        // The seven kinds of data.hmco.io/v1alpha1 and CRD generation.
        .target(name: "PlatformAPI", dependencies: ["KubeAPI"], swiftSettings: strict),
        // The embedded Kubernetes API server used by hmco-dev and the tests.
        .target(
            name: "LocalCluster",
            dependencies: [
                "KubeAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // HTTP transport shared by the backend clients.
        .target(
            name: "IntegrationSupport",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Integrations/Support",
            swiftSettings: strict
        ),
        // lakeFS REST API v1 client.
        .target(
            name: "LakeFS",
            dependencies: ["IntegrationSupport"],
            path: "Sources/Integrations/LakeFS",
            swiftSettings: strict
        ),
        // Kafka Connect REST API client (Debezium sources, Iceberg and ClickHouse sinks).
        .target(
            name: "KafkaConnect",
            dependencies: ["IntegrationSupport"],
            path: "Sources/Integrations/KafkaConnect",
            swiftSettings: strict
        ),
        // OpenLineage events sent to a lineage backend (Marquez or any OpenLineage HTTP consumer).
        .target(
            name: "OpenLineage",
            dependencies: ["IntegrationSupport"],
            path: "Sources/Integrations/OpenLineage",
            swiftSettings: strict
        ),
        // Debezium signals written into source databases (PostgreSQL signaling tables).
        .target(
            name: "DebeziumSignals",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Integrations/DebeziumSignals",
            swiftSettings: strict
        ),
        // Schema compatibility rules (Avro, JSON Schema, Protobuf) for the CI checker, the reconciler and the simulator. Pure.
        .target(name: "SchemaCompatibility", swiftSettings: strict),
        // Confluent-compatible schema registry REST client (Confluent, Karapace, Redpanda).
        .target(
            name: "SchemaRegistry",
            dependencies: ["IntegrationSupport"],
            path: "Sources/Integrations/SchemaRegistry",
            swiftSettings: strict
        ),
        // Stand-ins for the backends, written from their API specs; never share the clients' wire types.
        .target(
            name: "Simulators",
            dependencies: [
                "SchemaCompatibility",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The reconcilers, one folder per kind.
        .target(
            name: "Controllers",
            dependencies: [
                "KubeAPI", "KubeClient", "ControllerRuntime", "PlatformAPI", "LakeFS", "IntegrationSupport", "SchemaRegistry", "SchemaCompatibility",
                "KafkaConnect", "OpenLineage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Configuration and wiring of the operator.
        .target(
            name: "OperatorApp",
            dependencies: [
                "KubeAPI", "KubeClient", "ControllerRuntime", "PlatformAPI", "Controllers", "LakeFS", "IntegrationSupport",
                "SchemaCompatibility", "SchemaRegistry", "KafkaConnect", "DebeziumSignals", "OpenLineage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "hmco-operator",
            dependencies: [
                "OperatorApp", "PlatformAPI", "ControllerRuntime", "KubeClient", "SchemaCompatibility",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "hmco-dev",
            dependencies: [
                "OperatorApp", "LocalCluster", "KubeAPI", "KubeClient", "ControllerRuntime", "Simulators", "PlatformAPI",
                "Controllers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Shared by the test targets: a cluster per test (embedded, or real via HMCO_TEST_KUBECONFIG), polling waits.
        .target(name: "TestSupport", dependencies: ["LocalCluster", "KubeClient", "KubeAPI"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "OperatorAppTests",
            dependencies: ["OperatorApp", "SchemaCompatibility", "KubeAPI", "Simulators", "Controllers", "OpenLineage", "ControllerRuntime"],
            swiftSettings: strict),
        .testTarget(name: "SchemaCompatibilityTests", dependencies: ["SchemaCompatibility"], swiftSettings: strict),
        .testTarget(
            name: "SchemaRegistryTests",
            dependencies: ["SchemaRegistry", "IntegrationSupport", "Simulators", "SchemaCompatibility"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KafkaConnectTests", dependencies: ["KafkaConnect", "IntegrationSupport", "Simulators", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "OpenLineageTests", dependencies: ["OpenLineage", "IntegrationSupport", "Simulators", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "DebeziumSignalsTests",
            dependencies: [
                "DebeziumSignals", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(name: "LakeFSTests", dependencies: ["LakeFS", "IntegrationSupport", "Simulators"], swiftSettings: strict),
        .testTarget(
            name: "SimulatorsTests",
            dependencies: [
                "Simulators",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks behind hack/bench (results in docs/benchmarks.md).
        .executableTarget(
            name: "hmco-bench",
            dependencies: [
                "LocalCluster", "KubeAPI", "KubeClient", "ControllerRuntime", "Controllers", "PlatformAPI", "Simulators",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], swiftSettings: strict),
        .testTarget(
            name: "PlatformAPITests",
            dependencies: ["PlatformAPI", "KubeAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeAPI"], swiftSettings: strict),
        .testTarget(
            name: "ControllerRuntimeTests",
            dependencies: ["ControllerRuntime", "KubeClient", "KubeAPI", "LocalCluster", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "LocalClusterTests", dependencies: ["LocalCluster", "KubeClient", "KubeAPI"], swiftSettings: strict),
        .testTarget(
            name: "ControllersTests",
            dependencies: [
                "Controllers", "ControllerRuntime", "PlatformAPI", "KubeAPI", "KubeClient", "LakeFS", "Simulators", "TestSupport",
                "LocalCluster", "KafkaConnect", "SchemaRegistry", "OpenLineage", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["LocalCluster", "KubeClient", "KubeAPI", "PlatformAPI", "TestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
