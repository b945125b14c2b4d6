#!/usr/bin/env bash
# Throughput of the Spark job on this machine, in two parts:
#
# 1. Spark's own cost per task (now): jobs of N units whose work does nothing (--work none) in
#    local mode, so every second is scheduling, serialization and the result's way back: the
#    floor under any real work. Prints tasks/s for each N, and the whole process time (JVM and
#    Spark start included).
# 2. Segmentation (once the segment-everything work function of org.fijisam.batch is in
#    sam-spark.jar): the same PLANES planes through sam-spark.jar in local mode on every core
#    against the sequential `sam-cli.jar auto DIR --output OUT`. Skipped, saying so, until then.
#
# Usage: spark/scripts/bench-throughput.sh [--units "100 200"] [--master local[2]] [--repeat 3]
#                                          [--planes DIR] [--out FILE]
#   --planes DIR  the images for part 2 (default: none, part 2 skipped)
#   --out FILE    also write the report there (e.g. docs/measured/spark-overhead.txt)
# Build first: mvn -B -q install -DskipTests (repository root), mvn -B -q -f spark/pom.xml package -DskipTests
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/spark/target/sam-spark.jar
cli=$root/target/sam-cli.jar
units="100 200"
master="local[2]"
repeat=3
planes=""
out=""
while [ $# -gt 0 ]; do
	case "$1" in
		--units) units=$2; shift 2 ;;
		--master) master=$2; shift 2 ;;
		--repeat) repeat=$2; shift 2 ;;
		--planes) planes=$2; shift 2 ;;
		--out) out=$2; shift 2 ;;
		*) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
[ -f "$jar" ] || { echo "no $jar: build it first (see --help)" >&2; exit 1; }
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
report=$scratch/report.txt

now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }

{
	echo "# Spark per-task overhead: sam-spark.jar --work none (each task does nothing)"
	echo "command: spark/scripts/bench-throughput.sh --units \"$units\" --master $master --repeat $repeat"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
		"$("$JAVA" -version 2>&1 | head -n 1); Spark $(ls "$root/spark/target/spark-home/jars" | sed -n 's/^spark-core_2.13-\(.*\)\.jar$/\1/p')"
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the cores)"
	echo
	printf '%-6s %-3s %10s %10s %12s %10s\n' units run "job s" "tasks/s" "ms/task" "process s"
} | tee "$report"

for n in $units; do
	input=$scratch/units-$n
	mkdir -p "$input"
	# Empty files named as images: the listing takes them, the empty work never opens them.
	for i in $(seq -w 1 "$n"); do : >"$input/u$i.tif"; done
	for r in $(seq 1 "$repeat"); do
		t0=$(now)
		line=$("$JAVA" -jar "$jar" --input "$input" --output "$scratch/out" --work none --master "$master" \
			--conf spark.ui.enabled=false 2>/dev/null | grep -E '^[0-9]+ images: ')
		t1=$(now)
		# "200 images: 200 done, 0 skipped, 0 failed; 200 tasks in 1.23 s (162.6 tasks/s) on local[2], ..."
		seconds=$(sed -E 's/.* tasks in ([0-9.]+) s .*/\1/' <<<"$line")
		rate=$(sed -E 's/.*\(([0-9.]+) tasks\/s\).*/\1/' <<<"$line")
		awk -v n="$n" -v r="$r" -v s="$seconds" -v rate="$rate" -v p="$(minus "$t1" "$t0")" \
			'BEGIN { printf "%-6d %-3d %10.2f %10.1f %12.2f %10.2f\n", n, r, s, rate, 1000 * s / n, p }'
	done | tee -a "$report"
done

# The first tasks of a job also pay for class loading and JIT warm-up; the difference between
# two job sizes is what one more task costs (medians of the runs).
median_job() { # median "job s" of the runs of N units
	awk -v n="$1" 'NR > 6 && $1 == n { print $3 }' "$report" | sort -n | awk '{ a[NR] = $1 }
		END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
lo=$(tr ' ' '\n' <<<"$units" | grep . | sort -n | head -n 1)
hi=$(tr ' ' '\n' <<<"$units" | grep . | sort -n | tail -n 1)
if [ "$lo" != "$hi" ]; then
	awk -v lo="$lo" -v hi="$hi" -v tlo="$(median_job "$lo")" -v thi="$(median_job "$hi")" 'BEGIN {
		printf "\none more task: %.1f ms (median job %.2f s for %d units, %.2f s for %d)\n",
			1000 * (thi - tlo) / (hi - lo), tlo, lo, thi, hi }' | tee -a "$report"
fi

{
	echo
	echo "# Segmentation: sam-spark.jar ($master) against sam-cli.jar auto (sequential)"
	if [ -z "$planes" ]; then
		echo "skipped: no --planes DIR given"
	elif ! "$JAVA" -jar "$jar" --help 2>/dev/null | grep -q -- '--work.*segment'; then
		echo "skipped: sam-spark.jar has no segment work function yet (org.fijisam.batch)"
	else
		t0=$(now)
		"$JAVA" -jar "$jar" --input "$planes" --output "$scratch/spark-seg" --work segment --master "$master" \
			--conf spark.ui.enabled=false >"$scratch/spark-seg.log" 2>&1
		t1=$(now)
		"$JAVA" -jar "$cli" auto "$planes" --output "$scratch/cli-seg" >"$scratch/cli-seg.log" 2>&1
		t2=$(now)
		echo "spark $master: $(minus "$t1" "$t0") s; sam-cli auto: $(minus "$t2" "$t1") s"
	fi
} | tee -a "$report"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$report"
[ -z "$out" ] || cp "$report" "$out"
