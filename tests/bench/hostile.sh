#!/usr/bin/env bash
# Time and peak memory of `responder-docs` on the worst inputs we know how to
# build, at growing sizes, with stock `mdbook build` of the same book beside
# it where mdBook reads the input too. Each row is one run under
# /usr/bin/time (seconds, peak resident KB); the shape to look for is time and
# memory that grow in step with N, never with its square.
#   tests/bench/hostile.sh [N…]        (default: 2500 5000 10000 20000)
#   tests/bench/hostile.sh budgets     only the inputs with a budget, at 1×,
#                                      2× and 4× (4×: at the budget or the
#                                      file limit), and past it
#   BASELINE=/path/to/an/older/responder-docs adds that build's rows;
#   OURS=/path/to/responder-docs measures that build instead of a fresh one.
set -euo pipefail
cd "$(dirname "$0")/../.."
only_budgets=
if [ "${1:-}" = budgets ]; then only_budgets=1; shift; fi
sizes=("${@:-2500 5000 10000 20000}")
read -r -a sizes <<<"${sizes[*]}"
work="$(mktemp -d /tmp/hostile-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

ours="${OURS:-}"
if [ -z "$ours" ]; then
  cargo build --quiet --locked --release -p responder-docs
  ours="$PWD/target/release/responder-docs"
fi
tools=("ours=$ours")
[ -n "${BASELINE:-}" ] && tools+=("baseline=$BASELINE")

# A one-chapter book whose chapter is `$2`, written by the Python snippet `$3`.
book() {
  local dir="$work/$1"
  mkdir -p "$dir/src"
  printf '[book]\ntitle = "hostile"\n' >"$dir/book.toml"
  printf '# Summary\n\n- [Chapter](chapter.md)\n' >"$dir/src/SUMMARY.md"
  python3 -c "$2" >"$dir/src/chapter.md"
  echo "$dir"
}

measure() { # label tool-name command…
  local label=$1 name=$2; shift 2
  /usr/bin/time -o "$work/time" -f '%e %M' "$@" >/dev/null 2>&1 || true
  read -r seconds kb < <(tail -1 "$work/time")
  printf '%-36s %-9s %8s s %10s KB\n' "$label" "$name" "$seconds" "$kb"
}

printf '%-36s %-9s %10s %13s\n' "input" "tool" "time" "peak memory"
[ -n "$only_budgets" ] && sizes=()
for n in "${sizes[@]}"; do
  directives=$(book "directives-$n" "print('# A\n' + '{{#x\n' * $n + '}}')")
  links=$(book "links-$n" "print('# A\n\n' + ' '.join('[l$n](missing-%d.md)' % i for i in range($n)))")
  headings=$(book "headings-$n" "print('# A\n\n' + '## Setup\n\ntext\n\n' * $n)")
  open_line=$(book "open-line-$n" "print('# A\n\n' + '{{#x ' * $n + '}}')")
  values=$(book "values-$n" "print('# A\n\n' + ' '.join('{{#value nope%d}}' % i for i in range($n)))")
  # Offers of an inline policy beside a policy no user may hold inline:
  # N clauses in one sentence, then N steps that name no target.
  offers=$(book "offers-$n" "print('# A\n\n[p](policies/big.json)\n\nAdd it ' + 'as an inline policy of a user; ' * $n + '.\n\n' + '1. Choose Create inline policy.\n' * $n)")
  mkdir -p "$offers/policies"
  python3 -c "
