"""Records counted without Spark, the way a person would count them, to check the lake's
readers against: text lines as an editor numbers them, Parquet and Avro rows by their own
libraries."""

from __future__ import annotations

import gzip
import io
import re

import fastavro
import pyarrow.parquet as pq


def editor_line_numbers(data: bytes) -> dict[int, str]:
    """Line number -> text of the non-blank lines: lines end at LF, CRLF or a lone CR; a byte
    order mark at the start is not text; spaces alone are blank."""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)
    return {n: line for n, line in enumerate(lines, 1) if line.strip(" ")}


def names_the_columns(line: str, columns: tuple[str, ...]) -> bool:
    """A CSV file's first line is its header when it names at least half of the columns
    (in any order, case, quoting or padding)."""
    named = {field.strip(' "').lower() for field in line.split(",")}
    return 2 * len(named & set(columns)) >= len(columns)


def landed_records(name: str, data: bytes, file_format: str, columns: tuple[str, ...] = ()) -> int:
    """How many records a landed file holds (a file that cannot be read: one, itself);
    `columns`, a CSV source's declared columns, tell its header from a record."""
    try:
        if name.endswith(".gz"):
            return landed_records(name.removesuffix(".gz"), gzip.decompress(data), file_format, columns)
        if file_format == "parquet":
            return pq.read_metadata(io.BytesIO(data)).num_rows
        if file_format == "avro":
            return sum(1 for _ in fastavro.reader(io.BytesIO(data)))
    except Exception:  # noqa: BLE001 - unreadable, whatever the library says
        return 1
    lines = list(editor_line_numbers(data).values())
    has_header = file_format == "csv" and bool(lines) and names_the_columns(lines[0], columns)
    return len(lines) - has_header
