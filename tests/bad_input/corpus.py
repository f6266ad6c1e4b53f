"""The bad-input corpus: files as broken as real feeds send them, each with the outcome the
bronze -> silver job must give its records (reason code -> records; None = accepted).

The files are built here, byte by byte, so each one says how it is broken. All land on one
ingest day; a good file per dataset lands beside them and must come through untouched.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq

from local.sample_reference import avro_bytes
from transforms.contracts import CUSTOMERS_SOURCE, ORDERS_SOURCE, PRODUCTS_SOURCE, RETURNS_SOURCE, BronzeSource

DAY = "2026-03-02"
HEADER = "order_id,line_no,customer_id,product_sku,order_ts,region,channel,quantity,unit_price,currency"
TIME = f"{DAY} 10:00:00"


def order_line(order_id: str, line_no: int = 1, customer: str = "C1", sku: str = "SKU-1") -> str:
    return f"{order_id},{line_no},{customer},{sku},{TIME},EMEA,online,2,10.00,USD"


def reordered(*lines: str) -> list[str]:
    """The header and `lines` with their columns in reverse order."""
    return [",".join(reversed(line.split(","))) for line in (HEADER, *lines)]


def csv_file(*lines: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode()


CUSTOMER = {
    "customer_id": "C1",
    "email": "ana@example.com",
    "phone": "+1 555 0100",
    "updated_at": f"{DAY}T00:00:00Z",
    "address": {"street": "1 Main St", "city": "lyon", "postal_code": "69001", "country": "FRA"},
}


def jsonl(*records) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()


def deeply_nested(depth: int) -> str:
    return (
        json.dumps({**CUSTOMER, "customer_id": "C4"})[:-1] + ', "extra": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    )


def parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


GOOD_PRODUCT = pa.table(
    {
        "sku": ["SKU-1"],
        "name": ["Lamp"],
        "category": ["home"],
        "list_price": pa.array([10], pa.decimal128(12, 2)),
        "unit_cost": pa.array([6], pa.decimal128(12, 2)),
        "active": [True],
    }
)


def a_return(return_id: str) -> dict:
    return {
        "return_id": return_id,
        "order_id": "O1",
        "line_no": 1,
        "quantity": 1,
        "reason": None,
        "returned_at": f"{DAY}T12:00:00Z",
    }


@dataclass(frozen=True)
class Case:
    source: BronzeSource
    name: str  # the file name, its extension the format's
    content: bytes
    expected: dict[str | None, int] = field(default_factory=dict)  # reason -> records
    unreadable: bool = False  # quarantined whole, and named in the run's report

    @property
    def relative_path(self) -> str:
        return f"{self.source.prefix}/ingest_date={DAY}/{self.name}"


CASES = (
    # ---- CSV (orders) ----
    Case(ORDERS_SOURCE, "good.csv", csv_file(HEADER, order_line("O1", 1), order_line("O1", 2)), {None: 2}),
    Case(
        ORDERS_SOURCE,
        "unbalanced_quotes.csv",
        csv_file(HEADER, order_line("O2").replace("C1", '"C1')),
        {"WRONG_FIELD_COUNT": 1},
    ),
    Case(ORDERS_SOURCE, "too_many_fields.csv", csv_file(HEADER, order_line("O3") + ",extra"), {"WRONG_FIELD_COUNT": 1}),
    Case(ORDERS_SOURCE, "too_few_fields.csv", csv_file(HEADER, "O4,1,C1,SKU-1"), {"WRONG_FIELD_COUNT": 1}),
    # A quoted newline splits the record over two lines; each half is quarantined with its line.
    Case(
        ORDERS_SOURCE,
        "newline_in_quoted_field.csv",
        csv_file(HEADER, order_line("O5", customer='"C1\nC2"')),
        {"WRONG_FIELD_COUNT": 2},
    ),
    Case(ORDERS_SOURCE, "byte_order_mark.csv", csv_file(HEADER, order_line("O6"), bom=True), {None: 1}),
    # Names as people give them: the lineage is the file's own path, not a URL-encoded one.
    Case(ORDERS_SOURCE, "orders März 2026 (final) #2+1%.csv", csv_file(HEADER, order_line("O11")), {None: 1}),
    Case(CUSTOMERS_SOURCE, "Kunden Übersicht.jsonl", jsonl({**CUSTOMER, "customer_id": "C6"}), {None: 1}),
    Case(
        PRODUCTS_SOURCE,
        "catalogue été.parquet",
        parquet(GOOD_PRODUCT.set_column(0, "sku", pa.array(["SKU-2"]))),
        {None: 1},
    ),
    # No header the reader can recognise: every line is a record, the first one included.
    Case(
        ORDERS_SOURCE,
        "wrong_delimiter.csv",
        csv_file(HEADER.replace(",", ";"), order_line("O7").replace(",", ";"), order_line("O8").replace(",", ";")),
        {"MISSING_HEADER": 3},
    ),
    Case(ORDERS_SOURCE, "no_header.csv", csv_file(order_line("O12"), order_line("O13")), {"MISSING_HEADER": 2}),
    # Columns by name: another order, an extra column, other case and quotes are all fine.
    Case(ORDERS_SOURCE, "reordered_columns.csv", csv_file(*reordered(order_line("O14"), order_line("O15"))), {None: 2}),
    Case(
        ORDERS_SOURCE,
        "extra_column.csv",
        csv_file(HEADER + ",loyalty_tier", order_line("O16") + ",gold"),
        {None: 1},
    ),
    Case(
        ORDERS_SOURCE,
        "quoted_upper_case_header.csv",
        csv_file(",".join(f'"{c.upper()}"' for c in HEADER.split(",")), order_line("O17")),
        {None: 1},
    ),
    Case(
        ORDERS_SOURCE,
        "windows_line_endings_and_blank_lines.csv",
        b"\r\n\r\n" + csv_file(HEADER, order_line("O18")).replace(b"\n", b"\r\n"),
        {None: 1},
    ),
    Case(
        ORDERS_SOURCE,
        "missing_column.csv",
        csv_file(HEADER.replace(",currency", ""), order_line("O19").removesuffix(",USD")),
        {"MISSING_COLUMNS": 1},
    ),
    Case(
        ORDERS_SOURCE,
        "invalid_utf8.csv",
        csv_file(HEADER).rstrip(b"\n") + b"\n" + order_line("O9").encode().replace(b"C1", b"C\xff\xfe1") + b"\n",
        {"BAD_ENCODING": 1},
    ),
    Case(ORDERS_SOURCE, "empty.csv", b""),
    Case(ORDERS_SOURCE, "header_only.csv", csv_file(HEADER)),
    Case(
        ORDERS_SOURCE, "huge_field.csv", csv_file(HEADER, order_line("O10", sku="X" * 250_000)), {"RECORD_TOO_LONG": 1}
    ),
    # ---- JSON lines (customers) ----
    Case(CUSTOMERS_SOURCE, "good.jsonl", jsonl(CUSTOMER), {None: 1}),
    Case(
        CUSTOMERS_SOURCE, "truncated.jsonl", jsonl(json.dumps({**CUSTOMER, "customer_id": "C2"})[:40]), {"NOT_JSON": 1}
    ),
    Case(
        CUSTOMERS_SOURCE,
        "wrong_types.jsonl",
        jsonl({**CUSTOMER, "customer_id": ["C3"]}, {**CUSTOMER, "customer_id": "C3", "email": 42}),
        {"WRONG_TYPE": 2},
    ),
    Case(CUSTOMERS_SOURCE, "deeply_nested.jsonl", jsonl(deeply_nested(5000)), {"NOT_JSON": 1}),
    Case(CUSTOMERS_SOURCE, "not_json.jsonl", jsonl("this is not JSON at all", "<customer id='C5'/>"), {"NOT_JSON": 2}),
    # ---- Parquet (products) ----
    Case(PRODUCTS_SOURCE, "good.parquet", parquet(GOOD_PRODUCT), {None: 1}),
    Case(
        PRODUCTS_SOURCE,
        "wrong_schema.parquet",
        parquet(pa.table({"sku": pa.array([12345], pa.int64()), "price": ["cheap"]})),
        {"WRONG_TYPE": 1},
    ),
    Case(PRODUCTS_SOURCE, "truncated.parquet", parquet(GOOD_PRODUCT)[:-30], {"UNREADABLE_FILE": 1}, True),
    # ---- Avro (returns) ----
    Case(RETURNS_SOURCE, "good.avro", avro_bytes([a_return("R1")]), {None: 1}),
    # The codecs of Spark's Avro writer (snappy) and of common Kafka S3 sinks: valid files.
    *(
        Case(RETURNS_SOURCE, f"{codec}.avro", avro_bytes([a_return(f"R-{codec}")], codec), {None: 1})
        for codec in ("deflate", "snappy", "zstandard")
    ),
    Case(RETURNS_SOURCE, "zero_bytes.avro", b"", {"UNREADABLE_FILE": 1}, True),
)
