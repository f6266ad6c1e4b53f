"""Service levels checked the way bronze_to_silver checks them at the end of a run, against a
real catalog: silver orders whose newest order date is ten days older than the newest file the
run read breach freshness; the run record keeps it, the summary shows it, and the metric the
SLA alarm watches counts exactly the breaches on CloudWatch (a moto server)."""

import datetime as dt
import json
import logging
from decimal import Decimal

from jobs.runtime import sla
from jobs.runtime.entry import LOG_FORMAT
from jobs.runtime.local import local_context
from jobs.runtime.run_record import Ledger, RunRecord
from jobs.runtime.uris import local_path_of
from jobs.service_levels import keep as keep_service_levels
from jobs.silver.datasets import DATASETS
from jobs.silver.steps import service_levels
from local.runner.report import summary_lines
from tests.helpers.aws import metric_sum
from transforms.contracts import SILVER_ORDERS, SLA_HISTORY_TABLES

STALE_DAY, LANDED_DAY = dt.date(2026, 2, 28), "2026-03-10"


def order_line(spark, day: dt.date):
    money = Decimal("20.00")
    row = ("O1", 1, "C1", "SKU-1", dt.datetime(2026, 2, 28, 10), "EMEA", "online", 2, Decimal("10.00"), "USD",
           money, Decimal(1), money, False, False, "sales/orders/f.csv", 2, day, day)  # fmt: skip
    return spark.createDataFrame([row], SILVER_ORDERS.schema)


def test_a_stale_source_breaches_freshness_and_the_summary_and_alarm_say_so(spark, lake, aws, caplog):
    ctx = local_context("bronze_to_silver", lake, spark)
    ctx.tables.write(order_line(spark, STALE_DAY), SILVER_ORDERS)  # silver holds only an old day
    landed = f"{lake.bronze_uri}/sales/orders/ingest_date={LANDED_DAY}/orders_{LANDED_DAY}.csv"
    ctx.run.inputs["sales/orders"] = [landed]  # what the run read today
    ctx.run.record_ledger("orders", Ledger.of([(landed, "accepted", 2), (landed, "WRONG_FIELD_COUNT", 1)]))

    with caplog.at_level(logging.INFO, logger="sales_data_lake"):
        keep_service_levels(ctx, service_levels(ctx, DATASETS))
    record = ctx.commit()
    sla.enforce(record)  # reported, not enforced: no error

    checked = {(r.product, r.property): r for r in record.sla}
    assert set(checked) == {("sales_bronze.orders", "completeness"), ("sales_silver.orders", "freshness")}
    freshness = checked["sales_silver.orders", "freshness"]
    assert (freshness.met, freshness.measured) == (False, "10 d")
    assert freshness.detail == f"newest order_date {STALE_DAY}, newest input {LANDED_DAY}"
    completeness = checked["sales_bronze.orders", "completeness"]
    assert (completeness.met, completeness.measured, completeness.detail) == (False, "66.7%", "WRONG_FIELD_COUNT 1")
    assert record.metrics["sla_breaches"] == 2

    saved = json.loads(local_path_of(lake.state_path("runs", "bronze_to_silver", f"{record.run_id}.json")).read_text())
    assert RunRecord.from_json(saved).sla == record.sla
    breaches = [line.strip() for line in summary_lines(lake, [record], {}, {}) if "BREACHED" in line]
    assert breaches[0].startswith("sales_bronze.orders completeness: BREACHED, 66.7% against >= 85%")
    assert breaches[1].startswith("sales_silver.orders freshness: BREACHED, 10 d against <= 2 d")

    job_lines = [logging.Formatter(LOG_FORMAT).format(r) for r in caplog.records]
    assert len([line for line in job_lines if "WARNING [bronze_to_silver] SLA breach: " in line]) == 2
    # The run sent its figures to the CloudWatch the environment names (moto): the SLA alarms'
    # metric counts both breaches, each service level's own says which.
    assert record.cloudwatch is not None and record.cloudwatch.startswith("sent ")
    run = {"Job": "bronze_to_silver", "Domain": "all"}
    assert metric_sum("SlaBreaches", run) == 2
    assert metric_sum("SlaBreached", run | {"Product": "sales_silver.orders", "Property": "freshness"}) == 1
    assert metric_sum("SlaMeasured", run | {"Product": "sales_silver.orders", "Property": "freshness"}) == 864000


def test_each_runs_service_levels_are_added_to_its_domains_history_table(spark, lake):
    """Two runs, one breaching: the sales domain's history holds both runs' results, each run in
    a file of its own, queryable by name; no other domain's history is written. Run ids say
    nothing of order (Glue's are `jr_` and a hash; local ones sort by the second they start in),
    so these two sort against the order they ran in, and the history orders by `checked_at`."""
    for run_id, day in (("jr_b", STALE_DAY), ("jr_a", dt.date.fromisoformat(LANDED_DAY))):
        ctx = local_context("bronze_to_silver", lake, spark, run_id=run_id)
        ctx.tables.write(order_line(spark, day), SILVER_ORDERS)
        landed = f"{lake.bronze_uri}/sales/orders/ingest_date={LANDED_DAY}/orders_{LANDED_DAY}.csv"
        ctx.run.inputs["sales/orders"] = [landed]
        keep_service_levels(ctx, service_levels(ctx, DATASETS))
        ctx.commit()
    history = spark.sql(
        "SELECT run_id, product, property, met, measured, job FROM sales_ops.sla_history ORDER BY checked_at, product"
    ).collect()
    assert [(r.product, r.property, r.met, r.measured, r.job) for r in history] == [
        ("sales_silver.orders", "freshness", False, "10 d", "bronze_to_silver"),
        ("sales_silver.orders", "freshness", True, "0 d", "bronze_to_silver"),
    ]
    assert [r.run_id for r in history] == ["jr_b", "jr_a"]
    files = sorted(p.name for p in local_path_of(lake.table_uri(SLA_HISTORY_TABLES["sales"])).glob("*.parquet"))
    assert files == ["jr_a.parquet", "jr_b.parquet"]
    assert not spark.catalog.tableExists("customer_ops.sla_history")
