-- wrk script of the read benchmark (crates/bench/js/stack-read.mjs), used for our read gateway and for
-- the read peer alike, so both pay the same client cost.
--
--   wrk -tTHREADS … -s crates/bench/wrk/leaderboard.lua http://127.0.0.1:PORT -- MODE EVENT OFFSET THREADS [PREFIX]
--
-- MODE "same": every request is GET /v1/events/EVENT/leaderboard (the edge cache's steady state).
-- MODE "vary": every request asks a URL not asked in the last several seconds, by walking
--   limit = 50..500 (the whole 50-row field on every page) x unit absent/H01 x around absent/RACER01..50
--   (46,002 URLs) from OFFSET, so our gateway's edge cache (keyed on the full URL) misses every time and
--   each request reaches the event object. The peer ignores the query: it answers the same bytes.
-- PREFIX goes before every path (the read peer answers through the Cache API under /cached).
-- At the end it prints one line of JSON: counts, errors and latency percentiles in microseconds.

local mode, event, offset, prefix = "same", "ALPMBENCH00", 0, ""
local counter = 0
local stride = 1
local fixed

-- With several wrk threads, thread k of n takes every n-th URL from k, so no two threads repeat each other.
local threads = 0
function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

local LIMITS, UNITS, AROUND = 451, 2, 51

function init(args)
  mode = args[1] or "same"
  event = args[2] or event
  offset = tonumber(args[3] or "0")
  stride = tonumber(args[4] or "1")
  prefix = args[5] or ""
  fixed = wrk.format("GET", prefix .. "/v1/events/" .. event .. "/leaderboard")
end

local function vary_path(i)
  local limit = 50 + (i % LIMITS)
  local rest = math.floor(i / LIMITS)
  local unit = rest % UNITS
  local around = math.floor(rest / UNITS) % AROUND
  local path = prefix .. "/v1/events/" .. event .. "/leaderboard?limit=" .. limit
  if unit == 1 then path = path .. "&unit=H01" end
  if around > 0 then path = path .. string.format("&around=RACER%02d", around) end
  return path
end

function request()
  if mode == "same" then return fixed end
  counter = counter + 1
  return wrk.format("GET", vary_path(offset + counter * stride + (thread_index or 0)))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
