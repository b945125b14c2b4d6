#!/usr/bin/env bash
# Installs the Debian packages the tests need (Xvfb for GUI tests, PyTorch/ONNX/pytest for the
# model code) when they are missing. OpenBLAS because Debian's torch otherwise runs its matrix
# products on the reference BLAS, about 50x slower (an 8 s linear layer
# instead of 0.17 s). Needs root (CI and the dev machines run as root).
set -euo pipefail
packages=(xvfb xauth libopenblas0-pthread python3-torch python3-onnx python3-pytest python3-numpy python3-pil)
missing=()
for p in "${packages[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
fi
