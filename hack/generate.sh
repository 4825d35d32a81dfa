#!/usr/bin/env bash
# Regenerates crds/ and docs/reference/ from the Swift types in
# Sources/PlatformAPI. The same test, run without HMCO_UPDATE_GENERATED,
# fails in CI when the committed files are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
HMCO_UPDATE_GENERATED=1 swift test --filter 'PlatformAPITests.GeneratedFilesTests' "$@"
git status --short -- crds docs/reference
