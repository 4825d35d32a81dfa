import KubeAPI

/// Masking of sensitive columns in Trino and ClickHouse for some roles, with
/// optional reversible tokenization through Vault Transform and ClickHouse
/// row policies.
public struct ColumnMask: PlatformResource {
    public static let kind = "ColumnMask"
    public static let plural = "columnmasks"
    public static let shortNames = ["cmask"]
    /// Delete: the object is the policy; removing it removes the masks.
    public static let defaultDeletionPolicy = DeletionPolicy.delete
    public static let summary =
        "ColumnMask masks sensitive columns in Trino and ClickHouse for the roles it names (email, SSN, credit card, full, partial, hash, null, a custom expression, or reversible tokenization through Vault Transform) and maintains ClickHouse row policies. Trino masks go into the file-based access control that the operator's configuration names."
    public static let printerColumn = PrinterColumn(
        name: "Mask", type: "string", jsonPath: ".spec.mask.type", description: "The kind of mask.")
    public static let conditionTypes = ConditionType.all

    /// Always `data.hmco.io/v1alpha1`.
    public var apiVersion: String = PlatformAPIGroup.apiVersion
    /// Always the kind's name.
    public var kind: String = ColumnMask.kind
    /// Name, namespace, labels, finalizers and the rest of the standard metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: ColumnMaskSpec
    /// The observed state, written by the operator through the status subresource.
    public var status: ColumnMaskStatus?

    /// An object with the given metadata, spec and (optionally) status.
    public init(metadata: ObjectMeta, spec: ColumnMaskSpec, status: ColumnMaskStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Decodes an object, filling in the schema's defaults first (as the API server does).
    public init(from decoder: any Decoder) throws { self = try Self.decodeApplyingDefaults(from: decoder) }
}

/// A query engine that enforces masks.
public enum QueryEngine: String, Codable, Sendable, Hashable, CaseIterable {
    case trino = "Trino"
    case clickHouse = "ClickHouse"
}

/// The kinds of mask.
public enum MaskType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Keeps the first character and the domain: `j***@hmco.io`.
    case email = "Email"
    /// Keeps the last four digits: `***-**-6789`.
    case ssn = "SSN"
    /// Keeps the last four digits of a card number.
    case creditCard = "CreditCard"
    /// Replaces every character.
    case full = "Full"
    /// Keeps `showFirst` and `showLast` characters.
    case partial = "Partial"
    /// A salted hash: joinable, not readable.
    case hash = "Hash"
    /// NULL.
    case null = "Null"
    /// An expression per engine.
    case custom = "Custom"
    /// Reversible tokenization through Vault Transform.
    case tokenize = "Tokenize"
}

/// Hash algorithms for ``MaskType/hash``.
public enum HashAlgorithm: String, Codable, Sendable, Hashable, CaseIterable {
    case sha256 = "SHA256"
    case sha512 = "SHA512"
}

/// Whether a ClickHouse row policy widens (OR) or narrows (AND) what a role sees.
public enum RowPolicyKind: String, Codable, Sendable, Hashable, CaseIterable {
    case permissive = "Permissive"
    case restrictive = "Restrictive"
}

/// The desired state of a ``ColumnMask``.
public struct ColumnMaskSpec: PlatformSpec {
    /// The columns to mask.
    public var targets: [MaskTarget]
    /// How values are masked.
    public var mask: MaskSettings
    /// The roles the mask applies to.
    public var roles: [String]
    /// Roles that always see the clear value, even when they also hold a masked role.
    public var exemptRoles: [String]?
    /// ClickHouse row policies maintained with the mask.
    public var rowPolicies: [RowPolicy]?
    /// How to reach ClickHouse, for ClickHouse targets and row policies.
    public var clickHouse: ServiceEndpoint?
    public var suspend: Bool
    public var mode: ReconcileMode
    public var deletionPolicy: DeletionPolicy

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        targets: [MaskTarget], mask: MaskSettings, roles: [String], exemptRoles: [String]? = nil,
        rowPolicies: [RowPolicy]? = nil, clickHouse: ServiceEndpoint? = nil, suspend: Bool = false,
        mode: ReconcileMode = .apply, deletionPolicy: DeletionPolicy = ColumnMask.defaultDeletionPolicy
    ) {
        self.targets = targets
        self.mask = mask
        self.roles = roles
        self.exemptRoles = exemptRoles
        self.rowPolicies = rowPolicies
        self.clickHouse = clickHouse
        self.suspend = suspend
        self.mode = mode
        self.deletionPolicy = deletionPolicy
    }
}

