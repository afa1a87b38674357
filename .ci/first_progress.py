#!/usr/bin/env python3
"""Time from the start of `gazette index` to its first progress line that counts a file,
read from the progress bar on a pseudo-terminal. Stops the run once seen.
usage: first_progress.py GAZETTE CORPUS INDEX_DIR  (the index folder is deleted first)"""
import os, pty, re, select, signal, sys, time, shutil
gz, corpus, idx = sys.argv[1:4]
shutil.rmtree(idx, ignore_errors=True)
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.execv(gz, [gz, "index", corpus, "--index", idx])
buf = b""
first_any = None
while True:
    r, _, _ = select.select([fd], [], [], 60)
    if not r:
        print("no output for 60 s"); break
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    now = time.monotonic() - start
    if first_any is None:
        first_any = now
    buf += chunk
    text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", buf).decode("utf-8", "replace")
    m = re.search(r"(\d[\d,]*)(?:/\d[\d,]*\+?)? files", text)
    if m and int(m.group(1).replace(",", "")) > 0:
        print(f"first output {first_any:.2f} s, first counted file {now:.2f} s: {m.group(0)!r}")
        break
    buf = buf[-4096:]
os.kill(pid, signal.SIGINT)
time.sleep(2)
try:
    os.kill(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
