#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback, for the tests and benchmarks.
#
#   eval "$(bash scripts/pg.sh start)"   # prints export lines: EVIDENCE_DESK_TEST_DB_URL, EVIDENCE_DESK_PG_DIR
#   bash scripts/pg.sh stop "$EVIDENCE_DESK_PG_DIR"
#
# The cluster lives in a new temporary folder (initdb), listens on 127.0.0.1 only, on a
# free port, with password (scram-sha-256) authentication and a random password for the
# superuser "evidence". The server must not run as root: as root the cluster is created and
# run as the "postgres" system user (installed with the Debian packages), else as "nobody".
# It is tuned for tests (fsync off): never put real data in it.
set -euo pipefail

find_bin() {
  local b
  for b in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$b/initdb" ] && { echo "$b"; return 0; }
  done
  b=$(command -v initdb 2>/dev/null || true)
  [ -n "$b" ] && { dirname "$(readlink -f "$b")"; return 0; }
  return 1
}

as_owner() {  # run a command as the cluster's owner
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_OWNER" -- "$@"
  else
    "$@"
  fi
}

cmd=${1:-}
case "$cmd" in
start)
  BIN=$(find_bin) || { echo "pg.sh: PostgreSQL is not installed (bash scripts/setup.sh installs it)" >&2; exit 1; }
  if [ "$(id -u)" = 0 ]; then
    PG_OWNER=postgres
    id "$PG_OWNER" >/dev/null 2>&1 || PG_OWNER=nobody
  else
    PG_OWNER=$(id -un)
  fi
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/evidence-pg.XXXXXX")
  chmod 755 "$DIR"
  PW=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  printf '%s\n' "$PW" > "$DIR/pwfile"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then chown -R "$PG_OWNER" "$DIR"; fi
  as_owner "$BIN/initdb" -D "$DIR/data" -U evidence --pwfile="$DIR/pwfile" -A scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  cat >>"$DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
EOF
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
  echo "$PG_OWNER" > "$DIR/owner"
  echo "export EVIDENCE_DESK_TEST_DB_URL='postgresql://evidence:$PW@127.0.0.1:$PORT/postgres'"
  echo "export EVIDENCE_DESK_PG_DIR='$DIR'"
  echo "export EVIDENCE_DESK_PG_BIN='$BIN'"
  ;;
stop)
  DIR=${2:-${EVIDENCE_DESK_PG_DIR:-}}
  [ -n "$DIR" ] && [ -d "$DIR/data" ] || { echo "pg.sh: no cluster folder given" >&2; exit 1; }
  BIN=$(find_bin)
  PG_OWNER=$(cat "$DIR/owner" 2>/dev/null || id -un)
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  ;;
*)
  echo "usage: bash scripts/pg.sh start | stop DIR" >&2
  exit 2
  ;;
esac
