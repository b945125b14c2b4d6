#!/usr/bin/env bash
# Memory benchmark of batch segmentation of a long stack (issue: "a 100-slice 2048 x 2048 16-bit
# stack runs with a 4 GB heap"): makes the synthetic stack once, then runs `sam-cli auto` on it
# with -Xmx4g and reports the CLI's own summary (time split, peak heap and process memory)
# plus the kernel's maximum resident set.
#
# usage: [HEAP=4g] scripts/bench-stack-memory.sh [WORKDIR] [SLICES] [SIZE]   (needs target/sam-cli.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/fijisam-stack-bench}
slices=${2:-100}
size=${3:-2048}
mkdir -p "$work"
stack="$work/stack_${slices}x${size}.tif"
if [ ! -f "$stack" ]; then
	echo "writing $stack ($slices slices of $size x $size, 16-bit)"
	/usr/bin/python3 scripts/make_stack.py "$stack" --slices "$slices" --size "$size"
fi
rm -rf "$work/out"
/usr/bin/time -f "max resident set (kernel): %M KB, wall %e s" \
	java -Xmx"${HEAP:-4g}" -jar target/sam-cli.jar auto "$stack" --output "$work/out" --preset microscopy --link
ls -l "$work/out"
