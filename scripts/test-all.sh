#!/usr/bin/env bash
# The whole test suite, with its own set-up: what .ci/run and the README's quick start run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
