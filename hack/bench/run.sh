#!/usr/bin/env bash
# Runs the benchmarks behind docs/benchmarks.md on a release build.
#   hack/bench/run.sh                  # both, default sizes (10,000 objects; 1,000 DataBranches)
#   hack/bench/run.sh control-plane --objects 2000
#   hack/bench/run.sh databranches --count 200 --workers 8
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product hmco-bench >&2
bin="$(swift build -c release --show-bin-path)/hmco-bench"
if [ $# -gt 0 ]; then exec "$bin" "$@"; fi
echo "## control plane"; "$bin" control-plane
echo; echo "## DataBranch controller"; "$bin" databranches
