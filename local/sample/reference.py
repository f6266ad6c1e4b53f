"""Sample FX rates (CSV), customers (JSON lines), products (Parquet) and returns (Avro), each
with the mess its real feed has, and the outcome silver must give every landed record."""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

from transforms.contracts import COUNTRY_ALIASES, FX_FILE_COLUMNS

SUPERSEDED = "DUPLICATE_SUPERSEDED"
BASE_RATES = {"EUR": Decimal("1.08"), "GBP": Decimal("1.27"), "JPY": Decimal("0.0067")}
AVRO_SYNC_MARKER = b"sales-data-lake!"  # fixed, so the same seed gives byte-identical files
PRODUCT_MESS = ("MISSING_ID", "NEGATIVE_PRICE")
CATEGORIES = ("audio", "computing", "home", "outdoor", "toys")


@dataclass(frozen=True)
class Landed:
    """One landed record: where it is and what silver must do with it (None = accept)."""

    path: str
    line: int
    reason: str | None


def day_path(prefix: str, day: date, name: str, ext: str) -> str:
    return f"{prefix}/ingest_date={day.isoformat()}/{name}_{day.isoformat()}.{ext}"


def latest_valid(candidates: list[tuple], outcomes: dict) -> dict:
    """Per key, the value of the newest accepted version; older accepted ones become superseded.

    `candidates` are (key, recency, landed, value); a larger recency is newer, as in silver.
    """
    winners: dict = {}
    for key, _, landed, value in sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True):
        if landed.reason is not None:
            continue
        if key in winners:
            outcomes[(landed.path, landed.line)] = SUPERSEDED
        else:
            winners[key] = value
    return winners


# ---- FX rates -------------------------------------------------------------------------
def fx_rates(rng: random.Random, start: date, days: int) -> tuple[dict[str, bytes], dict, dict]:
    """Daily rates per currency; some days have no rate, some rates arrive broken or corrected."""
    files, outcomes, candidates = {}, {}, []
    corrections: list[tuple[date, str, Decimal]] = []
    for d in range(days):
        day = start + timedelta(days=d)
        path = day_path("sales/fx_rates", day, "fx_rates", "csv")
        lines = [",".join(FX_FILE_COLUMNS)]
        for currency, base in BASE_RATES.items():
            # No rate published for this day and currency (always once, on day two, for EUR).
            if rng.random() < 0.06 or (d, currency) == (1, "EUR"):
                continue
            rate = (base * Decimal(1 + rng.uniform(-0.02, 0.02))).quantize(Decimal("0.000001"))
            broken = rng.random() < 0.03 or (d, currency) == (2, "GBP")
            lines.append(
                f"{day.isoformat()},{currency.lower() if rng.random() < 0.3 else currency},{'n/a' if broken else rate}"
            )
            landed = Landed(path, len(lines), "BAD_RATE" if broken else None)
            outcomes[(path, landed.line)] = landed.reason
            candidates.append(((day, currency), (d, path, landed.line), landed, rate))
            if not broken and rng.random() < 0.05:
                corrections.append((day, currency, (rate * Decimal("1.001")).quantize(Decimal("0.000001"))))
        for day_corrected, currency, rate in [c for c in corrections if c[0] == day - timedelta(days=1)]:
            lines.append(f"{day_corrected.isoformat()},{currency},{rate}")  # a later file corrects a rate
            landed = Landed(path, len(lines), None)
            outcomes[(path, landed.line)] = None
            candidates.append(((day_corrected, currency), (d, path, landed.line), landed, rate))
        files[path] = ("\n".join(lines) + "\n").encode()
    rates = latest_valid(candidates, outcomes)
    return files, outcomes, rates


# ---- customers ------------------------------------------------------------------------
COUNTRY_SPELLINGS = sorted(COUNTRY_ALIASES)


