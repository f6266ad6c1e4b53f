"""What make contracts-check calls breaking, what a breaking change must carry, which Athena
named queries it breaks, and which committed version it is compared with."""

import copy
import subprocess
from pathlib import Path

import pytest
import yaml

from local.catalog.contract_changes import (
    affected_queries,
    breaking_changes,
    catalog_schema,
    last_committed,
    query_columns,
    release_problems,
    widens,
)
from transforms.odcs import CONTRACTS, read_contract

REPO = Path(__file__).resolve().parents[2]
QUERIES = {p.name: p.read_text() for p in (REPO / "infra" / "queries").glob("*.sql")}


@pytest.mark.parametrize(
    ("old", "new", "safe"),
    [
        ("int", "bigint", True),
        ("bigint", "int", False),
        ("decimal(12,2)", "decimal(18,2)", True),
        ("decimal(18,2)", "decimal(12,2)", False),
        ("decimal(18,2)", "decimal(18,4)", False),  # two fewer digits before the point
        ("int", "decimal(12,2)", True),
        ("int", "string", True),
        ("string", "int", False),
        ("date", "timestamp", False),
        ("int", "double", True),
        ("bigint", "double", False),  # a double holds 15 to 17 digits
    ],
)
def test_a_type_change_is_safe_only_when_it_widens(old, new, safe):
    assert widens(old, new) is safe


def edited(name: str, edit) -> tuple[dict, dict]:
    before = read_contract(name)
    after = copy.deepcopy(before)
    edit(after, {p["name"]: p for p in after["schema"][0]["properties"]})
    return before, after


def test_removals_narrowing_required_and_keys_are_breaking_and_additions_are_not():
    def edit(document, columns):
        document["schema"][0]["properties"].remove(columns["channel"])
        columns["line_amount_usd"]["physicalType"] = "decimal(12,2)"
        columns["is_unknown_customer"]["required"] = True
        columns["order_date"]["partitioned"] = False
        document["schema"][0]["properties"].append({"name": "coupon", "physicalType": "string"})

    before, after = edited("sales/silver_orders", edit)
    assert [c.describe() for c in breaking_changes(before, after)] == [
        "sales_silver.orders.channel: column removed (or renamed)",
        "sales_silver.orders.line_amount_usd: type narrowed or changed: decimal(18,2) -> decimal(12,2)",
        "sales_silver.orders: partitioning changed: order_date -> ",
    ]
    before, after = edited("sales/silver_orders", lambda d, c: c["customer_id"].update(required=True))
    assert breaking_changes(before, after) == []  # it was required already
    before, after = edited("customer/silver_customers", lambda d, c: c["city"].update(required=True))
    assert [c.what for c in breaking_changes(before, after)] == ["became required"]
    assert breaking_changes(before, copy.deepcopy(before)) == []


def test_a_breaking_change_needs_a_major_bump_consumers_and_a_changelog_entry():
    before = read_contract("sales/gold_daily_sales")
    after = copy.deepcopy(before)
    assert release_problems(before, after) == [
        "needs a major version bump (was 1.0.0, is 1.0.0)",
        "needs a changelog entry for version 1.0.0 (customProperty changelog)",
    ]  # its consumers are listed already
    after["version"] = "2.0.0"
    after["customProperties"].append({"property": "changelog", "value": [{"version": "2.0.0", "description": "x"}]})
    assert release_problems(before, after) == []


def test_a_breaking_change_names_the_athena_queries_it_breaks():
    def rename(document, columns):
        columns["net_revenue_usd"]["name"] = "net_revenue"

    before, after = edited("sales/gold_daily_sales", rename)
    schema = catalog_schema([before, after])
    assert affected_queries(breaking_changes(before, after), QUERIES, schema) == {
        "daily_net_revenue_by_region.sql": ["sales_gold.daily_sales.net_revenue_usd: column removed (or renamed)"]
    }

    def drop_unread(document, columns):  # a column no named query reads
        document["schema"][0]["properties"].remove(columns["avg_order_value_usd"])

    before, after = edited("sales/gold_daily_sales", drop_unread)
    assert len(breaking_changes(before, after)) == 1
    assert affected_queries(breaking_changes(before, after), QUERIES, catalog_schema([before])) == {}


def test_every_named_query_reads_only_columns_the_contracts_declare():
    documents = [yaml.safe_load(p.read_text()) for p in CONTRACTS.rglob("*.odcs.yaml")]
    schema = catalog_schema(documents)
    for name, sql in QUERIES.items():
        read = query_columns(sql, schema)
        assert read, name
        assert all(column in schema[table.split(".")[0]][table.split(".")[1]] for table, column in read), name


def run(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def test_the_baseline_is_the_last_committed_version(tmp_path):
    run(tmp_path, "init", "-q")
    run(tmp_path, "config", "user.email", "t@example.com")
    run(tmp_path, "config", "user.name", "t")
    path = tmp_path / "c.odcs.yaml"
    assert last_committed(path.parent / "missing.odcs.yaml") is None
    for version in ("1.0.0", "1.1.0"):
        path.write_text(yaml.safe_dump({"version": version}))
        run(tmp_path, "add", path.name)
        run(tmp_path, "commit", "-q", "-m", version)
    assert last_committed(path) == {"version": "1.0.0"}  # committed: the one before
    path.write_text(yaml.safe_dump({"version": "2.0.0"}))
    assert last_committed(path) == {"version": "1.1.0"}  # edited: what HEAD holds
