#!/usr/bin/env bash
# Regenerates the committed reference run from scratch: the full comparison (report.md, plots/, runs.csv,
# counters.csv, summary.csv, microbench.csv) and the CI baseline (summary.csv of `compare --quick`), then checks
# the new baseline against a second quick run. results/ci/thresholds.json is policy and is edited by hand.
# Usage, from anywhere: results/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release src/Harness
irqbench() { dotnet run -c Release --no-build --project src/Harness -- "$@"; }

rm -rf results/plots   # plots of designs or workloads no longer in the suite must not linger
irqbench compare --out results

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
irqbench compare --quick --out "$tmp/quick"
cp "$tmp/quick/summary.csv" results/ci/baseline.csv
irqbench check --baseline results/ci/baseline.csv --thresholds results/ci/thresholds.json
