#!/usr/bin/env bash
# Delivery benchmark (not a test): how many signed, durably logged deliveries per second the real
# smb-hub makes into a local HTTPS keep-alive sink, with what latency, against the ceiling that
# wrk reaches on the same sink in the same run. docs/performance.md explains the numbers.
#
#   bench/run.sh [BUILD_DIR]          # BUILD_DIR defaults to $BUILD_DIR, then <repo>/build
#
# Steps: install what is missing (wrk, nginx, openssl, curl); build smb-hub, the webhook plugin
# and hub_bench in BUILD_DIR (SKIP_BUILD=1 skips this); make a temp dir with a throwaway CA and a
# "localhost"/127.0.0.1 server certificate; start nginx on its own config (1 worker, `return 200`,
# keep-alive, buffered access log with $msec and X-SMB-Event-Id); measure the ceiling with wrk;
# start smb-hub on a config in the temp dir (SQLite there, ca_file = the test CA, private networks
# allowed); create an account and K webhook integrations pointing at the sink; run hub_bench
# (warm-up, then the full-speed run, then a paced run for latency at moderate load); sample the
# CPU of smb-hub, nginx, hub_bench and the rest of the machine; print a summary; stop everything.
#
# Knobs (environment): EVENTS=2000 INTEGRATIONS=10 CONNECTIONS=8 (publisher connections)
#   DATABASE=sqlite|postgres (postgres: a throwaway PostgreSQL 15 server from
#     tests/postgres/sandbox.sh, durable: fsync and synchronous_commit on)
#   PROCESSES=1 (hub processes sharing the PostgreSQL database; the publisher's connections are
#     spread over them; unless HUB_MAX_IN_FLIGHT is set, each gets 1024 / PROCESSES of it)
#   HUB_POOL_SIZE (database.pool_size; unset = the hub's default)
#   PG_STATS=1 (postgres: load pg_stat_statements and write the statements that cost the server
#     most during the full-speed run to postgres-statements.txt; plans of statements slower than
#     50 ms go to postgres-server.log via auto_explain)
#   PACED_EVENTS=300 PACED_RATE=100 (events/s; 0 skips the paced run) WARMUP_EVENTS=50
#   WRK_SECONDS=10 WRK_CONNECTIONS=64 WRK_THREADS=1 NGINX_WORKERS=1
#   HUB_MAX_IN_FLIGHT HUB_MAX_IN_FLIGHT_PER_INTEGRATION HUB_IO_THREADS HUB_MAX_THREADS
#     (unset = the hub's defaults: delivery.max_in_flight 1024, .._per_integration 128,
#      delivery.io_threads 1, server.max_threads 64)
#   HUB_RETENTION (e.g. 10s: retention.events/attempts/idempotency_keys, run every 5 s, so that it
#     deletes while the bench publishes and delivers; unset = the defaults, which delete nothing here;
#     when set, what it deleted by the end of the full-speed run is printed, from /metrics)
#   PERF=1 (perf record the hub for PERF_SECONDS=5 during the full-speed run; costs some speed)
#   OUT_DIR=/tmp/smb-hub-bench-results (summary.txt, *.json, wrk.txt, hub.log and perf output)
#   QUIET_WAIT=30 QUIET_BUSY=15 (wait up to QUIET_WAIT s for the machine to be under QUIET_BUSY% busy)
#   TIME_LIMIT=240 (seconds for everything after the build; the run is killed past it)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
BUILD_DIR=$(mkdir -p "$BUILD_DIR" && cd "$BUILD_DIR" && pwd)
EVENTS=${EVENTS:-2000}
INTEGRATIONS=${INTEGRATIONS:-10}
CONNECTIONS=${CONNECTIONS:-8}
WARMUP_EVENTS=${WARMUP_EVENTS:-50}
PACED_EVENTS=${PACED_EVENTS:-300}
PACED_RATE=${PACED_RATE:-100}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
NGINX_WORKERS=${NGINX_WORKERS:-1}
PERF=${PERF:-0}
PERF_SECONDS=${PERF_SECONDS:-5}
OUT_DIR=${OUT_DIR:-/tmp/smb-hub-bench-results}
TIME_LIMIT=${TIME_LIMIT:-240}
DATABASE=${DATABASE:-sqlite}
PROCESSES=${PROCESSES:-1}
# Several processes share this one machine, and its one nginx sink: they split the default
# in-flight budget (1024) so that the sink sees the same concurrency as with one process. (Given
# 1024 each, 3 processes keep 3,072 requests open against one nginx worker on 2 cores, and
# responses take longer than the 10 s timeout.)
if [ "$PROCESSES" -gt 1 ] && [ -z "${HUB_MAX_IN_FLIGHT:-}" ]; then HUB_MAX_IN_FLIGHT=$((1024 / PROCESSES)); fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
case "$DATABASE" in
  sqlite) [ "$PROCESSES" = 1 ] || die "PROCESSES=$PROCESSES needs DATABASE=postgres (one process per SQLite file)" ;;
  postgres) ;;
  *) die "DATABASE must be sqlite or postgres" ;;
