import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

// How the fixtures are made.
//
// Byte arrays written out in full were worked out by hand from the protobuf
// encoding guide: a field starts with the key (field number << 3 | wire
// type, as a varint; wire type 0 = varint, 1 = fixed64, 2 = length-delimited,
// 3/4 = start/end group, 5 = fixed32), a varint is 7 bits a byte, least
// significant first, with the high bit set on every byte but the last, and a
// length-delimited value is its length (a varint) and that many bytes.
// Comments beside the bytes say which field each run encodes.
//
// Object fixtures are built with `Wire` below, which writes exactly those
// rules and nothing else; "Wire writes the bytes kubectl sends" checks it
// against a body captured from kubectl.
//
// The `kubectl…` fixtures are request bodies captured from kubectl 1.32 with
// `kubectl create … -v=9`, which logs each request body as a hex dump.

/// Protobuf bytes by hand: keys, varints and length-delimited values.
enum Wire {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    static func key(_ number: Int, _ wireType: UInt64) -> [UInt8] { varint(UInt64(number) << 3 | wireType) }
    static func uint(_ number: Int, _ value: UInt64) -> [UInt8] { key(number, 0) + varint(value) }
    static func int(_ number: Int, _ value: Int64) -> [UInt8] { uint(number, UInt64(bitPattern: value)) }
    static func bytes(_ number: Int, _ payload: [UInt8]) -> [UInt8] {
        key(number, 2) + varint(UInt64(payload.count)) + payload
    }
    static func string(_ number: Int, _ text: String) -> [UInt8] { bytes(number, Array(text.utf8)) }
    static func message(_ number: Int, _ parts: [UInt8]...) -> [UInt8] { bytes(number, parts.flatMap { $0 }) }
    /// A map entry: a message {key = 1, value = 2}.
    static func entry(_ number: Int, _ key: String, _ value: [UInt8]) -> [UInt8] {
        message(number, string(1, key), bytes(2, value))
    }
    static func entry(_ number: Int, _ key: String, _ value: String) -> [UInt8] {
        entry(number, key, Array(value.utf8))
    }

    /// The magic and runtime.Unknown {typeMeta {apiVersion, kind}, raw}.
    static func envelope(_ apiVersion: String, _ kind: String, _ raw: [UInt8]...) -> [UInt8] {
        ProtobufBodies.magic + message(1, string(1, apiVersion), string(2, kind)) + bytes(2, raw.flatMap { $0 })
    }
}

/// Bytes from a hex dump (`"6b 38 73 00 …"`).
func hex(_ text: String) -> [UInt8] {
    text.split(whereSeparator: \.isWhitespace).compactMap { UInt8($0, radix: 16) }
}

/// kubectl 1.32 request bodies.
enum KubectlBodies {
    /// `kubectl create namespace x`
    static let namespace = hex(
        """
        6b 38 73 00 0a 0f 0a 02 76 31 12 09 4e 61 6d 65 73 70 61 63 65 12 19 0a 11 0a 01 78 12 00 1a 00
        22 00 2a 00 32 00 38 00 42 00 12 00 1a 02 0a 00 1a 00 22 00
        """)
    /// `kubectl create secret generic s --from-literal=a=b`
    static let secret = hex(
        """
        6b 38 73 00 0a 0c 0a 02 76 31 12 06 53 65 63 72 65 74 12 1d 0a 11 0a 01 73 12 00 1a 00 22 00 2a
        00 32 00 38 00 42 00 12 06 0a 01 61 12 01 62 1a 00 1a 00 22 00
        """)
    /// `kubectl create configmap c --from-literal=a=b`
    static let configMap = hex(
        """
        6b 38 73 00 0a 0f 0a 02 76 31 12 09 43 6f 6e 66 69 67 4d 61 70 12 1b 0a 11 0a 01 63 12 00 1a 00
        22 00 2a 00 32 00 38 00 42 00 12 06 0a 01 61 12 01 62 1a 00 22 00
        """)
    /// `kubectl create serviceaccount sa`
    static let serviceAccount = hex(
        """
        6b 38 73 00 0a 14 0a 02 76 31 12 0e 53 65 72 76 69 63 65 41 63 63 6f 75 6e 74 12 14 0a 12 0a 02
        73 61 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 1a 00 22 00
        """)
    /// `kubectl create deployment d --image=nginx`
    static let deployment = hex(
        """
        6b 38 73 00 0a 15 0a 07 61 70 70 73 2f 76 31 12 0a 44 65 70 6c 6f 79 6d 65 6e 74 12 a3 01 0a 1b
        0a 01 64 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 5a 08 0a 03 61 70 70 12 01 64 12 76 08 01 12
        0a 0a 08 0a 03 61 70 70 12 01 64 1a 5e 0a 1a 0a 00 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 5a
        08 0a 03 61 70 70 12 01 64 12 40 12 22 0a 05 6e 67 69 6e 78 12 05 6e 67 69 6e 78 2a 00 42 00 6a
        00 72 00 80 01 00 88 01 00 90 01 00 a2 01 00 1a 00 32 00 42 00 4a 00 52 00 58 00 60 00 68 00 82
        01 00 8a 01 00 9a 01 00 c2 01 00 22 02 0a 00 28 00 38 00 1a 0c 08 00 10 00 18 00 20 00 28 00 38
        00 1a 00 22 00
        """)
}

