#!/usr/bin/env bash
# Lints the AWS managed policies (every policy of a checkout of
# github.com/zoph-io/MAMIP, the `Document` of each policy's default version)
# and prints the errors and warnings by code, then times the run with
# hyperfine. BASELINE=/path/to/an/older/responder-docs adds that build to the
# same figures. Usage: tests/bench/policy-corpus.sh MAMIP_CHECKOUT
set -euo pipefail

cd "$(dirname "$0")/../.."
mamip="${1:?usage: tests/bench/policy-corpus.sh MAMIP_CHECKOUT}"
work="$(mktemp -d /tmp/policy-corpus.XXXXXX)"
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install -y hyperfine)" >&2; exit 2; }
python3 - "$mamip/policies" "$work/docs" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
kept = 0
for name in sorted(os.listdir(src)):
    try:
        document = json.load(open(os.path.join(src, name)))["PolicyVersion"]["Document"]
    except (ValueError, KeyError):
        print(f"skipped {name}: not a policy version", file=sys.stderr)
        continue
    json.dump(document, open(os.path.join(out, name + ".json"), "w"), indent=4)
    kept += 1
print(f"{kept} managed policies")
PY

cargo build --quiet --locked --release -p responder-docs --bin responder-docs
ours="$PWD/target/release/responder-docs"
summary() {
  (cd "$work" && "$1" policy lint --format json docs/*.json || true) | python3 -c '
import collections, json, sys
r = json.load(sys.stdin)
print(r["errors"], "errors,", r["warnings"], "warnings")
for (severity, code), n in sorted(collections.Counter((d["severity"], d["code"]) for d in r["diagnostics"]).items()):
    print(f"  {severity:8} {code:32} {n}")'
}
echo "responder-docs (this tree):"; summary "$ours"
if [ -n "${BASELINE:-}" ]; then echo "baseline ($BASELINE):"; summary "$BASELINE"; fi

cd "$work"
hyperfine --warmup 1 --min-runs 5 -i \
  -n "policy lint (managed policies)" "$ours policy lint --format json docs/*.json > /dev/null" \
  ${BASELINE:+-n "baseline policy lint (managed policies)" "$BASELINE policy lint --format json docs/*.json > /dev/null"}
