#!/usr/bin/env bash
# SPEC §2, command 2: install what is missing, build, and run every test (unit tests, the SDK's
# C++17 check, and integration tests against the real smb-hub binary). .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 600 -j"$(nproc)"
