"""The Glue Data Catalog publisher against a moto server on 127.0.0.1: the published catalog
holds the same databases, tables, columns and partitions as the local one, and every request
passes botocore's own parameter validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import boto3
import pytest
from botocore.validate import ParamValidator

from jobs.runtime.catalog import CatalogPartition, from_contract
from local.catalog.crawler import crawl
from local.catalog.glue_catalog import GluePublisher, local_tables, partition_input, rebase, table_input
from local.catalog.metastore import LocalCatalog
from tests.helpers.landed_files import BASE_ROWS, BASE_TYPES, DATABASE, DAY1, DAY2, land
from tests.helpers.spark import lake_tables
from transforms.contracts import GOLD_DAILY_SALES


@pytest.fixture
def glue(aws):
    """A Glue client configured only through the standard AWS environment variables."""
    return boto3.client("glue")


@pytest.fixture
def local_catalog(spark, lake, tmp_path):
    """Bronze tables from the crawler (CSV and Avro, two partitions) and a gold table written
    by a job."""
    bronze = tmp_path / "bronze"
    for fmt, dataset in (("csv", "orders"), ("avro", "returns")):
        for day in (DAY1, DAY2):
            land(bronze, fmt, day, BASE_ROWS, BASE_TYPES, dataset=dataset)
    catalog = LocalCatalog(spark)
    crawl(bronze, catalog)
    money = Decimal(1)
    daily = spark.createDataFrame(
        [("EMEA", "online", money, Decimal(0), money, 1, 1, money, dt.date(2026, 1, 1))], GOLD_DAILY_SALES.schema
    )
    lake_tables(spark, lake).write(daily, GOLD_DAILY_SALES)
    yield catalog
    spark.sql(f"DROP DATABASE IF EXISTS {DATABASE} CASCADE")


def glue_tables(glue) -> dict[str, dict]:
    databases = [d["Name"] for page in glue.get_paginator("get_databases").paginate() for d in page["DatabaseList"]]
    return {
        f"{db}.{t['Name']}": t
        for db in databases
        for page in glue.get_paginator("get_tables").paginate(DatabaseName=db)
        for t in page["TableList"]
    }


def glue_partition_values(glue, qualified_name: str) -> set[tuple[str, ...]]:
    database, name = qualified_name.split(".")
    pages = glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=name)
    return {tuple(p["Values"]) for page in pages for p in page["Partitions"]}


def test_the_published_catalog_holds_the_local_tables_columns_and_partitions(glue, local_catalog):
    report = GluePublisher(glue).publish(local_tables(local_catalog))
    local = {t.qualified_name: (t, parts) for t, parts in local_tables(local_catalog)}
    published = glue_tables(glue)

    assert {f"{DATABASE}.orders", f"{DATABASE}.returns", GOLD_DAILY_SALES.qualified_name} <= set(local)
    assert set(published) == set(local)
    for name, (table, partitions) in local.items():
        remote = published[name]
        columns = [(c["Name"], c["Type"]) for c in remote["StorageDescriptor"]["Columns"]]
        assert columns == [(c.name, c.type) for c in table.columns], name
        assert [(k["Name"], k["Type"]) for k in remote["PartitionKeys"]] == [
            (c.name, c.type) for c in table.partition_keys
        ]
        assert remote["Parameters"]["classification"] == table.classification
        assert glue_partition_values(glue, name) == {p.values for p in partitions}
    assert published[f"{DATABASE}.returns"]["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"].endswith(
        "AvroSerDe"
    )
    assert published[f"{DATABASE}.orders"]["Parameters"]["recordCount"] == "4"
    assert report.partitions_added == sum(len(parts) for _, parts in local.values())

    again = GluePublisher(glue).publish(local_tables(local_catalog))
    assert again.tables_created == [] and again.partitions_added == 0 and set(again.tables_updated) == set(local)


def test_a_partition_gone_locally_is_removed_from_glue(spark, glue, local_catalog):
    GluePublisher(glue).publish(local_tables(local_catalog))
    spark.sql(f"ALTER TABLE {DATABASE}.orders DROP PARTITION (ingest_date='{DAY2}')")
    report = GluePublisher(glue).publish(local_tables(local_catalog))
    assert report.partitions_removed == 1
    assert glue_partition_values(glue, f"{DATABASE}.orders") == {(DAY1,)}


def test_every_request_passes_botocore_parameter_validation(glue, local_catalog):
    model = glue.meta.service_model
    validator = ParamValidator()
    for table, partitions in local_tables(local_catalog):
        create = {"DatabaseName": table.database, "TableInput": table_input(table)}
        report = validator.validate(create, model.operation_model("CreateTable").input_shape)
        assert not report.has_errors(), report.generate_report()
        batch = {
            "DatabaseName": table.database,
            "TableName": table.name,
            "PartitionInputList": [partition_input(table, p) for p in partitions],
        }
        report = validator.validate(batch, model.operation_model("BatchCreatePartition").input_shape)
        assert not report.has_errors(), report.generate_report()
    # The validator does catch a malformed input (so the loop above can fail).
    broken = {"DatabaseName": "x", "TableInput": {**table_input(table), "PartitionKeys": [{"Type": "string"}]}}
    assert validator.validate(broken, model.operation_model("CreateTable").input_shape).has_errors()


def test_locations_are_rebased_for_publishing_a_local_lake_as_s3():
    table = from_contract(GOLD_DAILY_SALES, "file:/home/me/lake/gold/sales/daily_sales")
    rebases = {"/home/me/lake": "s3://acme-gold"}
    assert table_input(table, rebases)["StorageDescriptor"]["Location"] == "s3://acme-gold/gold/sales/daily_sales"
    partition = CatalogPartition(("2026-01-01",), "/home/me/lake/gold/sales/daily_sales/order_date=2026-01-01")
    assert partition_input(table, partition, rebases)["StorageDescriptor"]["Location"].startswith("s3://acme-gold/")
    assert rebase("s3://elsewhere/x", rebases) == "s3://elsewhere/x"
