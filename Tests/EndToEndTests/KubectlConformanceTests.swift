import Foundation
import Testing

/// The real kubectl against LocalCluster, or against the cluster named by
/// `HMCO_TEST_KUBECONFIG`: what a user types, and what they see.
@Suite("kubectl conformance", .enabled(if: Kubectl.isAvailable, "needs kubectl"))
struct KubectlConformanceTests {
    @Test("apply creates, then updates, a CRD and a custom resource")
    func applyCreateThenUpdate() async throws {
        try await withKubectl { k in
            let created = try await k.run(["apply", "-f", "-"], input: k.crdYAML, namespaced: false)
            #expect(created.stdout.contains("customresourcedefinition.apiextensions.k8s.io/widgets.\(k.group) created"))
            try await k.succeed(["wait", "--for=condition=Established", "crd/\(k.widgets)", "--timeout=30s"], namespaced: false)
            let crdAgain = try await k.run(["apply", "-f", "-"], input: k.crdYAML.replacingOccurrences(of: "A widget for conformance tests.", with: "A widget."), namespaced: false)
            #expect(crdAgain.stdout.contains("widgets.\(k.group) configured"))

            let widget = try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1"))
            #expect(widget.contains("widget.\(k.group)/w1 created"))
            let updated = try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1", mode: "Plan"))
            #expect(updated.contains("widget.\(k.group)/w1 configured"))
            let unchanged = try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1", mode: "Plan"))
            #expect(unchanged.contains("widget.\(k.group)/w1 unchanged"))
            let fields = try await k.succeed(["get", k.widgets, "w1", "-o", "jsonpath={.spec.mode} {.spec.size} {.metadata.generation}"])
            #expect(fields == "Plan 3 2")
        }
    }

    @Test("get prints JSON, YAML and the wide table")
    func getOutputs() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1", size: 4))
            let json = try await k.succeed(["get", k.widgets, "w1", "-o", "json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(object?["kind"] as? String == "Widget")
            #expect((object?["spec"] as? [String: Any])?["size"] as? Int == 4)
            let yaml = try await k.succeed(["get", k.widgets, "w1", "-o", "yaml"])
            #expect(yaml.contains("kind: Widget"))
            #expect(yaml.contains("  mode: Apply"))
            let wide = try await k.succeed(["get", k.widgets, "-o", "wide"])
            let header = wide.split(separator: "\n").first.map(String.init) ?? ""
            #expect(header.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "READY", "MODE", "SIZE", "AGE"])
        }
    }