esac

# ---- tools ----------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
if [ "$PERF" = 1 ] && ! command -v perf >/dev/null; then need+=(linux-perf); fi
if [ "$DATABASE" = postgres ] && [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]; then need+=(postgresql); fi
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# ---- build ----------------------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    "$ROOT/scripts/install-deps.sh"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  log "building smb-hub, plugin_webhook, hub_bench in $BUILD_DIR"
  mkdir -p "$OUT_DIR"
  cmake --build "$BUILD_DIR" -j2 --target smb-hub plugin_webhook hub_bench > "$OUT_DIR/build.log" 2>&1 ||
    die "build failed (full log in $OUT_DIR/build.log):"$'\n'"$(tail -20 "$OUT_DIR/build.log")"
fi
HUB_BIN=$BUILD_DIR/bin/smb-hub
BENCH_BIN=$BUILD_DIR/bin/hub_bench
[ -x "$HUB_BIN" ] || die "no $HUB_BIN"
[ -x "$BENCH_BIN" ] || die "no $BENCH_BIN"
[ -f "$BUILD_DIR/plugins/libsmbhub-webhook.so" ] || die "no webhook plugin in $BUILD_DIR/plugins"

# ---- temp dir, clean-up, time limit -----------------------------------------------------------
TMP=$(mktemp -d /tmp/smb-hub-bench.XXXXXX)
mkdir -p "$OUT_DIR"
# Results of an earlier run must not pass for this one's (the summary includes what it finds).
rm -f "$OUT_DIR"/*.txt "$OUT_DIR"/*.json "$OUT_DIR"/hub*.log "$OUT_DIR"/postgres-* "$OUT_DIR"/perf-hub*
NGINX_PID="" HUB_PID="" WATCHDOG_PID="" SAMPLER_PID="" PERF_PID="" PG_STATE=""
HUB_PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "$PERF_PID" "$SAMPLER_PID" "${HUB_PIDS[@]}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  if [ -n "$NGINX_PID" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; fi
  for pid in "${HUB_PIDS[@]}" "$NGINX_PID" "$PERF_PID" "$SAMPLER_PID"; do
    [ -z "$pid" ] && continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ -n "$WATCHDOG_PID" ]; then
    pkill -P "$WATCHDOG_PID" 2>/dev/null || true
    kill "$WATCHDOG_PID" 2>/dev/null || true
  fi
  cp "$TMP"/hub*.log "$OUT_DIR/" 2>/dev/null || true
  if [ -n "$PG_STATE" ] && [ "${PG_STATS:-0}" = 1 ]; then
    cp "$PG_DATA/server.log" "$OUT_DIR/postgres-server.log" 2>/dev/null || true
  fi
  [ -n "$PG_STATE" ] && "$ROOT/tests/postgres/sandbox.sh" stop "$PG_STATE" 2>/dev/null || true
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
( sleep "$TIME_LIMIT"; echo "[bench] time limit of ${TIME_LIMIT}s reached: stopping"; kill -TERM $$ ) 2>/dev/null &
WATCHDOG_PID=$!

# ---- machine and noise ------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "hub commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
} > "$OUT_DIR/machine.txt"

# ---- certificates -------------------------------------------------------------------------------
log "temp dir $TMP: throwaway CA and localhost certificate"
(
  cd "$TMP"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
    -out ca.pem -days 2 -subj "/CN=smb-hub bench CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
    -out server.csr -subj "/CN=localhost" 2>/dev/null
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
    -days 2 -extfile server.ext 2>/dev/null
)

# ---- nginx sink -----------------------------------------------------------------------------------
write_nginx_conf() {  # $1 = port
  local port=$1 temp_dirs="" listen6=""
  for kind in client-body proxy fastcgi uwsgi scgi; do
    if "$NGINX" -V 2>&1 | grep -q -- "--http-$kind-temp-path"; then
      local directive=${kind//-/_}_temp_path
      mkdir -p "$TMP/nginx-$kind"
      temp_dirs+="  $directive $TMP/nginx-$kind;"$'\n'
    fi
  done
  grep -q ' lo$' /proc/net/if_inet6 2>/dev/null && listen6="    listen [::1]:$port ssl backlog=4096;"
  cat > "$TMP/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
$([ "$(id -u)" -eq 0 ] && echo "user root root;")
events { worker_connections 8192; }
http {
  access_log off;
$temp_dirs
  log_format sink '\$msec \$http_x_smb_event_id \$http_x_smb_delivery \$status \$content_length \$connection \$connection_requests';
  keepalive_timeout 120s;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$port ssl backlog=4096;
$listen6
    server_name localhost;
    ssl_certificate $TMP/server.pem;
    ssl_certificate_key $TMP/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:bench:1m;
    default_type text/plain;
    # The hub's deliveries. /ceiling is the same work for wrk, logged to its own file.
    location = /sink { access_log $TMP/sink.log sink buffer=64k flush=1s; return 200 "ok\n"; }
    location = /ceiling { access_log $TMP/ceiling.log sink buffer=64k flush=1s; return 200 "ok\n"; }
    location = /health { return 200 "ok\n"; }
  }
}
EOF
}

for try in 1 2 3 4 5 6 7 8; do
  SINK_PORT=$((20000 + RANDOM % 30000))
  write_nginx_conf "$SINK_PORT"
  "$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log" >"$TMP/nginx.out" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 50); do
    curl -sk --max-time 1 "https://127.0.0.1:$SINK_PORT/health" >/dev/null 2>&1 && break
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  if curl -sk --max-time 1 "https://127.0.0.1:$SINK_PORT/health" >/dev/null 2>&1; then break; fi
  kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""
  log "nginx did not start on port $SINK_PORT (try $try): $(tail -1 "$TMP/nginx-error.log" 2>/dev/null)"
done
[ -n "$NGINX_PID" ] || die "nginx would not start"
curl -s --max-time 2 --cacert "$TMP/ca.pem" "https://localhost:$SINK_PORT/health" >/dev/null ||
  die "the sink's certificate does not verify against the test CA"
log "nginx sink on https://localhost:$SINK_PORT ($NGINX_WORKERS worker process)"

# ---- CPU accounting -----------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
descendants() {  # the pid and all its descendants
  local all
  all=$(awk '{print $1, $4}' /proc/[0-9]*/stat 2>/dev/null)
  local queue=("$@") pid
  while [ ${#queue[@]} -gt 0 ]; do
    pid=${queue[0]}; queue=("${queue[@]:1}")
    [ -n "$pid" ] || continue
    echo "$pid"
    queue+=($(awk -v p="$pid" '$2 == p {print $1}' <<<"$all"))
  done
}
ticks_of() {  # total utime+stime of the given pids
  local total=0 t
  for pid in "$@"; do
    [ -n "$pid" ] || continue
    t=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
system_ticks() { awk '/^cpu / {busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }
postgres_pids() {  # the PostgreSQL server's processes, when there is one
  [ -n "$PG_STATE" ] && [ -f "$PG_DATA/data/postmaster.pid" ] && descendants "$(head -1 "$PG_DATA/data/postmaster.pid")"
}
# Bytes the hub (and PostgreSQL) had written to storage (write_bytes of /proc/PID/io: counted when
# pages are dirtied, so the database's log and pages as they are written), for "storage written per
# delivery": unlike CPU shares, it does not depend on what else the machine is doing.
storage_written() {
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '/^write_bytes/ {print $2}' "/proc/$pid/io" 2>/dev/null || echo 0))); done
  echo "$total"
}
# snapshot NAME [BENCH_PID]: "hubs nginx bench sysbusy systotal wall postgres" -> $TMP/snap.NAME
snapshot() {
  local name=$1 bench_pid=${2:-}
  echo "$(storage_written "${HUB_PIDS[@]}" $(postgres_pids))" > "$TMP/io.$name"
  echo "$(ticks_of "${HUB_PIDS[@]}") $(ticks_of $(descendants "$NGINX_PID")) $( [ -n "$bench_pid" ] && ticks_of $(descendants "$bench_pid") || echo 0) $(system_ticks) $(date +%s.%N) $(ticks_of $(postgres_pids))" > "$TMP/snap.$name"
  if [ -n "${HUB_PID:-}" ]; then
    for task in /proc/"$HUB_PID"/task/*; do
      echo "${task##*/} $(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}')"
    done > "$TMP/threads.$name" 2>/dev/null || true
  fi
}
# cpu_report FROM TO LABEL OPS -> one line of CPU% (100% = one core) over the interval, and CPU
# microseconds per request/delivery when OPS (a count, or rate=N per second) is given.
cpu_report() {
  read -r h0 n0 b0 s0 t0 w0 p0 < "$TMP/snap.$1"
  read -r h1 n1 b1 s1 t1 w1 p1 < "$TMP/snap.$2"
  awk -v h=$((h1-h0)) -v n=$((n1-n0)) -v b=$((b1-b0)) -v sb=$((s1-s0)) -v st=$((t1-t0)) -v p=$((p1-p0)) \
      -v w0="$w0" -v w1="$w1" -v hz="$CLK_TCK" -v label="$3" -v ops="${4:-}" -v cores="$(nproc)" \
      -v hubs="$PROCESSES" -v pg="$([ "$DATABASE" = postgres ] && echo 1 || echo 0)" 'BEGIN {
    wall = w1 - w0; sys = sb / st * 100 * cores; ours = (h + n + b + p) / hz / wall * 100
    printf "%-7s over %5.1f s: smb-hub%s %5.1f%%  nginx %5.1f%%  %s %5.1f%%%s  other %5.1f%%  machine busy %5.1f%% of %d00%%",
      label, wall, (hubs > 1 ? " x" hubs : ""), h/hz/wall*100, n/hz/wall*100, (label == "ceiling" ? "wrk" : "hub_bench"),
      b/hz/wall*100, (pg ? sprintf("  postgres %5.1f%%", p/hz/wall*100) : ""), sys - ours < 0 ? 0 : sys - ours, sys, cores
    if (ops ~ /^rate=/) { sub(/^rate=/, "", ops); ops = ops * wall }
    if (ops > 0) printf "\n          CPU per %s: smb-hub %.0f us, nginx %.0f us, %s %.0f us%s",
      (label == "ceiling" ? "request" : "delivery"), h/hz/ops*1e6, n/hz/ops*1e6,
      (label == "ceiling" ? "wrk" : "hub_bench"), b/hz/ops*1e6, (pg ? sprintf(", postgres %.0f us", p/hz/ops*1e6) : "")
    printf "\n" }'
}
# Per-thread CPU of smb-hub between two snapshots. Threads are unnamed; the label is inferred from
# the creation order in hub/cli/ServeCommand.cpp: main, 4 DNS threads and delivery.io_threads I/O
# threads (AsioHttpSender), the engine's dispatcher and recorder, then Poco's HTTP server threads.
thread_report() {
  local seconds
  seconds=$(awk 'NR == 1 {a = $6} NR == 2 {print $6 - a}' "$TMP/snap.$1" "$TMP/snap.$2")
  join <(sort "$TMP/threads.$1") <(sort "$TMP/threads.$2") | sort -n |
    awk -v hz="$CLK_TCK" -v s="$seconds" -v io="${HUB_IO_THREADS:-1}" '
      { i = NR - 1
        if (i == 0) label = "main"
        else if (i <= 4) label = "dns"
        else if (i <= 4 + io) label = "delivery I/O (Asio: TLS, HTTP)"
        else if (i == 5 + io) label = "dispatcher (claimDue, render, sign)"
        else if (i == 6 + io) label = "recorder (recordAttempts)"
        else label = "Poco HTTP server (POST /api/events)"
        cpu[label] += ($3 - $2) / hz / s * 100; n[label]++ }
      END { for (l in cpu) printf "  %5.1f%%  %s x%d\n", cpu[l], l, n[l] }' | sort -rn
}

