#!/usr/bin/env bash
# golden.sh OUT: runs sdetcheck on every sample dossier, every catalogue
# example and every real-world artifact, and writes each run's JSON result,
# exit code and standard error under OUT (the sample dossiers also in every
# text format). Two trees made before and after a change and compared with
# `diff -r` show that the change kept behaviour byte for byte:
#
#   git stash; sh scripts/golden.sh /tmp/before; git stash pop
#   sh scripts/golden.sh /tmp/after && diff -r /tmp/before /tmp/after
#
# Needs jq. The clock is fixed (--now) as in the tests.
set -u
cd "$(dirname "$0")/.."
out=${1:?usage: golden.sh OUT}
mkdir -p "$out"
bin=$(mktemp -d)/sdetcheck
go build -o "$bin" ./cmd/sdetcheck || exit 3
now=2026-11-23T12:00:00Z

# run NAME ARGS...: one run, its outputs named after NAME.
run() {
  name=$(printf '%s' "$1" | tr '/ ' '__'); shift
  "$bin" "$@" --now "$now" >"$out/$name.out" 2>"$out/$name.err"
  echo $? >"$out/$name.code"
}

# args PATH: the sidecar PATH.args of an example, $ROOT being the repository.
args() { [ -f "$1.args" ] && sed "s#\$ROOT#.#g" "$1.args" || true; }

for d in fixtures/dossiers/*/; do
  d=${d%/}
  run "$d.json" audit "$d" --format json
  for f in text md sarif junit html; do
    run "$d.$f" audit "$d" --format "$f"
  done
  run "$d.en.md" audit "$d" --format md --lang en
done

"$bin" rules --format json | jq -r '.rules[] | .area as $a | ((.examples.good // []) + (.examples.bad // []))[] | "\($a) \(.)"' |
  sort -u | while read -r area path; do
    [ -f "$path/ent.yaml" ] && continue
    # shellcheck disable=SC2046
    run "$path.json" check "$area" "$path" $(args "$path") --format json
  done

for e in fixtures/realworld/*/*.expect.yaml; do
  path=${e%.expect.yaml}
  area=$(basename "$(dirname "$path")")
  extra=$(sed -n 's/^args: *\[\(.*\)\].*/\1/p' "$e" | tr -d '",')
  dir=$(dirname "$path")
  set --
  for a in $extra; do
    case $a in --*) set -- "$@" "$a" ;; *) set -- "$@" "$dir/$a" ;; esac
  done
  run "$path.json" check "$area" "$path" "$@" --format json --lang en
done
echo "golden: $(ls "$out" | grep -c '\.code$') runs in $out"
