#!/usr/bin/env bash
# Runs the test suite with node's built-in runner: every test on the machine's Node, then, when that
# Node is older than 24, the unit tests and the GitHub Action's integration tests again on Node 24 (the
# action runs on node24; scripts/setup.sh installs the binary). The tests that run @github/local-action
# and gitlab-ci-local use Node 24 in either pass. `scripts/test.sh unit` runs only the unit tests.
# CANARY_TEST_CONCURRENCY sets how many test files run at once (default 2: the slow
# tests mostly wait on analyses, and each starts its own sandbox, services and temp dirs on free ports).
set -euo pipefail
cd "$(dirname "$0")/.."

unit_only=false
[ "${1:-}" = unit ] && unit_only=true
concurrency="${CANARY_TEST_CONCURRENCY:-2}"
results=.tmp/test-results
rm -rf "$results"
mkdir -p "$results"

# One pass: NAME NODE FILES…; the log says which Node ran it, the TAP summary goes to $results/NAME.tap.
status=0
run_pass() {
  local name=$1 node=$2
  shift 2
  echo "== test pass '$name': Node $("$node" --version) ($(command -v "$node")), $# files, concurrency $concurrency"
  local start=$SECONDS
  "$node" --import tsx --test --test-concurrency="$concurrency" \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$results/$name.tap" \
    "$@" || status=1
  echo "== test pass '$name' on Node $("$node" --version) took $((SECONDS - start)) s"
}

if $unit_only; then
  mapfile -t all < <(find test/unit -name '*.test.ts' | sort)
else
  mapfile -t all < <(find test -name '*.test.ts' | sort)
fi
run_pass "node$(node -p 'process.versions.node.split(".")[0]')" node "${all[@]}"

if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
  node24=.tools/node24/bin/node
  if [ ! -x "$node24" ]; then
    echo "no Node 24 at $node24: run bash scripts/setup.sh" >&2
    exit 1
  fi
  mapfile -t again < <(find test/unit -name '*.test.ts' | sort)
  $unit_only || again+=(test/integration/action/action.test.ts test/integration/dist.test.ts)
  run_pass node24 "$node24" "${again[@]}"
fi

# The passes together, in the plain form CI reads.
passed=0
failed=0
for tap in "$results"/*.tap; do
  pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)
  fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)
  passed=$((passed + ${pass:-0}))
  failed=$((failed + ${fail:-0}))
done
echo
echo "all passes: $passed passed, $failed failed"
exit "$status"
