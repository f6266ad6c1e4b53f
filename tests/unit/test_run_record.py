"""The run record: ledgers add up, and a saved record reads back as it was."""

import json

from jobs.runtime.run_record import Ledger, QualityVerdict, RunRecord


def test_ledger_totals_add_up_per_file():
    ledger = Ledger.of([("a", "accepted", 5), ("a", "BAD_PRICE", 1), ("b", "BAD_PRICE", 2)])
    assert (ledger.rows_in, ledger.rows_silver, ledger.rows_quarantined) == (8, 5, 3)
    assert ledger.quarantined_by_reason == {"BAD_PRICE": 3}
    assert ledger.outcomes == {"BAD_PRICE": 3, "accepted": 5}
    assert ledger.files == {"a": {"accepted": 5, "BAD_PRICE": 1}, "b": {"BAD_PRICE": 2}}


def test_a_record_survives_its_json_file():
    record = RunRecord("bronze_to_silver", "r1", "2026-01-01T00:00:00+00:00", "job-bookmark-enable")
    record.record_ledger("orders", Ledger.of([("f.csv", "accepted", 2), ("f.csv", "BAD_DATE", 1)]))
    record.quality["silver_orders"] = QualityVerdict(True, 4, [], ["w"], "file:/q.json", 0.5)
    record.timeline.append(("read", 1.0, 2.0))
    record.inputs["sales/orders"] = ["file:/f.csv"]
    document = json.loads(json.dumps(record.to_json()))
    assert "rereads" not in document and "status" not in document  # never set: left out
    assert document["metrics"] == {"orders.rows_in": 3, "orders.rows_silver": 2, "orders.rows_quarantined": 1}
    assert RunRecord.from_json(document) == record
