"""Deterministic sample sales data with the mess real feeds have, plus its ground truth.

Orders land as one CSV per ingest day under `bronze/sales/orders/ingest_date=YYYY-MM-DD/`;
FX rates (CSV), customers (JSON lines), products (Parquet) and returns (Avro) beside them.
The ground truth (`ground_truth/ground_truth.json`) says, for every landed record, whether
silver should accept it or which reason code should quarantine it, and what every gold
table must contain. It is computed here in plain Python, independently of Spark.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from local.sample import reference as sample_reference
from local.sample.ground_truth import gold_tables
from local.sample.reference import Landed, day_path, latest_valid
from transforms.contracts import BASE_CURRENCY, CHANNELS, CURRENCIES, ORDER_FILE_COLUMNS, ORDERS_SOURCE, REGIONS

# Each kind of broken line the feed sends, and the reason code silver must give it.
BROKEN_LINE_KINDS = (
    "MISSING_ID",
    "BAD_QUANTITY",
    "BAD_TIMESTAMP",
    "BAD_PRICE",
    "NEGATIVE_PRICE",
    "UNKNOWN_CURRENCY",
    "WRONG_FIELD_COUNT",
)


@dataclass(frozen=True)
class GeneratorSettings:
    orders: int = 2000
    days: int = 7
    start: date = date(2026, 1, 27)  # a week that spans two months
    seed: int = 7
    broken_rate: float = 0.02  # share of broken lines per file
    resend_rate: float = 0.04  # share of lines re-sent (changed or identical) in a later file
    late_rate: float = 0.05  # share of orders landing one day after they were placed


@dataclass(frozen=True)
class OrderLine:
    order_id: str
    line_no: int
    customer_id: str
    product_sku: str
    ordered_at: datetime  # UTC
    region: str
    channel: str
    quantity: int
    unit_price: Decimal
    currency: str
    ingest_day: int


def _messy_code(rng: random.Random, code: str) -> str:
    """The same code as a careless feed writes it: mixed case, padded with spaces."""
    return rng.choice([code, code.lower(), code.title(), f" {code}", f"{code.lower()}  "])


def _render_timestamp(rng: random.Random, ordered_at: datetime) -> str:
    """The UTC instant in one of the forms the feed uses (local offset, Z, or naive UTC)."""
    offset_hours = rng.choice([0, 0, 2, -5, 9])
    if offset_hours == 0:
        return rng.choice([f"{ordered_at:%Y-%m-%d %H:%M:%S}", f"{ordered_at:%Y-%m-%dT%H:%M:%S}Z"])
    local = ordered_at + timedelta(hours=offset_hours)
    sign = "+" if offset_hours > 0 else "-"
    return f"{local:%Y-%m-%dT%H:%M:%S}{sign}{abs(offset_hours):02d}:00"


def _fields(rng: random.Random, line: OrderLine) -> list[str]:
    return [
        line.order_id,
        str(line.line_no),
        line.customer_id,
        line.product_sku,
        _render_timestamp(rng, line.ordered_at),
        _messy_code(rng, line.region),
        _messy_code(rng, line.channel),
        str(line.quantity),
        f"{line.unit_price:.2f}",
        _messy_code(rng, line.currency),
    ]


def _broken_fields(rng: random.Random, kind: str, fields: list[str]) -> list[str]:
    broken = list(fields)
    position = {name: i for i, name in enumerate(ORDER_FILE_COLUMNS)}
    if kind == "MISSING_ID":
        broken[position["order_id"]] = ""
    elif kind == "BAD_QUANTITY":
        broken[position["quantity"]] = rng.choice(["two", "1.5x", "n/a"])
    elif kind == "BAD_TIMESTAMP":
        broken[position["order_ts"]] = rng.choice(["2026-13-45 25:61:00", "yesterday", "31/02/2026"])
    elif kind == "BAD_PRICE":
        broken[position["unit_price"]] = rng.choice(["12,50", "ten", "$"])
    elif kind == "NEGATIVE_PRICE":
        broken[position["unit_price"]] = f"-{rng.randint(1, 500)}.{rng.randint(0, 99):02d}"
    elif kind == "UNKNOWN_CURRENCY":
        broken[position["currency"]] = rng.choice(["XXX", "usd$", "EURO"])
    elif kind == "WRONG_FIELD_COUNT":
        broken = broken + ["surplus"] if rng.random() < 0.5 else broken[:-2]
    return broken


def _csv_line(fields: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


def _order_lines(
    rng: random.Random, settings: GeneratorSettings, customers: list[str], products: dict[str, Decimal]
) -> list[OrderLine]:
    lines = []
    for n in range(1, settings.orders + 1):
        day = rng.randrange(settings.days)
        ordered_at = datetime.combine(settings.start + timedelta(days=day), datetime.min.time(), UTC)
        ordered_at += timedelta(seconds=rng.randrange(86_400))
        late = rng.random() < settings.late_rate and day + 1 < settings.days
        region, channel, currency = rng.choice(REGIONS), rng.choice(CHANNELS), rng.choice(CURRENCIES)
        customer = rng.choice(customers)
        for line_no in range(1, rng.randint(1, 4) + 1):
            sku = rng.choice(sorted(products))
            lines.append(
                OrderLine(
                    f"O{n:07d}",
                    line_no,
                    customer,
                    sku,
                    ordered_at,
                    region,
                    channel,
                    rng.randint(1, 10),
                    products[sku],
                    currency,
                    day + (1 if late else 0),
                )
            )
    return lines


def _resent_lines(rng: random.Random, lines: list[OrderLine], settings: GeneratorSettings) -> list[OrderLine]:
    """Some lines arrive again in a later file: half changed (an update), half identical."""
    resent = []
    for line in lines:
        if line.ingest_day + 1 < settings.days and rng.random() < settings.resend_rate:
            later = rng.randint(line.ingest_day + 1, settings.days - 1)
            quantity = line.quantity if rng.random() < 0.5 else rng.randint(1, 10)
            resent.append(replace(line, ingest_day=later, quantity=quantity))
    return resent


def order_files(
    rng: random.Random, settings: GeneratorSettings, landed: list[OrderLine], originals: list[OrderLine], rates: dict
):
    """One CSV per ingest day: the day's lines and some broken ones, shuffled as a feed sends them."""
    by_day: dict[int, list[OrderLine]] = defaultdict(list)
    for line in landed:
        by_day[line.ingest_day].append(line)
    files, outcomes, candidates = {}, {}, []
    broken_serial = 0
    for day in range(settings.days):
        ingest = settings.start + timedelta(days=day)
        path = day_path(ORDERS_SOURCE.prefix, ingest, "orders", "csv")
        records: list[tuple[str, OrderLine | None, str | None]] = []
        for line in by_day[day]:
            has_rate = line.currency == BASE_CURRENCY or (line.ordered_at.date(), line.currency) in rates
            records.append((_csv_line(_fields(rng, line)), line, None if has_rate else "MISSING_FX_RATE"))
        for _ in range(max(1, round(len(by_day[day]) * settings.broken_rate))):
            kind = BROKEN_LINE_KINDS[broken_serial % len(BROKEN_LINE_KINDS)]
            broken_serial += 1
            template = replace(rng.choice(originals), order_id=f"X{broken_serial:07d}", ingest_day=day)
            records.append((_csv_line(_broken_fields(rng, kind, _fields(rng, template))), None, kind))
        rng.shuffle(records)
        for number, (_, line, reason) in enumerate(records, start=2):  # line 1 is the header
            landed_line = Landed(path, number, reason)
            outcomes[(path, number)] = reason
            if line is not None:
                candidates.append(((line.order_id, line.line_no), (day, path, number), landed_line, line))
        files[path] = ("\n".join([",".join(ORDER_FILE_COLUMNS)] + [text for text, _, _ in records]) + "\n").encode()
    return files, outcomes, latest_valid(candidates, outcomes)


