"""Each bronze source states its landed layout once; the sample data and the customers' JSON
schema follow it."""

import io
import random
from datetime import datetime

import fastavro
import pyarrow.parquet as pq

from local.sample import reference
from transforms.contracts import (
    CUSTOMER_RECORD_SCHEMA,
    CUSTOMERS_SOURCE,
    FX_RATES_SOURCE,
    PRODUCTS_SOURCE,
    RETURNS_SOURCE,
    SOURCES,
)


def test_every_source_states_its_layout():
    assert all(source.columns for source in SOURCES)


def test_the_sample_files_carry_exactly_the_declared_fields():
    record = reference._customer_record(random.Random(1), "C1", 1, datetime(2026, 1, 1))
    assert tuple(record) == CUSTOMERS_SOURCE.columns
    assert tuple(pq.read_schema(io.BytesIO(reference._parquet([]))).names) == PRODUCTS_SOURCE.columns
    avro = fastavro.reader(io.BytesIO(reference.avro_bytes([])))
    assert tuple(f["name"] for f in avro.writer_schema["fields"]) == RETURNS_SOURCE.columns
    fx_files, _, _ = reference.fx_rates(random.Random(1), datetime(2026, 1, 1).date(), 1)
    assert next(iter(fx_files.values())).decode().splitlines()[0].split(",") == list(FX_RATES_SOURCE.columns)


def top_level_fields(ddl: str) -> tuple[str, ...]:
    """The field names of a DDL schema string, not those nested in STRUCT<...>."""
    fields, depth, start = [], 0, 0
    for i, char in enumerate(ddl + ","):
        depth += {"<": 1, ">": -1}.get(char, 0)
        if char == "," and depth == 0:
            fields.append(ddl[start:i].split()[0])
            start = i + 1
    return tuple(fields)


def test_the_customers_json_schema_reads_exactly_the_declared_fields():
    assert top_level_fields(CUSTOMER_RECORD_SCHEMA) == CUSTOMERS_SOURCE.columns
