#!/usr/bin/env bash
# Full-size SAM 2.1 conversion check (as scripts/convert-full-size.sh for ViT-B): the official sam2
# code builds SAM 2.1 hiera_t with random weights and saves it as the official checkpoints are
# (plus its SAM2ImagePredictor's outputs on the sam2-tiny fixture's images and prompts), then
# `sam-cli models convert` converts it with -Xmx1g under /usr/bin/time, and the converted model
# is compared with the official masks (ConvertedFullSizeCheck: IoU >= 0.999, scores within 1e-4).
#
# usage: scripts/convert-full-size-sam2.sh [WORKDIR]   (needs target/sam-cli.jar and the official
#        sam2 sources in $SAM2_SRC, default /tmp/sam2-src: see training/fixtures/make_sam2_fixtures.py)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/fijisam-sam2.1-hiera-t}
if [ ! -f "$work/sam2.1_hiera_tiny_random.pt" ]; then
	SAM2_SRC=${SAM2_SRC:-/tmp/sam2-src} /usr/bin/python3 training/fixtures/make_fullsize_sam2_reference.py \
		--out "$work"
fi
rm -rf "$work/model"
ls -l "$work/sam2.1_hiera_tiny_random.pt"
/usr/bin/time -f "max resident set (kernel): %M KB, wall %e s" \
	java -Xmx1g -jar target/sam-cli.jar models convert "$work/sam2.1_hiera_tiny_random.pt" --family sam2 \
	--size hiera_tiny --output "$work/model"
ls -l "$work/model"
mvn -B -q -o test -Dtest=ConvertedFullSizeCheck#convertedSam2HieraTGivesTheOfficialMasks \
	-Dfullsize.sam2.dir="$work" -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E "converted SAM 2.1|FAIL|ERROR" || true
