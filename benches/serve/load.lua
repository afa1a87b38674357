-- wrk script: each connection walks the request targets of targets.txt (made by urls.py)
-- in turn, starting at a different one, so the 16 connections run the whole query mix.
-- Usage: TARGETS=targets.txt wrk -t2 -c16 -d30s --latency -s load.lua http://127.0.0.1:PORT
local targets = {}
for line in io.lines(os.getenv("TARGETS") or "targets.txt") do
  targets[#targets + 1] = line
end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
end
local n = 0
function request()
  n = n + 1
  local t = targets[((n + (offset or 0)) % #targets) + 1]
  return wrk.format("GET", t)
end
local errors = 0
function response(status)
  if status ~= 200 then errors = errors + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("requests: %d in %.1f s = %.0f req/s\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
end
