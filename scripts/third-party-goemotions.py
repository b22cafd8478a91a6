#!/usr/bin/env python3
"""Convert GoEmotions' training split (Apache-2.0; ../shared/datasets/goemotions)
to our sentiment format, {"text", "label", "lang": "en"}, and keep the subset
the shipped sentiment model learns from. The label is the dataset's 3-way
sentiment, "angry" where the raters chose anger (the closest of its emotions
to our rule for angry: hostility). The lines are shuffled (seed 11); the first
2,000 are a validation slice we chose the mix on (not shipped), the next
8,000 are written. Usage:
    python3 scripts/third-party-goemotions.py ../shared/datasets/goemotions data/third_party/goemotions
"""
import json, os, random, sys

src, dst = sys.argv[1], sys.argv[2]
emotions = {}
with open(os.path.join(src, "train.jsonl")) as f:
    for line in f:
        r = json.loads(line)
        emotions[r["id"]] = r["labels"]
lines = []
with open(os.path.join(src, "train_sentiment.jsonl")) as f:
    for line in f:
        r = json.loads(line)
        label = r["sentiment"]
        if label == "negative" and "anger" in emotions.get(r["id"], []):
            label = "angry"
        lines.append(json.dumps({"text": r["text"], "label": label, "lang": "en"}, ensure_ascii=False) + "\n")
random.seed(11)
random.shuffle(lines)
os.makedirs(dst, exist_ok=True)
with open(os.path.join(dst, "train.en.jsonl"), "w") as out:
    out.writelines(lines[2000:10000])
print("wrote 8000 lines", file=sys.stderr)
