"""Incremental runs: the lake built one landed day at a time, each run reading only the new
day's files, ends up exactly where a single run over everything ends up (the generator's
ground truth), and a run with nothing new reads nothing and changes nothing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from jobs import bronze_to_silver, silver_to_gold
from jobs.runtime.bookmarks import FileBookmarks
from jobs.runtime.config import config_from_arguments
from jobs.runtime.local import open_local_context
from jobs.runtime.run_record import RunRecord
from local.runner.pipeline import run_pipeline
from local.sample.reference import avro_bytes
from tests.helpers.gold_truth import gold_differences
from tests.helpers.sample_lakes import SETTINGS, land_day, records_in_file, staged_lake
from tests.helpers.spark import forget_catalog, lake_tables
from transforms.contracts import GOLD_TABLES, ORDER_FILE_COLUMNS, QUARANTINE_TABLES, SILVER_RETURNS, SILVER_TABLES

pytestmark = pytest.mark.slow


def bronze_reads(run) -> set[str]:
    """The landed files every domain's bronze_to_silver run read."""
    inputs = [uris for record in run.records_of(bronze_to_silver.JOB) for uris in record.inputs.values()]
    return {uri.split("/bronze/", 1)[1] for uris in inputs for uri in uris}


@pytest.fixture(scope="module")
def day_by_day(spark, tmp_path_factory):
    staging, root, truth, days = staged_lake(spark, tmp_path_factory, SETTINGS, "incremental")
    runs = []
    for day in days:
        landed = land_day(staging, root / "bronze", day)
        runs.append((landed, run_pipeline(spark, ["--lake_root", str(root)], {})))
    return root, truth, runs


def read(spark, root: Path, table):
    return lake_tables(spark, config_from_arguments({"lake_root": str(root)})).read(table)


def test_each_run_reads_only_the_day_that_landed_since_the_last(day_by_day):
    _, _, runs = day_by_day
    assert len(runs) == SETTINGS.days
    for landed, run in runs:
        assert bronze_reads(run) == set(landed)


@pytest.mark.parametrize("table", GOLD_TABLES, ids=lambda t: t.qualified_name)
def test_gold_built_day_by_day_equals_the_ground_truth(spark, day_by_day, table):
    root, truth, _ = day_by_day
    assert gold_differences(read(spark, root, table).collect(), truth[table.name], table) == []


def test_every_record_ends_where_a_single_run_puts_it(spark, day_by_day):
    """Re-sent versions across days: the later replaces the earlier, which goes to quarantine."""
    root, truth, _ = day_by_day
    quarantined = {}
    for table in QUARANTINE_TABLES.values():
        for r in read(spark, root, table).collect():
            quarantined[(r.source_file, r.source_line)] = r.reject_reason
    silver = Counter()
    for table in SILVER_TABLES:
        silver.update((r.source_file, r.source_line) for r in read(spark, root, table).collect())
    expected_rejects = {(p, line): reason for p, line, reason in truth["record_outcomes"] if reason is not None}
    expected_silver = Counter((p, line) for p, line, reason in truth["record_outcomes"] if reason is None)
    assert quarantined == expected_rejects
    assert silver == expected_silver
    assert max(silver.values()) == 1  # no record twice
    landed = {str(p.relative_to(root / "bronze")): records_in_file(p) for p in (root / "bronze").rglob("*.*")}
    per_file = Counter(path for path, _ in quarantined) + Counter(path for path, _ in silver.elements())
    assert dict(per_file) == landed


