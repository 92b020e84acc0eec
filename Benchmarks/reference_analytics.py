#!/usr/bin/env python3
"""Reference implementation of docs/ANALYTICS.md (Perennial), in plain Python.

This is a *second, independent* implementation of every figure defined in
docs/ANALYTICS.md. It is written for clarity, not speed: each figure is computed
the most literal way the spec allows, so that a reader can check it line by line
against the spec. Standard library only (Python 3.11).

Usage:
    python3 Benchmarks/reference_analytics.py FILE --format online-retail|generic|cdnow \
        [--as-of ISO8601] [--timezone UTC] [--customers-out customers.json] > analyze.json

Other options: --source-timezone (zone of naive Online Retail timestamps, default UTC),
--churn-days, --new-max-orders, --new-within-days, --declining-gap-multiple,
--loyal-orders-per-month, --active-min-orders-per-month (stage thresholds, spec
defaults), --cohort-period month|week, --stats (print input statistics to stderr).

Money is handled in integer minor units (pence / cents) throughout and converted to
major units (float, 2 decimals) only when printed.

Readings chosen where ANALYTICS.md is ambiguous (the most literal one each time):

 1. Default as-of: "the day of the last order" = the last order of ANY kind
    (purchase, cancellation or adjustment), guests included; as-of is 00:00 (store
    zone) of the next calendar day.
 2. Known customers are the ids on orders (any kind) BEFORE as-of (orders at or after
    as-of are ignored entirely, so they do not make anyone known either).
 3. A potential customer's revenue (used in the `stages` row `potential`) is the net
    sum of their orders of every kind before as-of (usually a negative cancellation
    amount). Such revenue is part of KPI `revenue` and of `revenue - guest_revenue`,
    so ARPU's numerator includes it, while ARPU's denominator is `customers` (with a
    purchase) only. That is the literal formula.
 4. `orders_per_month`: the window length is the exact length in days of the instant
    interval [start, as_of) (fractional days, 86,400 s each); `as_of - 365 days` is
    365 x 86,400 s, not 365 calendar days in the store zone (they only differ across
    a DST change).
 5. `repeat_rate_N`: "first order at least N days before as-of" is read in instants:
    `as_of - first_order >= N x 86,400 s` (same unit as the `second - first` test).
    The "second purchase order" is the second one in time order (two orders with the
    same timestamp: the second one has the same timestamp, so the gap is 0).
 6. `new_customers_this_month`: "the last instant before as-of" is as_of - 1 microsecond,
    and its calendar month is taken in the store zone.
 7. `monthly`: months run from the month (store zone) of the first order of ANY kind to
    the month containing the last instant before as-of. `orders` there counts PURCHASE
    orders only (the spec says cancellations and adjustments "are not orders"), guests
    included; `revenue` sums the amounts of orders of every kind, guests included,
    like KPI `revenue`. `active_customers` counts customer ids (not guests) with a
    purchase order in the month.
 8. Cohort rows are listed only for periods in which at least one customer had their
    first purchase (a period with no new customers has no row). `retained[k]` are
    counts (not rates) for k = 0 .. last period (the one containing the last instant
    before as-of); retained[0] == size.
 9. Ratios with a zero denominator (aov with no orders, rates with no customers) are
    printed as 0.
10. Derived money values (aov, arpu) are rounded to 2 decimals half away from zero
    (computed exactly with Decimal from integer minor units).
11. `stages` and `rfm_segments` list every stage / segment in a fixed order, with zero
    rows included. Their `revenue` is the sum of the members' net revenue.
12. Online Retail: the order's kind comes from its invoice number (`C...`
    cancellation, `A...` adjustment, else purchase); its customer and timestamp are
    those of its first line in file order. Naive timestamps are read in
    --source-timezone (UTC by default).
13. Generic: an order's kind is the `kind` of its first line (default purchase); order
    ids starting with `C` are not special. A timestamp without offset is read in
    --source-timezone.
14. CDNOW: every row is its own purchase order (rows with the same customer and date
    stay separate orders, with the same timestamp; they are one purchase day).
15. --as-of without an offset is read in the store zone (--timezone).
"""

import argparse
import csv
import gzip
import io
import json
import math
import statistics
import sys
from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

UTC = timezone.utc
DAY = timedelta(days=1)
DAYS_PER_MONTH = 30.4375

