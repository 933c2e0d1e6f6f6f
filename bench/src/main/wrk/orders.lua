-- wrk script for scripts/bench-http.sh: POST /orders as a careful client sends it, each request with its own
-- Idempotency-Key (BENCH_KEY_PREFIX-thread-n) and body, cycling over products 1..BENCH_PRODUCTS, 1-3 units.
-- done() prints "BENCH <name> <value>" lines: status counts, socket errors, latency percentiles in ms.
local products = tonumber(os.getenv("BENCH_PRODUCTS") or "8")
local prefix = os.getenv("BENCH_KEY_PREFIX") or "bench"
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  s200, s201, s202, s4xx, s5xx, sother = 0, 0, 0, 0, 0, 0
end

function request()
  n = n + 1
  local body = string.format('{"productId":%d,"count":%d}', (n + id) % products + 1, n % 3 + 1)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%s-%d-%d", prefix, id, n),
  }
  return wrk.format("POST", "/orders", headers, body)
end

function response(status, headers, body)
  if status == 201 then s201 = s201 + 1
  elseif status == 202 then s202 = s202 + 1
  elseif status == 200 then s200 = s200 + 1
  elseif status >= 400 and status < 500 then s4xx = s4xx + 1
  elseif status >= 500 and status < 600 then s5xx = s5xx + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local totals = { s200 = 0, s201 = 0, s202 = 0, s4xx = 0, s5xx = 0, sother = 0 }
  for _, t in ipairs(threads) do
    for k, _ in pairs(totals) do totals[k] = totals[k] + t:get(k) end
  end
  for k, v in pairs(totals) do io.write(string.format("BENCH %s %d\n", k, v)) end
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_s %.3f\n", summary.duration / 1e6))
  io.write(string.format("BENCH errors_connect %d\n", summary.errors.connect))
  io.write(string.format("BENCH errors_read %d\n", summary.errors.read))
  io.write(string.format("BENCH errors_write %d\n", summary.errors.write))
  io.write(string.format("BENCH errors_timeout %d\n", summary.errors.timeout))
  for _, p in ipairs({ 50, 95, 99 }) do
    io.write(string.format("BENCH p%d_ms %.2f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("BENCH max_ms %.2f\n", latency.max / 1000))
end
