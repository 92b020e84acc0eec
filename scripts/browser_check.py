#!/usr/bin/env python3
"""Opens every dashboard page in a real headless Chromium, signed in the way a person signs in, at a
desktop and a phone width, in English and Simplified Chinese; saves a full-page screenshot of each and
fails when a page errors, is blank, logs a browser error, or lacks a chart it should have.

    python3 scripts/browser_check.py --binary .build/debug/perennial --out ci-artifacts/screenshots

The store is the Online Retail data set when ../shared/datasets has it, else a generated one; a model is
fitted so the predictions page has its charts. Needs Debian's chromium and chromium-driver and the
selenium package (.ci/run installs them).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from perennial_local import create_key, free_port

# Each page and the least number of SVG charts it must show (sparklines count).
PAGES = [
    ("overview", "/", 9),
    ("lifecycle", "/lifecycle", 3),
    ("rfm", "/rfm", 2),
    ("cohorts", "/cohorts", 1),
    ("cohorts-weekly", "/cohorts?period=week", 1),
    ("predictions", "/predictions", 3),
    ("segments", "/segments", 11),
    ("segment-list", "/segments?segment=champions", 11),
    ("campaigns", "/campaigns", 1),
    ("customer", "/customers/{customer}", 0),
    ("campaign-customer", "/customers/{entered}", 0),
]
WIDTHS = [("desktop", 1366, 900), ("phone", 390, 844)]
LANGUAGES = ["en", "zh-Hans"]


def run(binary, *arguments, cwd):
    result = subprocess.run([binary, *arguments], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"browser check: perennial {' '.join(arguments)} failed:\n{result.stderr}")
    return result.stdout


def build_store(binary, work, shared):
    retail = os.path.join(shared, "datasets", "online_retail.csv.gz")
    if os.path.exists(retail):
        run(binary, "import", "orders", retail, "--format", "online-retail", "--db", "store.db", cwd=work)
        source = "Online Retail"
    else:
        run(binary, "generate", "--customers", "3000", "--seed", "7", "--out", "store.csv", cwd=work)
        run(binary, "import", "orders", "store.csv", "--format", "generic", "--db", "store.db", cwd=work)
        source = "a generated store of 3,000 customers"
    run(binary, "fit", "--db", "store.db", cwd=work)
    return source, create_key(binary, "analyst", "store.db", work), create_key(binary, "admin", "store.db", work)


def api(base, method, path, key, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def seed_campaign(base, admin, currency):
    """Applies the cart-recovery example through the API and posts two days of carts for 300 customers
    (two in three consented to push, one in four ordered the next day), so the campaigns page has
    entries, both arms and conversions to show; returns a customer who entered."""
    examples = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "campaigns")
    with open(os.path.join(examples, "cart-recovery.json")) as f:
        api(base, "PUT", "/v1/campaigns", admin, json.load(f))
    customers = [c["customer_id"] for c in api(base, "GET", "/v1/customers?sort=id&limit=300", admin)["customers"]]
    now = int(time.time())
    stamp = lambda seconds: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
    events = []
    for i, customer in enumerate(customers):
        cart = now - 2 * 86400 + i * 60
        if i % 3:
            events.append({"event_id": f"bc-consent-{i}", "type": "consent", "customer_id": customer, "timestamp": stamp(cart - 86400),
                           "channel": "push", "status": "granted"})
        events.append({"event_id": f"bc-cart-{i}", "type": "add_to_cart", "customer_id": customer, "timestamp": stamp(cart),
                       "sku": "22423", "quantity": 1})
        if i % 4 == 0:
            events.append({"event_id": f"bc-order-{i}", "type": "order", "customer_id": customer, "timestamp": stamp(cart + 86400),
                           "order_id": f"BC-{i}", "currency": currency, "lines": [{"sku": "22423", "quantity": 1, "unit_price": 12.75}]})
    for start in range(0, len(events), 500):
        api(base, "POST", "/v1/events", admin, {"events": events[start:start + 500]})
    return customers[1]


def wait_ready(base, process, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"browser check: perennial serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.5)
    sys.exit("browser check: the server was not ready in time")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=".build/debug/perennial")
    parser.add_argument("--out", default="ci-artifacts/screenshots")
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="perennial-browser-")
    source, key, admin = build_store(binary, work, os.path.abspath(args.shared))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([binary, "serve", "--db", "store.db", "--port", str(port), "--no-refit", "--refresh-every", "0"],
                              cwd=work, stdout=log, stderr=subprocess.STDOUT)
    failures, shots = [], 0
    driver = None
    try:
        wait_ready(base, server)
        # A refresh that refits evaluates the model on a holdout period: the predictions page's tracking chart.
        refit = urllib.request.Request(base + "/v1/jobs/refresh", method="POST", headers={"Authorization": "Bearer " + admin})
        urllib.request.urlopen(refit, timeout=600).read()
        request = urllib.request.Request(base + "/v1/customers?sort=revenue&limit=1", headers={"Authorization": "Bearer " + key})
        customer = json.load(urllib.request.urlopen(request))["customers"][0]["customer_id"]
        currency = "GBP" if source == "Online Retail" else "CNY"
        entered = seed_campaign(base, admin, currency)
        driver = browser()
        # Sign in through the form, as a person does.
        driver.set_window_size(1366, 900)
        driver.get(base + "/")
        if "/signin" not in driver.current_url:
            failures.append(f"without a session / went to {driver.current_url}, not the sign-in page")
        driver.find_element(By.ID, "key").send_keys(key)
        driver.find_element(By.CSS_SELECTOR, "form.signin button").click()
        if driver.current_url.rstrip("/") != base:
            failures.append(f"signing in led to {driver.current_url}, not the overview")
        for name, path, charts in PAGES:
            for language in LANGUAGES:
                for width_name, width, height in WIDTHS:
                    url = base + path.format(customer=customer, entered=entered) + ("&" if "?" in path else "?") + "lang=" + language
                    driver.set_window_size(width, height)
                    driver.get(url)
                    where = f"{name} ({language}, {width_name})"
                    body = driver.find_element(By.TAG_NAME, "body").text
                    if len(body.strip()) < 200:
                        failures.append(f"{where}: the page is blank ({len(body.strip())} characters of text)")
                    if driver.find_elements(By.CSS_SELECTOR, "form.signin"):
                        failures.append(f"{where}: shows the sign-in form; the session did not hold")
                    found = len(driver.find_elements(By.CSS_SELECTOR, "main svg"))
                    if found < charts:
                        failures.append(f"{where}: {found} charts, expected at least {charts}")
                    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
                    if lang != language:
                        failures.append(f"{where}: lang is {lang}")
                    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
                    if errors:
                        failures.append(f"{where}: browser errors: {errors}")
                    full = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
                    driver.set_window_size(width, min(max(height, full + 100), 16000))
                    driver.save_screenshot(os.path.join(args.out, f"{name}-{language}-{width_name}.png"))
                    shots += 1
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=30)
        log.close()
    print(f"browser check: {source}, {shots} screenshots in {args.out}")
    for failure in failures:
        print("  FAIL " + failure)
    print(f"browser check: {shots} page views checked, {len(failures)} problems")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
