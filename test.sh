#!/usr/bin/env bash
# Runs every test of the project: the Java tests (Maven; GUI tests in a real ImageJ window,
# under Xvfb when no display is set), the Spark module's tests (spark/: local mode, the built
# jar, a standalone cluster of separate processes) and the Python tests of the model code (pytest).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-/usr/bin/python3}
xvfb=()
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
	xvfb=(xvfb-run -a -s "-screen 0 1280x1024x24")
fi
# install, not test: the same tests, then the main artifact goes into ~/.m2 for spark/ to build on
# (one build, no second `install -DskipTests`).
"${xvfb[@]}" mvn -B install
mvn -B -f spark/pom.xml verify
"$PYTHON" -m pytest training/tests -q -p no:cacheprovider
