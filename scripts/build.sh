#!/usr/bin/env bash
# Configures and builds everything, tests included, into build/ (RelWithDebInfo), with warnings
# as errors (SMBHUB_WERROR=ON: the project's code is kept warning-free). Uses ccache when it is
# installed, only to rebuild faster; nothing needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=""
command -v ccache >/dev/null 2>&1 && launcher=ccache
# An empty launcher is passed too, so a build/ configured while ccache was installed still
# builds after it is removed.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMBHUB_WERROR=ON \
      -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" >/dev/null
cmake --build build -j"$(nproc)"
