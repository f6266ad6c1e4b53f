"""Small landed files of every format, for the crawler and the Glue publisher tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("csv", "json", "parquet", "avro")
DAY1, DAY2 = "2026-01-01", "2026-01-02"
DOMAIN, DATABASE = "shop", "shop_bronze"
ARROW = {"int": pa.int32(), "bigint": pa.int64(), "string": pa.string(), "double": pa.float64()}
AVRO = {"int": "int", "bigint": "long", "string": "string", "double": "double"}
BASE_TYPES = {"order_id": "string", "qty": "int", "amount": "double"}
BASE_ROWS = [{"order_id": "A1", "qty": 1, "amount": 2.5}, {"order_id": "A2", "qty": 2, "amount": None}]


def encode(fmt: str, rows: list[dict], types: dict[str, str]) -> bytes:
    """Rows as a file of the format; `types` gives the declared types of the binary formats."""
    if fmt == "csv":
        lines = [",".join(types)] + [",".join("" if r[c] is None else str(r[c]) for c in types) for r in rows]
        return ("\n".join(lines) + "\n").encode()
    if fmt == "json":
        return "".join(json.dumps(r) + "\n" for r in rows).encode()
    buffer = io.BytesIO()
    if fmt == "parquet":
        schema = pa.schema([(c, ARROW[t]) for c, t in types.items()])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), buffer)
    else:
        fields = [{"name": c, "type": ["null", AVRO[t]]} for c, t in types.items()]
        fastavro.writer(buffer, {"type": "record", "name": "row", "fields": fields}, rows)
    return buffer.getvalue()


def land(bronze: Path, fmt: str, day: str, rows, types, dataset="orders", name="part") -> Path:
    path = bronze / DOMAIN / dataset / f"ingest_date={day}" / f"{name}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode(fmt, rows, types))
    return path
