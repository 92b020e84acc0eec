#!/usr/bin/env python3
"""Freshness: the time from a 2xx on an order event to the customer's profile showing it.

For each sample it posts one order for a customer, then polls GET /v1/customers/{id} until the order
count has grown, and records the seconds from the 2xx to the first profile that shows it. Optionally a
background thread keeps posting batches (--load N events a second) so the update queue is not idle.

  python3 Benchmarks/server/freshness.py --port 8080 --key prn_… --samples 200 [--load 20000]
Prints JSON: samples, p50, p90, p99 and max in milliseconds.
"""
import argparse, json, random, threading, time, urllib.request

def call(port, key, method, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=body,
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())

def order(event_id, customer):
    return {"event_id": event_id, "type": "order", "customer_id": customer, "timestamp": "2011-12-09T12:00:00Z",
            "order_id": event_id, "currency": "GBP", "lines": [{"sku": "22423", "quantity": 1, "unit_price": 1.25}]}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--load", type=int, default=0, help="background events a second, in batches of 500")
    parser.add_argument("--customers", nargs="*", default=["12347", "12348", "12349", "12350", "12352"])
    args = parser.parse_args()
    run = f"f{int(time.time())}"
    stop = threading.Event()
    def background():
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            events = [order(f"{run}-bg-{n}-{i}", str(12346 + random.randrange(4000))) for i in range(500)]
            call(args.port, args.key, "POST", "/v1/events", json.dumps({"events": events}).encode())
            n += 1
            time.sleep(max(0, 500 / args.load - (time.perf_counter() - started)))
    worker = threading.Thread(target=background, daemon=True) if args.load else None
    if worker: worker.start()
    lags = []
    for s in range(args.samples):
        customer = args.customers[s % len(args.customers)]
        _, before = call(args.port, args.key, "GET", f"/v1/customers/{customer}")
        status, body = call(args.port, args.key, "POST", "/v1/events", json.dumps({"events": [order(f"{run}-{s}", customer)]}).encode())
        acknowledged = time.perf_counter()
        assert status == 200 and body["accepted"] == 1, body
        while True:
            _, after = call(args.port, args.key, "GET", f"/v1/customers/{customer}")
            if after["orders"] > before["orders"]:
                lags.append(time.perf_counter() - acknowledged)
                break
            if time.perf_counter() - acknowledged > 10:
                raise SystemExit(f"sample {s}: the profile did not change within 10 s")
    stop.set()
    lags.sort()
    pick = lambda q: round(1000 * lags[min(len(lags) - 1, int(q * len(lags)))], 3)
    print(json.dumps({"samples": len(lags), "background_events_per_second": args.load,
                      "p50_ms": pick(0.5), "p90_ms": pick(0.9), "p99_ms": pick(0.99), "max_ms": round(1000 * lags[-1], 3)}))

if __name__ == "__main__":
    main()
