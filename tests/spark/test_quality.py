"""The quality gate: a seeded violation fails the job and names the expectation and keys."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import great_expectations.expectations as gxe
import pytest
from pyspark.sql import functions as F

from expectations.cross_table import margin_flag_check, order_reference_check
from expectations.gate import QualityGateFailed, enforce, run_suite
from expectations.suites import MARGIN_FLAGS_SUITE, REFERENCE_FLAGS_SUITE, SILVER_ORDERS_SUITE, TABLE_SUITES, Suite
from jobs import silver_to_gold
from jobs.runtime.entry import run_job
from jobs.runtime.quality import QualityGate
from jobs.runtime.run_record import RunRecord
from tests.helpers.spark import lake_tables
from transforms.contracts import GOLD_TABLES, SILVER_ORDERS, SILVER_TABLES

TS = dt.datetime(2026, 1, 1, 10, 0)
DAY = dt.date(2026, 1, 1)


def silver_rows(spark, *overrides):
    """Silver order lines: one good row per dict of overrides."""
    base = dict(
        order_id="O1",
        line_no=1,
        customer_id="C1",
        product_sku="SKU-1",
        order_ts=TS,
        region="EMEA",
        channel="online",
        quantity=2,
        unit_price=Decimal("5.00"),
        currency="EUR",
        line_amount=Decimal("10.00"),
        fx_rate_to_usd=Decimal(1),
        line_amount_usd=Decimal("10.00"),
        is_unknown_customer=False,
        is_unknown_product=False,
        source_file="f.csv",
        source_line=2,
        ingest_date=DAY,
        order_date=DAY,
    )
    rows = [tuple({**base, **o}[c] for c in SILVER_ORDERS.column_names) for o in overrides]
    return spark.createDataFrame(rows, SILVER_ORDERS.schema)


def test_clean_silver_passes(spark):
    result = run_suite(silver_rows(spark, {}, {"line_no": 2}), SILVER_ORDERS_SUITE)
    assert result.success and len(result.outcomes) == len(SILVER_ORDERS_SUITE.expectations)


def test_duplicate_key_and_bad_code_fail_with_the_offending_keys(spark):
    df = silver_rows(spark, {}, {"source_line": 3}, {"order_id": "O9", "region": "MARS"})
    with pytest.raises(QualityGateFailed) as failure:
        enforce(run_suite(df, SILVER_ORDERS_SUITE))
    message = str(failure.value)
    assert "expect_compound_columns_to_be_unique(order_id,line_no) failed on 2 row(s)" in message
    assert "order_id=O1 line_no=1" in message
    assert "expect_column_values_to_be_in_set(region) failed on 1 row(s)" in message and "O9" in message
    assert {o.expectation for o in failure.value.result.critical_failures} == {
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_in_set",
    }


def test_a_warning_is_reported_but_does_not_stop_the_job(spark):
    warn_only = gxe.ExpectColumnValuesToBeBetween(column="quantity", max_value=1, severity="warning")
    suite = Suite("warn_only", SILVER_ORDERS.primary_key, (warn_only,))
    result = enforce(run_suite(silver_rows(spark, {}), suite))
    assert not result.success and [w.expectation for w in result.warnings] == ["expect_column_values_to_be_between"]


def nothing_cached(spark) -> bool:
    """Whether the session holds no cached frame (PySpark asks only about a frame it is handed)."""
    return bool(spark._jsparkSession.sharedState().cacheManager().isEmpty())


def test_seeded_violation_fails_the_gold_job_with_a_non_zero_exit(spark, lake, caplog):
    seeded = silver_rows(spark, {}, {"order_id": "O2", "quantity": -3, "line_amount_usd": Decimal("-15.00")})
    lake_tables(spark, lake, "seed").write(seeded, SILVER_ORDERS)
    spark.catalog.clearCache()  # what earlier tests in this session left cached is not this job's

    # Seeded straight into silver, so no change record says which dates to rebuild: rebuild all.
    argv = ["--lake_root", str(Path(lake.bronze_uri).parent), "--full_refresh", "true"]
    exit_code = run_job(silver_to_gold.main, "silver_to_gold", argv=argv)

    assert exit_code == 1
    assert "quality gate failed for sales_gold.daily_sales" in caplog.text
    assert "expect_column_values_to_be_between(units)" in caplog.text
    saved = next((Path(lake.state_uri) / "quality" / "silver_to_gold").glob("*/sales_gold.daily_sales.json"))
    result = json.loads(saved.read_text())
    assert result["success"] is False
    failed = [o for o in result["outcomes"] if not o["success"]]
    assert {o["target"] for o in failed} >= {"units", "revenue_usd"}
    assert not (Path(lake.gold_uri) / "sales" / "daily_sales").exists(), "a failed gate must publish nothing"
    assert nothing_cached(spark), "a failed gate still releases the silver the job cached"


def test_the_gold_job_releases_the_silver_it_cached(spark, lake):
    """A full build caches the silver columns its marts share; a session that runs more jobs
    after it (the local runner runs every domain's jobs in one) must get that memory back."""
    lake_tables(spark, lake, "seed").write(silver_rows(spark, {}, {"line_no": 2}), SILVER_ORDERS)
    spark.catalog.clearCache()  # what earlier tests in this session left cached is not this job's

    argv = ["--lake_root", str(Path(lake.bronze_uri).parent), "--full_refresh", "true"]
    assert run_job(silver_to_gold.main, "silver_to_gold", argv=argv) == 0

    assert nothing_cached(spark)


def test_every_table_has_a_suite_that_targets_only_its_columns():
    assert set(TABLE_SUITES) == {t.qualified_name for t in SILVER_TABLES + GOLD_TABLES}
    for suite in TABLE_SUITES.values():
        for expectation in suite.expectations:
            kwargs = expectation.configuration.kwargs
            columns = [kwargs["column"]] if "column" in kwargs else kwargs["column_list"]
            assert set(columns) <= set(suite.columns), (suite.name, columns)


def test_a_validated_frame_is_left_uncached(spark):
    """Validation reads the frame as it is and keeps no copy: Great Expectations' Spark source
    caches every frame it validates, and nothing uncaches it, so each silver batch would sit
    twice in the job's memory (a millions-row cache built at the cost of a whole scan)."""
    df = silver_rows(spark, {}, {"line_no": 2})
    assert run_suite(df, SILVER_ORDERS_SUITE).success
    assert not df.is_cached


def test_the_reference_check_names_each_line_whose_unknown_customer_or_product_is_not_flagged(spark):
    customers = spark.createDataFrame([("C1",), ("C2",)], "customer_id string")
    products = spark.createDataFrame([("SKU-1",)], "product_sku string")
    lines = silver_rows(
        spark,
        {},  # known customer and product
        {"line_no": 2, "customer_id": "C9", "is_unknown_customer": True},  # unknown, flagged
        {"line_no": 3, "customer_id": "C9"},  # unknown customer, not flagged
        {"line_no": 4, "product_sku": "SKU-9"},  # unknown product, not flagged
        {"line_no": 5, "product_sku": "SKU-9", "is_unknown_product": True},  # customer none (below)
        {"order_id": "O2", "customer_id": "C2", "product_sku": "SKU-9", "is_unknown_product": True},
    )
    no_customer = F.when(F.col("line_no") == 5, None).otherwise(F.col("customer_id"))
    check = order_reference_check(lines.withColumn("customer_id", no_customer), customers, products)
    result = run_suite(check, REFERENCE_FLAGS_SUITE)
    broken = {o.target: sorted(k["line_no"] for k in o.sample_keys) for o in result.outcomes if not o.success}
    assert broken == {"unflagged_unknown_customer": [3, 5], "unflagged_unknown_product": [4]}
    # The frame the gate caches holds the broken lines only, not every line of the batch.
    assert sorted(r.line_no for r in check.collect()) == [3, 4, 5]


def test_a_sound_batch_leaves_an_empty_reference_check_that_passes(spark):
    customers = spark.createDataFrame([("C1",)], "customer_id string")
    products = spark.createDataFrame([("SKU-1",)], "product_sku string")
    lines = silver_rows(spark, {}, {"line_no": 2, "customer_id": "C9", "is_unknown_customer": True})
    check = order_reference_check(lines, customers, products)
    assert check.count() == 0
    result = run_suite(check, REFERENCE_FLAGS_SUITE)
    assert result.success and [o.unexpected_count for o in result.outcomes] == [0, 0]


def test_the_margin_check_names_only_the_unflagged_negative_margins(spark):
    performance = spark.createDataFrame(
        [
            (DAY, "SKU-1", Decimal("-1.00"), False),  # negative, not flagged: broken
            (DAY, "SKU-2", Decimal("-1.00"), True),  # negative, flagged
            (DAY, "SKU-3", Decimal("2.00"), False),
            (DAY, "SKU-4", None, False),  # no cost known: no margin to flag
        ],
        "month date, product_sku string, gross_margin_usd decimal(18,2), is_negative_margin boolean",
    )
    check = margin_flag_check(performance)
    assert [r.product_sku for r in check.collect()] == ["SKU-1"]
    (outcome,) = run_suite(check, MARGIN_FLAGS_SUITE).outcomes
    assert not outcome.success and [k["product_sku"] for k in outcome.sample_keys] == ["SKU-1"]


def test_a_derived_check_frame_is_computed_once_for_its_whole_suite(spark, lake):
    """A check frame is a join or an aggregate over other tables: each Spark job of its suite
    would compute it again, and at millions of order lines each computation is a shuffle."""
    computed = spark.sparkContext.accumulator(0)

    def counted(order_id):  # no type hints: Spark would read them as a pandas UDF's
        computed.add(1)
        return True

    # A filter every job of the suite runs, whatever columns it reads; non-deterministic, so
    # Spark neither drops nor copies it.
    every_row = F.udf(counted, "boolean").asNondeterministic()
    rows = spark.createDataFrame([("O1", 1, False), ("O2", 1, False)], "order_id string, line_no int, flag boolean")
    frame = rows.where(every_row("order_id")).select(
        "order_id",
        "line_no",
        F.col("flag").alias("unflagged_unknown_customer"),
        F.col("flag").alias("unflagged_unknown_product"),
    )
    gate = QualityGate(spark, lake, RunRecord("a_job", "run-1", "2026-01-01T00:00:00Z", "job-bookmark-enable"))
    assert gate.check_derived(frame, REFERENCE_FLAGS_SUITE).success
    assert computed.value == 2  # each of the two rows once
    assert not frame.is_cached
