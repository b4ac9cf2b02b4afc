# Shared steps of scripts/run.sh and scripts/test.sh: install what is missing, build the site.
# Sourced, not run. Every step skips what is already in place.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SITE_ROOT="$TARGET_DIR/site"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

# apt-get as root, or through sudo when there is one.
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ -z "${APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# The wasm target, and wasm-bindgen-cli at exactly the version Cargo.lock pins.
ensure_wasm_toolchain() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    step "installing wasm-bindgen-cli $want (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# Node packages of end2end/ (Playwright, and binaryen's wasm-opt); never downloads browsers.
ensure_node_modules() {
  if ! command -v npm >/dev/null; then
    step "installing Node.js"
    apt_install nodejs npm
  fi
  if [ ! -d "$ROOT/end2end/node_modules" ] ||
     [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    step "installing end2end/ node packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The WASM bundle, its JS glue and the CSS, in $SITE_ROOT/pkg.
build_site() {
  step "building the WASM bundle"
  cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release
  local pkg="$SITE_ROOT/pkg" wasm="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  mkdir -p "$pkg"
  if [ ! -f "$pkg/tablewright_bg.wasm" ] || [ "$wasm" -nt "$pkg/tablewright_bg.wasm" ]; then
    wasm-bindgen --target web --no-typescript --out-name tablewright --out-dir "$pkg" "$wasm"
    # binaryen's wasm-opt from npm (Debian's older one breaks the module silently).
    "$ROOT/end2end/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory \
      --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      "$pkg/tablewright_bg.wasm" -o "$pkg/tablewright_bg.wasm"
  fi
  cp "$ROOT/style/main.css" "$pkg/tablewright.css"
  cp "$ROOT/style/favicon.svg" "$pkg/favicon.svg"
  # Content-hashed copies, cached by browsers for good; hash.txt tells the server their names.
  rm -f "$pkg"/tablewright.????????????????.*
  local js_hash wasm_hash css_hash
  js_hash=$(sha256sum "$pkg/tablewright.js" | cut -c1-16)
  wasm_hash=$(sha256sum "$pkg/tablewright_bg.wasm" | cut -c1-16)
  css_hash=$(sha256sum "$pkg/tablewright.css" | cut -c1-16)
  cp "$pkg/tablewright.js" "$pkg/tablewright.$js_hash.js"
  cp "$pkg/tablewright_bg.wasm" "$pkg/tablewright.$wasm_hash.wasm"
  cp "$pkg/tablewright.css" "$pkg/tablewright.$css_hash.css"
  printf 'js: %s\nwasm: %s\ncss: %s\n' "$js_hash" "$wasm_hash" "$css_hash" >"$pkg/hash.txt"
  for f in "$pkg"/tablewright.js "$pkg"/tablewright_bg.wasm "$pkg"/tablewright.css \
    "$pkg/tablewright.$js_hash.js" "$pkg/tablewright.$wasm_hash.wasm" \
    "$pkg/tablewright.$css_hash.css"; do
    gzip -9 -k -f "$f"
  done
  printf 'site: %s (wasm %s bytes, gzip %s)\n' "$pkg" \
    "$(stat -c %s "$pkg/tablewright_bg.wasm")" "$(stat -c %s "$pkg/tablewright_bg.wasm.gz")"
}
