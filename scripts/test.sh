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
TABLEWRIGHT_TEST_BACKEND=postgres cargo test -p server --locked

step "browser tests"
cargo build -p server --locked
cd "$ROOT/end2end"
TABLEWRIGHT_BIN="$TARGET_DIR/debug/tablewright" TABLEWRIGHT_SITE_ROOT="$SITE_ROOT" \
  npx playwright test
