"""Bronze record readers' second half: raw text in, one row per record with its lineage."""

from __future__ import annotations

import re

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructType

from transforms.columns import any_of, csv_field_count


def explode_lines(files: DataFrame) -> DataFrame:
    """(source_file, ingest_date, value=whole file text) -> one row per non-blank line.

    `source_line` is the 1-based line number in the file, so a rejected record can be found
    with any text editor.
    """
    lines = files.select(
        "source_file",
        "ingest_date",
        F.posexplode(F.split(F.col("value"), r"\r?\n", -1)).alias("pos", "raw_record"),
    )
    return lines.where(F.trim("raw_record") != "").select(
        "source_file",
        (F.col("pos") + 1).cast("int").alias("source_line"),
        "ingest_date",
        F.regexp_replace("raw_record", "^\ufeff", "").alias("raw_record"),
    )


def drop_header(lines: DataFrame) -> DataFrame:
    """Drop each file's first line (the CSV header)."""
    return lines.where(F.col("source_line") > 1)


def with_csv_fields(lines: DataFrame, columns: tuple[str, ...], delimiter: str = ",") -> DataFrame:
    """Split `raw_record` into text columns named `columns` plus `field_count`.

    Missing fields are null, surplus ones dropped, empty ones null, as Spark's CSV parser
    reads them. A line without quotes is split on the delimiter, which gives the same fields
    at a fraction of the parser's cost; the parser reads only lines with quotes.
    """
    raw = F.col("raw_record")
    text_schema = ", ".join(f"`{c}` STRING" for c in columns)
    quoted = F.from_csv(raw, text_schema, {"sep": delimiter, "mode": "PERMISSIVE"})
    # The split is its own column: Spark would split once per field inside a CASE branch.
    split = lines.withColumn("_parts", F.when(~raw.contains('"'), F.split(raw, re.escape(delimiter), -1)))
    parts = F.col("_parts")
    plain = F.struct(*[F.nullif(F.get(parts, i), F.lit("")).alias(c) for i, c in enumerate(columns)])
    return split.withColumn("_fields", F.when(parts.isNull(), quoted).otherwise(plain)).select(
        *lines.columns,
        csv_field_count(raw, delimiter).alias("field_count"),
        *[F.col(f"_fields.{c}").alias(c) for c in columns],
    )


def with_file_lineage(files: DataFrame, source_prefix: str) -> DataFrame:
    """`path` -> source_file (relative to the bronze root) and ingest_date (from the folder name)."""
    path = F.col("path")
    return files.select(
        F.regexp_extract(path, rf"({source_prefix}/.*)$", 1).alias("source_file"),
        F.to_date(F.regexp_extract(path, r"ingest_date=(\d{4}-\d{2}-\d{2})", 1)).alias("ingest_date"),
        *[c for c in files.columns if c != "path"],
    )


def read_text_lines(files: DataFrame, source_prefix: str) -> DataFrame:
    """Whole-file text rows (path, value) -> one row per record line with its lineage."""
    return files.transform(with_file_lineage, source_prefix).transform(explode_lines)


def read_record_rows(records: DataFrame, source_prefix: str) -> DataFrame:
    """Rows of a binary format (path, source_line, raw_record as JSON) -> the same lineage shape."""
    return records.transform(with_file_lineage, source_prefix).select(
        "source_file", F.col("source_line").cast("int").alias("source_line"), "ingest_date", "raw_record"
    )


def with_json_fields(lines: DataFrame, schema_ddl: str) -> DataFrame:
    """Parse `raw_record` as one JSON object into top-level columns; `is_json` says whether it
    was, `has_wrong_types` whether a field declared as text holds something else (Spark would
    quietly turn `["C3"]` or `42` into the text `'["C3"]'` or `'42'`)."""
    variant = F.try_parse_json("raw_record")
    is_object = F.coalesce(variant.isNotNull() & F.trim("raw_record").startswith("{"), F.lit(False))
    parsed = F.when(is_object, F.from_json("raw_record", schema_ddl, {"mode": "PERMISSIVE"}))
    text_fields = [f.name for f in StructType.fromDDL(schema_ddl).fields if isinstance(f.dataType, StringType)]
    json_kind = [
        F.coalesce(F.schema_of_variant(F.variant_get(variant, f"$.{n}", "variant")), F.lit("VOID")) for n in text_fields
    ]
    wrong = F.coalesce(is_object & any_of(~kind.isin("STRING", "VOID") for kind in json_kind), F.lit(False))
    return lines.withColumn("_record", parsed).select(
        *lines.columns, is_object.alias("is_json"), wrong.alias("has_wrong_types"), "_record.*"
    )
