#!/usr/bin/env bash
# Database outage benchmark (not a test): what a long PostgreSQL outage costs the real smb-hub —
# resident memory over time, log lines, requests refused — and how soon it accepts again after the
# database is back. docs/performance.md ("Database outages") has the results.
#
#   bench/outage.sh [BUILD_DIR]       # BUILD_DIR defaults to $BUILD_DIR, then <repo>/build
#
# Steps: build smb-hub and the webhook plugin (SKIP_BUILD=1 skips this); start a throwaway
# PostgreSQL 15 (tests/postgres/sandbox.sh) and a plain-HTTP receiver that answers 200 after
# RECEIVER_DELAY; start smb-hub on it with two webhook integrations; publish RATE events a second
# for the whole run (one curl each); after WARMUP seconds take the database away (MODE=stop: a
# fast shutdown; MODE=freeze: SIGSTOP, a server that hangs) for OUTAGE seconds, then bring it
# back and keep going for AFTER seconds. Every SAMPLE seconds: the hub's VmRSS, its log lines and
# the answers so far, into rss.csv. Prints a summary (summary.txt).
#
# Knobs (environment): OUTAGE=1800 MODE=stop WARMUP=60 AFTER=60 SAMPLE=10 RATE=10 RECEIVER_DELAY=0.5
#   HUB_BIN (another smb-hub binary, e.g. an older build, to compare; its plugins from BUILD_DIR)
#   OUT_DIR=/tmp/smb-hub-outage-results
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
OUTAGE=${OUTAGE:-1800}
MODE=${MODE:-stop}
WARMUP=${WARMUP:-60}
AFTER=${AFTER:-60}
SAMPLE=${SAMPLE:-10}
RATE=${RATE:-10}
RECEIVER_DELAY=${RECEIVER_DELAY:-0.5}
OUT_DIR=${OUT_DIR:-/tmp/smb-hub-outage-results}

log() { printf '[outage %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
case "$MODE" in stop | freeze) ;; *) die "MODE must be stop or freeze" ;; esac

need=()
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    "$ROOT/scripts/install-deps.sh"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  log "building smb-hub and plugin_webhook in $BUILD_DIR"
  cmake --build "$BUILD_DIR" -j2 --target smb-hub plugin_webhook >/dev/null
fi
HUB_BIN=${HUB_BIN:-$BUILD_DIR/bin/smb-hub}
[ -x "$HUB_BIN" ] || die "no $HUB_BIN"
[ -f "$BUILD_DIR/plugins/libsmbhub-webhook.so" ] || die "no webhook plugin in $BUILD_DIR/plugins"

TMP=$(mktemp -d /tmp/smb-hub-outage.XXXXXX)
chmod 755 "$TMP"
mkdir -p "$OUT_DIR"
rm -f "$OUT_DIR"/summary.txt "$OUT_DIR"/rss.csv "$OUT_DIR"/hub.log
PG_STATE=$TMP/pg.env HUB_PID="" RECEIVER_PID="" PUBLISHER_PID="" FROZEN=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ "$FROZEN" = 1 ] && "$ROOT/tests/postgres/sandbox.sh" thaw "$PG_STATE" 2>/dev/null || true
  for pid in "$PUBLISHER_PID" "$HUB_PID" "$RECEIVER_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "$PUBLISHER_PID" "$HUB_PID" "$RECEIVER_PID"; do
    [ -z "$pid" ] && continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  cp "$TMP/hub.log" "$OUT_DIR/" 2>/dev/null || true
  "$ROOT/tests/postgres/sandbox.sh" stop "$PG_STATE" 2>/dev/null || true
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- PostgreSQL and the receiver ---------------------------------------------------------------
"$ROOT/tests/postgres/sandbox.sh" start "$PG_STATE" >/dev/null
# shellcheck disable=SC1090
. "$PG_STATE"
/usr/lib/postgresql/15/bin/psql -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE DATABASE hub" >/dev/null
RECEIVER_PORT=$(free_port)
cat >"$TMP/receiver.py" <<EOF
import http.server, socketserver, time
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep($RECEIVER_DELAY)
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args): pass
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
Server(("127.0.0.1", $RECEIVER_PORT), Handler).serve_forever()
EOF
python3 "$TMP/receiver.py" &
RECEIVER_PID=$!

