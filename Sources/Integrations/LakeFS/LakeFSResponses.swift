import Foundation
import IntegrationSupport

/// One page of a list answer (`{"pagination": {...}, "results": [...]}`).
public struct LakeFSPage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// The `after` of the next page; nil on the last page.
    public var nextOffset: String?

    public init(items: [Item], nextOffset: String?) {
        self.items = items
        self.nextOffset = nextOffset
    }
}

/// Reads lakeFS responses: success bodies into values, anything else into a
/// ``LakeFSError``. Pure functions of the request and the response; no I/O.
public enum LakeFSResponses {
    /// Returns the response when its status is a success; otherwise throws its ``LakeFSError``.
    @discardableResult
    public static func checked(
        _ response: BackendResponse, of request: LakeFSRequest
    ) throws(LakeFSError)
        -> BackendResponse
    {
        guard (200..<300).contains(response.status) else { throw error(for: response, of: request) }
        return response
    }

    /// A success body decoded as `type`.
    public static func decode<T: Decodable>(
        _ type: T.Type, from response: BackendResponse, of request: LakeFSRequest
    )
        throws(LakeFSError) -> T
    {
        try checked(response, of: request)
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw invalidResponse(response, of: request, "cannot read \(T.self): \(error)")
        }
    }

    /// One page of a list answer.
    public static func page<T: Decodable & Sendable>(
        _ type: T.Type, from response: BackendResponse, of request: LakeFSRequest
    ) throws(LakeFSError) -> LakeFSPage<T> {
        let body = try decode(PageBody<T>.self, from: response, of: request)
        let next = body.pagination.hasMore ? body.pagination.nextOffset : nil
        return LakeFSPage(items: body.results, nextOffset: next.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The commit id in the body of a 201 from create branch, which lakeFS
    /// sends as plain text (`text/html`), not JSON.
    public static func createdBranchCommitID(
        from response: BackendResponse, of request: LakeFSRequest
    )
        throws(LakeFSError) -> String
    {
        try checked(response, of: request)
        var text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Tolerate a JSON string, which a proxy or a future server version might send.
        if text.hasPrefix("\""), let decoded = try? JSONDecoder().decode(String.self, from: Data(text.utf8)) {
            text = decoded
        }
        guard !text.isEmpty, !text.contains(where: \.isWhitespace) else {
            throw invalidResponse(response, of: request, "expected a commit id, got \"\(text.prefix(80))\"")
        }
        return text
    }

    /// The rule list and its `ETag` from get branch protection rules.
    public static func branchProtection(
        from response: BackendResponse, of request: LakeFSRequest
    )
        throws(LakeFSError) -> LakeFSBranchProtection
    {
        let rules = try decode([ProtectionRuleBody].self, from: response, of: request)
        return LakeFSBranchProtection(patterns: rules.map(\.pattern), etag: response.header("ETag"))
    }

    /// A hook's log, as text.
    public static func hookOutput(
        from response: BackendResponse, of request: LakeFSRequest
    ) throws(LakeFSError)
        -> String
    {
        try checked(response, of: request).text
    }

    // MARK: Errors

    /// The typed error for a response that is not a success. What a status
    /// means depends on the call: 409 is a merge conflict on a merge and
    /// "already exists" on a create; 412 is a failed hook when the message
    /// says so, and an ETag mismatch when writing protection rules.
    public static func error(for response: BackendResponse, of request: LakeFSRequest) -> LakeFSError {
        let status = response.status
        var message = errorMessage(from: response.body)
        let lowered = message.lowercased()
        var hookFailure: LakeFSError.HookFailure?
        let kind: LakeFSError.Kind
        switch status {
        case 400:
            if request.action == .merge, lowered.contains("no changes") {
                kind = .nothingToMerge
            } else if lowered.contains("dirty branch") || lowered.contains("uncommitted changes") {
                kind = .dirtyBranch
            } else {
                kind = .badRequest
            }
        case 401: kind = .unauthorized
        case 403: kind = lowered.contains("protected branch") ? .protectedBranch : .forbidden
        case 404: kind = .notFound
        case 409:
            switch request.action {
            case .createRepository, .createBranch: kind = .alreadyExists
            case .merge:
                kind = .mergeConflict
                // The deprecated 409 body is a MergeResult, which has no message.
                if message.isEmpty { message = "conflict found" }
            default:
                // lakeFS answers 409 to a revert of a merge commit without a parent number.
                kind = lowered.contains("parent number") ? .badRequest : .conflict
            }
        case 410: kind = .gone
        case 412:
            hookFailure = self.hookFailure(in: message)
            if hookFailure != nil {
                kind = .hookFailed
            } else if request.action == .setBranchProtection {
                kind = .etagMismatch
            } else {
                kind = .preconditionFailed
            }
        case 429: kind = .rateLimited
        case 500 where lowered.contains("locked"): kind = .branchLocked
        case 503 where lowered.contains("throughput") || lowered.contains("slow down"): kind = .throughputExceeded
        case 500..<600: kind = .serverError
        default: kind = .unexpectedStatus
        }
        if message.isEmpty { message = HTTPStatusText.text(for: status) }
        return LakeFSError(
            kind: kind, operation: request.operation, status: status, message: message, hookFailure: hookFailure,
            retryAfter: retryAfter(response.header("Retry-After")))
    }

    /// The error for a request that got no response.
    public static func error(for transport: TransportError, of request: LakeFSRequest) -> LakeFSError {
        LakeFSError(
            kind: transport.kind == .timeout ? .timeout : .connection, operation: request.operation, status: nil,
            message: transport.kind == .timeout
                ? "timed out: \(transport.detail)" : "cannot connect: \(transport.detail)")
    }

    /// Parses lakeFS's hook failure message:
    /// `pre-merge hook aborted, run id '<run>': 1 error occurred:\n\t* hook run id '<hook run>' failed on action
    /// '<action>' hook '<hook>': <reason>`.
    public static func hookFailure(in message: String) -> LakeFSError.HookFailure? {
        guard let marker = message.range(of: " hook aborted, run id '") else { return nil }
        let eventType =
            message[..<marker.lowerBound]
            .split(whereSeparator: { $0.isWhitespace || $0 == ":" }).last.map(String.init) ?? ""
        let afterMarker = message[marker.upperBound...]
        guard let runIDEnd = afterMarker.firstIndex(of: "'") else { return nil }
        let runID = String(afterMarker[..<runIDEnd])
        guard !runID.isEmpty else { return nil }

        var hooks: [LakeFSError.HookFailure.FailedHook] = []
        var rest = afterMarker[runIDEnd...]
        while let hookMarker = rest.range(of: "hook run id '") {
            var cursor = rest[hookMarker.upperBound...]
            rest = cursor
            guard let hookRunID = take(&cursor, through: "'"), consume(&cursor, " failed on action '"),
                let action = take(&cursor, through: "' hook '"), let hookID = take(&cursor, through: "'")
            else { continue }
            _ = consume(&cursor, ":")
            let reasonEnd =
                [cursor.range(of: "* hook run id '")?.lowerBound, cursor.firstIndex(of: "\n")]
                .compactMap { $0 }.min() ?? cursor.endIndex
            let reason = cursor[..<reasonEnd].trimmingCharacters(in: .whitespacesAndNewlines)
            hooks.append(.init(hookRunID: hookRunID, action: action, hookID: hookID, reason: reason))
            rest = cursor[reasonEnd...]
        }
        return LakeFSError.HookFailure(eventType: eventType, runID: runID, failedHooks: hooks)
    }

    /// `message` of an `Error` body; the body's text when it is not one; "" for no body.
    static func errorMessage(from body: Data) -> String {
        if body.isEmpty { return "" }
        if let error = try? JSONDecoder().decode(ErrorBody.self, from: body) {
            return error.message.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if (try? JSONDecoder().decode(MergeResultBody.self, from: body)) != nil { return "" }
        let text = String(decoding: body.prefix(1024), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }

    static func invalidResponse(
        _ response: BackendResponse, of request: LakeFSRequest, _ detail: String
    )
        -> LakeFSError
    {
        LakeFSError(kind: .invalidResponse, operation: request.operation, status: response.status, message: detail)
    }

    /// Consumes `literal` when the cursor starts with it.
    private static func consume(_ cursor: inout Substring, _ literal: String) -> Bool {
        guard cursor.hasPrefix(literal) else { return false }
        cursor = cursor.dropFirst(literal.count)
        return true
    }

    /// The text before `terminator`, consuming both; nil when `terminator` never comes.
    private static func take(_ cursor: inout Substring, through terminator: String) -> String? {
        guard let range = cursor.range(of: terminator) else { return nil }
        let value = String(cursor[..<range.lowerBound])
        cursor = cursor[range.upperBound...]
        return value
    }
}

/// Short reason phrases for bodies that carry no message.
enum HTTPStatusText {
    static func text(for status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not found"
        case 409: "conflict"
        case 410: "gone"
        case 412: "precondition failed"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: "unexpected status"
        }
    }
}

// Response bodies that exist only on the wire.

struct ErrorBody: Decodable {
    var message: String
}

struct MergeResultBody: Decodable {
    var reference: String
}

struct PaginationBody: Decodable {
    var hasMore: Bool
    var nextOffset: String?
    var results: Int?
    var maxPerPage: Int?

    enum CodingKeys: String, CodingKey {
        case hasMore = "has_more"
        case nextOffset = "next_offset"
        case results
        case maxPerPage = "max_per_page"
    }
}

struct PageBody<Item: Decodable>: Decodable {
    var pagination: PaginationBody
    var results: [Item]
}
