"""Sales data at benchmark scale: a year of daily files in the lake's bronze layout, with the
same formats and the same kinds of mess as the sample data (`local.sample.generator`).

The sample generator also computes a ground truth in plain Python, which at millions of
lines costs gigabytes; here the check is the DuckDB twin instead (`bench.duckdb_pipeline`), so
this generator only writes files. It works one day at a time with numpy, keeping only what
later days need (re-sent and late lines, pending returns): memory stays flat whatever the scale.

The day after the last (`--held-back-days`) is written to a separate folder, to be landed
later by the incremental benchmark.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from local.sample.generator import BROKEN_LINE_KINDS
from local.sample.reference import (
    BASE_RATES,
    CATEGORIES,
    COUNTRY_SPELLINGS,
    PRODUCT_SCHEMA,
    avro_bytes,
    day_path,
)
from transforms.contracts import (
    CHANNELS,
    CURRENCIES,
    CUSTOMERS_SOURCE,
    FX_FILE_COLUMNS,
    FX_RATES_SOURCE,
    ORDER_FILE_COLUMNS,
    ORDERS_SOURCE,
    PRODUCTS_SOURCE,
    REGIONS,
    RETURNS_SOURCE,
)

LINES_PER_ORDER = 2.5  # mean of 1..4
TIMESTAMP_OFFSETS = (0, 0, 2, -5, 9)  # hours; 0 renders as naive UTC or with a Z
CITIES = ("berlin", "Paris", "LONDON", "austin", "osaka", "recife", "new york")


@dataclass(frozen=True)
class BenchData:
    order_lines: int  # order lines to land in all (about: late and re-sent lines included)
    days: int = 365
    held_back_days: int = 1  # days generated after `days`, landed later (incremental benchmark)
    start: date = date(2025, 1, 1)
    seed: int = 42
    skus: int = 2_000
    broken_rate: float = 0.02
    resend_rate: float = 0.04
    late_rate: float = 0.05
    return_rate: float = 0.08

    @property
    def orders_per_day(self) -> int:
        return max(1, round(self.order_lines / (self.days * LINES_PER_ORDER * (1 + self.resend_rate))))

    @property
    def customers(self) -> int:
        return max(10, self.order_lines // 25)

    def folder_name(self) -> str:
        return f"lines{self.order_lines}-days{self.days}-seed{self.seed}"


def _messy(rng: np.random.Generator, codes: np.ndarray) -> list[str]:
    """Codes as a careless feed writes them: as is, lower, title case, padded."""
    kinds = rng.integers(0, 5, len(codes))
    forms = (str, str.lower, str.title, lambda c: f" {c}", lambda c: f"{c.lower()}  ")
    return [forms[k](c) for k, c in zip(kinds, codes, strict=True)]


def _timestamps(rng: np.random.Generator, utc: np.ndarray) -> list[str]:
    """UTC instants in the feed's forms: naive UTC, Z, or a local time with its offset."""
    offsets = np.array(TIMESTAMP_OFFSETS)[rng.integers(0, len(TIMESTAMP_OFFSETS), len(utc))]
    local = np.datetime_as_string(utc + offsets.astype("timedelta64[h]"), unit="s")
    zulu = rng.random(len(utc)) < 0.5
    rendered = []
    for text, offset, z in zip(local, offsets, zulu, strict=True):
        if offset:
            rendered.append(f"{text}{'+' if offset > 0 else '-'}{abs(offset):02d}:00")
        else:
            rendered.append(f"{text}Z" if z else text.replace("T", " "))
    return rendered


@dataclass
class Lines:
    """Order lines as columns (one numpy array each)."""

    order_id: np.ndarray
    line_no: np.ndarray
    customer: np.ndarray
    sku: np.ndarray
    ordered_at: np.ndarray  # datetime64[s], UTC
    region: np.ndarray
    channel: np.ndarray
    quantity: np.ndarray
    currency: np.ndarray

    def take(self, index: np.ndarray) -> Lines:
        return Lines(**{name: values[index] for name, values in vars(self).items()})

    def __len__(self) -> int:
        return len(self.order_id)


def _concat(parts: list[Lines]) -> Lines:
    return Lines(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in vars(parts[0])})


