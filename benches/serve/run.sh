#!/usr/bin/env bash
# Load test of `gazette serve`: 16 concurrent keep-alive clients on loopback (wrk) for a
# bounded time on the /api/search mix of a query file; prints latency percentiles,
# throughput and the server's peak RSS.
#   benches/serve/run.sh INDEX [QUERIES] [SECONDS]
# GAZETTE=path/to/gazette picks the binary (default target/release/gazette); SERVE_ARGS adds
# `gazette serve` options (e.g. SERVE_ARGS="--index OTHER --parallel-segments").
set -euo pipefail
cd "$(dirname "$0")/../.."
index=$1
queries=${2:-benches/queries-newspages.txt}
seconds=${3:-30}
bin=${GAZETTE:-target/release/gazette}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
work=$(mktemp -d)
python3 benches/serve/urls.py "$queries" > "$work/targets.txt"
"$bin" serve --index "$index" --addr 127.0.0.1:0 ${SERVE_ARGS:-} > "$work/out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q serving "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's|gazette: serving \(http://[^/]*\)/|\1|p' "$work/out")
# warm-up: every target once
while read -r t; do curl -s -o /dev/null "$base$t"; done < "$work/targets.txt"
TARGETS="$work/targets.txt" wrk -t2 -c16 -d"${seconds}s" --latency -s benches/serve/load.lua "$base" | sed -n '/non-2xx/,$p'
echo "server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}'), now $(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MB"}')"
