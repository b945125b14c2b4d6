#!/bin/bash
# The official SAM 1 predictor (PyTorch, the official segment-anything code) and the Java
# pipeline side by side on one machine with the same weights: encoder, one point prompt with
# three masks at full resolution, automatic mode (GRID x GRID), peak memory; plus this
# machine's matrix-multiply peak through ONNX Runtime and each model's multiply-adds, so every
# figure also reads as a fraction of what the machine can do.
#
#   SAM=/tmp/sam1-official MODEL=vit_b [CKPT=state_dict.pt] [JAVA_MODEL=DIR] [OFFICIAL_AMG=1] \
#       scripts/bench-official.sh OUT_DIR
#
# SAM: a checkout of facebookresearch/segment-anything. Without CKPT the weights are random
# (seed 0): speed does not depend on them. JAVA_MODEL: the model folder the Java side runs
# (default: the official export written to OUT_DIR; a folder converted by `sam-cli models
# convert` from the same checkpoint has a batch decoder too). OFFICIAL_AMG=1 also times the
# official automatic mask generator (about 10 minutes for ViT-B on 2 cores).
# Needs `mvn -B package` (target/sam-cli.jar) and `mvn -B test-compile` (MatmulPeak).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/bench-official.sh OUT_DIR}
SAM=${SAM:-/tmp/sam1-official}
MODEL=${MODEL:-vit_b}
GRID=${GRID:-32}
CKPT_ARG=${CKPT:+--checkpoint $CKPT}
mkdir -p "$OUT"
if [ ! -f "$OUT/encoder.onnx" ]; then
	/usr/bin/python3 training/bench_official.py --sam "$SAM" --model "$MODEL" $CKPT_ARG --export "$OUT" > "$OUT/export.json"
fi
[ -f cp.txt ] || mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt > /dev/null
java -cp "target/classes:target/test-classes:$(cat cp.txt)" org.fijisam.onnx.MatmulPeak "$OUT/matmul.onnx" | tail -1 > "$OUT/peak.json"
java -jar target/sam-cli.jar bench --model "${JAVA_MODEL:-$OUT}" --auto-grid "$GRID" --json "$OUT/java.json" > "$OUT/java.txt"
/usr/bin/python3 training/bench_official.py --sam "$SAM" --model "$MODEL" $CKPT_ARG --time \
	${OFFICIAL_AMG:+--amg-grid $GRID} > "$OUT/official.json"
/usr/bin/python3 training/bench_official.py --summarize "$OUT" | tee "$OUT/summary.md"
