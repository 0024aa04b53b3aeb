#!/usr/bin/env bash
# Installs the Debian 12 packages the hub needs to build, run and test — only the missing ones.
# Usage: scripts/install-deps.sh [extra-package …]
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config openssl
  libpoco-dev libpq-dev libboost-dev libboost-filesystem-dev libyaml-cpp-dev libssl-dev
  libgtest-dev googletest
  nodejs            # runs the seed's signature-verification snippet in the tests
  postgresql        # the tests run every database test on a throwaway PostgreSQL 15 server too
  clang libc++-dev libc++abi-dev  # the tests build a plugin with clang++ on LLVM's libc++ (plugin ABI 2)
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
