import Foundation
import Testing

/// kubectl's generator commands (`kubectl create namespace|secret|configmap|serviceaccount|deployment`),
/// which send protobuf bodies through client-go's typed clients, against
/// LocalCluster or the cluster named by `HMCO_TEST_KUBECONFIG`.
@Suite("kubectl create generators", .enabled(if: Kubectl.isAvailable, "needs kubectl"))
struct KubectlCreateTests {
    /// `kubectl get -o json` parsed.
    func object(_ k: Kubectl, _ args: [String], namespaced: Bool = true) async throws -> [String: Any] {
        let json = try await k.succeed(["get"] + args + ["-o", "json"], namespaced: namespaced)
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
    }

    @Test("create namespace makes an Active namespace that can hold objects")
    func createNamespace() async throws {
        try await withKubectl { k in
            let name = "\(k.namespace)-made"
            do {
                try await checkCreateNamespace(k, name)
            } catch {
                _ = try? await k.run(["delete", "namespace", name, "--wait=false"], namespaced: false)
                throw error
            }
            _ = try? await k.run(["delete", "namespace", name, "--wait=false"], namespaced: false)
        }
    }

    func checkCreateNamespace(_ k: Kubectl, _ name: String) async throws {
        let created = try await k.run(["create", "namespace", name], namespaced: false)
        #expect(created.exitCode == 0, "\(created.stderr)")
        #expect(created.stdout == "namespace/\(name) created\n")
        let namespace = try await object(k, ["namespace", name], namespaced: false)
        #expect(namespace["kind"] as? String == "Namespace")
        #expect((namespace["metadata"] as? [String: Any])?["name"] as? String == name)
        #expect((namespace["status"] as? [String: Any])?["phase"] as? String == "Active")
        #expect((namespace["spec"] as? [String: Any])?["finalizers"] as? [String] == ["kubernetes"])
        let inside = try await k.run(
            ["create", "configmap", "inside", "--from-literal=a=b", "-n", name], namespaced: false)
        #expect(inside.stdout == "configmap/inside created\n", "\(inside.stderr)")
        let again = try await k.run(["create", "namespace", name], namespaced: false)
        #expect(again.exitCode == 1)
        #expect(again.stderr.contains("Error from server (AlreadyExists): namespaces \"\(name)\" already exists"))
    }

    @Test("create secret generic --from-literal stores base64 data of type Opaque")
    func createSecret() async throws {
        try await withKubectl { k in
            let created = try await k.succeed([
                "create", "secret", "generic", "creds", "--from-literal=user=admin", "--from-literal=password=s3cr=t",
            ])
            #expect(created == "secret/creds created\n")
            let secret = try await object(k, ["secret", "creds"])
            #expect(secret["type"] as? String == "Opaque")
            #expect(
                secret["data"] as? [String: String] == [
                    "user": Data("admin".utf8).base64EncodedString(),
                    "password": Data("s3cr=t".utf8).base64EncodedString(),
                ])
            #expect((secret["metadata"] as? [String: Any])?["namespace"] as? String == k.namespace)
            let typed = try await k.succeed([
                "create", "secret", "generic", "typed", "--type=example.com/token", "--from-literal=token=abc",
            ])
            #expect(typed == "secret/typed created\n")
            #expect(try await k.succeed(["get", "secret", "typed", "-o", "jsonpath={.type}"]) == "example.com/token")
        }
    }

    @Test("create configmap keeps text in data and non-UTF-8 files in binaryData")
    func createConfigMap() async throws {
        try await withKubectl { k in
            let created = try await k.succeed([
                "create", "configmap", "settings", "--from-literal=mode=fast", "--from-literal=empty=",
            ])
            #expect(created == "configmap/settings created\n")
            let configMap = try await object(k, ["configmap", "settings"])
            #expect(configMap["data"] as? [String: String] == ["mode": "fast", "empty": ""])

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("blob-\(UUID().uuidString).bin")
            try Data([0xff, 0xfe, 0x00, 0x01]).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            try await k.succeed(["create", "configmap", "binary", "--from-file=blob=\(file.path)"])
            let binary = try await object(k, ["configmap", "binary"])
            #expect(
                binary["binaryData"] as? [String: String] == [
                    "blob": Data([0xff, 0xfe, 0x00, 0x01]).base64EncodedString()
                ])

            let again = try await k.run(["create", "configmap", "settings", "--from-literal=mode=slow"])
            #expect(again.exitCode == 1)
            #expect(again.stderr.contains("configmaps \"settings\" already exists"))
        }
    }

    @Test("create serviceaccount, and -o json prints the created object")
    func createServiceAccount() async throws {
        try await withKubectl { k in
            let printed = try await k.succeed(["create", "serviceaccount", "robot", "-o", "json"])
            let created = try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any] ?? [:]
            #expect(created["kind"] as? String == "ServiceAccount")
            let uid = (created["metadata"] as? [String: Any])?["uid"] as? String
            #expect(uid?.isEmpty == false)
            let stored = try await object(k, ["serviceaccount", "robot"])
            #expect((stored["metadata"] as? [String: Any])?["uid"] as? String == uid)
            #expect((stored["metadata"] as? [String: Any])?["name"] as? String == "robot")
        }
    }

    @Test("create … --dry-run=server validates and stores nothing")
    func createDryRun() async throws {
        try await withKubectl { k in
            let preview = try await k.succeed([
                "create", "secret", "generic", "preview", "--from-literal=a=b", "--dry-run=server", "-o",
                "jsonpath={.data.a}",
            ])
            #expect(preview == Data("b".utf8).base64EncodedString())
            #expect(try await k.run(["get", "secret", "preview"]).exitCode == 1)
            let invalid = try await k.run([
                "create", "configmap", "Not_Valid", "--from-literal=a=b", "--dry-run=server",
            ])
            #expect(invalid.exitCode == 1)
            #expect(invalid.stderr.contains("metadata.name: Invalid value: \"Not_Valid\""))
        }
    }

    @Test("create deployment writes the pod template kubectl generates")
    func createDeployment() async throws {
        try await withKubectl { k in
            let created = try await k.succeed([
                "create", "deployment", "web", "--image=nginx:1.27", "--port=8080", "--replicas=2",
            ])
            #expect(created == "deployment.apps/web created\n")
            let deployment = try await object(k, ["deployment", "web"])
            let spec = deployment["spec"] as? [String: Any]
            #expect(spec?["replicas"] as? Int == 2)
            #expect((spec?["selector"] as? [String: Any])?["matchLabels"] as? [String: String] == ["app": "web"])
            let pod = (spec?["template"] as? [String: Any])?["spec"] as? [String: Any]
            let container = (pod?["containers"] as? [[String: Any]])?.first
            #expect(container?["name"] as? String == "nginx")
            #expect(container?["image"] as? String == "nginx:1.27")
            #expect((container?["ports"] as? [[String: Any]])?.first?["containerPort"] as? Int == 8080)
        }
    }
}
