#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run every test (unit tests,
# the SDK's C++17 and standalone-install checks, and integration tests against the real smb-hub
# binary). .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 600 -j"$(nproc)"
