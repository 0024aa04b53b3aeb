#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the hub with
# config/hub.yaml on an embedded SQLite database (data/hub.db). Extra arguments go to
# `smb-hub serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/smb-hub serve --config config/hub.yaml "$@"
