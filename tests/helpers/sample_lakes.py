"""Sample lakes for the end-to-end tests: the generator's settings, lakes landed day by day,
and records counted without Spark."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import fastavro
import pyarrow.parquet as pq

from local.sample.generator import GeneratorSettings, write_sample_lake
from tests.helpers.spark import forget_catalog

# Spans a month end, and lands every kind of mess (checked in test_every_kind_of_mess...).
SETTINGS = GeneratorSettings(orders=150, days=3, seed=1, start=dt.date(2026, 1, 31))


def records_in_file(path: Path) -> int:
    """Counted without Spark: data lines of text files, rows of Parquet and Avro files."""
    if path.suffix == ".parquet":
        return pq.read_metadata(path).num_rows
    if path.suffix == ".avro":
        return sum(1 for _ in fastavro.reader(io.BytesIO(path.read_bytes())))
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    return len(lines) - 1 if path.suffix == ".csv" else len(lines)


def land_day(staging: Path, bronze: Path, day: str) -> list[str]:
    """Copy one ingest day's files of every dataset from staging into the lake's bronze."""
    copied = []
    for folder in sorted(staging.glob(f"*/*/ingest_date={day}")):
        target = bronze / folder.relative_to(staging)
        shutil.copytree(folder, target)
        copied += [str(p.relative_to(bronze)) for p in target.iterdir()]
    return copied


def staged_lake(spark, tmp_path_factory, settings, name: str) -> tuple[Path, Path, dict, list[str]]:
    """Sample data landed in a staging bronze (to be copied in day by day), an empty lake with
    an empty catalog, the ground truth and the ingest days."""
    staging = tmp_path_factory.mktemp(f"{name}-staging") / "bronze"
    truth = write_sample_lake(staging, staging.parent / "truth", settings)
    root = tmp_path_factory.mktemp(name) / "lake"
    forget_catalog(spark)
    days = sorted({p.name.split("=", 1)[1] for p in staging.glob("*/*/ingest_date=*")})
    return staging, root, truth, days
