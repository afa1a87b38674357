#!/usr/bin/env python3
"""Extraction quality gate on the shared corpora.

usage: check_extraction.py GAZETTE SHARED_CORPORA_DIR [--score-tool PATH] [--keep DIR]

Runs `GAZETTE extract` on SHARED_CORPORA_DIR/newspages, on the readability test pages
(SHARED_CORPORA_DIR/readability/pages, paths relative to readability/) and on the real-web sets
trafilatura-eval and htmldate-eval (pages/*.html.gz, paths relative to the set folder), scores
each run with the shared scorer (`score_pages.py --json`, by default
SHARED_CORPORA_DIR/../tools/), prints every figure with its threshold, and exits 1 when a figure
is below it (2 on a usage or run error). The text page dumps (SHARED_CORPORA_DIR/textdumps)
are scored against the issue 10 targets, and their seed page must be exactly its truth.

Thresholds are the project's targets where gazette meets them. Where a target (issue 11) is
not met yet, the gate is the measured figure minus a small margin, so regressions fail CI,
and the gap to the target is printed. Every set must have no page with mojibake.
People figures belong to the people module: printed, enforced only with GAZETTE_ENFORCE_PEOPLE=1.
A corpus that is missing is reported and skipped.
"""
import json
import os
import subprocess
import sys
import tempfile

# Targets (issue 3).
NEWS_TARGETS = {"title_acc": 0.99, "date_acc": 0.99, "section_acc": 0.97, "body_f1": 0.97}
# Byline truth was corrected in ../shared (pages that print no byline; names as printed).
NEWS_BYLINE_F1 = 0.95
READ_TARGETS = {"body_f1": 0.95, "date_acc": 0.95}
READ_BYLINE_TARGET = 0.95
# Real-web sets (issue 11): (figure, target, gate). gate < target means the target is not met
# yet and the gate holds the measured figure minus a margin.
TRAF_FIGURES = [
    ("snippet F1", 0.94, 0.94),  # met (gated at the target): measured 0.942 (seventh body pass)
    ("snippet precision", 0.92, 0.921),  # met (gated at the target): measured 0.947
    ("date_acc", 0.92, 0.92),  # met: measured 0.928 (fourth date pass; gate at the target)
    ("title_acc", 0.85, 0.86),
]
HTMLDATE_FIGURES = [("date_acc", 0.93, 0.93)]  # met: measured 0.945 (fourth date pass)
# Tags recall: Reuters tags name figures that 1987 stories often call by surname and office
# alone ("Fed Chairman Volcker"); such lone surnames are not people values (issue 15).
PEOPLE_F1, PEOPLE_TAGS_RECALL = 0.85, 0.85
# Text page dumps (issue 10).
TEXT_TARGETS = {"title_acc": 0.98, "date_acc": 0.98, "section_acc": 0.95, "body_f1": 0.95}
TEXT_BYLINE_F1, TEXT_PEOPLE_F1 = 0.90, 0.85

failures = []


def check(label, value, threshold, note=""):
    ok = value is not None and value >= threshold
    mark = "ok  " if ok else "FAIL"
    shown = "n/a" if value is None else f"{value:.3f}"
    print(f"  {mark} {label:34} {shown:>7}  (>= {threshold:.3f}){'  ' + note if note else ''}")
    if not ok:
        failures.append(label)


def show(label, value):
    print(f"  info {label:34} {value}")


def run_extract(gazette, args, out_path):
    with open(out_path, "w", encoding="utf-8") as out:
        proc = subprocess.run([gazette, "extract", *args], stdout=out, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"gazette extract {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")