@Suite("protobuf wire reader")
struct ProtobufReaderTests {
    @Test("a varint is read seven bits a byte, least significant first")
    func varints() throws {
        // field 1 varint 150 = 0x96 0x01; field 2 varint 300 = 0xac 0x02; field 3 varint 1 = 0x01
        let message = try ProtobufMessage(parsing: [0x08, 0x96, 0x01, 0x10, 0xac, 0x02, 0x18, 0x01])
        #expect(try message.uint64(1) == 150)
        #expect(try message.uint64(2) == 300)
        #expect(try message.bool(3) == true)
        #expect(try message.uint64(4) == nil)
    }

    @Test("a negative int32 arrives sign-extended to ten bytes and reads back")
    func negativeInt32() throws {
        // field 1 varint -1: nine 0xff then 0x01
        let message = try ProtobufMessage(parsing: [0x08] + Array(repeating: 0xff, count: 9) + [0x01])
        #expect(try message.int32(1) == -1)
        #expect(try message.int64(1) == -1)
        #expect(try message.uint64(1) == UInt64.max)
    }

    @Test("fixed32 and fixed64 are little-endian")
    func fixedWidth() throws {
        // field 1 fixed32 (key 0x0d) 0x04030201; field 2 fixed64 (key 0x11) 0x0807060504030201
        let message = try ProtobufMessage(parsing: [0x0d, 1, 2, 3, 4, 0x11, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(
            message.fields == [
                .init(number: 1, value: .fixed32(0x0403_0201)),
                .init(number: 2, value: .fixed64(0x0807_0605_0403_0201)),
            ])
    }

    @Test("unknown fields of every wire type are skipped, groups included")
    func skipsUnknownFields() throws {
        let bytes: [UInt8] = [
            0x4d, 0xff, 0xff, 0xff, 0xff,  // field 9 fixed32
            0x51, 1, 2, 3, 4, 5, 6, 7, 8,  // field 10 fixed64
            0x5b, 0x08, 0x01, 0x63, 0x64, 0x5c,  // field 11 group holding field 1 varint and an empty group 12
            0x60, 0x2a,  // field 12 varint 42
            0x0a, 0x01, 0x61,  // field 1 string "a"
        ]
        let message = try ProtobufMessage(parsing: bytes)
        #expect(try message.string(1) == "a")
        #expect(message.fields.map(\.number) == [9, 10, 12, 1])
    }

    @Test("deeply nested groups are skipped without exhausting the stack")
    func deepGroups() throws {
        // 100,000 starts of group 1 (0x0b), then as many ends (0x0c), then field 2 varint 1
        let depth = 100_000
        let bytes = Array(repeating: UInt8(0x0b), count: depth) + Array(repeating: 0x0c, count: depth) + [0x10, 0x01]
        let message = try ProtobufMessage(parsing: bytes)
        #expect(message.fields == [.init(number: 2, value: .varint(1))])
    }

    @Test("the last occurrence of a scalar wins, and occurrences of a message merge")
    func lastWinsAndMerge() throws {
        let bytes: [UInt8] = [
            0x0a, 0x01, 0x61, 0x0a, 0x01, 0x62,  // field 1 "a", then field 1 "b"
            0x12, 0x03, 0x0a, 0x01, 0x78,  // field 2 {1: "x"}
            0x12, 0x03, 0x12, 0x01, 0x79,  // field 2 {2: "y"}
        ]
        let message = try ProtobufMessage(parsing: bytes)
        #expect(try message.string(1) == "b")
        #expect(try message.strings(1) == ["a", "b"])
        let merged = try #require(try message.message(2))
        #expect(try merged.string(1) == "x")
        #expect(try merged.string(2) == "y")
        #expect(try message.messages(2).count == 2)
    }

    @Test("repeated varints are read packed or one by one")
    func packedVarints() throws {
        // field 4 packed [3, 270] = 0x22 0x03 0x03 0x8e 0x02; then field 4 varint 5
        let message = try ProtobufMessage(parsing: [0x22, 0x03, 0x03, 0x8e, 0x02, 0x20, 0x05])
        #expect(try message.varints(4) == [3, 270, 5])
    }

    @Test("map entries: a missing value is empty and a repeated key keeps its last value")
    func maps() throws {
        let bytes: [UInt8] = [
            0x5a, 0x03, 0x0a, 0x01, 0x6b,  // field 11 entry {key "k"} without a value
            0x5a, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0x31,  // field 11 entry {"a": "1"}
            0x5a, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0x32,  // field 11 entry {"a": "2"}
        ]
        let message = try ProtobufMessage(parsing: bytes)
        #expect(try message.stringMap(11) == ["k": "", "a": "2"])
        #expect(try message.bytesMap(11) == ["k": [], "a": [0x32]])
    }

    @Test(
        "malformed bytes are errors that say what and where",
        arguments: [
            ([0x08, 0x96], "truncated"),  // varint without its last byte
            ([0x0a, 0x05, 0x61], "lengthOverrun"),  // string of 5 bytes with 1 present
            ([0x0f], "invalidWireType"),  // wire type 7
            ([0x00, 0x00], "invalidFieldNumber"),  // field 0
            ([0x08] + Array(repeating: 0xff, count: 10) + [0x01], "varintOverflow"),  // eleven bytes
            ([0x0c], "unmatchedEndGroup"),  // end of group 1 without its start
            ([0x0b, 0x08, 0x01], "truncated"),  // group 1 without its end
            ([0x0d, 0x01, 0x02], "truncated"),  // fixed32 with two bytes
        ] as [([UInt8], String)])
    func malformed(bytes: [UInt8], expected: String) {
        #expect(throws: ProtobufError.self) { try ProtobufMessage(parsing: bytes) }
        do {
            _ = try ProtobufMessage(parsing: bytes)
        } catch {
            #expect(error.shortForm == expected, "\(error)")
        }
    }

    @Test("reading a field as the wrong type, or a string that is not UTF-8, is an error")
    func wrongTypes() throws {
        let message = try ProtobufMessage(parsing: [0x08, 0x01, 0x12, 0x01, 0xff])
        #expect(throws: ProtobufError.self) { try message.string(1) }
        #expect(throws: ProtobufError.self) { try message.uint64(2) }
        do {
            _ = try message.string(2)
            Issue.record("expected invalid UTF-8 to be refused")
        } catch {
            #expect(error.shortForm == "invalidUTF8")
        }
    }
}

@Suite("protobuf request bodies")
struct ProtobufBodiesTests {
    func decode(_ bytes: [UInt8], _ def: ResourceDefinition) throws -> JSONObject {
        try ProtobufBodies.decode(bytes, def: def, version: def.preferredVersion)
    }

    func apiError(_ bytes: [UInt8], _ def: ResourceDefinition) -> APIError? {
        do {
            _ = try decode(bytes, def)
            Issue.record("expected an error")
            return nil
        } catch let error as APIError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("Wire writes the bytes kubectl sends")
    func wireMatchesKubectl() {
        let meta = Wire.message(
            1, Wire.string(1, "s"), Wire.string(2, ""), Wire.string(3, ""), Wire.string(4, ""), Wire.string(5, ""),
            Wire.string(6, ""), Wire.uint(7, 0), Wire.bytes(8, []))
        let secret =
            Wire.envelope(
                "v1", "Secret", meta, Wire.entry(2, "a", "b"), Wire.string(3, ""))
            + Wire.string(3, "") + Wire.string(4, "")
        #expect(secret == KubectlBodies.secret)
    }

    @Test("kubectl create namespace: empty strings and the zero time are left out")
    func kubectlNamespace() throws {
        let object = try decode(KubectlBodies.namespace, BuiltinResources.namespaces)
        #expect(
            object == ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "x"], "spec": [:], "status": [:]])
    }

