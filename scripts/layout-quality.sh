#!/usr/bin/env bash
# Layout-quality benchmark (not a test): Tablewright's auto-layout of every shared-corpus schema
# with foreign keys beside Graphviz `dot` and `sfdp` on the same graphs (`layout/benches/quality.rs`
# says what is measured). Installs Debian's graphviz when missing: a benchmark tool only, the
# product never runs it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v dot >/dev/null || apt_install graphviz
cd "$ROOT"
cargo bench -p layout --bench quality --locked
