"""Text files (CSV, JSON lines) read in splits across tasks, every line keeping its exact
line number.

Spark reads a text file in splits of at most `spark.sql.files.maxPartitionBytes`, so a file
of any size is read in parallel (a whole-file read stops at 2 GB, and is one task however
large the file). A split does not know how many lines came before it. So a first pass counts
each split's lines (a scan that keeps nothing but the counts and each split's first non-blank
line), and the second numbers every line from its split's start. The row ids of
`monotonically_increasing_id` are consecutive within a partition, and both passes plan the
same partitions over the same files, so a line's id minus its split's first id is its place
in the split.

Lines end at LF, CRLF or a lone CR (Hadoop's line reader); a UTF-8 byte order mark at the
start of a file is dropped. gzip files are decompressed (one split each: gzip cannot be
split). A file whose bytes cannot be read (a broken gzip stream) is left out and returned
with its error, so that it can be quarantined whole while the others are read.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, dataclass
from itertools import groupby
from operator import attrgetter

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from transforms.bronze import decoded_path, is_blank

log = logging.getLogger("sales_data_lake")

# A split: its file as Spark names it (a URI) and its first byte. Lines join their split's
# numbering on these, so a line carries nothing computed from its path.
SPLIT = ["file_uri", "split_start"]
NUMBERING_SCHEMA = "file_uri string, split_start long, path string, shift long, header_line int, header_text string"


@dataclass(frozen=True)
class SplitCount:
    """What the first pass learns of one split: its lines' row ids start at `first_row`; of its
    `rows` lines, the first non-blank one has id `first_text_row` and reads `first_text`."""

    file_uri: str  # as Spark names the file
    path: str  # as the file system does
    start: int
    first_row: int
    rows: int
    first_text_row: int | None
    first_text: str | None


@dataclass(frozen=True)
class SplitNumbering:
    """A line of this split is line `row_id + shift` of its file; the file's first non-blank
    line (its CSV header) is line `header_line` and reads `header_text`."""

    file_uri: str
    start: int
    path: str
    shift: int
    header_line: int | None
    header_text: str | None


@dataclass(frozen=True)
class TextFiles:
    """The non-blank lines of the files read, numbered: each with its file's columns (path,
    header_line, header_text, or what `per_file` makes of them), source_line and raw_record;
    each file's first non-blank line; the splits each file was read in; and the files that
    could not be read, with their errors."""

    lines: DataFrame
    first_lines: dict[str, str]
    splits: dict[str, int]
    unreadable: list[tuple[str, Exception]]


def number_splits(counts: list[SplitCount]) -> list[SplitNumbering]:
    """Line numbering of every split from the counts of the splits before it in its file."""
    numbering = []
    for _, in_file in groupby(sorted(counts, key=attrgetter("file_uri", "start")), key=attrgetter("file_uri")):
        splits = list(in_file)
        shifts, lines_before = [], 0
        for split in splits:
            shifts.append(lines_before + 1 - split.first_row)
            lines_before += split.rows
        header_line, header_text = next(
            (
                (split.first_text_row + shift, split.first_text)
                for split, shift in zip(splits, shifts, strict=True)
                if split.first_text_row is not None
            ),
            (None, None),
        )
        numbering += [
            SplitNumbering(split.file_uri, split.start, split.path, shift, header_line, header_text)
            for split, shift in zip(splits, shifts, strict=True)
        ]
    return numbering


def _as_read(files: DataFrame) -> DataFrame:
    return files


def read_text_files(
    spark: SparkSession, uris: list[str], per_file: Callable[[DataFrame], DataFrame] = _as_read
) -> TextFiles:
    """The files' non-blank lines, each with its file's path and line number (see the module).

    `per_file` adds columns to a file's path, header_line and header_text for its lines to
    carry: computed once per split (a few rows per file), not once per line.
    """
    counts, unreadable = count_splits_per_file(spark, uris)
    failed = {uri for uri, _ in unreadable}
    readable = [uri for uri in uris if uri not in failed]
    numbering = number_splits(counts)
    splits = per_file(spark.createDataFrame([astuple(n) for n in numbering], NUMBERING_SCHEMA))
    file_columns = [c for c in splits.columns if c not in (*SPLIT, "shift")]
    if not readable or not numbering:
        nothing = [F.lit(None).cast("int").alias("source_line"), F.lit(None).cast("string").alias("raw_record")]
        return TextFiles(splits.select(*file_columns, *nothing), {}, {}, unreadable)
    lines = _numbered_rows(spark, readable).where(~is_blank(F.col("value"))).join(F.broadcast(splits), SPLIT)
    numbered = lines.select(
        *file_columns,
        (F.col("row_id") + F.col("shift")).cast("int").alias("source_line"),
        F.col("value").alias("raw_record"),
    )
    first_lines = {n.path: n.header_text for n in numbering if n.header_text is not None}
    return TextFiles(numbered, first_lines, dict(Counter(n.path for n in numbering)), unreadable)


def count_splits_per_file(spark: SparkSession, uris: list[str]) -> tuple[list[SplitCount], list[tuple[str, Exception]]]:
    """The first pass over all files at once; when it fails, each file on its own to find the
    ones that cannot be read, then once more over the others (row ids depend on the files)."""
    if not uris:
        return [], []
    try:
        return count_splits(spark, uris), []
    except Exception as error:  # noqa: BLE001 - any failure sends us file by file
        log.warning("%d text file(s) cannot be read together (%s); trying them one by one", len(uris), error)
    unreadable = []
    for uri in uris:
        try:
            count_splits(spark, [uri])
        except Exception as error:  # noqa: BLE001 - whatever the reader says, the file is unreadable
            unreadable.append((uri, error))
    readable = [uri for uri in uris if uri not in {u for u, _ in unreadable}]
    return (count_splits(spark, readable) if readable else []), unreadable


def count_splits(spark: SparkSession, uris: list[str]) -> list[SplitCount]:
    text_row = F.when(~is_blank(F.col("value")), F.col("row_id"))
    counted = (
        _numbered_rows(spark, uris)
        .groupBy(*SPLIT)
        .agg(
            F.min("row_id").alias("first_row"),
            F.count(F.lit(1)).alias("rows"),
            F.min(text_row).alias("first_text_row"),
            F.min_by("value", text_row).alias("first_text"),
        )
    )
    named = counted.select(
        "file_uri", decoded_path(F.col("file_uri")).alias("path"), *[c for c in counted.columns if c != "file_uri"]
    )
    return [SplitCount(*row) for row in named.collect()]


def _numbered_rows(spark: SparkSession, uris: list[str]) -> DataFrame:
    """Every line (blank ones too: they count) with its file, split and row id."""
    return spark.read.text(uris).select(
        F.col("_metadata.file_path").alias("file_uri"),
        F.col("_metadata.file_block_start").alias("split_start"),
        F.monotonically_increasing_id().alias("row_id"),
        "value",
    )
