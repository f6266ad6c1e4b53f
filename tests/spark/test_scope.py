"""Reading only the partitions that hold a batch's keys: found from the key columns, then a
literal partition condition, so Spark lists and reads the files of those partitions alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pyspark.sql import functions as F

from jobs.silver.scope import partitions_holding
from tests.helpers.spark import lake_tables, spark_settings
from transforms.contracts import GOLD_DAILY_SALES

DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(6)]


def published(spark, lake):
    """Daily sales where region R<n> sells on day n only, and region ALL on every day."""
    money = Decimal(1)
    rows = [
        (region, "online", money, Decimal(0), money, 1, 1, money, day)
        for n, day in enumerate(DAYS)
        for region in (f"R{n}", "ALL")
    ]
    tables = lake_tables(spark, lake)
    tables.write(spark.createDataFrame(rows, GOLD_DAILY_SALES.schema), GOLD_DAILY_SALES)
    return tables.read(GOLD_DAILY_SALES)


def test_only_the_partitions_holding_a_key_are_read(spark, lake):
    table = published(spark, lake)
    keys = spark.createDataFrame([("R1",), ("R4",), ("R9",)], "region string")
    scoped = partitions_holding(table, keys, ["region"], ["order_date"])
    assert sorted({r.order_date for r in scoped.collect()}) == [DAYS[1], DAYS[4]]
    assert scoped.count() == 4  # each of those days whole: its R<n> row and its ALL row
    read = {f.split("order_date=")[1].split("/")[0] for f in scoped.inputFiles()}
    assert read == {str(DAYS[1]), str(DAYS[4])}


def test_partitions_are_looked_up_in_an_index_when_given(spark, lake):
    table = published(spark, lake)
    keys = spark.createDataFrame([("R2",)], "region string")
    index = spark.createDataFrame([("R2", DAYS[2]), ("R2", DAYS[5])], "region string, order_date date")
    scoped = partitions_holding(table, keys, ["region"], ["order_date"], index)
    assert sorted({r.order_date for r in scoped.collect()}) == [DAYS[2], DAYS[5]]


def test_no_key_found_reads_nothing_and_an_unpartitioned_frame_is_left_whole(spark, lake):
    table = published(spark, lake)
    none = spark.createDataFrame([("R9",)], "region string")
    assert partitions_holding(table, none, ["region"], ["order_date"]).inputFiles() == []
    assert partitions_holding(table, none, ["region"], []).count() == table.count()


@pytest.mark.parametrize("values_sent", ["50", "1000"], ids=["as_their_range", "one_by_one"])
def test_a_condition_on_a_year_of_partitions_reads_just_those(spark, lake, values_sent):
    """A rebuild reads its daily marts' dates by name, a year of them. Sent as their range, the
    catalog answers; sent one by one (365 equalities), Derby's catalog refuses, and all the
    partitions are listed for Spark to pick from. Either way, the dates asked for are read."""
    year = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    money = Decimal(1)
    rows = [("ALL", "online", money, Decimal(0), money, 1, 1, money, day) for day in year]
    tables = lake_tables(spark, lake)
    tables.write(spark.createDataFrame(rows, GOLD_DAILY_SALES.schema), GOLD_DAILY_SALES)
    every_other_day = year[::2]
    read = tables.read(GOLD_DAILY_SALES).where(F.col("order_date").isin(every_other_day))
    with spark_settings(spark, {"spark.sql.hive.metastorePartitionPruningInSetThreshold": values_sent}):
        assert sorted(r.order_date for r in read.collect()) == every_other_day
