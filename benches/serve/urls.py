#!/usr/bin/env python3
"""Turns a `gazette bench` query file into /api/search request targets, one per line.

Each line is a query in `gazette search` syntax optionally followed by filters as on the
command line (see benches/queries-newspages.txt); it is split as `gazette bench` splits it
(src/bench.rs, parse_line): the text before the first filter flag is the query, as is, and
the filters become API parameters.
Usage: urls.py QUERIES.txt > targets.txt
"""
import re
import shlex
import sys
from urllib.parse import urlencode

FLAG = re.compile(r"(^|\s)--(since|until|section|person|site|sort|facets|limit)\b")
VALUED = {"--since": "since", "--until": "until", "--section": "section",
          "--person": "person", "--site": "site", "--sort": "sort", "--limit": "n"}

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    m = FLAG.search(line)
    text, flags = (line[:m.start()], line[m.start():]) if m else (line, "")
    params = [("q", text.strip())]
    words = iter(shlex.split(flags))
    for flag in words:
        if flag in VALUED:
            params.append((VALUED[flag], next(words)))
        elif flag == "--facets":
            params.append(("facets", "1"))
        elif flag == "--exact-total":
            params.append(("exact", "1"))
        else:
            sys.exit(f"unexpected {flag!r} in {line!r}")
    print("/api/search?" + urlencode(params))
