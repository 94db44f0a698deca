#!/usr/bin/env bash
# Architecture tab groups: ours against mdbook-tabs, the reference tabs
# preprocessor, on the same generated book, in one hyperfine run.
#
#   ours (stock mdbook):  mdbook build, with `responder-docs mdbook image-uri` as the
#                         preprocessor ({{#arch}} groups + value directives + checks)
#   mdbook-tabs:          mdbook build, with mdbook-tabs ({{#tabs}} groups, values typed in)
#   ours (in-process):    responder-docs build (every pass of the guide, one process)
#
# CHAPTERS (default 200) chapters of BLOCKS (default 10) architecture groups each.
# Needs hyperfine (apt-get install -y hyperfine); installs mdbook and mdbook-tabs
# with cargo into target/bench-tools when they are missing.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
chapters=${CHAPTERS:-200}
blocks=${BLOCKS:-10}
tools=$root/target/bench-tools
export PATH="$tools/bin:$PATH"

command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 1; }
command -v mdbook >/dev/null || cargo install --locked mdbook --version 0.5.4 --root "$tools"
command -v mdbook-tabs >/dev/null || cargo install --locked mdbook-tabs --version 1.0.5 --root "$tools"
cargo build --release --locked -p responder-docs --manifest-path "$root/Cargo.toml"
ours=$root/target/release/responder-docs

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ours/src" "$work/tabs/src" "$work/ours/theme"
cp "$root/theme/arch-selector.js" "$root/theme/arch-selector.css" "$work/ours/theme/"

release='registry = "709825985650.dkr.ecr.us-east-1.amazonaws.com"
repository = "certograph/responderapi"
version = "1.0.4"
regions = ["us-east-1", "eu-west-1"]

[[preprocessor.image-uri.architectures]]
docker = "amd64"
ecs = "X86_64"
console = "Linux/X86_64"

[[preprocessor.image-uri.architectures]]
docker = "arm64"
ecs = "ARM64"
console = "Linux/ARM64"'

cat > "$work/ours/book.toml" <<TOML
[book]
title = "bench"

[preprocessor.image-uri]
command = "$ours mdbook image-uri"
$release

[output.html]
additional-js = ["theme/arch-selector.js"]
additional-css = ["theme/arch-selector.css"]
TOML

cat > "$work/tabs/book.toml" <<TOML
[book]
title = "bench"

[preprocessor.tabs]
command = "mdbook-tabs"
TOML

uri=709825985650.dkr.ecr.us-east-1.amazonaws.com/certograph/responderapi:1.0.4
printf '# Summary\n\n' | tee "$work/ours/src/SUMMARY.md" > "$work/tabs/src/SUMMARY.md"
for c in $(seq 1 "$chapters"); do
    echo "[Chapter $c](c$c.md)" | tee -a "$work/ours/src/SUMMARY.md" >> "$work/tabs/src/SUMMARY.md"
    {
        echo "# Chapter $c"
        for g in $(seq 1 "$blocks"); do
            printf '\nStep %s of the deployment.\n\n' "$g"
            for a in amd64 arm64; do
                echo "{{#arch $a}}"
                echo "Choose **{{#console-platform $a}}** and paste \`{{#image-uri $a}}\`."
                echo
                echo '```json'
                echo "\"cpuArchitecture\": \"{{#cpu-architecture $a}}\""
                echo '```'
            done
            echo "{{#endarch}}"
        done
    } > "$work/ours/src/c$c.md"
    {
        echo "# Chapter $c"
        for g in $(seq 1 "$blocks"); do
            printf '\nStep %s of the deployment.\n\n' "$g"
            echo '{{#tabs global="arch" }}'
            for a in amd64 arm64; do
                if [ $a = amd64 ]; then console=Linux/X86_64 ecs=X86_64; else console=Linux/ARM64 ecs=ARM64; fi
                echo "{{#tab name=\"$a\" }}"
                echo "Choose **$console** and paste \`$uri-$a\`."
                echo
                echo '```json'
                echo "\"cpuArchitecture\": \"$ecs\""
                echo '```'
                echo '{{#endtab }}'
            done
            echo '{{#endtabs }}'
        done
    } > "$work/tabs/src/c$c.md"
done

# Both must build (and ours must pass its checks) before timing means anything.
mdbook build "$work/ours" -d "$work/out-check-ours" >/dev/null
mdbook build "$work/tabs" -d "$work/out-check-tabs" >/dev/null
grep -q 'role="tablist"' "$work/out-check-ours/c1.html"
grep -q 'mdbook-tab' "$work/out-check-tabs/c1.html"

hyperfine --warmup 1 --runs "${RUNS:-10}" \
    --export-markdown "$work/result.md" \
    -n "ours (stock mdbook)" "mdbook build $work/ours -d $work/out-ours" \
    -n "mdbook-tabs (stock mdbook)" "mdbook build $work/tabs -d $work/out-tabs" \
    -n "ours (responder-docs build, in-process)" "$ours build $work/ours"
cat "$work/result.md"
