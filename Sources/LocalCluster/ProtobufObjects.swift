import Foundation
import KubeAPI

/// Request bodies in `application/vnd.kubernetes.protobuf`, which client-go's
/// typed clients send (`kubectl create namespace|secret|configmap|serviceaccount|deployment`),
/// decoded to the JSON the store keeps. Responses stay JSON: kubectl's
/// Accept header (`application/vnd.kubernetes.protobuf,application/json`) allows it.
///
/// The wire format is the magic `k8s\0` and a `runtime.Unknown` message
/// {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3,
/// contentType = 4}, whose `raw` is the typed object as generated.proto of
/// k8s.io/api describes it.
///
/// Guarantees: a decoded object is the JSON kube-apiserver would have
/// decoded from the same bytes (Go's `omitempty` rules, the zero Time left
/// out); nothing a client sent is dropped silently in the parts described
/// only partly (the pod template of a Deployment): a field there that this
/// server does not decode fails the request with 415, so the client can send
/// JSON instead.
/// Assumptions: unknown fields of fully described messages come from newer
/// API versions and are skipped, as protobuf decoders do; a Deployment's
/// status is the server's and is not decoded.
/// Caveats: only the kinds in ``supportedKinds``; other kinds get 415 naming them.
enum ProtobufBodies {
    /// The Content-Type of protobuf bodies.
    static let mediaType = "application/vnd.kubernetes.protobuf"
    /// The four bytes before every Kubernetes protobuf message.
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The kinds decoded from protobuf, by apiVersion and kind.
    static let supportedKinds: [(apiVersion: String, kind: String, schema: ProtobufSchema)] = [
        ("v1", "ConfigMap", ProtobufSchemas.configMap),
        ("v1", "Namespace", ProtobufSchemas.namespace),
        ("v1", "Secret", ProtobufSchemas.secret),
        ("v1", "ServiceAccount", ProtobufSchemas.serviceAccount),
        ("apps/v1", "Deployment", ProtobufSchemas.deployment),
    ]

    /// The table of `kind` at `apiVersion`, if bodies of that kind are decoded.
    static func schema(apiVersion: String, kind: String) -> ProtobufSchema? {
        supportedKinds.first { $0.apiVersion == apiVersion && $0.kind == kind }?.schema
    }

    /// Whether bodies for `def` at `version` may be sent as protobuf.
    static func accepts(_ def: ResourceDefinition, version: String) -> Bool {
        schema(apiVersion: def.apiVersion(version), kind: def.kind) != nil
    }

    /// The runtime.Unknown envelope around a typed object.
    struct Envelope: Sendable, Equatable {
        var apiVersion: String
        var kind: String
        var raw: [UInt8]
        var contentEncoding: String
        var contentType: String
    }

    /// Reads the magic and the envelope.
    static func envelope(_ bytes: [UInt8]) throws(APIError) -> Envelope {
        guard !bytes.isEmpty else { throw APIError.badRequest("the body of the request is empty") }
        guard bytes.starts(with: magic) else {
            let prefix = magic.map { String($0) }.joined(separator: " ")
            throw APIError.badRequest(
                "provided data does not appear to be a protobuf message, expected prefix [\(prefix)]")
        }
        do {
            let unknown = try ProtobufMessage(parsing: Array(bytes.dropFirst(magic.count)))
            let typeMeta = try unknown.message(1)
            return Envelope(
                apiVersion: try typeMeta?.string(1) ?? "", kind: try typeMeta?.string(2) ?? "",
                raw: try unknown.bytes(2) ?? [], contentEncoding: try unknown.string(3) ?? "",
                contentType: try unknown.string(4) ?? "")
        } catch {
            throw APIError.badRequest("unable to decode the protobuf envelope (runtime.Unknown): \(error)")
        }
    }

