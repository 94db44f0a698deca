#!/usr/bin/env bash
# cfn-lint against our template check on the same broken templates
# (tests/fixtures/aws/cfn-broken/, one break each), side by side in one
# hyperfine run, then each tool's findings per template.
# Usage: tests/bench/cfn.sh      (needs hyperfine and cfn-lint on PATH)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
command -v cfn-lint >/dev/null || { echo "needs cfn-lint (pip install cfn-lint)" >&2; exit 1; }

cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml" --bin responder-docs
ours="$repo/target/release/responder-docs"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One book whose templates/ folder holds every broken template: our check
# reads every templates/*.json of a book.
book="$work/book"
mkdir -p "$book/src" "$book/templates"
printf '[book]\ntitle = "Broken templates"\n' > "$book/book.toml"
printf '# Summary\n\n- [Intro](intro.md)\n' > "$book/src/SUMMARY.md"
printf '# Intro\n' > "$book/src/intro.md"
cp "$repo"/tests/fixtures/aws/cfn-broken/*.json "$book/templates/"
cp -a "$repo/policies" "$book/policies"

hyperfine --warmup 1 --runs 3 --ignore-failure --export-markdown "$work/result.md" \
  --command-name "cfn-lint (13 templates)" "cfn-lint $book/templates/*.json" \
  --command-name "responder-docs check (13 templates)" "$ours check $book"
cat "$work/result.md"

echo
echo "| template | cfn-lint | responder-docs |"
echo "| --- | --- | --- |"
"$ours" check "$book" --format json > "$work/ours.json" || true
for template in "$book"/templates/*.json; do
  name="$(basename "$template")"
  theirs="$(cfn-lint --format parseable "$template" | awk -F: '{print $5}' | sort -u | paste -sd' ' -)" || true
  mine="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(" ".join(sorted({d["code"] for d in r["diagnostics"] if d["path"]=="templates/"+sys.argv[2]})))' "$work/ours.json" "$name")"
  echo "| $name | ${theirs:--} | ${mine:--} |"
done
