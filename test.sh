#!/usr/bin/env bash
# Runs every test of the project: the Java tests (Maven; GUI tests in a real ImageJ window,
# under Xvfb when no display is set) and the Python tests of the model code (pytest).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
xvfb=()
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
	xvfb=(xvfb-run -a -s "-screen 0 1280x1024x24")
fi
"${xvfb[@]}" mvn -B test
"$PYTHON" -m pytest training/tests -q -p no:cacheprovider
