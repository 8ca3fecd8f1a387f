#!/usr/bin/env python3
"""Reference implementations of the reward rules, in Python, to check the Java ones against.

DeepResearcher's reward (training and evaluation variants) is re-implemented from the rules written in
shared/fixtures/reward/README (lower-case everything; unbalanced <think>/<answer>/<tool_call> tags or a
missing <answer> give the format score; first <answer>; ASCII punctuation -> space; collapse whitespace;
word-SET F1 or exact match; best ground truth). `--check` proves this re-implementation reproduces the
600 cases that DeepResearcher's own code scored; `--write` then scores extra, harder inputs (Unicode
case folding, odd tag orders, whitespace) so Java can be compared on them too.

SQuAD's EM/F1 follow the official v1.1 evaluation script's normalisation (lower, drop punctuation,
drop articles a/an/the, collapse whitespace; multiset F1).

Usage:
  python3 tools/reference/reward_reference.py --check reward/src/test/resources/reference/reward_cases.json
  python3 tools/reference/reward_reference.py --write reward/src/test/resources/reference
"""
import argparse
import collections
import json
import os
import random
import re
import string

TAGS = ("tool_call", "think", "answer")


def tags_balanced(text):
    for tag in TAGS:
        start, end = "<%s>" % tag, "</%s>" % tag
        if text.count(start) != text.count(end):
            return False
        pos = -1
        while True:
            s = text.find(start, pos + 1)
            if s == -1:
                break
            e = text.find(end, s)
            if e == -1:
                return False
            pos = e
    return True


def dr_normalize(text):
    for p in string.punctuation:
        text = text.replace(p, " ")
    return re.sub(r"\s+", " ", text).strip()


def deepresearcher_score(response, ground_truth, metric, evaluation=False):
    text = response.lower()
    truths = ground_truth.lower().split("<|answer_split|>")
    fail = 0.0 if evaluation else -1.0
    if evaluation:
        text = text.split("<|im_start|>assistant")[-1]
    if not tags_balanced(text):
        return fail
    m = re.search(r"<answer>(.*?)</answer>", text, re.DOTALL)
    if not m:
        return fail
    answer = dr_normalize(m.group(1).strip())
    best = 0.0
    for truth in truths:
        truth = dr_normalize(truth)
        if metric == "em":
            if truth == answer:
                return 1.0
            continue
        p, g = set(answer.split()), set(truth.split())
        if not p or not g:
            continue
        common = p & g
        precision = len(common) / len(p)
        recall = len(common) / len(g)
        if precision + recall > 0:
            best = max(best, 2 * (precision * recall) / (precision + recall))
    return best


def squad_normalize(s):
    s = s.lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def squad_f1(prediction, truth):
    p, g = squad_normalize(prediction).split(), squad_normalize(truth).split()
    same = sum((collections.Counter(p) & collections.Counter(g)).values())
    if same == 0:
        return 0.0
    precision, recall = 1.0 * same / len(p), 1.0 * same / len(g)
    return (2 * precision * recall) / (precision + recall)


def squad_em(prediction, truth):
    return float(squad_normalize(prediction) == squad_normalize(truth))


def check(path):
    cases = json.load(open(path, encoding="utf-8"))["cases"]
    bad = 0
    for c in cases:
        for metric in ("f1", "em"):
            got = deepresearcher_score(c["response"], c["ground_truth"], metric)
            if got != c[metric]:
                bad += 1
                print("MISMATCH", metric, got, c[metric], repr(c["response"][:80]))
    print("%d cases, %d mismatches" % (len(cases), bad))
    return bad == 0


def tricky_responses(rng):
    """Inputs that stress case folding, tag order, whitespace and punctuation."""
    answers = ["Paris", "PARIS, France", "the Eiffel  Tower", "İstanbul", "ΣΊΣΥΦΟΣ", "straße",
               "naïve café", "1,000,000", "U.S.A.", "Kelvin \u212a", "tab\tand\u3000wide", "",
               "a an the", "don't stop", "C++ / C#", "李白", "emoji 👍🏽 ok", "\u00a0nbsp\u2003spaces ",
               "Title_Case_With_Underscores", "the—dash", "x² + y²", "Ⅻ roman"]
    wrappers = [
        "<think>{t}</think><answer>{a}</answer>",
        "<THINK>{t}</THINK><ANSWER>{a}</ANSWER>",
        "<thin\u212a>{t}</THIN\u212a><answer>{a}</answer>",
        "<think>{t}</think>\n<answer>  {a}  </answer>",
        "<answer>{a}</answer><answer>other</answer>",
        "</answer><answer>{a}</answer><answer>",
        "<think>{t}<answer>{a}</answer></think>",
        "<tool_call>{{\"name\": \"web_search\"}}</tool_call><answer>{a}</answer>",
        "<tool_call><tool_call></tool_call></tool_call><answer>{a}</answer>",
        "<think>{t}</think></think><think><answer>{a}</answer>",
        "<think>{t}</think><answer>{a}",
        "{a}",
        "<answer>{a}</answer>\u0130",
        "<answer>{a}</Answer>",
        "<answer>{a}</answer ><answer>x</answer>",
        "<|im_start|>assistant\n<think>{t}</think>\n<answer>{a}</answer><|im_end|>",
        "<think>bad</answer>\n<|im_start|>assistant\n<answer>{a}</answer>",
        "<|IM_START|>ASSISTANT<answer>{a}</answer>",
        "<answer>{a}</answer><|im_start|>assistant\n<think>x</think>",
    ]
    out = []
    for w in wrappers:
        for a in answers:
            out.append(w.format(t="reasoning about " + a, a=a))
    for _ in range(200):
        a = "".join(rng.choice("abcXYZ .,;-'\"İ\u212aß\t\n") for _ in range(rng.randint(0, 12)))
        out.append(rng.choice(wrappers).format(t="t", a=a))
    return out, answers


