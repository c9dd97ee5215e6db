#!/usr/bin/env bash
# Runs the test suite with node's built-in runner. `scripts/test.sh unit` runs only the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=(test)
[ "${1:-}" = unit ] && dirs=(test/unit)
mapfile -t files < <(find "${dirs[@]}" -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=1 "${files[@]}"