    /// The JSON object of a protobuf request body sent to `def` at `version`.
    static func decode(_ bytes: [UInt8], def: ResourceDefinition, version: String) throws(APIError) -> JSONObject {
        let expectedVersion = def.apiVersion(version)
        guard let schema = schema(apiVersion: expectedVersion, kind: def.kind) else {
            throw unsupported("not for \(expectedVersion) \(def.kind)")
        }
        let envelope = try envelope(bytes)
        guard !envelope.kind.isEmpty else {
            throw APIError.badRequest("Object 'Kind' is missing in the protobuf body (runtime.Unknown typeMeta)")
        }
        guard envelope.apiVersion == expectedVersion else {
            throw APIError.badRequest(
                "the API version in the data (\(envelope.apiVersion)) does not match the expected API version "
                    + "(\(expectedVersion))")
        }
        guard envelope.kind == def.kind else {
            throw APIError.badRequest(
                "the kind in the data (\(envelope.kind)) does not match the expected kind (\(def.kind))")
        }
        guard envelope.contentEncoding.isEmpty else {
            throw unsupported("not with content encoding \(envelope.contentEncoding)")
        }
        guard envelope.contentType.isEmpty || envelope.contentType == mediaType else {
            throw unsupported("not with an inner content type of \(envelope.contentType)")
        }
        do {
            var object = try ProtobufDecoder.decode(ProtobufMessage(parsing: envelope.raw), as: schema)
            object["apiVersion"] = .string(envelope.apiVersion)
            object["kind"] = .string(envelope.kind)
            return object
        } catch {
            if error.isUnsupportedField {
                throw unsupported("not for every field of \(expectedVersion) \(def.kind): \(error)")
            }
            throw APIError.badRequest("unable to decode \(expectedVersion) \(def.kind) from protobuf: \(error)")
        }
    }

    /// 415 naming what was sent and what is decoded, so the client can fall back to JSON.
    static func unsupported(_ detail: String) -> APIError {
        let kinds = supportedKinds.map { "\($0.apiVersion) \($0.kind)" }.joined(separator: ", ")
        var error = APIError.unsupportedMediaType(mediaType, accepted: ["application/json", "application/yaml"])
        error.status.message = (error.status.message ?? "") + "; \(mediaType) is decoded only for \(kinds), \(detail)"
        return error
    }
}

/// The message tables of the decoded kinds. Field numbers are those of
/// k8s.io/api and k8s.io/apimachinery generated.proto (core/v1, apps/v1,
/// meta/v1, runtime, util/intstr, api/resource); JSON names and `omitempty`
/// follow types.go. Pointer fields and required fields have `omitEmpty: false`.
enum ProtobufSchemas {
    // MARK: meta/v1

    static let ownerReference = ProtobufSchema(
        name: "OwnerReference",
        fields: [
            .init(5, "apiVersion", .string, omitEmpty: false),
            .init(1, "kind", .string, omitEmpty: false),
            .init(3, "name", .string, omitEmpty: false),
            .init(4, "uid", .string, omitEmpty: false),
            .init(6, "controller", .bool, omitEmpty: false),
            .init(7, "blockOwnerDeletion", .bool, omitEmpty: false),
        ])

    static let managedFieldsEntry = ProtobufSchema(
        name: "ManagedFieldsEntry",
        fields: [
            .init(1, "manager", .string),
            .init(2, "operation", .string),
            .init(3, "apiVersion", .string),
            .init(4, "time", .time),
            .init(6, "fieldsType", .string),
            .init(7, "fieldsV1", .fieldsV1),
            .init(8, "subresource", .string),
        ])

    static let objectMeta = ProtobufSchema(
        name: "ObjectMeta",
        fields: [
            .init(1, "name", .string),
            .init(2, "generateName", .string),
            .init(3, "namespace", .string),
            .init(4, "selfLink", .string),
            .init(5, "uid", .string),
            .init(6, "resourceVersion", .string),
            .init(7, "generation", .int64),
            .init(8, "creationTimestamp", .time),
            .init(9, "deletionTimestamp", .time),
            .init(10, "deletionGracePeriodSeconds", .int64, omitEmpty: false),
            .init(11, "labels", .stringMap),
            .init(12, "annotations", .stringMap),
            .init(13, "ownerReferences", .messages(ownerReference)),
            .init(14, "finalizers", .strings),
            .init(17, "managedFields", .messages(managedFieldsEntry)),
        ])