    @Test("kubectl create secret generic: data arrives as bytes and is written as base64")
    func kubectlSecret() throws {
        let object = try decode(KubectlBodies.secret, BuiltinResources.secrets)
        #expect(object == ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "data": ["a": "Yg=="]])
    }

    @Test("kubectl create configmap")
    func kubectlConfigMap() throws {
        let object = try decode(KubectlBodies.configMap, BuiltinResources.configMaps)
        #expect(object == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["a": "b"]])
    }

    @Test("kubectl create serviceaccount")
    func kubectlServiceAccount() throws {
        let object = try decode(KubectlBodies.serviceAccount, BuiltinResources.serviceAccounts)
        #expect(object == ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "sa"]])
    }

    @Test("kubectl create deployment: spec and pod template, the status left to the server")
    func kubectlDeployment() throws {
        let object = try decode(KubectlBodies.deployment, BuiltinResources.deployments)
        let expected: JSONObject = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "d", "labels": ["app": "d"]],
            "spec": [
                "replicas": 1, "selector": ["matchLabels": ["app": "d"]], "strategy": [:],
                "template": [
                    "metadata": ["labels": ["app": "d"]],
                    "spec": ["containers": [["name": "nginx", "image": "nginx", "resources": [:]]]],
                ],
            ],
        ]
        #expect(object == expected)
    }

    @Test("every ObjectMeta field a client may send is decoded")
    func objectMeta() throws {
        let owner = Wire.message(
            13, Wire.string(1, "Widget"), Wire.string(3, "w"), Wire.string(4, "u-1"), Wire.string(5, "example.com/v1"),
            Wire.uint(6, 1), Wire.uint(7, 0))
        let managed = Wire.message(
            17, Wire.string(1, "kubectl"), Wire.string(2, "Update"), Wire.string(3, "v1"),
            Wire.message(4, Wire.int(1, 1_700_000_000), Wire.uint(2, 500)), Wire.string(6, "FieldsV1"),
            Wire.message(7, Wire.string(1, #"{"f:data":{}}"#)))
        let meta = Wire.message(
            1, Wire.string(1, "s"), Wire.string(2, "s-"), Wire.string(3, "ns"), Wire.string(5, "uid-1"),
            Wire.string(6, "42"), Wire.int(7, 3), Wire.message(8, Wire.int(1, 1_700_000_000)),
            Wire.int(10, 0), Wire.entry(11, "tier", "db"), Wire.entry(12, "note", "x"), owner,
            Wire.string(14, "example.com/hold"), Wire.string(14, "example.com/second"), managed)
        let object = try decode(Wire.envelope("v1", "Secret", meta), BuiltinResources.secrets)
        let expected: JSONValue = [
            "name": "s", "generateName": "s-", "namespace": "ns", "uid": "uid-1", "resourceVersion": "42",
            "generation": 3, "creationTimestamp": "2023-11-14T22:13:20Z", "deletionGracePeriodSeconds": 0,
            "labels": ["tier": "db"], "annotations": ["note": "x"],
            "ownerReferences": [
                [
                    "apiVersion": "example.com/v1", "kind": "Widget", "name": "w", "uid": "u-1", "controller": true,
                    "blockOwnerDeletion": false,
                ]
            ],
            "finalizers": ["example.com/hold", "example.com/second"],
            "managedFields": [
                [
                    "manager": "kubectl", "operation": "Update", "apiVersion": "v1", "time": "2023-11-14T22:13:20Z",
                    "fieldsType": "FieldsV1", "fieldsV1": ["f:data": [:]],
                ]
            ],
        ]
        #expect(object["metadata"] == expected)
    }

    @Test("Secret: binary data, stringData, type and an explicit immutable false")
    func secret() throws {
        let body = Wire.envelope(
            "v1", "Secret", Wire.message(1, Wire.string(1, "s")), Wire.entry(2, "bin", [0xff, 0x00, 0xfe]),
            Wire.entry(2, "empty", []), Wire.string(3, "kubernetes.io/basic-auth"), Wire.entry(4, "username", "admin"),
            Wire.uint(5, 0))
        let object = try decode(body, BuiltinResources.secrets)
        #expect(object["data"] == ["bin": "/wD+", "empty": ""])
        #expect(object["type"] == "kubernetes.io/basic-auth")
        #expect(object["stringData"] == ["username": "admin"])
        #expect(object["immutable"] == false)
    }

    @Test("ConfigMap: data, binaryData and immutable")
    func configMap() throws {
        let body = Wire.envelope(
            "v1", "ConfigMap", Wire.message(1, Wire.string(1, "c")), Wire.entry(2, "a", "1"),
            Wire.entry(3, "blob", [0x00, 0x01]), Wire.uint(4, 1))
        let object = try decode(body, BuiltinResources.configMaps)
        #expect(
            object == [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["a": "1"],
                "binaryData": ["blob": "AAE="], "immutable": true,
            ])
    }

    @Test("ServiceAccount: secrets, image pull secrets and automount")
    func serviceAccount() throws {
        let body = Wire.envelope(
            "v1", "ServiceAccount", Wire.message(1, Wire.string(1, "sa")),
            Wire.message(2, Wire.string(1, "Secret"), Wire.string(3, "token"), Wire.string(2, "")),
            Wire.message(3, Wire.string(1, "registry")), Wire.uint(4, 0))
        let object = try decode(body, BuiltinResources.serviceAccounts)
        #expect(object["secrets"] == [["kind": "Secret", "name": "token"]])
        #expect(object["imagePullSecrets"] == [["name": "registry"]])
        #expect(object["automountServiceAccountToken"] == false)
    }

    @Test("Namespace: finalizers, phase and conditions with their times")
    func namespace() throws {
        let condition = Wire.message(
            2, Wire.string(1, "NamespaceDeletionDiscoveryFailure"), Wire.string(2, "False"),
            Wire.message(4, Wire.int(1, 0), Wire.uint(2, 0)), Wire.string(5, "ResourcesDiscovered"))
        let body = Wire.envelope(
            "v1", "Namespace", Wire.message(1, Wire.string(1, "x")), Wire.message(2, Wire.string(1, "kubernetes")),
            Wire.message(3, Wire.string(1, "Active"), condition))
        let object = try decode(body, BuiltinResources.namespaces)
        #expect(object["spec"] == ["finalizers": ["kubernetes"]])
        #expect(
            object["status"] == [
                "phase": "Active",
                "conditions": [
                    [
                        "type": "NamespaceDeletionDiscoveryFailure", "status": "False",
                        "lastTransitionTime": "1970-01-01T00:00:00Z", "reason": "ResourcesDiscovered",
                    ]
                ],
            ])
    }

    @Test("Deployment: rolling update bounds as int or string, and ports")
    func deploymentStrategy() throws {
        let container = Wire.message(
            2, Wire.string(1, "app"), Wire.string(2, "nginx:1.27"),
            Wire.message(6, Wire.uint(3, 8080), Wire.string(4, "TCP")),
            Wire.message(7, Wire.string(1, "MODE"), Wire.string(2, "x")))
        let spec = Wire.message(
            2, Wire.uint(1, 0),
            Wire.message(3, Wire.message(2, container)),
            Wire.message(
                4, Wire.string(1, "RollingUpdate"),
                Wire.message(
                    2,
                    Wire.message(1, Wire.uint(1, 0), Wire.uint(2, 1)),
                    Wire.message(2, Wire.uint(1, 1), Wire.string(3, "25%")))),
            Wire.uint(6, 3))
        let object = try decode(
            Wire.envelope("apps/v1", "Deployment", Wire.message(1, Wire.string(1, "d")), spec),
            BuiltinResources.deployments)
        #expect(object["spec"]?["replicas"] == 0)
        #expect(object["spec"]?["revisionHistoryLimit"] == 3)
        #expect(
            object["spec"]?["strategy"] == [
                "type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": "25%"],
            ])
        #expect(
            object["spec"]?["template"]?["spec"]?["containers"] == [
                [
                    "name": "app", "image": "nginx:1.27", "ports": [["containerPort": 8080, "protocol": "TCP"]],
                    "env": [["name": "MODE", "value": "x"]],
                ]
            ])
    }

    @Test("unknown fields of a fully described kind are skipped, as protobuf decoders do")
    func unknownFieldsSkipped() throws {
        let body = Wire.envelope(
            "v1", "ConfigMap", Wire.message(1, Wire.string(1, "c"), Wire.string(99, "future")),
            Wire.string(42, "future"))
        #expect(try decode(body, BuiltinResources.configMaps)["metadata"] == ["name": "c"])
    }

    @Test("a pod field this server does not decode is refused with 415 rather than dropped")
    func unsupportedPodField() throws {
        // PodSpec.securityContext (14) {runAsUser (2): 1000}
        let podSpec = Wire.message(2, Wire.message(2, Wire.string(1, "app")), Wire.message(14, Wire.uint(2, 1000)))
        let body = Wire.envelope(
            "apps/v1", "Deployment", Wire.message(1, Wire.string(1, "d")), Wire.message(2, Wire.message(3, podSpec)))
        let error = apiError(body, BuiltinResources.deployments)
        #expect(error?.code == 415)
        #expect(
            error?.status.message?.contains("spec.template.spec: field 14 of PodSpec is not decoded by this server")
                == true)
        // The same field at its zero value (as gogo writes unset non-pointer fields) is accepted.
        let zero = Wire.envelope(
            "apps/v1", "Deployment", Wire.message(1, Wire.string(1, "d")),
            Wire.message(2, Wire.message(3, Wire.message(2, Wire.string(16, ""), Wire.bytes(14, [])))))
        #expect(try decode(zero, BuiltinResources.deployments)["spec"]?["template"] == ["spec": [:]])
    }

    @Test("a kind that is not decoded gets 415 naming it")
    func unsupportedKind() {
        let body = Wire.envelope("v1", "Event", Wire.message(1, Wire.string(1, "e")))
        let error = apiError(body, BuiltinResources.coreEvents)
        #expect(error?.code == 415)
        #expect(error?.status.reason == "UnsupportedMediaType")
        #expect(error?.status.message?.hasSuffix("not for v1 Event") == true)
        #expect(error?.status.message?.hasPrefix("the body of the request was in an unknown format") == true)
    }

    @Test("the envelope must name the endpoint's kind and version")
    func envelopeMismatch() {
        let secret = Wire.envelope("v1", "Secret", Wire.message(1, Wire.string(1, "s")))
        #expect(
            apiError(secret, BuiltinResources.configMaps)?.status.message
                == "the kind in the data (Secret) does not match the expected kind (ConfigMap)")
        let wrongVersion = Wire.envelope("v2", "Secret", Wire.message(1, Wire.string(1, "s")))
        #expect(
            apiError(wrongVersion, BuiltinResources.secrets)?.status.message
                == "the API version in the data (v2) does not match the expected API version (v1)")
        let noKind = Wire.envelope("v1", "", Wire.message(1, Wire.string(1, "s")))
        #expect(apiError(noKind, BuiltinResources.secrets)?.code == 400)
    }

    @Test("bytes without the k8s magic, or malformed, are a 400 that says where")
    func malformedBodies() {
        #expect(
            apiError(Array("{}".utf8), BuiltinResources.secrets)?.status.message
                == "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        #expect(apiError([], BuiltinResources.secrets)?.code == 400)
        let truncated = Array(KubectlBodies.secret.prefix(20))
        #expect(apiError(truncated, BuiltinResources.secrets)?.code == 400)
        // metadata.name (ObjectMeta field 1) sent as a varint
        let wrongType = Wire.envelope("v1", "Secret", Wire.message(1, Wire.uint(1, 7)))
        let error = apiError(wrongType, BuiltinResources.secrets)
        #expect(error?.code == 400)
        #expect(
            error?.status.message
                == "unable to decode v1 Secret from protobuf: metadata.name: field 1 is varint, expected length-delimited"
        )
    }
}

