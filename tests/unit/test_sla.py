"""Service levels from the contracts, checked from what a run measured."""

import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from jobs.runtime import sla
from jobs.runtime.run_record import Ledger, RunRecord
from transforms.contract_types import Sla
from transforms.contracts import ORDERS_SOURCE, SILVER_ORDERS
from transforms.odcs import CONTRACTS, ContractError, table_contract


def test_completeness_counts_a_superseded_version_as_reaching_silver():
    ledger = Ledger.of([("f", "accepted", 80), ("f", "DUPLICATE_SUPERSEDED", 10), ("f", "BAD_PRICE", 6), ("f", "X", 4)])
    met = sla.completeness("sales_bronze.orders", Sla("completeness", 90, "percent"), ledger)
    assert (met.measured, met.met, met.detail) == ("90.0%", True, "BAD_PRICE 6, X 4")
    missed = sla.completeness("sales_bronze.orders", Sla("completeness", 95, "percent"), ledger)
    assert not missed.met and missed.describe().startswith("sales_bronze.orders completeness: BREACHED, 90.0%")


def test_freshness_is_the_lag_behind_the_newest_input():
    agreed = Sla("freshness", 2, "d", "order_date")
    newest_input = sla.newest_ingest_date(
        ["s3://b/sales/orders/ingest_date=2026-03-09/a.csv", "file:/l/sales/orders/ingest_date=2026-03-10/b.csv"]
    )
    assert newest_input == date(2026, 3, 10)
    assert sla.freshness("t", agreed, date(2026, 3, 8), newest_input).met
    stale = sla.freshness("t", agreed, date(2026, 2, 28), newest_input)
    assert (stale.met, stale.measured) == (False, "10 d")
    assert not sla.freshness("t", agreed, None, newest_input).met  # nothing published is stale
    ahead = sla.freshness("t", agreed, date(2026, 3, 12), newest_input)
    assert ahead.met and ahead.measured == "-2 d" and ahead.detail.endswith("order_date after the newest input")


def test_latency_is_hours_from_landing_to_publishing():
    six_hours = Sla("latency", 6, "h")
    landed = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    on_time = sla.latency("t", six_hours, landed, datetime(2026, 3, 10, 6, 30, tzinfo=UTC))
    assert (on_time.met, on_time.measured) == (True, "5.5 h")
    assert not sla.latency("t", six_hours, landed, datetime(2026, 3, 10, 7, 30, tzinfo=UTC)).met


def test_time_of_availability_by_the_agreed_time_utc():
    by_eight = Sla("timeOfAvailability", "08:00", "UTC")
    assert sla.time_of_availability("t", by_eight, datetime(2026, 3, 10, 7, 59, tzinfo=UTC)).met
    assert not sla.time_of_availability("t", by_eight, datetime(2026, 3, 10, 8, 1, tzinfo=UTC)).met


def test_breaches_are_logged_counted_and_fail_the_run_only_when_enforced(caplog):
    run = RunRecord("bronze_to_silver", "r1", "", "job-bookmark-enable")
    reported = sla.freshness("t", Sla("freshness", 1, "d", "order_date"), date(2026, 1, 1), date(2026, 1, 5))
    with caplog.at_level(logging.WARNING, logger="sales_data_lake"):
        sla.record(run, [reported])
    assert run.metrics["sla_breaches"] == 1 and "SLA breach: t freshness: BREACHED, 4 d" in caplog.text
    sla.enforce(run)  # reported only
    enforced = sla.freshness("t", Sla("freshness", 1, "d", "order_date", enforced=True), date(2026, 1, 1), None)
    sla.record(run, [enforced])
    with pytest.raises(sla.SlaBreached, match="t freshness"):
        sla.enforce(run)


def test_the_contracts_state_their_service_levels():
    assert ORDERS_SOURCE.sla("completeness").value == 85
    freshness = SILVER_ORDERS.sla("freshness")
    assert (freshness.value, freshness.element, freshness.enforced) == (2, "order_date", False)


def test_freshness_on_a_column_that_is_no_partition_is_refused(tmp_path: Path):
    root = tmp_path / "contracts"
    (root / "sales").mkdir(parents=True)
    document = yaml.safe_load((CONTRACTS / "sales" / "silver_orders.odcs.yaml").read_text())
    next(s for s in document["slaProperties"] if s["property"] == "freshness")["element"] = "order_ts"
    (root / "sales" / "silver_orders.odcs.yaml").write_text(yaml.safe_dump(document))
    with pytest.raises(ContractError, match="order_ts"):
        table_contract("sales/silver_orders", root)