# ---- the hub -----------------------------------------------------------------------------------
HUB_PORT=$(free_port)
ADMIN=outage-bench-admin-token-$RANDOM$RANDOM
cat >"$TMP/hub.yaml" <<EOF
server: { listen: "127.0.0.1:$HUB_PORT", drain_delay: "0s" }  # no load balancer to warn: stop at once
database: { url: "postgresql://postgres@127.0.0.1:$PORT/hub" }
plugins: { dir: "$BUILD_DIR/plugins", enabled: [webhook] }
auth: { admin_token: "$ADMIN", session_secret: "outage-bench-session-secret" }
secrets: { key: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" }
delivery: { allow_http: true, allow_private_networks: true }
api: { rate_limit_per_second: 100000, rate_limit_burst: 100000 }
EOF
"$HUB_BIN" serve --config "$TMP/hub.yaml" >"$TMP/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$TMP/hub.log" && break; sleep 0.1; done
grep -q "listening on" "$TMP/hub.log" || die "the hub did not start: $(tail -5 "$TMP/hub.log")"
API=http://127.0.0.1:$HUB_PORT
KEY=$(curl -sf -X POST "$API/api/admin/accounts" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -d '{"name":"Outage bench","plan":"pro"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
for hook in a b; do
  curl -sf -o /dev/null -X POST "$API/api/integrations/webhook" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' \
    -d "{\"provider\":\"webhook\",\"displayName\":\"$hook\",\"targetUrl\":\"http://127.0.0.1:$RECEIVER_PORT/$hook\",\"events\":[\"lead.created\"]}"
done

# ---- the publisher: RATE events a second, each answer's status appended to answers.txt -------
PAUSE=$(python3 -c "print(1 / $RATE)")
(
  body='{"type":"lead.created","data":{"leads":[{"id":"lead_1","businessName":"Bench LLC","email":"a@example.com","state":"TX"}]}}'
  while true; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -X POST "$API/api/events" \
      -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$body" >>"$TMP/answers.txt" || true
    sleep "$PAUSE"
  done
) &
PUBLISHER_PID=$!

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$HUB_PID/status"; }
lines() { wc -l <"$TMP/hub.log"; }
answered() { grep -c "^$1\$" "$TMP/answers.txt" 2>/dev/null || true; }
START=$(date +%s)
echo "seconds,phase,rss_kb,log_lines,answered_202,answered_503,answered_other" >"$OUT_DIR/rss.csv"
sample() {  # PHASE
  local ok refused total
  ok=$(answered 202); refused=$(answered 503); total=$(wc -l <"$TMP/answers.txt" 2>/dev/null || echo 0)
  echo "$(($(date +%s) - START)),$1,$(rss),$(lines),$ok,$refused,$((total - ok - refused))" >>"$OUT_DIR/rss.csv"
}
run_phase() {  # PHASE SECONDS
  local end=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt "$end" ]; do
    kill -0 "$HUB_PID" 2>/dev/null || die "the hub died: $(tail -5 "$TMP/hub.log")"
    sample "$1"
    sleep "$SAMPLE"
  done
}

log "warm-up: ${WARMUP}s with the database up (hub pid $HUB_PID, $RATE events/s)"
run_phase up "$WARMUP"
RSS_START=$(rss) LINES_START=$(lines) REFUSED_START=$(answered 503)
log "outage ($MODE) for ${OUTAGE}s"
if [ "$MODE" = stop ]; then "$ROOT/tests/postgres/sandbox.sh" down "$PG_STATE"; else
  "$ROOT/tests/postgres/sandbox.sh" freeze "$PG_STATE"; FROZEN=1; fi
run_phase down "$OUTAGE"
RSS_END=$(rss) LINES_END=$(lines) REFUSED_END=$(answered 503)
RSS_MAX=$(awk -F, '$2 == "down" && $3 > max {max = $3} END {print max}' "$OUT_DIR/rss.csv")
ACCEPTED_BEFORE=$(answered 202)
if [ "$MODE" = stop ]; then "$ROOT/tests/postgres/sandbox.sh" up "$PG_STATE"; else
  "$ROOT/tests/postgres/sandbox.sh" thaw "$PG_STATE"; FROZEN=0; fi
BACK=$(date +%s.%N)
while [ "$(answered 202)" -le "$ACCEPTED_BEFORE" ]; do sleep 0.05; done
RECOVERED=$(python3 -c "print(round($(date +%s.%N) - $BACK, 2))")
log "accepting again ${RECOVERED}s after the database was back"
run_phase after "$AFTER"
RSS_AFTER=$(rss)

{
  echo "smb-hub $HUB_BIN, database $MODE for ${OUTAGE}s, $RATE publishes/s throughout"
  echo "RSS at the start of the outage: ${RSS_START} kB; at its end: ${RSS_END} kB (max ${RSS_MAX} kB);" \
    "${AFTER}s after: ${RSS_AFTER} kB"
  echo "growth over the outage: $((RSS_END - RSS_START)) kB"
  echo "log lines during the outage: $((LINES_END - LINES_START))"
  echo "requests answered 503 during the outage: $((REFUSED_END - REFUSED_START));" \
    "other than 202/503 in the whole run: $(awk -F, 'END {print $7}' "$OUT_DIR/rss.csv")"
  echo "accepting again ${RECOVERED}s after the database was back"
  echo "log lines written during the outage:"
  sed -n "$((LINES_START + 1)),${LINES_END}p" "$TMP/hub.log"
} | tee "$OUT_DIR/summary.txt"
