import Foundation
import LocalCluster
import TestSupport
import Testing

/// Runs the real `kubectl` against a cluster: a fresh ``LocalCluster`` per
/// test, or the cluster of the kubeconfig in `HMCO_TEST_KUBECONFIG`, so the
/// same suite checks LocalCluster against kube-apiserver. Nothing here reads
/// LocalCluster internals.
struct Kubectl {
    typealias Result = KubectlResult

    static var binary: String { KubectlProcess.binary }
    static var isAvailable: Bool { KubectlProcess.isAvailable }

    let kubeconfig: String
    /// A namespace of this test's own.
    let namespace: String
    /// A CRD group of this test's own, so tests never share cluster-scoped objects.
    let group: String
    private let cluster: LocalCluster?
    private let directory: URL

    /// Starts a cluster (unless `HMCO_TEST_KUBECONFIG` names one) and creates the test's namespace.
    static func start() async throws -> Kubectl {
        let id = UUID().uuidString.lowercased().prefix(8)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(id)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubectl: Kubectl
        if let external = ProcessInfo.processInfo.environment["HMCO_TEST_KUBECONFIG"], !external.isEmpty {
            kubectl = Kubectl(kubeconfig: external, namespace: "conformance-\(id)", group: "c\(id).conformance.hmco.io", cluster: nil, directory: directory)
        } else {
            let cluster = try LocalCluster()
            try await cluster.start()
            let path = directory.appendingPathComponent("kubeconfig").path
            try cluster.writeKubeconfig(to: path)
            kubectl = Kubectl(kubeconfig: path, namespace: "conformance-\(id)", group: "c\(id).conformance.hmco.io", cluster: cluster, directory: directory)
        }
        try await kubectl.succeed(["apply", "-f", "-"], input: """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: \(kubectl.namespace)
            """)
        return kubectl
    }

    /// Deletes what the test made and stops the local cluster.
    func stop() async {
        if let cluster {
            await cluster.stop()
        } else {
            _ = try? await run(["delete", "namespace", namespace, "--wait=false"])
            _ = try? await run(["delete", "crd", "widgets.\(group)", "--wait=false"])
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs kubectl with `args` (and `-n <namespace>` unless `namespaced` is false).
    func run(_ args: [String], input: String? = nil, namespaced: Bool = true, timeout: Duration = .seconds(60)) async throws -> Result {
        try await KubectlProcess.run(
            args + (namespaced ? ["-n", namespace] : []), kubeconfig: kubeconfig, input: input, timeout: timeout)
    }

    /// Runs kubectl and records an issue unless it exits 0.
    @discardableResult
    func succeed(_ args: [String], input: String? = nil, namespaced: Bool = true) async throws -> String {
        let result = try await run(args, input: input, namespaced: namespaced)
        if result.exitCode != 0 {
            Issue.record("kubectl \(args.joined(separator: " ")) exited \(result.exitCode): \(result.stderr)")
        }
        return result.stdout
    }

    /// Starts kubectl in the background (for `get -w`); returns the process and its output file.
    func background(_ args: [String]) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = args + ["-n", namespace]
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        environment["HOME"] = directory.path
        process.environment = environment
        let out = directory.appendingPathComponent("\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    /// Polls until `condition` holds or the deadline passes.
    func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what)")
    }

    // MARK: Fixtures

    var crdYAML: String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.\(group)
        spec:
          group: \(group)
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd\(group.prefix(9).dropFirst())], categories: [hmco]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            - {name: Mode, type: string, jsonPath: .spec.mode}
            - {name: Size, type: integer, jsonPath: .spec.size, priority: 1}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                description: A widget for conformance tests.
                properties:
                  spec:
                    type: object
                    description: The desired widget.
                    required: [mode]
                    properties:
                      mode: {type: string, enum: [Apply, Plan], description: Apply changes or only plan them.}
                      size: {type: integer, minimum: 1, maximum: 10, default: 3}
                      nested:
                        type: object
                        description: Nested settings.
                        properties:
                          depth: {type: integer, description: How deep the nesting goes.}
                  status:
                    type: object
                    properties:
                      conditions:
                        type: array
                        items:
                          type: object
                          properties:
                            type: {type: string}
                            status: {type: string}
                            reason: {type: string}
        """
    }

    func widgetYAML(_ name: String, mode: String = "Apply", size: Int? = nil, labels: [String: String] = [:]) -> String {
        let labelText = labels.isEmpty ? "" : "\n  labels: {\(labels.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}"
        return """
            apiVersion: \(group)/v1
            kind: Widget
            metadata:
              name: \(name)\(labelText)
            spec:
              mode: \(mode)\(size.map { "\n  size: \($0)" } ?? "")
            """
    }

    /// Applies the CRD and waits until it is Established.
    func installCRD() async throws {
        try await succeed(["apply", "-f", "-"], input: crdYAML, namespaced: false)
        try await succeed(["wait", "--for=condition=Established", "crd/widgets.\(group)", "--timeout=30s"], namespaced: false)
    }

    var widgets: String { "widgets.\(group)" }
}

/// Runs `body` with a fresh kubectl environment and always cleans up.
func withKubectl(_ body: (Kubectl) async throws -> Void) async throws {
    let kubectl = try await Kubectl.start()
    do {
        try await body(kubectl)
    } catch {
        await kubectl.stop()
        throw error
    }
    await kubectl.stop()
}
