"""A table whose contract changed its partition columns (quarantine: from the day to the month
a record landed) is rewritten in the new layout on its next write, every row kept, and a run
that stops halfway through the change leaves it for the next run to finish."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from jobs.runtime import failpoints
from jobs.runtime.catalog import registered_partition_columns, registered_partitions
from jobs.runtime.tables import RELAYOUT_NOTE
from local.catalog.published import published_folders
from tests.helpers.spark import lake_tables
from transforms.contracts import QUARANTINE_TABLES

QUARANTINE = QUARANTINE_TABLES["sales"]
# The table as it was declared before: a partition per dataset and day, no month column.
BY_DAY = dataclasses.replace(
    QUARANTINE,
    partition_by=("dataset", "ingest_date"),
    columns=tuple(c for c in QUARANTINE.columns if c[0] != "ingest_month"),
    derived={},
)
LANDED = [("orders", dt.date(2026, 1, 30)), ("orders", dt.date(2026, 1, 31)), ("returns", dt.date(2026, 2, 1))]


def rejected(spark, rows):
    """Quarantine rows as `to_quarantine` makes them: no month column."""
    return spark.createDataFrame(
        [("BAD_DATE", "x", None, f"{dataset}/{day}.csv", 2, dataset, day) for dataset, day in rows],
        "reject_reason string, raw_record string, record_key string, source_file string, source_line int, "
        "dataset string, ingest_date date",
    )


def no_lineage(spark):
    return spark.createDataFrame([], "source_file string, source_line int")


def written_by_day(spark, lake):
    tables = lake_tables(spark, lake)
    tables.write(rejected(spark, LANDED), BY_DAY)
    assert registered_partition_columns(spark, QUARANTINE.qualified_name) == ("dataset", "ingest_date")
    return tables


def quarantine_as_read(spark, lake):
    rows = lake_tables(spark, lake).read(QUARANTINE).collect()
    return sorted((r.dataset, r.ingest_date, r.ingest_month, r.source_file) for r in rows)


def by_month(spark, lake):
    partitions = registered_partitions(spark, QUARANTINE.database, QUARANTINE.name)
    assert registered_partition_columns(spark, QUARANTINE.qualified_name) == ("dataset", "ingest_month")
    return sorted(p.values for p in partitions)


def test_a_table_in_an_older_layout_reads_whole_and_is_rewritten_by_month_on_its_next_merge(spark, lake):
    written_by_day(spark, lake)
    expected_before = [
        ("orders", dt.date(2026, 1, 30), "2026-01", "orders/2026-01-30.csv"),
        ("orders", dt.date(2026, 1, 31), "2026-01", "orders/2026-01-31.csv"),
        ("returns", dt.date(2026, 2, 1), "2026-02", "returns/2026-02-01.csv"),
    ]
    assert quarantine_as_read(spark, lake) == expected_before  # the month derived on reading
    # Tools that read the files without the catalog see the layout as registered.
    assert published_folders(spark, [QUARANTINE])[QUARANTINE.qualified_name]["partition_keys"] == [
        "dataset",
        "ingest_date",
    ]

    new_day = [("orders", dt.date(2026, 2, 2))]
    changed = lake_tables(spark, lake).merge(rejected(spark, new_day), QUARANTINE, no_lineage(spark))

    assert [p.values for p in changed] == [("orders", "2026-02")]
    assert by_month(spark, lake) == [("orders", "2026-01"), ("orders", "2026-02"), ("returns", "2026-02")]
    assert quarantine_as_read(spark, lake) == sorted(
        expected_before + [("orders", dt.date(2026, 2, 2), "2026-02", "orders/2026-02-02.csv")]
    )
    assert not (Path(lake.table_uri(QUARANTINE).removeprefix("file:")) / RELAYOUT_NOTE).exists()
    published = published_folders(spark, [QUARANTINE])[QUARANTINE.qualified_name]
    assert sorted(published["folders"]) == [
        "dataset=orders/ingest_month=2026-01",
        "dataset=orders/ingest_month=2026-02",
        "dataset=returns/ingest_month=2026-02",
    ]


def test_a_run_stopped_while_the_layout_changes_loses_no_row_and_the_next_run_finishes_the_change(spark, lake):
    written_by_day(spark, lake)
    crashing = lake_tables(spark, lake)
    with failpoints.armed(f"test:relayout {QUARANTINE.qualified_name}"), pytest.raises(failpoints.SimulatedCrash):
        crashing.merge(rejected(spark, [("orders", dt.date(2026, 2, 2))]), QUARANTINE, no_lineage(spark))
    # The entry was made anew and holds no partition yet: the table reads empty for now.
    assert by_month(spark, lake) == []

    lake_tables(spark, lake).merge(rejected(spark, [("orders", dt.date(2026, 2, 2))]), QUARANTINE, no_lineage(spark))

    assert by_month(spark, lake) == [("orders", "2026-01"), ("orders", "2026-02"), ("returns", "2026-02")]
    assert [r[3] for r in quarantine_as_read(spark, lake)] == [
        "orders/2026-01-30.csv",
        "orders/2026-01-31.csv",
        "orders/2026-02-02.csv",
        "returns/2026-02-01.csv",
    ]