@Suite("protobuf bodies over HTTP")
struct ProtobufHTTPTests {
    static let protobuf = "application/vnd.kubernetes.protobuf"

    @Test("a protobuf create is stored like its JSON twin and answered in JSON")
    func createAndUpdate() async throws {
        try await withCluster { f in
            let created = try await f.client.request(
                method: "POST", path: "/api/v1/namespaces/default/secrets", body: Data(KubectlBodies.secret),
                contentType: Self.protobuf, accept: "\(Self.protobuf),application/json", operation: "create secret")
            #expect(created.code == 201)
            #expect(created.headers.first { $0.0.lowercased() == "content-type" }?.1 == "application/json")
            let object = try JSONValue(parsing: created.body)
            #expect(object["data"] == ["a": "Yg=="])
            #expect(object["type"] == "Opaque")
            #expect(object["metadata"]?["uid"]?.stringValue?.isEmpty == false)

            let update = Wire.envelope(
                "v1", "Secret", Wire.message(1, Wire.string(1, "s")), Wire.entry(2, "a", "c"))
            let updated = try await f.client.request(
                method: "PUT", path: "/api/v1/namespaces/default/secrets/s", body: Data(update),
                contentType: Self.protobuf, operation: "update secret")
            #expect(try JSONValue(parsing: updated.body)["data"] == ["a": "Yw=="])
        }
    }

