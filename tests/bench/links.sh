#!/usr/bin/env bash
# Link checking on a synthetic book of 2,000 chapters and 80,000 links:
# `responder-docs check` (Markdown in, source lines out) against
# `hyperlink --check-anchors` on the same book's HTML, in one hyperfine run.
# Both must find the same broken links.
#
#   bash tests/bench/links.sh [WORK_DIR]
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
synth="$work/synth"
runs="${RUNS:-10}"

# Tools this script installs itself go under target/, not into the user's PATH.
tools="$repo/target/tools"
export PATH="$PATH:$tools/bin"
command -v hyperfine >/dev/null || { echo "hyperfine is missing (apt-get install -y hyperfine)" >&2; exit 2; }
command -v mdbook >/dev/null || cargo install mdbook --locked --version 0.5.4 --root "$tools"
command -v hyperlink >/dev/null || cargo install hyperlink --locked --root "$tools"

cd "$repo"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
cargo build --locked --release -p responder-docs -p responder-docs-tests --bin responder-docs --bin synth-book
rm -rf "$synth"
./target/release/synth-book "$synth" --chapters 2000 --links 80000 --seed 6
mdbook build "$synth" >/dev/null 2>&1

# OURS=path compares another build (an earlier commit's, for a before/after figure).
ours="${OURS:-$repo/target/release/responder-docs}"
grep -q -- '--check-anchors' <<<"$(hyperlink --help 2>&1)" || { echo "this hyperlink has no --check-anchors" >&2; exit 2; }

# Same broken links? Ours are per Markdown line; hyperlink's per HTML page:
# compare the sets of (page, target) both report.
"$ours" check "$synth" --format json > "$work/ours.json" || true
hyperlink --check-anchors "$synth/book" > "$work/hyperlink.txt" 2>&1 || true
python3 - "$work/ours.json" "$work/hyperlink.txt" "$synth/book" <<'PY'
import json, posixpath, sys
ours_json, theirs_txt, site = sys.argv[1:4]
ours = set()
for d in json.load(open(ours_json))["diagnostics"]:
    if d["code"] not in ("links::missing-file", "links::missing-anchor"):
        continue
    page = d["path"].removeprefix("src/").removesuffix(".md") + ".html"
    dest = d["message"].split("`")[1]
    path, _, frag = dest.partition("#")
    if path:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        path = path[:-3] + ".html" if path.endswith(".md") else path
    else:
        path = page
    ours.add((page, path + ("#" + frag if frag else "")))
theirs, page = set(), None
for line in open(theirs_txt):
    if line.startswith(site):
        page = line.strip()[len(site) + 1:]
    elif line.strip().startswith("error: bad link"):
        theirs.add((page, line.split("bad link", 1)[1].strip().lstrip("/")))
print(f"broken links: responder-docs {len(ours)}, hyperlink {len(theirs)}")
if ours != theirs:
    for x in sorted(ours - theirs)[:10]: print("  only responder-docs:", x)
    for x in sorted(theirs - ours)[:10]: print("  only hyperlink:", x)
    sys.exit(1)
print("the same broken links")
PY

hyperfine --warmup 2 --runs "$runs" -i --export-json "$work/hyperfine.json" \
  -n "responder-docs check" "$ours check $synth --format json" \
  -n "hyperlink --check-anchors" "hyperlink --check-anchors $synth/book"
python3 - "$work/hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
ours, theirs = r["responder-docs check"], r["hyperlink --check-anchors"]
print(f"responder-docs {ours:.3f} s, hyperlink {theirs:.3f} s, ratio {ours / theirs:.2f} (goal <= 1)")
PY
