#!/usr/bin/env bash
# Render-path benchmark (not a test): what one render of the webhook plugin costs across the
# plugin boundary with ABI 1 (C++ objects crossing, main at d560732) and with ABI 2 (only C
# crossing), in the same run. docs/performance.md explains the numbers.
#
#   bench/render.sh [BUILD_DIR]       # BUILD_DIR defaults to $BUILD_DIR, then <repo>/build
#
# Steps: install valgrind if missing; build render_bench and the ABI 2 webhook plugin in
# BUILD_DIR (SKIP_BUILD=1 skips this); take the ABI 1 SDK headers and webhook plugin from
# ABI1_COMMIT with `git archive` and compile that plugin with the same compiler and flags as
# BUILD_DIR's in-tree plugins (RelWithDebInfo: -O2 -g, hidden visibility); then
#   1. wall clock: ROUNDS rounds of ITERATIONS renders per ABI, interleaved (median, fastest);
#   2. instructions: each ABI's render loop alone under callgrind (--toggle-collect), divided
#      by CALLGRIND_ITERATIONS: a count that the machine's load does not change.
#
# Knobs (environment): ITERATIONS=100000 ROUNDS=15 CALLGRIND_ITERATIONS=20000
#   ABI1_COMMIT=d560732 OUT_DIR=/tmp/smb-hub-render-bench
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
ITERATIONS=${ITERATIONS:-100000}
ROUNDS=${ROUNDS:-15}
CALLGRIND_ITERATIONS=${CALLGRIND_ITERATIONS:-20000}
ABI1_COMMIT=${ABI1_COMMIT:-d560732}
OUT_DIR=${OUT_DIR:-/tmp/smb-hub-render-bench}

log() { printf '[render-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

if ! command -v valgrind >/dev/null; then
  log "installing valgrind"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends valgrind
fi

mkdir -p "$OUT_DIR"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    "$ROOT/scripts/install-deps.sh"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  log "building render_bench and plugin_webhook in $BUILD_DIR"
  cmake --build "$BUILD_DIR" -j2 --target render_bench plugin_webhook > "$OUT_DIR/build.log" 2>&1 ||
    die "build failed (full log in $OUT_DIR/build.log):"$'\n'"$(tail -20 "$OUT_DIR/build.log")"
fi
BENCH=$BUILD_DIR/bin/render_bench
ABI2_PLUGIN=$BUILD_DIR/plugins/libsmbhub-webhook.so
[ -x "$BENCH" ] && [ -f "$ABI2_PLUGIN" ] || die "$BENCH or $ABI2_PLUGIN is missing"

# The ABI 1 plugin, from its own commit, built the way smbhub_add_plugin built it then.
CXX=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt")
ABI1_SRC=$OUT_DIR/abi1-src
rm -rf "$ABI1_SRC" && mkdir -p "$ABI1_SRC"
git -C "$ROOT" archive "$ABI1_COMMIT" plugin-sdk/include plugins/webhook | tar -x -C "$ABI1_SRC" ||
  die "cannot read $ABI1_COMMIT from the repository's history"
ABI1_PLUGIN=$OUT_DIR/libsmbhub-webhook-abi1.so
log "building the ABI 1 webhook plugin of $ABI1_COMMIT with $CXX"
"$CXX" -std=c++20 -O2 -g -DNDEBUG -fPIC -fvisibility=hidden -fvisibility-inlines-hidden \
  -I"$ABI1_SRC/plugin-sdk/include" -shared -Wl,--no-undefined \
  "$ABI1_SRC/plugins/webhook/webhook_provider.cpp" -o "$ABI1_PLUGIN"

log "wall clock: $ROUNDS rounds x $ITERATIONS renders per ABI, interleaved"
"$BENCH" --abi1 "$ABI1_PLUGIN" --abi2 "$ABI2_PLUGIN" --iterations "$ITERATIONS" --rounds "$ROUNDS" \
  | tee "$OUT_DIR/wallclock.txt"

instructions() {  # ABI → instructions per render of its loop
  local abi=$1 out="$OUT_DIR/callgrind.abi$1.out"
  valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="*renderLoopAbi${abi}*" \
    "$BENCH" --abi1 "$ABI1_PLUGIN" --abi2 "$ABI2_PLUGIN" --only "$abi" \
    --iterations "$CALLGRIND_ITERATIONS" > "$OUT_DIR/callgrind.abi$abi.log" 2>&1 ||
    die "callgrind failed: $(tail -5 "$OUT_DIR/callgrind.abi$abi.log")"
  local total
  total=$(sed -n 's/^summary: *//p; s/^totals: *//p' "$out" | head -1 | awk '{print $1}')
  [ -n "$total" ] || die "no instruction total in $out"
  awk -v t="$total" -v n="$CALLGRIND_ITERATIONS" 'BEGIN { printf "%.0f", t / n }'
}
log "instructions: $CALLGRIND_ITERATIONS renders per ABI under callgrind"
IR1=$(instructions 1)
IR2=$(instructions 2)
{
  echo "abi1 instructions_per_render $IR1"
  echo "abi2 instructions_per_render $IR2"
} | tee "$OUT_DIR/instructions.txt"
log "results in $OUT_DIR (callgrind_annotate $OUT_DIR/callgrind.abi2.out shows where)"
