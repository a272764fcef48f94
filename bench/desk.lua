-- wrk script for bench/desk.sh: the session cookie on every request, case ids
-- rotated when DESK_CASES is set, and one machine-readable line at the end:
--   RESULT <p50 µs> <p99 µs> <requests/s> <requests> <responses that were not 200 or not a desk page>
-- A desk page is one with the logout form (a logged-in page); the login page has none.

local cookie = os.getenv("DESK_COOKIE")
local path = os.getenv("DESK_PATH") or "/"
local cases = tonumber(os.getenv("DESK_CASES") or "0")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  counter = id * 7919
  wrk.headers["Cookie"] = cookie
end

function request()
  if cases > 0 then
    counter = counter + 1
    return wrk.format("GET", "/cases/" .. (counter % cases + 1))
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, 'action="/logout"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %d %d %.1f %d %d\n",
    latency:percentile(50), latency:percentile(99), summary.requests / seconds,
    summary.requests, bad_total + summary.errors.status))
end
