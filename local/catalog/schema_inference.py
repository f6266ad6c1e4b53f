"""What a crawler learns from one landed file: its format (by content, never by name), its
columns with Hive/Glue types, and how many records it holds.

Plain Python (pyarrow, fastavro, csv, json), no Spark: a crawl of many small files should
not pay for a cluster. Types are Hive type strings (`int`, `bigint`, `double`, `string`,
`struct<a:int,b:string>`, ...), the same strings the catalog stores.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

PARQUET_MAGIC = b"PAR1"
AVRO_MAGIC = b"Obj\x01"
GZIP_MAGIC = b"\x1f\x8b"  # gzip text (Spark reads `.gz` files decompressed)
DEFAULT_SAMPLE_SIZE = 1000  # records per file the text formats look at
SAMPLE_BYTES_PER_RECORD = 4096  # how much of a text file to read per sampled record, at most

# Safe widenings: a reader of the old type can read the new one without loss.
WIDENINGS = {
    ("tinyint", "smallint"),
    ("tinyint", "int"),
    ("tinyint", "bigint"),
    ("smallint", "int"),
    ("smallint", "bigint"),
    ("int", "bigint"),
    ("int", "double"),
    ("float", "double"),
}
INT32 = 2**31
INT64 = 2**63
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


class UnreadableFile(ValueError):
    """The file's content is not something the crawler can take a schema from."""


@dataclass(frozen=True)
class FileSchema:
    path: Path
    classification: str  # csv | json | parquet | avro
    columns: tuple[tuple[str, str], ...]  # (name, type) in file order
    records: int
    records_estimated: bool  # True when counted from a sample of a text file


# ---- types ------------------------------------------------------------------------------
def widens_to(old: str, new: str) -> bool:
    return (old, new) in WIDENINGS


def merge_types(a: str | None, b: str | None) -> str | None:
    """The type that holds values of both: the same, the wider of a safe widening, or string.

    `None` stands for "no value seen yet" and gives way to anything.
    """
    if a is None or a == b:
        return b
    if b is None:
        return a
    if widens_to(a, b):
        return b
    if widens_to(b, a):
        return a
    if {a, b} == {"bigint", "double"}:  # numbers seen as text: double holds both well enough
        return "double"
    if {a, b} == {"date", "timestamp"}:
        return "timestamp"
    return "string"


def normalize_name(raw: str, position: int) -> str:
    """Catalog column names as a Glue crawler writes them: lower case, [a-z0-9_]."""
    name = re.sub(r"[^0-9a-z_]+", "_", raw.strip().lower()).strip("_")
    return name or f"col{position}"


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique


def struct_type(fields) -> str:
    """`struct<a:int,b:string>` from (raw name, type) pairs; names normalized like columns."""
    return "struct<" + ",".join(f"{normalize_name(n, i)}:{t or 'string'}" for i, (n, t) in enumerate(fields)) + ">"


def text_value_type(value: str) -> str | None:
    """The narrowest type a CSV cell's text fits; None for an empty cell."""
    text = value.strip()
    if not text:
        return None
    if text.lower() in ("true", "false"):
        return "boolean"
    if _INTEGER.match(text):
        number = int(text)
        return "int" if -INT32 <= number < INT32 else "bigint" if -INT64 <= number < INT64 else "string"
    if _DECIMAL.match(text):
        return "double"
    if _DATE.match(text):
        return "date"
    if _TIMESTAMP.match(text):
        return "timestamp"
    return "string"


