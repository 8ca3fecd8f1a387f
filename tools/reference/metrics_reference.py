#!/usr/bin/env python3
"""Reference per-data-source F1/EM for DeepResearcher-format rollouts, by its evaluation rules.

The rules (shared/fixtures/reward/README and DeepResearcher's evaluate/cacluate_metrics.py): each
rollout's message_str is paired with the data row at the same position; the text is lower-cased and
only what follows the last "<|im_start|>assistant" is scored; the training reward's rules apply
(reward_reference.py), except that a broken format scores 0 instead of -1; per data source, F1 and EM
are plain means.

Usage (pyarrow is needed to read parquet):
  python3 tools/reference/metrics_reference.py --data data/deepresearcher/dev.parquet \
      --rollouts evaluate/src/test/resources/reference/dev_rollouts.json.gz \
      --mutate evaluate/src/test/resources/reference/dev_rollouts_tricky.json.gz \
      --out evaluate/src/test/resources/reference
"""
import argparse
import gzip
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reward_reference import deepresearcher_score  # noqa: E402


def open_text(path, mode="rt"):
    return gzip.open(path, mode, encoding="utf-8") if path.endswith(".gz") else open(path, mode, encoding="utf-8")


def stem(path):
    name = os.path.basename(path)
    for ext in (".gz", ".json"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    return name


def load_data(path):
    import pyarrow.parquet as pq
    rows = pq.read_table(path).to_pylist()
    return [(r["data_source"], r["prompt"][0]["content"], r["reward_model"]["ground_truth"]) for r in rows]


def scores(data, rollouts):
    assert len(data) == len(rollouts)
    per = {}
    for (source, _question, truth), rollout in zip(data, rollouts):
        text = rollout["message_str"]
        s = per.setdefault(source, {"f1": [], "em": []})
        s["f1"].append(deepresearcher_score(text, truth, "f1", evaluation=True))
        s["em"].append(deepresearcher_score(text, truth, "em", evaluation=True))
    return {k: {"f1": sum(v["f1"]) / len(v["f1"]), "em": sum(v["em"]) / len(v["em"]), "n": len(v["f1"])}
            for k, v in per.items()}


def mutate(rollouts, seed=7):
    """Harder surfaces of the same rollouts: case, Kelvin sign, extra turns, stray tags."""
    rng = random.Random(seed)
    out = []
    for r in rollouts:
        text = r["message_str"]
        k = rng.randrange(8)
        if k == 0:
            text = text.replace("<|im_start|>assistant", "<|IM_START|>Assistant")
        elif k == 1:
            text = text.replace("<think>", "<THIN\u212a>").replace("</think>", "</thin\u212a>")
        elif k == 2:
            text = text.replace("<answer>", "<ANSWER>", 1)
        elif k == 3:
            text = "<answer>stale</answer><tool_call>" + text  # before the last turn: ignored
        elif k == 4:
            text = text + "\n<|im_start|>assistant\n"  # an empty last turn: format error
        elif k == 5:
            text = text.replace("</answer>", "</answer><answer>second</answer>", 1)
        elif k == 6:
            text = text.replace("<answer>", "<answer>\u0130 ", 1)
        out.append({"idx": r["idx"], "question": r["question"], "message_str": text})
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--rollouts", required=True)
    ap.add_argument("--mutate", help="also write a harder variant of the rollouts here")
    ap.add_argument("--out", required=True, help="folder for expected_*.json")
    args = ap.parse_args()
    data = load_data(args.data)
    with open_text(args.rollouts) as f:
        rollouts = json.load(f)
    base = stem(args.rollouts)
    with open(os.path.join(args.out, "expected_" + base + ".json"), "w") as f:
        json.dump(scores(data, rollouts), f, indent=1, sort_keys=True)
    if args.mutate:
        tricky = mutate(rollouts)
        with open_text(args.mutate, "wt") as f:
            json.dump(tricky, f, ensure_ascii=False)
        base = stem(args.mutate)
        with open(os.path.join(args.out, "expected_" + base + ".json"), "w") as f:
            json.dump(scores(data, tricky), f, indent=1, sort_keys=True)
    print("wrote expected scores to", args.out)
