#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, and start Tablewright on the embedded
# SQLite database at http://127.0.0.1:3000 (data in ./data/). Extra arguments go to the server
# (see `--help`), e.g. scripts/run.sh --bind 127.0.0.1:3001
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_wasm_toolchain
ensure_node_modules
build_site
step "building the server"
cargo build --release -p server
cd "$ROOT"
exec "$TARGET_DIR/release/tablewright" --site-root "$SITE_ROOT" "$@"