def json_value_type(value) -> str | None:
    """A parsed JSON value's type; objects become structs and lists arrays."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int" if -INT32 <= value < INT32 else "bigint" if -INT64 <= value < INT64 else "double"
    if isinstance(value, float):
        return "double"
    if isinstance(value, dict):
        return struct_type((k, json_value_type(v)) for k, v in value.items())
    if isinstance(value, list):
        element = None
        for item in value:
            element = merge_types(element, json_value_type(item))
        return f"array<{element or 'string'}>"
    return "string"


def merge_fields(
    known: list[tuple[str, str | None]], seen: list[tuple[str, str | None]]
) -> list[tuple[str, str | None]]:
    """Union of two column lists in first-seen order, with merged types."""
    merged = dict(known)
    for name, kind in seen:
        merged[name] = merge_types(merged.get(name), kind)
    return list(merged.items())


# ---- formats ----------------------------------------------------------------------------
def detect_format(head: bytes) -> str:
    """csv | json | parquet | avro from a file's first bytes; raises UnreadableFile otherwise."""
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(AVRO_MAGIC):
        return "avro"
    text = _decode_head(head)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first:
        raise UnreadableFile("empty file (no records)")
    if first.startswith("{"):
        return "json"
    if "," in first:
        return "csv"
    raise UnreadableFile("not CSV, JSON lines, Parquet or Avro")


def _decode_head(head: bytes) -> str:
    """UTF-8 text without a byte-order mark; a character cut at the end of the sample is fine."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head.removeprefix(codecs.BOM_UTF8), final=False)
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 text (byte {error.start})") from None


def _open(path: Path):
    """The file's bytes, decompressed when it is gzip."""
    with path.open("rb") as handle:
        compressed = handle.read(len(GZIP_MAGIC)) == GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else path.open("rb")


def _head(path: Path, size: int) -> bytes:
    try:
        with _open(path) as handle:
            return handle.read(size)
    except (OSError, EOFError, zlib.error) as error:  # a truncated or corrupt gzip stream
        raise UnreadableFile(f"broken gzip file: {error}") from None


def _text_sample(path: Path, sample_size: int) -> tuple[str, bool]:
    """The start of a text file, and whether that is the whole file."""
    limit = sample_size * SAMPLE_BYTES_PER_RECORD
    head = _head(path, limit + 1)
    whole = len(head) <= limit
    text = _decode_head(head[:limit])
    if not whole:  # drop the last, probably cut, line
        text = text[: text.rfind("\n") + 1] if "\n" in text else text
    return text, whole


def _estimate(records_in_sample: int, sample_chars: int, whole: bool, size: int) -> tuple[int, bool]:
    if whole or sample_chars == 0:
        return records_in_sample, False
    return round(records_in_sample * size / sample_chars), True


