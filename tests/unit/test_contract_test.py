"""`make contracts-test` hands the Data Contract CLI each table as the catalog publishes it: a
folder of links in Hive layout to the published snapshot folders, and a copy of the contract
whose `local` server reads it."""

from __future__ import annotations

import yaml

from local.catalog.contract_test import CANARY_COLUMN, canary, contract_tests
from tests.helpers.infra_model import REPO

CONTRACTS = REPO / "transforms" / "contracts"


def test_each_published_table_gets_its_contract_reading_its_published_folders(tmp_path):
    snapshots = tmp_path / "lake"
    for folder in ("a/order_date=2026-01-30", "b/order_date=2026-01-31", "c"):
        (snapshots / folder).mkdir(parents=True)
        (snapshots / folder / "part-0.parquet").write_bytes(b"PAR1")
        (snapshots / folder / ".part-0.parquet.crc").write_bytes(b"")
    published = {
        "sales_gold.daily_sales": {
            "partition_keys": ["order_date"],
            "folders": {
                "order_date=2026-01-30": str(snapshots / "a/order_date=2026-01-30"),
                "order_date=2026-01-31": str(snapshots / "b/order_date=2026-01-31"),
            },
        },
        "customer_gold.customer_ltv": {"partition_keys": [], "folders": {"": str(snapshots / "c")}},
    }
    copies = contract_tests(CONTRACTS, published, tmp_path / "work")
    assert sorted(copies) == ["customer_gold.customer_ltv", "sales_gold.daily_sales"]

    daily = yaml.safe_load(copies["sales_gold.daily_sales"].read_text())
    (server,) = daily["servers"]
    data = tmp_path / "work/data/sales_gold.daily_sales"
    assert (server["server"], server["format"], server["path"]) == ("local", "parquet", f"{data}/**/*.parquet")
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*")) == [
        "order_date=2026-01-30",
        "order_date=2026-01-30/part-0.parquet",
        "order_date=2026-01-31",
        "order_date=2026-01-31/part-0.parquet",
    ]
    linked = data / "order_date=2026-01-31/part-0.parquet"
    assert linked.resolve() == (snapshots / "b/order_date=2026-01-31/part-0.parquet").resolve()
    ltv = tmp_path / "work/data/customer_gold.customer_ltv"
    assert [p.resolve() for p in ltv.iterdir()] == [(snapshots / "c/part-0.parquet").resolve()]
    assert daily["schema"] == yaml.safe_load((CONTRACTS / "sales/gold_daily_sales.odcs.yaml").read_text())["schema"]


def test_the_canary_asks_for_a_required_column_no_table_has(tmp_path):
    copy = tmp_path / "silver_orders.odcs.yaml"
    copy.write_text((CONTRACTS / "sales/silver_orders.odcs.yaml").read_text())
    broken = yaml.safe_load(canary(copy).read_text())
    assert broken["schema"][0]["properties"][-1] == {"name": CANARY_COLUMN, "physicalType": "string", "required": True}
