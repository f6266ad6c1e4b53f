"""Reading bronze: a source's landed files as records, each with its file and line.

One file that cannot be read never stops the others: text is read in splits with a per-file
fallback (`text_files`), Parquet together and then file by file, Avro file by file. A file
that cannot be read at all becomes one record that the record rules quarantine whole as
UNREADABLE_FILE; the run record names it.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from dataclasses import replace

import fastavro
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from jobs.runtime.config import LakeConfig
from jobs.runtime.inputs import Inputs
from jobs.runtime.materialize import checkpointed
from jobs.runtime.run_record import RunRecord
from jobs.runtime.storage import list_files, read_bytes
from jobs.runtime.text_files import TextFiles, read_text_files
from transforms.bronze import (
    CSV_DELIMITER,
    header_drift,
    read_file_path,
    read_record_rows,
    record_lines,
    text_file_columns,
)
from transforms.contract_types import BronzeSource
from transforms.frames import UNREADABLE_LINE, union_all

log = logging.getLogger("sales_data_lake")

LINES_SCHEMA = "source_file string, source_line int, ingest_date date, raw_record string"
CSV_LINES_SCHEMA = LINES_SCHEMA + ", header_line int, header_width int, header_matches int, header_positions array<int>"
RECORD_ROWS_SCHEMA = "path string, source_line int, raw_record string"
UNREADABLE_ROWS_SCHEMA = RECORD_ROWS_SCHEMA + ", header_line int, header_text string"


def text_records(
    spark: SparkSession, uris: list[str], source_prefix: str, csv_columns: tuple[str, ...] | None = None
) -> TextFiles:
    """Text files' lines as records with their lineage (and, for a CSV source's declared
    `csv_columns`, their file's header layout); what each line takes from its file is computed
    once per file."""
    text = read_text_files(spark, uris, lambda files: text_file_columns(files, source_prefix, csv_columns))
    return replace(text, lines=record_lines(text.lines, csv=csv_columns is not None))


# Avro records as JSON text, as Parquet rows are (`to_json`); whatever JSON cannot spell is a string.
_RECORD_AS_JSON = json.JSONEncoder(default=str).encode


def avro_records(spark: SparkSession, uri: str) -> list[str]:
    """Every record of an Avro file as JSON, in file order, read with fastavro on the driver:
    the same reader locally and on Glue (the pyspark wheel has no spark-avro, and Glue
    documents only its DynamicFrame reader for Avro)."""
    data = read_bytes(spark, uri)
    if data is None:
        raise FileNotFoundError(uri)
    return [_RECORD_AS_JSON(record) for record in fastavro.reader(io.BytesIO(data))]


def first_line(error: Exception) -> str:
    """What an error says, in one line (readers put stack traces after the first)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:500]


