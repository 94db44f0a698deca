#!/usr/bin/env bash
# Near-duplicate step lists on the 2,000-chapter synthetic book: the
# indexed detector (step hashes, identical lists collapsed, an inverted
# index proposing candidates) against every pair of lists compared step by
# step, side by side in one hyperfine run. Goal: detection under 0.5 s.
#
#   bash tests/bench/procedures.sh [BOOK_DIR]
#
# BOOK_DIR defaults to a fresh book from the `synth-book` generator.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

book="${1:-}"
if [ -z "$book" ]; then
  book="$(mktemp -d)/synthetic"
  cargo run --quiet --locked --release -p responder-docs-tests --bin synth-book -- "$book"
fi

cargo build --quiet --locked --release -p responder-docs-tests --bin near-dup-bench
bench="$root/target/release/near-dup-bench"

echo "== what each finds (equal, but for pairs whose shared steps are all boilerplate found in more than 256 lists, which the index does not propose)"
"$bench" "$book"
"$bench" --naive "$book"

echo "== hyperfine: index vs every pair"
hyperfine --warmup 1 --runs "${RUNS:-5}" -N \
  --command-name "index" "$bench $book" \
  --command-name "every pair (reference)" "$bench --naive $book"
