#!/usr/bin/env bash
# Retention soak (not a test; ctest never runs it): publishes at a steady rate to a real smb-hub
# on SQLite for DURATION seconds, each event delivered to a local HTTP sink, and samples the
# database's size on disk (hub.db + its WAL) and its row counts every SAMPLE seconds. With
# retention on, the file should stop growing once the windows are full; with RETENTION=off
# (windows of 30 days) it grows for the whole run. docs/performance.md has the figures.
#
#   bench/retention-soak.sh [BUILD_DIR]
#
# Knobs (environment): DURATION=600 SAMPLE=30 RATE=20 (events/s) INTEGRATIONS=2
#   WINDOW=2m (retention.events and retention.attempts) KEYS_WINDOW=1m (retention.idempotency_keys)
#   INTERVAL=10s (retention.interval) RETENTION=on|off SKIP_BUILD=1
#   OUT_DIR=/tmp/smb-hub-retention-soak (samples.csv, summary.txt, hub.log)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build}}
DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-30}
RATE=${RATE:-20}
INTEGRATIONS=${INTEGRATIONS:-2}
WINDOW=${WINDOW:-2m}
KEYS_WINDOW=${KEYS_WINDOW:-1m}
INTERVAL=${INTERVAL:-10s}
RETENTION=${RETENTION:-on}
OUT_DIR=${OUT_DIR:-/tmp/smb-hub-retention-soak}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cmake --build "$BUILD_DIR" -j2 --target smb-hub plugin_webhook >/dev/null
fi
[ "$RETENTION" = off ] && { WINDOW=30d; KEYS_WINDOW=24h; }

WORK=$(mktemp -d /tmp/smb-hub-soak.XXXXXX)
mkdir -p "$OUT_DIR"
HUB_PID=""
SINK_PID=""
cleanup() {
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null || true
  cp "$WORK/hub.log" "$OUT_DIR/hub.log" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The sink: HTTP 200 to every POST (threads, keep-alive).
cat > "$WORK/sink.py" <<'PY'
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
python3 "$WORK/sink.py" > "$WORK/sink.port" &
SINK_PID=$!
for _ in $(seq 50); do [ -s "$WORK/sink.port" ] && break; sleep 0.1; done
SINK_PORT=$(cat "$WORK/sink.port")

ADMIN=soak-admin-token-0123456789abcdef
cat > "$WORK/hub.yaml" <<YAML
server: { listen: "127.0.0.1:0", drain_delay: 0s }
database: { url: "sqlite:$WORK/hub.db" }
plugins: { dir: "$BUILD_DIR/plugins", enabled: [webhook] }
auth: { admin_token: "$ADMIN", session_secret: "soak-session-secret-0123456789abcdef" }
secrets: { key: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" }
delivery: { allow_http: true, allow_private_networks: true }
api: { rate_limit_per_second: 100000, rate_limit_burst: 100000 }
retention: { events: $WINDOW, attempts: $WINDOW, idempotency_keys: $KEYS_WINDOW, interval: $INTERVAL }
log: { level: warning }
YAML
# (warning hides "listening on": read the port from the information line once, then quiet.)
sed -i 's/level: warning/level: information/' "$WORK/hub.yaml"
"$BUILD_DIR/bin/smb-hub" serve --config "$WORK/hub.yaml" > "$WORK/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/hub.log" && break; sleep 0.2; done
HUB_URL=$(grep -o "listening on http://[0-9.:]*" "$WORK/hub.log" | head -1 | sed 's/listening on //')
[ -n "$HUB_URL" ] || { echo "the hub did not start:"; cat "$WORK/hub.log"; exit 1; }

python3 - "$HUB_URL" "$ADMIN" "$SINK_PORT" "$WORK/hub.db" "$DURATION" "$SAMPLE" "$RATE" "$INTEGRATIONS" \
  "$OUT_DIR/samples.csv" "$HUB_PID" <<'PY' | tee "$OUT_DIR/summary.txt"
import json, os, sqlite3, sys, time, urllib.request
hub, admin, sink, db, duration, sample, rate, integrations, csv_path, hub_pid = sys.argv[1:]
duration, sample, rate, integrations = int(duration), int(sample), float(rate), int(integrations)

def call(method, path, body, token, headers=None):
    req = urllib.request.Request(hub + path, data=json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json"); req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items(): req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=30) as r: return json.loads(r.read() or b"{}")

account = call("POST", "/api/admin/accounts", {"name": "Soak Co", "plan": "pro"}, admin)
key = account["apiKey"]
for i in range(integrations):
    call("POST", "/api/integrations/webhook", {"provider": "webhook", "displayName": "sink %d" % i,
         "targetUrl": "http://127.0.0.1:%s/hook/%d" % (sink, i), "events": ["lead.created"]}, key)

def size():
    return sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
def counts():
    c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        return [c.execute("SELECT COUNT(*) FROM %s" % t).fetchone()[0]
                for t in ("events", "deliveries", "attempts", "idempotency_keys")]
    finally: c.close()
def rss():
    with open("/proc/%s/status" % hub_pid) as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS"))

out = open(csv_path, "w")
out.write("seconds,events_published,db_bytes,events,deliveries,attempts,idempotency_keys,hub_rss_kb\n")
print("seconds  published  db+wal MB   events  deliveries  attempts  keys   hub RSS MB")
start = time.monotonic(); published = 0; next_sample = 0.0; failures = 0
body = {"type": "lead.created", "data": {"leads": [{"id": "lead_1", "businessName": "Soak LLC"}]}}
while True:
    now = time.monotonic() - start
    if now >= next_sample:
        row = [int(now), published, size()] + counts() + [rss()]
        out.write(",".join(map(str, row)) + "\n"); out.flush()
        print("%7d  %9d  %9.2f  %7d  %10d  %8d  %5d  %10.1f" % (row[0], row[1], row[2] / 1e6, row[3], row[4],
              row[5], row[6], row[7] / 1024.0), flush=True)
        next_sample += sample
        if now >= duration: break
    due = published / rate
    if now < due: time.sleep(min(due - now, 0.05)); continue
    try:
        call("POST", "/api/events", body, key, {"Idempotency-Key": "soak-%d" % published}); published += 1
    except Exception as e:
        failures += 1
print("published %d events in %d s (%.1f/s), %d failed" % (published, duration, published / duration, failures))
PY
