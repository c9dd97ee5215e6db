#!/usr/bin/env bash
# Cold start of the committed bundles, medians of hyperfine runs: a bare `node -e 0`, `dist/cli.js --help`
# and `--version`, `dist/cli.js status` against a sandbox (the first Kubernetes API calls included), and
# the action's main step (`mode: rollback`, nothing live) to the end of its first API calls.
#   npm run sandbox -- --dir /tmp/sb &      # then:
#   bash bench/cold-start/run.sh /tmp/sb/kubeconfig [RUNS]
# Peak memory (max RSS) of one --help run comes from /usr/bin/time. DIST=DIR times the bundles in DIR
# instead of dist/ (e.g. an older commit's: git archive COMMIT dist | tar -x -C /tmp/old).
set -euo pipefail
cd "$(dirname "$0")/../.."
kubeconfig=${1:?usage: run.sh KUBECONFIG [RUNS]}
runs=${2:-15}
dist=${DIST:-dist}
out=$(mktemp -d)
gh=$out/github
mkdir -p "$gh"
action_env="env -i PATH=$PATH HOME=$out INPUT_MODE=rollback INPUT_KUBECONFIG=$kubeconfig \
INPUT_WORKLOAD=deployment/cold-start INPUT_REPORT= GITHUB_OUTPUT=$gh/output GITHUB_STATE=$gh/state \
GITHUB_STEP_SUMMARY=$gh/summary RUNNER_TEMP=$out"
hyperfine --style none --warmup 2 --runs "$runs" --export-json "$out/times.json" \
  --prepare "touch $gh/output $gh/state $gh/summary" \
  -n 'node -e 0' 'node -e 0' \
  -n 'cli --help' "node $dist/cli.js --help" \
  -n 'cli --version' "node $dist/cli.js --version" \
  -n 'cli status (API)' "node $dist/cli.js status --kubeconfig $kubeconfig --workload deployment/cold-start" \
  -n 'action rollback (API)' "$action_env node $dist/action.js" >/dev/null
node -e '
  const { results } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const ms = (s) => Math.round(s * 1000);
  const base = results[0].median;
  for (const r of results)
    console.log(`${r.command.padEnd(24)} median ${String(ms(r.median)).padStart(5)} ms  (+${ms(r.median - base)} ms over node -e 0; min ${ms(r.min)}, max ${ms(r.max)})`);
' "$out/times.json"
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS: node -e 0 $(($(peak node -e 0) / 1024)) MiB, cli --help $(($(peak node $dist/cli.js --help) / 1024)) MiB"
echo "dist: $(find "$dist" -name '*.js' -exec du -cb {} + | tail -1 | cut -f1) bytes in $(find "$dist" -name '*.js' | wc -l) files"
rm -rf "$out"
