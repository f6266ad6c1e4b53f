"""Bronze record readers' second half: raw text in, one row per record with its lineage."""

from __future__ import annotations

import json
import re

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructType

from transforms.columns import any_of, csv_field_count

CSV_DELIMITER = ","
# What a CSV line takes from its file's header (its first non-blank line), for the source's
# declared columns: the header's line number, how many fields it has, how many of the columns
# it names, and each column's 1-based place in it (0 when it lacks the column). The reader
# works them out once per file (`header_layout`), not once per line: a line only looks them up.
HEADER_COLUMNS = ("header_line", "header_width", "header_matches", "header_positions")
# The widest CSV record whose fields can be picked by the header's positions (wider ones are
# WRONG_FIELD_COUNT unless their header is as wide: then the fields past it are ignored).
MAX_CSV_FIELDS = 128


def read_file_path() -> Column:
    """The path of the file a row was read from, as the file system names it."""
    return decoded_path(F.col("_metadata.file_path"))


def decoded_path(file_uri: Column) -> Column:
    """A file's path from the URI Spark names it by (`orders%20M%C3%A4rz.csv`): the lineage must
    be the name a person finds the file by. (`+` is kept: URL decoding would make it a space.)"""
    return F.url_decode(F.replace(file_uri, F.lit("+"), F.lit("%2B")))


def is_blank(line: Column) -> Column:
    """A line of nothing but spaces is no record (and no header)."""
    return F.trim(line) == ""


def text_file_columns(files: DataFrame, source_prefix: str, csv_columns: tuple[str, ...] | None = None) -> DataFrame:
    """A text file's own columns, from its path, header_line and header_text (see
    jobs.runtime.text_files): its lineage and, for a CSV source (`csv_columns`, its declared
    columns), its header's layout (HEADER_COLUMNS). The reader computes them once per file,
    and each line gets them by a join."""
    files = files.withColumns(file_lineage(F.col("path"), source_prefix))
    if csv_columns is None:
        return files
    return files.withColumns(header_layout(_no_bom(F.col("header_text")), csv_columns))


def record_lines(lines: DataFrame, csv: bool = False) -> DataFrame:
    """Numbered lines with their file's columns (`text_file_columns`) -> the record lines' shape."""
    return lines.select(
        "source_file",
        "source_line",
        "ingest_date",
        _no_bom(F.col("raw_record")).alias("raw_record"),
        *(HEADER_COLUMNS if csv else ()),
    )


def _no_bom(text: Column) -> Column:
    return F.regexp_replace(text, "^\ufeff", "")


# What is not part of a header field's name: surrounding blanks and quotes.
NAME_PADDING = r'^[\s"]+|[\s"]+$'


def header_names(header: Column, delimiter: str) -> Column:
    """A header line's fields as names: trimmed, unquoted, lower case."""
    fields = F.split(header, re.escape(delimiter), -1)
    return F.transform(fields, lambda f: F.lower(F.regexp_replace(f, NAME_PADDING, "")))


def header_layout(header: Column, columns: tuple[str, ...], delimiter: str = CSV_DELIMITER) -> dict[str, Column]:
    """A CSV header line read for `columns` (HEADER_COLUMNS but its line number): null for a
    file without one. Meant for a file, not a line: when each line compared every name of its
    header with every column, that was over a quarter of parsing 5M order lines."""
    names = header_names(header, delimiter)
    wanted = F.array(*[F.lit(c) for c in columns])
    return {
        "header_width": F.size(names),
        "header_matches": F.size(F.array_intersect(names, wanted)),
        "header_positions": F.array(*[F.array_position(names, c) for c in columns]),
    }


def recognises_header(found: Column, columns: tuple[str, ...]) -> Column:
    """A first line is the header when it names at least half of the declared columns (see
    `header_drift` for the same rule on one header in Python)."""
    return found * 2 >= len(columns)


def header_drift(header: str, columns: tuple[str, ...], delimiter: str = CSV_DELIMITER) -> dict[str, list[str]]:
    """How a file's header line differs from the declared columns, for the run report (the
    same reading of names as `header_names`): columns it adds (ignored), columns it lacks
    (its records are MISSING_COLUMNS), or no recognisable header at all."""
    names = [re.sub(NAME_PADDING, "", field).lower() for field in header.lstrip("\ufeff").split(delimiter)]
    if 2 * len(set(names) & set(columns)) < len(columns):
        return {"no_header": [header[:200]]}
    # An unnamed column (a delimiter after the last field, as ERPs write) is no drift.
    drift = {"extra": [n for n in names if n and n not in columns], "missing": [c for c in columns if c not in names]}
    return {kind: found for kind, found in drift.items() if found}