    @Test("a protobuf body for a kind that is not decoded, or a protobuf DeleteOptions, is a 415")
    func refused() async throws {
        try await withCluster { f in
            let event = Wire.envelope("v1", "Event", Wire.message(1, Wire.string(1, "e")))
            let error = await expectKubeError {
                _ = try await f.client.request(
                    method: "POST", path: "/api/v1/namespaces/default/events", body: Data(event),
                    contentType: Self.protobuf, operation: "create event")
            }
            #expect(error?.code == 415)
            #expect(error?.status?.message?.hasSuffix("not for v1 Event") == true)

            _ = try await f.client.request(
                method: "POST", path: "/api/v1/namespaces/default/configmaps", body: Data(KubectlBodies.configMap),
                contentType: Self.protobuf, operation: "create configmap")
            let deleteOptions = Wire.envelope("v1", "DeleteOptions", Wire.string(4, "Orphan"))
            let deleteError = await expectKubeError {
                _ = try await f.client.request(
                    method: "DELETE", path: "/api/v1/namespaces/default/configmaps/c", body: Data(deleteOptions),
                    contentType: Self.protobuf, operation: "delete configmap")
            }
            #expect(deleteError?.code == 415)
            let stillThere = try await f.client.request(
                method: "GET", path: "/api/v1/namespaces/default/configmaps/c", operation: "get configmap")
            #expect(stillThere.code == 200)
        }
    }

    @Test("an unknown content type lists protobuf among the accepted ones where it is decoded")
    func acceptedTypes() async throws {
        try await withCluster { f in
            let error = await expectKubeError {
                _ = try await f.client.request(
                    method: "POST", path: "/api/v1/namespaces/default/secrets", body: Data("x".utf8),
                    contentType: "text/plain", operation: "create secret")
            }
            #expect(error?.code == 415)
            #expect(
                error?.status?.message?.hasSuffix(
                    "accepted media types include: application/json, application/yaml, \(Self.protobuf)") == true)
        }
    }
}
