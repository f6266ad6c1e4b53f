"""A run's OpenLineage events: what each names and carries, checked against the spec's
required shape and the custom facets' JSON Schema; sent over HTTP to an endpoint on
127.0.0.1, and an endpoint that cannot be reached costs a warning, never the run."""

from __future__ import annotations

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema
import pytest
from openlineage.client.serde import Serde

from jobs.runtime.config import config_from_arguments
from jobs.runtime.lineage import (
    Lineage,
    RunDatasets,
    RunState,
    dataset_name,
    events_file,
    openlineage_run_id,
    run_event,
    transport_for,
)
from jobs.runtime.run_record import Ledger, QualityVerdict, RunRecord
from tests.helpers.lineage import check_facet, check_run_event, events_in, symlinked_tables
from transforms.contracts import ORDERS_SOURCE, QUARANTINE_TABLES, SILVER_CUSTOMERS, SILVER_ORDERS

S3 = "s3://lake-silver/silver"


def a_run() -> RunRecord:
    record = RunRecord("sales_bronze_to_silver", "20261127T100000Z-abc123", "", "job-bookmark-enable")
    record.inputs = {ORDERS_SOURCE.prefix: ["a.csv", "b.csv"], "changes/customer_bronze_to_silver": ["c.json"]}
    record.ledger["orders"] = Ledger.of(
        [("a.csv", "accepted", 8), ("a.csv", "BAD_PRICE", 1), ("b.csv", "MISSING_ID", 2)]
    )
    record.quality["sales_silver.orders"] = QualityVerdict(False, 9, ["order_id: 2 nulls"], [], "q.json", 0.1)
    return record


def a_runs_datasets() -> RunDatasets:
    return RunDatasets(
        sources={f"s3://lake-bronze/{ORDERS_SOURCE.prefix}": ORDERS_SOURCE},
        reads={f"{S3}/customer/silver_customers": SILVER_CUSTOMERS},
        writes={
            f"{S3}/sales/silver_orders": SILVER_ORDERS,
            "s3://lake-silver/quarantine/sales/q": QUARANTINE_TABLES["sales"],
        },
    )


def as_dict(state: RunState, error: BaseException | None = None) -> dict:
    return Serde.to_dict(run_event(state, a_run(), "sales", a_runs_datasets(), "4.1.1", error))


def test_a_location_is_named_as_openlineage_names_it():
    assert dataset_name("s3://lake-silver/silver/sales/silver_orders") == (
        "s3://lake-silver",
        "silver/sales/silver_orders",
    )
    assert dataset_name("file:/tmp/lake/gold/sales/x") == ("file", "/tmp/lake/gold/sales/x")
    assert dataset_name("/tmp/lake/bronze/sales/orders/") == ("file", "/tmp/lake/bronze/sales/orders")


def test_a_complete_event_names_what_the_run_read_and_wrote_with_schemas_and_owners():
    event = as_dict(RunState.COMPLETE)
    check_run_event(event)
    assert event["eventType"] == "COMPLETE" and event["job"] == {
        "namespace": "sales_data_lake",
        "name": "sales_bronze_to_silver",
        "facets": event["job"]["facets"],
    }
    assert event["run"]["runId"] == openlineage_run_id("sales_bronze_to_silver", "20261127T100000Z-abc123")
    assert symlinked_tables(event["inputs"]) == {ORDERS_SOURCE.qualified_name, SILVER_CUSTOMERS.qualified_name}
    assert symlinked_tables(event["outputs"]) == {
        SILVER_ORDERS.qualified_name,
        QUARANTINE_TABLES["sales"].qualified_name,
    }
    bronze = next(d for d in event["inputs"] if d["name"] == ORDERS_SOURCE.prefix)
    assert bronze["namespace"] == "s3://lake-bronze"
    assert bronze["inputFacets"]["inputStatistics"] | {"_producer": "", "_schemaURL": ""} == {
        "rowCount": 11,
        "fileCount": 2,
        "_producer": "",
        "_schemaURL": "",
    }
    orders = next(d for d in event["outputs"] if d["name"] == "silver/sales/silver_orders")
    fields = {f["name"]: f for f in orders["facets"]["schema"]["fields"]}
    assert list(fields) == SILVER_ORDERS.column_names
    assert fields["order_id"]["type"] == "string"
    assert fields["order_ts"]["description"] == SILVER_ORDERS.column_docs["order_ts"]
    assert orders["facets"]["ownership"]["owners"] == [{"name": SILVER_ORDERS.owner}]


