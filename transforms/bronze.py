"""Bronze record readers' second half: raw text in, one row per record with its lineage."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from transforms.columns import csv_field_count


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
    """Split `raw_record` into text columns named `columns` plus `field_count`."""
    text_schema = ", ".join(f"`{c}` STRING" for c in columns)
    parsed = F.from_csv(F.col("raw_record"), text_schema, {"sep": delimiter, "mode": "PERMISSIVE"})
    return lines.withColumn("_fields", parsed).select(
        *lines.columns,
        csv_field_count(F.col("raw_record"), delimiter).alias("field_count"),
        *[F.col(f"_fields.{c}").alias(c) for c in columns],
    )


def with_file_lineage(files: DataFrame, source_prefix: str) -> DataFrame:
    """(path, value) -> (source_file relative to the bronze root, ingest_date from the folder, value)."""
    path = F.col("path")
    return files.select(
        F.regexp_extract(path, rf"({source_prefix}/.*)$", 1).alias("source_file"),
        F.to_date(F.regexp_extract(path, r"ingest_date=(\d{4}-\d{2}-\d{2})", 1)).alias("ingest_date"),
        "value",
    )


def read_text_lines(files: DataFrame, source_prefix: str) -> DataFrame:
    """Whole-file text rows -> one row per record line with its lineage."""
    return files.transform(with_file_lineage, source_prefix).transform(explode_lines)