    static let labelSelector = ProtobufSchema(
        name: "LabelSelector",
        fields: [
            .init(1, "matchLabels", .stringMap),
            .init(
                2, "matchExpressions",
                .messages(
                    ProtobufSchema(
                        name: "LabelSelectorRequirement",
                        fields: [
                            .init(1, "key", .string, omitEmpty: false),
                            .init(2, "operator", .string, omitEmpty: false),
                            .init(3, "values", .strings),
                        ]))),
        ])

    // MARK: core/v1

    static let objectReference = ProtobufSchema(
        name: "ObjectReference",
        fields: [
            .init(1, "kind", .string),
            .init(2, "namespace", .string),
            .init(3, "name", .string),
            .init(4, "uid", .string),
            .init(5, "apiVersion", .string),
            .init(6, "resourceVersion", .string),
            .init(7, "fieldPath", .string),
        ])

    static let localObjectReference = ProtobufSchema(
        name: "LocalObjectReference", fields: [.init(1, "name", .string)])

    static let namespace = ProtobufSchema(
        name: "Namespace",
        fields: [
            .init(1, "metadata", .message(objectMeta)),
            .init(
                2, "spec", .message(ProtobufSchema(name: "NamespaceSpec", fields: [.init(1, "finalizers", .strings)]))),
            .init(
                3, "status",
                .message(
                    ProtobufSchema(
                        name: "NamespaceStatus",
                        fields: [
                            .init(1, "phase", .string),
                            .init(
                                2, "conditions",
                                .messages(
                                    ProtobufSchema(
                                        name: "NamespaceCondition",
                                        fields: [
                                            .init(1, "type", .string, omitEmpty: false),
                                            .init(2, "status", .string, omitEmpty: false),
                                            .init(4, "lastTransitionTime", .time),
                                            .init(5, "reason", .string),
                                            .init(6, "message", .string),
                                        ]))),
                        ]))),
        ])

    static let secret = ProtobufSchema(
        name: "Secret",
        fields: [
            .init(1, "metadata", .message(objectMeta)),
            .init(2, "data", .bytesMap),
            .init(3, "type", .string),
            .init(4, "stringData", .stringMap),
            .init(5, "immutable", .bool, omitEmpty: false),
        ])

    static let configMap = ProtobufSchema(
        name: "ConfigMap",
        fields: [
            .init(1, "metadata", .message(objectMeta)),
            .init(2, "data", .stringMap),
            .init(3, "binaryData", .bytesMap),
            .init(4, "immutable", .bool, omitEmpty: false),
        ])

    static let serviceAccount = ProtobufSchema(
        name: "ServiceAccount",
        fields: [
            .init(1, "metadata", .message(objectMeta)),
            .init(2, "secrets", .messages(objectReference)),
            .init(3, "imagePullSecrets", .messages(localObjectReference)),
            .init(4, "automountServiceAccountToken", .bool, omitEmpty: false),
        ])

    // MARK: Pods (the part `kubectl create deployment` writes; the rest is refused)

