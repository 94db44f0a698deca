#!/usr/bin/env bash
# `responder-docs build` against stock `mdbook build` on a large book: the
# synthetic book (2,000 chapters, 80,000 links) written with nothing broken,
# so both write the whole site. One hyperfine run (RUNS=N, default 5).
#
#   bash tests/bench/build-large.sh [CHAPTERS]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
chapters="${1:-2000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
cargo build --locked --release --quiet -p responder-docs-tests --bin synth-book
./target/release/synth-book "$work/large" --chapters "$chapters" --links $((chapters * 40)) --clean >/dev/null
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
RUNS="${RUNS:-5}" WARMUP="${WARMUP:-1}" bash "$repo/tests/bench/build.sh" "$work/large"
