#!/usr/bin/env bash
# GRPO training of a research agent (rollouts with web_search / browse_webpage, rewards, PPO-clip
# updates), the main job of this project.
#   scripts/train_grpo.sh                                   the offline demo (configs/tiny-offline.yaml)
#   scripts/train_grpo.sh --config my.yaml [key=value…]     your run
#   scripts/train_grpo.sh --config my.yaml trainer.run_name=run1 trainer.resume=true   resume it
# Writes into run.output_dir/trainer.run_name: metrics.jsonl, checkpoint-N/, validation/, plots,
# final/model (and, for the demo, summary.json).
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
if [ "$#" -eq 0 ]; then
  set -- --config "$DR_ROOT/configs/tiny-offline.yaml"
fi
dr_run trainer dev.deepresearcher.trainer.cli.TrainGrpo "$@"