    static let container = ProtobufSchema(
        name: "Container",
        fields: [
            .init(1, "name", .string, omitEmpty: false),
            .init(2, "image", .string),
            .init(3, "command", .strings),
            .init(4, "args", .strings),
            .init(5, "workingDir", .string),
            .init(
                6, "ports",
                .messages(
                    ProtobufSchema(
                        name: "ContainerPort",
                        fields: [
                            .init(1, "name", .string),
                            .init(2, "hostPort", .int32),
                            .init(3, "containerPort", .int32, omitEmpty: false),
                            .init(4, "protocol", .string),
                            .init(5, "hostIP", .string),
                        ]))),
            .init(
                7, "env",
                .messages(
                    ProtobufSchema(
                        name: "EnvVar",
                        fields: [.init(1, "name", .string, omitEmpty: false), .init(2, "value", .string)],
                        complete: false))),
            .init(
                8, "resources",
                .message(
                    ProtobufSchema(
                        name: "ResourceRequirements",
                        fields: [.init(1, "limits", .quantityMap), .init(2, "requests", .quantityMap)],
                        complete: false))),
            .init(13, "terminationMessagePath", .string),
            .init(14, "imagePullPolicy", .string),
            .init(16, "stdin", .bool),
            .init(17, "stdinOnce", .bool),
            .init(18, "tty", .bool),
            .init(20, "terminationMessagePolicy", .string),
        ],
        complete: false)

    static let podSpec = ProtobufSchema(
        name: "PodSpec",
        fields: [
            .init(2, "containers", .messages(container)),
            .init(3, "restartPolicy", .string),
            .init(4, "terminationGracePeriodSeconds", .int64, omitEmpty: false),
            .init(5, "activeDeadlineSeconds", .int64, omitEmpty: false),
            .init(6, "dnsPolicy", .string),
            .init(7, "nodeSelector", .stringMap),
            .init(8, "serviceAccountName", .string),
            .init(9, "serviceAccount", .string),
            .init(10, "nodeName", .string),
            .init(11, "hostNetwork", .bool),
            .init(12, "hostPID", .bool),
            .init(13, "hostIPC", .bool),
            .init(15, "imagePullSecrets", .messages(localObjectReference)),
            .init(16, "hostname", .string),
            .init(17, "subdomain", .string),
            .init(19, "schedulerName", .string),
            .init(20, "initContainers", .messages(container)),
            .init(21, "automountServiceAccountToken", .bool, omitEmpty: false),
            .init(24, "priorityClassName", .string),
            .init(25, "priority", .int32, omitEmpty: false),
            .init(27, "shareProcessNamespace", .bool, omitEmpty: false),
            .init(29, "runtimeClassName", .string, omitEmpty: false),
            .init(30, "enableServiceLinks", .bool, omitEmpty: false),
            .init(31, "preemptionPolicy", .string, omitEmpty: false),
            .init(35, "setHostnameAsFQDN", .bool, omitEmpty: false),
        ],
        complete: false)

    static let podTemplateSpec = ProtobufSchema(
        name: "PodTemplateSpec",
        fields: [.init(1, "metadata", .message(objectMeta)), .init(2, "spec", .message(podSpec))])

    // MARK: apps/v1

    static let deploymentSpec = ProtobufSchema(
        name: "DeploymentSpec",
        fields: [
            .init(1, "replicas", .int32, omitEmpty: false),
            .init(2, "selector", .message(labelSelector)),
            .init(3, "template", .message(podTemplateSpec)),
            .init(
                4, "strategy",
                .message(
                    ProtobufSchema(
                        name: "DeploymentStrategy",
                        fields: [
                            .init(1, "type", .string),
                            .init(
                                2, "rollingUpdate",
                                .message(
                                    ProtobufSchema(
                                        name: "RollingUpdateDeployment",
                                        fields: [
                                            .init(1, "maxUnavailable", .intOrString),
                                            .init(2, "maxSurge", .intOrString),
                                        ]))),
                        ]))),
            .init(5, "minReadySeconds", .int32),
            .init(6, "revisionHistoryLimit", .int32, omitEmpty: false),
            .init(7, "paused", .bool),
            .init(9, "progressDeadlineSeconds", .int32, omitEmpty: false),
        ])

    /// The status is the server's (the store fills it in), so it is not decoded.
    static let deployment = ProtobufSchema(
        name: "Deployment",
        fields: [
            .init(1, "metadata", .message(objectMeta)),
            .init(2, "spec", .message(deploymentSpec)),
            .init(3, "status", .ignored),
        ])
}
