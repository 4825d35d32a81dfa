#!/usr/bin/env bash
# Runs the benchmarks behind docs/benchmarks.md on a release build.
#   hack/bench/run.sh                  # all, default sizes (10,000 objects; 1,000 DataBranches; 1,000 SchemaContracts; 500 CDCConnectors)
#   hack/bench/run.sh control-plane --objects 2000
#   hack/bench/run.sh databranches --count 200 --workers 8
#   hack/bench/run.sh schema-check --fields 200 --versions 10
#   hack/bench/run.sh schemacontracts --count 1000 --flavor karapace
#   hack/bench/run.sh cdcconnectors --count 500
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product hmco-bench >&2
bin="$(swift build -c release --show-bin-path)/hmco-bench"
if [ $# -gt 0 ]; then exec "$bin" "$@"; fi
echo "## control plane"; "$bin" control-plane
echo; echo "## DataBranch controller"; "$bin" databranches
echo; echo "## schema compatibility checker"; "$bin" schema-check
echo; echo "## SchemaContract controller"; "$bin" schemacontracts
echo; echo "## CDCConnector controller"; "$bin" cdcconnectors