def _csv_rows(text: str) -> list[list[str]]:
    """The sample's rows; a row the csv module refuses (a field over its size limit, say) is
    left out: one line says nothing reliable about the types, and the jobs quarantine it."""
    rows, reader = [], csv.reader(io.StringIO(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error:
            continue
        if any(cell.strip() for cell in row):
            rows.append(row)


def infer_csv(path: Path, sample_size: int) -> FileSchema:
    text, whole = _text_sample(path, sample_size)
    rows = _csv_rows(text)
    if not rows:
        raise UnreadableFile("empty file (no records)")
    header = _unique([normalize_name(cell, i) for i, cell in enumerate(rows[0])])
    fields: list[tuple[str, str | None]] = [(name, None) for name in header]
    for row in rows[1 : sample_size + 1]:
        if len(row) == len(header):  # a malformed row says nothing reliable about types
            fields = merge_fields(fields, list(zip(header, map(text_value_type, row), strict=True)))
    records, estimated = _estimate(len(rows) - 1, len(text), whole, path.stat().st_size)
    return FileSchema(path, "csv", tuple((n, t or "string") for n, t in fields), records, estimated)


def infer_json_lines(path: Path, sample_size: int) -> FileSchema:
    text, whole = _text_sample(path, sample_size)
    lines = [line for line in text.splitlines() if line.strip()]
    fields: list[tuple[str, str | None]] = []
    parsed = 0
    for line in lines[:sample_size]:
        try:
            record = json.loads(line)
            if isinstance(record, dict):
                kinds = [(normalize_name(k, i), json_value_type(v)) for i, (k, v) in enumerate(record.items())]
                fields, parsed = merge_fields(fields, kinds), parsed + 1
        except (ValueError, RecursionError):
            continue  # one bad (or absurdly deep) line does not make the file unreadable; silver quarantines it
    if not parsed:
        raise UnreadableFile("no JSON object in the sampled lines")
    records, estimated = _estimate(len(lines), len(text), whole, path.stat().st_size)
    return FileSchema(path, "json", tuple((n, t or "string") for n, t in fields), records, estimated)


def arrow_type(kind: pa.DataType) -> str:
    if pa.types.is_struct(kind):
        return struct_type((f.name, arrow_type(f.type)) for f in kind)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return f"array<{arrow_type(kind.value_type)}>"
    if pa.types.is_map(kind):
        return f"map<{arrow_type(kind.key_type)},{arrow_type(kind.item_type)}>"
    if pa.types.is_decimal(kind):
        return f"decimal({kind.precision},{kind.scale})"
    if pa.types.is_timestamp(kind):
        return "timestamp"
    simple = {
        pa.int8(): "tinyint",
        pa.int16(): "smallint",
        pa.int32(): "int",
        pa.int64(): "bigint",
        pa.float32(): "float",
        pa.float64(): "double",
        pa.bool_(): "boolean",
        pa.date32(): "date",
        pa.string(): "string",
        pa.large_string(): "string",
        pa.binary(): "binary",
    }
    return simple.get(kind, "string")


def infer_parquet(path: Path) -> FileSchema:
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # noqa: BLE001 - any decoder failure means the bytes are not Parquet
        raise UnreadableFile(f"broken Parquet file: {error}") from None
    schema = parquet.schema_arrow
    columns = tuple((normalize_name(f.name, i), arrow_type(f.type)) for i, f in enumerate(schema))
    return FileSchema(path, "parquet", columns, parquet.metadata.num_rows, False)


AVRO_PRIMITIVES = {
    "string": "string",
    "int": "int",
    "long": "bigint",
    "float": "float",
    "double": "double",
    "boolean": "boolean",
    "bytes": "binary",
    "null": "string",
}
AVRO_LOGICAL = {"date": "date", "timestamp-millis": "timestamp", "timestamp-micros": "timestamp"}


def avro_type(schema) -> str:
    """An Avro (parsed) schema as a Hive type; a nullable union is its non-null branch."""
    if isinstance(schema, list):
        branches = [s for s in schema if s != "null"]
        return avro_type(branches[0]) if len(branches) == 1 else "string"
    if isinstance(schema, str):
        return AVRO_PRIMITIVES.get(schema, "string")
    logical = schema.get("logicalType")
    if logical == "decimal":
        return f"decimal({schema['precision']},{schema.get('scale', 0)})"
    if logical in AVRO_LOGICAL:
        return AVRO_LOGICAL[logical]
    kind = schema["type"]
    if kind == "record":
        return struct_type((f["name"], avro_type(f["type"])) for f in schema["fields"])
    if kind == "array":
        return f"array<{avro_type(schema['items'])}>"
    if kind == "map":
        return f"map<string,{avro_type(schema['values'])}>"
    if kind in ("enum", "fixed"):
        return "string" if kind == "enum" else "binary"
    return avro_type(kind)


def infer_avro(path: Path) -> FileSchema:
    try:
        with path.open("rb") as handle:
            blocks = fastavro.block_reader(handle)
            schema = blocks.writer_schema
            records = sum(block.num_records for block in blocks)
    except Exception as error:  # noqa: BLE001 - any decoder failure means the bytes are not Avro
        raise UnreadableFile(f"broken Avro file: {error}") from None
    if schema.get("type") != "record":
        raise UnreadableFile("Avro file whose records are not records")
    columns = tuple((normalize_name(f["name"], i), avro_type(f["type"])) for i, f in enumerate(schema["fields"]))
    return FileSchema(path, "avro", columns, records, False)


def infer_file(path: Path, sample_size: int = DEFAULT_SAMPLE_SIZE) -> FileSchema:
    """Detect the file's format by content and infer its schema; raises UnreadableFile."""
    head = _head(path, SAMPLE_BYTES_PER_RECORD)
    if not head:
        raise UnreadableFile("empty file (0 bytes)")
    classification = detect_format(head)
    if classification == "parquet":
        return infer_parquet(path)
    if classification == "avro":
        return infer_avro(path)
    if classification == "json":
        return infer_json_lines(path, sample_size)
    return infer_csv(path, sample_size)
