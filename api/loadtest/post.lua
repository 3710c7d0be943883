-- wrk script for scripts/loadtest.sh: POST the file $BODY with
-- Authorization $AUTH (when set), and print one JSON line of results in the
-- shape api/loadtest/loadgen prints, starting with "RESULT ".
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"label":"%s","tool":"wrk","connections":%d,"requests":%d,"errors":%d,"statuses":{"non_2xx_3xx":%d},' ..
    '"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"request_bytes":%d}\n',
    os.getenv("LABEL") or "", tonumber(os.getenv("CONNS") or "0"), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, #wrk.body))
end
