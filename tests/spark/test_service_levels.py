"""Service levels checked the way bronze_to_silver checks them at the end of a run, against a
real catalog: silver orders whose newest order date is ten days older than the newest file the
run read breach freshness; the run record keeps it, the summary shows it, and the CloudWatch
metric filter behind the SLA alarm counts exactly the breaches."""

import datetime as dt
import json
import logging
from decimal import Decimal

from jobs.runtime import sla
from jobs.runtime.entry import LOG_FORMAT
from jobs.runtime.local import local_context
from jobs.runtime.run_record import Ledger, RunRecord
from jobs.runtime.uris import local_path_of
from jobs.silver.steps import service_levels
from local.runner.report import summary_lines
from tests.helpers.infra_model import filter_matches, metric_filter
from transforms.contracts import SILVER_ORDERS

STALE_DAY, LANDED_DAY = dt.date(2026, 2, 28), "2026-03-10"


def order_line(spark, day: dt.date):
    money = Decimal("20.00")
    row = ("O1", 1, "C1", "SKU-1", dt.datetime(2026, 2, 28, 10), "EMEA", "online", 2, Decimal("10.00"), "USD",
           money, Decimal(1), money, False, False, "sales/orders/f.csv", 2, day, day)  # fmt: skip
    return spark.createDataFrame([row], SILVER_ORDERS.schema)


def test_a_stale_source_breaches_freshness_and_the_summary_and_alarm_say_so(spark, lake, caplog):
    ctx = local_context("bronze_to_silver", lake, spark)
    ctx.tables.write(order_line(spark, STALE_DAY), SILVER_ORDERS)  # silver holds only an old day
    landed = f"{lake.bronze_uri}/sales/orders/ingest_date={LANDED_DAY}/orders_{LANDED_DAY}.csv"
    ctx.run.inputs["sales/orders"] = [landed]  # what the run read today
    ctx.run.record_ledger("orders", Ledger.of([(landed, "accepted", 2), (landed, "WRONG_FIELD_COUNT", 1)]))

    with caplog.at_level(logging.INFO, logger="sales_data_lake"):
        sla.record(ctx.run, service_levels(ctx))
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
    counted = [line for line in job_lines if filter_matches(metric_filter("sla_breached")["pattern"], line)]
    assert len(counted) == 2 and all("WARNING [bronze_to_silver] SLA breach: " in line for line in counted)
