"""Helpers for tests on the shared SparkSession."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from jobs.runtime.config import LakeConfig
from jobs.runtime.context import new_run_id
from jobs.runtime.run_record import RunRecord
from jobs.runtime.tables import Tables
from transforms.bronze import header_layout


def forget_catalog(spark) -> None:
    """Drop every database but `default`: the suite shares one metastore, while a new lake
    starts with an empty catalog (a lake's catalog pointing into another lake is an error)."""
    for database in spark.catalog.listDatabases():
        if database.name != "default":
            spark.sql(f"DROP DATABASE IF EXISTS {database.name} CASCADE")


def with_csv_header(lines: DataFrame, columns: tuple[str, ...]) -> DataFrame:
    """CSV lines as the reader gives them for a source of `columns`: each with its file's first
    line laid out as their header."""
    first = lines.groupBy("source_file").agg(
        F.min_by("raw_record", "source_line").alias("_header"), F.min("source_line").alias("header_line")
    )
    laid_out = first.withColumns(header_layout(F.col("_header"), columns)).drop("_header")
    return lines.join(laid_out, "source_file")


@contextmanager
def spark_settings(spark, values: dict[str, str]) -> Iterator[None]:
    """Session settings changed for the block (collect inside it: plans read them when run)."""
    before = {key: spark.conf.get(key, None) for key in values}
    for key, value in values.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            spark.conf.unset(key) if value is None else spark.conf.set(key, value)


def lake_tables(spark, config: LakeConfig, job: str = "test") -> Tables:
    """A lake's tables as a job's `ctx.tables` has them, without a run lock or bookmarks."""
    return Tables(spark, config, RunRecord(job, new_run_id(), "", config.job_bookmark_option))
