import KubeAPI

/// Time-limited, read-only access for an external partner to Trino datasets,
/// with row filters, column allowlists and masks, and a rotated token
/// delivered to a Secret.
public struct PartnerEntitlement: PlatformResource {
    public static let kind = "PartnerEntitlement"
    public static let plural = "partnerentitlements"
    public static let shortNames = ["pent"]
    /// Delete: a deleted entitlement must not leave access behind.
    public static let defaultDeletionPolicy = DeletionPolicy.delete
    public static let summary =
        "PartnerEntitlement grants an external partner time-limited, read-only access to Trino datasets, with row filters, column allowlists and masks, through a token the operator issues, rotates and delivers to a Secret. The rules go into Trino's file-based access control that the operator's configuration names."
    public static let printerColumn = PrinterColumn(
        name: "Expires", type: "date", jsonPath: ".status.expiresAt", description: "When the access ends.")
    public static let conditionTypes = ConditionType.all

    /// Always `data.hmco.io/v1alpha1`.
    public var apiVersion: String = PlatformAPIGroup.apiVersion
    /// Always the kind's name.
    public var kind: String = PartnerEntitlement.kind
    /// Name, namespace, labels, finalizers and the rest of the standard metadata.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: PartnerEntitlementSpec
    /// The observed state, written by the operator through the status subresource.
    public var status: PartnerEntitlementStatus?

    /// An object with the given metadata, spec and (optionally) status.
    public init(metadata: ObjectMeta, spec: PartnerEntitlementSpec, status: PartnerEntitlementStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Decodes an object, filling in the schema's defaults first (as the API server does).
    public init(from decoder: any Decoder) throws { self = try Self.decodeApplyingDefaults(from: decoder) }
}

/// What a partner may do with the datasets.
public enum AccessScope: String, Codable, Sendable, Hashable, CaseIterable {
    /// SELECT only.
    case readOnly = "ReadOnly"
}

/// The desired state of a ``PartnerEntitlement``.
public struct PartnerEntitlementSpec: PlatformSpec {
    /// Who the partner is.
    public var partner: Partner
    /// The Trino tables the partner may read.
    public var datasets: [PartnerDataset]
    /// What the partner may do (SELECT only).
    public var access: AccessScope
    /// When the access ends. Exactly one of expiresAt and validFor.
    public var expiresAt: Time?
    /// How long the access lasts from when it is first granted. Exactly one of expiresAt and validFor.
    public var validFor: String?
    /// The token the partner authenticates to Trino with.
    public var token: PartnerToken
    /// Revokes the access now (rules removed, token deleted) while keeping the object.
    public var revoke: Bool
    /// A one-shot token rotation.
    public var rotateRequest: TokenRotateRequest?
    public var suspend: Bool
    public var mode: ReconcileMode
    public var deletionPolicy: DeletionPolicy

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        partner: Partner, datasets: [PartnerDataset], access: AccessScope = .readOnly, expiresAt: Time? = nil,
        validFor: String? = nil, token: PartnerToken, revoke: Bool = false,
        rotateRequest: TokenRotateRequest? = nil, suspend: Bool = false, mode: ReconcileMode = .apply,
        deletionPolicy: DeletionPolicy = PartnerEntitlement.defaultDeletionPolicy
    ) {
        self.partner = partner
        self.datasets = datasets
        self.access = access
        self.expiresAt = expiresAt
        self.validFor = validFor
        self.token = token
        self.revoke = revoke
        self.rotateRequest = rotateRequest
        self.suspend = suspend
        self.mode = mode
        self.deletionPolicy = deletionPolicy
    }
}

/// Who the partner is.
public struct Partner: Codable, Sendable, Hashable {
    /// A stable id, e.g. `acme-corp`. Immutable.
    public var id: String
    /// The organization's name, e.g. `ACME Trading`.
    public var organization: String
    /// Where to reach the partner about the access.
    public var contactEmail: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(id: String, organization: String, contactEmail: String? = nil) {
        self.id = id
        self.organization = organization
        self.contactEmail = contactEmail
    }
}

/// One Trino table a partner may read.
public struct PartnerDataset: Codable, Sendable, Hashable {
    /// `catalog.schema.table`.
    public var table: String
    /// The columns the partner may see; all when absent.
    public var columns: [String]?
    /// Columns the partner sees only through a SQL expression.
    public var columnMasks: [PartnerColumnMask]?
    /// A SQL predicate rows must satisfy to be visible, e.g. `iso = 'ERCOT'`.
    public var rowFilter: String?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        table: String, columns: [String]? = nil, columnMasks: [PartnerColumnMask]? = nil, rowFilter: String? = nil
    ) {
        self.table = table
        self.columns = columns
        self.columnMasks = columnMasks
        self.rowFilter = rowFilter
    }
}

