-- wrk script for bench/run: an FC request with a realistic full x-fc-*
-- header set (the names and value shapes fcinvoke sends; the security token
-- is 1 KB, as on FC). Every contender gets the same bytes.
--
-- Environment:
--   BENCH_KIND       event (POST /invoke, {"name":"Ada","count":3}) or
--                    http (GET /hello?name=Ada&count=3, control path /http-invoke)
--   BENCH_CHECK=1    check every answer: status 200 and the expected body
--                    (slower; for the warm-up run only)
--   BENCH_SCENARIO, BENCH_CONTENDER, BENCH_ROUND  labels copied to the result
-- done() prints one line "BENCHJSON {...}" with the run's numbers.

local kind = os.getenv("BENCH_KIND") or "event"
local answer = '{"greeting":"hello, Ada","count":3}'

-- "CAIS" and 1020 base64 characters: the shape of an STS token.
local token = "CAIS" .. string.sub(string.rep("q6Ft5B2yfSjIr5bXBo3hmbJq1oaMVFKE1mU+QM5Yh5/9gFvIgA", 21), 1, 1020)

wrk.headers["User-Agent"] = "fc-bench"
wrk.headers["x-fc-request-id"] = "1-6b0a7b4b-c62930fb-c20fc14da3a4"
wrk.headers["x-fc-access-key-id"] = "STS.bench-not-a-real-key"
wrk.headers["x-fc-access-key-secret"] = "YmVuY2gtbm90LWEtcmVhbC1zZWNyZXQtMDEyMzQ1Njc4"
wrk.headers["x-fc-security-token"] = token
wrk.headers["x-fc-function-name"] = "hello"
wrk.headers["x-fc-function-handler"] = "index.handler"
wrk.headers["x-fc-function-memory"] = "512"
wrk.headers["x-fc-function-timeout"] = "60"
wrk.headers["x-fc-function-initializer"] = ""
wrk.headers["x-fc-initialization-timeout"] = "60"
wrk.headers["x-fc-instance-lifecycle-pre-stop-handler"] = ""
wrk.headers["x-fc-instance-lifecycle-pre-freeze-handler"] = ""
wrk.headers["x-fc-service-name"] = "bench-local"
wrk.headers["x-fc-service-logproject"] = "aliyun-fc-cn-hangzhou-bench-local"
wrk.headers["x-fc-service-logstore"] = "function-log"
wrk.headers["x-fc-region"] = "cn-hangzhou"
wrk.headers["x-fc-account-id"] = "1234567890123456"
wrk.headers["x-fc-qualifier"] = "LATEST"
wrk.headers["x-fc-version-id"] = ""
wrk.headers["x-fc-retry-count"] = "0"
wrk.headers["x-fc-base-path"] = ""
wrk.headers["x-fc-tracing-opentracing-span-context"] = "5f0c2f6a3b2d1e4f:5f0c2f6a3b2d1e4f:0:1"
wrk.headers["x-fc-tracing-opentracing-span-baggages"] = "eyJiZW5jaCI6ImxvY2FsIn0="
wrk.headers["x-fc-tracing-jaeger-endpoint"] = "http://127.0.0.1:14268/api/traces"
wrk.headers["x-fc-eagleeye-traceid"] = "7f00000117648924358451001a3f2"
wrk.headers["x-fc-eagleeye-rpcid"] = "0.1"
wrk.headers["x-fc-eagleeye-userdata"] = ""

if kind == "http" then
  wrk.method = "GET"
  wrk.path = "/hello?name=Ada&count=3"
  wrk.headers["x-fc-control-path"] = "/http-invoke"
  wrk.headers["x-fc-client-ip"] = "127.0.0.1"
else
  wrk.method = "POST"
  wrk.path = "/invoke"
  wrk.body = '{"name":"Ada","count":3}'
  wrk.headers["Content-Type"] = "application/octet-stream"
  wrk.headers["x-fc-control-path"] = "/invoke"
  wrk.headers["x-fc-client-ip"] = ""
end

-- Per-thread counters of checked answers, read by done() through the
-- thread objects setup() keeps.
good, bad, first_bad = 0, 0, ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

if os.getenv("BENCH_CHECK") == "1" then
  function response(status, headers, body)
    if status == 200 and body == answer then
      good = good + 1
    else
      bad = bad + 1
      if first_bad == "" then first_bad = status .. " " .. string.sub(body, 1, 200) end
    end
  end
end

local function label(name)
  local v = os.getenv(name) or ""
  return (string.gsub(v, '[^%w%-%._/]', ""))
end

function done(summary, latency, requests)
  local g, b, fb = 0, 0, ""
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    b = b + t:get("bad")
    if fb == "" then fb = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"scenario":"%s","contender":"%s","round":%d,"conns":%d,' ..
    '"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%.1f,"p99_us":%.1f,"max_us":%.1f,' ..
    '"errors":%d,"non2xx":%d,"checked":%d,"bad":%d,"first_bad":"%s"}\n',
    label("BENCH_SCENARIO"), label("BENCH_CONTENDER"), tonumber(os.getenv("BENCH_ROUND") or "0") or 0,
    tonumber(os.getenv("BENCH_CONNS") or "0") or 0,
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status, g, b,
    (string.gsub(fb, '[^%w%- ,:{}]', "")))) 
end
