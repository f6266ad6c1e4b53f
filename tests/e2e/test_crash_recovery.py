"""Crash injection: the lake is built day by day; a day's run is killed at a step boundary,
the rerun is killed at a later one, and the next rerun completes. After every completed run
no key is in silver twice and every landed record is in silver or quarantine exactly once;
at the end gold equals the ground truth of a clean run. (A run killed for real, SIGKILL in
its own process, is in `test_pipeline.py`.)"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from jobs.runtime.config import config_from_arguments
from jobs.runtime.failpoints import SimulatedCrash, armed
from local.runner.pipeline import run_pipeline
from local.sample.generator import GeneratorSettings
from tests.helpers.gold_truth import gold_differences
from tests.helpers.sample_lakes import land_day, records_in_file, staged_lake
from tests.helpers.spark import lake_tables
from transforms.contracts import GOLD_TABLES, QUARANTINE_TABLES, SILVER_TABLES

pytestmark = pytest.mark.slow

SETTINGS = GeneratorSettings(orders=100, days=2, seed=11, start=dt.date(2026, 2, 28))
# Where each day's runs die, in turn: after the sales domain's read, after the customer
# domain's silver write but before its bookmark commit (the domains after it not run yet);
# then, with silver already holding the first day, during the sales silver write and during
# the sales gold write.
CRASH_POINTS = (
    ("sales_bronze_to_silver:after read and clean bronze", "customer_bronze_to_silver:before bookmark commit"),
    (
        "sales_bronze_to_silver:publish sales_silver.orders",
        "sales_silver_to_gold:publish sales_gold.sales_kpis_monthly",
    ),
)


def lake_rows(spark, root: Path, table) -> list:
    return lake_tables(spark, config_from_arguments({"lake_root": str(root)})).read(table).collect()


def assert_every_record_once(spark, root: Path) -> None:
    for table in SILVER_TABLES:
        keys = Counter(tuple(r[k] for k in table.primary_key) for r in lake_rows(spark, root, table))
        assert max(keys.values(), default=1) == 1, f"a key twice in {table.qualified_name}"
    placed = Counter()
    for table in SILVER_TABLES + tuple(QUARANTINE_TABLES.values()):
        placed.update((r.source_file, r.source_line) for r in lake_rows(spark, root, table))
    assert max(placed.values()) == 1, "a record in two places"
    landed = {str(p.relative_to(root / "bronze")): records_in_file(p) for p in (root / "bronze").rglob("*.*")}
    assert dict(Counter(path for path, _ in placed)) == landed


@pytest.fixture(scope="module")
def crashed_and_recovered(spark, tmp_path_factory):
    staging, root, truth, days = staged_lake(spark, tmp_path_factory, SETTINGS, "crash")
    argv = ["--lake_root", str(root)]
    crashed = []
    for day, points in zip(days, CRASH_POINTS, strict=True):
        land_day(staging, root / "bronze", day)
        for point in points:
            with armed(point), pytest.raises(SimulatedCrash):
                run_pipeline(spark, argv, {})
            crashed.append(point)
        run_pipeline(spark, argv, {})
        assert_every_record_once(spark, root)
    return root, truth, crashed


def test_each_step_boundary_was_crashed_once(crashed_and_recovered):
    _, _, crashed = crashed_and_recovered
    assert crashed == [point for points in CRASH_POINTS for point in points]


@pytest.mark.parametrize("table", GOLD_TABLES, ids=lambda t: t.qualified_name)
def test_gold_after_crashes_and_reruns_equals_a_clean_run(spark, crashed_and_recovered, table):
    root, truth, _ = crashed_and_recovered
    assert gold_differences(lake_rows(spark, root, table), truth[table.name], table) == []


def test_every_record_ends_where_a_clean_run_puts_it(spark, crashed_and_recovered):
    root, truth, _ = crashed_and_recovered
    outcomes = {}
    for table in QUARANTINE_TABLES.values():
        outcomes.update({(r.source_file, r.source_line): r.reject_reason for r in lake_rows(spark, root, table)})
    for table in SILVER_TABLES:
        outcomes.update({(r.source_file, r.source_line): None for r in lake_rows(spark, root, table)})
    assert outcomes == {(path, line): reason for path, line, reason in truth["record_outcomes"]}
