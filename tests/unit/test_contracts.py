"""The ODCS contract files are the single source: editing one changes the Spark schema, the
quality suite, the catalog table and the Glue table, with no other edit."""

import shutil

import pytest
import yaml
from pyspark.sql.types import DecimalType, IntegerType, LongType, StringType

from expectations.suites import table_suite
from jobs.runtime.catalog import from_contract
from local.catalog.glue_catalog import table_input
from transforms import contracts
from transforms.odcs import CONTRACTS, ContractError, bronze_source, spark_type, table_contract


def test_physical_types_map_to_spark_types():
    assert spark_type("decimal(12, 2)") == DecimalType(12, 2)
    assert (spark_type("int"), spark_type("BIGINT"), spark_type("string")) == (IntegerType(), LongType(), StringType())
    with pytest.raises(ContractError, match="varchar"):
        spark_type("varchar(10)")


def test_every_contract_file_is_a_table_or_a_source_the_lake_declares():
    files = {p.relative_to(CONTRACTS).as_posix().removesuffix(".odcs.yaml") for p in CONTRACTS.rglob("*.odcs.yaml")}
    tables = {f"{t.domain}/{t.layer}_{t.name}" for t in contracts.SILVER_TABLES + contracts.GOLD_TABLES}
    sources = {f"{s.domain}/bronze_{s.dataset}" for s in contracts.SOURCES}
    assert files == tables | sources


def test_the_contract_carries_owner_sla_version_and_classification():
    customers = contracts.SILVER_CUSTOMERS
    assert (customers.owner, customers.sla_hours, customers.version) == ("customer-data@example.com", 24, "1.0.0")
    assert customers.classification["email_hash"] == "confidential"
    assert contracts.SILVER_ORDERS.primary_key == ("order_id", "line_no")
    assert contracts.SILVER_ORDERS.partition_by == ("order_date",)


@pytest.fixture
def edited_orders(tmp_path):
    """A copy of the contracts with silver orders edited: a wider amount, a new column, and
    the line number no longer part of the key."""
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, root)
    path = root / "sales" / "silver_orders.odcs.yaml"
    document = yaml.safe_load(path.read_text())
    properties = document["schema"][0]["properties"]
    by_name = {p["name"]: p for p in properties}
    by_name["line_amount_usd"]["physicalType"] = "decimal(20,2)"
    del by_name["line_no"]["primaryKey"], by_name["line_no"]["primaryKeyPosition"]
    properties.append({"name": "coupon", "logicalType": "string", "physicalType": "string", "required": False})
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return table_contract("sales/silver_orders", root)


def test_an_edited_contract_changes_schema_suite_catalog_and_glue_table(edited_orders):
    assert edited_orders.schema["line_amount_usd"].dataType == DecimalType(20, 2)
    assert edited_orders.schema["coupon"].nullable
    assert table_suite(edited_orders).key_columns == ("order_id",)
    catalog_table = from_contract(edited_orders, "s3://silver/sales/orders")
    assert catalog_table.column_types["coupon"] == "string"
    assert catalog_table.column_types["line_amount_usd"] == "decimal(20,2)"
    glue_columns = {c["Name"]: c["Type"] for c in table_input(catalog_table)["StorageDescriptor"]["Columns"]}
    assert glue_columns["line_amount_usd"] == "decimal(20,2)" and "coupon" in glue_columns


def test_a_source_contract_gives_the_landed_layout(tmp_path):
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, root)
    path = root / "sales" / "bronze_fx_rates.odcs.yaml"
    document = yaml.safe_load(path.read_text())
    document["schema"][0]["properties"].reverse()
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    assert bronze_source("sales/bronze_fx_rates", root).columns == tuple(reversed(contracts.FX_FILE_COLUMNS))
    assert bronze_source("sales/bronze_fx_rates").file_format == "csv"
