#!/usr/bin/env bash
# Wall time of `responder-docs check` (every validator, writes nothing),
# `responder-docs build` (every preprocessor and validator,
# in-process), stock `mdbook build` of the book as writers run it (our passes
# as book.toml `command`s, through preprocessors/mdbook-command), and stock
# `mdbook build` of the same Markdown with no custom preprocessors (the
# reference), side by side in one hyperfine run. A fifth line is the floor
# of any preprocessor that expands the book: stock `mdbook build` with our
# passes' output captured once and replayed by `cat`, so mdBook renders the
# same expanded pages while the preprocessor costs nothing.
# Usage: tests/bench/build.sh [BOOK]   (default: the repository's book)
#        RUNS=N and WARMUP=N set hyperfine's runs (default 10) and warm-ups (2).
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

# Our passes' output, captured from one stock build, for the replay line.
cat > "$work/capture.sh" <<CAPTURE
#!/bin/sh
[ "\$1" = supports ] && exit 0
"$repo/preprocessors/mdbook-command" responder-docs | tee "$work/expanded.json"
CAPTURE
cat > "$work/replay.sh" <<REPLAY
#!/bin/sh
[ "\$1" = supports ] && exit 0
cat >/dev/null
cat "$work/expanded.json"
REPLAY
chmod +x "$work/capture.sh" "$work/replay.sh"
MDBOOK_PREPROCESSOR__RESPONDER_DOCS__COMMAND="$work/capture.sh" mdbook build "$book" --dest-dir "$work/captured" 2>/dev/null || { echo "capturing our passes' output failed" >&2; exit 1; }
replay="MDBOOK_PREPROCESSOR__RESPONDER_DOCS__COMMAND=$work/replay.sh"

hyperfine --warmup "${WARMUP:-2}" --min-runs "${RUNS:-10}" --export-markdown "$work/result.md" \
  --command-name "responder-docs check" "$ours check $book" \
  --command-name "responder-docs build" "$ours build $book --dest-dir $work/ours" \
  --command-name "mdbook build (our passes as commands)" "mdbook build $book --dest-dir $work/commands" \
  --command-name "mdbook build (our passes' output replayed)" "$replay mdbook build $book --dest-dir $work/replayed" \
  --command-name "mdbook build (no preprocessors)" "mdbook build $plain --dest-dir $work/stock"
cat "$work/result.md"