import json
print(json.dumps({'Version': '2012-10-17', 'Id': 'a' * 3000, 'Statement': [{'Effect': 'Allow', 'Action': 'aws-marketplace:RegisterUsage', 'Resource': '*'}]}))
" >"$offers/policies/big.json"
  ln -s ../policies "$offers/src/policies"
  # A manifest of N `[policies.X]` entries, none with a file.
  manifest=$(book "manifest-$n" "print('# A')")
  mkdir -p "$manifest/policies"
  python3 -c "print(''.join('[policies.p%d]\\nattach = [\"user-inline\"]\\n' % i for i in range($n)))" >"$manifest/policies.toml"
  # A file that includes itself ten times (10^10 includes unbounded), with
  # N lines of its own: stops at the include or size budget.
  fan_out=$(book "fan-out-$n" "print('# A\n\n{{#include f.md}}')")
  python3 -c "print('{{#include f.md}}\n' * 10 + 'filler line\n' * $n)" >"$fan_out/src/f.md"
  # N/4 KiB included 64 times over: stops at the chapter's size budget.
  large=$(book "large-$n" "print('# A\n\n' + '{{#include big.txt}}\n' * 64)")
  python3 -c "print(('x' * 1023 + '\n') * ($n // 4), end='')" >"$large/src/big.txt"
  # The guide, one chapter followed by N numbered steps that each set a
  # value the task definition binds (each step's context is the steps before).
  steps="$work/steps-$n"
  mkdir -p "$steps"
  cp -r book.toml policies.toml src policies templates theme "$steps"
  python3 -c "print(''.join('%d. Set **Memory** to \`%d GB\` and go on.\n' % (i + 1, 1 + i % 3) for i in range($n)))" >>"$steps/src/support.md"
  mkdir -p "$work/policy-$n"
  python3 -c "