STAGES = ["potential", "new", "active", "loyal", "declining", "churned"]
SEGMENTS = ["champions", "loyal", "potential_loyalist", "new", "promising", "need_attention",
            "about_to_sleep", "at_risk", "cant_lose", "hibernating", "lost"]

# RFM grid: GRID[R][FM - 1]
GRID = {
    5: ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
    4: ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
    3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
    2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
    1: ["lost", "hibernating", "at_risk", "at_risk", "cant_lose"],
}


# --------------------------------------------------------------------------- input


class Order:
    def __init__(self, order_id, customer_id, timestamp, kind):
        self.order_id = order_id
        self.customer_id = customer_id  # None for a guest
        self.timestamp = timestamp      # aware datetime (UTC instant)
        self.kind = kind                # "purchase" | "cancellation" | "adjustment"
        self.amount = 0                 # integer minor units (sum of line amounts)


def line_amount_minor(quantity, unit_price):
    """quantity x unit price, rounded to the minor unit half away from zero, in minor units."""
    exact = Decimal(quantity) * Decimal(unit_price)
    rounded = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # HALF_UP = away from zero
    return int(rounded * 100)


def open_text(path):
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def parse_naive_or_aware(text, source_zone):
    text = text.strip()
    dt = None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"):
        try:
            dt = datetime.strptime(text, fmt)
            break
        except ValueError:
            pass
    if dt is None:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=source_zone)
    return dt.astimezone(UTC)


class Stats:
    def __init__(self):
        self.rows = 0
        self.customer_ids = set()
        self.sum_quantity = 0
        self.sum_quantity_price = Decimal(0)


def read_online_retail(path, source_zone, stats):
    orders = {}  # invoice -> Order, insertion order = first appearance
    with open_text(path) as f:
        reader = csv.DictReader(f)
        for row in reader:
            invoice = (row.get("InvoiceNo") if "InvoiceNo" in row else row["Invoice"]).strip()
            quantity = int(row["Quantity"])
            price = (row.get("UnitPrice") if "UnitPrice" in row else row["Price"]).strip()
            cust = (row.get("CustomerID") if "CustomerID" in row else row["Customer ID"]).strip()
            if cust.endswith(".0"):
                cust = cust[:-2]
            stats.rows += 1
            stats.sum_quantity += quantity
            stats.sum_quantity_price += Decimal(quantity) * Decimal(price)
            if cust:
                stats.customer_ids.add(cust)
            order = orders.get(invoice)
            if order is None:
                if invoice.upper().startswith("C"):
                    kind = "cancellation"
                elif invoice.upper().startswith("A"):
                    kind = "adjustment"
                else:
                    kind = "purchase"
                order = Order(invoice, cust or None, parse_naive_or_aware(row["InvoiceDate"], source_zone), kind)
                orders[invoice] = order
            order.amount += line_amount_minor(quantity, price)
    return list(orders.values())


def read_generic(path, source_zone, stats):
    orders = {}
    with open_text(path) as f:
        reader = csv.DictReader(f)
        for row in reader:
            oid = row["order_id"].strip()
            quantity = int(row["quantity"])
            price = row["unit_price"].strip()
            cust = (row.get("customer_id") or "").strip()
            stats.rows += 1
            stats.sum_quantity += quantity
            stats.sum_quantity_price += Decimal(quantity) * Decimal(price)
            if cust:
                stats.customer_ids.add(cust)
            order = orders.get(oid)
            if order is None:
                kind = (row.get("kind") or "").strip().lower() or "purchase"
                if kind not in ("purchase", "cancellation", "adjustment"):
                    raise SystemExit(f"unknown kind {kind!r} on order {oid}")
                order = Order(oid, cust or None, parse_naive_or_aware(row["timestamp"], source_zone), kind)
                orders[oid] = order
            order.amount += line_amount_minor(quantity, price)
    return list(orders.values())


