import KubeAPI

extension DataBranch {
    /// lakeFS's rule for branch names.
    static let branchNamePattern = "^[A-Za-z0-9_][-A-Za-z0-9_]*$"

    public static var specSchema: APISchema {
        CommonSchema.spec(
            "The lakeFS branch to maintain and how it is merged and rolled back.",
            [
                "repository": .object(
                    "The lakeFS repository holding the branch.",
                    [
                        "name": .string("Repository name. Immutable.")
                            .pattern("^[a-z0-9][a-z0-9-]{2,62}$").immutable("repository.name is immutable").required(),
                        "create": .boolean(
                            "Create the repository when it does not exist. When false, a missing repository stalls the object."
                        ).withDefault(false),
                        "storageNamespace": .string(
                            "Where a repository the operator creates stores its objects, e.g. s3://hmco-lake/curated. Required when create is true."
                        ).pattern("^[a-z0-9]+://.+$").length(max: 1024),
                        "defaultBranch": .string("Default branch of a repository the operator creates.")
                            .pattern(branchNamePattern).length(max: 256).withDefault("main"),
                    ]
                )
                .rule(
                    "!self.create || has(self.storageNamespace)",
                    message: "storageNamespace is required when create is true"
                )
                .required(),
                "branch": .string("The branch to maintain. Immutable.")
                    .pattern(branchNamePattern).length(max: 256).immutable("branch is immutable").required(),
                "sourceRef": .string(
                    "The ref (branch, tag or commit id) the branch is created from; defaults to the repository's default branch. Read only when the branch is created."
                ).length(min: 1, max: 256),
                "protected": .boolean(
                    "Add a lakeFS branch-protection rule for this branch, so it changes only through merges. lakeFS does not delete a protected branch: with deletionPolicy Delete, deleting the object waits (Stalled=True, reason DeletionBlocked) until protected is set to false; the operator then removes its rule and deletes the branch."
                ).withDefault(false),
                "merge": .object(
                    "The data pull request: merging this branch into a target branch once its quality gates (the repository's pre-merge hooks) pass.",
                    [
                        "into": .string("The target branch, e.g. prod.").pattern(branchNamePattern).length(max: 256)
                            .required(),
                        "trigger": .enumeration(
                            "Auto merges whenever the branch head has commits the target lacks and the quality gates pass; a failed gate is retried only when the head moves or on request. OnRequest merges only when request carries a new id.",
                            MergeTrigger.self
                        ).withDefault(.string(MergeTrigger.auto.rawValue)),
                        "strategy": .enumeration(
                            "How conflicts are resolved. Default: any conflict stops the merge. DestWins keeps the target's version; SourceWins takes this branch's.",
                            MergeStrategy.self
                        ).withDefault(.string(MergeStrategy.default.rawValue)),
                        "message": .string("Message of the merge commit; defaults to one naming this object.")
                            .length(max: 4096),
                        "metadata": .stringMap("Metadata of the merge commit.").maxProperties(64),
                        "squash": .boolean("Squash the branch's commits into a single commit on the target.")
                            .withDefault(false),
                        "pollInterval": CommonSchema.duration(
                            "How often the operator looks for new commits on the branch head (lakeFS has no watch); between 10s and 1h, jittered."
                        ).withDefault("1m"),
                        "request": .object(
                            "A one-shot merge: merges now when trigger is OnRequest, or retries after a failed quality gate when trigger is Auto. Set a new id to ask again.",
                            ["id": CommonSchema.requestID("Identifies the request.")]),
                    ]),
                "rollbackRequest": .object(
                    "A one-shot rollback of this branch, carried out once per id: revert one commit, or reset the branch to a commit.",
                    [
                        "id": CommonSchema.requestID("Identifies the request; set a new id to ask again."),
                        "revert": .object(
                            "Add a commit that undoes a commit.",
                            [
                                "commit": .string("The commit to undo.").pattern(Patterns.commitID).required(),
                                "parentNumber": .integer(
                                    "For a merge commit, which parent is the mainline (1-based); 1 for ordinary commits."
                                ).range(min: 1).withDefault(1),
                            ]),
                        "reset": .object(
                            "Move the branch head back to a commit, dropping the commits after it.",
                            ["commit": .string("The commit to reset to.").pattern(Patterns.commitID).required()]),
                    ]
                ).rule("has(self.revert) != has(self.reset)", message: "exactly one of revert or reset must be set"),
                "lakeFS": CommonSchema.serviceEndpoint(
                    "How to reach lakeFS. With basic auth the username is the access key id and the password the secret access key.",
                    backend: "lakeFS"),
            ],
            defaultDeletionPolicy: defaultDeletionPolicy,
            deletionEffect: "delete the branch, but never the repository's default branch nor a branch still protected: deletion then waits (Stalled=True, reason DeletionBlocked) with a message saying how to go on (set protected to false, or deletionPolicy to Retain)."
        )
        .rule("!has(self.merge) || self.merge.into != self.branch", message: "merge.into must differ from branch")
        .rule("!has(self.sourceRef) || self.sourceRef != self.branch", message: "sourceRef must differ from branch")
    }

    public static var statusSchema: APISchema {
        CommonSchema.status(
            "The observed state of the branch.",
            [
                "handledRequests": CommonSchema.handledRequests,
                "headCommit": .string("The commit the branch head points at.").length(max: 64),
                "sourceCommit": .string("The commit the branch was created from.").length(max: 64),
                "lastMerge": .object(
                    "The last successful merge into the target.",
                    [
                        "into": .string("The target branch.").required(),
                        "sourceCommit": .string("The branch head that was merged.").required(),
                        "commit": .string("The merge commit on the target.").required(),
                        "time": .dateTime("When the merge finished.").required(),
                        "requestID": .string("The merge request id, when the merge was requested."),
                    ]),
                "lastRollback": .object(
                    "The last rollback request carried out.",
                    [
                        "id": .string("The request id.").required(),
                        "action": .enumeration("Revert or Reset.", RollbackAction.self).required(),
                        "commit": .string("The commit reverted, or reset to.").required(),
                        "resultCommit": .string("The branch head afterwards."),
                        "outcome": .enumeration("Succeeded or Failed.", HandledRequest.Outcome.self).required(),
                        "message": .string("What happened.").length(max: 4096),
                        "time": .dateTime("When the rollback finished.").required(),
                    ]),
                "qualityGate": .object(
                    "The verdict of the pre-merge hooks on the last merge attempt.",
                    [
                        "result": .enumeration("Passed or Failed.", QualityGateVerdict.self).required(),
                        "commit": .string("The branch head the hooks ran against.").required(),
                        "runID": .string("The lakeFS action run id, for `lakectl actions runs describe`."),
                        "failedHook": .string("The id of the hook that failed."),
                        "message": .string("The first lines of the failed hook's output, or lakeFS's message.")
                            .length(max: 4096),
                        "time": .dateTime("When the hooks ran.").required(),
                    ]),
                "lastMergeAttempt": .object(
                    "The last merge attempt, successful or not. A failed attempt is not repeated for the same branch head unless a merge request asks for it.",
                    [
                        "sourceCommit": .string("The branch head the attempt merged.").required(),
                        "outcome": .enumeration("How the attempt ended.", MergeAttemptOutcome.self).required(),
                        "message": .string("The gate's verdict, the conflicting paths or lakeFS's message.").length(max: 4096),
                        "requestID": .string("The merge request id, when the attempt was requested."),
                        "time": .dateTime("When the attempt finished.").required(),
                    ]),
                "protectionApplied": .boolean(
                    "Whether the operator added the branch-protection rule; it removes only a rule it added."),
            ])
    }
}