def generate(settings: GeneratorSettings) -> tuple[dict[str, bytes], dict]:
    """Files to land ({relative path: content}) and the ground truth, from the settings alone."""
    rng = random.Random(settings.seed)
    customer_ids = [f"C{n:05d}" for n in range(1, max(10, settings.orders // 4) + 1)]
    prices = {f"SKU-{n:04d}": Decimal(rng.randint(199, 49999)) / 100 for n in range(1, 201)}
    fx_files, fx_outcomes, rates = sample_reference.fx_rates(rng, settings.start, settings.days)

    originals = _order_lines(rng, settings, customer_ids, prices)
    landed = originals + _resent_lines(rng, originals, settings)
    files, outcomes, sold = order_files(rng, settings, landed, originals, rates)

    customer_files, customer_outcomes, countries, pii_values = sample_reference.customers(
        rng, customer_ids, settings.start, settings.days
    )
    uncatalogued = set(sorted(prices)[-5:])
    product_files, product_outcomes, catalog = sample_reference.products(
        rng, prices, settings.start, settings.days, uncatalogued
    )
    return_files, return_outcomes, returned = sample_reference.returns(rng, sold, settings.start, settings.days)

    all_outcomes = {**outcomes, **fx_outcomes, **customer_outcomes, **product_outcomes, **return_outcomes}
    truth = {
        "settings": {k: str(v) for k, v in settings.__dict__.items()},
        "record_outcomes": [[path, line, reason] for (path, line), reason in sorted(all_outcomes.items())],
        "pii_values": sorted(pii_values),
        **gold_tables(sold, rates, returned, catalog, countries),
    }
    return {**files, **fx_files, **customer_files, **product_files, **return_files}, truth


def write_sample_lake(bronze_dir: Path, truth_dir: Path, settings: GeneratorSettings) -> dict:
    """Land the generated files under `bronze_dir` and the ground truth under `truth_dir`."""
    files, truth = generate(settings)
    for relative, content in files.items():
        target = bronze_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    truth_dir.mkdir(parents=True, exist_ok=True)
    (truth_dir / "ground_truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth
