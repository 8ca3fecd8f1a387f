#!/usr/bin/env bash
# Rollouts of a trained policy on a question set (nothing is trained), written as a rollout file:
#   scripts/evaluate.sh --model runs/run1/final/model --data test.parquet [--greedy | --temperature T] [--n N]
# then score it per data source:
#   scripts/calculate-metrics --data test.parquet --rollouts runs/eval-…/rollouts.jsonl
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
dr_run evaluate dev.deepresearcher.evaluate.cli.Evaluate "$@"
