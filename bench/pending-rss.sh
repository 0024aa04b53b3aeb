#!/usr/bin/env bash
# Memory benchmark (not a test): the hub's resident memory idle, and with a large backlog of
# pending deliveries: every integration's receiver is down (a local port that refuses every
# connection), so each delivery fails its first attempt and waits, pending, for its retries while
# the rest are published — as when a customer's endpoint is down for a day.
# docs/performance.md reports the figures.
#
#   bench/pending-rss.sh [BUILD_DIR]     # BUILD_DIR defaults to $BUILD_DIR, then <repo>/build
#
# Steps: build smb-hub, the webhook plugin and hub_bench (SKIP_BUILD=1 skips this); start smb-hub on
# SQLite in a temp dir; create an account and INTEGRATIONS webhook integrations whose target is a
# local port nothing listens on; publish EVENTS events with hub_bench (each makes one delivery per
# integration: EVENTS x INTEGRATIONS pending); then BACKLOG_SECONDS more while retries come due and
# fail again. smb-hub's VmRSS is sampled every second throughout (rss.txt).
#
# Knobs (environment): EVENTS=100000 INTEGRATIONS=10 (100,000 x 10 = 1 M pending) CONNECTIONS=8
#   BACKLOG_SECONDS=60 OUT_DIR=/tmp/smb-hub-pending-rss TIME_LIMIT=1800
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
BUILD_DIR=$(mkdir -p "$BUILD_DIR" && cd "$BUILD_DIR" && pwd)
EVENTS=${EVENTS:-100000}
INTEGRATIONS=${INTEGRATIONS:-10}
CONNECTIONS=${CONNECTIONS:-8}
BACKLOG_SECONDS=${BACKLOG_SECONDS:-60}
OUT_DIR=${OUT_DIR:-/tmp/smb-hub-pending-rss}
TIME_LIMIT=${TIME_LIMIT:-1800}

