#!/usr/bin/env python3
"""List the pages whose extracted title is wrong, with the title candidates each page offers.

usage: title_failures.py CORPUS_DIR RESULTS.jsonl [SCORE_TOOL]
  CORPUS_DIR: a shared set with truth.jsonl and the pages (e.g. ../shared/corpora/trafilatura-eval)
  RESULTS.jsonl: `gazette extract CORPUS_DIR/pages --root CORPUS_DIR` output
  SCORE_TOOL: score_pages.py (default CORPUS_DIR/../../tools/score_pages.py), for its title normalisation

For every page whose title differs from the truth (compared as score_pages.py compares them) it
prints the truth, gazette's title and the candidates: <title>, og:title, twitter:title, JSON-LD
"headline", the <h1>s and the first <h2>s, so failures can be classified (site name left in or
cut wrongly, logo <h1>, kicker joined, rewritten og:title…). Standard library only.
"""
import gzip
import json
import os
import re
import sys
from html.parser import HTMLParser


class Candidates(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = {"title": [], "og": [], "tw": [], "ld": [], "h1": [], "h2": []}
        self.open = None
        self.script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            if key in ("og:title", "twitter:title"):
                self.found[key[:2]].append(a.get("content") or "")
        if tag == "script" and (a.get("type") or "").lower() == "application/ld+json":
            self.script = []
        if tag in ("title", "h1", "h2") and self.open is None:
            self.open = (tag, [])

    def handle_endtag(self, tag):
        if self.open and tag == self.open[0]:
            self.found[tag].append(re.sub(r"\s+", " ", "".join(self.open[1])).strip())
            self.open = None
        if tag == "script" and self.script is not None:
            for m in re.finditer(r'"headline"\s*:\s*"((?:[^"\\]|\\.)*)"', "".join(self.script)):
                try:
                    self.found["ld"].append(json.loads('"%s"' % m.group(1)))
                except ValueError:
                    pass
            self.script = None

    def handle_data(self, data):
        if self.open:
            self.open[1].append(data)
        if self.script is not None:
            self.script.append(data)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    corpus, results = sys.argv[1], sys.argv[2]
    tool = sys.argv[3] if len(sys.argv) > 3 else os.path.join(corpus, "..", "..", "tools", "score_pages.py")
    sys.path.insert(0, os.path.dirname(os.path.abspath(tool)))
    from score_pages import norm  # the scorer's own normalisation

    got = {}
    for line in open(results, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            got[r.get("path")] = r
    wrong = 0
    for line in open(os.path.join(corpus, "truth.jsonl"), encoding="utf-8"):
        t = json.loads(line)
        if "title" not in t or "path" not in t:
            continue
        r = got.get(t["path"]) or got.get(t["path"].removesuffix(".gz")) or {}
        if norm(r.get("title")) == norm(t["title"]):
            continue
        wrong += 1
        path = os.path.join(corpus, t["path"])
        raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
        page = Candidates()
        page.feed(raw.decode("utf-8", "replace"))
        print("=" * 78)
        print(t["path"], t.get("url", ""))
        print("  TRUTH :", t["title"])
        print("  GOT   :", r.get("title"))
        for kind, values in page.found.items():
            for v in values[: 4 if kind == "h2" else 5]:
                print(f"  {kind:6}: {v[:200]}")
    print(f"{wrong} pages with a wrong title", file=sys.stderr)


if __name__ == "__main__":
    main()
