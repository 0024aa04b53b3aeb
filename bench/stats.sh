#!/usr/bin/env bash
# Stats benchmark (not a test): how fast GET /api/integrations/:id answers — with its `stats`
# (SPEC §15) — for an integration whose log holds a million attempts. The stats are read from
# counters kept as outcomes are recorded (the integration's row and its hourly rows), the pending
# deliveries by index and a bounded sample of the latest attempts (docs/architecture.md), so the
# answer should not depend on the log's length; the goal is under 10 ms.
#
#   bench/stats.sh [BUILD_DIR]        # BUILD_DIR defaults to $BUILD_DIR, then <repo>/build
#
# Steps: start smb-hub on a fresh database (SQLite in a temp dir, or DATABASE=postgres: a
# throwaway PostgreSQL 15 from tests/postgres/sandbox.sh); create an account and one webhook
# integration through the API; write ATTEMPTS attempts and as many deliveries straight into the
# database (spread over the last 48 hours: 97% succeeded, 3% failed, the last PENDING pending)
# and the counters the hub would have kept for them (as migration 8 computes them for an existing
# log); then time REQUESTS sequential GETs with curl and print the median, p95 and maximum, beside
# the same for GET /api/integrations (an authenticated read without stats: what the machine and
# the API cost anyway), the stats' four statements timed by the database's own client, and the
# query the hub used before (counting the log by status) on the same data.
#
# Knobs (environment): DATABASE=sqlite|postgres ATTEMPTS=1000000 PENDING=1000 REQUESTS=200
#   OUT_DIR=/tmp/smb-hub-stats-bench (summary.txt, hub.log, plans.txt)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
DATABASE=${DATABASE:-sqlite}
ATTEMPTS=${ATTEMPTS:-1000000}
PENDING=${PENDING:-1000}
REQUESTS=${REQUESTS:-200}
OUT_DIR=${OUT_DIR:-/tmp/smb-hub-stats-bench}
HUB_BIN=$BUILD_DIR/bin/smb-hub

log() { echo "stats.sh: $*" >&2; }
die() { log "$*"; exit 1; }
[ -x "$HUB_BIN" ] || die "no $HUB_BIN: build first (cmake --build $BUILD_DIR --target smb-hub plugin_webhook)"
for tool in curl openssl awk; do command -v "$tool" >/dev/null || die "$tool is missing"; done
if [ "$DATABASE" = postgres ]; then command -v psql >/dev/null || die "psql is missing"; else
  command -v sqlite3 >/dev/null || die "sqlite3 is missing (apt-get install sqlite3)"; fi

mkdir -p "$OUT_DIR"
TMP=$(mktemp -d /tmp/smb-hub-stats.XXXXXX)
HUB_PID=""
PG_STATE=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
  [ -f "$TMP/hub.log" ] && cp "$TMP/hub.log" "$OUT_DIR/hub.log"
  [ -n "$PG_STATE" ] && "$ROOT/tests/postgres/sandbox.sh" stop "$PG_STATE" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$DATABASE" = postgres ]; then
  PG_STATE=$TMP/postgres.env
  "$ROOT/tests/postgres/sandbox.sh" start "$PG_STATE" >&2 || die "cannot start PostgreSQL"
  DATABASE_URL=$(sed -n 's/^URL=//p' "$PG_STATE")
  sql() { psql -qAt -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }
else
  DATABASE_URL="sqlite:$TMP/hub.db"
  sql() { sqlite3 -bail "$TMP/hub.db" "$@"; }
fi

ADMIN_TOKEN=$(openssl rand -hex 24)
cat > "$TMP/hub.yaml" <<EOF
server:
  listen: "127.0.0.1:0"
database:
  url: "$DATABASE_URL"
plugins:
  dir: "$BUILD_DIR/plugins"
  enabled: [webhook]
auth:
  admin_token: "$ADMIN_TOKEN"
  session_secret: "$(openssl rand -hex 32)"
secrets:
  key: "$(openssl rand -base64 32)"
api:
  rate_limit_per_second: 100000
  rate_limit_burst: 100000
log:
  level: information
EOF
"$HUB_BIN" serve --config "$TMP/hub.yaml" > "$TMP/hub.log" 2>&1 &
HUB_PID=$!
port=""
for _ in $(seq 200); do
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$TMP/hub.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$HUB_PID" 2>/dev/null || die "smb-hub exited: $(tail -5 "$TMP/hub.log")"
  sleep 0.1
done
[ -n "$port" ] || die "smb-hub did not log its port: $(tail -5 "$TMP/hub.log")"
HUB=http://127.0.0.1:$port

