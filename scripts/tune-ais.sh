#!/usr/bin/env bash
# Chooses the watershed thresholds of an instance decoder on TRAINING images only: for each
# foreground / centre-distance / boundary-distance threshold it writes them into a copy of the
# model's sam.json and runs `sam-cli evaluate --no-prompted --preset none` (mode ais and the
# classic pipeline); prints one line per setting, best last. Never run it on validation ids.
#
# Usage: scripts/tune-ais.sh MODEL_DIR DATASET SPLIT_JSON [LIMIT]
#   e.g. scripts/tune-ais.sh /tmp/model ../shared/data/dsb2018 training/split.json 40
set -euo pipefail
model=$1 data=$2 split=$3 limit=${4:-40}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$model" "$work/model"
results=$work/results.txt
for fg in 0.4 0.5 0.6; do
	for cd in 0.3 0.5 0.7; do
		for bd in 0.3 0.5 0.7; do
			python3 - "$work/model/sam.json" "$fg" "$cd" "$bd" <<'PY'
import json, sys
p, fg, cd, bd = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
d = json.load(open(p))
d["instance_decoder"].update(foreground_threshold=fg, center_distance_threshold=cd, boundary_distance_threshold=bd)
json.dump(d, open(p, "w"), indent=1)
PY
			line=$(java -jar "$root/target/sam-cli.jar" evaluate --dataset "$data" --split "$split" --subset train \
				--limit "$limit" --no-prompted --preset none --model "$work/model" --report "$work/r.json" 2>/dev/null |
				grep 'mode ais')
			echo "fg $fg cd $cd bd $bd: $line" | tee -a "$results"
		done
	done
done
echo "best:"
sort -t' ' -k10 -g "$results" | tail -n 1