def _customer_record(rng: random.Random, customer_id: str, version: int, updated_at: datetime) -> dict:
    first = rng.choice(["ana", "ben", "chen", "dara", "emil", "fay", "gus", "hana"])
    spelling = rng.choice(COUNTRY_SPELLINGS)
    return {
        "customer_id": customer_id,
        "email": rng.choice(
            [f"{first}.{customer_id.lower()}@example.com", f" {first.title()}{version}@Mail.example.org "]
        ),
        "phone": rng.choice(
            [f"+1 (555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}", f"0{rng.randint(10**8, 10**9 - 1)}"]
        ),
        "updated_at": updated_at.isoformat() + "Z",
        "address": {
            "street": f"{rng.randint(1, 200)} Main St",
            "city": rng.choice(["berlin", "Paris", "LONDON", "austin", "osaka", "recife"]),
            "postal_code": f"{rng.randint(10000, 99999)}",
            "country": rng.choice([spelling, spelling.lower(), f" {spelling.title()} "]),
        },
    }


def _break_customer(rng: random.Random, record: dict) -> tuple[dict | str, str]:
    kind = rng.choice(["BAD_EMAIL", "BAD_EMAIL", "MISSING_COUNTRY", "UNKNOWN_COUNTRY", "NOT_JSON"])
    if kind == "BAD_EMAIL":
        return {**record, "email": rng.choice(["no-at-sign.example.com", "ana@", "@example.com"])}, kind
    if kind == "MISSING_COUNTRY":
        return {**record, "address": {**record["address"], "country": rng.choice(["", None])}}, kind
    if kind == "UNKNOWN_COUNTRY":
        return {**record, "address": {**record["address"], "country": "Atlantis"}}, kind
    return json.dumps(record)[:-7], kind  # a truncated line


def customers(rng: random.Random, customer_ids: list[str], start: date, days: int):
    """Day one lands every customer; later days re-send some with changes (and some mess)."""
    files, outcomes, candidates = {}, {}, []
    for d in range(days):
        day = start + timedelta(days=d)
        path = day_path("customer/customers", day, "customers", "jsonl")
        ids = customer_ids if d == 0 else [c for c in customer_ids if rng.random() < 0.08]
        lines = []
        for customer_id in ids:
            updated_at = datetime.combine(day, datetime.min.time()) + timedelta(seconds=rng.randrange(86_400))
            record, reason = _customer_record(rng, customer_id, d, updated_at), None
            if rng.random() < 0.05:
                record, reason = _break_customer(rng, record)
            lines.append(record if isinstance(record, str) else json.dumps(record))
            landed = Landed(path, len(lines), reason)
            outcomes[(path, landed.line)] = reason
            if reason is None:
                candidates.append((customer_id, (updated_at, d, path, landed.line), landed, record))
        files[path] = ("\n".join(lines) + "\n").encode()
    latest = latest_valid(candidates, outcomes)
    countries = {cid: COUNTRY_ALIASES[r["address"]["country"].strip().upper()] for cid, r in latest.items()}
    pii_values = {r["email"].strip() for _, _, _, r in candidates} | {r["phone"] for _, _, _, r in candidates}
    return files, outcomes, countries, pii_values


# ---- products -------------------------------------------------------------------------
PRODUCT_SCHEMA = pa.schema(
    [
        ("sku", pa.string()),
        ("name", pa.string()),
        ("category", pa.string()),
        ("list_price", pa.decimal128(12, 2)),
        ("unit_cost", pa.decimal128(12, 2)),
        ("active", pa.bool_()),
    ]
)


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    list_price: Decimal
    unit_cost: Decimal


def _parquet(rows: list[dict]) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=PRODUCT_SCHEMA), sink)
    return sink.getvalue()


