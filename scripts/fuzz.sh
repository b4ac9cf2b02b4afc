#!/usr/bin/env bash
# Runs the cargo-fuzz targets (fuzz/) one after another at the lowest priority, each for
# FUZZ_SECONDS (default 600), seeded from ../shared/corpus (TABLEWRIGHT_CORPUS) and fuzz/seeds.
# Needs the nightly toolchain; installs cargo-fuzz when missing. Crashes land in
# fuzz/artifacts/<target>/; each one found becomes a regression test in server/tests/properties.rs.
#   scripts/fuzz.sh              # every target
#   scripts/fuzz.sh ops export   # some
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECONDS_EACH="${FUZZ_SECONDS:-600}"
CORPUS="${TABLEWRIGHT_CORPUS:-$ROOT/../shared/corpus}"
FUZZ_TARGET_DIR="$TARGET_DIR/fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(import ops export)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cd "$ROOT/fuzz"
nice -n 19 cargo +nightly fuzz build --target-dir "$FUZZ_TARGET_DIR"
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  seeds=()
  case "$target" in
    import) for d in "$CORPUS"/*/; do [ -d "$d" ] && seeds+=("$d"); done ;;
    ops) seeds+=("seeds/ops") ;;
    export)
      # SQL seeds for the export target start with a byte naming the dialect to read them in.
      mkdir -p corpus/export-seeds
      for f in "$CORPUS"/*/*.sql; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 16384 ] || continue
        case "$(basename "$(dirname "$f")")" in
          mysql) b=1 ;; mariadb) b=2 ;; sqlite) b=3 ;; mssql) b=4 ;; oracle) b=5 ;; *) b=0 ;;
        esac
        { printf "\\x0$b"; cat "$f"; } > "corpus/export-seeds/$(basename "$f")"
      done
      seeds+=("corpus/export-seeds") ;;
  esac
  step "fuzzing $target for ${SECONDS_EACH}s"
  nice -n 19 cargo +nightly fuzz run --target-dir "$FUZZ_TARGET_DIR" "$target" \
    "corpus/$target" "${seeds[@]}" -- -max_total_time="$SECONDS_EACH" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tee "corpus/$target.log" |
    grep -E '^#[0-9]+.*(pulse|DONE)|stat::|SUMMARY|panicked|artifact' || true
done