class Generator:
    def __init__(self, spec: BenchData):
        self.spec = spec
        self.rng = np.random.default_rng(spec.seed)
        self.prices = np.round(self.rng.uniform(1.99, 499.99, spec.skus + 1), 2)
        self.next_order = 1
        self.next_return = 1
        self.broken_serial = 0
        self.pending: dict[int, list[Lines]] = defaultdict(list)  # day -> late and re-sent lines
        self.pending_returns: dict[int, list[dict]] = defaultdict(list)

    # ---- orders -------------------------------------------------------------------------
    def _new_lines(self, day: int) -> Lines:
        spec, rng = self.spec, self.rng
        n = max(1, int(rng.normal(spec.orders_per_day, spec.orders_per_day * 0.1)))
        per_order = rng.integers(1, 5, n)
        order_numbers = np.repeat(np.arange(self.next_order, self.next_order + n), per_order)
        self.next_order += n
        starts = np.repeat(np.cumsum(per_order) - per_order, per_order)
        line_no = np.arange(len(order_numbers)) - starts + 1
        day_start = np.datetime64(spec.start + timedelta(days=day)).astype("datetime64[s]")
        ordered_at = day_start + rng.integers(0, 86_400, n).astype("timedelta64[s]")

        def per_line(values):
            return np.repeat(values, per_order)

        # ~1% of customers ordering never landed in the customer feed: flagged unknown in silver.
        return Lines(
            order_id=np.char.add("O", np.char.zfill(order_numbers.astype(str), 9)),
            line_no=line_no,
            customer=per_line(rng.integers(1, int(spec.customers * 1.01) + 1, n)),
            sku=rng.integers(1, spec.skus + 1, len(order_numbers)),
            ordered_at=per_line(ordered_at),
            region=per_line(np.array(REGIONS)[rng.integers(0, len(REGIONS), n)]),
            channel=per_line(np.array(CHANNELS)[rng.integers(0, len(CHANNELS), n)]),
            quantity=rng.integers(1, 11, len(order_numbers)),
            currency=per_line(np.array(CURRENCIES)[rng.integers(0, len(CURRENCIES), n)]),
        )

    def _schedule_late_and_resent(self, day: int, lines: Lines, last_day: int) -> Lines:
        """Hold late orders for tomorrow's file and re-send some lines in a later file (half of
        them changed); return the lines landing today."""
        rng = self.rng
        late = (rng.random(len(lines)) < self.spec.late_rate) & (day < last_day)
        if late.any():
            self.pending[day + 1].append(lines.take(late))
        on_time = lines.take(~late)
        resend = rng.random(len(on_time)) < self.spec.resend_rate
        for index in np.flatnonzero(resend):
            later = min(day + int(rng.integers(1, 8)), last_day)
            if later > day:
                again = on_time.take(np.array([index]))
                if rng.random() < 0.5:
                    again.quantity = rng.integers(1, 11, 1)
                self.pending[later].append(again)
        return on_time

    def _render(self, lines: Lines) -> list[list[str]]:
        rng = self.rng
        return [
            list(row)
            for row in zip(
                lines.order_id,
                lines.line_no.astype(str),
                np.char.add("C", np.char.zfill(lines.customer.astype(str), 7)),
                np.char.add("SKU-", np.char.zfill(lines.sku.astype(str), 5)),
                _timestamps(rng, lines.ordered_at),
                _messy(rng, lines.region),
                _messy(rng, lines.channel),
                lines.quantity.astype(str),
                [f"{p:.2f}" for p in self.prices[lines.sku]],
                _messy(rng, lines.currency),
                strict=True,
            )
        ]

    def _broken(self, fields: list[str]) -> list[str]:
        """One broken line of each kind in turn (the sample generator's kinds)."""
        kind = BROKEN_LINE_KINDS[self.broken_serial % len(BROKEN_LINE_KINDS)]
        self.broken_serial += 1
        broken = list(fields)
        position = {name: i for i, name in enumerate(ORDER_FILE_COLUMNS)}
        broken[0] = f"X{self.broken_serial:09d}"
        damage = {
            "MISSING_ID": ("order_id", ""),
            "BAD_QUANTITY": ("quantity", "two"),
            "BAD_TIMESTAMP": ("order_ts", "2026-13-45 25:61:00"),
            "BAD_PRICE": ("unit_price", "12,50"),
            "NEGATIVE_PRICE": ("unit_price", "-3.50"),
            "UNKNOWN_CURRENCY": ("currency", "XXX"),
        }
        if kind == "WRONG_FIELD_COUNT":
            return broken + ["surplus"] if self.broken_serial % 2 else broken[:-2]
        column, value = damage[kind]
        broken[position[column]] = value
        return broken

    def order_file(self, day: int, last_day: int) -> tuple[bytes, Lines]:
        """The day's CSV, and the lines in it that can be returned later."""
        fresh = self._schedule_late_and_resent(day, self._new_lines(day), last_day)
        landing = _concat([fresh, *self.pending.pop(day, [])])
        rows = self._render(landing)
        broken = [self._broken(rows[i]) for i in self.rng.integers(0, len(rows), round(len(rows) * 0.02))]
        order = self.rng.permutation(len(rows) + len(broken))
        every = rows + broken
        text = "\n".join([",".join(ORDER_FILE_COLUMNS)] + [",".join(every[i]) for i in order]) + "\n"
        return text.encode(), fresh

    # ---- returns ------------------------------------------------------------------------
    def schedule_returns(self, day: int, sold: Lines, last_day: int) -> None:
        rng = self.rng
        for index in np.flatnonzero(rng.random(len(sold)) < self.spec.return_rate):
            wait = int(rng.integers(0, 10))
            returned_at = sold.ordered_at[index] + np.timedelta64(wait * 86_400 + int(rng.integers(0, 3600)), "s")
            quantity = int(rng.integers(1, sold.quantity[index] + 1))
            roll = rng.random()
            if roll < 0.1:
                quantity = int(sold.quantity[index]) + 1  # more than was ordered
            elif roll < 0.15:
                quantity = 0
            self._add_return(
                min(day + wait, last_day), sold.order_id[index], int(sold.line_no[index]), quantity, returned_at
            )
        if rng.random() < 0.5:  # the return of an order line that never existed
            self._add_return(day, f"O9{self.next_return:09d}", 1, 1, np.datetime64(self.spec.start, "s"))

    def _add_return(self, day: int, order_id: str, line_no: int, quantity: int, returned_at) -> None:
        self.pending_returns[day].append(
            {
                "return_id": f"R{self.next_return:09d}",
                "order_id": str(order_id),
                "line_no": line_no,
                "quantity": quantity,
                "reason": ["damaged", "Wrong size", None, "changed mind "][self.next_return % 4],
                "returned_at": f"{np.datetime_as_string(returned_at, unit='s')}Z",
            }
        )
        self.next_return += 1

    # ---- reference data -----------------------------------------------------------------
    def fx_file(self, day: int, corrections: list[tuple[str, str, float]]) -> tuple[bytes, list]:
        rng, today = self.rng, (self.spec.start + timedelta(days=day)).isoformat()
        lines, corrected_tomorrow = [",".join(FX_FILE_COLUMNS)], []
        for currency, base in BASE_RATES.items():
            if rng.random() < 0.03:
                continue  # no rate published: the day's orders in it go to MISSING_FX_RATE
            rate = round(float(base) * (1 + rng.uniform(-0.02, 0.02)), 6)
            text = "n/a" if rng.random() < 0.02 else f"{rate:.6f}"
            lines.append(f"{today},{currency.lower() if rng.random() < 0.3 else currency},{text}")
            if text != "n/a" and rng.random() < 0.03:
                corrected_tomorrow.append((today, currency, round(rate * 1.001, 6)))
        lines += [f"{d},{c},{r:.6f}" for d, c, r in corrections]
        return ("\n".join(lines) + "\n").encode(), corrected_tomorrow

    def customer_record(self, number: int, day: int) -> str:
        rng = self.rng
        cid = f"C{number:07d}"
        updated = np.datetime64(self.spec.start + timedelta(days=day), "s") + np.timedelta64(
            int(rng.integers(0, 86_400)), "s"
        )
        country = COUNTRY_SPELLINGS[int(rng.integers(0, len(COUNTRY_SPELLINGS)))]
        record = {
            "customer_id": cid,
            "email": f"user.{cid.lower()}@example.com" if rng.random() < 0.7 else f" User{number}@Mail.Example.org ",
            "phone": f"+1 (555) {int(rng.integers(100, 999))}-{int(rng.integers(1000, 9999))}",
            "updated_at": f"{np.datetime_as_string(updated, unit='s')}Z",
            "address": {
                "street": f"{int(rng.integers(1, 200))} Main St",
                "city": CITIES[int(rng.integers(0, len(CITIES)))],
                "postal_code": str(int(rng.integers(10000, 99999))),
                "country": country if rng.random() < 0.5 else f" {country.title()} ",
            },
        }
        roll = rng.random()
        if roll < 0.01:
            record["email"] = "no-at-sign.example.com"
        elif roll < 0.015:
            record["address"]["country"] = "Atlantis"
        elif roll < 0.02:
            record["address"]["country"] = ""
        elif roll < 0.025:
            return json.dumps(record)[:-7]  # a truncated line
        return json.dumps(record)

    def customer_file(self, day: int) -> bytes:
        spec = self.spec
        numbers = (
            range(1, spec.customers + 1)
            if day == 0
            else self.rng.integers(1, spec.customers + 1, max(1, spec.customers // 1000))
        )
        return ("\n".join(self.customer_record(int(n), day) for n in numbers) + "\n").encode()

    def product_file(self, day: int) -> bytes:
        rng, spec = self.rng, self.spec
        # The last few SKUs were never catalogued: their order lines are flagged unknown.
        catalogued = spec.skus - 5
        skus = range(1, catalogued + 1) if day == 0 else rng.integers(1, catalogued + 1, 5)
        rows = []
        for n in skus:
            price = float(self.prices[n])
            cost = round(price * float(rng.choice([0.4, 0.55, 0.7, 0.9, 1.15])) * (1.05 if day else 1), 2)
            broken = rng.random() < 0.01
            rows.append(
                {
                    "sku": None if broken and rng.random() < 0.5 else f"SKU-{int(n):05d}",
                    "name": f"Product {int(n):05d}",
                    "category": CATEGORIES[int(n) % len(CATEGORIES)],
                    "list_price": _cents(price),
                    "unit_cost": _cents(-cost if broken else cost),
                    "active": True,
                }
            )
        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pylist(rows, schema=PRODUCT_SCHEMA), sink)
        return sink.getvalue().to_pybytes()


def _cents(value: float):
    from decimal import Decimal

    return Decimal(f"{value:.2f}")


def write_bench_data(spec: BenchData, root: Path, log=print) -> tuple[Path, Path]:
    """Write `root/bronze` (the first `spec.days` days) and `root/held_back` (the days after).

    Returns both folders. Skips the work when `root` already holds a complete set.
    """
    bronze, held_back, done = root / "bronze", root / "held_back", root / "COMPLETE"
    if done.exists():
        return bronze, held_back
    generator, corrections = Generator(spec), []
    last_day = spec.days + spec.held_back_days - 1
    for day in range(last_day + 1):
        target = bronze if day < spec.days else held_back
        ingest = spec.start + timedelta(days=day)
        orders, sold = generator.order_file(day, last_day)
        generator.schedule_returns(day, sold, last_day)
        fx, corrections = generator.fx_file(day, corrections)
        files = {
            day_path(ORDERS_SOURCE.prefix, ingest, "orders", "csv"): orders,
            day_path(FX_RATES_SOURCE.prefix, ingest, "fx_rates", "csv"): fx,
            day_path(CUSTOMERS_SOURCE.prefix, ingest, "customers", "jsonl"): generator.customer_file(day),
            day_path(PRODUCTS_SOURCE.prefix, ingest, "products", "parquet"): generator.product_file(day),
        }
        returns = generator.pending_returns.pop(day, [])
        if returns:
            files[day_path(RETURNS_SOURCE.prefix, ingest, "returns", "avro")] = avro_bytes(returns)
        for relative, content in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if day % 30 == 0 or day == last_day:
            log(f"  generated day {day + 1}/{last_day + 1}")
    done.write_text(json.dumps({k: str(v) for k, v in vars(spec).items()}))
    return bronze, held_back
