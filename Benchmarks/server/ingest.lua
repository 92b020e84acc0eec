-- wrk script: POST /v1/events with batches of 500 new order events (unique event and order ids per
-- thread and request), spread over the store's customers. Usage:
--   KEY=prn_… wrk -t2 -c4 -d10s -s Benchmarks/server/ingest.lua http://127.0.0.1:PORT
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  math.randomseed(id * 7919)
end

local batch = tonumber(os.getenv("BATCH") or "500")
local customers = tonumber(os.getenv("CUSTOMERS") or "4000")
local run = os.getenv("RUN") or "r"
local key = os.getenv("KEY")

function request()
  counter = counter + 1
  local parts = {}
  for i = 1, batch do
    local n = string.format("%s-%d-%d-%d", run, thread_id, counter, i)
    local customer = 12346 + math.random(0, customers - 1)
    parts[i] = '{"event_id":"' .. n .. '","type":"order","customer_id":"' .. customer ..
      '","timestamp":"2011-12-09T12:00:00Z","order_id":"' .. n .. '","currency":"GBP","channel":"web",' ..
      '"lines":[{"sku":"22423","quantity":2,"unit_price":12.75}]}'
  end
  local body = '{"events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/v1/events", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