api() {  # api METHOD PATH TOKEN [BODY]
  curl -sS --max-time 10 -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} "$HUB$2"
}
ACCOUNT_JSON=$(api POST /api/admin/accounts "$ADMIN_TOKEN" '{"name":"stats bench","plan":"pro"}')
ACCOUNT_ID=$(grep -o '"id":"acc_[a-z0-9]*"' <<<"$ACCOUNT_JSON" | cut -d'"' -f4)
API_KEY=$(grep -o '"apiKey":"smbk_[^"]*"' <<<"$ACCOUNT_JSON" | cut -d'"' -f4)
INTEGRATION_JSON=$(api POST /api/integrations/webhook "$API_KEY" \
  '{"provider":"webhook","displayName":"bench","targetUrl":"https://example.com/bench","events":["lead.created"]}')
INTEGRATION=$(grep -o '"id":"int_[a-z0-9]*"' <<<"$INTEGRATION_JSON" | head -1 | cut -d'"' -f4)
[ -n "$INTEGRATION" ] || die "cannot create the integration: $INTEGRATION_JSON"
# Paused, so the bench's pending deliveries are not sent anywhere.
api PATCH "/api/integrations/$INTEGRATION" "$API_KEY" '{"status":"paused"}' >/dev/null

# ---- the log --------------------------------------------------------------------------------------------------
NOW_MS=$(($(date +%s) * 1000))
SPAN_MS=$((48 * 3600 * 1000))
log "writing $ATTEMPTS attempts and deliveries ($DATABASE)"
started=$(date +%s)
sql <<EOF
INSERT INTO events (id, account_id, type, created_at, test, data)
  VALUES ('evt_bench', '$ACCOUNT_ID', 'lead.created', $((NOW_MS - SPAN_MS)), 0, '{}');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ATTEMPTS)
INSERT INTO deliveries (id, event_id, integration_id, account_id, status, attempts, schedule_index, parts_done,
                        next_attempt_at, lease_owner, lease_until, created_at, updated_at)
  SELECT 'dlv_bench_' || i, 'evt_bench', '$INTEGRATION', '$ACCOUNT_ID',
         CASE WHEN i > $ATTEMPTS - $PENDING THEN 'pending' WHEN i % 33 = 0 THEN 'failed' ELSE 'succeeded' END,
         1, 0, 0, $NOW_MS, '', 0,
         $((NOW_MS - SPAN_MS)) + i * ($SPAN_MS / $ATTEMPTS), $((NOW_MS - SPAN_MS)) + i * ($SPAN_MS / $ATTEMPTS)
  FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ATTEMPTS)
INSERT INTO attempts (id, delivery_id, integration_id, event_id, event_type, attempt, status, response_status,
                      response_body, error, duration_ms, created_at, next_attempt_at)
  SELECT 'att_bench_' || i, 'dlv_bench_' || i, '$INTEGRATION', 'evt_bench', 'lead.created', 1,
         CASE WHEN i % 33 = 0 THEN 'failed' ELSE 'succeeded' END,
         CASE WHEN i % 33 = 0 THEN 503 ELSE 200 END, 'ok', NULL, 20 + i % 180,
         $((NOW_MS - SPAN_MS)) + i * ($SPAN_MS / $ATTEMPTS), NULL
  FROM n;
-- The counters the hub keeps with every recorded batch, computed as migration 8 does.
UPDATE integrations SET
  deliveries_succeeded = (SELECT COUNT(*) FROM deliveries d WHERE d.integration_id = integrations.id AND d.status = 'succeeded'),
  deliveries_failed = (SELECT COUNT(*) FROM deliveries d WHERE d.integration_id = integrations.id AND d.status = 'failed'),
  last_success_at = (SELECT MAX(a.created_at) FROM attempts a WHERE a.integration_id = integrations.id AND a.status = 'succeeded'),
  last_error_at = (SELECT MAX(a.created_at) FROM attempts a WHERE a.integration_id = integrations.id AND a.status <> 'succeeded'),
  last_error = 'HTTP 503', last_error_status = 503
  WHERE id = '$INTEGRATION';
INSERT INTO delivery_stats_hourly (integration_id, hour_start, succeeded, failed)
  SELECT integration_id, (created_at / 3600000) * 3600000,
         SUM(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END)
  FROM attempts WHERE integration_id = '$INTEGRATION' GROUP BY integration_id, (created_at / 3600000) * 3600000;
EOF
if [ "$DATABASE" = postgres ]; then sql -c "ANALYZE"; else sql "ANALYZE"; fi
log "written in $(($(date +%s) - started)) s"

