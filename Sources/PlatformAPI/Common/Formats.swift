import Foundation

/// Durations written as Go writes them (`30s`, `5m`, `1h30m`, `250ms`), the
/// form Kubernetes users know from other CRDs.
public enum GoDuration {
    /// The pattern the schemas use for duration fields.
    public static let pattern = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$"

    /// The duration in seconds, or nil when the text is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.first != ".", number.last != ".",
                number.filter({ $0 == "." }).count <= 1, let value = Double(number)
            else { return nil }
            rest = rest.dropFirst(number.count)
            // "ms" is listed before "m" and "s", so the longest unit wins.
            guard let unit = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            total += value * unit.1
            rest = rest.dropFirst(unit.0.count)
        }
        return total
    }

    /// The duration in Swift's `Duration`, or nil when the text is not a duration.
    public static func duration(_ text: String) -> Duration? {
        seconds(text).map { Duration.milliseconds(Int64(($0 * 1000).rounded())) }
    }

    /// A short form of a number of seconds (`90` → `1m30s`).
    public static func format(_ seconds: Double) -> String {
        var remaining = Int64(seconds.rounded())
        guard remaining > 0 else { return "0s" }
        var text = ""
        if remaining >= 3600 {
            text += "\(remaining / 3600)h"
            remaining %= 3600
        }
        if remaining >= 60 {
            text += "\(remaining / 60)m"
            remaining %= 60
        }
        if remaining > 0 { text += "\(remaining)s" }
        return text
    }
}

/// Decimal amounts (money, rates, thresholds) are written as strings, so no
/// value is rounded on its way through JSON (`"5000"`, `"0.023"`).
public enum DecimalString {
    /// The pattern the schemas use for decimal fields.
    public static let pattern = "^[0-9]+(\\.[0-9]+)?$"

    /// The value, or nil when the text is not a non-negative decimal.
    public static func value(_ text: String) -> Decimal? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            text.first != ".", text.last != ".", text.filter({ $0 == "." }).count <= 1
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}

/// Patterns shared by several kinds.
enum Patterns {
    /// An RFC 1123 DNS label (Kubernetes object and Secret key names are close to it).
    static let dnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
    /// An RFC 1123 subdomain: the names of Secrets and ConfigMaps.
    static let dnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
    /// The key of a Secret or ConfigMap entry.
    static let configKey = "^[-._a-zA-Z0-9]+$"
    /// A one-shot request id.
    static let requestID = "^[A-Za-z0-9]([-A-Za-z0-9_.:]*[A-Za-z0-9])?$"
    /// A CamelCase word (plan verbs).
    static let camelCase = "^[A-Z][A-Za-z0-9]*$"
    /// An unquoted SQL identifier as Trino and ClickHouse accept it.
    static let sqlIdentifier = "^[A-Za-z_][A-Za-z0-9_]*$"
    /// A Trino table: `catalog.schema.table`.
    static let trinoTable = "^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$"
    /// A Trino table pattern: `catalog.schema.table`, each part a name or `*`.
    static let trinoTablePattern =
        "^([A-Za-z_][A-Za-z0-9_]*|\\*)\\.([A-Za-z_][A-Za-z0-9_]*|\\*)\\.([A-Za-z_][A-Za-z0-9_]*|\\*)$"
    /// A ClickHouse table: `database.table`.
    static let clickHouseTable = "^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$"
    /// A lakeFS commit id (hex, at least the short form).
    static let commitID = "^[0-9a-f]{6,64}$"
    /// An ISO 4217 currency code.
    static let currency = "^[A-Z]{3}$"
    /// An http(s) URL.
    static let httpURL = "^https?://[^\\s]+$"
}
