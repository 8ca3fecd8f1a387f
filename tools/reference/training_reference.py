#!/usr/bin/env python3
"""Reference outputs for the policy's training code, from PyTorch, transformers and PEFT.

  python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0+cpu transformers==5.18.0 peft accelerate psutil
  /tmp/torchvenv/bin/python tools/reference/training_reference.py fixtures policy/src/test/resources/training
  /tmp/torchvenv/bin/python tools/reference/training_reference.py check-adapter DIR   # an adapter saved by Java
  /tmp/torchvenv/bin/python tools/reference/training_reference.py bench /tmp/qwen2-bench --threads 2 [--mode lora]
  /tmp/torchvenv/bin/python tools/reference/training_reference.py side-by-side /tmp/qwen2-bench --threads 2 --rounds 3

`fixtures` writes
  peft_adapter/            a LoRA adapter made by PEFT (r=4, alpha=8, all seven projections, random
                           A and B so that it changes the model) for the tiny end-to-end model
  peft_logits.safetensors  that model's logits with the adapter on the golden batch, and merged
  optimizer_cases.json     torch.optim.AdamW steps with clip_grad_norm_ and transformers' schedules
`check-adapter` loads an adapter folder written by the Java side into PEFT and prints its logits on
the golden batch next to the logits the Java side wrote there (java_logits.json), with the largest
difference. `bench` times training steps (forward, backward, clipping, AdamW; full or LoRA r=16 on
all seven projections) as TrainingBench does; `side-by-side` alternates the two, Java first.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import torch
from safetensors.torch import save_file
from transformers import Qwen2ForCausalLM
from transformers.optimization import (get_constant_schedule_with_warmup,
                                       get_cosine_with_min_lr_schedule_with_warmup,
                                       get_linear_schedule_with_warmup)

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(HERE, "../../policy/src/test/resources/qwen2/qwen2_tiny_e2e_tied_v1024")
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def golden_batch():
    g = json.load(open(os.path.join(E2E, "golden.json")))
    return (torch.tensor(g["input_ids"]), torch.tensor(g["attention_mask"]),
            torch.tensor(g["position_ids"]))


def logits_of(model):
    ids, mask, pos = golden_batch()
    with torch.no_grad():
        return model(input_ids=ids, attention_mask=mask, position_ids=pos).logits


def peft_fixture(out):
    from peft import LoraConfig, get_peft_model
    torch.manual_seed(5)
    base = Qwen2ForCausalLM.from_pretrained(os.path.join(E2E, "model"), dtype=torch.float32,
                                            attn_implementation="eager").eval()
    cfg = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=TARGETS,
                     init_lora_weights=False, task_type="CAUSAL_LM")
    model = get_peft_model(base, cfg).eval()
    adapter = os.path.join(out, "peft_adapter")
    model.save_pretrained(adapter)
    config_file = os.path.join(adapter, "adapter_config.json")
    config = json.load(open(config_file))
    config["base_model_name_or_path"] = "qwen2_tiny_e2e_tied_v1024/model"  # not this machine's path
    json.dump(config, open(config_file, "w"), indent=2, sort_keys=True)
    os.remove(os.path.join(adapter, "README.md"))  # PEFT's model card template
    with_adapter = logits_of(model)
    merged = model.merge_and_unload()
    merged_logits = logits_of(merged)
    _, mask, _ = golden_batch()
    save_file({"logits": with_adapter.contiguous(), "merged_logits": merged_logits.contiguous(),
               "attention_mask": mask}, os.path.join(out, "peft_logits.safetensors"))
    print("peft adapter: logits max |adapter - merged| %.2e" %
          (with_adapter - merged_logits)[mask.bool()].abs().max().item())


def optimizer_fixture(out):
    torch.manual_seed(11)
    cases = []
    for clip, wd, lr in [(None, 0.0, 1e-2), (0.5, 0.01, 3e-3), (1.0, 0.1, 1e-1)]:
        p = torch.nn.Parameter(torch.randn(3, 4))
        opt = torch.optim.AdamW([p], lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)
        case = {"lr": lr, "weight_decay": wd, "max_grad_norm": clip,
                "initial": p.detach().flatten().tolist(), "steps": []}
        for step in range(6):
            g = torch.randn(3, 4) * (10.0 if step == 2 else 1.0)
            p.grad = g.clone()
            norm = None
            if clip is not None:
                norm = torch.nn.utils.clip_grad_norm_([p], clip).item()
            opt.step()
            case["steps"].append({"grad": g.flatten().tolist(), "grad_norm": norm,
                                  "after": p.detach().flatten().tolist()})
        cases.append(case)
    schedules = []
    for name, make, kwargs in [
        ("constant", get_constant_schedule_with_warmup, {"num_warmup_steps": 3}),
        ("linear", get_linear_schedule_with_warmup, {"num_warmup_steps": 3, "num_training_steps": 12}),
        ("cosine", get_cosine_with_min_lr_schedule_with_warmup,
         {"num_warmup_steps": 2, "num_training_steps": 12, "min_lr_rate": 0.1}),
    ]:
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.AdamW([p], lr=0.5)
        sched = make(opt, **kwargs)
        lrs = []
        for _ in range(13):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        schedules.append({"name": name, "peak": 0.5, "warmup_steps": kwargs["num_warmup_steps"],
                          "total_steps": kwargs.get("num_training_steps"),
                          "min_lr_ratio": kwargs.get("min_lr_rate", 0.0), "lrs": lrs})
    json.dump({"source": "torch %s AdamW + clip_grad_norm_, transformers schedules" % torch.__version__,
               "adamw": cases, "schedules": schedules},
              open(os.path.join(out, "optimizer_cases.json"), "w"), indent=1)
    print("wrote optimizer_cases.json")


def check_adapter(folder):
    from peft import PeftModel
    base = Qwen2ForCausalLM.from_pretrained(os.path.join(E2E, "model"), dtype=torch.float32,
                                            attn_implementation="eager").eval()
    model = PeftModel.from_pretrained(base, folder).eval()
    logits = logits_of(model)
    java = torch.tensor(json.load(open(os.path.join(folder, "java_logits.json"))))
    _, mask, _ = golden_batch()
    diff = (logits - java)[mask.bool()].abs().max().item()
    print("PEFT loaded the Java adapter: max |PEFT logits - Java logits| = %.2e" % diff)
    return 0 if diff < 1e-4 else 1


def bench(folder, threads, reps, batch, length, mode="full"):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Qwen2ForCausalLM.from_pretrained(folder, dtype=torch.float32).train()
    if mode == "lora":
        from peft import LoraConfig, get_peft_model
        model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0,
                                                 target_modules=TARGETS, task_type="CAUSAL_LM"))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-5, weight_decay=0.01)
    ids = torch.randint(0, 1000, (batch, length))

    def step():
        logits = model(ids).logits[:, :-1]
        lp = torch.log_softmax(logits, -1).gather(-1, ids[:, 1:, None]).squeeze(-1)
        loss = -lp.mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=False)

    step()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    t = statistics.median(times)
    fb = []
    for _ in range(reps):
        start = time.perf_counter()
        logits = model(ids).logits[:, :-1]
        lp = torch.log_softmax(logits, -1).gather(-1, ids[:, 1:, None]).squeeze(-1)
        (-lp.mean()).backward()
        fb.append(time.perf_counter() - start)
        opt.zero_grad(set_to_none=False)
    print("forward+backward %.3f s of a %.3f s step" % (statistics.median(fb), t), file=sys.stderr)
    print(json.dumps({"peer": "transformers", "mode": mode, "torch": torch.__version__, "threads": threads,
                      "batch": batch, "length": length, "step_s": t,
                      "train_tok_s": batch * length / t}))


def side_by_side(folder, threads, rounds, reps, batch, length):
    root = os.path.abspath(os.path.join(HERE, "../.."))
    rows = []
    for mode in ("full", "lora"):
        java, py = [], []
        for r in range(rounds):
            out = subprocess.run(
                [os.path.join(root, "scripts/bench"), "policy", "--main",
                 "dev.deepresearcher.policy.bench.TrainingBench", folder, str(threads), str(reps), mode,
                 str(batch), str(length)], check=True, capture_output=True, text=True).stdout
            java.append(json.loads(out.strip().splitlines()[-1])["train_tok_s"])
            out = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "bench", folder, "--threads", str(threads),
                 "--reps", str(reps), "--batch", str(batch), "--length", str(length), "--mode", mode],
                check=True, capture_output=True, text=True).stdout
            py.append(json.loads(out.strip().splitlines()[-1])["train_tok_s"])
            print("%s round %d: java %.0f | transformers %.0f tok/s" % (mode, r + 1, java[-1], py[-1]),
                  file=sys.stderr)
        rows.append((mode, statistics.median(java), statistics.median(py),
                     [a / b for a, b in zip(java, py)]))
    print("| training step, tok/s (median of %d rounds) | DeepResearcher-JVM | transformers | ratio | per-round ratios |" % rounds)
    print("|---|---|---|---|---|")
    for mode, j, p, ratios in rows:
        print("| %s, batch %d x %d tokens | %.0f | %.0f | %.2fx | %s |" % (
            mode, batch, length, j, p, j / p, " ".join("%.2f" % x for x in ratios)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["fixtures", "check-adapter", "bench", "side-by-side"])
    p.add_argument("folder")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--length", type=int, default=256)
    p.add_argument("--mode", choices=["full", "lora"], default="full")
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    if a.what == "fixtures":
        os.makedirs(a.folder, exist_ok=True)
        peft_fixture(a.folder)
        optimizer_fixture(a.folder)
    elif a.what == "check-adapter":
        return check_adapter(a.folder)
    elif a.what == "bench":
        bench(a.folder, a.threads, a.reps, a.batch, a.length, a.mode)
    else:
        side_by_side(a.folder, a.threads, a.rounds, a.reps, a.batch, a.length)
    return 0


if __name__ == "__main__":
    sys.exit(main())
