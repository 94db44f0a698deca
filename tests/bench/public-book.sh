#!/usr/bin/env bash
# `responder-docs check` on a public mdBook book against `hyperlink
# --check-anchors` on the same book's built HTML, side by side in one
# hyperfine run. Build the site first with stock mdBook (`mdbook build -d
# SITE`) and empty its print.html, which repeats every chapter.
# Usage: tests/bench/public-book.sh BOOK SITE
# (RESPONDER_DOCS_BIN picks another build of ours, e.g. target/debug/responder-docs.)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
book="$(cd "$1" && pwd)"
site="$(cd "$2" && pwd)"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
command -v hyperlink >/dev/null || { echo "needs hyperlink (cargo install hyperlink --locked)" >&2; exit 1; }
ours="${RESPONDER_DOCS_BIN:-}"
if [ -z "$ours" ]; then
  cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml" --bin responder-docs
  ours="$repo/target/release/responder-docs"
fi
# Both exit non-zero on a book with broken links; the time is what counts here.
hyperfine --warmup 1 --min-runs 5 -i \
  --command-name "responder-docs check" "$ours check $book" \
  --command-name "hyperlink --check-anchors" "hyperlink --check-anchors $site"
