import Crypto
import Foundation

/// SHA-256 as lower-case hex, for configuration hashes and derived names.
enum SHA256Hex {
    static func hex(_ bytes: [UInt8]) -> String {
        Crypto.SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func hex(_ text: String) -> String { hex(Array(text.utf8)) }
}
