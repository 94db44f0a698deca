#!/usr/bin/env bash
# Wall time of `responder-docs check` (every validator, writes nothing),
# `responder-docs build` (every preprocessor and validator,
# in-process), stock `mdbook build` of the book as writers run it (our passes
# as book.toml `command`s, through preprocessors/mdbook-command), and stock
# `mdbook build` of the same Markdown with no custom preprocessors (the
# reference), side by side in one hyperfine run.
# Usage: tests/bench/build.sh [BOOK]   (default: the repository's book)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
book="$(cd "${1:-$repo}" && pwd)"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
command -v mdbook >/dev/null || { echo "needs mdbook 0.5.4 (cargo install mdbook --locked --version 0.5.4)" >&2; exit 1; }

cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml" --bin responder-docs
ours="$repo/target/release/responder-docs"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The same book for stock mdBook, minus our [preprocessor.*] tables.
plain="$work/plain"
mkdir -p "$plain"
for entry in src policies templates theme; do
  [ -e "$book/$entry" ] && cp -a "$book/$entry" "$plain/"
done
awk '/^\[+preprocessor\./ {skip=1; next} /^\[/ {skip=0} !skip' "$book/book.toml" > "$plain/book.toml"

hyperfine --warmup 2 --min-runs 10 --export-markdown "$work/result.md" \
  --command-name "responder-docs check" "$ours check $book" \
  --command-name "responder-docs build" "$ours build $book --dest-dir $work/ours" \
  --command-name "mdbook build (our passes as commands)" "mdbook build $book --dest-dir $work/commands" \
  --command-name "mdbook build (no preprocessors)" "mdbook build $plain --dest-dir $work/stock"
cat "$work/result.md"
