#!/usr/bin/env bash
# Builds the package and runs every test. Installs what the tests need on a
# fresh Debian machine (kubectl is expected on PATH, PostgreSQL's server binaries
# on PATH or under /usr/lib/postgresql; both are installed from Debian's packages
# when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

need_kubectl() { ! command -v kubectl >/dev/null 2>&1; }
if need_kubectl; then
  echo "kubectl not found; installing it from Debian's packages" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq kubectl >/dev/null
fi
# PostgreSQL's server binaries, for the DebeziumSignals tests (Debian puts them under /usr/lib/postgresql/<ver>/bin).
need_postgres() { ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
if need_postgres; then
  echo "PostgreSQL's initdb not found; installing it from Debian's packages" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not on PATH (expected Swift 6.x toolchain, e.g. /opt/swift/usr/bin)" >&2
  exit 1
fi

swift build --build-tests
# One process runs every suite; Swift Testing runs tests in parallel.
swift test --skip-build