# ---- the measurement ------------------------------------------------------------------------------------------
for _ in $(seq 10); do api GET "/api/integrations/$INTEGRATION" "$API_KEY" >/dev/null; done  # warm-up
time_gets() {  # time_gets PATH > sorted seconds
  for _ in $(seq "$REQUESTS"); do
    curl -sS -o /dev/null --max-time 10 -H "Authorization: Bearer $API_KEY" -w '%{time_total}\n' "$HUB$1"
  done | sort -n
}
time_gets "/api/integrations/$INTEGRATION" > "$TMP/times.txt"
# The same kind of request without stats (the account's list of one integration): what the
# machine, curl and the API cost anyway.
time_gets /api/integrations > "$TMP/baseline.txt"
ANSWER=$(api GET "/api/integrations/$INTEGRATION" "$API_KEY")

# The stats' own statements, as the hub runs them (hub/store/SqlDeliveryQueue.cpp), timed by the
# database's client.
SINCE=$((NOW_MS / 3600000 * 3600000 - 23 * 3600000))
STATS_QUERIES="SELECT deliveries_succeeded, deliveries_failed, last_success_at, last_error_at, last_error, last_error_status FROM integrations WHERE id = '$INTEGRATION';
SELECT COALESCE(SUM(succeeded), 0), COALESCE(SUM(failed), 0) FROM delivery_stats_hourly WHERE integration_id = '$INTEGRATION' AND hour_start >= $SINCE;
SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at >= $SINCE THEN 1 ELSE 0 END), 0) FROM deliveries WHERE integration_id = '$INTEGRATION' AND status = 'pending';
SELECT duration_ms FROM attempts WHERE integration_id = '$INTEGRATION' AND created_at >= $SINCE ORDER BY created_at DESC LIMIT 1000;"

# The query the hub used before, for comparison: every delivery of the integration, counted.
OLD_QUERY="SELECT status, COUNT(*) FROM deliveries WHERE integration_id = '$INTEGRATION' GROUP BY status"
if [ "$DATABASE" = postgres ]; then
  OLD_MS=$(sql -c "EXPLAIN (ANALYZE, FORMAT JSON) $OLD_QUERY" | grep -o '"Execution Time": [0-9.]*' | awk '{print $3}')
  STATS_MS=$(while IFS= read -r q; do sql -c "EXPLAIN (ANALYZE, FORMAT JSON) $q"; done <<<"$STATS_QUERIES" |
    grep -o '"Execution Time": [0-9.]*' | awk '{sum += $3} END {printf "%.2f", sum}')
  sql -c "EXPLAIN SELECT duration_ms FROM attempts WHERE integration_id = '$INTEGRATION' AND created_at >= 0 ORDER BY created_at DESC LIMIT 1000" > "$OUT_DIR/plans.txt"
  sql -c "EXPLAIN SELECT COUNT(*) FROM deliveries WHERE integration_id = '$INTEGRATION' AND status = 'pending'" >> "$OUT_DIR/plans.txt"
else
  OLD_MS=$( { echo ".timer on"; echo "$OLD_QUERY;"; } | sqlite3 "$TMP/hub.db" | awk '/^Run Time/ {printf "%.1f", $4 * 1000}')
  STATS_MS=$( { echo ".timer on"; echo "$STATS_QUERIES"; } | sqlite3 "$TMP/hub.db" |
    awk '/^Run Time/ {sum += $4 * 1000} END {printf "%.2f", sum}')
  sql "EXPLAIN QUERY PLAN SELECT duration_ms FROM attempts WHERE integration_id = '$INTEGRATION' AND created_at >= 0 ORDER BY created_at DESC LIMIT 1000" > "$OUT_DIR/plans.txt"
  sql "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM deliveries WHERE integration_id = '$INTEGRATION' AND status = 'pending'" >> "$OUT_DIR/plans.txt"
fi

summary() {  # summary FILE -> "median …, p95 …, max …"
  awk '{ t[NR] = $1 * 1000 } END { printf "median %.2f ms, p95 %.2f ms, max %.2f ms", t[int((NR + 1) / 2)], t[int(NR * 0.95 + 0.5)], t[NR] }' "$1"
}
{
  echo "GET /api/integrations/:id with $ATTEMPTS attempts in the log ($DATABASE), $REQUESTS requests each (curl time_total):"
  echo "  with stats:                    $(summary "$TMP/times.txt")"
  echo "  GET /api/integrations (no stats): $(summary "$TMP/baseline.txt")"
  echo "  the stats' four statements, timed by the database's client: $STATS_MS ms"
  echo "  the former stats query (counting the log by status) alone: $OLD_MS ms"
} | tee "$OUT_DIR/summary.txt"
echo "  stats: $(grep -o '"stats":{.*}' <<<"$ANSWER")" | tee -a "$OUT_DIR/summary.txt"
