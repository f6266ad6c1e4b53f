"""The bad-input corpus: files as broken as real feeds send them, each with the outcome the
bronze -> silver job must give its records (reason code -> records; None = accepted).

The files are built here, byte by byte, so each one says how it is broken. All land on one
ingest day; a good file per dataset lands beside them and must come through untouched.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass, field

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

from local.sample.reference import RETURN_FIELDS, avro_bytes
from transforms.contract_types import BronzeSource
from transforms.contracts import CUSTOMERS_SOURCE, ORDERS_SOURCE, PRODUCTS_SOURCE, RETURNS_SOURCE

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


def parquet(table: pa.Table, compression: str = "snappy") -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=compression)
    return buffer.getvalue()


def avro_with_schema(fields: list[dict], records: list[dict], codec: str = "null") -> bytes:
    """Returns as a producer with its own schema writes them (extra fields, logical types)."""
    sink = io.BytesIO()
    fastavro.writer(sink, {"type": "record", "name": "Return", "fields": fields}, records, codec=codec)
    return sink.getvalue()


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


# ---- What real exports look like: ERPs, Excel, Kafka sinks, partner SFTP drops ----
# Two more rows for a file: accepted ones, with order ids of their own.
def rows(prefix: str, count: int = 2) -> list[str]:
    return [order_line(f"{prefix}{n}") for n in range(1, count + 1)]


def broken_gzip(data: bytes) -> bytes:
    """A gzip stream cut short, as an interrupted transfer leaves it."""
    padded = data + b"".join(b"%d\n" % n for n in range(20_000))  # enough bytes to cut
    return gzip.compress(padded)[:-200]


REAL_EXPORTS = (
    # Compressed feeds: gzip text is read like plain text; a broken or mislabelled stream is
    # one unreadable file, and the others are read.
    Case(ORDERS_SOURCE, "daily_export.csv.gz", gzip.compress(csv_file(HEADER, *rows("GZ"))), {None: 2}),
    Case(ORDERS_SOURCE, "interrupted_transfer.csv.gz", broken_gzip(csv_file(HEADER)), {"UNREADABLE_FILE": 1}, True),
    Case(ORDERS_SOURCE, "not_really_gzip.csv.gz", csv_file(HEADER, order_line("NG1")), {"UNREADABLE_FILE": 1}, True),
    Case(CUSTOMERS_SOURCE, "kafka_sink.jsonl.gz", gzip.compress(jsonl({**CUSTOMER, "customer_id": "C7"})), {None: 1}),
    # Line endings of every platform: classic Mac Excel ends lines with a lone CR; mixed
    # endings come from files edited on two systems.
    Case(ORDERS_SOURCE, "excel_mac_cr.csv", "\r".join([HEADER, *rows("CR")]).encode() + b"\r", {None: 2}),
    Case(
        ORDERS_SOURCE,
        "mixed_line_endings.csv",
        f"{HEADER}\r\n{order_line('MX1')}\n{order_line('MX2')}\r\n".encode(),
        {None: 2},
    ),
    # ERP habits: a delimiter after the last field, every field quoted, padded fields.
    Case(
        ORDERS_SOURCE,
        "erp_trailing_delimiter.csv",
        csv_file(HEADER + ",", *(line + "," for line in rows("TD"))),
        {None: 2},
    ),
    Case(
        ORDERS_SOURCE,
        "erp_all_fields_quoted.csv",
        csv_file(*(",".join(f'"{f}"' for f in line.split(",")) for line in [HEADER, *rows("QT")])),
        {None: 2},
    ),
    Case(
        ORDERS_SOURCE,
        "mainframe_padded_fields.csv",
        csv_file(HEADER, *(",".join(f" {f}  " for f in line.split(",")) for line in rows("PD"))),
        {None: 2},
    ),
    # Partner SFTP drops: a trailer line with the row count, a second header where two files
    # were concatenated, NUL padding left by a transfer.
    Case(
        ORDERS_SOURCE,
        "sftp_trailer_line.csv",
        csv_file(HEADER, *rows("TR"), "TRAILER,2"),
        {None: 2, "WRONG_FIELD_COUNT": 1},
    ),
    Case(
        ORDERS_SOURCE,
        "concatenated_files.csv",
        csv_file(HEADER, order_line("CC1"), HEADER, order_line("CC2")),
        {None: 2, "MISSING_ID": 1},  # the second header's line_no is no number
    ),
    Case(
        ORDERS_SOURCE,
        "nul_padding.csv",
        csv_file(HEADER, order_line("NP1")) + b"\x00" * 64,
        {None: 1, "WRONG_FIELD_COUNT": 1},
    ),
    # Excel: saved as "Unicode Text" (UTF-16, tab-separated), as "CSV" in a locale whose
    # delimiter is a semicolon and decimal mark a comma, in Windows-1252, and with people's
    # column titles. None of these can be read by name; every line says why.
    Case(
        ORDERS_SOURCE,
        "excel_unicode_text.csv",
        ("\ufeff" + "\r\n".join(line.replace(",", "\t") for line in [HEADER, order_line("U1")]) + "\r\n").encode(
            "utf-16-le"
        ),
        # In UTF-16 each CR and LF is followed by a NUL, so each ends a line: the header (its
        # byte order mark is no UTF-8), then NUL, the row, NUL, NUL.
        {"BAD_ENCODING": 1, "MISSING_HEADER": 4},
    ),
    Case(
        ORDERS_SOURCE,
        "excel_tab_separated.csv",
        csv_file(*(line.replace(",", "\t") for line in [HEADER, order_line("TAB1")])),
        {"MISSING_HEADER": 2},
    ),
    Case(
        ORDERS_SOURCE,
        "windows_1252.csv",
        csv_file(HEADER, order_line("W1")).rstrip(b"\n")
        + b"\n"
        + order_line("W2", customer="Caf\xe9").encode("latin-1")
        + b"\n",
        {None: 1, "BAD_ENCODING": 1},
    ),
    Case(
        ORDERS_SOURCE,
        "people_column_titles.csv",
        csv_file(HEADER.replace("_", " ").title(), order_line("PT1")),
        {"MISSING_HEADER": 2},
    ),
    # Values as spreadsheets write them: a thousands separator, a currency sign, a day-first
    # date, a currency the lake does not know, a negative quantity.
    *(
        Case(ORDERS_SOURCE, f"{name}.csv", csv_file(HEADER, order_line(order_id).replace(old, new)), {reason: 1})
        for name, order_id, old, new, reason in (
            ("thousands_separator", "TS1", ",10.00,", ',"1,010.00",', "BAD_PRICE"),
            ("currency_sign", "CS1", ",10.00,", ",$10.00,", "BAD_PRICE"),
            ("day_first_date", "DF1", TIME, "02/03/2026 10:00", "BAD_TIMESTAMP"),
            ("unknown_currency", "UC1", ",USD", ",XYZ", "UNKNOWN_CURRENCY"),
            ("negative_quantity", "NQ1", ",2,10.00,", ",-2,10.00,", "BAD_QUANTITY"),
        )
    ),
    Case(ORDERS_SOURCE, "blank_lines_only.csv", b"\n  \r\n\n"),
    # JSON as exporters write it: pretty-printed over several lines, a whole array, objects
    # glued together without newlines, Kafka Connect's schema envelope, Python's repr.
    Case(
        CUSTOMERS_SOURCE,
        "pretty_printed.jsonl",
        json.dumps({"customer_id": "C8", "email": "x@example.com"}, indent=2).encode() + b"\n",
        {"NOT_JSON": 4},
    ),
    Case(
        CUSTOMERS_SOURCE,
        "json_array.jsonl",
        json.dumps([{**CUSTOMER, "customer_id": "C9"}]).encode() + b"\n",
        {"NOT_JSON": 1},
    ),
    Case(CUSTOMERS_SOURCE, "glued_objects.jsonl", (json.dumps(CUSTOMER) * 2).encode() + b"\n", {"NOT_JSON": 1}),
    Case(
        CUSTOMERS_SOURCE,
        "kafka_connect_envelope.jsonl",
        jsonl({"schema": {"type": "struct"}, "payload": {**CUSTOMER, "customer_id": "C10"}}),
        {"MISSING_ID": 1},
    ),
    Case(
        CUSTOMERS_SOURCE,
        "python_repr.jsonl",
        (repr({**CUSTOMER, "customer_id": "C11"}) + "\n").encode(),
        {"NOT_JSON": 1},
    ),
    Case(
        CUSTOMERS_SOURCE,
        "crlf_bom_extra_fields.jsonl",
        b"\xef\xbb\xbf"
        + json.dumps({**CUSTOMER, "customer_id": "C12", "loyalty": {"tier": "gold"}}).encode()
        + b"\r\n",
        {None: 1},
    ),
    Case(CUSTOMERS_SOURCE, "null_id.jsonl", jsonl({**CUSTOMER, "customer_id": None}), {"MISSING_ID": 1}),
    # Parquet from other writers: other codecs, columns in another order or added, no rows,
    # and a CSV someone named .parquet.
    *(
        Case(
            PRODUCTS_SOURCE,
            f"{codec}.parquet",
            parquet(GOOD_PRODUCT.set_column(0, "sku", pa.array([f"SKU-{codec}"])), codec),
            {None: 1},
        )
        for codec in ("gzip", "zstd", "none")
    ),
    Case(
        PRODUCTS_SOURCE,
        "reordered_and_extra_columns.parquet",
        parquet(
            GOOD_PRODUCT.set_column(0, "sku", pa.array(["SKU-3"]))
            .append_column("supplier", pa.array(["ACME"]))
            .select(["supplier", "active", "name", "sku", "category", "list_price", "unit_cost"])
        ),
        {None: 1},
    ),
    Case(PRODUCTS_SOURCE, "no_rows.parquet", parquet(GOOD_PRODUCT.slice(0, 0))),
    Case(
        PRODUCTS_SOURCE, "csv_named_parquet.parquet", csv_file("sku,name", "SKU-4,Desk"), {"UNREADABLE_FILE": 1}, True
    ),
    # Avro from Kafka sinks: other codecs, a producer's own schema with an extra field, a file
    # cut short.
    *(
        Case(RETURNS_SOURCE, f"{codec}.avro", avro_bytes([a_return(f"R-{codec}")], codec), {None: 1})
        for codec in ("bzip2", "xz")
    ),
    Case(
        RETURNS_SOURCE,
        "producer_schema_extra_field.avro",
        avro_with_schema(
            [*RETURN_FIELDS, {"name": "channel", "type": "string"}], [{**a_return("R-extra"), "channel": "store"}]
        ),
        {None: 1},
    ),
    Case(
        RETURNS_SOURCE,
        "cut_short.avro",
        avro_bytes([a_return(f"R-cut{n}") for n in range(50)])[:-40],
        {"UNREADABLE_FILE": 1},
        True,
    ),
)


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
    *REAL_EXPORTS,
)