def read_cdnow(path, stats):
    orders = []
    with open_text(path) as f:
        for number, line in enumerate(f, start=1):
            parts = line.split()
            if not parts:
                continue
            if not parts[0].isdigit():  # CDNOW_master.txt header
                continue
            if len(parts) == 5:    # sample: master id, sample id, date, cds, dollars
                cust, day_text, cds, dollars = parts[0], parts[2], parts[3], parts[4]
            elif len(parts) == 4:  # master: id, date, cds, dollars
                cust, day_text, cds, dollars = parts
            else:
                raise SystemExit(f"line {number}: unexpected CDNOW row {line!r}")
            stats.rows += 1
            stats.customer_ids.add(cust)
            stats.sum_quantity += int(cds)
            stats.sum_quantity_price += Decimal(dollars)
            ts = datetime.strptime(day_text, "%Y%m%d").replace(tzinfo=UTC)
            order = Order(f"row{number}", cust, ts, "purchase")
            order.amount = int(Decimal(dollars).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
            orders.append(order)
    return orders


# --------------------------------------------------------------------------- helpers


def major(minor_units):
    """Integer minor units -> float major units (exact to 2 decimals)."""
    return float(Decimal(minor_units) / 100)


def major_ratio(minor_units, divisor):
    """(minor units / divisor) in major units, rounded half away from zero to 2 decimals."""
    if divisor == 0:
        return 0.0
    value = Decimal(minor_units) / Decimal(divisor) / 100
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def ratio(a, b):
    return a / b if b else 0.0


def month_key(d):
    return (d.year, d.month)


def month_label(key):
    return f"{key[0]:04d}-{key[1]:02d}"


def next_month(key):
    y, m = key
    return (y + 1, 1) if m == 12 else (y, m + 1)


def week_key(d):
    """Monday of the ISO week of date d."""
    return d - timedelta(days=d.weekday())


def week_label(monday):
    y, w, _ = monday.isocalendar()
    return f"{y:04d}-W{w:02d}"


def format_instant(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- analysis


def analyze(all_orders, as_of, zone, th, cohort_period):
    def day(t):
        return t.astimezone(zone).date()

    def days(a, b):
        return (day(b) - day(a)).days

    # Orders at or after as-of are ignored.
    orders = [o for o in all_orders if o.timestamp < as_of]
    last_instant = as_of - timedelta(microseconds=1)

    # ---- known customers, their orders
    by_customer = {}
    for o in orders:
        if o.customer_id is not None:
            by_customer.setdefault(o.customer_id, []).append(o)

    summaries = {}      # customer id -> dict (customers with >= 1 purchase order)
    potential = {}      # customer id -> net revenue (known, no purchase order)
    for cid, cos in by_customer.items():
        purchases = sorted((o for o in cos if o.kind == "purchase"), key=lambda o: o.timestamp)
        revenue = sum(o.amount for o in cos)  # every kind
        if not purchases:
            potential[cid] = revenue
            continue
        first = purchases[0].timestamp
        last = purchases[-1].timestamp
        purchase_days = sorted({day(o.timestamp) for o in purchases})
        gaps = [(b - a).days for a, b in zip(purchase_days, purchase_days[1:])]
        if len(purchase_days) >= 2:
            mean_gap = (day(last) - day(first)).days / (len(purchase_days) - 1)
            median_gap = float(statistics.median(gaps))
        else:
            mean_gap = None
            median_gap = None
        window_start = max(first, as_of - timedelta(days=365))
        in_window = sum(1 for o in purchases if window_start <= o.timestamp < as_of)
        window_days = (as_of - window_start).total_seconds() / 86400
        opm = in_window / max(1.0, window_days / DAYS_PER_MONTH)
        summaries[cid] = {
            "customer_id": cid,
            "first_order": first,
            "last_order": last,
            "second_order": purchases[1].timestamp if len(purchases) >= 2 else None,
            "orders": len(purchases),
            "revenue_minor": revenue,
            "recency_days": days(last, as_of),
            "tenure_days": days(first, as_of),
            "purchase_days": purchase_days,
            "gaps": gaps,
            "mean_days_between_orders": mean_gap,
            "median_days_between_orders": median_gap,
            "orders_in_window": in_window,
            "window_days": window_days,
            "orders_per_month": opm,
        }

    # ---- RFM (tie rule: 1 + floor(5 w / n), w = number strictly worse)
    n = len(summaries)
    recencies = sorted(s["recency_days"] for s in summaries.values())
    frequencies = sorted(s["orders"] for s in summaries.values())
    monetaries = sorted(s["revenue_minor"] for s in summaries.values())
    for s in summaries.values():
        w_r = n - bisect_right(recencies, s["recency_days"])   # strictly larger recency
        w_f = bisect_left(frequencies, s["orders"])            # strictly fewer orders
        w_m = bisect_left(monetaries, s["revenue_minor"])      # strictly less revenue
        s["w_r"], s["w_f"], s["w_m"] = w_r, w_f, w_m
        s["r"] = 1 + (5 * w_r) // n
        s["f"] = 1 + (5 * w_f) // n
        s["m"] = 1 + (5 * w_m) // n
        s["fm"] = math.ceil((s["f"] + s["m"]) / 2)
        s["rfm_segment"] = GRID[s["r"]][s["fm"] - 1]

    # ---- lifecycle stages (first matching rule wins)
    for s in summaries.values():
        if s["recency_days"] > th.churn_days:
            stage, rule = "churned", 2
        elif s["orders"] <= th.new_max_orders and s["tenure_days"] <= th.new_within_days:
            stage, rule = "new", 3
        elif (len(s["purchase_days"]) >= 2
              and s["recency_days"] > th.declining_gap_multiple * s["median_days_between_orders"]):
            stage, rule = "declining", 4
        elif s["orders_per_month"] >= th.loyal_orders_per_month:
            stage, rule = "loyal", 5
        elif s["orders_per_month"] >= th.active_min_orders_per_month:
            stage, rule = "active", 6
        else:
            stage, rule = "declining", 7
        s["stage"], s["stage_rule"] = stage, rule

    # ---- KPIs
    purchases = [o for o in orders if o.kind == "purchase"]
    cancellations = [o for o in orders if o.kind == "cancellation"]
    revenue = sum(o.amount for o in orders)
    guest_revenue = sum(o.amount for o in orders if o.customer_id is None)
    customers = len(summaries)
    this_month = month_key(day(last_instant))

    def repeat_rate(n_days):
        span = timedelta(days=n_days)
        eligible = [s for s in summaries.values() if as_of - s["first_order"] >= span]
        repeated = [s for s in eligible
                    if s["second_order"] is not None and s["second_order"] - s["first_order"] <= span]
        return ratio(len(repeated), len(eligible))

    kpis = {
        "customers": customers,
        "potential_customers": len(potential),
        "active_customers": sum(1 for s in summaries.values() if s["recency_days"] <= th.churn_days),
        "new_customers_this_month": sum(1 for s in summaries.values()
                                        if month_key(day(s["first_order"])) == this_month),
        "orders": len(purchases),
        "customer_orders": sum(1 for o in purchases if o.customer_id is not None),
        "guest_orders": sum(1 for o in purchases if o.customer_id is None),
        "revenue": major(revenue),
        "guest_revenue": major(guest_revenue),
        "aov": major_ratio(revenue, len(purchases)),
        "arpu": major_ratio(revenue - guest_revenue, customers),
        "repurchase_rate": ratio(sum(1 for s in summaries.values() if s["orders"] >= 2), customers),
        "repeat_rate_30d": repeat_rate(30),
        "repeat_rate_90d": repeat_rate(90),
        "churn_rate": ratio(sum(1 for s in summaries.values()
                                if s["recency_days"] > th.churn_days), customers),
        "cancellations": len(cancellations),
        "cancellation_rate": ratio(len(cancellations), len(purchases)),
        "cancelled_revenue": major(sum(o.amount for o in cancellations)),
    }

    # ---- monthly
    monthly = []
    if orders:
        key = month_key(day(min(o.timestamp for o in orders)))
        while key <= this_month:
            in_month = [o for o in orders if month_key(day(o.timestamp)) == key]
            monthly.append({
                "month": month_label(key),
                "new_customers": sum(1 for s in summaries.values()
                                     if month_key(day(s["first_order"])) == key),
                "active_customers": len({o.customer_id for o in in_month
                                         if o.kind == "purchase" and o.customer_id is not None}),
                "orders": sum(1 for o in in_month if o.kind == "purchase"),
                "revenue": major(sum(o.amount for o in in_month)),
            })
            key = next_month(key)

    # ---- stages and segments tables
    stages = []
    for st in STAGES:
        if st == "potential":
            stages.append({"stage": st, "customers": len(potential),
                           "revenue": major(sum(potential.values()))})
        else:
            members = [s for s in summaries.values() if s["stage"] == st]
            stages.append({"stage": st, "customers": len(members),
                           "revenue": major(sum(s["revenue_minor"] for s in members))})
    segments = []
    for sg in SEGMENTS:
        members = [s for s in summaries.values() if s["rfm_segment"] == sg]
        segments.append({"segment": sg, "customers": len(members),
                         "revenue": major(sum(s["revenue_minor"] for s in members))})

    # ---- cohorts
    if cohort_period == "month":
        period_of, label, step = (lambda d: month_key(d)), month_label, next_month
    else:
        period_of, label, step = week_key, week_label, (lambda monday: monday + timedelta(days=7))
    last_period = period_of(day(last_instant))
    purchase_periods = {}  # customer -> set of periods with a purchase order
    for cid, s in summaries.items():
        purchase_periods[cid] = {period_of(day(o.timestamp))
                                 for o in by_customer[cid] if o.kind == "purchase"}
    cohort_members = {}
    for cid, s in summaries.items():
        cohort_members.setdefault(period_of(day(s["first_order"])), []).append(cid)
    rows = []
    for cohort in sorted(cohort_members):
        members = cohort_members[cohort]
        retained = []
        p = cohort
        while p <= last_period:
            retained.append(sum(1 for cid in members if p in purchase_periods[cid]))
            p = step(p)
        rows.append({"cohort": label(cohort), "size": len(members), "retained": retained})

    result = {
        "as_of": format_instant(as_of),
        "timezone": str(zone.key) if hasattr(zone, "key") else "UTC",
        "kpis": kpis,
        "monthly": monthly,
        "stages": stages,
        "rfm_segments": segments,
        "cohorts": {"period": cohort_period, "rows": rows},
    }
    return result, summaries


def customers_json(summaries):
    out = []
    for cid in sorted(summaries):
        s = summaries[cid]
        out.append({
            "customer_id": cid,
            "orders": s["orders"],
            "revenue": major(s["revenue_minor"]),
            "recency_days": s["recency_days"],
            "tenure_days": s["tenure_days"],
            "mean_days_between_orders": s["mean_days_between_orders"],
            "median_days_between_orders": s["median_days_between_orders"],
            "orders_per_month": s["orders_per_month"],
            "r": s["r"],
            "f": s["f"],
            "m": s["m"],
            "rfm_segment": s["rfm_segment"],
            "stage": s["stage"],
        })
    return out


# --------------------------------------------------------------------------- main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--format", required=True, choices=["online-retail", "generic", "cdnow"])
    ap.add_argument("--as-of")
    ap.add_argument("--timezone", default="UTC", help="store time zone (IANA name)")
    ap.add_argument("--source-timezone", default="UTC", help="zone of naive timestamps in the file")
    ap.add_argument("--customers-out")
    ap.add_argument("--cohort-period", default="month", choices=["month", "week"])
    ap.add_argument("--churn-days", type=int, default=90)
    ap.add_argument("--new-max-orders", type=int, default=2)
    ap.add_argument("--new-within-days", type=int, default=90)
    ap.add_argument("--declining-gap-multiple", type=float, default=2)
    ap.add_argument("--loyal-orders-per-month", type=float, default=3)
    ap.add_argument("--active-min-orders-per-month", type=float, default=0)
    ap.add_argument("--stats", action="store_true", help="print input statistics to stderr")
    args = ap.parse_args(argv)

    zone = ZoneInfo(args.timezone)
    source_zone = ZoneInfo(args.source_timezone)
    stats = Stats()
    if args.format == "online-retail":
        orders = read_online_retail(args.file, source_zone, stats)
    elif args.format == "generic":
        orders = read_generic(args.file, source_zone, stats)
    else:
        orders = read_cdnow(args.file, stats)
    if not orders:
        raise SystemExit("no orders in input")

    if args.as_of:
        as_of = datetime.fromisoformat(args.as_of.replace("Z", "+00:00"))
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=zone)
        as_of = as_of.astimezone(UTC)
    else:
        last_day = max(o.timestamp for o in orders).astimezone(zone).date()
        next_day = last_day + DAY
        as_of = datetime(next_day.year, next_day.month, next_day.day, tzinfo=zone).astimezone(UTC)

    result, summaries = analyze(orders, as_of, zone, args, args.cohort_period)
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")

    if args.customers_out:
        with open(args.customers_out, "w") as f:
            # one customer per line: compact, yet easy to diff and grep
            rows = [json.dumps(c, separators=(",", ":")) for c in customers_json(summaries)]
            f.write("[\n" + ",\n".join(rows) + "\n]\n")

    if args.stats:
        kinds = {}
        for o in orders:
            kinds[o.kind] = kinds.get(o.kind, 0) + 1
        print(json.dumps({
            "rows": stats.rows,
            "distinct_customer_ids": len(stats.customer_ids),
            "orders_by_kind": kinds,
            "orders_by_kind_customer": {k: sum(1 for o in orders if o.kind == k and o.customer_id)
                                        for k in kinds},
            "sum_quantity": stats.sum_quantity,
            "sum_quantity_x_price": str(stats.sum_quantity_price),
        }, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