/// Columns of one table in one engine.
public struct MaskTarget: Codable, Sendable, Hashable {
    public var engine: QueryEngine
    /// `catalog.schema.table` (Trino) or `database.table` (ClickHouse).
    public var table: String
    /// The columns to mask.
    public var columns: [String]

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(engine: QueryEngine, table: String, columns: [String]) {
        self.engine = engine
        self.table = table
        self.columns = columns
    }
}

/// How values are masked.
public struct MaskSettings: Codable, Sendable, Hashable {
    /// The kind of mask; the matching settings object goes with Partial, Hash, Custom and Tokenize.
    public var type: MaskType
    /// Settings of a Partial mask.
    public var partial: PartialMask?
    /// Settings of a Hash mask.
    public var hash: HashMask?
    /// Expressions of a Custom mask.
    public var custom: CustomMask?
    /// Settings of a Tokenize mask.
    public var tokenization: VaultTokenization?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        type: MaskType, partial: PartialMask? = nil, hash: HashMask? = nil, custom: CustomMask? = nil,
        tokenization: VaultTokenization? = nil
    ) {
        self.type = type
        self.partial = partial
        self.hash = hash
        self.custom = custom
        self.tokenization = tokenization
    }
}

/// A mask that keeps some characters.
public struct PartialMask: Codable, Sendable, Hashable {
    /// Characters kept at the start.
    public var showFirst: Int
    /// Characters kept at the end.
    public var showLast: Int
    /// The character that replaces the others.
    public var character: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(showFirst: Int = 0, showLast: Int = 4, character: String = "*") {
        self.showFirst = showFirst
        self.showLast = showLast
        self.character = character
    }
}

/// A salted hash.
public struct HashMask: Codable, Sendable, Hashable {
    /// The hash function.
    public var algorithm: HashAlgorithm
    /// A salt, so hashes cannot be looked up in precomputed tables.
    public var saltSecretRef: SecretKeySelector?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(algorithm: HashAlgorithm = .sha256, saltSecretRef: SecretKeySelector? = nil) {
        self.algorithm = algorithm
        self.saltSecretRef = saltSecretRef
    }
}

/// Mask expressions per engine; `{column}` stands for the column.
public struct CustomMask: Codable, Sendable, Hashable {
    /// A Trino SQL expression.
    public var trino: String?
    /// A ClickHouse SQL expression.
    public var clickHouse: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(trino: String? = nil, clickHouse: String? = nil) {
        self.trino = trino
        self.clickHouse = clickHouse
    }
}

/// Reversible tokenization through Vault's Transform secrets engine.
public struct VaultTokenization: Codable, Sendable, Hashable {
    /// The Transform role callers use.
    public var role: String
    /// The tokenization transformation.
    public var transformation: String
    /// The template, for transformations that use one.
    public var template: String?
    /// The tokenization store; Vault's built-in store when absent.
    public var store: String?
    /// How to reach Vault; the operator's configuration when absent.
    public var vault: VaultConnection?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        role: String, transformation: String, template: String? = nil, store: String? = nil,
        vault: VaultConnection? = nil
    ) {
        self.role = role
        self.transformation = transformation
        self.template = template
        self.store = store
        self.vault = vault
    }
}

