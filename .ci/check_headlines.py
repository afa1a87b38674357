#!/usr/bin/env python3
"""Searches a deterministic sample of headlines from a truth.jsonl and checks that the first
hit is that story (any syndicated copy of it, or a story with the very same headline).
usage: check_headlines.py GAZETTE INDEX TRUTH.jsonl N  — exits 1 when fewer than 99% pass."""
import json
import random
import re
import subprocess
import sys

gazette, index, truth_path, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [json.loads(line) for line in open(truth_path, encoding="utf-8") if line.strip()]
rows = [r for r in rows if r.get("kind") != "listing"]
copies = {}
for r in rows:
    copies.setdefault(r["id"], set()).add(r["path"])
random.seed(2024)
sample = random.sample(rows, min(n, len(rows)))


def norm(s):
    return re.sub(r"\W+", " ", s or "").strip().lower()


failures = []
for r in sample:
    out = subprocess.run([gazette, "search", "--index", index, "--json", "-n", "1", r["title"]],
                         capture_output=True, text=True)
    if out.returncode == 2:
        failures.append((r["title"], "error: " + out.stderr.strip()))
        continue
    hits = json.loads(out.stdout)["hits"]
    hit = hits[0] if hits else {}
    if hit.get("path") not in copies[r["id"]] and norm(hit.get("title")) != norm(r["title"]):
        failures.append((r["title"], hit.get("path")))
ok = len(sample) - len(failures)
print(f"{ok}/{len(sample)} headlines return their story first")
for title, got in failures[:20]:
    print(f"  MISS {title!r} -> {got}")
sys.exit(0 if ok >= 0.99 * len(sample) else 1)
