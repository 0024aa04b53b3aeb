#!/usr/bin/env bash
# Installs the Debian 12 packages the hub needs to build, run and test — only the missing ones.
# Usage: scripts/install-deps.sh [extra-package …]
set -euo pipefail

# Each line says who needs it (the CMake files and the test support code are the reference).
packages=(
  g++ cmake ninja-build pkg-config      # the toolchain (scripts/build.sh configures with Ninja)
  libpoco-dev                           # Poco: Net, NetSSL, Util, JSON, JWT, Crypto, Data (+SQLite, PostgreSQL)
  libpq-dev                             # find_package(PostgreSQL): libpq under Poco::DataPostgreSQL
  libboost-dev libboost-filesystem-dev  # Boost.Asio/Beast (HTTP in and out), Boost.DLL (plugin loading)
  libyaml-cpp-dev                       # the configuration file
  libssl-dev                            # find_package(OpenSSL): TLS, HMAC, AES-GCM
  libsqlite3-dev                        # find_package(SQLite3): the embedded database
  libgtest-dev libgmock-dev             # GTest::gtest and GTest::gmock (tests/CMakeLists.txt)
  openssl                               # the tests make their CA and certificates with the CLI
  nodejs                                # runs signature verifiers (the seed's Node.js snippet) in the tests
  python3                               # runs the Python verification snippets of docs/signatures.md in the tests
  postgresql                            # the tests run every database test on a throwaway PostgreSQL 15 server too
  clang libc++-dev libc++abi-dev        # the tests build a plugin with clang++ on LLVM's libc++ (plugin ABI 2)
  libclang-rt-14-dev                    # clang's sanitizer and libFuzzer runtimes (scripts/ci-sanitizers.sh)
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- Browser tests of the dashboard (tests/browser, issue 14) ---------------------------------
# Debian's chromium (the tests never download a browser), Debian's npm when Node.js came without
# one (NodeSource's nodejs carries its own npm and conflicts with Debian's), and the npm packages
# pinned in tests/browser/package-lock.json (playwright-core 1.55.x: it runs on Debian's Node 18).
# fonts-dejavu-core: a headless Chromium needs at least one font to lay text out (the page asks
# for system-ui; Chromium only recommends fonts, and --no-install-recommends skips them).
browser_missing=()
for p in chromium fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || browser_missing+=("$p")
done
command -v npm >/dev/null 2>&1 || browser_missing+=(npm)
if [ ${#browser_missing[@]} -gt 0 ]; then
  echo "installing: ${browser_missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${browser_missing[@]}"
fi
browser_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
locked=$(node -p "require('$browser_dir/package-lock.json').packages['node_modules/playwright-core'].version")
installed=$(node -p "try { require('$browser_dir/node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$locked" != "$installed" ]; then
  echo "installing the browser tests' npm packages (playwright-core $locked)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$browser_dir" --no-audit --no-fund --loglevel=error
fi

# --- Receivers' verifier libraries (tests/receivers, issue 13) ---------------------------------
# The npm packages a receiver verifies deliveries with, pinned in tests/receivers/package-lock.json
# and run by the integration tests against real deliveries: standardwebhooks, svix 1.x (2.x needs
# Node 22; Debian 12 has 18) and stripe (stripe-node). npm came with the browser block above.
receivers_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/receivers"
receivers_stale=()
for pkg in standardwebhooks svix stripe; do
  locked=$(node -p "require('$receivers_dir/package-lock.json').packages['node_modules/$pkg'].version")
  installed=$(node -p "try { require('$receivers_dir/node_modules/$pkg/package.json').version } catch (e) { '' }")
  [ "$locked" = "$installed" ] || receivers_stale+=("$pkg@$locked")
done
if [ ${#receivers_stale[@]} -gt 0 ]; then
  echo "installing the receiver verifiers' npm packages (${receivers_stale[*]})"
  npm ci --prefix "$receivers_dir" --no-audit --no-fund --loglevel=error
fi

# --- The OpenAPI document's judges (tests/openapi, issue 12) -----------------------------------
# @redocly/cli 1.34.x lints docs/openapi.json (2.x needs Node 20.19+; Debian 12 has 18), ajv and
# ajv-formats validate the tests' recorded answers against it; all pinned in
# tests/openapi/package-lock.json. Reinstalled only when what is installed differs from the lock.
openapi_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/openapi"
if ! node -e '
  const dir = process.argv[1];
  const lock = require(dir + "/package-lock.json").packages;
  for (const name of ["@redocly/cli", "ajv", "ajv-formats", "jsep"]) {
    let installed = "";
    try { installed = require(dir + "/node_modules/" + name + "/package.json").version; } catch (e) {}
    if (installed !== lock["node_modules/" + name].version) process.exit(1);
  }' "$openapi_dir"; then
  echo "installing the OpenAPI tests' npm packages (tests/openapi/package-lock.json)"
  npm ci --prefix "$openapi_dir" --no-audit --no-fund --loglevel=error
fi
