import Foundation
import IntegrationSupport

/// Re-serializes JSON with sorted keys so two documents compare by content.
/// Bodies are checked as generic JSON, never through the client's own types.
func canonicalJSON(_ data: Data?) -> String? {
    guard let data, let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
        let canonical = try? JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    else { return nil }
    return String(decoding: canonical, as: UTF8.self)
}

func canonicalJSON(_ text: String) -> String? { canonicalJSON(Data(text.utf8)) }

/// A recorded registry answer.
func response(_ status: Int, _ body: String = "", headers: [(String, String)] = []) -> BackendResponse {
    var all = headers.map { (name: $0.0, value: $0.1) }
    if !body.isEmpty { all.append((name: "Content-Type", value: "application/vnd.schemaregistry.v1+json")) }
    return BackendResponse(status: status, headers: all, body: Data(body.utf8))
}

/// An Avro record with one field, as a registry stores it.
let ordersV1 = #"{"type":"record","name":"Order","namespace":"io.hmco","fields":[{"name":"id","type":"string"}]}"#