    @Test("get shows the printer columns, and the Ready column follows status")
    func printerColumns() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1"))
            try await k.succeed([
                "patch", k.widgets, "w1", "--subresource=status", "--type=merge",
                "-p", #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Done"}]}}"#,
            ])
            let table = try await k.succeed(["get", k.widgets])
            let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "READY", "MODE", "AGE"])
            #expect(Array(lines.dropFirst().first?.prefix(3) ?? []) == ["w1", "True", "Apply"])
        }
    }

    @Test("describe shows the object's spec")
    func describe() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1", labels: ["tier": "db"]))
            let text = try await k.succeed(["describe", k.widgets, "w1"])
            #expect(text.contains("Name:         w1"))
            #expect(text.contains("Labels:       tier=db"))
            #expect(text.contains("Mode:  Apply"))
        }
    }

    @Test("explain documents a nested field from the CRD schema")
    func explain() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            let text = try await k.succeed(["explain", "\(k.widgets).spec.nested"], namespaced: false)
            #expect(text.contains("Nested settings."))
            #expect(text.contains("depth\t<integer>"))
            #expect(text.contains("How deep the nesting goes."))
        }
    }

    @Test("label selectors choose what get lists")
    func labelSelectors() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("db", labels: ["tier": "db"]))
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("web", labels: ["tier": "web"]))
            #expect(try await k.succeed(["get", k.widgets, "-l", "tier=db", "-o", "name"]) == "widget.\(k.group)/db\n")
            #expect(try await k.succeed(["get", k.widgets, "-l", "tier in (db,web)", "-o", "name"]).split(separator: "\n").count == 2)
            let none = try await k.run(["get", k.widgets, "-l", "tier=cache"])
            #expect(none.exitCode == 0)
            #expect(none.stderr.contains("No resources found in \(k.namespace) namespace."))
        }
    }

    @Test("patch --type merge and --type json change the object")
    func patches() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1"))
            let merged = try await k.succeed(["patch", k.widgets, "w1", "--type", "merge", "-p", #"{"spec":{"size":5}}"#])
            #expect(merged.contains("widget.\(k.group)/w1 patched"))
            try await k.succeed(["patch", k.widgets, "w1", "--type", "json", "-p", #"[{"op":"replace","path":"/spec/mode","value":"Plan"}]"#])
            #expect(try await k.succeed(["get", k.widgets, "w1", "-o", "jsonpath={.spec.mode}/{.spec.size}"]) == "Plan/5")
        }
    }

    @Test("patch --subresource=status lets wait --for=condition=Ready return")
    func waitForReady() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1"))
            async let waited = k.run(["wait", "--for=condition=Ready", "\(k.widgets)/w1", "--timeout=30s"])
            try await Task.sleep(for: .milliseconds(500))
            try await k.succeed([
                "patch", k.widgets, "w1", "--subresource=status", "--type=merge",
                "-p", #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Done"}]}}"#,
            ])
            let result = try await waited
            #expect(result.exitCode == 0)
            #expect(result.stdout.contains("condition met"))
        }
    }

    @Test("wait --for=delete returns once a finalizer is removed")
    func waitForDelete() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1"))
            try await k.succeed(["patch", k.widgets, "w1", "--type=merge", "-p", #"{"metadata":{"finalizers":["example.com/hold"]}}"#])
            try await k.succeed(["delete", k.widgets, "w1", "--wait=false"])
            let held = try await k.succeed(["get", k.widgets, "w1", "-o", "jsonpath={.metadata.deletionTimestamp}"])
            #expect(!held.isEmpty)
            async let waited = k.run(["wait", "--for=delete", "\(k.widgets)/w1", "--timeout=30s"])
            try await Task.sleep(for: .milliseconds(500))
            try await k.succeed(["patch", k.widgets, "w1", "--type=json", "-p", #"[{"op":"remove","path":"/metadata/finalizers"}]"#])
            let result = try await waited
            #expect(result.exitCode == 0)
            let gone = try await k.run(["get", k.widgets, "w1"])
            #expect(gone.exitCode == 1)
        }
    }

    @Test("deleting an owner cascades to the objects it owns")
    func cascadingDelete() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("owner"))
            let uid = try await k.succeed(["get", k.widgets, "owner", "-o", "jsonpath={.metadata.uid}"])
            try await k.succeed(["apply", "-f", "-"], input: """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: owned
                  ownerReferences:
                  - {apiVersion: \(k.group)/v1, kind: Widget, name: owner, uid: \(uid), blockOwnerDeletion: true, controller: true}
                data: {a: "1"}
                """)
            try await k.succeed(["delete", k.widgets, "owner", "--cascade=foreground"])
            try await k.eventually("the owned ConfigMap is deleted") {
                try await k.run(["get", "configmap", "owned"]).exitCode == 1
            }
        }
    }

    @Test("get -w receives an event for a change")
    func getWatch() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1"))
            let (process, output) = try k.background(["get", k.widgets, "-w", "--output-watch-events", "--request-timeout=0"])
            defer { if process.isRunning { process.terminate() } }
            try await k.eventually("the initial ADDED line") {
                ((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains("ADDED")
            }
            try await k.succeed(["patch", k.widgets, "w1", "--type=merge", "-p", #"{"spec":{"mode":"Plan"}}"#])
            try await k.eventually("a MODIFIED line showing the new mode") {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                return text.split(separator: "\n").contains { $0.contains("MODIFIED") && $0.contains("Plan") }
            }
        }
    }

    @Test("--dry-run=server validates and changes nothing")
    func dryRun() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            let created = try await k.succeed(["apply", "-f", "-", "--dry-run=server"], input: k.widgetYAML("w1"))
            #expect(created.contains("widget.\(k.group)/w1 created (server dry run)"))
            #expect(try await k.run(["get", k.widgets, "w1"]).exitCode == 1)
            let invalid = try await k.run(["apply", "-f", "-", "--dry-run=server"], input: k.widgetYAML("w2", mode: "X"))
            #expect(invalid.exitCode == 1)
            #expect(invalid.stderr.contains("Unsupported value: \"X\""))
        }
    }

    @Test("a validation error reads as kube-apiserver words it")
    func validationError() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            let result = try await k.run(["apply", "-f", "-"], input: k.widgetYAML("bad", mode: "X", size: 11))
            #expect(result.exitCode == 1)
            #expect(result.stderr.contains("The Widget \"bad\" is invalid: "))
            #expect(result.stderr.contains("* spec.mode: Unsupported value: \"X\": supported values: \"Apply\", \"Plan\""))
            #expect(result.stderr.contains("* spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"))
            let unknown = try await k.run(["apply", "-f", "-"], input: k.widgetYAML("w3") + "\n  color: blue")
            #expect(unknown.exitCode == 1)
            #expect(unknown.stderr.contains("unknown field \"spec.color\""))
        }
    }

    @Test("exit codes: 0 on success, 1 for NotFound, an unknown resource type or a conflict")
    func exitCodes() async throws {
        try await withKubectl { k in
            try await k.installCRD()
            #expect(try await k.run(["get", k.widgets]).exitCode == 0)
            let missing = try await k.run(["get", k.widgets, "nope"])
            #expect(missing.exitCode == 1)
            #expect(missing.stderr.contains("Error from server (NotFound): widgets.\(k.group) \"nope\" not found"))
            let unknown = try await k.run(["get", "nosuchthings"])
            #expect(unknown.exitCode == 1)
            #expect(unknown.stderr.contains("the server doesn't have a resource type \"nosuchthings\""))
            try await k.succeed(["apply", "-f", "-"], input: k.widgetYAML("w1"))
            let exists = try await k.run(["create", "-f", "-"], input: k.widgetYAML("w1"))
            #expect(exists.exitCode == 1)
            #expect(exists.stderr.contains("AlreadyExists"))
        }
    }
}