def score(tool, truth, results):
    proc = subprocess.run([sys.executable, tool, truth, results, "--json"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"scoring failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def newspages(gazette, corpora, tool, work):
    corpus = os.path.join(corpora, "newspages")
    truth = os.path.join(corpus, "truth.jsonl")
    if not os.path.exists(truth):
        print("== newspages: not found, skipped")
        return
    out = os.path.join(work, "newspages.jsonl")
    run_extract(gazette, [corpus], out)
    s = score(tool, truth, out)
    print(f"== newspages ({s['pages']} pages, {s['missing']} missing)")
    check("pages extracted (1 - missing share)", 1 - s["missing"] / max(1, s["pages"]), 1.0)
    for key, target in NEWS_TARGETS.items():
        check(key, s[key], target)
    show("body_p / body_r", f"{s['body_p']} / {s['body_r']}")
    done, total = (int(x) for x in s["listing_skipped"].split("/"))
    check(f"listing pages skipped ({done}/{total})", done / total if total else 1.0, 1.0)
    check("pages without mojibake", 1.0 if s["mojibake_pages"] == 0 else 0.0, 1.0,
          f"{s['mojibake_pages']} pages with mojibake")
    p, r, f = s["byline_prf"] or (None, None, None)
    check("byline_f1", f, NEWS_BYLINE_F1)
    show("byline P / R", f"{p} / {r}")
    people(s)


def people(s):
    enforce = os.environ.get("GAZETTE_ENFORCE_PEOPLE") == "1"
    prf = s.get("people_prf")
    tags = s.get("reuters_people_tag_recall")
    if not enforce:
        show("people_prf (P, R, F1)", f"{prf}  (not enforced; set GAZETTE_ENFORCE_PEOPLE=1)")
        show("reuters_people_tag_recall", f"{tags}  (not enforced)")
        return
    check("people_f1", prf[2] if prf else None, PEOPLE_F1)
    check("reuters_people_tag_recall", tags, PEOPLE_TAGS_RECALL)


def readability(gazette, corpora, tool, work):
    root = os.path.join(corpora, "readability")
    truth = os.path.join(root, "truth.jsonl")
    if not os.path.exists(truth):
        print("== readability: not found, skipped")
        return
    out = os.path.join(work, "readability.jsonl")
    run_extract(gazette, [os.path.join(root, "pages"), "--root", root], out)
    s = score(tool, truth, out)
    print(f"== readability ({s['pages']} pages, {s['missing']} missing)")
    for key, target in READ_TARGETS.items():
        check(key, s[key], target)
    show("body_p / body_r", f"{s['body_p']} / {s['body_r']}")
    show("title_acc (no target)", s["title_acc"])
    check("pages without mojibake", 1.0 if s["mojibake_pages"] == 0 else 0.0, 1.0,
          f"{s['mojibake_pages']} pages with mojibake")
    p, r, f = s["byline_prf"] or (None, None, None)
    show("byline P / R", f"{p} / {r}")
    check("byline_f1", f, READ_BYLINE_TARGET)


def gated(label, value, target, gate):
    """A figure with its target; below the target the gate is the measured figure minus a margin."""
    if gate >= target:
        check(label, value, target)
    else:
        check(label, value, gate, f"target {target:.2f} not met yet (gap {target - (value or 0):.3f})")


def real_web(gazette, corpora, tool, work, name, figures):
    root = os.path.join(corpora, name)
    truth = os.path.join(root, "truth.jsonl")
    if not os.path.exists(truth):
        print(f"== {name}: not found, skipped")
        return
    out = os.path.join(work, f"{name}.jsonl")
    run_extract(gazette, [os.path.join(root, "pages"), "--root", root], out)
    s = score(tool, truth, out)
    print(f"== {name} ({s['pages']} pages, {s['missing']} missing)")
    check("pages extracted (1 - missing share)", 1 - s["missing"] / max(1, s["pages"]), 1.0)
    snip = s.get("snippets_prf") or (None, None, None)
    values = {"snippet precision": snip[0], "snippet recall": snip[1], "snippet F1": snip[2],
              "date_acc": s["date_acc"], "title_acc": s["title_acc"]}
    for label, target, gate in figures:
        gated(label, values[label], target, gate)
    if snip[1] is not None:
        show("snippet recall", snip[1])
    check("pages without mojibake", 1.0 if s["mojibake_pages"] == 0 else 0.0, 1.0,
          f"{s['mojibake_pages']} pages with mojibake")


def textdumps(gazette, corpora, tool, work):
    """Text page dumps (issue 10 targets); the seed page must be exactly its truth."""
    corpus = os.path.join(corpora, "textdumps")
    truth = os.path.join(corpus, "truth.jsonl")
    if not os.path.exists(truth):
        print("== textdumps: not found, skipped")
        return
    out = os.path.join(work, "textdumps.jsonl")
    run_extract(gazette, [corpus], out)
    s = score(tool, truth, out)
    print(f"== textdumps ({s['pages']} pages, {s['missing']} missing)")
    check("pages extracted (1 - missing share)", 1 - s["missing"] / max(1, s["pages"]), 1.0)
    for key, target in TEXT_TARGETS.items():
        check(key, s[key], target)
    show("body_p / body_r", f"{s['body_p']} / {s['body_r']}")
    check("byline_f1", (s["byline_prf"] or (None, None, None))[2], TEXT_BYLINE_F1)
    check("people_f1", (s["people_prf"] or (None, None, None))[2], TEXT_PEOPLE_F1)
    check("pages without mojibake", 1.0 if s["mojibake_pages"] == 0 else 0.0, 1.0,
          f"{s['mojibake_pages']} pages with mojibake")
    rows = [json.loads(l) for l in open(truth, encoding="utf-8") if l.strip()]
    got = {}
    for line in open(out, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            got[r.get("path")] = r
    for t in (t for t in rows if t["path"].startswith("seed/")):
        r = got.get(t["path"], {})
        wrong = [k for k in ("title", "date", "section", "byline", "people", "body") if r.get(k) != t.get(k)]
        check(f"seed page exact ({t['path']})", 0.0 if wrong else 1.0, 1.0,
              f"differs in {', '.join(wrong)}" if wrong else "")


def main():
    args = sys.argv[1:]
    tool = None
    keep = None
    if "--score-tool" in args:
        i = args.index("--score-tool")
        tool = args[i + 1]
        del args[i:i + 2]
    if "--keep" in args:
        i = args.index("--keep")
        keep = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    gazette, corpora = args
    tool = tool or os.path.join(corpora, os.pardir, "tools", "score_pages.py")
    if not os.path.exists(tool):
        sys.exit(f"scorer not found: {tool}")
    with tempfile.TemporaryDirectory(prefix="gazette-extract-") as tmp:
        work = keep or tmp
        os.makedirs(work, exist_ok=True)
        newspages(gazette, corpora, tool, work)
        readability(gazette, corpora, tool, work)
        real_web(gazette, corpora, tool, work, "trafilatura-eval", TRAF_FIGURES)
        real_web(gazette, corpora, tool, work, "htmldate-eval", HTMLDATE_FIGURES)
        textdumps(gazette, corpora, tool, work)
    if failures:
        print(f"FAILED: {', '.join(failures)}")
        sys.exit(1)
    print("extraction quality: all figures at or above their thresholds")


if __name__ == "__main__":
    main()
