#!/bin/sh
# Benchmarks `sdetcheck check gar` against `xmllint --stream --noout --schema`
# on the same generated feed (default 500,000 pupils, with teachers, groups
# and links in realistic proportions; see internal/gargen).
#
#   scripts/bench-gar.sh [PUPILS]
#
# Needs xmllint (Debian: libxml2-utils) and GNU time (Debian: time).
# Measures sdetcheck with its default XSD engine (libxml2 when present) and
# with the pure-Go one (--xsd-engine go), then xmllint in one process (the
# issue's yardstick) and in two. Prints wall and CPU time, records/s, MB/s
# and peak RSS for each; the feed is removed at the end unless KEEP=1
# (BENCH_DIR=DIR reuses DIR/feed when it is there).
set -eu
N=${1:-500000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d /tmp/sdetcheck-bench.XXXXXX)}
XSD="$ROOT/checks/gar/schema/GAR-ENT-2D-v1.7.xsd"
command -v xmllint >/dev/null || { echo "xmllint missing (apt-get install libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing (apt-get install time)" >&2; exit 2; }

cd "$ROOT"
go build -o "$WORK/sdetcheck" ./cmd/sdetcheck
if [ -f "$WORK/gargen.txt" ]; then
	GEN=$(cat "$WORK/gargen.txt")
	echo "== reusing $WORK/feed"
else
	echo "== generating $N pupils in $WORK/feed"
	GEN=$(go run ./cmd/gargen -pupils "$N" -out "$WORK/feed")
	echo "$GEN" > "$WORK/gargen.txt"
fi
echo "$GEN"
RECORDS=$(echo "$GEN" | sed -n 's/.*records=\([0-9]*\).*/\1/p')
BYTES=$(cat "$WORK"/feed/*.xml | wc -c)
FILES=$(ls "$WORK"/feed/*.xml | wc -l)
echo "files=$FILES bytes=$BYTES records=$RECORDS cores=$(nproc)"

measure() { # name, command...
	name=$1; shift
	sync
	/usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || true
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/$name.time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
	usr=$(sed -n 's/.*User time (seconds): //p' "$WORK/$name.time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$WORK/$name.time")
	awk -v n="$name" -v s="$secs" -v r="$RECORDS" -v b="$BYTES" -v m="$rss" -v u="$usr" -v y="$sys" 'BEGIN {
		printf "%-30s %7.2f s wall %7.2f s CPU %10.0f records/s %7.1f MB/s %7.1f MiB peak RSS\n", n, s, u+y, r/s, b/s/1e6, m/1024 }'
}

echo "== results"
SD="check gar $WORK/feed --format json --now 2026-11-23T12:00:00Z --degree 2D --id-ent ENTFICTIF1"
# shellcheck disable=SC2086
measure sdetcheck "$WORK/sdetcheck" $SD
# shellcheck disable=SC2086
measure sdetcheck-xsd-engine-go "$WORK/sdetcheck" $SD --xsd-engine go
measure xmllint-1-process sh -c "xmllint --stream --noout --schema '$XSD' '$WORK'/feed/*.xml"
measure xmllint-2-parallel sh -c "ls '$WORK'/feed/*.xml | xargs -P 2 -n 20 xmllint --stream --noout --schema '$XSD'"
grep -c '"status": "pass"' "$WORK/sdetcheck.out" | sed 's/^/sdetcheck pass findings: /'
grep -o 'validateur : [^)]*' "$WORK/sdetcheck.out" | head -1 | sed 's/^/sdetcheck XSD engine: /'
grep -c 'fails to validate' "$WORK/xmllint-1-process.err" | sed 's/^/xmllint files failing: /' || true
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
