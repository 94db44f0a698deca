#!/usr/bin/env bash
# Edit to served page under `responder-docs serve` and stock `mdbook serve`,
# side by side in one hyperfine run per book size: each run appends a line to
# one chapter of the synthetic book and waits until the served page holds it.
#
#   bash tests/bench/serve-edit.sh [CHAPTERS...]   (default: 500 2000 8000)
#   RUNS=N (default 10), MDBOOK=path (default: mdbook on PATH),
#   STOCK=0 (ours alone: stock mdBook takes minutes an edit at 8,000 chapters)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(500 2000 8000)
mdbook="${MDBOOK:-mdbook}"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cd "$repo"
cargo build --locked --release --quiet -p responder-docs-tests --bin synth-book
cargo build --locked --release --quiet --bin responder-docs
ours="$repo/target/release/responder-docs"
# The poller: standard library only, so its start-up and polling cost
# neither figure anything (see edit-and-wait.rs).
poll="$work/edit-and-wait"
rustc --edition 2021 -O -o "$poll" "$repo/tests/bench/edit-and-wait.rs"
stock="${STOCK:-1}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # URL LOG PID
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { cat "$2" >&2; exit 1; }
    sleep 0.2
  done
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; $("$mdbook" --version)"
for n in "${sizes[@]}"; do
  ./target/release/synth-book "$work/ours-$n" --chapters "$n" --links $((n * 40)) --clean >/dev/null
  cp -a "$work/ours-$n" "$work/stock-$n"
  # A chapter in the middle of the book; its page is the same path in both sites.
  chapter="$(sed -n 's/^- \[[^]]*\](\(.*\.md\))$/\1/p' "$work/ours-$n/src/SUMMARY.md" | sed -n "$((n / 2))p")"
  page="${chapter%.md}.html"
  p1="$(free_port)"; p2="$(free_port)"
  "$ours" serve "$work/ours-$n" --port "$p1" >"$work/ours-$n.log" 2>&1 & pids+=($!)
  wait_for "http://127.0.0.1:$p1/$page" "$work/ours-$n.log" "${pids[-1]}"
  commands=(-n "responder-docs serve ($n)" "$poll $work/ours-$n/src/$chapter http://127.0.0.1:$p1/$page")
  if [ "$stock" != 0 ]; then
    (cd "$work/stock-$n" && exec "$mdbook" serve --port "$p2") >"$work/stock-$n.log" 2>&1 & pids+=($!)
    wait_for "http://127.0.0.1:$p2/$page" "$work/stock-$n.log" "${pids[-1]}"
    commands+=(-n "mdbook serve ($n)" "$poll $work/stock-$n/src/$chapter http://127.0.0.1:$p2/$page")
  fi
  echo "== $n chapters: edit $chapter, wait for /$page"
  hyperfine -N --runs "${RUNS:-10}" --warmup 1 "${commands[@]}"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pids=()
done
