"""A run's figures as CloudWatch metrics: what each figure is and its dimensions, batches of at
most 1,000, and a CloudWatch that cannot be reached costs a warning, never the run."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from botocore.exceptions import EndpointConnectionError

from jobs.runtime.cloudwatch import BATCH, DIMENSIONS, NAMESPACE, Figure, figures_of, measured_value, publish
from jobs.runtime.run_record import Ledger, QualityVerdict, RunRecord, SlaResult


def a_run() -> RunRecord:
    record = RunRecord("sales_bronze_to_silver", "r1", "", "job-bookmark-enable", seconds=12.5, status="succeeded")
    record.inputs = {"sales/orders": ["a.csv", "b.csv"], "sales/returns": ["c.avro"]}
    record.ledger["orders"] = Ledger.of(
        [("a.csv", "accepted", 8), ("a.csv", "BAD_PRICE", 1), ("b.csv", "MISSING_ID", 2)]
    )
    record.quality["sales_silver.orders"] = QualityVerdict(False, 9, ["keys"], [], "q.json", 0.1)
    record.sla = [
        SlaResult("sales_silver.orders", "freshness", "<= 2 d", "10 d", False, False),
        SlaResult("sales_bronze.orders", "completeness", ">= 85%", "72.7%", False, False),
        SlaResult("sales_gold.daily_sales", "timeOfAvailability", "by 08:00 UTC", "07:58 UTC", True, False),
    ]
    record.steps = {"read and clean bronze": 3.25}
    record.bytes_read = {"sales/orders": 2048, "sales/returns": 512}
    record.bytes_written = {"sales_silver.orders": 4096, "sales_quarantine.rejected_records": 100}
    record.estimated_usd = 0.0147
    return record


def test_each_figure_has_its_value_unit_and_dimensions():
    figures = {(f.name, tuple(sorted(f.dimensions.items()))): f for f in figures_of(a_run(), "sales")}
    run = (("Domain", "sales"), ("Job", "sales_bronze_to_silver"))

    def one(name, **dimensions):
        return figures[(name, tuple(sorted(run + tuple(dimensions.items()))))]

    assert one("RecordsIn", Dataset="orders").value == 11
    assert one("RecordsToSilver", Dataset="orders").value == 8
    assert one("RecordsQuarantined", Dataset="orders", Reason="MISSING_ID").value == 2
    assert one("QualitySuiteFailed", Suite="sales_silver.orders").value == 1
    freshness = one("SlaMeasured", Product="sales_silver.orders", Property="freshness")
    assert (freshness.value, freshness.unit) == (864000.0, "Seconds")
    assert one("SlaBreached", Product="sales_bronze.orders", Property="completeness").value == 1
    assert one("SlaMeasured", Product="sales_bronze.orders", Property="completeness").unit == "Percent"
    assert one("SlaBreached", Product="sales_gold.daily_sales", Property="timeOfAvailability").value == 0
    assert (
        "SlaMeasured",
        tuple(sorted(run + (("Product", "sales_gold.daily_sales"), ("Property", "timeOfAvailability")))),
    ) not in figures
    assert one("StepSeconds", Step="read and clean bronze").value == 3.25
    assert (one("FilesRead").value, one("RunSeconds").value, one("RunsCommitted").value) == (3, 12.5, 1)
    assert (one("QualitySuitesFailed").value, one("SlaBreaches").value) == (1, 2)
    assert (one("BytesRead").value, one("BytesWritten").value, one("BytesRead").unit) == (2560, 4196, "Bytes")
    assert (one("EstimatedCost").value, one("EstimatedCost").unit) == (0.0147, "None")
    share = figures[("QuarantineShare", (("Dataset", "orders"), ("Domain", "sales")))]
    assert (round(share.value, 2), share.unit) == (27.27, "Percent")
    assert {f.dimensions["Domain"] for f in figures_of(a_run(), "")} == {"all"}


def test_every_figure_carries_exactly_the_dimensions_its_metric_declares():
    figures = figures_of(a_run(), "sales")
    assert {f.name for f in figures} == set(DIMENSIONS)
    assert [(f.name, tuple(f.dimensions)) for f in figures if tuple(f.dimensions) != DIMENSIONS[f.name]] == []


def test_a_failed_run_did_not_commit():
    record = a_run()
    record.status = "failed"
    (committed,) = [f for f in figures_of(record, "sales") if f.name == "RunsCommitted"]
    assert committed.value == 0


def test_a_superseded_version_is_no_loss_to_quarantine():
    record = RunRecord("j", "r", "", "job-bookmark-enable")
    record.ledger["orders"] = Ledger.of([("a.csv", "accepted", 3), ("a.csv", "DUPLICATE_SUPERSEDED", 1)])
    (share,) = [f for f in figures_of(record, "sales") if f.name == "QuarantineShare"]
    assert share.value == 0.0


def test_measured_values_become_seconds_or_percent():
    assert measured_value("0.5 h") == (1800.0, "Seconds")
    assert measured_value("-9 d") == (-777600.0, "Seconds")
    assert measured_value("94.4%") == (94.4, "Percent")
    assert measured_value("07:58 UTC") is None


class Recorder:
    def __init__(self, fail_after: int | None = None):
        self.calls: list[dict] = []
        self.fail_after = fail_after

    def put_metric_data(self, **request):
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
        self.calls.append(request)


def test_figures_go_in_batches_of_at_most_a_thousand():
    figures = [Figure("RecordsIn", i, "Count", {"Job": "j"}) for i in range(2 * BATCH + 5)]
    client = Recorder()
    at = datetime(2026, 11, 27, tzinfo=UTC)
    assert publish(figures, client, at) == f"sent {2 * BATCH + 5} figures to {NAMESPACE}"
    assert [len(call["MetricData"]) for call in client.calls] == [BATCH, BATCH, 5]
    assert client.calls[0]["Namespace"] == NAMESPACE
    assert client.calls[2]["MetricData"][-1] == {
        "MetricName": "RecordsIn",
        "Dimensions": [{"Name": "Job", "Value": "j"}],
        "Timestamp": at,
        "Value": 2 * BATCH + 4,
        "Unit": "Count",
    }


def test_an_unreachable_cloudwatch_is_a_warning_and_the_run_goes_on(caplog):
    figures = [Figure("RecordsIn", i, "Count") for i in range(BATCH + 1)]
    with caplog.at_level(logging.WARNING, logger="sales_data_lake"):
        outcome = publish(figures, Recorder(fail_after=1))
    assert outcome.startswith(f"unreachable after {BATCH} of {BATCH + 1} figures: Could not connect")
    assert "CloudWatch did not take the run's figures (1000 of 1001 sent)" in caplog.text
