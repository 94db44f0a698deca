#!/usr/bin/env bash
# Lints 1,000 generated IAM policies (valid and faulty, both kinds) with
# `responder-docs policy lint` and with parliament (PyPI, installed in a
# throw-away virtual environment) on the same files, in one hyperfine run.
# Goal: ours under 0.2 s in total. Usage: tests/bench/policy.sh [N]
# BASELINE=/path/to/an/older/responder-docs adds that build to the same run.
set -euo pipefail

cd "$(dirname "$0")/../.."
n="${1:-1000}"
work="$(mktemp -d /tmp/policy-bench.XXXXXX)"
venv=/tmp/parliament-venv
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install -y hyperfine)" >&2; exit 2; }
if [ ! -x "$venv/bin/parliament" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet parliament
fi

cargo build --quiet --locked --release -p responder-docs -p responder-docs-tests --bin responder-docs --bin gen-policies
target/release/gen-policies "$work/policies" "$n"
ours="$PWD/target/release/responder-docs"

# Both tools exit non-zero on findings: -i keeps hyperfine going.
hyperfine --warmup 2 --min-runs 10 -i \
  --export-markdown "$work/results.md" \
  -n "responder-docs policy lint ($n files)" "$ours policy lint --format json $work/policies/*.json > /dev/null" \
  -n "parliament ($n files)" "$venv/bin/parliament --directory $work/policies --include_policy_extension .json --json > /dev/null" \
  ${BASELINE:+-n "baseline policy lint ($n files)" "$BASELINE policy lint --format json $work/policies/*.json > /dev/null"}

echo
cat "$work/results.md"
echo
echo "findings: responder-docs $("$ours" policy lint --format json "$work"/policies/*.json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["errors"], "errors,", r["warnings"], "warnings")')," \
  "parliament $("$venv/bin/parliament" --directory "$work/policies" --include_policy_extension .json --json | wc -l) findings"
