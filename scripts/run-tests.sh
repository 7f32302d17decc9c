#!/usr/bin/env bash
# The README's test command: installs what is missing, builds Release and the ASan/UBSan build,
# runs every test of the Release build (unit + statistical) and the unit tests under the sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
status=0
echo "== ASan/UBSan build: unit tests =="
ctest --preset asan || status=1
echo "== Release build: unit + statistical tests =="
ctest --preset release || status=1
exit $status