def write(out_dir):
    rng = random.Random(2504)
    responses, answers = tricky_responses(rng)
    truths = ["paris", "Paris<|answer_split|>Paris, France", "Eiffel Tower", "istanbul<|answer_split|>i̇stanbul",
              "σίσυφος", "STRASSE<|answer_split|>straße", "naive cafe<|answer_split|>naïve café",
              "1000000<|answer_split|>1,000,000", "usa<|answer_split|>u s a", "kelvin k", "",
              "<|answer_split|>", "the", "don t stop", "c c", "李白", "emoji ok", "nbsp spaces",
              "title_case_with_underscores", "the dash", "x² y²", "xii roman"]
    cases = []
    for i, r in enumerate(responses):
        gt = truths[i % len(truths)] if i % 3 else rng.choice(truths)
        cases.append({
            "response": r,
            "ground_truth": gt,
            "f1": deepresearcher_score(r, gt, "f1"),
            "em": deepresearcher_score(r, gt, "em"),
            "eval_f1": deepresearcher_score(r, gt, "f1", evaluation=True),
            "eval_em": deepresearcher_score(r, gt, "em", evaluation=True),
        })
    with open(os.path.join(out_dir, "extra_reward_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"source": "tools/reference/reward_reference.py (seed 2504)", "cases": cases}, f,
                  ensure_ascii=False, indent=0)
    squad = []
    preds = answers + ["The Eiffel Tower, Paris", "an apple a day", "Theatre of the absurd",
                       "the the the", "A", "Anne and the anthem", "the_end", "the2", "³the", "THE",
                       "Ⅻthe", "l'the", "the\u00a0end", "á the é"]
    for i, p in enumerate(preds):
        for t in truths[:12] + ["the eiffel tower", "apple day", "absurd theatre"]:
            gts = t.split("<|answer_split|>")
            squad.append({"prediction": p, "ground_truths": gts,
                          "normalized": squad_normalize(p),
                          "f1": max(squad_f1(p, g) for g in gts),
                          "em": max(squad_em(p, g) for g in gts)})
    with open(os.path.join(out_dir, "squad_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"source": "tools/reference/reward_reference.py", "cases": squad}, f,
                  ensure_ascii=False, indent=0)
    print("wrote %d reward cases and %d squad cases" % (len(cases), len(squad)))


def trajectory(case, rng):
    """About 20 KB: search turns with tool responses, then the case's response (as the JMH bench)."""
    q = case["question"]
    parts, size, turn = [], 0, 0
    while size < 19000:
        chunk = ["<think>I need to look up %s</think>\n<tool_call>\n" % q,
                 '{"name": "web_search", "arguments": {"query": ["%s"]}}\n' % q.replace('"', "'"),
                 "</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n"]
        for hit in range(10):
            chunk.append('{"title": "Result %d.%d", "url": "https://example.org/%d", "snippet": "The %s was'
                         ' founded long ago; historians disagree about the details of its early years."}\n'
                         % (turn, hit, rng.randrange(1000000), "Kelvin" if len(q) % 7 == 0 else "city"))
        chunk.append("</tool_response><|im_end|>\n<|im_start|>assistant\n")
        text = "".join(chunk)
        parts.append(text)
        size += len(text)
        turn += 1
    return "".join(parts) + case["response"]


def bench(path):
    """Scores per second of the Python reference on the inputs of RewardBenchmark (median of 5)."""
    import statistics
    import time
    cases = json.load(open(path, encoding="utf-8"))["cases"]
    rng = random.Random(1)
    longs = []
    for _ in range(64):
        c = cases[rng.randrange(len(cases))]
        longs.append((trajectory(c, rng), c["ground_truth"]))
    shorts = [(c["response"], c["ground_truth"]) for c in cases]
    for name, inputs in (("shortAnswer", shorts), ("trajectory20kb", longs)):
        rates = []
        for _ in range(5):
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < 2.0:
                for response, truth in inputs:
                    deepresearcher_score(response, truth, "f1")
                n += len(inputs)
            rates.append(n / (time.perf_counter() - start))
        print("python reference %-15s median %10.0f scores/s  (runs: %s)"
              % (name, statistics.median(rates), ", ".join("%.0f" % r for r in rates)))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", help="reward_cases.json scored by DeepResearcher's own code")
    ap.add_argument("--write", help="folder to write the extra reference cases to")
    ap.add_argument("--bench", help="reward_cases.json: time the reference on RewardBenchmark's inputs")
    args = ap.parse_args()
    if args.check and not check(args.check):
        raise SystemExit(1)
    if args.write:
        write(args.write)
    if args.bench:
        bench(args.bench)
