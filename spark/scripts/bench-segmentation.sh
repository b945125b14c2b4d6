#!/usr/bin/env bash
# Throughput of segment-everything: sam-spark.jar in local mode (every plane a task) against
# the sequential `sam-cli.jar auto` on the same planes, runs alternated, each redoing all
# (--overwrite); the files of both are compared. Also prints the per-task cost the scaling
# model in docs/spark.md uses (task seconds from the job's summary table).
#
# Usage: spark/scripts/bench-segmentation.sh [--planes N] [--size PX] [--points N] [--repeat R]
#                                            [--master local[2]] [--out FILE]
# Build first (repository root): mvn -B -q install -DskipTests && mvn -B -q -f spark/pom.xml package -DskipTests
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
planes=100 size=256 points=8 repeat=2 master="local[2]" out=""
while [ $# -gt 0 ]; do
	case "$1" in
		--planes) planes=$2; shift 2 ;;
		--size) size=$2; shift 2 ;;
		--points) points=$2; shift 2 ;;
		--repeat) repeat=$2; shift 2 ;;
		--master) master=$2; shift 2 ;;
		--out) out=$2; shift 2 ;;
		*) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
report=$scratch/report.txt
"$JAVA" -cp target/sam-cli.jar spark/scripts/MakePlanes.java "$scratch/in" "$planes" "$size"
now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
{
	echo "# Segment everything on $planes planes of ${size}x${size} px (crops of test-images/mosaic.png), built-in model,"
	echo "# preset auto (microscopy) with --points-per-side $points: sam-spark.jar --master $master against sam-cli.jar auto"
	echo "command: spark/scripts/bench-segmentation.sh --planes $planes --size $size --points $points --repeat $repeat --master $master"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
		"$("$JAVA" -version 2>&1 | head -n 1)"
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-4s %-28s %10s %14s\n' run tool "wall s" "planes/min"
} | tee "$report"
for r in $(seq 1 "$repeat"); do
	t0=$(now)
	"$JAVA" -jar target/sam-cli.jar auto "$scratch/in" --output "$scratch/cli" --points-per-side "$points" \
		--overwrite >"$scratch/cli.log" 2>&1
	t1=$(now)
	"$JAVA" -jar spark/target/sam-spark.jar --input "$scratch/in" --output "$scratch/spark" --points-per-side "$points" \
		--overwrite --master "$master" --conf spark.ui.enabled=false >"$scratch/spark.log" 2>&1
	t2=$(now)
	for pair in "cli $(minus "$t1" "$t0")" "spark-$master $(minus "$t2" "$t1")"; do
		set -- $pair
		awk -v r="$r" -v tool="$1" -v s="$2" -v n="$planes" 'BEGIN { printf "%-4d %-28s %10.2f %14.1f\n", r, tool, s, 60 * n / s }'
	done | tee -a "$report"
done
same=0 differ=0
for f in "$scratch"/cli/*; do
	n=$(basename "$f")
	if cmp -s "$f" "$scratch/spark/$n"; then same=$((same + 1)); else differ=$((differ + 1)); fi
done
{
	echo "files: $same identical, $differ different (sam-cli auto against sam-spark)"
	# The job's own figures: sum of the task seconds (prepare, segment, write) over the planes.
	awk -F, 'NR > 1 { s += $4; n++ } END { printf "spark summary: %d images, %.3f s of task time per image (all stages, 1 thread per task)\n", n, s / n }' \
		"$scratch/spark/sam-spark-summary.csv"
	grep -E 'Spark started in' "$scratch/spark.log" | sed 's/^/spark: /'
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$report"
[ -z "$out" ] || cp "$report" "$out"
