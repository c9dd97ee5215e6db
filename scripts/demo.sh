#!/usr/bin/env bash
# The quick-start demo, with its own set-up (Debian packages and npm dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node --import tsx scripts/demo.ts
