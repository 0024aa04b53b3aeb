#!/usr/bin/env bash
# Front-door benchmark (not a test): authenticated `GET /api/integrations` requests per second
# on the real smb-hub, beside nginx serving the same bytes as a static file on this machine in
# the same run — first alone, then with IDLE (5,000) idle connections held open against each,
# then the latency of one client while SLOW (500) slowloris connections trickle their heads.
# docs/performance.md ("The front door") records the numbers.
#
#   bench/front-door.sh [BUILD_DIR]     # BUILD_DIR defaults to $BUILD_DIR, then <repo>/build
#
# Knobs: WRK_SECONDS=10 WRK_CONNECTIONS=64 WRK_THREADS=1 IDLE=5000 SLOW=500
#        OUT_DIR=/tmp/smb-hub-bench-results SKIP_BUILD=1
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
IDLE=${IDLE:-5000}
SLOW=${SLOW:-500}
OUT_DIR=${OUT_DIR:-/tmp/smb-hub-bench-results}

log() { printf '[front-door %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building in $BUILD_DIR"
  [ -f "$BUILD_DIR/build.ninja" ] || [ -f "$BUILD_DIR/Makefile" ] ||
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target smb-hub plugin_webhook hold_connections >/dev/null
fi
HUB_BIN=$BUILD_DIR/bin/smb-hub
HOLD_BIN=$BUILD_DIR/bin/hold_connections
[ -x "$HUB_BIN" ] && [ -x "$HOLD_BIN" ] || die "no $HUB_BIN or $HOLD_BIN"

# Thousands of sockets on each side: raise this shell's (and so its children's) descriptor limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((IDLE * 2 + 2048)) ] ||
  die "open-file limit $(ulimit -n) is too low for IDLE=$IDLE (raise the hard limit)"

TMP=$(mktemp -d /tmp/smb-hub-front-door.XXXXXX)
mkdir -p "$OUT_DIR"
PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  cp "$TMP/hub.log" "$OUT_DIR/front-door-hub.log" 2>/dev/null || true
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the hub ---------------------------------------------------------------------------------------
ADMIN=bench-admin-token-0123456789abcdef
cat > "$TMP/hub.yaml" <<EOF
server: { listen: "127.0.0.1:0", drain_delay: "0s" }  # no load balancer to warn: stop at once
database: { url: "sqlite:$TMP/hub.db" }
plugins: { dir: "$BUILD_DIR/plugins", enabled: [webhook] }
auth: { admin_token: "$ADMIN", session_secret: "bench-session-secret-0123456789abcdef" }
secrets: { key: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" }
delivery: { allow_private_networks: true }
api: { rate_limit_per_second: 1000000000, rate_limit_burst: 100000000 }
log: { level: information }
EOF
"$HUB_BIN" serve --config "$TMP/hub.yaml" >"$TMP/hub.log" 2>&1 &
PIDS+=($!)
HUB_PID=$!
HUB_PORT=""
for _ in $(seq 100); do
  HUB_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/hub.log" | head -1)
  [ -n "$HUB_PORT" ] && break
  kill -0 "$HUB_PID" 2>/dev/null || die "smb-hub exited: $(tail -3 "$TMP/hub.log")"
  sleep 0.1
done
[ -n "$HUB_PORT" ] || die "smb-hub did not listen"
HUB=http://127.0.0.1:$HUB_PORT
KEY=$(curl -s -X POST "$HUB/api/admin/accounts" -H "Authorization: Bearer $ADMIN" \
        -H 'Content-Type: application/json' -d '{"name":"Bench","plan":"pro"}' | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')
[ -n "$KEY" ] || die "could not create an account"
for i in 1 2 3; do
  curl -s -o /dev/null -X POST "$HUB/api/integrations/webhook" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' \
    -d "{\"provider\":\"webhook\",\"displayName\":\"Hook $i\",\"targetUrl\":\"https://localhost/hook/$i\",\"events\":[\"lead.created\"]}"
done
curl -s "$HUB/api/integrations" -H "Authorization: Bearer $KEY" > "$TMP/integrations.json"
[ "$(grep -o '"id":"int_' "$TMP/integrations.json" | wc -l)" = 3 ] || die "GET /api/integrations: $(head -c 200 "$TMP/integrations.json")"

# ---- nginx with the same bytes as a static file ---------------------------------------------------------
mkdir -p "$TMP/www/api" && cp "$TMP/integrations.json" "$TMP/www/api/integrations"
temp_dirs=""
for kind in client-body proxy fastcgi uwsgi scgi; do
  if "$NGINX" -V 2>&1 | grep -q -- "--http-$kind-temp-path"; then
    mkdir -p "$TMP/nginx-$kind"; temp_dirs+="  ${kind//-/_}_temp_path $TMP/nginx-$kind;"$'\n'
  fi
done
NGINX_PORT=$((20000 + RANDOM % 30000))
cat > "$TMP/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile $((IDLE * 2 + 1024));
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
$([ "$(id -u)" -eq 0 ] && echo "user root root;")
events { worker_connections $((IDLE + 1024)); }
http {
  access_log off;
$temp_dirs
  keepalive_timeout 120s;
  keepalive_requests 10000000;
  client_header_timeout 10s;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    root $TMP/www;
    default_type application/json;
  }
}
EOF
"$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log" >"$TMP/nginx.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do curl -s --max-time 1 "http://127.0.0.1:$NGINX_PORT/api/integrations" >/dev/null && break; sleep 0.1; done
cmp -s <(curl -s "http://127.0.0.1:$NGINX_PORT/api/integrations") "$TMP/integrations.json" ||
  die "nginx does not serve the file: $(tail -2 "$TMP/nginx-error.log")"

# ---- measurements -------------------------------------------------------------------------------------
# wrk → "requests/s p50 p99" (latencies in ms)
measure() {  # measure URL CONNECTIONS [header]
  local url=$1 connections=$2 out
  if [ $# -ge 3 ]; then
    out=$(wrk -t"$WRK_THREADS" -c"$connections" -d"${WRK_SECONDS}s" --latency -H "$3" "$url")
  else
    out=$(wrk -t"$WRK_THREADS" -c"$connections" -d"${WRK_SECONDS}s" --latency "$url")
  fi
  echo "$out" >> "$OUT_DIR/front-door-wrk.txt"
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  echo "$rps req/s, p50 $p50, p99 $p99${errors:+, $errors}"
}
hold() {  # hold PORT N MODE → pid of the holder, once holding
  "$HOLD_BIN" 127.0.0.1 "$1" "$2" "$3" > "$TMP/hold-$1-$3.out" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 300); do grep -q holding "$TMP/hold-$1-$3.out" && break; sleep 0.1; done
  log "$(head -1 "$TMP/hold-$1-$3.out") $3 connections to port $1"
  echo "$pid"
}

: > "$OUT_DIR/front-door-wrk.txt"
AUTH="Authorization: Bearer $KEY"
log "hub and nginx alone ($WRK_CONNECTIONS connections, ${WRK_SECONDS}s each)"
HUB_ALONE=$(measure "$HUB/api/integrations" "$WRK_CONNECTIONS" "$AUTH")
NGINX_ALONE=$(measure "http://127.0.0.1:$NGINX_PORT/api/integrations" "$WRK_CONNECTIONS")

log "with $IDLE idle connections held against each"
HOLDER=$(hold "$HUB_PORT" "$IDLE" idle)
HUB_OPEN=$(ls /proc/"$HUB_PID"/fd | wc -l)
HUB_IDLE=$(measure "$HUB/api/integrations" "$WRK_CONNECTIONS" "$AUTH")
HUB_RSS=$(awk '/VmRSS/ {print $2 " " $3}' /proc/"$HUB_PID"/status)
kill "$HOLDER"; sleep 1
HOLDER=$(hold "$NGINX_PORT" "$IDLE" idle)
NGINX_IDLE=$(measure "http://127.0.0.1:$NGINX_PORT/api/integrations" "$WRK_CONNECTIONS")
kill "$HOLDER"; sleep 1

log "one client while $SLOW slowloris connections trickle their heads at the hub"
HOLDER=$(hold "$HUB_PORT" "$SLOW" trickle)
HUB_SLOW=$(measure "$HUB/api/integrations" 1 "$AUTH")
kill "$HOLDER"; sleep 1
HUB_ONE=$(measure "$HUB/api/integrations" 1 "$AUTH")

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)   machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "hub commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "GET /api/integrations (3 integrations, $(wc -c < "$TMP/integrations.json") bytes), wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_SECONDS}s:"
  echo "  smb-hub alone:                  $HUB_ALONE"
  echo "  nginx static file alone:        $NGINX_ALONE"
  echo "  smb-hub, $IDLE idle connections: $HUB_IDLE   (hub descriptors open: $HUB_OPEN, RSS $HUB_RSS)"
  echo "  nginx, $IDLE idle connections:   $NGINX_IDLE"
  echo "one client (wrk -c1):"
  echo "  smb-hub alone:                  $HUB_ONE"
  echo "  smb-hub, $SLOW slowloris:        $HUB_SLOW"
} | tee "$OUT_DIR/front-door.txt"
