#!/usr/bin/env bash
# Does `responder-docs check` stay linear? Runs it on the synthetic book at
# 500, 1,000, 2,000 and 4,000 chapters (40 links each, the same mix of
# fragments, files and broken links) and prints the time per chapter, which
# must not grow with the book. One hyperfine run per size.
#
#   bash tests/bench/scaling.sh [WORK_DIR]      (RUNS=N, default 5; OURS=BINARY)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
runs="${RUNS:-5}"
sizes=(500 1000 2000 4000)

command -v hyperfine >/dev/null || { echo "hyperfine is missing (apt-get install -y hyperfine)" >&2; exit 2; }

cd "$repo"
cargo build --locked --release -p responder-docs -p responder-docs-tests --bin responder-docs --bin synth-book
ours="${OURS:-$repo/target/release/responder-docs}"

echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for n in "${sizes[@]}"; do
  book="$work/synth-$n"
  rm -rf "$book"
  ./target/release/synth-book "$book" --chapters "$n" --links $((n * 40)) --seed 6 >/dev/null
  hyperfine --warmup 1 --runs "$runs" -i --export-json "$work/scaling-$n.json" \
    -n "check $n" "$ours check $book --format json" >/dev/null
done
python3 - "$work" "${sizes[@]}" <<'PY'
import json, sys
work, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]]
print(f"{'chapters':>8} {'links':>7} {'mean s':>8} {'± s':>6} {'ms/chapter':>10} {'µs/link':>8}")
per = []
for n in sizes:
    r = json.load(open(f"{work}/scaling-{n}.json"))["results"][0]
    per.append(r["mean"] / n)
    print(f"{n:>8} {n * 40:>7} {r['mean']:>8.3f} {r['stddev']:>6.3f} {r['mean'] / n * 1e3:>10.3f} {r['mean'] / (n * 40) * 1e6:>8.2f}")
print(f"time per chapter at {sizes[-1]} against {sizes[0]} chapters: {per[-1] / per[0]:.2f}x (flat is <= 1)")
PY
