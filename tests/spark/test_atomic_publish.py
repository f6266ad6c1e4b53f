"""Atomic publish: a reader querying through the catalog while a job rewrites a table sees
every partition (and an unpartitioned table) whole, at the old or the new version, never
missing or half-written; snapshots nothing points at are removed after the retention time."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from pathlib import Path

from pyspark.sql import functions as F

from jobs.runtime.config import config_from_arguments
from tests.helpers.spark import forget_catalog, lake_tables
from transforms.contracts import GOLD_DAILY_SALES, SILVER_FX_RATES

DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(8)]
REGIONS = [f"R{n:02d}" for n in range(40)]
CURRENCIES = [f"C{n:02d}" for n in range(60)]
REWRITES = 6


def daily_sales(spark, version: int):
    """Every day has one row per region, each with revenue = version."""
    money = Decimal(version)
    rows = [(r, "online", money, Decimal(0), money, 1, 1, money, d) for d in DAYS for r in REGIONS]
    return spark.createDataFrame(rows, GOLD_DAILY_SALES.schema)


def fx_rates(spark, version: int):
    rows = [(DAYS[0], c, Decimal(version), "f.csv", n, DAYS[0]) for n, c in enumerate(CURRENCIES)]
    return spark.createDataFrame(rows, SILVER_FX_RATES.schema)


def read_while_writing(spark, write, query: str) -> list:
    """Run `query` over and over while `write(version)` publishes versions 2..REWRITES+1."""
    seen, done, errors = [], threading.Event(), []

    def reader():
        while not done.is_set():
            try:
                seen.append(spark.sql(query).collect())
            except Exception as error:  # noqa: BLE001 - a failing read is a finding, kept for the assert
                errors.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for version in range(2, REWRITES + 2):
            write(version)
    finally:
        done.set()
        thread.join()
    assert errors == []
    return seen


def test_a_reader_never_sees_a_missing_or_half_written_partition(spark, lake):
    tables = lake_tables(spark, lake, "writer")
    tables.write(daily_sales(spark, 1), GOLD_DAILY_SALES)
    query = "SELECT order_date, count(*) AS n, sum(revenue_usd) AS s FROM sales_gold.daily_sales GROUP BY order_date"

    seen = read_while_writing(spark, lambda v: tables.write(daily_sales(spark, v), GOLD_DAILY_SALES), query)

    assert len(seen) >= 3, "the reader should have overlapped several publishes"
    whole_versions = {(len(REGIONS), len(REGIONS) * v) for v in range(1, REWRITES + 2)}
    for result in seen:
        assert sorted(r.order_date for r in result) == DAYS  # no partition ever missing
        assert all((r.n, int(r.s)) in whole_versions for r in result)  # each partition whole
    final = spark.sql(query).collect()
    assert {(r.n, int(r.s)) for r in final} == {(len(REGIONS), len(REGIONS) * (REWRITES + 1))}


def test_a_reader_never_sees_a_half_written_unpartitioned_table(spark, lake):
    tables = lake_tables(spark, lake, "writer")
    tables.write(fx_rates(spark, 1), SILVER_FX_RATES)
    query = "SELECT count(*) AS n, min(rate_to_usd) AS lo, max(rate_to_usd) AS hi FROM sales_silver.fx_rates"

    seen = read_while_writing(spark, lambda v: tables.write(fx_rates(spark, v), SILVER_FX_RATES), query)

    assert len(seen) >= 3
    for (row,) in seen:
        assert row.n == len(CURRENCIES) and row.lo == row.hi  # all rows, all of one version


def test_unpublished_snapshots_are_removed_after_the_retention_time(spark, tmp_path):
    root = tmp_path / "lake"
    keep_none = config_from_arguments({"lake_root": str(root), "snapshot_retention_seconds": "0"})
    tables = lake_tables(spark, keep_none, "writer")
    for version in (1, 2, 3):
        tables.write(fx_rates(spark, version), SILVER_FX_RATES)
    snapshots = Path(keep_none.table_uri(SILVER_FX_RATES)) / "_snapshots"
    assert [p.name for p in snapshots.iterdir()] == [f"{tables.run.run_id}-3"]
    assert spark.table("sales_silver.fx_rates").first().rate_to_usd == 3

    keep_all = lake_tables(spark, config_from_arguments({"lake_root": str(root)}), "writer")
    keep_all.write(fx_rates(spark, 4), SILVER_FX_RATES)
    assert len(list(snapshots.iterdir())) == 2  # the replaced one stays for the readers still on it


def test_a_snapshot_is_kept_while_any_partition_points_at_it(spark, tmp_path):
    keep_none = config_from_arguments({"lake_root": str(tmp_path / "lake"), "snapshot_retention_seconds": "0"})
    tables = lake_tables(spark, keep_none, "writer")
    snapshots = Path(keep_none.table_uri(GOLD_DAILY_SALES)) / "_snapshots"
    first, second = DAYS[0], DAYS[1]

    def write(version, *days):
        tables.write(daily_sales(spark, version).where(F.col("order_date").isin(*days)), GOLD_DAILY_SALES)
        return sorted(p.name for p in snapshots.iterdir())

    run = tables.run.run_id
    assert write(1, first, second) == [f"{run}-1"]
    assert write(2, second) == [f"{run}-1", f"{run}-2"]  # the first day is still in snapshot 1
    assert write(3, first) == [f"{run}-2", f"{run}-3"]  # nothing points at snapshot 1 any more
    revenue = spark.sql("SELECT order_date, max(revenue_usd) AS v FROM sales_gold.daily_sales GROUP BY 1").collect()
    assert sorted((r.order_date, int(r.v)) for r in revenue) == [(first, 3), (second, 2)]


def test_a_lake_in_a_folder_whose_name_needs_escaping_reads_what_it_published(spark, tmp_path):
    # The catalog keeps locations as URIs ("my%20lake%20%2520"); the lake compares them with
    # its own folder as DESCRIBE shows it ("my lake %20"), and a folder named "%20" is where the
    # two spellings part: read the wrong one and the lake refuses its table as another lake's.
    forget_catalog(spark)
    lake = config_from_arguments({"lake_root": str(tmp_path / "my lake %20 é")})
    tables = lake_tables(spark, lake)
    tables.write(fx_rates(spark, 3), SILVER_FX_RATES)
    tables.write(daily_sales(spark, 3), GOLD_DAILY_SALES)
    assert {r.rate_to_usd for r in tables.read(SILVER_FX_RATES).collect()} == {Decimal(3)}
    assert tables.read(GOLD_DAILY_SALES).count() == len(DAYS) * len(REGIONS)
    forget_catalog(spark)