import json
print(json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': ['s3:GetObject'] * $n, 'Resource': '*'}]}, separators=(',', ':')))
" >"$work/policy-$n/repeat.json"
  for tool in "${tools[@]}"; do
    name=${tool%%=*} bin=${tool#*=}
    measure "$n lines of {{#x, then }}" "$name" "$bin" check "$directives"
    measure "$n broken links on one line" "$name" "$bin" check "$links" --format json
    measure "$n repeats of one heading" "$name" "$bin" check "$headings"
    measure "$n {{#x on one line, then }}" "$name" "$bin" check "$open_line"
    measure "$n unknown {{#value}} on one line" "$name" "$bin" check "$values" --format json
    measure "policy repeating one action $n×" "$name" "$bin" policy lint --format json "$work/policy-$n/repeat.json"
    measure "$n inline offers, $n bare steps" "$name" "$bin" check "$offers" --format json
    measure "$n manifest entries without a file" "$name" "$bin" check "$manifest" --format json
    measure "self-include ×10, $n lines each" "$name" "$bin" check "$fan_out" --format json
    measure "$((n / 4)) KiB included 64 times" "$name" "$bin" check "$large" --format json
    measure "the guide and $n numbered steps" "$name" "$bin" check "$steps" --format json
  done
  if command -v mdbook >/dev/null; then
    measure "$n lines of {{#x, then }}" "mdbook" mdbook build "$directives" --dest-dir "$work/out"
    measure "$n broken links on one line" "mdbook" mdbook build "$links" --dest-dir "$work/out"
    measure "$n repeats of one heading" "mdbook" mdbook build "$headings" --dest-dir "$work/out"
  fi
done

# The budgets (docs/src/security.md): at 1×, 2× and 4×, where 4× is at the
# budget (or the 16 MiB file limit), then past it, where the run stops at
# once with `reach::over-budget`.
# The guide with N resources added to its stack template (each one is
# judged against the deployer policy: the costly part).
guide_with() { # name python-snippet-editing-the-copy
  local dir="$work/$1"
  mkdir -p "$dir"
  cp -r book.toml policies.toml src policies templates theme "$dir"
  (cd "$dir" && python3 -c "$2")
  echo "$dir"
}
add_resources="
import json, sys
path = 'templates/responderapi-stack.json'
t = json.load(open(path))
for i in range(N):
    t['Resources']['LogGroup%d' % i] = {'Type': 'AWS::Logs::LogGroup', 'Properties': {'LogGroupName': {'Fn::Sub': '/ecs/\${AWS::StackName}-%d' % i}, 'RetentionInDays': 14}}
json.dump(t, open(path, 'w'), indent=2)
"
long_template="
import json
path = 'templates/responderapi-stack.json'
t = json.load(open(path))
size = len(json.dumps(t, separators=(',', ':')))
t['Description'] = 'x' * (N - size - len(',\"Description\":\"\"'))
json.dump(t, open(path, 'w'), separators=(',', ':'))
"
long_policy="
import json
path = 'policies/task-role-policy.json'
p = json.load(open(path))
size = len(json.dumps(p, separators=(',', ':')))
p['Statement'][0]['Sid'] = 'S' * (N - size + len(p['Statement'][0].get('Sid', '')))
json.dump(p, open(path, 'w'), separators=(',', ':'))
"
for k in 1 2 4 16; do
  past=""; [ "$k" = 16 ] && past=" (past)"
  rows=()
  line=$(book "line-$k" "print('# A\n\n' + 'word ' * ($k * 838860 - 3))")
  [ "$k" != 16 ] && rows+=("chapter: one line of $((k * 4)) MiB|$line")
  brackets=$(book "brackets-$k" "print('# A\n\n' + '[' * ($k * 25000) + 'x' + ']' * 0)")
  rows+=("chapter: $((k * 25000)) nested [$past|$brackets")
  openers=$(book "openers-$k" "print('# A\n\n' + '*a ' * ($k * 25000))")
  rows+=("chapter: $((k * 25000)) *a openers$past|$openers")
  quotes=$(book "quotes-$k" "print('# A\n\n' + '> ' * ($k * 25000) + 'deep')")
  [ "$k" != 16 ] && rows+=("chapter: $((k * 25000)) nested >|$quotes")
  lists=$(book "lists-$k" "print('# A\n\n' + ''.join('  ' * i + '- item\n' for i in range($k * 500)))")
  [ "$k" != 16 ] && rows+=("chapter: lists $((k * 500)) deep|$lists")
  # One line of k×16 MiB through includes (4×: the 64 MiB a chapter may include).
  long_include=$(book "long-include-$k" "print('# A\n\n' + '{{#include big.txt}}' * $k)")
  python3 -c "print('word ' * 3355440, end='')" >"$long_include/src/big.txt"
  [ "$k" != 16 ] && rows+=("include: one line of $((k * 16)) MiB|$long_include")
  included=$(book "included-$k" "print('# A\n\n{{#include big.txt}}')")
  python3 -c "print('[' * ($k * 25000))" >"$included/src/big.txt"
  rows+=("include of $((k * 25000)) [$past|$included")
  # The stack template holds 7 resources: 4× brings it to the 500 allowed.
  resources=$(guide_with "resources-$k" "${add_resources//N/$((k * 123 + 1))}")
  rows+=("template: $((k * 123 + 8)) resources$past|$resources")
  if [ "$k" = 16 ]; then
    many=$(guide_with "resources-75000" "${add_resources//N/75000}")
    rows+=("template: 75000 resources (past)|$many")
  else
    tline=$(guide_with "template-line-$k" "${long_template//N/$((k * 262144))}")
    rows+=("template: one line of $((k * 256)) KiB|$tline")
    pline=$(guide_with "policy-line-$k" "${long_policy//N/$((k * 32768))}")
    rows+=("policy: one line of $((k * 32)) KiB|$pline")
  fi
  [ "$k" = 16 ] && { pline=$(guide_with "policy-line-past" "${long_policy//N/$((16 << 20))}"); rows+=("policy: one line of 16 MiB (past)|$pline"); }
  for row in "${rows[@]}"; do
    for tool in "${tools[@]}"; do
      name=${tool%%=*} bin=${tool#*=}
      measure "${row%%|*}" "$name" "$bin" check "${row#*|}" --format json
    done
  done
done
