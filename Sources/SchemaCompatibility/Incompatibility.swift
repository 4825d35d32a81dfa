/// One reason a new schema is not compatible with an earlier one.
///
/// Guarantees: `rule` is a stable identifier taken from the registry's own vocabulary
/// (Avro's `SchemaIncompatibilityType`, Confluent's JSON Schema and Protobuf `Difference.Type`),
/// so CI output, the reconciler's conditions and the simulator's 409 messages agree.
public struct Incompatibility: Sendable, Hashable, CustomStringConvertible {
    /// Which way data would flow in the failing check.
    public enum Direction: String, Sendable, Hashable {
        /// The new schema reads data written with the earlier one (BACKWARD).
        case newReadsOld
        /// The earlier schema reads data written with the new one (FORWARD).
        case oldReadsNew
    }

    /// The part a schema plays when data is decoded.
    public enum Role: String, Sendable, Hashable {
        case reader
        case writer
    }

    /// The registry's name for the broken rule, e.g. `READER_FIELD_MISSING_DEFAULT_VALUE`.
    public var rule: IncompatibilityRule
    /// Where in the schema: a JSON pointer for Avro (`/fields/2/type`), Confluent's `#/...`
    /// paths for JSON Schema (`#/properties/id`) and Protobuf (`#/Order/3`).
    public var location: String
    /// A human-readable explanation phrased with "new"/"old" as the registry does.
    public var message: String
    /// The detail the registry reports as `additionalInfo` (field name, missing symbols …).
    public var additionalInfo: String?
    /// Which direction failed.
    public var direction: Direction
    /// Index, in the `existing` array given to `check`, of the version this applies to.
    public var existingIndex: Int

    public init(
        rule: IncompatibilityRule, location: String, message: String, additionalInfo: String? = nil,
        direction: Direction, existingIndex: Int
    ) {
        self.rule = rule
        self.location = location
        self.message = message
        self.additionalInfo = additionalInfo
        self.direction = direction
        self.existingIndex = existingIndex
    }

    /// The role the new schema played in the failing check.
    public var newSchemaRole: Role { direction == .newReadsOld ? .reader : .writer }

    /// The entry as Confluent prints it inside a 409 message or a `verbose=true` answer.
    public var registryMessage: String {
        var text = "{errorType:'\(rule.rawValue)', description:'\(message)'"
        if let additionalInfo { text += ", additionalInfo:'\(additionalInfo)'" }
        return text + "}"
    }

    public var description: String { "\(rule.rawValue) at \(location): \(message)" }
}

/// A stable identifier for a compatibility rule, as the registry names it.
public struct IncompatibilityRule: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // Avro (org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType).
    public static let nameMismatch = Self(rawValue: "NAME_MISMATCH")
    public static let fixedSizeMismatch = Self(rawValue: "FIXED_SIZE_MISMATCH")
    public static let missingEnumSymbols = Self(rawValue: "MISSING_ENUM_SYMBOLS")
    public static let readerFieldMissingDefaultValue = Self(rawValue: "READER_FIELD_MISSING_DEFAULT_VALUE")
    public static let typeMismatch = Self(rawValue: "TYPE_MISMATCH")
    public static let missingUnionBranch = Self(rawValue: "MISSING_UNION_BRANCH")

    // Protobuf (Confluent's protobuf Difference.Type, incompatible subset).
    public static let messageRemoved = Self(rawValue: "MESSAGE_REMOVED")
    public static let fieldKindChanged = Self(rawValue: "FIELD_KIND_CHANGED")
    public static let fieldScalarKindChanged = Self(rawValue: "FIELD_SCALAR_KIND_CHANGED")
    public static let fieldNamedTypeChanged = Self(rawValue: "FIELD_NAMED_TYPE_CHANGED")
    public static let fieldNumericLabelChanged = Self(rawValue: "FIELD_NUMERIC_LABEL_CHANGED")
    public static let requiredFieldAdded = Self(rawValue: "REQUIRED_FIELD_ADDED")
    public static let requiredFieldRemoved = Self(rawValue: "REQUIRED_FIELD_REMOVED")
    public static let oneofFieldRemoved = Self(rawValue: "ONEOF_FIELD_REMOVED")
    public static let multipleFieldsMovedToOneof = Self(rawValue: "MULTIPLE_FIELDS_MOVED_TO_ONEOF")
    public static let fieldMovedToExistingOneof = Self(rawValue: "FIELD_MOVED_TO_EXISTING_ONEOF")
}
