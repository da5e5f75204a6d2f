#!/bin/sh
# Benchmarks `sdetcheck check gar` against `xmllint --stream --noout --schema`
# on the same generated feed (default 500,000 pupils, with teachers, groups
# and links in realistic proportions; see internal/gargen).
#
#   scripts/bench-gar.sh [PUPILS]
#
# Needs xmllint (Debian: libxml2-utils) and GNU time (Debian: time).
# Prints records/s, MB/s and peak RSS for each; the feed is removed at the
# end unless KEEP=1.
set -eu
N=${1:-500000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d /tmp/sdetcheck-bench.XXXXXX)}
XSD="$ROOT/checks/gar/schema/GAR-ENT-2D-v1.7.xsd"
command -v xmllint >/dev/null || { echo "xmllint missing (apt-get install libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing (apt-get install time)" >&2; exit 2; }

cd "$ROOT"
go build -o "$WORK/sdetcheck" ./cmd/sdetcheck
echo "== generating $N pupils in $WORK/feed"
GEN=$(go run ./cmd/gargen -pupils "$N" -out "$WORK/feed")
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
	awk -v n="$name" -v s="$secs" -v r="$RECORDS" -v b="$BYTES" -v m="$rss" 'BEGIN {
		printf "%-28s %8.2f s %12.0f records/s %8.1f MB/s %8.1f MiB peak RSS\n", n, s, r/s, b/s/1e6, m/1024 }'
}

echo "== results"
measure sdetcheck "$WORK/sdetcheck" check gar "$WORK/feed" --format json --now 2026-11-23T12:00:00Z --degree 2D --id-ent ENTFICTIF1
measure xmllint-1-process sh -c "xmllint --stream --noout --schema '$XSD' '$WORK'/feed/*.xml"
measure xmllint-2-parallel sh -c "ls '$WORK'/feed/*.xml | xargs -P 2 -n 20 xmllint --stream --noout --schema '$XSD'"
grep -c '"status": "pass"' "$WORK/sdetcheck.out" | sed 's/^/sdetcheck pass findings: /'
grep -c 'fails to validate' "$WORK/xmllint-1-process.err" | sed 's/^/xmllint files failing: /' || true
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
