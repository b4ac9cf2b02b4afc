# Real PostgreSQL and MariaDB servers for the DDL execution tests. Sourced by scripts/test.sh.
#
# Uses, in order: the servers named by TABLEWRIGHT_TEST_PG_URL / TABLEWRIGHT_TEST_MYSQL_URL; the
# local ones on their standard ports when they answer; else throwaway servers installed from
# Debian's packages, started on free loopback ports with temporary data, stopped on exit.

DB_TMP=""
STOP_DBS=()

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_databases() {
  local cmd
  for cmd in "${STOP_DBS[@]}"; do eval "$cmd" >/dev/null 2>&1 || true; done
  [ -n "$DB_TMP" ] && rm -rf "$DB_TMP"
}

# Runs a command as the `postgres` user when we are root (PostgreSQL refuses to run as root).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_answers() {
  command -v psql >/dev/null && psql "$1" -Atqc 'select 1' >/dev/null 2>&1
}

mysql_answers() {
  command -v mariadb >/dev/null && mariadb --no-defaults -h "$1" -P "$2" -u root -e 'select 1' >/dev/null 2>&1
}

ensure_postgres() {
  if [ -n "${TABLEWRIGHT_TEST_PG_URL:-}" ]; then return; fi
  if pg_answers "postgres://postgres@127.0.0.1:5432/postgres"; then
    export TABLEWRIGHT_TEST_PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
    return
  fi
  step "starting a throwaway PostgreSQL"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  local bin port
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  port="$(free_port)"
  mkdir -p "$DB_TMP/pg"
  [ "$(id -u)" = 0 ] && chown -R postgres "$DB_TMP/pg"
  as_postgres "$bin/initdb" -D "$DB_TMP/pg/data" -A trust -U postgres >/dev/null
  as_postgres "$bin/pg_ctl" -D "$DB_TMP/pg/data" -l "$DB_TMP/pg/log" -w \
    -o "-k $DB_TMP/pg -p $port -c listen_addresses=127.0.0.1" start >/dev/null
  STOP_DBS+=("as_postgres '$bin/pg_ctl' -D '$DB_TMP/pg/data' -m fast stop")
  export TABLEWRIGHT_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

ensure_mariadb() {
  if [ -n "${TABLEWRIGHT_TEST_MYSQL_URL:-}" ]; then return; fi
  if mysql_answers 127.0.0.1 3306; then
    export TABLEWRIGHT_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/test"
    return
  fi
  step "starting a throwaway MariaDB"
  command -v mariadbd >/dev/null || apt_install mariadb-server
  local port
  port="$(free_port)"
  mkdir -p "$DB_TMP/mysql"
  mariadb-install-db --no-defaults --datadir="$DB_TMP/mysql/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal >/dev/null
  mariadbd --no-defaults --datadir="$DB_TMP/mysql/data" --user="$(id -un)" --port="$port" \
    --bind-address=127.0.0.1 --socket="$DB_TMP/mysql/sock" >"$DB_TMP/mysql/log" 2>&1 &
  STOP_DBS+=("mariadb-admin --no-defaults -h 127.0.0.1 -P $port -u root shutdown")
  for _ in $(seq 1 60); do mysql_answers 127.0.0.1 "$port" && break; sleep 0.5; done
  mysql_answers 127.0.0.1 "$port" || { cat "$DB_TMP/mysql/log"; echo "MariaDB did not start" >&2; return 1; }
  mariadb --no-defaults -h 127.0.0.1 -P "$port" -u root -e 'CREATE DATABASE IF NOT EXISTS test'
  export TABLEWRIGHT_TEST_MYSQL_URL="mysql://root@127.0.0.1:$port/test"
}

ensure_databases() {
  DB_TMP="$(mktemp -d)"
  chmod 755 "$DB_TMP"
  trap stop_databases EXIT
  ensure_postgres
  ensure_mariadb
  export TABLEWRIGHT_REQUIRE_DBS=1
  printf 'PostgreSQL: %s\nMariaDB: %s\n' "$TABLEWRIGHT_TEST_PG_URL" "$TABLEWRIGHT_TEST_MYSQL_URL"
}