def products(rng: random.Random, prices: dict[str, Decimal], start: date, days: int, uncatalogued: set[str]):
    """Day one lands the catalog (less a few SKUs nobody entered); later days change some costs."""
    catalog = {
        sku: Product(
            sku,
            f"Product {sku[-4:]}",
            rng.choice(CATEGORIES),
            price,
            (price * Decimal(rng.choice([0.4, 0.55, 0.7, 0.9, 1.15]))).quantize(Decimal("0.01")),
        )
        for sku, price in sorted(prices.items())
        if sku not in uncatalogued
    }
    files, outcomes, candidates = {}, {}, []
    for d in range(days):
        day = start + timedelta(days=d)
        path = day_path("product/products", day, "products", "parquet")
        batch = list(catalog.values()) if d == 0 else [p for p in catalog.values() if rng.random() < 0.03]
        batch = [
            replace(p, unit_cost=(p.unit_cost * Decimal("1.05")).quantize(Decimal("0.01"))) if d else p for p in batch
        ]
        rows = []
        for product in batch:
            row = {
                "sku": product.sku,
                "name": product.name,
                "category": product.category.upper() if rng.random() < 0.2 else product.category,
                "list_price": product.list_price,
                "unit_cost": product.unit_cost,
                "active": True,
            }
            reason = None
            # Some random rows are broken, and so are the first two rows of every file of 3+ products.
            if rng.random() < 0.02 or len(rows) < 2 < len(batch):
                reason = PRODUCT_MESS[len(rows)] if len(rows) < 2 else rng.choice(PRODUCT_MESS)
                row = {**row, "sku": None} if reason == "MISSING_ID" else {**row, "unit_cost": -product.unit_cost}
            rows.append(row)
            landed = Landed(path, len(rows), reason)
            outcomes[(path, landed.line)] = reason
            candidates.append((product.sku, (d, path, landed.line), landed, product))
        if rows:
            files[path] = _parquet(rows)
    return files, outcomes, latest_valid(candidates, outcomes)


# ---- returns --------------------------------------------------------------------------
RETURN_FIELDS = [
    {"name": "return_id", "type": "string"},
    {"name": "order_id", "type": "string"},
    {"name": "line_no", "type": "int"},
    {"name": "quantity", "type": "int"},
    {"name": "reason", "type": ["null", "string"]},
    {"name": "returned_at", "type": "string"},
]
RETURN_SCHEMA = fastavro.parse_schema({"type": "record", "name": "Return", "fields": RETURN_FIELDS})


def avro_bytes(records: list[dict], codec: str = "null") -> bytes:
    """Return records as one Avro file; the fixed sync marker makes the bytes repeatable."""
    sink = io.BytesIO()
    fastavro.writer(sink, RETURN_SCHEMA, records, codec=codec, sync_marker=AVRO_SYNC_MARKER)
    return sink.getvalue()


def returns(rng: random.Random, sold_lines: dict, start: date, days: int):
    """Returns of some sold lines (keyed (order_id, line_no) -> final line), plus orphans and mess.

    Yields files, per-record outcomes and the accepted returns as (key, quantity).
    """
    by_day: dict[int, list[tuple[dict, str | None]]] = {d: [] for d in range(days)}
    serial = 0
    for key in sorted(sold_lines):
        line = sold_lines[key]
        if rng.random() >= 0.08:
            continue
        serial += 1
        quantity, reason = rng.randint(1, line.quantity), None
        roll = rng.random()
        if roll < 0.1:
            quantity, reason = line.quantity + 1, "EXCESS_RETURN_QUANTITY"
        elif roll < 0.15:
            quantity, reason = 0, "BAD_QUANTITY"
        returned_at = line.ordered_at + timedelta(days=rng.randint(0, 9), seconds=rng.randrange(3600))
        record = {
            "return_id": f"R{serial:06d}",
            "order_id": key[0],
            "line_no": key[1],
            "quantity": quantity,
            "reason": rng.choice(["damaged", "Wrong size", None, "changed mind "]),
            "returned_at": returned_at.strftime("%Y-%m-%dT%H:%M:%S") + "Z",
        }
        by_day[min(line.ingest_day + rng.randint(0, 2), days - 1)].append((record, reason))
    for n in range(max(1, serial // 10)):  # returns of order lines that never existed
        serial += 1
        record = {
            "return_id": f"R{serial:06d}",
            "order_id": f"O9{n:06d}",
            "line_no": 1,
            "quantity": 1,
            "reason": "damaged",
            "returned_at": f"{start.isoformat()}T12:00:00Z",
        }
        by_day[rng.randrange(days)].append((record, "ORPHAN_RETURN"))

    files, outcomes, accepted = {}, {}, []
    for d, records in by_day.items():
        if not records:
            continue
        path = day_path("sales/returns", start + timedelta(days=d), "returns", "avro")
        files[path] = avro_bytes([r for r, _ in records])
        for number, (record, reason) in enumerate(records, start=1):
            outcomes[(path, number)] = reason
            if reason is None:
                accepted.append(((record["order_id"], record["line_no"]), record["quantity"]))
    return files, outcomes, accepted