/// A column shown only through a SQL expression.
public struct PartnerColumnMask: Codable, Sendable, Hashable {
    public var column: String
    /// A Trino SQL expression of the column's type, e.g. `round(price, 0)`.
    public var expression: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(column: String, expression: String) {
        self.column = column
        self.expression = expression
    }
}

/// The partner's token.
public struct PartnerToken: Codable, Sendable, Hashable {
    /// The Secret (in this namespace) the operator writes the token to, with
    /// keys `token`, `expiresAt` and `user`.
    public var secretName: String
    /// How long one token is valid.
    public var lifetime: String
    /// How long before a token expires the operator issues the next one.
    public var renewBefore: String
    /// The Trino user the token authenticates as; defaults to `partner-<partner.id>`.
    public var user: String?
    /// The JWT audience; Trino checks it when configured to.
    public var audience: String?
    /// The key that signs tokens; defaults to the operator's configured key.
    public var signingKeySecretRef: SecretKeySelector?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        secretName: String, lifetime: String = "1h", renewBefore: String = "10m", user: String? = nil,
        audience: String? = nil, signingKeySecretRef: SecretKeySelector? = nil
    ) {
        self.secretName = secretName
        self.lifetime = lifetime
        self.renewBefore = renewBefore
        self.user = user
        self.audience = audience
        self.signingKeySecretRef = signingKeySecretRef
    }
}

/// A one-shot request to issue a new token now.
public struct TokenRotateRequest: OneShotRequest {
    public static let requestType = "Rotate"
    public var id: String

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(id: String) { self.id = id }
}

/// The observed state of a ``PartnerEntitlement``.
public struct PartnerEntitlementStatus: RequestRecordingStatus {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var plan: [PlannedAction]?
    public var lastAppliedPlan: AppliedPlan?
    public var lastReconcileTime: Time?
    public var handledRequests: [HandledRequest]?
    /// When the access was first granted (the start of validFor).
    public var grantedAt: Time?
    /// When the access ends.
    public var expiresAt: Time?
    /// When the current token was issued.
    public var tokenIssuedAt: Time?
    /// When the current token expires.
    public var tokenExpiresAt: Time?
    /// The access rules in force, as rendered for Trino.
    public var rules: [RenderedAccessRule]?
    /// `sha256:<hex>` of the rendered rules.
    public var rulesHash: String?
    /// Whether the access is revoked.
    public var revoked: Bool?
    /// When the access was revoked.
    public var revokedAt: Time?
    /// Why: Expired, Requested or a CostBudget's enforcement.
    public var revocationReason: String?
    /// Where the grant, rotations and revocation are recorded, e.g. an OpenLineage run id.
    public var auditRef: String?

    /// An empty status, as on an object the operator has not reconciled yet.
    public init() {}
}

/// One rendered rule, as Trino enforces it.
public struct RenderedAccessRule: Codable, Sendable, Hashable {
    public var table: String
    /// The granted privileges, e.g. `SELECT`.
    public var privileges: [String]
    /// The row filter in force.
    public var rowFilter: String?
    /// The visible columns, when restricted.
    public var columns: [String]?
    /// The masked columns.
    public var maskedColumns: [String]?

    /// A value with the given fields; omitted arguments take the schema's defaults.
    public init(
        table: String, privileges: [String], rowFilter: String? = nil, columns: [String]? = nil,
        maskedColumns: [String]? = nil
    ) {
        self.table = table
        self.privileges = privileges
        self.rowFilter = rowFilter
        self.columns = columns
        self.maskedColumns = maskedColumns
    }
}

extension PartnerEntitlement {
    /// The condition types of a PartnerEntitlement.
    public enum ConditionType {
        public static let ready = StandardCondition.ready
        public static let reconciling = StandardCondition.reconciling
        public static let stalled = StandardCondition.stalled
        /// True while the partner's rules are in force in Trino.
        public static let accessGranted = "AccessGranted"
        /// True while a valid token is in the Secret.
        public static let tokenValid = "TokenValid"
        public static let all = [ready, reconciling, stalled, accessGranted, tokenValid]
    }

    /// The reasons a PartnerEntitlement's conditions give, besides ``StandardReason``.
    public enum Reason {
        public static let granted = "Granted"
        public static let expired = "Expired"
        public static let revoked = "Revoked"
        public static let revokedByBudget = "RevokedByBudget"
        public static let tokenIssued = "TokenIssued"
        public static let tokenRotated = "TokenRotated"
        public static let signingKeyNotFound = "SigningKeyNotFound"
        public static let tableNotFound = "TableNotFound"
    }

    /// The values of `status.revocationReason`.
    public enum RevocationReason {
        public static let expired = "Expired"
        public static let requested = "Requested"
        public static let budgetEnforcement = "BudgetEnforcement"
    }
}
