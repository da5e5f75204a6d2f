#!/bin/sh
# Benchmarks `sdetcheck check gar` against the yardstick a regional IT team
# would use: xmllint on every core,
#
#   ls feed/*.xml | xargs -P $(nproc) -n 20 xmllint --stream --noout --schema XSD
#
# on generated feeds (internal/gargen: fake pupils, with teachers, groups and
# links in realistic proportions).
#
#   scripts/bench-gar.sh [FEED...]
#
# FEED is PUPILS or PUPILS:1D / PUPILS:2D (default: 100000 500000 100000:1D).
# A 500,000-pupil 2D feed is about 0.9 GB: check `df -h /tmp` first.
# Each command runs REPEAT times (default 3), one after the other, and the
# median of each figure is printed (wall time, CPU time = user + system,
# peak RSS), with sdetcheck's ratios to parallel xmllint. The machine's
# load average is printed before and after: on a shared machine the
# figures move by tens of per cent from one run to the next.
#
# Measured: sdetcheck with its default engine (libxml2: one parse per file),
# with the pure-Go engine (GO=0 skips it: about 3 times the CPU), and, with
# PGO=1, sdetcheck built without profile-guided optimisation (-pgo=off) to
# see what cmd/sdetcheck/default.pgo earns, if it is there.
#
# Needs xmllint (Debian: libxml2-utils) and GNU time (Debian: time). Feeds
# are generated under a temporary directory and removed at the end unless
# KEEP=1 (BENCH_DIR=DIR reuses the feeds already in DIR).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d /tmp/sdetcheck-bench.XXXXXX)}
REPEAT=${REPEAT:-3}
CORES=$(nproc)
command -v xmllint >/dev/null || { echo "xmllint missing (apt-get install libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time missing (apt-get install time)" >&2; exit 2; }
[ $# -gt 0 ] || set -- 100000 500000 100000:1D

cd "$ROOT"
go build -o "$WORK/sdetcheck" ./cmd/sdetcheck
if [ "${PGO:-0}" = 1 ]; then
	go build -pgo=off -o "$WORK/sdetcheck-nopgo" ./cmd/sdetcheck
fi
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $CORES cores, $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)"
echo "== $(xmllint --version 2>&1 | head -1), $(go version)"

# measure NAME CMD...: runs CMD once, appends "wall cpu rss" to NAME.runs.
measure() {
	name=$1; shift
	/usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || true
	secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/$name.time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
	usr=$(sed -n 's/.*User time (seconds): //p' "$WORK/$name.time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$WORK/$name.time")
	echo "$secs $(echo "$usr $sys" | awk '{ print $1+$2 }') $rss" >>"$WORK/$name.runs"
}

# median NAME COLUMN
median() {
	cut -d' ' -f"$2" "$WORK/$1.runs" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'
}

for feed in "$@"; do
	n=${feed%%:*}
	deg=2D
	case $feed in *:1D) deg=1D ;; esac
	dir="$WORK/feed-$n-$deg"
	xsd="$ROOT/internal/garfeed/schema/GAR-ENT-2D-v1.7.xsd"
	[ "$deg" = 1D ] && xsd="$ROOT/internal/garfeed/schema/GAR-ENT-1D-v1.4.xsd"
	if [ -f "$dir.txt" ]; then
		echo "== reusing $dir"
	else
		echo "== generating $n pupils ($deg) in $dir"
		go run ./cmd/gargen -pupils "$n" -degree "$deg" -out "$dir" >"$dir.txt"
	fi
	gen=$(cat "$dir.txt")
	records=$(echo "$gen" | sed -n 's/.*records=\([0-9]*\).*/\1/p')
	bytes=$(cat "$dir"/*.xml | wc -c)
	files=$(ls "$dir"/*.xml | wc -l)
	tag="$n-$deg"
	echo "== feed $tag: $files files, $bytes bytes, $records records; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	sd="check gar $dir --format json --now 2026-11-23T12:00:00Z --degree $deg --id-ent ENTFICTIF1"
	names="xmllint-P$CORES-$tag sdetcheck-$tag"
	if [ "${GO:-1}" = 1 ]; then names="$names sdetcheck-go-$tag"; fi
	if [ "${PGO:-0}" = 1 ]; then names="$names sdetcheck-nopgo-$tag"; fi
	for name in $names; do rm -f "$WORK/$name.runs"; done
	i=0
	while [ $i -lt "$REPEAT" ]; do
		i=$((i + 1))
		sync
		# The commands alternate, so that a burst of load from elsewhere
		# falls on all of them.
		measure "xmllint-P$CORES-$tag" sh -c "ls '$dir'/*.xml | xargs -P $CORES -n 20 xmllint --stream --noout --schema '$xsd'"
		# shellcheck disable=SC2086
		measure "sdetcheck-$tag" "$WORK/sdetcheck" $sd
		if [ "${GO:-1}" = 1 ]; then
			# shellcheck disable=SC2086
			measure "sdetcheck-go-$tag" "$WORK/sdetcheck" $sd --xsd-engine go
		fi
		if [ "${PGO:-0}" = 1 ]; then
			# shellcheck disable=SC2086
			measure "sdetcheck-nopgo-$tag" "$WORK/sdetcheck-nopgo" $sd
		fi
	done
	echo "== results $tag (median of $REPEAT runs; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
	xw=$(median "xmllint-P$CORES-$tag" 1)
	xc=$(median "xmllint-P$CORES-$tag" 2)
	for name in $names; do
		w=$(median "$name" 1)
		c=$(median "$name" 2)
		m=$(median "$name" 3)
		awk -v n="$name" -v w="$w" -v c="$c" -v m="$m" -v xw="$xw" -v xc="$xc" -v r="$records" -v b="$bytes" 'BEGIN {
			printf "%-26s %7.2f s wall %7.2f s CPU %6.1f MiB peak RSS %9.0f records/s %6.1f MB/s   %5.2fx wall %5.2fx CPU of parallel xmllint\n", n, w, c, m/1024, r/w, b/w/1e6, w/xw, c/xc }'
	done
	echo "   each run (wall s, CPU s, RSS KiB):"
	for name in $names; do
		printf '   %-26s %s\n' "$name" "$(tr '\n' ';' <"$WORK/$name.runs")"
	done
	grep -o 'validateur : [^)]*' "$WORK/sdetcheck-$tag.out" | head -1 | sed 's/^/   sdetcheck XSD engine: /'
	grep -o '"GAR-005"' "$WORK/sdetcheck-$tag.out" >/dev/null || echo "   sdetcheck gave no GAR-005 finding: see $WORK/sdetcheck-$tag.err"
	if grep -q 'fails to validate' "$WORK/xmllint-P$CORES-$tag.err"; then
		echo "   xmllint: $(grep -c 'fails to validate' "$WORK/xmllint-P$CORES-$tag.err") files fail to validate"
	fi
done
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
