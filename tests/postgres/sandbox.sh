#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests: a fresh cluster in a temporary folder, on a free
# loopback port, trusting local connections, removed again by `stop`.
#
#   sandbox.sh start STATE_FILE   starts one; STATE_FILE gets URL=… and DATA=… lines
#   sandbox.sh restart STATE_FILE stops it fast (clients are cut off) and starts it on the same port
#   sandbox.sh down STATE_FILE    stops it fast, keeping its data (an outage)
#   sandbox.sh up STATE_FILE      starts it again on the same port, once `down`
#   sandbox.sh freeze STATE_FILE  SIGSTOPs the server and its backends: a server that hangs (the
#                                 kernel still accepts and acknowledges connections)
#   sandbox.sh thaw STATE_FILE    SIGCONTs them
#   sandbox.sh stop STATE_FILE    stops it and deletes its folder and STATE_FILE
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user (created by
# Debian's package) and its folder is made reachable for it. SMBHUB_PG_OPTIONS replaces the
# default extra server options ("-c fsync=off": tests need no durability against power loss;
# benchmarks set it to "" to measure a durable server).
set -euo pipefail

command=${1:?usage: sandbox.sh start|restart|down|up|freeze|thaw|stop STATE_FILE}
state=${2:?usage: sandbox.sh start|restart|down|up|freeze|thaw|stop STATE_FILE}

bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/pg_ctl" ]; then
  echo "sandbox.sh: PostgreSQL 15 is not installed ($bin/pg_ctl); scripts/install-deps.sh installs it" >&2
  exit 1
fi

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_start() {  # DATA PORT
  as_server "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 30 \
    -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c max_connections=300 ${SMBHUB_PG_OPTIONS--c fsync=off}" start >/dev/null
}

pg_stop() {  # DATA
  as_server "$bin/pg_ctl" -D "$1/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

# The postmaster and its children (backends, background workers), by process id, from /proc
# (no procps needed).
server_pids() {  # DATA
  local postmaster stat rest ppid
  postmaster=$(head -1 "$1/data/postmaster.pid")
  echo "$postmaster"
  for file in /proc/[0-9]*/stat; do
    { stat=$(<"$file"); } 2>/dev/null || continue  # gone meanwhile
    rest=${stat##*) }  # after the command name, which may contain spaces
    read -r _ ppid _ <<<"$rest"  # state, parent, …
    [ "$ppid" = "$postmaster" ] && echo "${file//[^0-9]/}"
  done
}

read_state() {
  # shellcheck disable=SC1090
  . "$state"
  : "${DATA:?}" "${PORT:?}"
}

case "$command" in
  start)
    if [ -f "$state" ]; then "$0" stop "$state"; fi  # left over from an interrupted run
    dir=$(mktemp -d /tmp/smbhub-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    as_server "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for _ in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 30000))
      port_in_use "$port" && continue
      if pg_start "$dir" "$port"; then
        printf 'URL=postgresql://postgres@127.0.0.1:%s/postgres\nDATA=%s\nPORT=%s\n' "$port" "$dir" "$port" >"$state"
        echo "PostgreSQL test server on 127.0.0.1:$port ($dir)"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    exit 1
    ;;
  restart)
    read_state
    pg_stop "$DATA"
    pg_start "$DATA" "$PORT"
    ;;
  down)
    read_state
    pg_stop "$DATA"
    ;;
  up)
    read_state
    pg_start "$DATA" "$PORT"
    ;;
  freeze)
    read_state
    # shellcheck disable=SC2046
    kill -STOP $(server_pids "$DATA")
    ;;
  thaw)
    read_state
    # shellcheck disable=SC2046
    kill -CONT $(server_pids "$DATA")
    ;;
  stop)
    [ -f "$state" ] || exit 0
    read_state
    if [ -f "$DATA/data/postmaster.pid" ]; then kill -CONT $(server_pids "$DATA") 2>/dev/null || true; fi
    pg_stop "$DATA"
    rm -rf "$DATA" "$state"
    ;;
  *)
    echo "usage: sandbox.sh start|restart|down|up|freeze|thaw|stop STATE_FILE" >&2
    exit 2
    ;;
esac
