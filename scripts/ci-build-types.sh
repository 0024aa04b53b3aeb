#!/usr/bin/env bash
# CI: the build types a packager or user may pick besides the one the tests use (scripts/build.sh
# builds RelWithDebInfo), built with the system compiler, warnings as errors, tests off — each in
# its own folder, build-<type>/. Optimisation levels differ in the warnings GCC reports (-O3 in
# Release finds some that -O2 does not), so each one must build on its own.
# Usage: scripts/ci-build-types.sh [TYPE …]      (default: Release Debug)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
types=("$@")
[ ${#types[@]} -gt 0 ] || types=(Release Debug)
launcher=""
command -v ccache >/dev/null 2>&1 && launcher=ccache
for type in "${types[@]}"; do
  dir="build-$(echo "$type" | tr '[:upper:]' '[:lower:]')"
  echo "== $type build in $dir/"
  SECONDS=0
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DSMBHUB_WERROR=ON \
        -DBUILD_TESTING=OFF -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
  echo "== $type built in ${SECONDS}s"
done
