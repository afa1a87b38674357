#!/usr/bin/env python3
"""CI gate for web archives: index ../shared/corpora/warc, check the counts against
newspages/expect.json, and score `gazette extract` on the WARC newspages against their truth
(the same pages as files score 1.000; 5 pages are unmatched by URL, see README).

usage: check_warc.py GAZETTE SHARED_CORPORA WORK_DIR"""
import json, subprocess, sys

gz, shared, work = sys.argv[1:4]
warc = f"{shared}/warc"
expect = json.load(open(f"{warc}/newspages/expect.json"))["totals"]
out = subprocess.run([gz, "index", f"{warc}/newspages", "--index", f"{work}/warc-idx", "--quiet", "--json"],
                     check=True, capture_output=True, text=True).stdout
s = json.loads(out)
w = s["warc"]
print(f"indexed {s['added']} captures; records {w['records']}; revisits {w['revisits']} "
      f"({w['revisits_resolved']} resolved); damaged {w['damaged']}; {s['bytes_read']/s['seconds']/1e6:.1f} MB/s")
fail = []
def check(name, got, want):
    ok = got == want
    print(f"  {name:28} {got!s:>8}  (expected {want}){'' if ok else '  <-- FAIL'}")
    if not ok:
        fail.append(name)
check("article captures indexed", s["added"], expect["html_article_200"])
check("metadata records", w["records"].get("metadata"), expect["metadata"])
check("revisits", w["revisits"], expect["revisits"])
check("revisits resolved", w["revisits_resolved"], expect["revisits"])
check("damaged records", w["damaged"], expect["truncated_records"])
check("all records counted", sum(w["records"].values()) + w["damaged"], expect["records"])

real = json.loads(subprocess.run([gz, "index", f"{warc}/real", "--index", f"{work}/warc-real", "--quiet", "--json"],
                                 check=True, capture_output=True, text=True).stdout)
check("real crawler files: damage", real["warc"]["damaged"], 0)

lines = subprocess.run([gz, "extract", f"{warc}/newspages"], check=True, capture_output=True, text=True).stdout
open(f"{work}/warc-extract.jsonl", "w").write(lines)
score = json.loads(subprocess.run([sys.executable, f"{shared}/../tools/score_pages.py", f"{warc}/newspages/truth.jsonl",
                                   f"{work}/warc-extract.jsonl", "--json"], check=True, capture_output=True, text=True).stdout)
print("extraction from WARC:", {k: score[k] for k in ("pages", "missing", "title_acc", "date_acc", "section_acc", "body_f1", "byline_prf")})
for k, floor in (("title_acc", 0.99), ("date_acc", 0.99), ("section_acc", 0.99), ("body_f1", 0.99)):
    if score[k] < floor:
        print(f"  {k} {score[k]} < {floor}  <-- FAIL"); fail.append(k)
if score["missing"] > 5:
    print(f"  missing {score['missing']} > 5  <-- FAIL"); fail.append("missing")
if fail:
    sys.exit(f"WARC checks failed: {fail}")
print("WARC checks passed")