def test_the_ledger_and_quality_facets_carry_the_runs_figures():
    facets = as_dict(RunState.COMPLETE)["run"]["facets"]
    ledger = facets["salesDataLake_ledger"]["datasets"]["orders"]
    assert (ledger["rowsIn"], ledger["rowsSilver"], ledger["rowsQuarantined"]) == (11, 8, 3)
    assert ledger["rowsIn"] == ledger["rowsSilver"] + ledger["rowsQuarantined"]
    assert ledger["files"] == {"a.csv": {"accepted": 8, "BAD_PRICE": 1}, "b.csv": {"MISSING_ID": 2}}
    quality = facets["salesDataLake_quality"]["suites"]["sales_silver.orders"]
    assert (quality["success"], quality["evaluated"], quality["failed"]) == (False, 9, ["order_id: 2 nulls"])
    assert facets["salesDataLake_run"]["runId"] == "20261127T100000Z-abc123"


def test_a_facet_that_breaks_its_schema_is_caught():
    facet = as_dict(RunState.COMPLETE)["run"]["facets"]["salesDataLake_ledger"]
    facet["datasets"]["orders"]["rowsIn"] = -1
    with pytest.raises(jsonschema.ValidationError):
        check_facet(facet)
    del facet["datasets"]["orders"]["files"]
    with pytest.raises(jsonschema.ValidationError):
        check_facet(facet)


def test_a_fail_event_says_what_failed():
    try:
        raise RuntimeError("the gate failed on 2 rows")
    except RuntimeError as error:
        event = as_dict(RunState.FAIL, error)
    check_run_event(event)
    message = event["run"]["facets"]["errorMessage"]
    assert message["message"] == "RuntimeError: the gate failed on 2 rows"
    assert message["programmingLanguage"] == "python" and "raise RuntimeError" in message["stackTrace"]


def test_a_local_lake_keeps_each_jobs_events_in_its_state_folder(tmp_path):
    config = config_from_arguments({"lake_root": str(tmp_path / "lake")})
    run = a_run()
    lineage = Lineage(transport_for(config, run.job), run, "sales", "4.1.1")
    for state in (RunState.START, RunState.COMPLETE):
        lineage.emit(state, a_runs_datasets())
    events = events_in(events_file(config, run.job))
    assert [e["eventType"] for e in events] == ["START", "COMPLETE"]
    assert len({e["run"]["runId"] for e in events}) == 1
    assert run.lineage == "sent START, COMPLETE"


def test_a_lake_on_s3_without_an_endpoint_sends_nothing():
    config = config_from_arguments({"lake_root": "s3://bucket/lake"})
    assert transport_for(config, "sales_bronze_to_silver") is None
    run = a_run()
    Lineage(None, run, "sales", "4.1.1").emit(RunState.START, a_runs_datasets())
    assert run.lineage is None


class Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, json.loads(body)))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_events_go_to_an_http_endpoint_when_one_is_configured():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Collector.received.clear()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        config = config_from_arguments({"lake_root": "s3://bucket/lake", "lineage_url": url})
        run = a_run()
        lineage = Lineage(transport_for(config, run.job), run, "sales", "4.1.1")
        lineage.emit(RunState.START, a_runs_datasets())
        lineage.emit(RunState.COMPLETE, a_runs_datasets())
    finally:
        server.shutdown()
        server.server_close()
    assert [path for path, _ in Collector.received] == ["/api/v1/lineage"] * 2
    for _, event in Collector.received:
        check_run_event(event)
    assert [event["eventType"] for _, event in Collector.received] == ["START", "COMPLETE"]


def test_an_unreachable_endpoint_costs_a_warning_not_the_run(caplog):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = config_from_arguments({"lake_root": "s3://bucket/lake", "lineage_url": f"http://127.0.0.1:{port}"})
    run = a_run()
    with caplog.at_level(logging.WARNING, logger="sales_data_lake"):
        Lineage(transport_for(config, run.job), run, "sales", "4.1.1").emit(RunState.START, a_runs_datasets())
    assert run.lineage is not None and run.lineage.startswith("START not sent")
    assert "lineage event was not sent" in caplog.text
