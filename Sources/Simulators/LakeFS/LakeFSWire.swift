import Foundation

/// The simulator's own JSON shapes, written from `components.schemas` of lakeFS's
/// swagger.yml. They are deliberately separate from the client's wire types.
enum LakeFSWire {
    // MARK: Responses

    struct ErrorBody: Encodable {
        let message: String
    }

    struct Pagination: Encodable {
        let hasMore: Bool
        let nextOffset: String
        let results: Int
        let maxPerPage: Int

        enum CodingKeys: String, CodingKey {
            case hasMore = "has_more", nextOffset = "next_offset", results, maxPerPage = "max_per_page"
        }
    }

    struct List<Item: Encodable>: Encodable {
        let pagination: Pagination
        let results: [Item]
    }

    struct Repository: Encodable {
        let id: String
        let creationDate: Int64
        let defaultBranch: String
        let storageNamespace: String
        let readOnly: Bool

        enum CodingKeys: String, CodingKey {
            case id, creationDate = "creation_date", defaultBranch = "default_branch"
            case storageNamespace = "storage_namespace", readOnly = "read_only"
        }
    }

    struct Ref: Encodable {
        let id: String
        let commitID: String

        enum CodingKeys: String, CodingKey {
            case id, commitID = "commit_id"
        }
    }

    struct Commit: Encodable {
        let id: String
        let parents: [String]
        let committer: String
        let message: String
        let creationDate: Int64
        let metaRangeID: String
        let metadata: [String: String]
        let generation: Int64
        let version: Int

        enum CodingKeys: String, CodingKey {
            case id, parents, committer, message, creationDate = "creation_date", metaRangeID = "meta_range_id"
            case metadata, generation, version
        }
    }

    struct Diff: Encodable {
        let type: String
        let path: String
        let pathType: String
        let sizeBytes: Int64?

        enum CodingKeys: String, CodingKey {
            case type, path, pathType = "path_type", sizeBytes = "size_bytes"
        }
    }

    struct MergeResult: Encodable {
        let reference: String
        /// Set on 409 only: lakeFS answers a conflict with an empty `MergeResult` today
        /// and announces the `Error` shape for it, so the body carries both.
        let message: String?
    }

    struct FindMergeBaseResult: Encodable {
        let sourceCommitID: String
        let destinationCommitID: String
        let baseCommitID: String

        enum CodingKeys: String, CodingKey {
            case sourceCommitID = "source_commit_id", destinationCommitID = "destination_commit_id"
            case baseCommitID = "base_commit_id"
        }
    }

    struct BranchProtectionRule: Codable {
        let pattern: String
    }

    struct ActionRun: Encodable {
        let runID: String
        let branch: String
        let startTime: String
        let endTime: String
        let eventType: String
        let status: String
        let commitID: String

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", branch, startTime = "start_time", endTime = "end_time"
            case eventType = "event_type", status, commitID = "commit_id"
        }
    }

    struct HookRun: Encodable {
        let hookRunID: String
        let action: String
        let hookID: String
        let startTime: String
        let endTime: String
        let status: String

        enum CodingKeys: String, CodingKey {
            case hookRunID = "hook_run_id", action, hookID = "hook_id", startTime = "start_time"
            case endTime = "end_time", status
        }
    }

    struct ObjectStats: Encodable {
        let path: String
        let pathType: String
        let physicalAddress: String
        let checksum: String
        let sizeBytes: Int64
        let mtime: Int64
        let contentType: String

        enum CodingKeys: String, CodingKey {
            case path, pathType = "path_type", physicalAddress = "physical_address", checksum
            case sizeBytes = "size_bytes", mtime, contentType = "content_type"
        }
    }

    struct VersionConfig: Encodable {
        let version: String
        let upgradeRecommended: Bool

        enum CodingKeys: String, CodingKey {
            case version, upgradeRecommended = "upgrade_recommended"
        }
    }

    // MARK: Request bodies

    struct RepositoryCreation: Decodable {
        let name: String
        let storageNamespace: String
        let defaultBranch: String?
        let sampleData: Bool?
        let readOnly: Bool?

        enum CodingKeys: String, CodingKey {
            case name, storageNamespace = "storage_namespace", defaultBranch = "default_branch"
            case sampleData = "sample_data", readOnly = "read_only"
        }
    }

    struct BranchCreation: Decodable {
        let name: String
        let source: String
        let force: Bool?
        let hidden: Bool?
    }

    struct CommitCreation: Decodable {
        let message: String
        let metadata: [String: String]?
        let date: Int64?
        let allowEmpty: Bool?
        let force: Bool?

        enum CodingKeys: String, CodingKey {
            case message, metadata, date, allowEmpty = "allow_empty", force
        }
    }

    struct Merge: Decodable {
        let message: String?
        let metadata: [String: String]?
        let strategy: String?
        let force: Bool?
        let allowEmpty: Bool?
        let squashMerge: Bool?

        enum CodingKeys: String, CodingKey {
            case message, metadata, strategy, force, allowEmpty = "allow_empty", squashMerge = "squash_merge"
        }
    }

    struct CommitOverrides: Decodable {
        let message: String?
        let metadata: [String: String]?
    }

    struct RevertCreation: Decodable {
        let ref: String
        let parentNumber: Int
        let commitOverrides: CommitOverrides?
        let force: Bool?
        let allowEmpty: Bool?

        enum CodingKeys: String, CodingKey {
            case ref, parentNumber = "parent_number", commitOverrides = "commit_overrides", force
            case allowEmpty = "allow_empty"
        }
    }

    struct ResetCreation: Decodable {
        let type: String
        let path: String?
        let force: Bool?
    }
}