# ---- wait (a while) for a quiet machine: other processes on the 2 cores skew every number -----------
busy_percent() {  # machine busy % (of all cores) over 1 s
  local a b
  a=$(system_ticks); sleep 1; b=$(system_ticks)
  awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%.0f", (y[1]-x[1]) / (y[2]-x[2]) * 100}'
}
waited=0
while true; do
  BUSY_BEFORE=$(busy_percent)
  [ "$BUSY_BEFORE" -le "${QUIET_BUSY:-15}" ] || [ "$waited" -ge "${QUIET_WAIT:-30}" ] && break
  [ "$waited" = 0 ] && log "machine ${BUSY_BEFORE}% busy before the run; waiting up to ${QUIET_WAIT:-30}s for it to quieten"
  sleep 2; waited=$((waited + 3))
done
echo "machine busy before the run: ${BUSY_BEFORE}% of all cores (waited ${waited}s)" >> "$OUT_DIR/machine.txt"

# ---- ceiling: wrk on the same sink -------------------------------------------------------------------------
SAMPLE_BODY=$("$BENCH_BIN" --sample-body)
BODY_BYTES=${#SAMPLE_BODY}
cat > "$TMP/wrk.lua" <<EOF
wrk.method = "POST"
wrk.body = [[$SAMPLE_BODY]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "SMBSalesBoost-Hub/0.1.0"
wrk.headers["X-SMB-Event"] = "lead.created"
wrk.headers["X-SMB-Event-Id"] = "evt_wrkwrkwrkwrkwrkwrkwrkwrkwrkwrkwr"
wrk.headers["X-SMB-Delivery"] = "dlv_wrkwrkwrkwrkwrkwrkwrkwrkwrkwrkwr"
wrk.headers["X-SMB-Attempt"] = "1"
wrk.headers["X-SMB-Signature"] = "t=1767225600,v1=$(printf '%064d' 0)"
EOF
log "ceiling: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_SECONDS}s POST $BODY_BYTES-byte body to https://localhost:$SINK_PORT/ceiling"
snapshot wrk0
timeout $((WRK_SECONDS + 30)) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency \
  -s "$TMP/wrk.lua" "https://localhost:$SINK_PORT/ceiling" > "$OUT_DIR/wrk.txt" 2>&1 &
WRK_PID=$!
sleep 1
snapshot wrk0 "$WRK_PID"
sleep $((WRK_SECONDS - 2))
snapshot wrk1 "$WRK_PID"
wait "$WRK_PID" || die "wrk failed: $(cat "$OUT_DIR/wrk.txt")"
CEILING=$(awk '/^Requests\/sec:/ {print $2}' "$OUT_DIR/wrk.txt")
[ -n "$CEILING" ] || die "no Requests/sec in wrk output"
CEILING_CPU=$(cpu_report wrk0 wrk1 ceiling "rate=$CEILING")
log "ceiling: $CEILING requests/s"

# ---- the database --------------------------------------------------------------------------------------------
if [ "$DATABASE" = postgres ]; then
  PG_STATE=$TMP/postgres.env
  # Durable, as in production: no "-c fsync=off" (the tests' default).
  pg_options=""
  if [ "${PG_STATS:-0}" = 1 ]; then
    pg_options="-c shared_preload_libraries=pg_stat_statements,auto_explain"
    pg_options+=" -c auto_explain.log_min_duration=50ms -c auto_explain.log_analyze=on"
  fi
  SMBHUB_PG_OPTIONS="$pg_options" "$ROOT/tests/postgres/sandbox.sh" start "$PG_STATE" >&2 || die "cannot start PostgreSQL"
  PG_DATA=$(sed -n 's/^DATA=//p' "$PG_STATE")
  DATABASE_URL=$(sed -n 's/^URL=//p' "$PG_STATE")
  if [ "${PG_STATS:-0}" = 1 ]; then
    psql "$DATABASE_URL" -qc "CREATE EXTENSION pg_stat_statements" >&2 || die "no pg_stat_statements"
  fi
  echo "database: PostgreSQL 15 (throwaway, fsync on), $PROCESSES hub process(es)" >> "$OUT_DIR/machine.txt"
else
  DATABASE_URL="sqlite:$TMP/hub.db"
  echo "database: SQLite" >> "$OUT_DIR/machine.txt"
fi

# ---- the hub ------------------------------------------------------------------------------------------------
ADMIN_TOKEN=$(openssl rand -hex 24)
{
  echo "server:"
  echo "  listen: \"127.0.0.1:0\""
  echo "  drain_delay: \"0s\"  # no load balancer to warn: stop at once"
  [ -n "${HUB_MAX_THREADS:-}" ] && echo "  max_threads: $HUB_MAX_THREADS"
  echo "database:"
  echo "  url: \"$DATABASE_URL\""
  [ -n "${HUB_POOL_SIZE:-}" ] && echo "  pool_size: $HUB_POOL_SIZE"
  echo "plugins:"
  echo "  dir: \"$BUILD_DIR/plugins\""
  echo "  enabled: [webhook]"
  echo "auth:"
  echo "  admin_token: \"$ADMIN_TOKEN\""
  echo "  session_secret: \"$(openssl rand -hex 32)\""
  echo "delivery:"
  echo "  timeout_ms: 10000"
  echo "  ca_file: \"$TMP/ca.pem\""
  echo "  allow_private_networks: true"
  [ -n "${HUB_MAX_IN_FLIGHT:-}" ] && echo "  max_in_flight: $HUB_MAX_IN_FLIGHT"
  [ -n "${HUB_MAX_IN_FLIGHT_PER_INTEGRATION:-}" ] && echo "  max_in_flight_per_integration: $HUB_MAX_IN_FLIGHT_PER_INTEGRATION"
  [ -n "${HUB_IO_THREADS:-}" ] && echo "  io_threads: $HUB_IO_THREADS"
  echo "secrets:"
  echo "  key: \"$(openssl rand -base64 32)\""
  echo "log:"
  echo "  level: information"
  if [ -n "${HUB_RETENTION:-}" ]; then
    # Retention deleting while the bench runs: events and attempts older than HUB_RETENTION, a run
    # every 5 s (the defaults, 30 days and a minute, would delete nothing during a bench).
    echo "retention:"
    echo "  events: \"$HUB_RETENTION\""
    echo "  attempts: \"$HUB_RETENTION\""
    echo "  idempotency_keys: \"$HUB_RETENTION\""
    echo "  interval: \"5s\""
  fi
} > "$TMP/hub.yaml"
grep -E 'max_|io_threads|pool_size' "$TMP/hub.yaml" | sed 's/^/hub config override:/' >> "$OUT_DIR/machine.txt" || true

HUB_URLS=()
for p in $(seq "$PROCESSES"); do
  logfile=$TMP/hub$([ "$p" = 1 ] || echo "-$p").log
  env ${HUB_LD_PRELOAD:+LD_PRELOAD="$HUB_LD_PRELOAD"} "$HUB_BIN" serve --config "$TMP/hub.yaml" > "$logfile" 2>&1 &
  HUB_PIDS+=($!)
  port=""
  for _ in $(seq 200); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$logfile" | head -1)
    [ -n "$port" ] && break
    kill -0 "${HUB_PIDS[-1]}" 2>/dev/null || die "smb-hub exited: $(tail -5 "$logfile")"
    sleep 0.1
  done
  [ -n "$port" ] || die "smb-hub did not log its port: $(tail -5 "$logfile")"
  HUB_URLS+=("http://127.0.0.1:$port")
done
HUB_PID=${HUB_PIDS[0]}
HUB=${HUB_URLS[0]}
log "smb-hub x$PROCESSES (pids ${HUB_PIDS[*]}) on ${HUB_URLS[*]}"

api() {  # api METHOD PATH TOKEN [BODY]
  curl -sS --max-time 10 -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} "$HUB$2"
}
ACCOUNT_JSON=$(api POST /api/admin/accounts "$ADMIN_TOKEN" '{"name":"bench","plan":"pro"}')
ACCOUNT_ID=$(grep -o '"id":"acc_[a-z0-9]*"' <<<"$ACCOUNT_JSON" | cut -d'"' -f4)
API_KEY=$(grep -o '"apiKey":"smbk_[^"]*"' <<<"$ACCOUNT_JSON" | cut -d'"' -f4)
[ -n "$ACCOUNT_ID" ] && [ -n "$API_KEY" ] || die "cannot create the account: $ACCOUNT_JSON"
FIRST_INTEGRATION=""
for i in $(seq "$INTEGRATIONS"); do
  created=$(api POST /api/integrations/webhook "$API_KEY" \
    "{\"provider\":\"webhook\",\"displayName\":\"bench $i\",\"targetUrl\":\"https://localhost:$SINK_PORT/sink\",\"events\":[\"lead.created\"]}")
  id=$(grep -o '"id":"int_[a-z0-9]*"' <<<"$created" | head -1 | cut -d'"' -f4)
  [ -n "$id" ] || die "cannot create integration $i: $created"
  FIRST_INTEGRATION=${FIRST_INTEGRATION:-$id}
done
log "account $ACCOUNT_ID with $INTEGRATIONS webhook integrations -> https://localhost:$SINK_PORT/sink"
touch "$TMP/sink.log"

bench() {  # bench LABEL EVENTS RATE TIMEOUT
  "$BENCH_BIN" --hub "$(IFS=,; echo "${HUB_URLS[*]}")" --admin-token "$ADMIN_TOKEN" --account "$ACCOUNT_ID" --api-key "$API_KEY" \
    --integration "$FIRST_INTEGRATION" --sink-log "$TMP/sink.log" --events "$2" --rate "$3" \
    --connections "$CONNECTIONS" --timeout "$4" --label "$1" --json-out "$OUT_DIR/$1.json"
}

if [ "$WARMUP_EVENTS" -gt 0 ]; then
  log "warm-up: $WARMUP_EVENTS events (opens the hub's keep-alive connections)"
  bench warmup "$WARMUP_EVENTS" 0 30 > "$OUT_DIR/warmup.txt" || die "warm-up failed: $(cat "$OUT_DIR/warmup.txt")"
fi
# A database that has been running has planner statistics (autovacuum analyzes within a minute);
# one created seconds ago has none, and claims can lose their index. Measure the steady state.
if [ "$DATABASE" = postgres ]; then psql "$DATABASE_URL" -qc "ANALYZE" >&2 || die "ANALYZE failed"; fi

log "full speed: $EVENTS events x $INTEGRATIONS integrations, $CONNECTIONS publisher connections"
snapshot full0
bench full "$EVENTS" 0 120 > "$OUT_DIR/full.txt" &
BENCH_PID=$!
snapshot full0 "$BENCH_PID"
if [ "$PERF" = 1 ]; then
  sleep 0.5
  perf record -F 499 --call-graph dwarf,16384 -p "$HUB_PID" -o "$TMP/perf.data" -- sleep "$PERF_SECONDS" >/dev/null 2>"$TMP/perf.err" &
  PERF_PID=$!
fi
# Snapshot at the end of the bench's life (it exits once the last delivery is in the log).
last=""
while kill -0 "$BENCH_PID" 2>/dev/null; do snapshot full1 "$BENCH_PID"; last=1; sleep 0.5; done
[ -n "$last" ] || snapshot full1
BENCH_RC=0; wait "$BENCH_PID" || BENCH_RC=$?
if [ -n "$PG_STATE" ]; then  # failed attempts, if any, by error (the API shows only the last 50)
  psql "$DATABASE_URL" -qAt -F ' | ' -c "SELECT COUNT(*), status, COALESCE(response_status, 0), left(COALESCE(error, ''), 120)
      FROM attempts WHERE status <> 'succeeded' GROUP BY 2, 3, 4 ORDER BY 1 DESC LIMIT 20" > "$OUT_DIR/failed-attempts.txt" 2>&1 || true
fi
if [ "${PG_STATS:-0}" = 1 ] && [ -n "$PG_STATE" ]; then
  psql "$DATABASE_URL" -qAt -F ' | ' -c "SELECT round(total_exec_time::numeric, 1) AS ms, calls, rows,
      round((total_exec_time / calls)::numeric, 3) AS ms_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
      FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" > "$OUT_DIR/postgres-statements.txt" 2>&1 || true
fi
FULL_CPU=$(cpu_report full0 full1 full "$(sed -n 's/.*"delivered":\([0-9]*\).*/\1/p' "$OUT_DIR/full.json" 2>/dev/null)")
FULL_THREADS=$(thread_report full0 full1)
FULL_STORAGE=$(awk -v a="$(cat "$TMP/io.full0")" -v b="$(cat "$TMP/io.full1")" \
  -v n="$(sed -n 's/.*"delivered":\([0-9]*\).*/\1/p' "$OUT_DIR/full.json" 2>/dev/null)" \
  -v who="$([ -n "$PG_STATE" ] && echo "smb-hub and PostgreSQL" || echo "smb-hub")" \
  'BEGIN { if (n > 0) printf "storage written during the full-speed run: %.1f MiB, %.0f bytes per delivery (%s)", (b - a) / 1048576, (b - a) / n, who }')
if [ -n "$PERF_PID" ]; then
  wait "$PERF_PID" || true; PERF_PID=""
  cp "$TMP/perf.data" "$OUT_DIR/perf-hub.data" 2>/dev/null || true
  # Self time by function, self time by thread, and inclusive time ("where it goes").
  perf report -i "$TMP/perf.data" --stdio --no-children --sort dso,sym -g none --percent-limit 0.5 2>/dev/null \
    | grep -v '^$' | head -120 > "$OUT_DIR/perf-hub-symbols.txt" || true
  perf report -i "$TMP/perf.data" --stdio --no-children --sort pid -g none 2>/dev/null \
    | grep -v '^$' | head -40 > "$OUT_DIR/perf-hub-threads.txt" || true
  perf report -i "$TMP/perf.data" --stdio --children --sort sym -g none --percent-limit 2 2>/dev/null \
    | grep -v '^$' | cut -c1-220 | head -200 > "$OUT_DIR/perf-hub-inclusive.txt" || true
  perf script -i "$TMP/perf.data" 2>/dev/null | awk -f "$HERE/perf_breakdown.awk" > "$OUT_DIR/perf-hub-breakdown.txt" || true
fi
cat "$OUT_DIR/full.txt"
if [ -n "${HUB_RETENTION:-}" ]; then  # what retention deleted by the end of the full-speed run
  curl -s --max-time 5 "${HUB_URLS[0]}/metrics" | sed -n 's/^smbhub_retention_deleted_total{table="\(.*\)"} /\1 /p' \
    | tr '\n' ' ' | sed 's/^/retention deleted by the end of the full-speed run: /; s/$/\n/' | tee "$OUT_DIR/retention.txt"
fi
[ "$BENCH_RC" = 0 ] || log "full-speed run reported a problem (exit $BENCH_RC)"

if [ "$PACED_RATE" != 0 ] && [ "$PACED_EVENTS" -gt 0 ]; then
  log "paced: $PACED_EVENTS events at $PACED_RATE events/s"
  snapshot paced0
  bench paced "$PACED_EVENTS" "$PACED_RATE" 60 > "$OUT_DIR/paced.txt" || log "paced run reported a problem"
  snapshot paced1
  PACED_CPU=$(cpu_report paced0 paced1 paced "$(sed -n 's/.*"delivered":\([0-9]*\).*/\1/p' "$OUT_DIR/paced.json" 2>/dev/null)")
  cat "$OUT_DIR/paced.txt"
fi

# ---- summary ----------------------------------------------------------------------------------------------------
DELIVERED_PER_S=$(sed -n 's/.*"deliveredPerS":\([0-9.]*\).*/\1/p' "$OUT_DIR/full.json")
{
  cat "$OUT_DIR/machine.txt"
  echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "command: $0 $BUILD_DIR  (DATABASE=$DATABASE PROCESSES=$PROCESSES HUB_RETENTION=${HUB_RETENTION:-} EVENTS=$EVENTS INTEGRATIONS=$INTEGRATIONS CONNECTIONS=$CONNECTIONS NGINX_WORKERS=$NGINX_WORKERS PERF=$PERF)"
  echo
  echo "ceiling (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_SECONDS}s, $BODY_BYTES-byte POST, same sink): $CEILING requests/s"
  grep -E 'Latency|50%|99%' "$OUT_DIR/wrk.txt" | sed 's/^/  wrk /'
  echo
  cat "$OUT_DIR/full.txt"
  echo "ratio hub/ceiling: $(awk -v a="$DELIVERED_PER_S" -v b="$CEILING" 'BEGIN {printf "%.3f", a / b}')"
  echo
  [ -f "$OUT_DIR/paced.txt" ] && cat "$OUT_DIR/paced.txt" && echo
  echo "CPU (100% = one core):"
  echo "  $CEILING_CPU"
  echo "  $FULL_CPU"
  [ -n "${PACED_CPU:-}" ] && echo "  $PACED_CPU"
  echo "$FULL_STORAGE"
  echo "$([ "$PROCESSES" = 1 ] && echo "smb-hub" || echo "the first smb-hub's") threads during the full-speed run:"
  echo "$FULL_THREADS"
  if [ -f "$OUT_DIR/perf-hub-breakdown.txt" ]; then
    echo "where smb-hub's CPU went (perf, ${PERF_SECONDS}s of the full-speed run; more in $OUT_DIR/perf-hub-*.txt):"
    sed 's/^/  /' "$OUT_DIR/perf-hub-breakdown.txt"
  fi
} > "$OUT_DIR/summary.txt"
echo
echo "======== summary ($OUT_DIR/summary.txt) ========"
cat "$OUT_DIR/summary.txt"
