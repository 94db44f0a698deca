#!/usr/bin/env bash
# Rebuilds of an idle `responder-docs serve`: starts it on a copy of the book,
# touches nothing for SECONDS (default 60) and counts the builds after the
# first one; then saves one chapter once and counts again (must be 1).
# Usage: tests/bench/serve-idle.sh [BOOK] [SECONDS] [BINARY]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
book="$(cd "${1:-$repo}" && pwd)"
seconds="${2:-60}"
ours="${3:-}"
if [ -z "$ours" ]; then
  cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml" --bin responder-docs
  ours="$repo/target/release/responder-docs"
fi

work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/book"
for entry in book.toml src policies templates theme; do
  [ -e "$book/$entry" ] && cp -a "$book/$entry" "$work/book/"
done
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
: >"$work/log"
"$ours" serve "$work/book" --port "$port" 2>"$work/log" &
pid=$!
# Wait for the first build to finish.
until grep -q '^Serving the book' "$work/log"; do
  kill -0 "$pid" || { cat "$work/log" >&2; exit 1; }
  sleep 0.2
done
first="$(grep -c '^Building' "$work/log")"
sleep "$seconds"
idle=$(( $(grep -c '^Building' "$work/log") - first ))
echo "idle rebuilds in ${seconds} s: $idle ($(( idle * 60 / seconds )) per minute)"

chapter="$(find "$work/book/src" -maxdepth 1 -name '*.md' ! -name SUMMARY.md | sort | head -n 1)"
before="$(grep -c '^Building' "$work/log")"
printf '\nOne more line.\n' >> "$chapter"
sleep 5
echo "rebuilds after one save of $(basename "$chapter"): $(( $(grep -c '^Building' "$work/log") - before ))"
