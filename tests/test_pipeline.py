"""End to end on tiny generated data: gold equals the generator's ground truth, every
malformed line is quarantined with its reason, and no row is lost."""

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from local.generator import GeneratorSettings, write_sample_lake
from local.runner import run_pipeline

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built_lake(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e") / "lake"
    truth = write_sample_lake(root / "bronze", root / "ground_truth", GeneratorSettings(orders=150, days=3, seed=11))
    run = run_pipeline(spark, ["--lake_root", str(root)], {})
    return root, truth, run


def _keyed(rows):
    return {(r["order_date"], r["region"], r["channel"], r["currency"]): r for r in rows}


def test_gold_daily_sales_equals_ground_truth(spark, built_lake):
    _, truth, _ = built_lake
    rows = [
        {
            **r.asDict(),
            "order_date": r.order_date.isoformat(),
            "revenue": str(r.revenue),
            "avg_order_value": str(r.avg_order_value),
        }
        for r in spark.sql("SELECT * FROM sales_gold.daily_sales").collect()
    ]
    assert len(rows) == len(truth["daily_sales"]) > 0
    assert _keyed(rows) == _keyed(truth["daily_sales"])


def _expected_outcomes(truth):
    return {
        (f, int(line)): reason for f, outcomes in truth["line_outcomes"].items() for line, reason in outcomes.items()
    }


def test_every_malformed_line_is_quarantined_with_its_reason(spark, built_lake):
    _, truth, _ = built_lake
    expected = {k: v for k, v in _expected_outcomes(truth).items() if v is not None}
    rows = spark.sql("SELECT source_file, source_line, reject_reason FROM sales_quarantine.rejected_records").collect()
    assert {(r.source_file, r.source_line): r.reject_reason for r in rows} == expected


def test_accepted_lines_are_exactly_the_silver_rows(spark, built_lake):
    _, truth, _ = built_lake
    expected = {k for k, v in _expected_outcomes(truth).items() if v is None}
    rows = spark.sql("SELECT source_file, source_line FROM sales_silver.orders").collect()
    assert Counter((r.source_file, r.source_line) for r in rows) == Counter(expected)


def test_rows_in_equals_silver_plus_quarantined_per_file(spark, built_lake):
    root, _, run = built_lake
    landed = {
        str(p.relative_to(root / "bronze")): sum(1 for line in p.read_text().splitlines()[1:] if line.strip())
        for p in (root / "bronze").rglob("*.csv")
    }
    counts = spark.sql(
        "SELECT source_file, count(*) AS n FROM (SELECT source_file FROM sales_silver.orders UNION ALL "
        "SELECT source_file FROM sales_quarantine.rejected_records) GROUP BY source_file"
    ).collect()
    assert {r.source_file: r.n for r in counts} == landed
    ledger = run.manifests["bronze_to_silver"]["ledger"]["orders"]
    assert ledger["rows_in"] == sum(landed.values())


def test_make_run_local_path_and_a_new_session_sees_the_catalog(tmp_path):
    """The CLI in its own process builds the lake; a second process finds the tables by name."""
    lake = tmp_path / "lake"
    common = [sys.executable, "-m", "local"]
    run = subprocess.run(
        [*common, "run", "--lake", str(lake), "--orders", "60", "--days", "2", "--master", "local[2]"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "rows_in == rows_silver + rows_quarantined" in run.stdout and "sales_gold.daily_sales" in run.stdout
    query = subprocess.run(
        [
            *common,
            "query",
            "--lake",
            str(lake),
            "--master",
            "local[1]",
            "SELECT count(*) AS n, sum(orders) AS o FROM sales_gold.daily_sales",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert query.returncode == 0, query.stderr[-3000:]
    counts = [line for line in query.stdout.splitlines() if line.startswith("|") and "n" not in line]
    n, orders = (int(v) for v in counts[0].strip("|").split("|"))
    assert n > 0 and orders >= 60 - 1  # broken lines never add orders; at most late ones move days