/// How to reach and log in to Vault.
public struct VaultConnection: Codable, Sendable, Hashable {
    /// Defaults to the operator's configured Vault.
    public var url: String?
    /// The Vault Enterprise namespace.
    public var namespace: String?
    /// Where the Transform engine is mounted.
    public var transformMount: String
    /// The Kubernetes auth role the operator logs in with.
    public var kubernetesAuthRole: String?
    /// Where the Kubernetes auth method is mounted.
    public var kubernetesAuthMount: String
    /// A Vault token instead of Kubernetes auth.
    public var tokenSecretRef: SecretKeySelector?
    /// TLS settings for connections to Vault.
    public var tls: ClientTLS?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        url: String? = nil, namespace: String? = nil, transformMount: String = "transform",
        kubernetesAuthRole: String? = nil, kubernetesAuthMount: String = "kubernetes",
        tokenSecretRef: SecretKeySelector? = nil, tls: ClientTLS? = nil
    ) {
        self.url = url
        self.namespace = namespace
        self.transformMount = transformMount
        self.kubernetesAuthRole = kubernetesAuthRole
        self.kubernetesAuthMount = kubernetesAuthMount
        self.tokenSecretRef = tokenSecretRef
        self.tls = tls
    }
}

/// A ClickHouse row policy.
public struct RowPolicy: Codable, Sendable, Hashable {
    /// The policy's short name (the full name is `<name> ON <table>`).
    public var name: String
    /// `database.table`.
    public var table: String
    /// The USING predicate, e.g. `desk = currentUser()`.
    public var predicate: String
    /// The roles the policy applies to.
    public var roles: [String]
    public var kind: RowPolicyKind

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(name: String, table: String, predicate: String, roles: [String], kind: RowPolicyKind = .permissive) {
        self.name = name
        self.table = table
        self.predicate = predicate
        self.roles = roles
        self.kind = kind
    }
}

/// The observed state of a ``ColumnMask``.
public struct ColumnMaskStatus: PlatformStatus {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var plan: [PlannedAction]?
    public var lastAppliedPlan: AppliedPlan?
    public var lastReconcileTime: Time?
    /// What is enforced where.
    public var enforcement: [MaskEnforcement]?

    /// An empty status, as on an object the operator has not reconciled yet.
    public init() {}
}

/// One enforcement point.
public struct MaskEnforcement: Codable, Sendable, Hashable {
    public var engine: QueryEngine
    public var table: String
    /// The column, for column masks.
    public var column: String?
    /// How it is enforced: TrinoColumnMask, ClickHouseMaskedView, ClickHouseColumnGrant or ClickHouseRowPolicy.
    public var mechanism: String
    /// The engine object that enforces it (a view, a policy, a rules-file entry).
    public var object: String?
    /// Whether it is in force.
    public var enforced: Bool
    /// Why not, when not enforced.
    public var message: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        engine: QueryEngine, table: String, column: String? = nil, mechanism: String, object: String? = nil,
        enforced: Bool, message: String? = nil
    ) {
        self.engine = engine
        self.table = table
        self.column = column
        self.mechanism = mechanism
        self.object = object
        self.enforced = enforced
        self.message = message
    }
}

extension ColumnMask {
    /// The condition types of a ColumnMask.
    public enum ConditionType {
        public static let ready = StandardCondition.ready
        public static let reconciling = StandardCondition.reconciling
        public static let stalled = StandardCondition.stalled
        /// True when every target column is masked for the roles.
        public static let maskEnforced = "MaskEnforced"
        /// True when every row policy is in place.
        public static let rowPoliciesEnforced = "RowPoliciesEnforced"
        public static let all = [ready, reconciling, stalled, maskEnforced, rowPoliciesEnforced]
    }

    /// The reasons a ColumnMask's conditions give, besides ``StandardReason``.
    public enum Reason {
        public static let enforced = "Enforced"
        public static let partiallyEnforced = "PartiallyEnforced"
        public static let tableNotFound = "TableNotFound"
        public static let columnNotFound = "ColumnNotFound"
        public static let vaultUnavailable = "VaultUnavailable"
        public static let transformationNotFound = "TransformationNotFound"
        public static let noRowPolicies = "NoRowPolicies"
    }

    /// The values of `status.enforcement[].mechanism`.
    public enum Mechanism {
        public static let trinoColumnMask = "TrinoColumnMask"
        public static let clickHouseMaskedView = "ClickHouseMaskedView"
        public static let clickHouseColumnGrant = "ClickHouseColumnGrant"
        public static let clickHouseRowPolicy = "ClickHouseRowPolicy"
    }
}
