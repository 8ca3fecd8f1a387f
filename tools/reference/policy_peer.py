#!/usr/bin/env python3
"""Peer for the policy benchmark: Hugging Face transformers on the CPU, same weights, same threads.

  python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0+cpu transformers==5.18.0
  /tmp/torchvenv/bin/python tools/reference/policy_peer.py make /tmp/qwen2-bench
  /tmp/torchvenv/bin/python tools/reference/policy_peer.py run /tmp/qwen2-bench --threads 2
  scripts/bench policy --main dev.deepresearcher.policy.bench.PolicyBench /tmp/qwen2-bench 2
  /tmp/torchvenv/bin/python tools/reference/policy_peer.py side-by-side /tmp/qwen2-bench --threads 2 --rounds 5

`make` writes a random Qwen2 (hidden 512, 8 layers, 8 query / 2 key-value heads, intermediate 1408,
vocab 32,000; float32 safetensors) with a copy of the test tokenizer, so both sides load one folder.
`run` measures, as PolicyBench does (median of --reps runs after one warm-up):
  prefill    one 512-token prompt, logits of the last position only (what generation needs);
  decode@B   B prompts of 32 tokens, greedy, no end-of-sequence token: B*128 / (t(129 new) - t(1 new)),
             i.e. the 128 decoding steps without the prefill.
Prints one JSON line. `side-by-side` alternates the two (Java first) for --rounds rounds in one
session and prints the medians and the Java / transformers ratios as a Markdown table.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(HERE, "../../policy/src/test/resources/qwen2/tokenizer")


def make(out):
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=32000, hidden_size=512, intermediate_size=1408, num_hidden_layers=8,
        num_attention_heads=8, num_key_value_heads=2, max_position_embeddings=4096,
        rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=False,
        bos_token_id=None, eos_token_id=None, pad_token_id=0)
    model = Qwen2ForCausalLM(config).eval()
    model.save_pretrained(out, safe_serialization=True)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(TOKENIZER, name), os.path.join(out, name))
    print("wrote", out)


def timed(fn, reps):
    fn()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(folder, threads, reps):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Qwen2ForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    out = {"peer": "transformers", "torch": torch.__version__,
           "transformers": __import__("transformers").__version__, "threads": threads,
           "attention": model.config._attn_implementation}
    prompt = torch.randint(0, 1000, (1, 512))
    with torch.inference_mode():
        t = timed(lambda: model(prompt, logits_to_keep=1), reps)
    out["prefill_tok_s"] = 512 / t
    for batch in (1, 16):
        ids = torch.randint(0, 1000, (batch, 32))
        mask = torch.ones_like(ids)

        def gen(n):
            with torch.inference_mode():
                return model.generate(ids, attention_mask=mask, max_new_tokens=n, min_new_tokens=n,
                                      do_sample=False, eos_token_id=None, pad_token_id=0)
        t1 = timed(lambda: gen(1), reps)
        t129 = timed(lambda: gen(129), reps)
        out["decode_b%d_tok_s" % batch] = batch * 128 / (t129 - t1)
    print(json.dumps(out))


def side_by_side(folder, threads, rounds, reps):
    root = os.path.abspath(os.path.join(HERE, "../.."))
    keys = ["prefill_tok_s", "decode_b1_tok_s", "decode_b16_tok_s"]
    runs = {"java": [], "python": []}
    for r in range(rounds):
        java = subprocess.run(
            [os.path.join(root, "scripts/bench"), "policy", "--main",
             "dev.deepresearcher.policy.bench.PolicyBench", folder, str(threads), str(reps)],
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        runs["java"].append(json.loads(java))
        py = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "run", folder, "--threads", str(threads),
             "--reps", str(reps)], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        runs["python"].append(json.loads(py))
        print("round %d: java %s | transformers %s" % (
            r + 1, " ".join("%.0f" % runs["java"][-1][k] for k in keys),
            " ".join("%.0f" % runs["python"][-1][k] for k in keys)), file=sys.stderr)
    print("| tok/s (median of %d rounds) | DeepResearcher-JVM | transformers | ratio |" % rounds)
    print("|---|---|---|---|")
    for k in keys:
        j = statistics.median(x[k] for x in runs["java"])
        p = statistics.median(x[k] for x in runs["python"])
        print("| %s | %.0f | %.0f | %.2f× |" % (k.replace("_tok_s", ""), j, p, j / p))
    ratios = {k: [a[k] / b[k] for a, b in zip(runs["java"], runs["python"])] for k in keys}
    print("\nper-round ratios: " + "; ".join(
        "%s %s" % (k.replace("_tok_s", ""), " ".join("%.2f" % x for x in v)) for k, v in ratios.items()))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["make", "run", "side-by-side"])
    p.add_argument("folder")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--rounds", type=int, default=5)
    a = p.parse_args()
    if a.what == "make":
        make(a.folder)
    elif a.what == "run":
        run(a.folder, a.threads, a.reps)
    else:
        side_by_side(a.folder, a.threads, a.rounds, a.reps)


if __name__ == "__main__":
    sys.exit(main())
