"""Writing a partitioned table: one file per partition, the files shared among the session's
shuffle partitions' tasks however few rows there are (adaptive execution would give a small
table's rows to one task, which writes every file in turn on one core)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pyspark.sql import functions as F

from jobs.runtime.snapshots import SNAPSHOTS
from jobs.runtime.tables import write_tasks
from tests.helpers.spark import lake_tables, spark_settings
from transforms.contracts import GOLD_DAILY_SALES, QUARANTINE_TABLES

QUARANTINE = QUARANTINE_TABLES["sales"]

DAYS = [dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(12)]


def test_a_small_partitioned_write_is_spread_over_the_shuffle_partitions_one_file_per_partition(spark, lake):
    money = Decimal("2.50")
    rows = [(region, "online", money, Decimal(0), money, 1, 1, money, day) for day in DAYS for region in ("EU", "US")]
    tables = lake_tables(spark, lake)

    # Other tests' sessions set their own number (the suite shares one session): two here.
    with spark_settings(spark, {"spark.sql.shuffle.partitions": "2"}):
        assert write_tasks(spark) == 2
        written = tables.write(spark.createDataFrame(rows, GOLD_DAILY_SALES.schema), GOLD_DAILY_SALES)

    assert sorted(p.values[0] for p in written) == [d.isoformat() for d in DAYS]
    snapshot = Path(tables.run.outputs[GOLD_DAILY_SALES.qualified_name].removeprefix("file:"))
    files = sorted(snapshot.glob("order_date=*/*.parquet"))
    assert sorted(f.parent.name for f in files) == [f"order_date={d.isoformat()}" for d in DAYS]
    # A file's name carries the number of the task that wrote it: part-00001-<job>.snappy.parquet.
    tasks = {f.name.split("-")[1] for f in files}
    assert len(tasks) == 2
    read_back = tables.read(GOLD_DAILY_SALES).groupBy("order_date").count().collect()
    assert sorted((r.order_date, r["count"]) for r in read_back) == [(d, 2) for d in DAYS]


def quarantined(spark, days: list[dt.date]):
    """Quarantine rows as `to_quarantine` makes them, in two partitions of the frame."""
    rows = [("BAD_DATE", "x", None, f"orders/{day}.csv", 2, "orders", day) for day in days]
    schema = (
        "reject_reason string, raw_record string, record_key string, source_file string, source_line int, "
        "dataset string, ingest_date date"
    )
    return spark.createDataFrame(rows, schema).repartition(2)


def test_a_first_merge_computes_its_rows_once_and_one_without_rows_creates_no_table(spark, lake, tmp_path):
    tables = lake_tables(spark, lake)
    no_lineage = spark.createDataFrame([], "source_file string, source_line int")
    assert tables.merge(quarantined(spark, []), QUARANTINE, no_lineage) == []
    assert not tables.exists(QUARANTINE)
    snapshots = Path(lake.table_uri(QUARANTINE).removeprefix("file:")) / SNAPSHOTS
    assert not snapshots.exists() or not any(snapshots.iterdir())  # the empty snapshot removed

    # Each row computed leaves a line in a file (an accumulator would miss a query that stops
    # at its first row): an emptiness check before the write would compute rows again (and,
    # of a union whose first part has none, all of that part).
    log = tmp_path / "computed.txt"

    def computed(line):  # no type hints: Spark would read them as a pandas UDF's
        with log.open("a") as out:
            out.write(f"{line}\n")
        return True

    batch = quarantined(spark, DAYS).where(F.udf(computed, "boolean").asNondeterministic()("source_line"))
    written = tables.merge(batch, QUARANTINE, no_lineage)

    assert len(log.read_text().splitlines()) == len(DAYS)
    assert [p.values for p in written] == [("orders", "2026-03")]
    assert tables.read(QUARANTINE).count() == len(DAYS)