class BronzeReader:
    def __init__(self, spark: SparkSession, config: LakeConfig, run: RunRecord, inputs: Inputs):
        self.spark, self.config, self.run, self.inputs = spark, config, run, inputs
        self.sources_read: dict[str, BronzeSource] = {}  # bronze URI -> landed dataset (lineage)

    def read(self, source: BronzeSource) -> DataFrame:
        """The source's new files as records: (source_file, source_line, ingest_date, raw_record).

        Text formats give one record per non-blank line (its line number); Parquet and Avro one
        per row (its 1-based position in the file), with the row as JSON text.
        """
        self.sources_read[self.config.source_uri(source)] = source
        landed = list_files(self.spark, self.config.source_uri(source))
        files = self.inputs.select(source.prefix, landed)
        log.info("[%s] %s: %d of %d landed file(s) to read", self.run.job, source.prefix, len(files), len(landed))
        return self._records(source, [f.uri for f in files])

    def reread(self, source: BronzeSource, source_files: list[str]) -> DataFrame:
        """Records of files read before (`source_file` paths, relative to bronze), read again so
        they are cleaned once more against what changed since; each replaces its earlier row.
        The bookmark is not involved; the run record lists them under `rereads`."""
        uris = [f"{self.config.bronze_uri}/{path}" for path in source_files]
        self.run.rereads[source.prefix] = uris
        if uris:
            log.info("[%s] %s: %d file(s) to read again", self.run.job, source.prefix, len(uris))
        return self._records(source, uris)

    def _records(self, source: BronzeSource, uris: list[str]) -> DataFrame:
        if not uris:
            return self.spark.createDataFrame([], CSV_LINES_SCHEMA if source.file_format == "csv" else LINES_SCHEMA)
        if source.file_format in ("csv", "jsonl"):
            return self._text_records(source, uris)
        if source.file_format == "parquet":
            return read_record_rows(self.records_of_files(uris, self._parquet_files_records), source.prefix)
        if source.file_format == "avro":
            return read_record_rows(self._avro_records(uris), source.prefix)
        raise ValueError(f"{source.prefix}: no reader for format {source.file_format!r}")

    def _text_records(self, source: BronzeSource, uris: list[str]) -> DataFrame:
        """Lines in splits (any file size, exact line numbers); a file whose bytes cannot be
        read becomes its one UNREADABLE_FILE record, with no header."""
        csv = source.file_format == "csv"
        csv_columns = source.columns if csv else None
        text = text_records(self.spark, uris, source.prefix, csv_columns)
        self.run.split_files.update({path: n for path, n in text.splits.items() if n > 1})
        if csv:
            self._record_header_drift(source, text.first_lines)
        if not text.unreadable:
            return text.lines
        rows = [(*record, None, None) for record in self._unreadable_records(text.unreadable)]
        unreadable = self.spark.createDataFrame(rows, UNREADABLE_ROWS_SCHEMA)
        return text.lines.unionByName(record_lines(text_file_columns(unreadable, source.prefix, csv_columns), csv))

    def _record_header_drift(self, source: BronzeSource, headers: dict[str, str]) -> None:
        """Keep, per CSV file, how its header (first non-blank line) differs from the source's
        declared columns: the records are read by name either way; the report says what was
        ignored or missing."""
        for path, header in headers.items():
            drift = header_drift(header, source.columns, CSV_DELIMITER)
            if drift:
                self.run.csv_drift[path] = drift

    def _parquet_files_records(self, uris: list[str]) -> DataFrame:
        # Reads every footer now (a broken file fails here); files of other columns merge,
        # and to_json leaves out the nulls a file gets for columns it does not have.
        rows = self.spark.read.option("mergeSchema", "true").parquet(*uris)
        return rows.select(
            read_file_path().alias("path"),
            (F.col("_metadata.row_index") + 1).cast("int").alias("source_line"),
            F.to_json(F.struct(*[F.col(f"`{c}`") for c in rows.columns])).alias("raw_record"),
        )

    def records_of_files(self, uris: list[str], read_files: Callable[[list[str]], DataFrame]) -> DataFrame:
        """All files in one read; when that read fails, each file on its own, so that one file
        with broken bytes or clashing columns cannot stop the others."""
        try:
            return read_files(uris)
        except Exception as error:  # noqa: BLE001 - any failure sends us file by file
            log.warning(
                "[%s] %d file(s) cannot be read together (%s); reading them one by one",
                self.run.job,
                len(uris),
                first_line(error),
            )
        frames, failures = [], []
        for uri in uris:
            try:
                frames.append(read_files([uri]))
            except Exception as error:  # noqa: BLE001 - whatever the reader says, the file is unreadable
                failures.append((uri, error))
        frames.append(self.spark.createDataFrame(self._unreadable_records(failures), RECORD_ROWS_SCHEMA))
        return union_all(frames)

    def _avro_records(self, uris: list[str]) -> DataFrame:
        """Every file's records in one frame, each file read on its own."""
        read: list[tuple[str, list[str]]] = []
        failures = []
        for uri in uris:
            try:
                read.append((uri, avro_records(self.spark, uri)))
            except Exception as error:  # noqa: BLE001 - whatever fastavro says, the file is unreadable
                failures.append((uri, error))
        unreadable = self._unreadable_records(failures)
        if not read and not unreadable:
            return self.spark.createDataFrame([], RECORD_ROWS_SCHEMA)
        # Handed over as Arrow columns, one array each: several times faster than Python rows. (A
        # chunk per file made a partition per file, and PySpark 4.1.1 drops every row after an
        # empty chunk.) An Arrow table becomes a LocalRelation, and Spark's optimizer
        # (ConvertToLocalRelation) would run each plan over it on the driver, the whole cleaning
        # interpreted, once per plan: checkpointed, the records are scanned like any file's.
        paths: list[str] = []
        lines: list[int] = []
        texts: list[str] = []
        for uri, records in read:
            paths += [uri] * len(records)
            lines += range(1, len(records) + 1)
            texts += records
        for uri, line, text in unreadable:
            paths.append(uri)
            lines.append(line)
            texts.append(text)
        table = pa.table(
            {
                "path": pa.array(paths, pa.string()),
                "source_line": pa.array(lines, pa.int32()),
                "raw_record": pa.array(texts, pa.string()),
            }
        )
        return checkpointed(self.spark.createDataFrame(table))

    def _unreadable_records(self, failures: list[tuple[str, Exception]]) -> list[tuple[str, int, str]]:
        """The one record standing for each file that could not be read, logged and kept in the run record."""
        records = []
        for uri, error in failures:
            reason = first_line(error)
            log.warning("[%s] %s cannot be read, quarantined whole: %s", self.run.job, uri, reason)
            records.append((uri, UNREADABLE_LINE, f"unreadable file: {reason}"))
        self.run.unreadable_files += [uri for uri, _ in failures]
        return records