def csv_records(lines: DataFrame, columns: tuple[str, ...], delimiter: str = CSV_DELIMITER) -> DataFrame:
    """CSV lines (with their file's HEADER_COLUMNS laid out for `columns`, see `header_layout`)
    -> one row per record: text columns named `columns`, taken by the file's header names (any
    order; extra columns ignored), plus what the reason rules need: `header_found` (the first
    line names at least half of `columns`), `missing_columns` (of `columns`, how many the
    header lacks), `header_width` and `field_count`.

    A recognised header line is dropped; without one, every line is a record (and is
    quarantined as MISSING_HEADER: nothing is dropped or read into the wrong column). Missing
    fields are null, empty ones null, as Spark's CSV parser reads them. A line without quotes
    is split on the delimiter, which gives the same fields at a fraction of the parser's
    cost; the parser reads only lines with quotes.
    """
    found = F.col("header_matches")
    with_header = lines.withColumns(
        {
            "header_found": F.coalesce(recognises_header(found, columns), F.lit(False)),
            "missing_columns": F.lit(len(columns)) - F.coalesce(found, F.lit(0)),
        }
    )
    records = with_header.where(~(F.col("header_found") & (F.col("source_line") == F.col("header_line"))))
    raw = F.col("raw_record")
    generic = ", ".join(f"_c{i} STRING" for i in range(MAX_CSV_FIELDS))
    # The parse and the split are columns of their own: inside a CASE branch Spark would
    # parse or split once per field. The field count reads the split too.
    quoted = records.withColumn(
        "_parsed", F.when(raw.contains('"'), F.from_csv(raw, generic, {"sep": delimiter, "mode": "PERMISSIVE"}))
    )
    split = quoted.withColumn(
        "_parts",
        F.when(F.col("_parsed").isNull(), F.split(raw, re.escape(delimiter), -1)).otherwise(
            F.array(*[F.col(f"_parsed._c{i}") for i in range(MAX_CSV_FIELDS)])
        ),
    )
    kept = [c for c in lines.columns if c not in HEADER_COLUMNS]
    place = F.col("header_positions")  # 1-based; 0 when absent
    return split.select(
        *kept,
        "header_found",
        "missing_columns",
        "header_width",
        csv_field_count(raw, delimiter, split_line=F.col("_parts")).alias("field_count"),
        *[F.nullif(F.get("_parts", F.get(place, i) - 1), F.lit("")).alias(c) for i, c in enumerate(columns)],
    )


def csv_reject_rules() -> list[tuple[str, Column]]:
    """What is wrong with a CSV record as its file presents it, before the dataset's rules."""
    c = F.col
    return [
        ("MISSING_HEADER", ~c("header_found")),
        ("MISSING_COLUMNS", c("missing_columns") > 0),
        ("WRONG_FIELD_COUNT", c("field_count") != c("header_width")),
    ]


def file_lineage(path: Column, source_prefix: str) -> dict[str, Column]:
    """A file's path -> source_file (relative to the bronze root) and ingest_date (from the folder name)."""
    return {
        "source_file": F.regexp_extract(path, rf"({source_prefix}/.*)$", 1),
        "ingest_date": F.to_date(F.regexp_extract(path, r"ingest_date=(\d{4}-\d{2}-\d{2})", 1)),
    }


def read_record_rows(records: DataFrame, source_prefix: str) -> DataFrame:
    """Rows of a binary format (path, source_line, raw_record as JSON) -> the same lineage shape."""
    return records.withColumns(file_lineage(F.col("path"), source_prefix)).select(
        "source_file", F.col("source_line").cast("int").alias("source_line"), "ingest_date", "raw_record"
    )


END_MARK = "\u0000end of the record"


def with_json_fields(lines: DataFrame, schema_ddl: str) -> DataFrame:
    """Parse `raw_record` as one JSON object into top-level columns; `is_json` says whether it
    was, `has_wrong_types` whether a field declared as text holds something else (Spark would
    quietly turn `["C3"]` or `42` into the text `'["C3"]'` or `'42'`)."""
    # Spark's JSON parsers stop after the first value and ignore what follows, so
    # `{"a": 1}{"a": 2}` or `{"a": 1} junk` would pass for one object. Parsed as the first
    # element of an array whose second element is an end mark no record holds, a line is one
    # object only when the parser reaches the mark right after it.
    wrapped = F.try_parse_json(F.concat(F.lit("["), F.col("raw_record"), F.lit(f"\n,{json.dumps(END_MARK)}]")))
    variant = F.variant_get(wrapped, "$[0]", "variant")
    ends_at_mark = (F.variant_get(wrapped, "$[1]", "string") == END_MARK) & F.variant_get(
        wrapped, "$[2]", "variant"
    ).isNull()
    is_object = F.coalesce(ends_at_mark & F.trim("raw_record").startswith("{"), F.lit(False))
    parsed = F.when(is_object, F.from_json("raw_record", schema_ddl, {"mode": "PERMISSIVE"}))
    record_type = StructType.fromDDL(schema_ddl)
    assert isinstance(record_type, StructType)  # a DDL field list is a struct
    text_fields = [f.name for f in record_type.fields if isinstance(f.dataType, StringType)]
    json_kind = [
        F.coalesce(F.schema_of_variant(F.variant_get(variant, f"$.{n}", "variant")), F.lit("VOID")) for n in text_fields
    ]
    wrong = F.coalesce(is_object & any_of(~kind.isin("STRING", "VOID") for kind in json_kind), F.lit(False))
    return lines.withColumn("_record", parsed).select(
        *lines.columns, is_object.alias("is_json"), wrong.alias("has_wrong_types"), "_record.*"
    )
