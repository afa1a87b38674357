#!/usr/bin/env python3
"""Known-item search on a folder of real pages: index it, extract it, then for every page whose
extraction has a title search (1) its headline and (2) its whole <title> element text (a pasted
browser-tab title, site name included) and check that the first hit is that page. A first hit
that is another page with the very same headline (for 1) or the same <title> (for 2) counts as
found: the query cannot tell them apart.

usage: check_known_items.py GAZETTE CORPUS WORKDIR [MIN]
  exits 1 when headline@1 or pasted-title@1 is below MIN (default 0.95)."""
import json
import re
import subprocess
import sys

gazette, corpus, work = sys.argv[1], sys.argv[2], sys.argv[3]
minimum = float(sys.argv[4]) if len(sys.argv) > 4 else 0.95
index = f"{work}/index"

subprocess.run([gazette, "index", corpus, "--index", index, "--rebuild", "--include-listings", "--quiet", "--exclude", "truth.jsonl"],
               check=True)
# the pages only: the set's truth.jsonl (left out of the index above) is itself a JSON Lines
# archive that `extract` would read
import os
pages_dir = os.path.join(corpus, "pages")
out = subprocess.run([gazette, "extract", pages_dir if os.path.isdir(pages_dir) else corpus, "--root", corpus],
                     capture_output=True, text=True, check=True)
pages = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
pages = [p for p in pages if p.get("kind") in ("article", "listing") and (p.get("title") or "").strip()]


def norm(s):
    return re.sub(r"\W+", " ", s or "").strip().lower()


by_headline, by_page_title = {}, {}
for p in pages:
    by_headline.setdefault(norm(p["title"]), set()).add(p["path"])
    if p.get("page_title"):
        by_page_title.setdefault(norm(p["page_title"]), set()).add(p["path"])


def first_hit(query):
    r = subprocess.run([gazette, "search", "--index", index, "--json", "-n", "1", "--", query],
                       capture_output=True, text=True)
    if r.returncode == 2:
        return None, "error: " + r.stderr.strip()
    v = json.loads(r.stdout)
    hits = v["hits"]
    return (hits[0]["path"] if hits else None), v.get("partial", False)


def measure(name, key, same):
    asked = found = partial = 0
    misses = []
    for p in pages:
        q = p.get(key)
        if not q or not norm(q):
            continue
        asked += 1
        got, was_partial = first_hit(q)
        if got == p["path"] or got in same.get(norm(q), set()):
            found += 1
            partial += was_partial is True
        else:
            misses.append((q, p["path"], got))
    share = found / asked if asked else 0.0
    print(f"{name}@1: {found}/{asked} = {share:.3f} ({partial} found through partial matches)")
    for q, want, got in misses[:15]:
        print(f"  MISS {q[:90]!r}: want {want}, got {got}")
    return share


print(f"{corpus}: {len(pages)} pages with a title")
a = measure("headline", "title", by_headline)
b = measure("pasted-title", "page_title", by_page_title)
sys.exit(0 if a >= minimum and b >= minimum else 1)
