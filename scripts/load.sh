#!/usr/bin/env bash
# Load benchmark (not a test): the release server on loopback, a 1,000-table diagram and 50 small
# ones, then wrk for LOAD_SECONDS (60) with LOAD_CONNECTIONS (64) on the mix in load/mix.lua.
# Prints wrk's figures (req/s, latency percentiles, errors) and the server's memory every
# 5 s (VmRSS) and at the end (VmHWM, the peak). Installs Debian's wrk when missing.
#
# LOAD_DATABASE_URL: the store (default: a new SQLite file); give an empty PostgreSQL database to
# measure that backend. LOAD_INSTANCES (1): that many servers on the store, behind Debian's nginx
# as a round-robin balancer (installed when missing) when more than one.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECONDS_RUN="${LOAD_SECONDS:-60}"
INSTANCES="${LOAD_INSTANCES:-1}"
CONNECTIONS="${LOAD_CONNECTIONS:-64}"
command -v wrk >/dev/null || apt_install wrk

cd "$ROOT"
step "building the release server"
cargo build --release -p server --locked
BIN="$TARGET_DIR/release/tablewright"
DATA="$(mktemp -d)"
STORE="${LOAD_DATABASE_URL:-sqlite://$DATA/load.db}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()
UPSTREAMS=""
for i in $(seq 1 "$INSTANCES"); do
  PORT="$(free_port)"
  RUST_LOG=warn "$BIN" --bind "127.0.0.1:$PORT" --database-url "$STORE" \
    --site-root "$SITE_ROOT" >"$DATA/server$i.log" 2>&1 &
  PIDS+=($!)
  UPSTREAMS+="server 127.0.0.1:$PORT; "
  until curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.1; done
done
SERVER="${PIDS[0]}"
trap 'kill "${PIDS[@]}" 2>/dev/null; wait "${PIDS[@]}" 2>/dev/null; rm -rf "$DATA"' EXIT
if [ "$INSTANCES" -gt 1 ]; then
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
  PORT="$(free_port)"
  mkdir -p "$DATA/nginx"
  cat >"$DATA/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $DATA/nginx/error.log;
pid $DATA/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  upstream tablewright { $UPSTREAMS keepalive 64; }
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://tablewright;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host 127.0.0.1:$PORT;
    }
  }
}
CONF
  /usr/sbin/nginx -p "$DATA/nginx" -c "$DATA/nginx/nginx.conf"
  trap 'kill $(cat "$DATA/nginx/nginx.pid") "${PIDS[@]}" 2>/dev/null; wait "${PIDS[@]}" 2>/dev/null; rm -rf "$DATA"' EXIT
fi
BASE="http://127.0.0.1:$PORT"
printf 'store %s, %s instance(s), requests to %s\n' "$STORE" "$INSTANCES" "$BASE"

step "an account and a write token (every request is made with it)"
curl -sf -c "$DATA/cookies" -H 'content-type: application/json' \
  -d '{"email":"load@example.com","name":"Load","password":"load test password"}' \
  "$BASE/api/auth/signup" >/dev/null
TOKEN="$(curl -sf -b "$DATA/cookies" -H 'content-type: application/json' -d '{"name":"load","scope":"write"}' \
  "$BASE/api/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
AUTH="Authorization: Bearer $TOKEN"

step "seeding: a 1,000-table diagram and 50 small ones"
python3 - "$DATA/big.sql" <<'PY'
import sys
with open(sys.argv[1], "w") as out:
    for i in range(1000):
        ref = f",\n  parent_id integer REFERENCES t{i - 1} (id)" if i else ""
        out.write(f"CREATE TABLE t{i} (\n  id integer PRIMARY KEY,\n  name varchar(100) NOT NULL,\n"
                  f"  created_at timestamp DEFAULT CURRENT_TIMESTAMP,\n  amount numeric(10,2){ref}\n);\n")
PY
BIG="$(curl -sf -H "$AUTH" -H 'content-type: text/plain' --data-binary "@$DATA/big.sql" \
  "$BASE/api/ddl/import?dialect=postgresql&name=big" | python3 -c 'import json,sys; print(json.load(sys.stdin)["diagram_id"])')"
for i in $(seq 1 50); do
  curl -sf -H "$AUTH" -H 'content-type: application/json' -d "{\"name\":\"small $i\"}" "$BASE/api/diagrams" >/dev/null
done
TABLES="$(curl -sf -H "$AUTH" "$BASE/api/diagrams/$BIG" | python3 -c 'import json,sys; d=json.load(sys.stdin)["diagram"]; print(",".join(t["id"] for t in d["tables"][:200]))')"
printf 'big diagram %s: %s bytes of JSON\n' "$BIG" "$(curl -sf -H "$AUTH" "$BASE/api/diagrams/$BIG" | wc -c)"

step "wrk: ${SECONDS_RUN}s, $CONNECTIONS connections (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
(
  while kill -0 $SERVER 2>/dev/null; do
    printf 'rss %s kB at %s\n' "$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)" "$(date +%T)"
    sleep 5
  done
) >"$DATA/memory.log" 2>/dev/null &
SAMPLER=$!
BIG="$BIG" TABLES="$TABLES" TOKEN="$TOKEN" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --timeout 10s --latency \
  -s "$ROOT/scripts/load/mix.lua" "$BASE"
kill $SAMPLER 2>/dev/null || true
step "server memory"
cat "$DATA/memory.log"
grep -E 'VmHWM|VmRSS' /proc/$SERVER/status
printf 'load average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'revisions of the big diagram: %s\n' \
  "$(curl -sf -H "$AUTH" "$BASE/api/diagrams/$BIG" | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')"
