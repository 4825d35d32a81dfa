/// Constants of the OpenLineage specification the events are written against
/// (`OpenLineage.json`, version 2-0-2).
public enum OpenLineageSpec {
    /// The spec version in URL form.
    public static let version = "2-0-2"
    /// `schemaURL` of every ``LineageEvent`` (a RunEvent).
    public static let runEventSchemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
    /// `producer` (and each facet's `_producer`) unless an event says otherwise.
    public static let defaultProducer = "https://github.com/hmco/hmco-operator"
    /// `integration` of the ``LineageFacet/JobType`` facet the operator writes.
    public static let integration = "HMCO_OPERATOR"
}
