#!/usr/bin/env python3
"""kill -9 `perennial serve` while its outbox is draining, again and again; then let it finish and show
that no message was lost and that every message received more than once came with the same
idempotency key (so the receiver applied it once).

    swift build -c release
    python3 Benchmarks/server/outbox_crash.py --binary .build/release/perennial [--messages 3000] [--kills 10]

The receiver is a local HTTP server in this script: it checks each request's HMAC-SHA256 signature,
records its Idempotency-Key and the message_id of its body, and answers after a few milliseconds, so a
drain takes long enough to be interrupted.
"""
import argparse
import hashlib
import hmac
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from perennial_local import free_port  # noqa: E402

SECRET = "outbox-crash-secret-0123456789"


class Receiver(BaseHTTPRequestHandler):
    received = []  # (key, message_id, signature_ok)
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        timestamp = self.headers.get("X-Perennial-Timestamp", "")
        expected = "sha256=" + hmac.new(SECRET.encode(), (timestamp + ".").encode() + body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, self.headers.get("X-Perennial-Signature", ""))
        message = json.loads(body).get("message_id")
        time.sleep(random.uniform(0.002, 0.01))
        with Receiver.lock:
            Receiver.received.append((self.headers.get("Idempotency-Key"), message, ok))
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build/release/perennial")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=10)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="perennial-outbox-crash-")
    db = os.path.join(work, "store.db")
    subprocess.run([binary, "keys", "create", "--role", "admin", "--db", db], check=True, capture_output=True)
    now = int(time.time())
    with sqlite3.connect(db) as connection:
        connection.executemany(
            "INSERT INTO outbox (message_id, campaign_id, customer_id, channel, payload, status, attempts, next_attempt_at, created_at) "
            "VALUES (?, 'crash-test', ?, 'sms', ?, 'pending', 0, ?, ?)",
            [(f"msg-{i:05d}", f"c{i}", json.dumps({"message_id": f"msg-{i:05d}", "template": "t"}), now, now) for i in range(args.messages)])
    receiver_port = free_port()
    receiver = ThreadingHTTPServer(("127.0.0.1", receiver_port), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    config = os.path.join(work, "config.json")
    with open(config, "w") as f:
        json.dump({"message_webhook": {"url": f"http://127.0.0.1:{receiver_port}/messages", "secret": SECRET}, "refresh_every": "0"}, f)

    def start():
        return subprocess.Popen([binary, "serve", "--db", db, "--port", str(free_port()), "--config", config, "--log-level", "error"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def pending():
        with sqlite3.connect(db) as connection:
            return connection.execute("SELECT COUNT(*) FROM outbox WHERE status != 'delivered'").fetchone()[0]

    killed = 0
    for _ in range(args.kills):
        server = start()
        time.sleep(random.uniform(0.5, 1.5))
        server.kill()
        server.wait()
        killed += 1
        print(f"kill -9 #{killed}: {len(Receiver.received)} requests received, {pending()} messages not yet delivered")
        if pending() == 0:
            break
    server = start()
    deadline = time.time() + 300
    while pending() > 0 and time.time() < deadline:
        time.sleep(0.5)
    server.terminate()
    server.wait()
    receiver.shutdown()

    expected = {f"msg-{i:05d}" for i in range(args.messages)}
    keys = [key for key, _, _ in Receiver.received]
    lost = expected - set(keys)
    foreign = set(keys) - expected
    mismatched = [key for key, message, _ in Receiver.received if key != message]
    unsigned = [key for key, _, ok in Receiver.received if not ok]
    duplicates = len(keys) - len(set(keys))
    print(f"\n{args.messages} messages, {killed} kills: {len(keys)} requests, {len(set(keys))} distinct keys, "
          f"{duplicates} repeated deliveries (same key), {len(lost)} lost, {len(foreign)} unknown keys, "
          f"{len(mismatched)} keys not matching their message, {len(unsigned)} bad signatures, {pending()} not delivered")
    ok = not lost and not foreign and not mismatched and not unsigned and pending() == 0
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