log() { echo "[pending-rss] $*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/*.txt "$OUT_DIR"/hub.log
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j2 --target smb-hub plugin_webhook hub_bench > "$OUT_DIR/build.log" 2>&1 ||
    die "build failed: $(tail -20 "$OUT_DIR/build.log")"
fi
HUB_BIN=$BUILD_DIR/bin/smb-hub
BENCH_BIN=$BUILD_DIR/bin/hub_bench
[ -x "$HUB_BIN" ] && [ -x "$BENCH_BIN" ] || die "no $HUB_BIN or $BENCH_BIN"

TMP=$(mktemp -d /tmp/smb-hub-pending.XXXXXX)
HUB_PID="" SAMPLER_PID="" WATCHDOG_PID=""
cleanup() {
  for pid in "$SAMPLER_PID" "$HUB_PID"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -n "$WATCHDOG_PID" ] && pkill -P "$WATCHDOG_PID" 2>/dev/null; kill "$WATCHDOG_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  cp "$TMP/hub.log" "$OUT_DIR/hub.log" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
# The watchdog's sleep must not hold this script's output open after it ends.
(sleep "$TIME_LIMIT" && kill -TERM $$) </dev/null >/dev/null 2>&1 & WATCHDOG_PID=$!

# A port nothing listens on: bind one, note it, let it go.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
CLOSED_PORT=$(free_port)
# log.level warning: at information the hub logs every failed attempt, a million lines here. So the
# hub cannot announce its port: it gets one chosen here.
HUB_PORT=$(free_port)
ADMIN_TOKEN=$(openssl rand -hex 24)
cat > "$TMP/hub.yaml" <<EOF
server:
  listen: "127.0.0.1:$HUB_PORT"
  drain_delay: "0s"
database:
  url: "sqlite:$TMP/hub.db"
plugins:
  dir: "$BUILD_DIR/plugins"
  enabled: [webhook]
auth:
  admin_token: "$ADMIN_TOKEN"
  session_secret: "$(openssl rand -hex 32)"
delivery:
  timeout_ms: 10000
  allow_private_networks: true
secrets:
  key: "$(openssl rand -base64 32)"
log:
  level: warning
EOF
env ${HUB_LD_PRELOAD:+LD_PRELOAD="$HUB_LD_PRELOAD"} "$HUB_BIN" serve --config "$TMP/hub.yaml" > "$TMP/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 200); do
  curl -sf "http://127.0.0.1:$HUB_PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$HUB_PID" 2>/dev/null || die "smb-hub exited: $(tail -5 "$TMP/hub.log")"
  sleep 0.1
done
curl -sf "http://127.0.0.1:$HUB_PORT/healthz" >/dev/null || die "smb-hub does not answer on $HUB_PORT"
HUB=http://127.0.0.1:$HUB_PORT

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$HUB_PID/status"; }
phase() { echo "$1" > "$TMP/phase"; }
phase idle
( start=$(date +%s); while kill -0 "$HUB_PID" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(cat "$TMP/phase") $(rss_kib)"; sleep 1
  done ) > "$OUT_DIR/rss.txt" 2>/dev/null &
SAMPLER_PID=$!

api() {  # api METHOD PATH TOKEN [BODY]
  curl -sS --max-time 30 -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} "$HUB$2"
}
sleep 5
IDLE_KIB=$(rss_kib)
ACCOUNT_JSON=$(api POST /api/admin/accounts "$ADMIN_TOKEN" '{"name":"bench","plan":"pro"}')
ACCOUNT_ID=$(grep -o '"id":"acc_[a-z0-9]*"' <<<"$ACCOUNT_JSON" | cut -d'"' -f4)
API_KEY=$(grep -o '"apiKey":"smbk_[^"]*"' <<<"$ACCOUNT_JSON" | cut -d'"' -f4)
[ -n "$ACCOUNT_ID" ] && [ -n "$API_KEY" ] || die "cannot create the account: $ACCOUNT_JSON"
IDS=()
for i in $(seq "$INTEGRATIONS"); do
  created=$(api POST /api/integrations/webhook "$API_KEY" \
    "{\"provider\":\"webhook\",\"displayName\":\"down $i\",\"targetUrl\":\"https://localhost:$CLOSED_PORT/sink\",\"events\":[\"lead.created\"]}")
  id=$(grep -o '"id":"int_[a-z0-9]*"' <<<"$created" | head -1 | cut -d'"' -f4)
  [ -n "$id" ] || die "cannot create integration $i: $created"
  IDS+=("$id")
done

phase publishing
log "publishing $EVENTS events to $INTEGRATIONS integrations whose receiver is down"
"$BENCH_BIN" --hub "$HUB" --admin-token "$ADMIN_TOKEN" --account "$ACCOUNT_ID" --api-key "$API_KEY" \
  --events "$EVENTS" --connections "$CONNECTIONS" --publish-only --label backlog > "$OUT_DIR/publish.txt" ||
  die "publishing failed: $(cat "$OUT_DIR/publish.txt")"
phase backlog
sleep "$BACKLOG_SECONDS"
PENDING=0
for id in "${IDS[@]}"; do
  n=$(api GET "/api/integrations/$id" "$API_KEY" | grep -o '"pending":[0-9]*' | head -1 | cut -d: -f2)
  PENDING=$((PENDING + ${n:-0}))
done
BACKLOG_KIB=$(rss_kib)
DB_MIB=$(du -sm "$TMP" | cut -f1)

awk -v idle="$IDLE_KIB" -v last="$BACKLOG_KIB" -v pending="$PENDING" -v db="$DB_MIB" '
  { if ($3 > max[$2]) max[$2] = $3 }
  END {
    printf "smb-hub VmRSS (MiB): idle %.1f; while publishing, peak %.1f; with %d deliveries pending, peak %.1f, at the end %.1f\n",
      idle / 1024, max["publishing"] / 1024, pending, max["backlog"] / 1024, last / 1024
    printf "database and temp files: %d MiB\n", db
  }' "$OUT_DIR/rss.txt" | tee "$OUT_DIR/summary.txt"
tee -a "$OUT_DIR/summary.txt" < "$OUT_DIR/publish.txt"
