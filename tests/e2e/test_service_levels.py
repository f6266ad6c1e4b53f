"""Service levels checked at the end of a real run: a source landed today whose newest order is
ten days old breaches silver's freshness; the run record keeps it and the summary shows it."""

import json
import logging

import pytest

from jobs import bronze_to_silver
from jobs.runtime.config import config_from_arguments
from jobs.runtime.entry import LOG_FORMAT
from jobs.runtime.local import open_local_context
from jobs.runtime.run_record import RunRecord
from local.runner.report import summary_lines
from tests.helpers.infra_model import filter_matches, metric_filter
from tests.helpers.spark import forget_catalog
from transforms.contracts import ORDER_FILE_COLUMNS

pytestmark = pytest.mark.slow


def test_a_stale_source_breaches_freshness_and_the_summary_says_so(spark, tmp_path, caplog):
    root = tmp_path / "lake"
    forget_catalog(spark)
    landed = root / "bronze" / "sales" / "orders" / "ingest_date=2026-03-10"
    landed.mkdir(parents=True)
    stale = [f"O{n},1,C1,SKU-1,2026-02-28T10:00:00Z,EMEA,online,2,10.00,USD" for n in (1, 2)]
    (landed / "orders_2026-03-10.csv").write_text("\n".join([",".join(ORDER_FILE_COLUMNS), *stale, "bad"]) + "\n")

    with (
        caplog.at_level(logging.INFO, logger="sales_data_lake"),
        open_local_context("bronze_to_silver", ["--lake_root", str(root)], {}, spark=spark) as ctx,
    ):
        record = bronze_to_silver.main(ctx)

    checked = {(r.product, r.property): r for r in record.sla}
    assert set(checked) == {("sales_bronze.orders", "completeness"), ("sales_silver.orders", "freshness")}
    freshness = checked["sales_silver.orders", "freshness"]
    assert (freshness.met, freshness.measured) == (False, "10 d")
    assert freshness.detail == "newest order_date 2026-02-28, newest input 2026-03-10"
    completeness = checked["sales_bronze.orders", "completeness"]
    assert (completeness.met, completeness.measured, completeness.detail) == (False, "66.7%", "WRONG_FIELD_COUNT 1")
    assert record.metrics["sla_breaches"] == 2 and record.status == "succeeded"  # reported, not enforced

    saved = root / "state" / "runs" / "bronze_to_silver" / f"{record.run_id}.json"
    assert RunRecord.from_json(json.loads(saved.read_text())).sla == record.sla
    lines = summary_lines(config_from_arguments({"lake_root": str(root)}), [record], {}, {})
    breaches = [line for line in lines if "BREACHED" in line]
    assert breaches[0].strip().startswith("sales_bronze.orders completeness: BREACHED, 66.7% against >= 85%")
    assert "sales_silver.orders freshness: BREACHED, 10 d" in breaches[1]

    # The CloudWatch metric filter behind the SLA alarm counts exactly the breaches.
    job_lines = [logging.Formatter(LOG_FORMAT).format(r) for r in caplog.records]
    counted = [line for line in job_lines if filter_matches(metric_filter("sla_breached")["pattern"], line)]
    assert len(counted) == 2 and all("WARNING [bronze_to_silver] SLA breach: " in line for line in counted)
