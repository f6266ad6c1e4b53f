"""`python -m local products`: every data product with what its last run said about it."""

import json

from jobs.runtime.run_record import QualityVerdict, RunRecord, SlaResult
from local.runner.cli import main
from local.runner.products import product_lines, product_states
from transforms.contracts import GOLD_TABLES, SILVER_TABLES, SOURCES


def save(state, record: RunRecord) -> None:
    folder = state / "runs" / record.job
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{record.run_id}.json").write_text(json.dumps(record.to_json()))


def test_each_product_shows_its_last_checked_run(tmp_path):
    state = tmp_path / "lake" / "state"
    checked = RunRecord("bronze_to_silver", "20260310T060000Z-aaaaaa", "", "job-bookmark-enable")
    checked.quality["sales_silver.orders"] = QualityVerdict(True, 9, [], ["a warning"], "q.json", 0.1)
    checked.sla += [
        SlaResult("sales_silver.orders", "freshness", "<= 2 d", "10 d", False, False),
        SlaResult("sales_bronze.orders", "completeness", ">= 85%", "97.0%", True, False),
    ]
    nothing_new = RunRecord("bronze_to_silver", "20260311T060000Z-bbbbbb", "", "job-bookmark-enable")
    save(state, checked)
    save(state, nothing_new)  # newer, but it checked nothing: the older run still speaks

    states = {p.name: p for p in product_states(SILVER_TABLES + GOLD_TABLES, SOURCES, state)}
    orders = states["sales_silver.orders"]
    assert (orders.last_run, orders.service_levels) == (checked.run_id, "freshness BREACHED (10 d against <= 2 d)")
    assert orders.quality == "passed with 1 warning(s)" and orders.owner == "sales-data@example.com"
    assert "sales_gold.daily_sales" in orders.consumers
    assert states["sales_bronze.orders"].service_levels == "met"
    assert (states["sales_gold.daily_sales"].last_run, states["sales_gold.daily_sales"].quality) == ("never", "-")
    assert len(states) == len(SOURCES) + 9  # every source, silver and gold product
    lines = product_lines(list(states.values()))
    assert lines[0] == "customer:" and "  sales_silver.orders  v1.0.0 active, owner sales-data@example.com" in lines


def test_the_command_lists_every_domain(tmp_path, capsys):
    assert main(["products", "--lake", str(tmp_path / "lake")]) == 0
    printed = capsys.readouterr().out
    assert [line for line in printed.splitlines() if not line.startswith(" ")] == ["customer:", "product:", "sales:"]
    assert printed.count("last run never") == len(SOURCES) + 9
