#!/usr/bin/env bash
# Quick start, part two: install what is missing and run every test — formatting and lints, the
# Rust tests (model, DDL against real SQLite/PostgreSQL/MariaDB, server over HTTP on a SQLite and
# then on a PostgreSQL store), then the browser tests in headless Chromium against the real
# server.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/databases.sh"

ensure_wasm_toolchain
ensure_node_modules
if [ ! -x /usr/bin/chromium ]; then
  step "installing Chromium (Debian)"
  apt_install chromium
fi
ensure_databases

cd "$ROOT"
step "format and lints"
cargo fmt --all --check
# The frontend is a wasm crate: linted for its target, and left out of native builds so `app`
# keeps the same features (ssr) there as in the server binary the browser tests run.
cargo clippy --workspace --exclude frontend --all-targets --locked -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

build_site

step "Rust tests"
cargo test --workspace --exclude frontend --locked

step "server tests again, every store on PostgreSQL"
# The test binaries the pass above built, run again: `cargo test -p server` would resolve other
# features than the workspace does and build them all anew.
mapfile -t SERVER_TESTS < <(cargo test --workspace --exclude frontend --locked --no-run \
  --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if (m.get("reason") == "compiler-artifact" and m.get("executable")
            and m["manifest_path"].endswith("/server/Cargo.toml") and m["profile"]["test"]):
        print(m["executable"])')
[ "${#SERVER_TESTS[@]}" -gt 10 ] || { echo "found only ${#SERVER_TESTS[@]} server test binaries" >&2; exit 1; }
for test in "${SERVER_TESTS[@]}"; do
  (cd "$ROOT/server" && TABLEWRIGHT_TEST_BACKEND=postgres "$test" -q)
done

step "browser tests"
cargo build -p server --locked
cd "$ROOT/end2end"
TABLEWRIGHT_BIN="$TARGET_DIR/debug/tablewright" TABLEWRIGHT_SITE_ROOT="$SITE_ROOT" \
  npx playwright test