def test_a_run_with_nothing_new_reads_nothing_and_changes_nothing(spark, day_by_day):
    root, _, _ = day_by_day
    gold_files = {p: p.stat().st_mtime_ns for p in (root / "gold").rglob("*.parquet")}
    silver_files = {p: p.stat().st_mtime_ns for p in (root / "silver").rglob("*.parquet")}
    run = run_pipeline(spark, ["--lake_root", str(root)], {})
    assert bronze_reads(run) == set()
    assert [r.metrics["changed_order_dates"] for r in run.records_of(silver_to_gold.JOB)] == [0, 0, 0]
    for job, record in run.records.items():  # the saved run record holds the step that ended early
        saved = json.loads((root / "state" / "runs" / job / f"{record.run_id}.json").read_text())
        first = "read and clean bronze" if run.scripts[job] == bronze_to_silver.JOB else "read silver"
        assert list(saved["steps"]) == [first]
    assert {p: p.stat().st_mtime_ns for p in (root / "gold").rglob("*.parquet")} == gold_files
    assert {p: p.stat().st_mtime_ns for p in (root / "silver").rglob("*.parquet")} == silver_files
    for record in run.records_of(bronze_to_silver.JOB):  # each domain's job committed every run
        assert len(FileBookmarks(root / "state", record.job).runs()) == SETTINGS.days + 1


def _land_day(bronze: Path, day: str, order_lines: list[str], returns: list[dict]) -> None:
    orders = bronze / f"sales/orders/ingest_date={day}/orders_{day}.csv"
    orders.parent.mkdir(parents=True)
    orders.write_text("\n".join([",".join(ORDER_FILE_COLUMNS), *order_lines]) + "\n")
    if returns:
        avro = bronze / f"sales/returns/ingest_date={day}/returns_{day}.avro"
        avro.parent.mkdir(parents=True)
        avro.write_bytes(avro_bytes(returns))


def _return_outcomes(spark, root: Path) -> dict[str, list]:
    """return_id -> every place the lake holds it: ("silver", refund) or ("quarantine", reason)."""
    places: dict[str, list] = {}
    for r in read(spark, root, SILVER_RETURNS).collect():
        places.setdefault(r.return_id, []).append(("silver", str(r.refund_usd)))
    for r in read(spark, root, QUARANTINE_TABLES["sales"]).where("dataset = 'returns'").collect():
        places.setdefault(r.record_key, []).append(("quarantine", r.reject_reason))
    return places


def test_returns_are_checked_again_when_a_later_file_changes_their_order_line(spark, tmp_path):
    """Day 1: R1 returns 4 of 5 (accepted), R2 returns 4 of 3 (too many). Day 2 re-sends both
    lines: 2 units instead of 5, 5 instead of 3. A single run over both days quarantines R1 and
    accepts R2; so must the day-by-day runs, with each return in one place only."""
    root = tmp_path / "lake"
    forget_catalog(spark)

    def line(order_id: str, quantity: int) -> str:
        return f"{order_id},1,C1,SKU-1,2026-03-01T10:00:00Z,EMEA,online,{quantity},10.00,USD"

    def give_back(return_id: str, order_id: str) -> dict:
        return {"return_id": return_id, "order_id": order_id, "line_no": 1, "quantity": 4, "reason": None,
                "returned_at": "2026-03-01T12:00:00Z"}  # fmt: skip

    def run() -> RunRecord:
        with open_local_context("bronze_to_silver", ["--lake_root", str(root)], {}, spark=spark) as ctx:
            return bronze_to_silver.main(ctx)

    _land_day(
        root / "bronze", "2026-03-01", [line("O1", 5), line("O2", 3)], [give_back("R1", "O1"), give_back("R2", "O2")]
    )
    run()
    assert _return_outcomes(spark, root) == {
        "R1": [("silver", "40.00")],
        "R2": [("quarantine", "EXCESS_RETURN_QUANTITY")],
    }
    _land_day(root / "bronze", "2026-03-02", [line("O1", 2), line("O2", 5)], [])
    record = run()
    assert _return_outcomes(spark, root) == {
        "R1": [("quarantine", "EXCESS_RETURN_QUANTITY")],
        "R2": [("silver", "40.00")],
    }
    assert [uri.rsplit("/", 1)[1] for uri in record.rereads["sales/returns"]] == ["returns_2026-03-01.avro"]
