#!/usr/bin/env python3
"""Crash test: kill -9 the server in the middle of ingest, restart it, and show that every acknowledged
event is stored exactly once.

A client thread posts batches of new order events (unique ids) as fast as it can and records every
event the server acknowledged with a 2xx. Meanwhile the server is killed with SIGKILL at a random moment
ROUNDS times and restarted. At the end the script reads the SQLite file directly and checks that every
acknowledged event id is in `events` once, its order in `orders` once with its line, and that nothing
unacknowledged was half-written (every stored event has its order).

  python3 Benchmarks/server/crash.py --binary .build/release/perennial --rounds 20
Prints JSON with the counts; exits 1 when a check fails.
"""
import argparse, json, os, random, signal, sqlite3, subprocess, tempfile, threading, time, urllib.error, urllib.request

def wait_ready(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                if response.status == 200: return
        except Exception:
            time.sleep(0.05)
    raise SystemExit("the server did not become ready")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/perennial")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--port", type=int, default=18181)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="perennial-crash-")
    database = os.path.join(directory, "crash.db")
    key = subprocess.run([args.binary, "keys", "create", "--role", "ingest", "--db", database],
                         capture_output=True, text=True, check=True).stdout.strip()
    acknowledged, sent_batches, failed_requests = set(), 0, 0
    lock, stop = threading.Lock(), threading.Event()

    def client():
        nonlocal sent_batches, failed_requests
        n = 0
        while not stop.is_set():
            ids = [f"c-{n}-{i}" for i in range(args.batch)]
            n += 1
            events = [{"event_id": e, "type": "order", "customer_id": str(1000 + random.randrange(500)),
                       "timestamp": "2024-06-01T12:00:00Z", "order_id": e, "currency": "GBP",
                       "lines": [{"sku": "S1", "quantity": 1, "unit_price": 2.5}]} for e in ids]
            request = urllib.request.Request(f"http://127.0.0.1:{args.port}/v1/events", method="POST",
                                             data=json.dumps({"events": events}).encode(),
                                             headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    body = json.loads(response.read())
                    if response.status == 200:
                        with lock:
                            acknowledged.update(r["event_id"] for r in body["results"] if r["status"] in ("accepted", "duplicate"))
                            sent_batches += 1
            except Exception:
                failed_requests += 1
                time.sleep(0.01)

    def start():
        server = subprocess.Popen([args.binary, "serve", "--db", database, "--port", str(args.port), "--refresh-every", "0",
                                   "--log-level", "error"], stderr=subprocess.DEVNULL)
        wait_ready(args.port)
        return server

    server = start()
    worker = threading.Thread(target=client, daemon=True)
    worker.start()
    for _ in range(args.rounds):
        time.sleep(random.uniform(0.2, 1.0))
        server.send_signal(signal.SIGKILL)
        server.wait()
        server = start()
    time.sleep(0.5)
    stop.set()
    worker.join()
    server.send_signal(signal.SIGTERM)
    server.wait()

    db = sqlite3.connect(database)
    stored = {row[0]: row[1] for row in db.execute("SELECT event_id, COUNT(*) FROM events GROUP BY event_id")}
    orders = {row[0]: row[1] for row in db.execute("SELECT order_id, COUNT(*) FROM orders GROUP BY order_id")}
    lines = {row[0]: row[1] for row in db.execute("SELECT order_id, COUNT(*) FROM order_lines GROUP BY order_id")}
    missing = [e for e in acknowledged if stored.get(e) != 1]
    bad_orders = [e for e in stored if orders.get(e) != 1 or lines.get(e) != 1]
    result = {"rounds": args.rounds, "acknowledged_events": len(acknowledged), "stored_events": len(stored),
              "acknowledged_missing_or_duplicated": len(missing), "stored_without_exactly_one_order_and_line": len(bad_orders),
              "unacknowledged_but_stored": len(set(stored) - acknowledged), "failed_requests": failed_requests,
              "database": database}
    print(json.dumps(result))
    raise SystemExit(1 if missing or bad_orders else 0)

if __name__ == "__main__":
    main()
